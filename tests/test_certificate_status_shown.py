"""A certificate that no longer certifies says so, on paper and on the tab."""

import subprocess

from tests.scenarios.certificates_api import issue, make_graduates


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


def test_the_tab_does_not_offer_a_revoked_trainee_again(app, client, accounts, monkeypatch):
    setup = make_graduates(app, accounts, monkeypatch, people=[("AZ-MES", "Əliyev Rauf", "")])
    number = issue(client, setup).json["number"]
    client.post(
        f"/api/v1/certificates/{number}/revoke",
        headers=setup.headers,
        json={"reason": "Issued in error"},
    )
    accounts.login(setup.admin)
    page = client.get(f"/courses/{setup.course_id}/certificates").text
    assert f"Certificate {number} was revoked: it is not issued again." in page
    assert "Nobody is eligible for a new certificate" in page
