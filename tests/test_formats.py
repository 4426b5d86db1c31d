"""One way to write dates, weekdays, counts and terms, in each of the three languages.

The pages are read as a reader of each language gets them (Accept-Language), through
the real views; the catalogues are read for the terms they use.
"""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import render_template_string
from flask_babel import ngettext
from markupsafe import Markup

from core.formats import (
    Rate,
    attendance_on,
    day_month,
    day_month_numeric,
    lazy_sentence,
    moment,
    number,
    one_full_stop,
)
from tests.scenarios.attendance_api import TODAY, bearer, make_setup
from tests.scenarios.attendance_pages import form_of, save
from tests.scenarios.i18n_catalogues import catalogue

# What is checked here does not depend on the database: SQLite alone.
SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

WEDNESDAY = date(2026, 12, 2)


def speaking(app, language: str):
    return app.test_request_context("/", headers={"Accept-Language": language})


# --- the filters --------------------------------------------------------------------


@SQLITE
def test_the_weekday_takes_the_case_the_sentence_needs(app):
    expected = {
        "en": "Attendance on Wednesday, December 2, 2026",
        "ru": "Посещаемость за среду, 2 декабря 2026\u202fг.",
        "az": "Davamiyyət: çərşənbə, 2 dekabr 2026",
    }
    for language, heading in expected.items():
        with speaking(app, language):
            assert attendance_on(WEDNESDAY) == heading
    with speaking(app, "ru"):  # every weekday, Monday 30 November to Sunday 6 December
        week = [attendance_on(date(2026, 11, 30) + timedelta(days=i)) for i in range(7)]
    cases = ["понедельник", "вторник", "среду", "четверг", "пятницу", "субботу", "воскресенье"]
    assert [h.split(",")[0] for h in week] == [f"Посещаемость за {c}" for c in cases]


@SQLITE
def test_dates_numbers_and_moments_follow_the_language(app):
    noon_utc = datetime(2026, 12, 2, 13, 5, tzinfo=UTC)  # 17:05 in Baku
    shown = {}
    for language in ("en", "ru", "az"):
        with speaking(app, language):
            shown[language] = (
                day_month(WEDNESDAY),
                day_month_numeric(WEDNESDAY),
                moment(noon_utc),
                number(12345.5, 1),
            )
    assert shown["en"] == ("Dec 2", "12/2", "Dec 2, 2026, 5:05\u202fPM", "12,345.5")
    assert shown["ru"][0:2] == ("2 дек.", "02.12")
    assert shown["ru"][2].startswith("2 дек. 2026\u202fг.") and shown["ru"][2].endswith("17:05")
    assert shown["ru"][3] == "12\u00a0345,5"
    assert shown["az"][0:2] == ("2 dek", "02.12")
    assert shown["az"][2].endswith("17:05")


@SQLITE
def test_a_sentence_ending_in_an_abbreviated_date_has_one_full_stop(app):
    with speaking(app, "ru"):
        text = render_template_string(
            '{{ _("The course starts on %(day)s.", day=day | medium_date) }}', day=WEDNESDAY
        )
    assert text == "Курс начинается 2 дек. 2026\u202fг."
    assert one_full_stop("Wait... then go.") == "Wait... then go."
    escaped = one_full_stop(Markup("&lt;b&gt; 2026 г.."))
    assert escaped == Markup("&lt;b&gt; 2026 г.") and isinstance(escaped, Markup)


@SQLITE
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Attendance is 66.7%, below the 90% required."),
        ("ru", "Посещаемость — 66,7\u00a0%, ниже требуемых 90%."),
        ("az", "Davamiyyət 66,7\u00a0% təşkil edir, bu isə tələb olunan 90%-dən aşağıdır."),
    ],
)
def test_a_rate_in_a_reason_is_written_as_the_language_writes_numbers(app, language, expected):
    reason = lazy_sentence(
        "Attendance is %(rate)s%%, below the %(threshold)d%% required.",
        rate=Rate(66.66),
        threshold=90,
    )
    with speaking(app, language):
        assert str(reason) == expected


# --- the pages ----------------------------------------------------------------------


@pytest.fixture
def course(app, accounts, client, clock_at):
    clock_at(TODAY)  # Wednesday 13 January 2021
    setup = make_setup(app, accounts)
    late, excused = setup.trainees
    save(app, setup.id, setup.instructor, date(2021, 1, 12), {late: "late", excused: "excused"})
    assert accounts.login(setup.instructor).status_code == 302
    return setup


@SQLITE
def test_the_russian_sheet_says_the_day_in_the_accusative(client, course):
    page = client.get(
        f"/courses/{course.id}/attendance/2021-01-13", headers={"Accept-Language": "ru"}
    ).text
    heading = re.search(r'data-testid="sheet-heading">([^<]*)<', page).group(1)
    assert heading == "Посещаемость за среду, 13 января 2021\u202fг."
    assert "Сохранить ведомость (2 слушателя)" in page


@SQLITE
@pytest.mark.parametrize(
    ("language", "late", "excused"),
    [("en", "L", "E"), ("ru", "О", "У"), ("az", "G", "Ü")],
)
def test_the_grid_letters_are_the_languages_own(client, course, language, late, excused):
    page = client.get(f"/courses/{course.id}/attendance", headers={"Accept-Language": language})
    legend = re.search(r"<p class=\"small mb-1\">(.*?)</p>", page.text, re.DOTALL).group(1)
    assert f"<strong>{late}</strong>" in legend and f"<strong>{excused}</strong>" in legend
    cells = re.findall(
        r'<td class="text-center status-(late|excused)"[^>]*>([^<]*)</td>', page.text
    )
    assert sorted(cells) == [("excused", excused), ("late", late)]


@SQLITE
def test_a_saved_sheet_is_announced_with_the_date_as_the_language_writes_it(client, course):
    url, russian = f"/courses/{course.id}/attendance/2021-01-13", {"Accept-Language": "ru"}
    response = client.post(url, data=form_of(client.get(url).text), headers=russian)
    assert response.status_code == 302
    grid = client.get(response.headers["Location"], headers=russian).text
    assert "Посещаемость за 13 янв. 2021\u202fг. сохранена." in grid
    assert "г.." not in grid


@SQLITE
@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "Jan 17, 2021 is a rest day of this course."),
        ("ru", "17 янв. 2021\u202fг. — выходной день этого курса."),
        ("az", "17 yan 2021 bu kursun istirahət günüdür."),
    ],
)
def test_a_refusal_on_a_page_writes_its_date_as_the_language_does(client, course, language, said):
    page = client.get(
        f"/courses/{course.id}/attendance/2021-01-17", headers={"Accept-Language": language}
    )
    assert page.status_code == 404
    assert said in page.text
    assert "2021-01-17" not in page.text.replace("/2021-01-17", "")


@SQLITE
@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "The course ends on Feb 24, 2021."),
        ("ru", "Курс заканчивается 24 февр. 2021\u202fг."),
        ("az", "Kurs 24 fev 2021 tarixində bitir."),
    ],
)
def test_the_api_says_the_same_sentence_with_one_full_stop(
    client, accounts, course, language, said
):
    headers = {**bearer(accounts, course.instructor), "Accept-Language": language}
    answer = client.get(f"/api/v1/enrolments/{course.enrolled[0]}/progress", headers=headers)
    assert answer.status_code == 200
    assert {"code": "course_not_ended", "message": said} in answer.json["missing"]


# --- counts and terms in the catalogues ---------------------------------------------


@SQLITE
def test_counts_agree_with_their_number_in_every_language(app):
    said = {}
    for language in ("en", "ru", "az"):
        with speaking(app, language):
            said[language] = [
                ngettext(
                    "%(num)d result recorded for %(code)s.",
                    "%(num)d results recorded for %(code)s.",
                    n,
                    code="SAFE",
                )
                for n in (1, 3, 5)
            ]
    assert said["en"][0] == "1 result recorded for SAFE."
    assert said["en"][1] == "3 results recorded for SAFE."
    assert said["ru"] == [
        "1 результат по модулю SAFE записан.",
        "3 результата по модулю SAFE записано.",
        "5 результатов по модулю SAFE записано.",
    ]
    assert said["az"][0] == "SAFE modulu üzrə 1 nəticə qeyd edildi."


def strings_of(language: str, wanted) -> list[str]:
    """The translations of every message whose English (in lower case) `wanted` accepts."""
    return [
        m.string if isinstance(m.string, str) else " ".join(m.string)
        for m in catalogue(language)
        if m.id and wanted((m.id if isinstance(m.id, str) else m.id[0]).lower())
    ]


def revoking(english: str) -> bool:
    return "revok" in english or "certificate was withdrawn" in english


def cancelling(english: str) -> bool:
    return "cancel" in english and not revoking(english)


# One term per concept: a certificate is revoked ("geri çağırılıb", "отозвано"), a course
# or a training day is cancelled ("ləğv edilib", "отменён"), and never the other way.
# Each term in every case it is written in: Python lowers neither "İ" nor "I" the
# Azerbaijani way, so the capitals are listed rather than lowered.
@pytest.mark.parametrize(
    ("language", "revoked", "cancelled"),
    [
        ("ru", ("отоз", "Отоз", "ОТОЗ", "отзыв", "Отзыв"), ("отмен", "Отмен", "ОТМЕН")),
        ("az", ("geri çağır", "Geri çağır", "GERİ ÇAĞIR"), ("ləğv", "Ləğv", "LƏĞV")),
    ],
)
def test_a_revoked_certificate_is_called_one_thing(language, revoked, cancelled):
    revoked_strings = strings_of(language, revoking)
    assert len(revoked_strings) >= 5
    assert [s for s in revoked_strings if not any(t in s for t in revoked)] == []
    assert [s for s in revoked_strings if any(t in s for t in cancelled)] == []
    cancelled_strings = strings_of(language, cancelling)
    assert len(cancelled_strings) >= 5
    assert [s for s in cancelled_strings if any(t in s for t in revoked)] == []
    everything = " ".join(strings_of(language, lambda _english: True)).lower()
    assert "аннулир" not in everything
    assert "сертификат" not in everything  # a certificate is a свидетельство throughout
    assert "dinləyici" not in everything  # a trainee is a kursant throughout


@SQLITE
def test_seats_days_and_attempts_are_counted_in_the_right_form(app):
    def said(language, singular, plural, counts):
        with speaking(app, language):
            return [
                render_template_string("{{ ngettext(s, p, n) }}", s=singular, p=plural, n=n)
                for n in counts
            ]

    seats = ("%(num)d seat", "%(num)d seats")
    assert said("en", *seats, (1, 24)) == ["1 seat", "24 seats"]
    assert said("ru", *seats, (1, 24, 25)) == ["1 место", "24 места", "25 мест"]
    attempts = ("%(num)d attempt per module", "%(num)d attempts per module")
    assert said("ru", *attempts, (1, 2, 5)) == [
        "1 попытка на модуль",
        "2 попытки на модуль",
        "5 попыток на модуль",
    ]
    days = (
        "%(num)d training day. Rest days and holidays are grey.",
        "%(num)d training days. Rest days and holidays are grey.",
    )
    assert said("ru", *days, (31,))[0].startswith("31 учебный день.")
    assert said("en", *days, (1,))[0].startswith("1 training day.")
