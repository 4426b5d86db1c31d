"""Results pages: the group form (all or nothing), the matrix, its charts, the trainee's /me."""

import re
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from core.dates import RANGE_MESSAGE
from extensions import db
from models import ModuleResult
from models.account import Role
from tests.conftest import QueryCounter, csrf_token_in, post_form
from tests.factories import freeze, module
from tests.scenarios.progress import take
from tests.scenarios.results_api import make_setup, stored
from tests.scenarios.results_pages import NAMES, TODAY, record
from trainees.charts import pass_rate_chart


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    freeze(monkeypatch, TODAY)


@pytest.fixture
def setup(app, accounts, client):
    setup = make_setup(app, accounts, names=NAMES)
    assert accounts.login(setup.instructor).status_code == 302
    return setup


def row_of(html: str, name: str) -> str:
    return next(row for row in re.findall(r"<tr[ >].*?</tr>", html, re.S) if name in row)


def results_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ModuleResult))


# --- the group form ---------------------------------------------------------------


def test_group_form_records_several_trainees_in_one_post(app, client, setup):
    aliyev, babayev, orlov = setup.enrolled
    url = f"/courses/{setup.id}/results/T1"
    form = {"assessed_on": "2021-01-12", f"result-{aliyev}": "85", f"result-{babayev}": "60"}
    response = post_form(client, url, {**form, f"note-{babayev}": "retake next week"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/courses/{setup.id}/results")
    assert "2 results recorded for T1." in client.get(response.headers["Location"]).text
    assert stored(app, aliyev) == [("T1", 1, 85, True, TODAY)]
    assert stored(app, babayev) == [("T1", 1, 60, False, TODAY)]
    assert stored(app, orlov) == []  # left empty: skipped
    with app.app_context():
        note = db.session.scalar(
            select(ModuleResult.note).where(ModuleResult.enrolment_id == babayev)
        )
        assert note == "retake next week"


def test_one_bad_score_saves_nothing_and_shows_next_to_its_trainee(app, client, setup):
    aliyev, babayev, _orlov = setup.enrolled
    url = f"/courses/{setup.id}/results/T1"
    form = {"assessed_on": "2021-01-12", f"result-{aliyev}": "85", f"result-{babayev}": "150"}
    response = post_form(client, url, form)
    assert response.status_code == 422
    assert "Nothing was saved: some results are not right." in response.text
    babayev_row = row_of(response.text, "Babayev Elçin")
    assert "The score must be between 0 and 100." in babayev_row
    assert 'value="150"' in babayev_row  # what was typed stays
    aliyev_row = row_of(response.text, "Əliyev Rauf")
    assert "invalid-feedback" not in aliyev_row and 'value="85"' in aliyev_row
    assert results_count(app) == 0


def test_a_refused_trainee_saves_nothing_for_the_group(app, client, setup):
    aliyev, babayev, orlov = setup.enrolled
    record(app, setup, "T1", {0: 90, 1: 40})
    record(app, setup, "T1", {1: 45})  # Babayev has used both attempts
    before = results_count(app)
    url = f"/courses/{setup.id}/results/P1"
    form = {f"result-{e}": "pass" for e in (aliyev, babayev, orlov)}
    # Posted as a form opened before T1 was recorded: P1 starts tomorrow, confirmed early.
    response = post_form(client, url, {"assessed_on": "2021-01-12", "early": "yes", **form})
    assert response.status_code == 409
    assert "Nothing was saved: some results are not right." in response.text
    not_offered = response.text.split('data-testid="not-offered"')[1].split("</ul>")[0]
    assert "Babayev Elçin has not passed T1, which P1 requires." in not_offered
    assert "Orlov İvan has not passed T1, which P1 requires." in not_offered
    assert "requires" not in row_of(response.text, "Əliyev Rauf")
    response = post_form(
        client,
        f"/courses/{setup.id}/results/T1",
        {"assessed_on": "2021-01-12", **{f"result-{babayev}": "95", f"result-{orlov}": "75"}},
    )
    assert response.status_code == 409
    assert "Babayev Elçin has used all 2 attempts at T1." in response.text
    assert results_count(app) == before


def test_withdrawn_trainee_is_not_on_the_group_form(app, client, accounts, setup):
    admin = accounts.bearer(Role.ADMIN)
    url = f"/api/v1/enrolments/{setup.enrolled[0]}/withdraw"
    assert client.post(url, headers=admin, json={"reason": "Injured"}).status_code == 200
    page = client.get(f"/courses/{setup.id}/results/T1")
    assert page.status_code == 200
    assert "Əliyev Rauf" not in page.text and "Babayev Elçin" in page.text


def test_a_strange_digit_is_a_refusal_not_a_crash(app, client, setup):
    url = f"/courses/{setup.id}/results/T1"
    response = post_form(
        client, url, {"assessed_on": "2021-01-12", f"result-{setup.enrolled[0]}": "²"}
    )
    assert response.status_code == 422
    assert results_count(app) == 0


def test_results_pages_only_for_the_courses_instructors_and_admins(app, client, accounts):
    setup = make_setup(app, accounts, names=NAMES[:1])
    pages = (f"/courses/{setup.id}/results", f"/courses/{setup.id}/results/T1")
    accounts.login_as(Role.INSTRUCTOR)  # teaches another course, or none
    assert [client.get(url).status_code for url in pages] == [403, 403]
    trainee = app.test_client()
    accounts.login(accounts.make(Role.TRAINEE, trainee_id=setup.trainees[0]), trainee)
    assert [trainee.get(url).status_code for url in pages] == [403, 403]
    own = app.test_client()
    accounts.login(setup.instructor, own)
    assert [own.get(url).status_code for url in pages] == [200, 200]
    assert own.get(f"/courses/{setup.id}/results/X9").status_code == 404


# --- the matrix and its charts ------------------------------------------------------


def test_matrix_shows_latest_results_attempts_and_pass_rates(app, client, setup):
    record(app, setup, "T1", {0: 55, 1: 40, 2: 88}, day=date(2021, 1, 11))
    record(app, setup, "T1", {0: 81, 1: 45})  # Əliyev passes the retake, Babayev fails again
    record(app, setup, "P1", {0: True})
    page = client.get(f"/courses/{setup.id}/results")
    assert page.status_code == 200
    aliyev = row_of(page.text, "Əliyev Rauf")
    assert re.search(r'text-success[^"]*">\s*81<span class="small text-muted">/2</span>', aliyev)
    assert re.search(r'>\s*P<span class="small text-muted">/1</span>', aliyev)
    assert ">2/3</span>" in aliyev  # modules passed
    babayev = row_of(page.text, "Babayev Elçin")
    assert re.search(r'text-danger fw-bold">\s*45<span class="small text-muted">/2</span>', babayev)
    assert "Failed T1 with no attempt left." in babayev
    assert "table-warning" in babayev
    rates = row_of(page.text, '<th scope="row">Pass rate</th>')
    assert re.findall(r"<td[^>]*>([^<]*)</td>", rates)[:3] == ["67%", "100%", ""]
    az = row_of(page.text, "Pass rate, AZ-MES")
    assert re.findall(r"<td[^>]*>([^<]*)</td>", az)[:2] == ["50%", "100%"]
    ru = row_of(page.text, "Pass rate, RU-EMERCOM")
    assert re.findall(r"<td[^>]*>([^<]*)</td>", ru)[:2] == ["100%", ""]


def test_a_withdrawn_trainee_is_greyed_on_the_matrix_and_out_of_its_pass_rates(
    app, client, accounts, setup
):
    record(app, setup, "T1", {0: 90, 1: 40})  # Əliyev passes, Babayev fails
    admin = accounts.bearer(Role.ADMIN)
    url = f"/api/v1/enrolments/{setup.enrolled[1]}/withdraw"
    assert client.post(url, headers=admin, json={"reason": "Injured"}).status_code == 200
    page = client.get(f"/courses/{setup.id}/results")
    assert page.status_code == 200
    babayev = row_of(page.text, "Babayev Elçin")
    assert babayev.startswith('<tr class="text-muted')
    assert not row_of(page.text, "Əliyev Rauf").startswith('<tr class="text-muted')
    rates = row_of(page.text, '<th scope="row">Pass rate</th>')
    assert re.findall(r"<td[^>]*>([^<]*)</td>", rates)[:1] == ["100%"]  # Babayev not counted


def test_charts_are_inline_svg(app, client, setup):
    record(app, setup, "T1", {0: 81, 1: 40, 2: 75})
    take(app, setup, TODAY, {setup.trainees[0]: "present", setup.trainees[1]: "absent"})
    page = client.get(f"/courses/{setup.id}/results").text
    charts = re.findall(r"<svg [^>]*>", page)
    assert len(charts) == 2
    assert all('role="img"' in chart for chart in charts)
    assert (
        'aria-label="Pass rate per module, one bar for each organisation: AZ-MES, RU-EMERCOM."'
        in page
    )
    assert (
        'aria-label="Attendance per training day from Jan 12, 2021 to Jan 12, 2021: the share '
        'of trainees present or late on each recorded day."' in page
    )
    assert "<title>Jan 12, 2021: 50% of the trainees present or late.</title>" in page
    assert "<title>Module T1, RU-EMERCOM: pass rate 100.0%.</title>" in page
    assert ">100.0%</text>" in page


@pytest.mark.parametrize(
    ("language", "attendance", "passed", "label"),
    [
        (
            "ru",
            "12 янв. 2021\u202fг.: присутствовали или опоздали 50\u00a0% слушателей.",
            "Модуль T1, RU-EMERCOM: доля сдавших 100,0\u00a0%.",
            "Доля сдавших по модулям, по одному столбцу на каждую организацию: AZ-MES, RU-EMERCOM.",
        ),
        (
            "az",
            "12 yan 2021: iştirak etmiş və ya gecikmiş kursantların payı 50\u00a0%.",
            "T1 modulu, RU-EMERCOM: keçmə faizi 100,0\u00a0%.",
            "Modullar üzrə keçmə faizi, hər təşkilat üçün bir sütun: AZ-MES, RU-EMERCOM.",
        ),
    ],
)
def test_charts_speak_the_readers_language(app, client, setup, language, attendance, passed, label):
    record(app, setup, "T1", {0: 81, 1: 40, 2: 75})
    take(app, setup, TODAY, {setup.trainees[0]: "present", setup.trainees[1]: "absent"})
    page = client.get(f"/courses/{setup.id}/results", headers={"Accept-Language": language}).text
    assert f"<title>{attendance}</title>" in page
    assert f"<title>{passed}</title>" in page
    assert f'aria-label="{label}"' in page
    assert ">100,0\u00a0%</text>" in page
    assert "Pass rate per module" not in page and "of the trainees" not in page


def test_module_code_is_escaped_in_the_chart_and_the_page(app, client, accounts):
    setup = make_setup(app, accounts, modules=[module("<script>x", hours=8)])
    accounts.login(setup.instructor)
    record(app, setup, "<script>x", {0: 90})
    page = client.get(f"/courses/{setup.id}/results").text
    assert "&lt;script&gt;x" in page and "<script>x" not in page
    with app.test_request_context():
        chart = pass_rate_chart(
            [SimpleNamespace(code='<script>alert("x")</script>')],
            {'<script>alert("x")</script>': {"all": 50.0, "A&B": 50.0}},
            ["A&B"],
        )
    assert "<script" not in chart and "&lt;script&gt;" in chart and "A&amp;B" in chart


def test_the_charts_legend_gives_each_organisation_its_own_line(app):
    """Full names (the report's, in Azerbaijani) drawn side by side ran into each other."""
    names = [
        "Rusiya Fövqəladə Hallar Nazirliyi",
        "Azərbaycan Respublikasının Fövqəladə Hallar Nazirliyi, " + "uzun ad " * 10,
    ]
    with app.test_request_context():
        chart = pass_rate_chart(
            [SimpleNamespace(code="T1")], {"T1": {names[0]: 50.0, names[1]: 100.0}}, names
        )
    legend = re.findall(
        r'<text x="14" y="(\d+)" font-size="10">([^<]*)<title>([^<]*)</title>', chart
    )
    assert [(int(y), said, full) for y, said, full in legend] == [
        (11, names[0], names[0]),
        (25, names[1][:71] + "…", names[1]),
    ]


# --- the trainee's dashboard -------------------------------------------------------


def test_dashboard_shows_progress_attendance_plan_and_what_is_missing(app, client, accounts):
    setup = make_setup(app, accounts, names=NAMES)
    trainee = accounts.make(Role.TRAINEE, trainee_id=setup.trainees[0])
    take(app, setup, date(2021, 1, 11), {setup.trainees[0]: "present"})
    take(app, setup, TODAY, {setup.trainees[0]: "absent"})
    record(app, setup, "F1", {0: True})
    record(app, setup, "T1", {0: 50})
    assert accounts.login(trainee).headers["Location"].endswith("/me")
    page = client.get("/me")
    assert page.status_code == 200
    html = page.text
    assert re.search(r'data-testid="modules-passed">1 / 3<', html)
    assert re.search(r'data-testid="hours-passed">8 / 40<', html)
    assert "Attendance (at least 90% required)" in html
    assert re.search(r'data-testid="attendance-rate">50.0%<', html)
    assert re.search(r"<strong>Today:</strong>\s*T1 · Module T1", html)
    assert re.search(r"<strong>Next \(Jan 13, 2021\):</strong>\s*P1 · Module P1", html)
    missing = re.search(r'<ul class="small" data-testid="missing">(.*?)</ul>', html, re.S)
    # Only what is missing now; the days still ahead are counted apart, not as missing.
    assert re.findall(r"<li>(.*?)</li>", missing.group(1)) == [
        "Module T1 (Module T1) is not passed.",
        "Module P1 (Module P1) is not passed.",
        "Attendance is 50.0%, below the 90% required.",
    ]
    assert re.search(r'data-testid="days-ahead">37 training days still to come.<', html)
    assert "Babayev" not in html  # nobody else's records


# --- a fixed number of queries, whatever the number of trainees -----------------------


def course_of(app, accounts, size: int, number: int):
    names = [(f"Trainee {number}-{i}", f"Trainee {number}-{i}") for i in range(size)]
    names[-1] = (*names[-1], "RU-EMERCOM")
    setup = make_setup(
        app, accounts, names=names, programme={"code": f"EOD-{number}"}, code=f"AGH-{number}"
    )
    take(app, setup, date(2021, 1, 11), dict.fromkeys(setup.trainees, "present"))
    record(app, setup, "T1", dict.fromkeys(range(size), 75), day=date(2021, 1, 11))
    record(app, setup, "F1", dict.fromkeys(range(size), True))
    setup.trainee = accounts.make(Role.TRAINEE, trainee_id=setup.trainees[0])
    return setup


def queries(count_queries, client, url: str, **kwargs) -> int:
    with count_queries() as counter:
        response = client.get(url) if not kwargs else client.post(url, **kwargs)
    assert response.status_code in (200, 302), response.text
    return counter.count


def test_pages_run_a_fixed_number_of_queries(app, client, accounts, count_queries):
    small, large = course_of(app, accounts, 3, 1), course_of(app, accounts, 15, 2)
    accounts.login_as(Role.ADMIN)
    for page in ("/courses/{}/results", "/courses/{}/results/T1", "/courses/{}/results/P1"):
        counts = [queries(count_queries, client, page.format(c.id)) for c in (small, large)]
        assert counts[0] == counts[1], page
    counts = []
    for course in (small, large):
        own = app.test_client()
        accounts.login(course.trainee, own)
        counts.append(queries(count_queries, own, "/me"))
    assert counts[0] == counts[1]


def test_saving_the_group_form_runs_a_fixed_number_of_queries(app, client, accounts, request):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        request.node.add_marker(
            pytest.mark.xfail(
                reason="Known limitation: on SQLite (the embedded default) record_results "
                "sends one INSERT per trainee (session.add per row), so saving the group form "
                "costs one more query per trainee; PostgreSQL batches them",
                strict=True,
            )
        )
    small, large = course_of(app, accounts, 3, 1), course_of(app, accounts, 15, 2)
    accounts.login_as(Role.ADMIN)
    counts = []
    for course in (small, large):
        url = f"/courses/{course.id}/results/P1"  # not assessed yet in course_of
        token = csrf_token_in(client.get(url).text)
        form = {f"result-{enrolment}": "pass" for enrolment in course.enrolled}
        # P1 is ahead in the plan: the form asks to confirm recording it early.
        data = {"csrf_token": token, "assessed_on": "2021-01-12", "early": "yes", **form}
        with QueryCounter(app) as counter:
            assert client.post(url, data=data).status_code == 302
        counts.append(counter.count)
    assert counts[0] == counts[1]


# --- one trainee's page ---------------------------------------------------------------


def trainee_page(setup) -> str:
    return f"/enrolments/{setup.enrolled[0]}/results"


def test_the_trainees_page_records_no_pass_until_one_is_chosen(app, client, setup):
    url = trainee_page(setup)
    page = client.get(url).text
    f1 = row_of(page, "F1 <span")
    assert '<option value="">—</option>' in f1 and "selected" not in f1  # no pass by default
    chosen = {"module": "F1", "assessed_on": "2021-01-12", "early": "yes"}
    answer = post_form(client, url, {**chosen, "result": ""})
    assert answer.status_code == 422
    problem = row_of(answer.text, "F1 <span")
    assert 'data-testid="row-problem"' in problem and "Say whether F1 is passed." in problem
    assert re.search(r'name="early"[^>]* checked>', problem)  # the tick kept, as typed
    assert results_count(app) == 0
    answer = post_form(client, url, {**chosen, "result": "fail"})
    assert answer.status_code == 302
    assert stored_attempts(app, setup.enrolled[0]) == [("F1", 1, None, False)]


def test_a_bad_date_on_the_trainees_page_is_said_beside_it_and_kept_to_its_row(app, client, setup):
    url = trainee_page(setup)
    answer = post_form(
        client, url, {"module": "T1", "result": "80", "assessed_on": "1900-01-01", "note": "x"}
    )
    assert answer.status_code == 422
    t1 = row_of(answer.text, "T1 <span")
    assert 'value="1900-01-01"' in t1 and 'value="80"' in t1 and 'value="x"' in t1
    assert "is-invalid" in t1 and "row-problem" in t1
    assert str(RANGE_MESSAGE) in t1
    assert 'value="2021-01-12"' in row_of(answer.text, "F1 <span")  # not the refused date
    # P1 needs T1, not passed: its row says so rather than offering an attempt.
    assert "has not passed T1, which P1 requires." in row_of(answer.text, "P1 <span")
    assert results_count(app) == 0


def test_the_trainees_page_asks_before_a_module_the_plan_has_not_reached(app, client, setup):
    record(app, setup, "T1", {0: 90})  # P1 needs T1; the plan reaches P1 tomorrow
    url = trainee_page(setup)
    p1 = row_of(client.get(url).text, "P1 <span")
    assert "The plan has not reached P1 yet: it starts on Jan 13, 2021." in p1
    assert 'name="early"' in p1 and 'name="early"' not in row_of(client.get(url).text, "T1 <span")
    chosen = {"module": "P1", "result": "pass", "assessed_on": "2021-01-12"}
    answer = post_form(client, url, chosen)
    assert answer.status_code == 422
    assert "Confirm that the result is recorded before the planned module." in row_of(
        answer.text, "P1 <span"
    )
    assert results_count(app) == 1
    assert post_form(client, url, {**chosen, "early": "yes"}).status_code == 302
    assert results_count(app) == 2


def stored_attempts(app, enrolment_id) -> list[tuple]:
    return [row[:4] for row in stored(app, enrolment_id)]


def test_the_trainees_page_reads_every_module_in_one_go(app, client, accounts, count_queries):
    """Each module's row says why it takes no attempt, prerequisites included: the page asks
    the same number of times for a programme of 3 modules as for one of 12."""
    many = [module("T1", hours=16, pass_mark=70)] + [
        module(
            f"P{i}",
            hours=8,
            kind="practical",
            prerequisites=["T1", f"P{i - 1}"] if i > 1 else ["T1"],
        )
        for i in range(1, 12)
    ]
    small = make_setup(app, accounts, programme={"code": "EOD-S"}, code="AGH-S")
    large = make_setup(app, accounts, modules=many, programme={"code": "EOD-L"}, code="AGH-L")
    accounts.login_as(Role.ADMIN)
    counts = [queries(count_queries, client, trainee_page(s)) for s in (small, large)]
    assert counts[0] == counts[1]
    page = client.get(trainee_page(large)).text
    assert "Əliyev Rauf has not passed T1, which P1 requires." in page
