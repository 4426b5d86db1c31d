"""The trainee registry API: adding, finding, changing trainees; trainees' accounts."""

import io

import pytest
from sqlalchemy import func, select

from extensions import db
from models.account import Role, User
from models.trainee import Trainee
from tests.conftest import PASSWORD
from tests.factories import freeze, make_organisation
from tests.scenarios.api_base import error_of
from tests.scenarios.trainees_api import TRAINEES, post


@pytest.fixture
def admin(accounts):
    return accounts.bearer(Role.ADMIN)


@pytest.fixture
def orgs(app):
    """The two ministries: {code: id}."""
    return {
        "AZ-MES": make_organisation(app, "AZ-MES"),
        "RU-EMERCOM": make_organisation(app, "RU-EMERCOM", country="RU", language="ru"),
    }


def stored(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.execute(
            select(Trainee.personal_number, Trainee.full_name_latin, Trainee.email).order_by(
                Trainee.id
            )
        )
        return [tuple(row) for row in rows]


# --- adding -----------------------------------------------------------------------

NAMES = {
    "cyrillic": ("Алексей Смирнов", "", "Aleksei Smirnov"),
    "cyrillic-ё-щ": ("Пётр  Щукин", "", "Petr Shchukin"),
    "azerbaijani": ("Əli Məmmədov", "", "Əli Məmmədov"),
    "passport-spelling": ("Алексей Смирнов", "Alexey Smirnov", "Alexey Smirnov"),
}


@pytest.mark.parametrize("case", NAMES)
def test_trainee_created_with_latin_name(app, client, admin, orgs, case):
    full_name, given, latin = NAMES[case]
    response = post(client, admin, orgs["RU-EMERCOM"], full_name=full_name, full_name_latin=given)
    assert response.status_code == 201, response.text
    body = response.json
    assert body["full_name_latin"] == latin
    assert body["organisation_code"] == "RU-EMERCOM" and body["version"] == 1
    assert body["date_of_birth"] == "1990-03-14"
    assert body["medical_clearance_until"] == "2030-01-01"
    assert client.get(f"{TRAINEES}/{body['id']}", headers=admin).json == body
    assert stored(app) == [("RU-0042", latin, "smirnov@example.org")]


def test_personal_number_unique_within_its_organisation(app, client, admin, orgs):
    assert post(client, admin, orgs["RU-EMERCOM"]).status_code == 201
    again = post(client, admin, orgs["RU-EMERCOM"], email="other@example.org")
    message = "This organisation already has a trainee with this personal number."
    assert error_of(again, 409, "conflict")["fields"]["personal_number"] == [message]
    elsewhere = post(client, admin, orgs["AZ-MES"], email="other@example.org")
    assert elsewhere.status_code == 201, elsewhere.text
    assert [row[0] for row in stored(app)] == ["RU-0042", "RU-0042"]


def test_email_unique_across_the_registry(app, client, admin, orgs):
    assert post(client, admin, orgs["RU-EMERCOM"]).status_code == 201
    again = post(client, admin, orgs["AZ-MES"], personal_number="AZ-1", email="SMIRNOV@example.org")
    assert error_of(again, 409, "conflict")["fields"]["email"] == [
        "Another trainee has this e-mail."
    ]
    assert len(stored(app)) == 1


INVALID = {
    "no-such-day": ({"date_of_birth": "1990-02-30"}, "date_of_birth", "Not a valid date."),
    "born-later": ({"date_of_birth": "2021-06-01"}, "date_of_birth", "Enter a real date of birth."),
    "clearance": ({"medical_clearance_until": "2030-13-01"}, "medical_clearance_until", None),
    "clearance-year": ({"medical_clearance_until": "1930-01-01"}, "medical_clearance_until", None),
    "organisation": ({"organisation_id": 9999}, "organisation_id", "Choose an organisation."),
    "name": ({"full_name": ""}, "full_name", None),
    "email": ({"email": "not-an-address"}, "email", None),
}


@pytest.mark.parametrize("case", INVALID)
def test_invalid_trainee_is_422_and_not_saved(app, client, admin, orgs, monkeypatch, case):
    freeze(monkeypatch, 2021, 1, 11, 9, 0)
    change, field, message = INVALID[case]
    change = dict(change)
    response = post(client, admin, change.pop("organisation_id", orgs["AZ-MES"]), **change)
    error = error_of(response, 422, "validation_error")
    assert field in error["fields"]
    if message:
        assert error["fields"][field] == [message]
    assert stored(app) == []


# --- finding ----------------------------------------------------------------------


@pytest.fixture
def registry(client, admin, orgs):
    """Four trainees of both ministries; {personal number: id}."""
    people = [
        (orgs["RU-EMERCOM"], "RU-0042", "Алексей Смирнов"),
        (orgs["RU-EMERCOM"], "RU-0043", "Мария Смирнова"),
        (orgs["AZ-MES"], "AZ-0007", "Əli Məmmədov"),
        (orgs["AZ-MES"], "AZ-0008", "Elçin Quliyev"),
    ]
    ids = {}
    for organisation_id, number, name in people:
        response = post(
            client, admin, organisation_id, personal_number=number, full_name=name, email=None
        )
        assert response.status_code == 201, response.text
        ids[number] = response.json["id"]
    return ids


def found(client, headers, query: str) -> list[str]:
    response = client.get(f"{TRAINEES}?{query}", headers=headers)
    assert response.status_code == 200, response.text
    assert response.json["total"] == len(response.json["items"])
    return sorted(item["personal_number"] for item in response.json["items"])


SEARCHES = {
    "q=смирнов": ["RU-0042", "RU-0043"],  # lower case finds the capitalised Cyrillic name
    "q=СМИРНОВА": ["RU-0043"],
    "q=smirnov": ["RU-0042", "RU-0043"],  # the Latin spelling
    "q=Aleksei smirnov": ["RU-0042"],  # every word must match
    "q=məmməd": ["AZ-0007"],
    "q=az-000": ["AZ-0007", "AZ-0008"],  # the personal number
    "q=RU-0043": ["RU-0043"],
    "q=nobody": [],
}


@pytest.mark.parametrize("query", SEARCHES)
def test_search_by_either_name_or_personal_number(client, admin, registry, query):
    assert found(client, admin, query) == SEARCHES[query]


def test_search_by_organisation(client, admin, orgs, registry):
    assert found(client, admin, f"organisation_id={orgs['AZ-MES']}") == ["AZ-0007", "AZ-0008"]
    both = f"organisation_id={orgs['RU-EMERCOM']}&q=smirnova"
    assert found(client, admin, both) == ["RU-0043"]
    assert found(client, admin, f"organisation_id={orgs['AZ-MES']}&q=smirnov") == []


def test_search_azerbaijani_capital_i(client, admin, orgs):
    body = {"personal_number": "AZ-0009", "full_name": "İlham Əliyev", "email": None}
    assert post(client, admin, orgs["AZ-MES"], **body).status_code == 201
    for query in ("q=ilham", "q=İlham", "q=ƏLİYEV", "q=əliyev"):
        assert found(client, admin, query) == ["AZ-0009"], query


def test_list_is_paginated_in_latin_name_order(client, admin, registry):
    everyone = client.get(TRAINEES, headers=admin).json
    names = [item["full_name_latin"] for item in everyone["items"]]
    # Ə right after E, as in the Azerbaijani alphabet (by code point it came after Z).
    assert names == ["Aleksei Smirnov", "Elçin Quliyev", "Əli Məmmədov", "Mariia Smirnova"]
    pages = [client.get(f"{TRAINEES}?per_page=3&page={n}", headers=admin).json for n in (1, 2, 3)]
    assert [page["total"] for page in pages] == [4, 4, 4]
    assert pages[0]["items"] + pages[1]["items"] == everyone["items"]
    assert pages[2]["items"] == []


def test_azerbaijani_letters_sort_after_their_base_letter_in_every_database(client, admin, orgs):
    """In SQL (the registry is paginated there), on SQLite and PostgreSQL alike."""
    typed = ["Zeynalov Elvin", "Şükürov Elşən", "İsmayılov Orxan", "Ömərov Kamal", "Çələbi Nicat"]
    typed += ["Sadıqov Emin", "Orlov Ivan", "Cəfərov Ramin", "Ivanov Petr", "eyvazov anar"]
    for number, name in enumerate(typed):
        body = {"personal_number": f"AZ-{number}", "full_name": name, "email": None}
        assert post(client, admin, orgs["AZ-MES"], **body).status_code == 201
    listed = client.get(f"{TRAINEES}?per_page=100", headers=admin).json["items"]
    assert [item["full_name_latin"] for item in listed] == [
        "Cəfərov Ramin",
        "Çələbi Nicat",
        "eyvazov anar",  # whatever the case
        "İsmayılov Orxan",
        "Ivanov Petr",
        "Orlov Ivan",
        "Ömərov Kamal",
        "Sadıqov Emin",
        "Şükürov Elşən",
        "Zeynalov Elvin",
    ]


# --- changing ---------------------------------------------------------------------


def test_patch_follows_the_name_and_stale_version_is_409(app, client, admin, orgs):
    trainee = post(client, admin, orgs["RU-EMERCOM"]).json
    url = f"{TRAINEES}/{trainee['id']}"
    changed = client.patch(url, headers=admin, json={"version": 1, "full_name": "Иван Жуков"})
    assert changed.status_code == 200, changed.text
    assert changed.json["full_name_latin"] == "Ivan Zhukov" and changed.json["version"] == 2
    stale = client.patch(url, headers=admin, json={"version": 1, "rank": "mayor"})
    assert error_of(stale, 409, "conflict")["message"] == (
        "Someone else changed this trainee; reload and try again."
    )
    assert client.get(url, headers=admin).json == changed.json


@pytest.mark.parametrize("role", [Role.INSTRUCTOR, Role.TRAINEE])
def test_registry_refused_to_non_admins(app, client, accounts, orgs, role):
    headers = accounts.bearer(role)
    before = stored(app)
    trainee_id = accounts.make(Role.TRAINEE)["trainee_id"]
    error_of(client.get(TRAINEES, headers=headers), 403, "forbidden")
    error_of(client.get(f"{TRAINEES}/{trainee_id}", headers=headers), 403, "forbidden")
    error_of(post(client, headers, orgs["AZ-MES"]), 403, "forbidden")
    patched = client.patch(
        f"{TRAINEES}/{trainee_id}", headers=headers, json={"version": 1, "rank": "general"}
    )
    error_of(patched, 403, "forbidden")
    upload = {"file": (io.BytesIO(b"organisation_code\n"), "t.csv")}
    error_of(client.post(f"{TRAINEES}/import", headers=headers, data=upload), 403, "forbidden")
    assert len(stored(app)) == len(before) + 1  # only the account's own record
    error_of(client.get(TRAINEES), 401, "unauthorized")


# --- trainees' accounts -----------------------------------------------------------


def post_user(client, headers, **changes):
    body = {
        "email": "smirnov@example.org",
        "password": PASSWORD,
        "role": "trainee",
        "full_name": "Алексей Смирнов",
        **changes,
    }
    return client.post("/api/v1/users", headers=headers, json=body)


def trainee_accounts(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.execute(
            select(User.email, User.trainee_id).where(User.role == Role.TRAINEE).order_by(User.id)
        )
        return [tuple(row) for row in rows]


def test_trainee_account_belongs_to_one_existing_trainee(app, client, admin, orgs):
    trainee_id = post(client, admin, orgs["RU-EMERCOM"]).json["id"]
    missing = error_of(post_user(client, admin), 422, "validation_error")
    assert missing["fields"]["trainee_id"] == ["A trainee's account belongs to a trainee record."]
    unknown = error_of(
        post_user(client, admin, trainee_id=trainee_id + 100), 422, "validation_error"
    )
    assert unknown["fields"]["trainee_id"] == ["There is no trainee record with this number."]
    assert trainee_accounts(app) == []

    created = post_user(client, admin, trainee_id=trainee_id)
    assert created.status_code == 201, created.text
    assert created.json["trainee_id"] == trainee_id and created.json["role"] == "trainee"
    second = post_user(client, admin, trainee_id=trainee_id, email="alexey@example.org")
    assert error_of(second, 409, "conflict")["fields"]["trainee_id"] == [
        "This trainee already has an account."
    ]
    assert trainee_accounts(app) == [("smirnov@example.org", trainee_id)]
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 2  # the admin and the trainee
