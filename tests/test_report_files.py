"""The report as a page, a workbook and a PDF, read back; and its fixed number of queries."""

import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from extensions import db
from models import Organisation, User
from tests.conftest import empty_all_tables
from tests.scenarios.documents import text_of
from tests.scenarios.i18n_pages import speaks
from tests.scenarios.reports import EXPECTED_AZ, EXPECTED_RU, bearer, build_scenario, report

YEAR = {"from": "2021-01-01", "to": "2021-12-31"}


@pytest.fixture
def scenario(app, accounts, monkeypatch):
    return build_scenario(app, accounts, monkeypatch)


def rename(app, organisation_id: int, name: str) -> None:
    with app.app_context():
        db.session.get(Organisation, organisation_id).name = name
        db.session.commit()


def test_the_workbook_holds_one_sheet_per_table(app, client, accounts, scenario):
    rename(app, scenario.az, '=HYPERLINK("http://evil.test")')
    accounts.login(scenario.admin)
    answer = client.get("/reports/organisations.xlsx", query_string=YEAR)
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"].endswith('"report-2021-01-01-2021-12-31.xlsx"')
    workbook = load_workbook(io.BytesIO(answer.data))
    assert workbook.sheetnames == ["Organisations", "Modules", "Reasons", "Courses"]
    summary = [[cell.value for cell in row] for row in workbook["Organisations"].iter_rows()]
    assert summary[0][:6] == [
        "Organisation", "Courses", "Enrolled", "Withdrawn", "Completed", "Attendance rate (%)",
    ]  # fmt: skip
    assert summary[1] == ['=HYPERLINK("http://evil.test")', 1, 3, 1, 2, 75.0, 66.7, 1, 0, 0, 2]
    assert summary[2] == ["МЧС России", 2, 3, 0, 2, 88.9, 0.0, 1, 0, 1, 1]
    # The name that looks like a formula is stored as text, never run.
    assert workbook["Organisations"]["A2"].data_type == "s"
    modules = [[cell.value for cell in row] for row in workbook["Modules"].iter_rows()][1:]
    assert modules[0][1:] == ["A", "Module A", 2, 50.0, 100.0]
    assert modules[3][1:] == ["B", "Module B", 2, 100.0, 100.0]
    reasons = [[cell.value for cell in row] for row in workbook["Reasons"].iter_rows()][1:]
    assert [row[2:] for row in reasons] == [
        ["attendance_below_threshold", 2],
        ["days_not_recorded", 1],
        ["module_not_passed", 2],
        ["withdrawn", 1],
        ["module_not_passed", 1],
    ]
    courses = [[cell.value for cell in row] for row in workbook["Courses"].iter_rows()][1:]
    assert courses == [["CRS-0", "Course CRS-0", 81.0]]  # (9 + 8) / (12 + 10 - 1) = 80.95
    # Each column as wide as its longest text, so the names are read without widening it.
    widths = workbook["Reasons"].column_dimensions
    assert widths["B"].width >= len("Training days have no attendance record")
    assert widths["C"].width >= len("attendance_below_threshold")


def test_each_ministrys_files_carry_its_name(app, client, accounts, scenario):
    """Downloaded one after the other, the two ministries' files do not overwrite each other;
    the printout names its ministry, and gives the reasons in words without their codes."""
    accounts.login(scenario.admin)
    names = set()
    for organisation, name in ((scenario.az, "Azərbaycan FHN"), (scenario.ru, "МЧС России")):
        with app.app_context():
            code = db.session.get(Organisation, organisation).code
        asked = {**YEAR, "organisation_id": organisation}
        for extension in ("xlsx", "pdf"):
            answer = client.get(f"/reports/organisations.{extension}", query_string=asked)
            assert answer.status_code == 200
            disposition = answer.headers["Content-Disposition"]
            assert disposition.endswith(f'"report-{code}-2021-01-01-2021-12-31.{extension}"')
            names.add(disposition)
        text = " ".join(text_of(answer.data).split())  # the PDF
        assert text.startswith(f"Report by organisation {name} From January 1, 2021")
        assert "attendance_below_threshold" not in text and "module_not_passed" not in text
    assert len(names) == 4


def test_the_pdf_is_an_a4_report_with_its_figures_and_charts(client, accounts, scenario):
    accounts.login(scenario.admin)
    answer = client.get("/reports/organisations.pdf", query_string=YEAR)
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(answer.data))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape: eleven columns
    text = " ".join(text_of(answer.data).split())
    for words in (
        "Report by organisation",
        "Azərbaycan FHN",
        "МЧС России",
        "75.0",
        "66.7",
        "88.9",
        "Attendance per course",
        "Pass rate per module, by organisation",
        "Attendance is below the threshold",
    ):
        assert words in text, words


def test_the_pdf_follows_the_readers_language(app, client, accounts, scenario):
    speaks(app, scenario.admin, "ru")
    accounts.login(scenario.admin)
    text = " ".join(text_of(client.get("/reports/organisations.pdf").data).split())
    assert "МЧС России" in text and "88,9" in text
    # Each column is as wide as its longest word: headings do not break inside one.
    for word in ("Посещаемость", "Свидетельства", "свидетельств", "квалификацию"):
        assert word in text, word


def test_the_pdfs_charts_write_numbers_as_its_tables_and_list_modules_top_down(
    app, client, accounts, scenario
):
    speaks(app, scenario.admin, "ru")
    accounts.login(scenario.admin)
    text = text_of(client.get("/reports/organisations.pdf", query_string=YEAR).data)
    charts = text.split("Доля сдавших по модулям")[-1]
    assert re.findall(r"\d+,\d", charts) and not re.findall(r"\d+\.\d", charts)
    codes = [line.strip() for line in charts.splitlines() if line.strip() in ("A", "B")]
    assert codes == ["A", "B"]  # the programme's order, read from the top


def test_organisation_names_follow_the_readers_language(app, client, accounts, scenario):
    with app.app_context():
        db.session.get(Organisation, scenario.az).name_i18n = {"ru": "МЧС Азербайджана"}
        db.session.get(User, scenario.admin["id"]).language = "ru"
        db.session.commit()
    accounts.login(scenario.admin)
    page = client.get("/reports/organisations", query_string=YEAR)
    assert "МЧС Азербайджана" in page.text and "Azərbaycan FHN" not in page.text
    assert "МЧС России" in page.text  # no translation: its own name
    text = " ".join(text_of(client.get("/reports/organisations.pdf").data).split())
    assert "МЧС Азербайджана" in text


def test_the_page_shows_the_tables_and_two_charts(client, accounts, scenario):
    accounts.login(scenario.admin)
    page = client.get("/reports/organisations", query_string=YEAR)
    assert page.status_code == 200
    assert page.text.count('<svg class="chart"') == 2
    assert "Azərbaycan FHN" in page.text and "МЧС России" in page.text
    assert "<td>66.7</td>" in page.text and "<td>88.9</td>" in page.text
    assert "/reports/organisations.xlsx?from=2021-01-01&amp;to=2021-12-31" in page.text
    titles = re.findall(r"<title>(Course [^<]*)</title>", page.text)
    assert titles and all(re.fullmatch(r"Course \S+: attendance \d+\.\d%\.", t) for t in titles)
    russian = client.get(
        "/reports/organisations", query_string=YEAR, headers={"Accept-Language": "ru"}
    ).text
    said = re.findall(r"<title>(Курс [^<]*)</title>", russian)
    assert len(said) == len(titles)
    assert all(re.fullmatch(r"Курс \S+: посещаемость \d+,\d\u00a0%\.", t) for t in said)


def test_a_bad_date_on_the_page_is_named_next_to_its_field(client, accounts, scenario):
    accounts.login(scenario.admin)
    page = client.get("/reports/organisations", query_string={"from": "2021-13-45"})
    assert page.status_code == 422
    assert 'id="from" name="from" value="2021-13-45">' in page.text
    assert '<div class="invalid-feedback d-block">Give a date as YYYY-MM-DD.</div>' in page.text
    reversed_period = {"from": "2021-12-31", "to": "2021-01-01"}
    page = client.get("/reports/organisations", query_string=reversed_period)
    assert page.status_code == 422 and "must not be before its start" in page.text
    file = client.get("/reports/organisations.pdf", query_string=reversed_period)
    assert file.status_code == 422


def test_the_instructors_page_counts_only_their_courses(client, accounts, scenario):
    accounts.login(scenario.other)
    page = client.get("/reports/organisations")
    assert page.status_code == 200
    assert "МЧС России" in page.text and "Azərbaycan FHN" not in page.text.split("<form")[0]


def test_the_report_runs_the_same_number_of_queries_over_ten_times_the_data(
    app, client, accounts, monkeypatch, count_queries
):
    """One course, then ten (50 trainees, 230 records): the same queries, and the figures scale."""
    counts = []
    for extra in (0, 9):
        with app.app_context():
            empty_all_tables()
        scenario = build_scenario(app, accounts, monkeypatch, extra_courses=extra)
        headers = bearer(accounts, scenario.admin)
        with count_queries() as counter:
            answer = report(client, headers, **YEAR)
        assert answer.status_code == 200
        counts.append(counter.count)
        [az, ru] = answer.json["organisations"]
        courses = extra + 1
        assert (az["enrolled"], az["certificates_issued"]) == (3 * courses, courses)
        assert az["not_qualified_reasons"]["module_not_passed"] == 2 * courses
        assert (az["attendance_rate"], ru["attendance_rate"]) == (
            EXPECTED_AZ["attendance_rate"],
            EXPECTED_RU["attendance_rate"],
        )
    assert counts[0] == counts[1], counts


def test_the_pdf_tables_stay_on_the_page_whatever_their_words(app):
    """A column is as wide as its longest word, but never the table wider than the page."""
    from trainees.reports.pdf import WIDTH, _fonts, _widths

    with app.app_context():
        _fonts()
        header = ["Course", "Title", "Attendance rate (%)"]
        ordinary = _widths(header, [["CRS-1", "Humanitarian demining", 81.0]])
        assert round(sum(ordinary)) == round(WIDTH)
        endless = _widths(header, [["CRS-1", "Minatəmizləmə" * 30, 81.0]])
        assert round(sum(endless)) == round(WIDTH)
