"""Charts drawn by the server as SVG: no script, no CDN, readable in print.

A screen reader reads each chart's aria-label and each bar's title: whole sentences in
the reader's language, with dates and numbers written as that language writes them.
Every piece of text is escaped before it goes into the drawing, so the markup
returned is safe to embed in a page.
"""

from collections import Counter
from datetime import date

from flask_babel import gettext as _
from markupsafe import Markup, escape

from core.formats import day_month_numeric, medium_date
from core.i18n import percent
from courses.attendance_rate import exact_rate

PALETTE = ["#0d6efd", "#dc3545", "#198754", "#fd7e14", "#6f42c1", "#20c997"]


def attendance_chart(training_days: list[date], counts: dict[date, Counter]) -> Markup:
    """Share of trainees present or late on each recorded training day.

    `counts`: each day's records by status (courses.attendance_rate.day_counts).
    """
    days = [day for day in training_days if day in counts]
    if not days:
        return Markup("")
    # Room on the right for a date label under the last bar (about 22 units wide).
    width, height, bar = 12 * len(days) + 56, 140, 10
    summary = _(
        "Attendance per training day from %(first)s to %(last)s: the share of trainees "
        "present or late on each recorded day.",
        first=medium_date(days[0]),
        last=medium_date(days[-1]),
    )
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(summary)}" xmlns="http://www.w3.org/2000/svg">',
        '<line x1="30" y1="10" x2="30" y2="110" stroke="#6c757d"/>',
        f'<text x="0" y="14" font-size="9">{escape(percent(100, 0))}</text>'
        f'<text x="6" y="112" font-size="9">{escape(percent(0, 0))}</text>',
    ]
    # Each bar's title from the two sentences translated once (38 days, 60 bars...):
    # without values, gettext gives the translated sentence with its %(...)s intact.
    no_rate = _("%(day)s: every trainee was excused, so the day has no rate.")
    with_rate = _("%(day)s: %(rate)s of the trainees present or late.")
    for index, day in enumerate(days):
        totals = counts[day]
        # The one rate of courses/attendance_rate.py, over the day's records instead of
        # a trainee's days; a day on which everyone was excused draws no bar.
        rate = exact_rate(
            totals["present"], totals["late"], totals["excused"], sum(totals.values())
        )
        x = 34 + index * 12
        h = round(rate) if rate is not None else 0
        if rate is None:
            said = no_rate % {"day": medium_date(day)}
        else:
            said = with_rate % {"day": medium_date(day), "rate": percent(float(rate), 0)}
        label = escape(said)
        parts.append(
            f'<rect x="{x}" y="{110 - h}" width="{bar}" height="{h}" fill="#198754">'
            f"<title>{label}</title></rect>"
        )
        if index % 5 == 0:
            parts.append(
                f'<text x="{x}" y="126" font-size="8">{escape(day_month_numeric(day))}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  # nosec B704 - all text went through escape()


# What a legend line holds at font size 10 in the chart's 440 units (a name is cut with "…").
LEGEND_LETTERS = 72


def pass_rate_chart(modules, rates: dict[str, dict[str, float]], organisations) -> Markup:
    """Pass rate per module, one bar per organisation."""
    shown = [m for m in modules if m.code in rates]
    if not shown:
        return Markup("")
    row, bar = 14 * max(len(organisations), 1) + 8, 12
    # The legend: one line per organisation, as a full name (the report's) does not fit
    # beside another one, least of all in Azerbaijani or Russian.
    legend = 14 * len(organisations) + 6
    height = legend + row * len(shown) + 20
    summary = _(
        "Pass rate per module, one bar for each organisation: %(organisations)s.",
        organisations=", ".join(organisations),
    )
    parts = [
        # 90 for the codes, 300 for a full bar, 50 for its "100.0%" (or "100,0 %") label.
        f'<svg class="chart" viewBox="0 0 440 {height}" role="img" '
        f'aria-label="{escape(summary)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for index, organisation in enumerate(organisations):
        colour = PALETTE[index % len(PALETTE)]
        said = (
            organisation
            if len(organisation) <= LEGEND_LETTERS
            else (organisation[: LEGEND_LETTERS - 1] + "…")
        )
        parts.append(
            f'<rect x="0" y="{2 + index * 14}" width="10" height="10" fill="{colour}"/>'
            f'<text x="14" y="{11 + index * 14}" font-size="10">{escape(said)}'
            f"<title>{escape(organisation)}</title></text>"
        )
    bar_label = _("Module %(code)s, %(organisation)s: pass rate %(rate)s.")
    for position, module in enumerate(shown):
        top = legend + position * row
        parts.append(f'<text x="0" y="{top + 10}" font-size="10">{escape(module.code)}</text>')
        for index, organisation in enumerate(organisations):
            rate = rates[module.code].get(organisation)
            if rate is None:
                continue
            y = top + index * 14
            colour = PALETTE[index % len(PALETTE)]
            label = bar_label % {
                "code": module.code,
                "organisation": organisation,
                "rate": percent(rate),
            }
            parts.append(
                f'<rect x="90" y="{y}" width="{round(3 * rate)}" height="{bar}" fill="{colour}">'
                f"<title>{escape(label)}</title></rect>"
                f'<text x="{94 + round(3 * rate)}" y="{y + 10}" font-size="9">'
                f"{escape(percent(rate))}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  # nosec B704 - all text went through escape()
