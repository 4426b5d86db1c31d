"""Pages in the reader's language: records' texts translated, and a fallback said aloud;
forms that take English, Azerbaijani and Russian side by side."""

import pytest
from sqlalchemy import select

from extensions import db
from models import Course, Organisation, Programme, Role, User
from tests.conftest import post_form
from tests.factories import make_course, make_organisation, make_programme
from tests.scenarios.i18n_pages import speaks

FALLBACK_RU = "перевода нет: показано на английском"


@pytest.fixture
def course_id(app):
    make_organisation(app, "AZ-MES", "AZ", "az")
    programme_id = make_programme(
        app, title_i18n={"az": "Humanitar minatəmizləmə", "ru": "Гуманитарное разминирование"}
    )
    return make_course(
        app,
        programme_id,
        title="Joint course",
        title_i18n={"ru": "Совместный курс"},
        location="Aghdam",
        location_i18n={"az": "Ağdam"},  # no Russian: the Russian page says so
    )


def reader(app, accounts, language: str) -> None:
    account = accounts.login_as(Role.ADMIN)
    speaks(app, account, language)


def test_course_page_speaks_the_readers_language(app, client, accounts, course_id):
    reader(app, accounts, "ru")
    page = client.get(f"/courses/{course_id}")
    assert page.status_code == 200
    assert "Совместный курс" in page.text and "Гуманитарное разминирование" in page.text
    assert f'Aghdam <span class="small text-muted fst-italic" lang="en">({FALLBACK_RU})' in (
        page.text
    )
    assert "Joint course" not in page.text.split("<main")[1]


def test_english_readers_see_english_without_a_note(app, client, accounts, course_id):
    reader(app, accounts, "en")
    page = client.get(f"/courses/{course_id}").text
    assert "Joint course" in page and "Aghdam" in page
    assert "shown in English" not in page


def test_programme_list_escapes_and_translates(app, client, accounts, course_id):
    reader(app, accounts, "az")
    page = client.get("/programmes").text
    assert "Humanitar minatəmizləmə" in page
    assert "&lt;span" not in page  # the fallback note is markup, not text


def test_course_form_saves_three_languages_side_by_side(app, client, accounts, course_id):
    accounts.login_as(Role.ADMIN)
    url = f"/courses/{course_id}/edit"
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="title_i18n-az"' in form.text and 'name="location_i18n-ru"' in form.text
    assert "Empty: the English text is shown." in form.text
    with app.app_context():
        course = db.session.get(Course, course_id)
        values = {
            "version": course.version,
            "programme_id": course.programme_id,
            "code": course.code,
            "title": "Joint course",
            "title_i18n-az": "Birgə kurs",
            "title_i18n-ru": "Совместный курс",
            "start_date": course.start_date.isoformat(),
            "location": "Aghdam",
            "location_i18n-az": "Ağdam",
            "location_i18n-ru": "Агдам",
            "capacity": course.capacity,
            "holidays": "",
        }
    response = post_form(client, url, values, form_page=url)
    assert response.status_code == 302, response.text
    with app.app_context():
        course = db.session.get(Course, course_id)
        assert course.title_i18n == {"az": "Birgə kurs", "ru": "Совместный курс"}
        assert course.location_i18n == {"az": "Ağdam", "ru": "Агдам"}


def test_organisation_form_keeps_the_name_in_three_languages(app, client, accounts):
    accounts.login_as(Role.ADMIN)
    values = {
        "version": 0,
        "code": "RU-MCHS",
        "name": "EMERCOM of Russia",
        "name_i18n-az": "",
        "name_i18n-ru": "МЧС России",
        "country": "RU",
        "language": "ru",
    }
    response = post_form(client, "/organisations/new", values, form_page="/organisations/new")
    assert response.status_code == 302, response.text
    with app.app_context():
        organisation = db.session.scalar(select(Organisation))
        assert organisation.name_i18n == {"ru": "МЧС России"}
    too_long = {**values, "code": "X-1", "name_i18n-az": "ə" * 201}
    refused = post_form(client, "/organisations/new", too_long, form_page="/organisations/new")
    assert refused.status_code == 422
    assert "At most 200 characters in each language." in refused.text


def test_programme_form_sets_approvals_and_the_eod_level(app, client, accounts):
    accounts.login_as(Role.ADMIN)
    programme_id = make_programme(app)
    url = f"/programmes/{programme_id}"
    page = client.get(url)
    assert 'name="certificate_approvals"' in page.text and 'name="eod_level"' in page.text
    with app.app_context():
        programme = db.session.get(Programme, programme_id)
        values = {
            "version": programme.version,
            "code": programme.code,
            "title": programme.title,
            "title_i18n-ru": "Программа",
            "qualification": "EOD Level 3+",
            "qualification_i18n-az": "EOD 3+",
            "certificate_approvals": "each_organisation",
            "eod_level": "3+",
            "eod_modules": "IEDD\n\nUnderwater EOD\n",
            "duration_days": programme.duration_days,
            "attendance_threshold": programme.attendance_threshold,
            "max_attempts": programme.max_attempts,
            "validity_months": programme.validity_months,
            "hours_per_day": programme.hours_per_day,
            "rest_weekdays": ["6"],
        }
        for index, module in enumerate(programme.modules):
            values |= {
                f"modules-{index}-position": module.position,
                f"modules-{index}-code": module.code,
                f"modules-{index}-title": module.title,
                f"modules-{index}-title_i18n-az": f"Modul {module.code}",
                f"modules-{index}-hours": module.hours,
                f"modules-{index}-kind": module.kind,
                f"modules-{index}-pass_mark": module.pass_mark,
                f"modules-{index}-mandatory": "y",
            }
    response = post_form(client, url, values, form_page=url)
    assert response.status_code == 302, response.text
    with app.app_context():
        programme = db.session.get(Programme, programme_id)
        assert programme.certificate_approvals == "each_organisation"
        assert (programme.eod_level, programme.eod_modules) == ("3+", ["IEDD", "Underwater EOD"])
        assert programme.title_i18n == {"ru": "Программа"}
        assert programme.modules[0].title_i18n == {"az": "Modul M1"}
        values["version"] = programme.version
    refused = post_form(client, url, {**values, "eod_level": "2"}, form_page=url)
    assert refused.status_code == 422
    assert "Only an EOD 3+ qualification lists its modules." in refused.text


def test_account_form_makes_an_approver(app, client, accounts):
    accounts.login_as(Role.ADMIN)
    organisation_id = make_organisation(app, "AZ-MES", "AZ", "az")
    values = {
        "email": "signer@example.org",
        "full_name": "Həsənov Elçin",
        "role": "instructor",
        "password": "a long enough password",
        "organisation_id": "",
        "position": "",
        "rank": "",
        "approver": "y",
    }
    refused = post_form(client, "/users/new", values, form_page="/users/new")
    assert refused.status_code == 422
    assert "An approver approves for an organisation: choose it." in refused.text
    values |= {"organisation_id": str(organisation_id), "position": "Head of training"}
    response = post_form(client, "/users/new", values, form_page="/users/new")
    assert response.status_code == 302, response.text
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "signer@example.org"))
        assert (user.approver, user.organisation_id, user.position) == (
            True,
            organisation_id,
            "Head of training",
        )


def test_module_and_course_titles_speak_russian_wherever_they_are_shown(
    app, client, accounts, monkeypatch
):
    from models import Module
    from tests.factories import freeze
    from tests.scenarios.results_api import make_setup
    from tests.scenarios.results_pages import NAMES, TODAY, record

    freeze(monkeypatch, TODAY)
    setup = make_setup(app, accounts, names=NAMES, title="Joint course")
    with app.app_context():
        course = db.session.get(Course, setup.id)
        course.title_i18n = {"ru": "Совместный курс"}
        for module in db.session.scalars(
            select(Module).where(Module.programme_id == course.programme_id)
        ):
            module.title_i18n = {"ru": f"Модуль по-русски {module.code}"}
        db.session.get(User, setup.instructor["id"]).language = "ru"
        db.session.commit()
    record(app, setup, "T1", {0: 40})
    accounts.login(setup.instructor)
    matrix = client.get(f"/courses/{setup.id}/results").text
    assert 'title="Модуль по-русски T1"' in matrix and "Совместный курс" in matrix
    own = client.get(f"/enrolments/{setup.enrolled[0]}/results").text
    assert "Модуль по-русски P1" in own and "Module P1" not in own
    group = client.get(f"/courses/{setup.id}/results/T1").text
    assert "T1 · Модуль по-русски T1" in group
    home = client.get("/instructor").text
    assert "Совместный курс" in home and "Joint course" not in home.split("<main")[1]
    trainee = accounts.make(Role.TRAINEE, trainee_id=setup.trainees[0])
    speaks(app, trainee, "ru")
    phone = app.test_client()
    accounts.login(trainee, client=phone)
    dashboard = phone.get("/me").text
    assert "T1 · Модуль по-русски T1" in dashboard
    missing = dashboard.split('data-testid="missing"')[1].split("</ul>")[0]
    assert "Модуль по-русски P1" in missing and "Module P1" not in missing
