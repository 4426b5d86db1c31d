"""Attendance pages through the real forms: the day's sheet, the instructor's day, the grid."""

import re
from datetime import date

import pytest

from courses.organisations import create_organisation
from extensions import db
from models import Course
from models.account import Role
from tests.factories import freeze, make_course, make_programme, make_trainee
from tests.scenarios.attendance_api import INSTRUCTOR, TODAY, enrol_all, make_setup, stored
from tests.scenarios.attendance_pages import form_of, save
from trainees.enrolment import enrol
from trainees.registry import create_trainee

SHEET = "/courses/{}/attendance/2021-01-13"


def rows_of(html: str) -> dict[str, tuple[str, str, str]]:
    """{Latin name: (row classes, rate shown, row text)} of the grid."""
    pattern = r'<tr class="([^"]*)" data-trainee="([^"]*)">(.*?)</tr>'
    rows = {}
    for classes, name, body in re.findall(pattern, html, re.DOTALL):
        rate = re.search(r'data-testid="rate">([^<]*)<', body).group(1)
        rows[name] = (classes, rate, re.sub(r"<[^>]+>", " ", body))
    return rows


@pytest.fixture
def setup(app, accounts, monkeypatch):
    freeze(monkeypatch, TODAY)
    return make_setup(app, accounts)


@pytest.fixture
def instructor(client, accounts, setup):
    response = accounts.login(setup.instructor)
    assert response.status_code == 302
    return setup.instructor


def test_sheet_saves_through_the_form_with_everyone_present_by_default(
    app, client, setup, instructor
):
    a, b = setup.trainees
    page = client.get(SHEET.format(setup.id))
    assert page.status_code == 200
    assert "Not recorded yet. Everyone is present unless you mark otherwise." in page.text
    assert "Save the sheet (2 trainees)" in page.text
    assert form_of(page.text)[f"status-{a}"] == "present" == form_of(page.text)[f"status-{b}"]
    sent = form_of(page.text, **{f"status-{b}": "absent", f"note-{b}": "Fever"})
    response = client.post(SHEET.format(setup.id), data=sent)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/courses/{setup.id}/attendance#day-{TODAY}"
    assert "Attendance for Jan 13, 2021 is saved." in client.get(response.headers["Location"]).text
    assert stored(app, setup.id, TODAY) == {a: ("present", ""), b: ("absent", "Fever")}
    again = client.get(SHEET.format(setup.id)).text
    assert f"Recorded by {INSTRUCTOR}" in again
    assert form_of(again)[f"status-{b}"] == "absent" and form_of(again)["version"] == "1"


def test_sheet_form_refuses_a_forged_status_and_saves_nothing(app, client, setup, instructor):
    a, b = setup.trainees
    page = client.get(SHEET.format(setup.id))
    response = client.post(SHEET.format(setup.id), data=form_of(page.text, **{f"status-{b}": "x"}))
    assert response.status_code == 422
    assert "Nothing was saved: some records are not right." in response.text
    assert "Choose present, late, absent or excused." in response.text
    assert stored(app, setup.id, TODAY) == {}


def test_sheet_without_csrf_token_saves_nothing(app, client, setup, instructor):
    page = client.get(SHEET.format(setup.id))
    response = client.post(SHEET.format(setup.id), data=form_of(page.text, csrf_token=""))
    assert response.status_code == 400
    assert "If you were sending a form, it may have expired" in response.text
    assert stored(app, setup.id, TODAY) == {}


def conflicting_save(app, client, accounts, setup):
    """The instructor opens the sheet; an administrator saves it first."""
    a, b = setup.trainees
    mine = client.get(SHEET.format(setup.id)).text
    other = app.test_client()
    accounts.login(accounts.make(Role.ADMIN, full_name="Aynur Məmmədova"), client=other)
    theirs = other.get(SHEET.format(setup.id)).text
    sent = form_of(theirs, **{f"status-{a}": "excused", f"note-{a}": "Called to HQ"})
    assert other.post(SHEET.format(setup.id), data=sent).status_code == 302
    return client.post(SHEET.format(setup.id), data=form_of(mine, **{f"status-{b}": "late"}))


def test_conflicting_save_names_the_other_person_and_keeps_their_records(
    app, client, accounts, setup, instructor
):
    a, b = setup.trainees
    response = conflicting_save(app, client, accounts, setup)
    assert response.status_code == 409
    assert "Aynur Məmmədova saved this sheet after you opened it. Nothing was saved" in (
        response.text
    )
    shown = form_of(response.text)
    assert shown[f"status-{a}"] == "excused" and shown[f"note-{a}"] == "Called to HQ"
    assert shown[f"status-{b}"] == "present"
    assert stored(app, setup.id, TODAY) == {a: ("excused", "Called to HQ"), b: ("present", "")}


def test_after_a_conflict_the_page_as_shown_can_be_saved(app, client, accounts, setup, instructor):
    """Found while writing these tests (the 409 page kept the stale version); fixed."""
    a, b = setup.trainees
    shown = conflicting_save(app, client, accounts, setup).text
    response = client.post(SHEET.format(setup.id), data=form_of(shown, **{f"status-{b}": "late"}))
    assert response.status_code == 302
    assert stored(app, setup.id, TODAY) == {a: ("excused", "Called to HQ"), b: ("late", "")}


def test_past_the_window_only_an_administrator_corrects_with_a_reason(
    app, client, accounts, setup, monkeypatch
):
    a, b = setup.trainees
    save(app, setup.id, setup.instructor, TODAY, {a: "present", b: "present"})
    freeze(monkeypatch, date(2021, 1, 22))  # 2021-01-13 is now 9 days old
    accounts.login(setup.instructor)
    page = client.get(SHEET.format(setup.id)).text
    assert "only an administrator can change it." in page and "Save the sheet" not in page
    response = client.post(SHEET.format(setup.id), data=form_of(page))
    assert response.status_code == 403
    assert "Sheets older than 7 days are corrected by an administrator only." in response.text
    admin = app.test_client()
    accounts.login(accounts.make(Role.ADMIN, full_name="Aynur Məmmədova"), client=admin)
    page = admin.get(SHEET.format(setup.id)).text
    assert "Why is this old sheet changed?" in page
    sent = form_of(page, **{f"status-{b}": "absent"})
    response = admin.post(SHEET.format(setup.id), data=sent)
    assert response.status_code == 422
    assert "Say why a sheet older than 7 days is changed." in response.text
    assert stored(app, setup.id, TODAY) == {a: ("present", ""), b: ("present", "")}
    sent["reason"] = "He left for hospital at 9:00"
    assert admin.post(SHEET.format(setup.id), data=sent).status_code == 302
    assert stored(app, setup.id, TODAY) == {a: ("present", ""), b: ("absent", "")}
    page = admin.get(SHEET.format(setup.id)).text
    assert "Recorded by Aynur Məmmədova" in page
    assert "Last correction: He left for hospital at 9:00" in page


def test_a_too_long_reason_is_said_by_its_field_and_a_nul_in_a_note_is_dropped(
    app, client, accounts, setup, monkeypatch
):
    """The form did not expire: it was answered "The form expired or came from elsewhere"."""
    a, b = setup.trainees
    save(app, setup.id, setup.instructor, TODAY, {a: "present", b: "present"})
    freeze(monkeypatch, date(2021, 1, 22))
    accounts.login(accounts.make(Role.ADMIN, full_name="Aynur Məmmədova"))
    page = client.get(SHEET.format(setup.id)).text
    sent = form_of(page, **{f"status-{b}": "absent", "reason": "x" * 2001})
    response = client.post(SHEET.format(setup.id), data=sent)
    assert response.status_code == 400
    assert "Nothing was saved: some values are not right." in response.text
    assert "Field cannot be longer than 2000 characters." in response.text
    assert "The form expired" not in response.text
    assert stored(app, setup.id, TODAY) == {a: ("present", ""), b: ("present", "")}
    sent.update(reason="Back from hospital", **{f"note-{b}": "Hospital\x00 visit"})
    assert client.post(SHEET.format(setup.id), data=sent).status_code == 302
    assert stored(app, setup.id, TODAY)[b] == ("absent", "Hospital visit")


def test_a_day_without_a_sheet_says_why(client, setup, instructor):
    response = client.get(f"/courses/{setup.id}/attendance/2021-01-14")
    assert response.status_code == 404
    assert "Jan 14, 2021 is in the future: attendance is taken on the day." in response.text
    # Said as what it is, not as a broken link ("Error 404 / Page not found").
    assert '<h1 class="h3">No attendance sheet for this day</h1>' in response.text
    assert "Page not found" not in response.text and "Error 404" not in response.text


def test_instructors_day_shows_todays_sheet_then_who_recorded_it(client, setup, instructor):
    home = client.get("/instructor")
    assert home.status_code == 200
    assert "Today's attendance is not recorded yet." in home.text
    button = re.search(r'<a class="btn btn-primary btn-lg" href="([^"]+)">([^<]+)</a>', home.text)
    assert button.groups() == (SHEET.format(setup.id), "Take today's attendance")
    page = client.get(button.group(1))
    assert client.post(button.group(1), data=form_of(page.text)).status_code == 302
    home = client.get("/instructor").text
    assert f"Recorded by {INSTRUCTOR} at " in home
    assert "not recorded yet" not in home and "Correct today's attendance" in home


def test_grid_shows_rates_highlights_low_ones_lists_gaps_and_filters(
    app, client, accounts, monkeypatch
):
    freeze(monkeypatch, TODAY)
    setup = make_setup(app, accounts, names=[])
    people = [("Aliyev Rauf", "AZ-MES"), ("Babayev Elchin", "AZ-MES"), ("Orlov Ivan", "RU-MCHS")]
    ids = [make_trainee(app, code, full_name=name, full_name_latin=name) for name, code in people]
    enrol_all(app, setup.id, ids)
    a, b, c = ids
    save(app, setup.id, setup.instructor, date(2021, 1, 11), dict.fromkeys(ids, "present"))
    save(app, setup.id, setup.instructor, date(2021, 1, 12), {a: "late", b: "absent", c: "excused"})
    accounts.login(setup.instructor)
    html = client.get(f"/courses/{setup.id}/attendance").text
    rows = rows_of(html)
    rates = {name: rate for name, (_classes, rate, _text) in rows.items()}
    assert rates == {"Aliyev Rauf": "100.0", "Babayev Elchin": "50.0", "Orlov Ivan": "100.0"}
    assert "below-threshold" in rows["Babayev Elchin"][0]
    assert "below-threshold" not in rows["Aliyev Rauf"][0] + rows["Orlov Ivan"][0]
    assert rows["Babayev Elchin"][2].split()[-2:] == ["✓", "✗"]
    # One cell per training day, in order: the two recorded, then the rest empty.
    cells = re.findall(r'<td class="text-center status-(\w+)"', html.split("</thead>")[1])
    assert len(cells) == 3 * 38 and cells[38:41] == ["present", "absent"] + ["none"]
    totals = html.split("<tfoot>")[1].split("</tfoot>")[0]
    # The last row: present or late each recorded day (the late one counts), empty after.
    assert re.findall(r'<td class="text-center small">(\d*)</td>', totals)[:4] == ["3", "1", "", ""]
    assert "Rows below 90% are highlighted." in html
    gaps = re.search(r'data-testid="unrecorded">(.*?)</p>', html, re.DOTALL).group(1)
    assert re.findall(r">([^<]+)</a>", gaps) == ["Jan 13"]
    only_ru = client.get(f"/courses/{setup.id}/attendance?organisation=RU-MCHS").text
    assert list(rows_of(only_ru)) == ["Orlov Ivan"]


def crowd(app, course_id: int, n: int, organisation: str) -> list[int]:
    """n trainees of a new organisation, enrolled in the course, in one transaction."""
    with app.app_context():
        org = create_organisation(
            {"code": organisation, "name": organisation, "country": "AZ", "language": "az"}
        )
        db.session.flush()
        trainees = [
            create_trainee(
                {
                    "organisation_id": org.id,
                    "personal_number": f"{organisation}-{i}",
                    "rank": "serjant",
                    "full_name": f"Trainee {organisation} {i:03}",
                    "full_name_latin": "",
                    "date_of_birth": date(1995, 5, 17),
                    "email": None,
                    "medical_clearance_until": date(2030, 1, 1),
                }
            )
            for i in range(n)
        ]
        db.session.flush()
        course = db.session.get(Course, course_id)
        for trainee in trainees:
            enrol(course, trainee.id)
        db.session.commit()
        return [trainee.id for trainee in trainees]


def test_sheet_save_and_grid_take_the_same_queries_for_10_or_100_trainees(
    app, client, accounts, monkeypatch, count_queries
):
    freeze(monkeypatch, TODAY)
    instructor = accounts.make(Role.INSTRUCTOR, full_name=INSTRUCTOR)
    programme_id = make_programme(app)
    accounts.login(instructor)
    counts = {}
    for n in (10, 100):
        course_id = make_course(
            app, programme_id, code=f"AGH-{n}", instructor_ids=[instructor["id"]], capacity=150
        )
        ids = crowd(app, course_id, n, f"ORG-{n}")
        sheet = SHEET.format(course_id)
        steps = [
            ("open empty sheet", "get", sheet, None),
            ("first save", "post", sheet, {}),
            ("open saved sheet", "get", sheet, None),
            ("correction", "post", sheet, {f"status-{t}": "late" for t in ids}),
            ("grid", "get", f"/courses/{course_id}/attendance", None),
        ]
        counts[n] = {}
        for name, method, url, changes in steps:
            data = form_of(client.get(url).text, **changes) if method == "post" else None
            with count_queries() as counter:
                response = client.open(url, method=method.upper(), data=data)
            assert response.status_code in (200, 302), (name, response.text)
            counts[n][name] = counter.count
        assert len(stored(app, course_id, TODAY)) == n
        assert {status for status, _note in stored(app, course_id, TODAY).values()} == {"late"}
    assert counts[10] == counts[100]
