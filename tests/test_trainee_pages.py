"""Trainee registry pages: add, refuse, edit, find, give a login, import a file."""

import html
import io
import re
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from extensions import db
from models import Course
from models.account import Role, User
from models.trainee import Trainee
from tests.conftest import PASSWORD, csrf_token_in, post_form
from tests.factories import make_course, make_organisation, make_programme, make_trainee
from tests.scenarios.trainee_pages import TRAINEE_FORM, error_next_to
from trainees.enrolment import enrol

HEADER = (
    "organisation_code,personal_number,rank,full_name,full_name_latin,"
    "date_of_birth,email,medical_clearance_until\n"
)


def trainee_links(page: str) -> list[str]:
    return re.findall(r'href="/trainees/\d+">([^<]+)</a>', page)


def trainee_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Trainee))


def test_admin_adds_a_trainee_and_the_latin_name_is_filled_in(app, client, accounts):
    organisation_id = make_organisation(app, code="RU-MCHS", country="RU", language="ru")
    accounts.login_as(Role.ADMIN)
    response = post_form(
        client, "/trainees/new", {**TRAINEE_FORM, "organisation_id": str(organisation_id)}
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).text
    assert "Алексей Смирнов saved." in page
    assert "Aleksei Smirnov" in page
    assert "RU-MCHS · Ministry RU-MCHS" in page
    with app.app_context():
        trainee = db.session.scalar(select(Trainee))
        assert trainee.full_name_latin == "Aleksei Smirnov"
        assert trainee.personal_number == "RU-0042"
        assert trainee.email == "a.smirnov@example.org"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"personal_number": "RU-0001"},
            "personal_number",
            "This organisation already has a trainee with this personal number.",
        ),
        ({"email": "smirnov.example.org"}, "email", "write it as name@example.org"),
        ({"email": "taken@example.org"}, "email", "Another trainee has this e-mail."),
        ({"date_of_birth": "2090-01-01"}, "date_of_birth", "Enter a real date of birth."),
        ({"full_name": ""}, "full_name", "This field is required."),
    ],
)
def test_trainee_form_shows_refusals_next_to_the_field(
    app, client, accounts, change, field, message
):
    organisation_id = make_organisation(app, code="RU-MCHS", country="RU", language="ru")
    make_trainee(app, "RU-MCHS", personal_number="RU-0001", email="taken@example.org")
    accounts.login_as(Role.ADMIN)
    response = post_form(
        client,
        "/trainees/new",
        {**TRAINEE_FORM, "organisation_id": str(organisation_id), **change},
    )
    assert response.status_code == 422
    assert message in error_next_to(response.text, field)
    assert trainee_count(app) == 1


def test_stale_edit_changes_nothing(app, client, accounts):
    trainee_id = make_trainee(app, full_name="Алексей Смирнов", rank="лейтенант")
    accounts.login_as(Role.ADMIN)
    url = f"/trainees/{trainee_id}/edit"
    form_page = client.get(url).text
    assert 'name="version" type="hidden" value="1"' in form_page
    with app.app_context():
        trainee = db.session.get(Trainee, trainee_id)
        trainee.rank = "капитан"
        organisation_id = trainee.organisation_id
        db.session.commit()
    response = client.post(
        url,
        data={
            **TRAINEE_FORM,
            "organisation_id": str(organisation_id),
            "rank": "майор",
            "version": "1",
            "csrf_token": csrf_token_in(form_page),
        },
    )
    assert response.status_code == 422
    assert "Someone else changed this trainee; reload and try again." in response.text
    with app.app_context():
        trainee = db.session.get(Trainee, trainee_id)
        assert (trainee.rank, trainee.version) == ("капитан", 2)


def test_search_by_either_spelling_number_and_organisation(app, client, accounts):
    make_trainee(app, "RU-MCHS", personal_number="RU-0042", full_name="Алексей Смирнов")
    az = make_organisation(app, code="AZ-FHN")
    make_trainee(app, "AZ-FHN", personal_number="AZ-7", full_name="Əli Məmmədov")
    make_trainee(app, "AZ-FHN", personal_number="AZ-8", full_name="Rəşad Quliyev")
    accounts.login_as(Role.ADMIN)
    for query, found in [
        ("Смирнов", ["Алексей Смирнов"]),
        ("смирнов", ["Алексей Смирнов"]),
        ("SMIRNOV", ["Алексей Смирнов"]),
        ("məmmədov", ["Əli Məmmədov"]),
        ("az-8", ["Rəşad Quliyev"]),
        ("", ["Алексей Смирнов", "Əli Məmmədov", "Rəşad Quliyev"]),
    ]:
        page = client.get("/trainees", query_string={"q": query}).text
        assert sorted(trainee_links(page)) == sorted(found), query
    page = client.get(f"/trainees?organisation_id={az}").text
    assert sorted(trainee_links(page)) == ["Rəşad Quliyev", "Əli Məmmədov"]
    assert "2 trainees" in page


def test_more_than_fifty_trainees_make_a_second_page(app, client, accounts):
    for index in range(53):
        make_trainee(app, personal_number=f"AZ-{index}", full_name=f"Trainee {index:03d}")
    accounts.login_as(Role.ADMIN)
    first = client.get("/trainees").text
    assert "53 trainees" in first
    assert len(trainee_links(first)) == 50
    assert re.search(r'href="/trainees\?[^"]*page=2">2</a>', first)
    second = client.get("/trainees?page=2").text
    assert trainee_links(second) == ["Trainee 050", "Trainee 051", "Trainee 052"]


def test_admin_creates_a_login_and_the_trainee_signs_in(app, client, accounts):
    trainee_id = make_trainee(app, full_name="Əli Məmmədov", email="ali@example.org")
    accounts.login_as(Role.ADMIN)
    url = f"/trainees/{trainee_id}"
    assert 'value="ali@example.org"' in client.get(url).text
    response = post_form(client, url, {"email": "ali@example.org", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get(url).text
    assert "Əli Məmmədov can now sign in as ali@example.org." in page
    assert "Signs in as ali@example.org." in page

    trainee_client = app.test_client()
    account = {"email": "ali@example.org", "password": PASSWORD}
    signed_in = accounts.login(account, client=trainee_client)
    assert signed_in.headers["Location"] == "/me"
    assert "You are not enrolled in a course yet." in trainee_client.get("/me").text
    course_id = make_course(app, make_programme(app))
    with app.app_context():
        enrol(db.session.get(Course, course_id), trainee_id)
        db.session.commit()
    assert "Course AGH-1" in trainee_client.get("/me").text


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"password": "short"}, "password", "at least 12 characters"),
        ({"email": "admin@example.org"}, "email", "An account with this e-mail already exists."),
    ],
)
def test_login_form_refusals_next_to_the_field(app, client, accounts, values, field, message):
    trainee_id = make_trainee(app)
    accounts.login_as(Role.ADMIN, email="admin@example.org")
    response = post_form(
        client,
        f"/trainees/{trainee_id}",
        {"email": "t@example.org", "password": PASSWORD, **values},
    )
    assert response.status_code == 422
    assert message in error_next_to(response.text, field)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.trainee_id == trainee_id)) is None


def second_login(app, client, accounts):
    trainee_id = make_trainee(app)
    accounts.login_as(Role.ADMIN)
    url = f"/trainees/{trainee_id}"
    stale_page = client.get(url).text  # a second tab, opened before the first login
    post_form(client, url, {"email": "first@example.org", "password": PASSWORD})
    response = client.post(
        url,
        data={
            "email": "second@example.org",
            "password": PASSWORD,
            "csrf_token": csrf_token_in(stale_page),
        },
    )
    with app.app_context():
        emails = db.session.scalars(select(User.email).where(User.trainee_id == trainee_id)).all()
    return response, emails


def test_a_second_login_is_not_created(app, client, accounts):
    response, emails = second_login(app, client, accounts)
    assert emails == ["first@example.org"]
    assert "Signs in as first@example.org." in response.text


def test_a_second_login_is_refused_in_words(app, client, accounts):
    response, _emails = second_login(app, client, accounts)
    assert response.status_code == 409
    assert "This trainee already has an account." in response.text


@pytest.mark.parametrize(
    "query", ["page=99999999999999999999", "organisation_id=99999999999999999999"]
)
def test_a_huge_page_number_is_an_empty_page(app, client, accounts, query):
    make_trainee(app)
    accounts.login_as(Role.ADMIN)
    response = client.get(f"/trainees?{query}")
    assert response.status_code == 200
    assert "No trainee matches." in response.text


@pytest.mark.parametrize("role", [Role.INSTRUCTOR, Role.TRAINEE])
@pytest.mark.parametrize(
    "url",
    ["/trainees", "/trainees/new", "/trainees/{id}", "/trainees/{id}/edit", "/trainees/import"],
)
def test_only_administrators_open_registry_pages(app, client, accounts, role, url):
    trainee_id = make_trainee(app)
    accounts.login_as(role)
    assert client.get(url.format(id=trainee_id)).status_code == 403


def upload(client, filename: str, content: str | bytes):
    data = content.encode() if isinstance(content, str) else content
    page = client.get("/trainees/import")
    return client.post(
        "/trainees/import",
        data={"csrf_token": csrf_token_in(page.text), "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def report_rows(page: str) -> list[tuple[str, str, str]]:
    table = re.search(r'data-testid="import-report">(.*?)</table>', page, re.S)
    assert table, "the page has no report table"
    cells = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td[^>]*>(.*?)</td></tr>", table.group(1))
    return [tuple(html.unescape(cell) for cell in row) for row in cells]


def test_import_with_bad_rows_lists_each_and_imports_nothing(app, client, accounts):
    make_trainee(app, "AZ-FHN", personal_number="AZ-1")
    accounts.login_as(Role.ADMIN)
    response = upload(
        client,
        "trainees.csv",
        HEADER
        + "AZ-FHN,AZ-2,leytenant,Əli Məmmədov,,1990-05-01,ali@example.org,2030-01-01\n"
        + "AZ-FHN,AZ-1,leytenant,Rəşad Quliyev,,1991-02-03,,2030-01-01\n"
        + "XX,X-1,serjant,Иван Петров,,01.02.1990,,2030-01-01\n"
        + "AZ-FHN,AZ-2,leytenant,Vüqar Əliyev,,1992-01-01,ali@example.org,2030-01-01\n",
    )
    assert response.status_code == 422
    assert "Nothing was imported: 5 problems in the file." in response.text
    assert report_rows(response.text) == [
        ("3", "personal_number", "AZ-FHN already has a trainee with this personal number."),
        ("4", "date_of_birth", "01.02.1990 is not a date (YYYY-MM-DD)."),
        ("4", "organisation_code", "No organisation has the code XX. The codes are: AZ-FHN."),
        ("5", "personal_number", "The same personal number is on row 2."),
        ("5", "email", "The same e-mail is on row 2."),
    ]
    assert trainee_count(app) == 1


def test_good_csv_imports_every_row(app, client, accounts):
    make_organisation(app, code="AZ-FHN")
    make_organisation(app, code="RU-MCHS", country="RU", language="ru")
    accounts.login_as(Role.ADMIN)
    response = upload(
        client,
        "trainees.csv",
        "\ufeff"
        + HEADER
        + "AZ-FHN,AZ-2,leytenant,Əli Məmmədov,,1990-05-01,Ali@Example.org,2030-01-01\n"
        + "RU-MCHS,RU-9,сержант,Иван Петров,,1991-02-03,,2030-01-01\n\n",
    )
    assert response.status_code == 302
    assert "2 trainees imported from trainees.csv." in client.get(response.headers["Location"]).text
    with app.app_context():
        imported = {
            t.personal_number: (t.full_name_latin, t.email)
            for t in db.session.scalars(select(Trainee))
        }
    assert imported == {"AZ-2": ("Əli Məmmədov", "ali@example.org"), "RU-9": ("Ivan Petrov", None)}


def test_good_xlsx_imports_every_row(app, client, accounts):
    make_organisation(app, code="AZ-FHN")
    accounts.login_as(Role.ADMIN)
    workbook = Workbook()
    workbook.active.append(HEADER.strip().split(","))
    row = ["AZ-FHN", 1001, "leytenant", "Əli Məmmədov", None, date(1990, 5, 1), None]
    workbook.active.append([*row, date(2030, 1, 1)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(client, "trainees.xlsx", buffer.getvalue())
    assert response.status_code == 302
    assert "1 trainee imported from trainees.xlsx." in client.get(response.headers["Location"]).text
    with app.app_context():
        trainee = db.session.scalar(select(Trainee))
        assert (trainee.personal_number, trainee.date_of_birth) == ("1001", date(1990, 5, 1))
