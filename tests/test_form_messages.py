"""The forms' own refusals (a field left empty, a number out of range) in the reader's
language: WTForms has no Azerbaijani catalogue, so these come from the application's."""

import re

import pytest
from sqlalchemy import select

from extensions import db
from models import Course, Programme, Trainee
from models.account import Role
from tests.conftest import post_form
from tests.factories import make_organisation, make_programme
from tests.scenarios.course_pages import COURSE_FORM
from tests.scenarios.i18n_pages import speaks
from tests.scenarios.programme_pages import PROGRAMME_FORM, rows
from tests.scenarios.trainee_pages import TRAINEE_FORM, error_next_to


def shown_next_to(field: str, html: str) -> list[str]:
    """Every message in the field's box of errors."""
    block = re.search(rf'id="{field}-errors">((?:\s*<div>[^<]*</div>)*)', html)
    assert block and block.group(1), f"no message next to {field}"
    return [text.strip() for text in re.findall(r"<div>([^<]*)</div>", block.group(1))]


@pytest.fixture
def admin_in(app, accounts):
    def sign_in(language: str):
        account = accounts.login_as(Role.ADMIN)
        speaks(app, account, language)

    return sign_in


@pytest.mark.parametrize(
    ("language", "change", "field", "message"),
    [
        ("az", {"start_date": ""}, "start_date", "Bu sahə mütləq doldurulmalıdır."),
        ("az", {"capacity": "0"}, "capacity", "Ədəd 1 ilə 10000 arasında olmalıdır."),
        ("az", {"start_date": "11.01.2021"}, "start_date", "Tarix deyil (YYYY-MM-DD)."),
        ("ru", {"start_date": ""}, "start_date", "Это поле обязательно."),
        ("ru", {"capacity": "0"}, "capacity", "Число должно быть от 1 до 10000."),
        ("ru", {"capacity": "many"}, "capacity", "Не целое число."),
        ("en", {"capacity": "many"}, "capacity", "Not a valid integer value."),
    ],
)
def test_course_form_refusals_are_in_the_readers_language(
    app, client, admin_in, language, change, field, message
):
    programme_id = make_programme(app)
    admin_in(language)
    form = {**COURSE_FORM, "programme_id": str(programme_id), **change}
    response = post_form(client, "/courses/new", form)
    assert response.status_code == 422
    said = shown_next_to(field, response.text)
    assert message in said
    assert len(said) == 1  # a word for a number is not also "out of range"
    with app.app_context():
        assert db.session.scalar(select(Course)) is None


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("ru", "Поле должно содержать не более 30 символов."),
        ("az", "Sahədə ən çoxu 30 simvol ola bilər."),
    ],
)
def test_a_module_rows_refusal_is_in_the_readers_language(app, client, admin_in, language, message):

    admin_in(language)
    form = {**PROGRAMME_FORM, **rows(("M" * 31, 8, "theory", 70, ""))}
    response = post_form(client, "/programmes/new", form)
    assert response.status_code == 422
    assert message in response.text
    with app.app_context():
        assert db.session.scalar(select(Programme)) is None


def test_a_wrong_e_mail_is_said_in_the_readers_language(app, client, admin_in):
    """The e-mail library's reasons are English only ("must have an @-sign")."""

    organisation_id = make_organisation(app, code="AZ-MES")
    admin_in("az")
    form = {**TRAINEE_FORM, "organisation_id": str(organisation_id), "email": "a.example.org"}
    response = post_form(client, "/trainees/new", form)
    assert response.status_code == 422
    said = error_next_to(response.text, "email")
    assert "Düzgün e-poçt ünvanı deyil: onu name@example.org şəklində yazın." in said
    with app.app_context():
        assert db.session.scalar(select(Trainee)) is None
