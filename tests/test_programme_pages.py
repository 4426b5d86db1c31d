"""Programme and organisation pages through the real forms."""

import pytest
from sqlalchemy import select

from extensions import db
from models import Organisation, Programme
from models.account import Role
from tests.conftest import post_form
from tests.factories import make_course, make_programme
from tests.scenarios.programme_pages import PROGRAMME_FORM, rows


def test_admin_creates_a_programme_with_modules(app, client, accounts):
    accounts.login_as(Role.ADMIN)
    response = post_form(
        client,
        "/programmes/new",
        {
            **PROGRAMME_FORM,
            **rows(("SAFE", 16, "theory", 70, ""), ("DRILL", 24, "practical", None, "SAFE")),
        },
    )
    assert response.status_code == 302
    assert "Programme EOD-2 saved." in client.get(response.headers["Location"]).text
    with app.app_context():
        programme = db.session.scalar(select(Programme).where(Programme.code == "EOD-2"))
        assert [m.code for m in programme.modules] == ["SAFE", "DRILL"]
        assert [p.code for p in programme.modules[1].prerequisites] == ["SAFE"]
        assert programme.rest_weekdays == [6]


@pytest.mark.parametrize(
    ("modules", "message"),
    [
        ((("A", 8, "theory", 70, ""), ("A", 8, "theory", 70, "")), "Module code A is used twice."),
        ((("A", 0, "theory", 70, ""),), "Hours must be more than 0."),
        ((("A", 8, "theory", 101, ""),), "The pass mark must be between 0 and 100."),
        ((("A", 8, "theory", 70, "Z"),), "Z is not a module of this programme."),
        (
            (("A", 8, "theory", 70, "C"), ("B", 8, "theory", 70, "A"), ("C", 8, "theory", 70, "B")),
            "The prerequisites form a cycle: A → C → B → A.",
        ),
        ((("A", 8, "field", 50, ""),), "assessed as pass or fail"),
    ],
    ids=["duplicate", "hours", "pass-mark", "unknown-prerequisite", "cycle", "field-with-mark"],
)
def test_programme_form_names_the_problem(app, client, accounts, modules, message):
    accounts.login_as(Role.ADMIN)
    response = post_form(client, "/programmes/new", {**PROGRAMME_FORM, **rows(*modules)})
    assert response.status_code == 422
    assert message in response.text
    with app.app_context():
        assert db.session.scalar(select(Programme)) is None


def test_programme_form_refuses_seven_rest_days(app, client, accounts):
    accounts.login_as(Role.ADMIN)
    form = {**PROGRAMME_FORM, "rest_weekdays": [str(d) for d in range(7)]}
    response = post_form(client, "/programmes/new", {**form, **rows(("A", 8, "theory", 70, ""))})
    assert response.status_code == 422
    assert "At least one weekday must be a training day." in response.text


def test_programme_change_that_breaks_a_course_plan_is_refused(app, client, accounts):
    programme_id = make_programme(app)
    make_course(app, programme_id)
    accounts.login_as(Role.ADMIN)
    big = rows(*[(f"M{i}", 41, "theory", 70, "") for i in range(1, 9)])
    response = post_form(
        client,
        f"/programmes/{programme_id}",
        {**PROGRAMME_FORM, "code": "EOD-1", "version": "1", **big},
    )
    assert response.status_code == 422
    assert "they need 41 training days, the course has 38" in response.text
    with app.app_context():
        assert len(db.session.get(Programme, programme_id).modules) == 10


@pytest.mark.parametrize(
    ("country", "message"),
    [
        ("XX", "Not an ISO 3166 alpha-2 country code"),
        ("AZE", "Field must be exactly 2 characters long."),
    ],
)
def test_organisation_form_checks_the_country(app, client, accounts, country, message):
    accounts.login_as(Role.ADMIN)
    response = post_form(
        client,
        "/organisations/new",
        {"version": "0", "code": "X", "name": "X", "country": country, "language": "az"},
    )
    assert response.status_code == 422
    assert message in response.text
    with app.app_context():
        assert db.session.scalar(select(Organisation)) is None


def test_admin_adds_an_organisation(app, client, accounts):
    accounts.login_as(Role.ADMIN)
    response = post_form(
        client,
        "/organisations/new",
        {
            "version": "0",
            "code": "RU-EMERCOM",
            "name": "EMERCOM of Russia",
            "country": "ru",
            "language": "ru",
        },
    )
    assert response.status_code == 302
    listing = client.get("/organisations").text
    assert "EMERCOM of Russia" in listing
    assert "Russia (RU)" in listing


@pytest.mark.parametrize(
    "url",
    ["/programmes", "/programmes/new", "/organisations", "/organisations/new", "/courses/new"],
)
def test_instructors_cannot_open_administration_pages(client, accounts, url):
    accounts.login_as(Role.INSTRUCTOR)
    assert client.get(url).status_code == 403
