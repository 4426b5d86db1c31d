"""The certificate read back as a checkpoint reads it: whole sentences in English and the
holder's language, translated texts, the holder's identity once, both ministries' signatories."""

from datetime import date

import pytest
from sqlalchemy import select

from extensions import db
from models import Organisation, Programme, Trainee
from tests.factories import freeze
from tests.scenarios.certificate_approvals import approve, approver
from tests.scenarios.certificates_api import issue, make_graduates, verify
from tests.scenarios.documents import download, text_of

PEOPLE = [
    ("AZ-MES", "Məmmədov Orxan", "Mammadov Orkhan"),
    ("RU-MCHS", "Смирнов Алексей", "Smirnov Aleksei"),
]
COURSE = {
    "title": "Humanitarian demining",
    "title_i18n": {"az": "Humanitar minatəmizləmə", "ru": "Гуманитарное разминирование"},
    "location": "Aghdam",
    "location_i18n": {"az": "Ağdam", "ru": "Агдам"},
}
NAMES = {
    "AZ-MES": ("Ministry of Emergency Situations", {"az": "Fövqəladə Hallar Nazirliyi"}),
    "RU-MCHS": ("EMERCOM of Russia", {"ru": "МЧС России"}),
}
EXPECTED = {
    "az": [
        "Təsdiq olunur ki,",
        "11 yanvar 2021 – 15 yanvar 2021 tarixlərində keçirilmiş «Humanitar minatəmizləmə» "
        "kursunu (keçirilmə yeri: Ağdam) uğurla bitirmişdir.",
        "İxtisas: EOD 1 səviyyəsi (IMAS 09.30): EOD Level 1",
        # Every label in both languages, the organisation's too.
        "Organisation / Təşkilat: Ministry of Emergency Situations / Fövqəladə Hallar Nazirliyi",
        "M.Y.",
    ],
    "ru": [
        "Настоящим удостоверяется, что",
        "успешно окончил(а) курс «Гуманитарное разминирование», проведённый с 11 января 2021 г. "
        "по 15 января 2021 г. (место проведения: Агдам).",
        "Квалификация: Уровень EOD 1 (IMAS 09.30): EOD Level 1",
        "Organisation / Организация: EMERCOM of Russia / МЧС России",
        "М.П.",
    ],
}


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def approved(app, client, accounts, monkeypatch):
    setup = make_graduates(app, accounts, monkeypatch, people=PEOPLE, **COURSE)
    with app.app_context():
        for organisation in db.session.scalars(select(Organisation)):
            organisation.name, organisation.name_i18n = NAMES[organisation.code]
        for programme in db.session.scalars(select(Programme)):
            programme.certificate_approvals, programme.eod_level = "each_organisation", "1"
        db.session.commit()
    az = approver(app, accounts, "AZ-MES", "Həsənov Elçin")
    ru = approver(app, accounts, "RU-MCHS", "Петров Иван")
    setup.issued = [issue(client, setup, n).json for n in range(2)]
    setup.drafts = [download(client, setup.headers, c["number"]) for c in setup.issued]
    for certificate in setup.issued:
        for headers in (az, ru):
            assert approve(client, headers, certificate["number"]).status_code == 200
    return setup


@pytest.mark.parametrize(("index", "language"), [(0, "az"), (1, "ru")])
def test_each_language_reads_as_a_whole_document(client, approved, index, language):
    data = download(client, approved.headers, approved.issued[index]["number"])
    front = words(text_of(data, 1))
    english = [
        "This is to certify that",
        "has successfully completed the course “Humanitarian demining” held from "
        "January 11, 2021 to January 15, 2021 (place: Aghdam).",
        "Qualification: EOD level 1 (IMAS 09.30): EOD Level 1",
    ]
    for sentence in english + EXPECTED[language]:
        assert sentence in front, sentence
    # Both ministries sign: name, position and rank under the line, and their stamp area.
    for name, position in (
        ("Həsənov Elçin", "Head of demining, AZ-MES"),
        ("Петров Иван", "Head of demining, RU-MCHS"),
    ):
        assert name in front and position in front
    assert "colonel" in front and "DRAFT" not in front
    # Each signs for their ministry named in its own language, under the other's too.
    assert "МЧС России" in front and "Fövqəladə Hallar Nazirliyi" in front


@pytest.mark.parametrize(("index", "language"), [(0, "az"), (1, "ru")])
def test_holder_identity_is_printed_once(app, client, approved, index, language):
    data = download(client, approved.headers, approved.issued[index]["number"])
    _organisation, native, latin = PEOPLE[index]
    with app.app_context():
        trainee = db.session.get(Trainee, approved.trainees[index])
        personal_number, rank = trainee.personal_number, trainee.rank
    for page in (1, 2):
        text = text_of(data, page)
        assert text.count(native) == 1 and text.count(latin) == 1, page
    front = words(text_of(data, 1))
    assert personal_number in front and rank in front
    assert "17.05.1995" in front


def test_a_pending_certificate_prints_as_a_draft_and_verifies_as_not_valid(client, approved):
    draft = words(text_of(approved.drafts[0], 1))
    assert "DRAFT - NOT VALID / LAYİHƏ — ETİBARSIZDIR" in draft  # the holder's language too
    assert "DRAFT - NOT VALID / ПРОЕКТ — НЕДЕЙСТВИТЕЛЬНО" in words(text_of(approved.drafts[1], 1))


def test_pending_verifies_as_not_valid(app, client, accounts, monkeypatch):
    setup = make_graduates(app, accounts, monkeypatch, people=PEOPLE, **COURSE)
    with app.app_context():
        for programme in db.session.scalars(select(Programme)):
            programme.certificate_approvals = "each_organisation"
        db.session.commit()
    code = issue(client, setup).json["verification_code"]
    checked = verify(client, code).json
    assert (checked["valid"], checked["status"]) == (False, "pending_approval")
    page = app.test_client().get(f"/verify/{code}", headers={"Accept-Language": "ru"})
    assert page.status_code == 200  # no account needed
    assert 'data-testid="verdict">НЕДЕЙСТВИТЕЛЬНО<' in page.text
    assert "Пока недействительно: не хватает утверждения — " in page.text
    assert "Действительно до" not in page.text


@pytest.mark.parametrize(
    ("language", "verdict", "label", "day", "sentence"),
    [
        ("az", "GERİ ÇAĞIRILIB", "Geri çağırılma tarixi", "18 yan 2021", "tarixində geri"),
        ("ru", "ОТОЗВАНО", "Дата отзыва", "18 янв. 2021\u202fг.", "Отозвано 18"),
    ],
)
def test_a_revoked_certificate_says_its_date_once_in_each_language(
    app, client, accounts, monkeypatch, language, verdict, label, day, sentence
):
    setup = make_graduates(app, accounts, monkeypatch, people=PEOPLE, **COURSE)
    certificate = issue(client, setup).json
    url = f"/api/v1/certificates/{certificate['number']}/revoke"
    assert client.post(url, headers=setup.headers, json={"reason": "Lost"}).status_code == 200
    page = (
        app.test_client()
        .get(f"/verify/{certificate['verification_code']}", headers={"Accept-Language": language})
        .text
    )
    assert f'data-testid="verdict">{verdict}<' in page
    assert (
        f'{label}</dt><dd class="col-sm-7 text-danger" data-testid="revoked-on">{day}</dd>' in page
    )
    assert sentence not in page  # no second sentence with the same date


def test_revoked_and_expired_say_so_in_red_with_the_date(app, client, accounts, monkeypatch):
    setup = make_graduates(app, accounts, monkeypatch, people=PEOPLE, **COURSE)
    first, second = (issue(client, setup, n).json for n in range(2))
    url = f"/api/v1/certificates/{first['number']}/revoke"
    client.post(url, headers=setup.headers, json={"reason": "Lost clearance"})
    revoked = app.test_client().get(f"/verify/{first['verification_code']}").text
    assert (
        '<p class="text-danger">This certificate was withdrawn. '
        "Its holder is not certified by it.</p>" in revoked
    )
    assert 'data-testid="revoked-on">Jan 18, 2021</dd>' in revoked
    assert revoked.count("Revoked on") == 1  # the date is said once, in its row
    assert "Valid until" not in revoked
    freeze(monkeypatch, date(2024, 1, 19))
    expired = app.test_client().get(f"/verify/{second['verification_code']}").text
    assert '<p class="text-danger">Expired on Jan 18, 2024.</p>' in expired
    assert "Valid until" not in expired
