"""A certificate that no longer certifies says so, on paper and on the tab."""

import re
import subprocess

from tests.conftest import post_form
from tests.scenarios.api_base import error_of
from tests.scenarios.certificates_api import correct_a_day, issue, make_graduates, rows


def test_a_revoked_certificate_prints_stamped_revoked(app, client, accounts, monkeypatch, tmp_path):
    setup = make_graduates(app, accounts, monkeypatch)
    number = issue(client, setup).json["number"]
    client.post(
        f"/api/v1/certificates/{number}/revoke",
        headers=setup.headers,
        json={"reason": "Issued in error"},
    )
    pdf = client.get(f"/certificates/{number}.pdf", headers=setup.headers)
    assert pdf.status_code == 200
    (tmp_path / "revoked.pdf").write_bytes(pdf.data)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "revoked.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "REVOKED" in text


def test_a_valid_certificate_carries_no_stamp(app, client, accounts, monkeypatch, tmp_path):
    setup = make_graduates(app, accounts, monkeypatch)
    number = issue(client, setup).json["number"]
    (tmp_path / "valid.pdf").write_bytes(
        client.get(f"/certificates/{number}.pdf", headers=setup.headers).data
    )
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "valid.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "REVOKED" not in text
    assert "SUPERSEDED" not in text


def test_a_revoked_trainee_is_certified_again_only_one_by_one(app, client, accounts, monkeypatch):
    """Revoked to correct a record: once a record has changed, and the records still earn
    it, a new certificate comes from the trainee's own confirmed action under a new number;
    "issue all" passes the trainee by. With nothing changed since, none is issued."""
    setup = make_graduates(app, accounts, monkeypatch, people=[("AZ-MES", "Əliyev Rauf", "")])
    number = issue(client, setup).json["number"]
    client.post(
        f"/api/v1/certificates/{number}/revoke",
        headers=setup.headers,
        json={"reason": "Day 1 to be corrected"},
    )
    refused = error_of(issue(client, setup), 409, "conflict")
    assert "no result or attendance record has changed since" in refused["message"]
    accounts.login(setup.admin)
    tab = f"/courses/{setup.course_id}/certificates"
    page = client.get(tab).text
    # The records earn one, yet none is offered: the row says why, and "no".
    assert (
        f"Certificate {number} was revoked on Jan 18, 2021 (Day 1 to be corrected) and no "
        "result or attendance record has changed since" in page
    )
    assert re.search(r'data-label="Eligible">no</td>', page)
    assert 'data-testid="earned-again"' not in page  # nothing changed since
    correct_a_day(client, setup, "late")
    page = client.get(tab).text
    assert (
        f"Certificate {number} was revoked: a new one is issued for this trainee alone, "
        "not with the whole course." in page
    )
    assert re.search(r'data-label="Eligible">yes</td>', page)
    assert "Nobody is eligible for a new certificate" in page  # not with "issue all"
    earned = re.search(r'data-testid="earned-again">(.*?)</ul>', page, re.S).group(1)
    assert f"Əliyev Rauf: certificate {number} was revoked on" in earned
    url = f"/enrolments/{setup.enrolments[0]}/certificate/new"
    unticked = post_form(client, url, {}, form_page=tab, follow_redirects=True)
    assert "tick the box to confirm first" in unticked.text
    assert [c.status for c in rows(app)] == ["revoked"]
    done = post_form(client, url, {"confirm": "yes"}, form_page=tab, follow_redirects=True)
    certificates = rows(app)
    assert [c.status for c in certificates] == ["revoked", "valid"]
    assert certificates[1].number != number
    assert f"Certificate {certificates[1].number} is issued." in done.text
    assert 'data-testid="earned-again"' not in client.get(tab).text


def test_the_tab_asks_the_trail_once_whatever_the_number_revoked(
    app, client, accounts, monkeypatch, count_queries
):
    people = [("AZ-MES", f"Trainee {n}", f"Trainee {n}") for n in range(3)]
    setup = make_graduates(app, accounts, monkeypatch, people=people)
    numbers = [issue(client, setup, n).json["number"] for n in range(3)]
    accounts.login(setup.admin)
    tab = f"/courses/{setup.course_id}/certificates"
    counts = []
    for index, number in enumerate(numbers):
        client.post(
            f"/api/v1/certificates/{number}/revoke",
            headers=setup.headers,
            json={"reason": "Day 1 to be corrected"},
        )
        correct_a_day(client, setup, "late", index)
        client.get(tab)
        with count_queries() as counter:
            page = client.get(tab).text
        counts.append(counter.count)
        assert number in re.search(r'data-testid="earned-again">(.*?)</ul>', page, re.S).group(1)
    assert counts[0] == counts[1] == counts[2], counts
