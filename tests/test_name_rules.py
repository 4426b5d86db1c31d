"""Names that lie are refused everywhere: the API, the form, the import, accounts.

Bidirectional controls turn a printed name around, zero-width and other invisible
characters make two records look alike, and a Cyrillic "а" inside a Latin name
looks right and matches nothing.
"""

import pytest
from sqlalchemy import func, select, text

from core.names import name_problem
from extensions import db
from models import Role, Trainee
from tests.conftest import post_form
from tests.factories import make_organisation
from tests.scenarios.certificates_api import PEOPLE, issue, make_graduates
from tests.scenarios.documents import text_of
from tests.scenarios.import_api import HEADER, csv_bytes, row, upload, xlsx_bytes
from tests.scenarios.trainee_pages import TRAINEE_FORM, error_next_to
from tests.scenarios.trainees_api import post

SPOOFED = {
    "right-to-left override": ("full_name", "Алексей \u202eвонримС", "U+202E"),
    "isolate": ("full_name", "Əli \u2066Məmmədov\u2069", "U+2066"),
    "zero-width space": ("full_name", "Алек\u200bсей Смирнов", "U+200B"),
    "zero-width joiner": ("full_name", "Əli Məm\u200dmədov", "U+200D"),
    "soft hyphen": ("full_name", "Алек\u00adсей Смирнов", "U+00AD"),
    "mixed alphabets": (
        "full_name",
        "Aлексей Смирнов",
        "mixes alphabets (Cyrillic script, Latin script)",
    ),
    "cyrillic in the latin name": (
        "full_name_latin",
        "\u0410l\u0435ks\u0435i Smirnov",
        "Use Latin letters only: А (U+0410), е (U+0435) are not Latin letters.",
    ),
}


def trainees(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Trainee))


@pytest.mark.parametrize("case", SPOOFED)
def test_the_api_refuses_a_spoofed_name(app, client, accounts, case):
    field, value, said = SPOOFED[case]
    organisation = make_organisation(app, "RU-EMERCOM", country="RU", language="ru")
    answer = post(client, accounts.bearer(Role.ADMIN), organisation, **{field: value})
    assert answer.status_code == 422, answer.text
    (message,) = answer.json["error"]["fields"][field]
    assert said in message
    assert trainees(app) == 0


@pytest.mark.parametrize("case", ["right-to-left override", "cyrillic in the latin name"])
def test_the_form_shows_the_refusal_next_to_the_field(app, client, accounts, case):
    field, value, said = SPOOFED[case]
    organisation = make_organisation(app, "RU-EMERCOM", country="RU", language="ru")
    accounts.login_as(Role.ADMIN)
    form = {**TRAINEE_FORM, "organisation_id": str(organisation), field: value}
    page = post_form(client, "/trainees/new", form)
    assert page.status_code == 422
    assert said in error_next_to(page.text, field)
    assert trainees(app) == 0


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_import_refuses_a_spoofed_name_naming_the_row(app, client, accounts, kind):
    make_organisation(app, "AZ-MES")
    rows = [
        row("AZ-MES", "AZ-0001", "leytenant", "Əli Məmmədov", "1990-01-02"),
        row("AZ-MES", "AZ-0002", "leytenant", "Rauf \u202eveyilƏ", "1990-01-02"),
    ]
    content = csv_bytes(rows) if kind == "csv" else xlsx_bytes(rows)
    answer = upload(client, accounts.bearer(Role.ADMIN), content, f"t.{kind}")
    assert answer.status_code == 422, answer.text
    (error,) = answer.json["error"]["errors"]
    assert error["row"] == 3 and error["field"] == "full_name"
    assert "U+202E" in error["message"]
    assert trainees(app) == 0
    assert HEADER[3] == "full_name"


def test_an_account_name_with_a_direction_control_is_refused(app, client, accounts):
    answer = client.post(
        "/api/v1/users",
        headers=accounts.bearer(Role.ADMIN),
        json={
            "email": "new@example.org",
            "password": "a long enough password",
            "role": "instructor",
            "full_name": "Rəşad \u202eQuliyev",
        },
    )
    assert answer.status_code == 422, answer.text
    assert "U+202E" in str(answer.json["error"]["fields"])


@pytest.mark.parametrize(
    "name", ["Əli Məmmədov", "Алексей Смирнов", "Ağa-Rəhim O'Neill", "Пётр Иванов-Сидоров"]
)
def test_real_names_pass(name):
    assert name_problem(name) is None


def test_real_latin_names_pass():
    assert name_problem("Aliyev Ali", latin_only=True) is None
    assert name_problem("Əliyev Əli", latin_only=True) is None  # Ə is a Latin letter


def test_a_name_stored_before_the_rule_reaches_no_export_or_pdf_with_its_controls(
    app, client, accounts, monkeypatch
):
    setup = make_graduates(app, accounts, monkeypatch, people=PEOPLE[:1])
    with app.app_context():  # as an older version of the application let it in
        db.session.execute(
            text("UPDATE trainees SET full_name = :name WHERE id = :id"),
            {"name": "Əliyev \u202eRauf", "id": setup.trainees[0]},
        )
        db.session.commit()
    export = client.get(f"/courses/{setup.course_id}/attendance.csv", headers=setup.headers)
    assert export.status_code == 200
    assert "Əliyev Rauf" in export.text and "\u202e" not in export.text
    certificate = issue(client, setup).json
    pdf = client.get(f"/certificates/{certificate['number']}.pdf", headers=setup.headers)
    assert pdf.status_code == 200
    printed = text_of(pdf.data)
    assert "Əliyev Rauf" in printed and "\u202e" not in printed
