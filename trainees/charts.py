"""Charts drawn by the server as SVG: no script, no CDN, readable in print.

Every piece of text is escaped before it goes into the drawing, so the markup
returned is safe to embed in a page.
"""

from collections import Counter
from datetime import date

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
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape("Attendance per training day")}" xmlns="http://www.w3.org/2000/svg">',
        '<line x1="30" y1="10" x2="30" y2="110" stroke="#6c757d"/>',
        '<text x="0" y="14" font-size="9">100%</text><text x="6" y="112" font-size="9">0%</text>',
    ]
    for index, day in enumerate(days):
        totals = counts[day]
        # The one rate of courses/attendance_rate.py, over the day's records instead of
        # a trainee's days; a day on which everyone was excused draws no bar.
        rate = exact_rate(
            totals["present"], totals["late"], totals["excused"], sum(totals.values())
        )
        x = 34 + index * 12
        h = round(rate) if rate is not None else 0
        shown = percent(float(rate) if rate is not None else None, 0)
        label = escape(f"{medium_date(day)}: {shown}")
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


def pass_rate_chart(modules, rates: dict[str, dict[str, float]], organisations) -> Markup:
    """Pass rate per module, one bar per organisation."""
    shown = [m for m in modules if m.code in rates]
    if not shown:
        return Markup("")
    row, bar = 14 * max(len(organisations), 1) + 8, 12
    height = 20 + row * len(shown) + 20
    parts = [
        # 90 for the codes, 300 for a full bar, 50 for its "100.0%" label.
        f'<svg class="chart" viewBox="0 0 440 {height}" role="img" '
        f'aria-label="{escape("Pass rate per module by organisation")}" '
        'xmlns="http://www.w3.org/2000/svg">'
    ]
    for index, organisation in enumerate(organisations):
        colour = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<rect x="{90 + index * 90}" y="2" width="10" height="10" fill="{colour}"/>'
            f'<text x="{104 + index * 90}" y="11" font-size="10">{escape(organisation)}</text>'
        )
    for position, module in enumerate(shown):
        top = 20 + position * row
        parts.append(f'<text x="0" y="{top + 10}" font-size="10">{escape(module.code)}</text>')
        for index, organisation in enumerate(organisations):
            rate = rates[module.code].get(organisation)
            if rate is None:
                continue
            y = top + index * 14
            colour = PALETTE[index % len(PALETTE)]
            label = escape(f"{module.code} · {organisation}: {rate}%")
            parts.append(
                f'<rect x="90" y="{y}" width="{round(3 * rate)}" height="{bar}" fill="{colour}">'
                f"<title>{label}</title></rect>"
                f'<text x="{94 + round(3 * rate)}" y="{y + 10}" font-size="9">{rate}%</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  # nosec B704 - all text went through escape()
