"""The report by organisation: every figure against a scenario built by hand.

Two ministries on one five-day course (threshold 80 %, two modules, two attempts):

  trainee  organisation  days (P present, L late, A absent, E excused)  module A (scored, 70)  B
  a1       AZ            P P P P P   100 %                               85                    pass
  a2       AZ            P L A A P    60 %  below                        50, then 75           fail
  a3       AZ            P A (withdrawn on day 2)  50 %  below           -                     -
  r1       RU            P P P P E   100 %                               90                    pass
  r2       RU            P P A P P    80 %  (not below: exactly 80)      40, then 60           pass

a1's certificate is reissued (one issued, the old one superseded), r1's is revoked.
A second RU course (another instructor) starts in March and has not ended; a course
in 2022 is outside the period.
"""

import pytest
from sqlalchemy import select

from extensions import db
from models import Certificate, CertificateStatus, Enrolment, Organisation, Role, Trainee
from tests.scenarios.i18n_pages import speaks
from tests.scenarios.reports import (
    EXPECTED_AZ,
    EXPECTED_RU,
    bearer,
    build_scenario,
    report,
    without_id,
)


@pytest.fixture
def scenario(app, accounts, monkeypatch):
    return build_scenario(app, accounts, monkeypatch)


def test_every_figure_of_both_organisations(client, accounts, scenario):
    headers = {"Authorization": f"Bearer {accounts.token(scenario.admin)}"}
    answer = report(client, headers, **{"from": "2021-01-01", "to": "2021-12-31"})
    assert answer.status_code == 200, answer.text
    assert answer.json["from"] == "2021-01-01" and answer.json["to"] == "2021-12-31"
    rows = answer.json["organisations"]
    assert [row["organisation_id"] for row in rows] == [scenario.az, scenario.ru]
    assert without_id(rows[0]) == EXPECTED_AZ
    assert without_id(rows[1]) == EXPECTED_RU


def test_the_period_defaults_to_this_year(client, accounts, scenario):
    answer = report(client, bearer(accounts, scenario.admin))
    assert (answer.json["from"], answer.json["to"]) == ("2021-01-01", "2021-12-31")
    assert [without_id(row) for row in answer.json["organisations"]] == [EXPECTED_AZ, EXPECTED_RU]


def test_courses_outside_the_period_are_not_counted(client, accounts, scenario):
    headers = bearer(accounts, scenario.admin)
    answer = report(client, headers, **{"from": "2022-01-01", "to": "2022-12-31"})
    assert answer.status_code == 200 and answer.json["organisations"] == []
    march = report(client, headers, **{"from": "2021-02-01", "to": "2021-12-31"}).json
    assert [(r["name"], r["courses"], r["enrolled"]) for r in march["organisations"]] == [
        ("МЧС России", 1, 1)
    ]


def test_one_organisation_alone(client, accounts, scenario):
    answer = report(client, bearer(accounts, scenario.admin), organisation_id=scenario.ru)
    assert [without_id(row) for row in answer.json["organisations"]] == [EXPECTED_RU]


def test_an_instructor_sees_only_the_courses_they_teach(client, accounts, scenario):
    mine = report(client, bearer(accounts, scenario.instructor)).json["organisations"]
    assert [without_id(row) for row in mine][0] == EXPECTED_AZ
    assert (mine[1]["courses"], mine[1]["enrolled"], mine[1]["certificates_revoked"]) == (1, 2, 1)
    other = report(client, bearer(accounts, scenario.other)).json["organisations"]
    assert [(r["name"], r["courses"], r["enrolled"], r["modules"]) for r in other] == [
        ("МЧС России", 1, 1, [])
    ]


def test_the_report_page_tells_an_instructor_only_their_courses_count(
    app, client, accounts, scenario
):
    query = "/reports/organisations?from=2021-01-01&to=2021-12-31"
    accounts.login(scenario.instructor)
    assert "Only the courses you teach are counted." in client.get(query).text
    admin = app.test_client()
    accounts.login(scenario.admin, client=admin)
    assert "Only the courses you teach are counted." not in admin.get(query).text


def test_a_trainee_may_not_read_the_report(client, accounts, scenario):
    answer = report(client, accounts.bearer(Role.TRAINEE))
    assert answer.status_code == 403 and answer.json["error"]["code"] == "forbidden"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2021-12-31", "to": "2021-01-01"}, "to"),
        ({"from": "31.12.2021"}, "from"),
        ({"organisation_id": "999999"}, "organisation_id"),
        ({"organisation_id": "x"}, "organisation_id"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_questions_are_refused_with_the_field(client, accounts, scenario, query, field):
    answer = report(client, bearer(accounts, scenario.admin), **query)
    assert answer.status_code == 422, answer.text
    error = answer.json["error"]
    assert error["code"] == "validation_error" and field in error["fields"]


def test_a_certificate_waiting_for_approval_is_counted_as_pending(app, client, accounts, scenario):
    with app.app_context():
        certificate = db.session.scalars(
            select(Certificate)
            .join(Enrolment, Enrolment.id == Certificate.enrolment_id)
            .join(Trainee, Trainee.id == Enrolment.trainee_id)
            .where(
                Trainee.organisation_id == scenario.az,
                Certificate.status == CertificateStatus.VALID,
            )
        ).first()
        certificate.status = CertificateStatus.PENDING_APPROVAL
        db.session.commit()
    headers = {"Authorization": f"Bearer {accounts.token(scenario.admin)}"}
    answer = report(client, headers, **{"from": "2021-01-01", "to": "2021-12-31"})
    az, ru = answer.json["organisations"]
    assert az["certificates_pending"] == 1 and ru["certificates_pending"] == 0


def test_the_page_lists_the_ministries_in_the_readers_alphabetical_order(
    app, client, accounts, scenario
):
    """The API keeps the English names' order; a page is read in its own language."""
    names = {
        scenario.az: ("Ministry of Emergency Situations of Azerbaijan", {"az": "Azərbaycan FHN"}),
        scenario.ru: ("EMERCOM of Russia", {"az": "Rusiya FHN", "ru": "МЧС России"}),
    }
    with app.app_context():
        for organisation_id, (english, translated) in names.items():
            organisation = db.session.get(Organisation, organisation_id)
            organisation.name, organisation.name_i18n = english, translated
        db.session.commit()
    query = "/reports/organisations?from=2021-01-01&to=2021-12-31"
    english = app.test_client()
    accounts.login(scenario.admin, client=english)
    page = english.get(query).text
    assert page.index("EMERCOM of Russia") < page.index("Ministry of Emergency Situations")
    speaks(app, scenario.admin, "az")
    page = english.get(query).text
    assert page.index("Azərbaycan FHN") < page.index("Rusiya FHN")
