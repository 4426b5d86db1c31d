"""Texts in az and ru beside English, EOD levels, and who signs for an organisation (API)."""

from sqlalchemy import select

from extensions import db
from models import Role, User
from tests.factories import make_organisation, make_programme, module
from tests.scenarios.api_base import error_of

PROGRAMME = {
    "code": "EOD-3P",
    "title": "EOD Level 3+",
    "title_i18n": {"az": "EOD 3+ səviyyəsi", "ru": "Уровень EOD 3+"},
    "qualification": "EOD Level 3+",
    "qualification_i18n": {"ru": "Специалист EOD уровня 3+"},
    "eod_level": "3+",
    "eod_modules": ["Improvised explosive device disposal"],
    "certificate_approvals": "each_organisation",
    "modules": [{**module("A"), "title_i18n": {"az": "Təhlükəsizlik", "ru": "Безопасность"}}],
}


def test_programme_keeps_its_texts_in_three_languages_and_its_eod_level(client, accounts):
    admin = accounts.bearer(Role.ADMIN)
    created = client.post("/api/v1/programmes", headers=admin, json=PROGRAMME)
    assert created.status_code == 201, created.text
    answer = client.get(f"/api/v1/programmes/{created.json['id']}", headers=admin).json
    assert answer["title_i18n"] == {"az": "EOD 3+ səviyyəsi", "ru": "Уровень EOD 3+"}
    assert answer["qualification_i18n"] == {"ru": "Специалист EOD уровня 3+"}
    assert (answer["eod_level"], answer["eod_modules"]) == ("3+", PROGRAMME["eod_modules"])
    assert answer["certificate_approvals"] == "each_organisation"
    assert answer["modules"][0]["title_i18n"] == {"az": "Təhlükəsizlik", "ru": "Безопасность"}


def test_eod_modules_only_with_level_3_plus(client, accounts):
    admin = accounts.bearer(Role.ADMIN)
    body = {**PROGRAMME, "eod_level": "2"}
    error = error_of(
        client.post("/api/v1/programmes", headers=admin, json=body), 422, "validation_error"
    )
    assert "eod_modules" in error["fields"]
    body = {**PROGRAMME, "eod_level": "4"}
    error_of(client.post("/api/v1/programmes", headers=admin, json=body), 422, "validation_error")
    body = {**PROGRAMME, "title_i18n": {"de": "Stufe 3+"}}
    error_of(client.post("/api/v1/programmes", headers=admin, json=body), 422, "validation_error")


def test_course_and_organisation_answer_i18n_even_when_empty(app, client, accounts):
    admin = accounts.bearer(Role.ADMIN)
    body = {"code": "RU-MCHS", "name": "EMERCOM of Russia", "country": "RU", "language": "ru"}
    created = client.post("/api/v1/organisations", headers=admin, json=body).json
    assert created["name_i18n"] == {}
    change = {"version": 1, "name_i18n": {"ru": "МЧС России", "az": " "}}
    changed = client.patch(f"/api/v1/organisations/{created['id']}", headers=admin, json=change)
    assert changed.status_code == 200 and changed.json["name_i18n"] == {"ru": "МЧС России"}
    programme_id = make_programme(app)
    course = {
        "programme_id": programme_id,
        "code": "AGH-9",
        "title": "Joint course",
        "title_i18n": {"az": "Birgə kurs", "ru": "Совместный курс"},
        "start_date": "2031-03-03",
        "location": "Aghdam",
        "location_i18n": {"az": "Ağdam", "ru": "Агдам"},
        "capacity": 10,
    }
    made = client.post("/api/v1/courses", headers=admin, json=course)
    assert made.status_code == 201, made.text
    assert made.json["location_i18n"] == {"az": "Ağdam", "ru": "Агдам"}
    patch = {"version": made.json["version"], "location_i18n": {"az": "Ağdam rayonu"}}
    changed = client.patch(f"/api/v1/courses/{made.json['id']}", headers=admin, json=patch)
    assert changed.status_code == 200, changed.text
    assert changed.json["location_i18n"] == {"az": "Ağdam rayonu"}


def test_accounts_carry_their_signatory_details(app, client, accounts):
    admin = accounts.bearer(Role.ADMIN)
    organisation_id = make_organisation(app, "AZ-FVN", "AZ", "az")
    body = {
        "email": "signer@example.org",
        "password": "a long enough password",
        "role": "instructor",
        "full_name": "Həsənov Elçin",
        "organisation_id": organisation_id,
        "position": "Head of the demining agency",
        "rank": "colonel",
        "approver": True,
    }
    created = client.post("/api/v1/users", headers=admin, json=body)
    assert created.status_code == 201, created.text
    assert {key: created.json[key] for key in ("organisation_id", "position", "rank")} == {
        "organisation_id": organisation_id,
        "position": "Head of the demining agency",
        "rank": "colonel",
    }
    assert created.json["approver"] is True
    url = f"/api/v1/users/{created.json['id']}"
    change = {"version": created.json["version"], "organisation_id": None}
    error = error_of(client.patch(url, headers=admin, json=change), 422, "validation_error")
    assert "approver" in error["fields"]
    change = {"version": created.json["version"], "approver": False, "rank": "general"}
    changed = client.patch(url, headers=admin, json=change)
    assert changed.status_code == 200 and changed.json["approver"] is False
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "signer@example.org"))
        assert (user.approver, user.rank) == (False, "general")
    listed = client.get("/api/v1/users", headers=admin).json["items"]
    assert all("approver" in item and "position" in item for item in listed)


def test_a_trainee_account_is_never_an_approver(app, client, accounts):
    admin = accounts.bearer(Role.ADMIN)
    organisation_id = make_organisation(app, "AZ-FVN", "AZ", "az")
    body = {
        "email": "trainee.signer@example.org",
        "password": "a long enough password",
        "role": "trainee",
        "full_name": "Trainee",
        "trainee_id": None,
        "organisation_id": organisation_id,
        "approver": True,
    }
    error = error_of(
        client.post("/api/v1/users", headers=admin, json=body), 422, "validation_error"
    )
    assert "approver" in error["fields"]
    error_of(
        client.post("/api/v1/users", headers=admin, json={**body, "organisation_id": 999999}),
        422,
        "validation_error",
    )
