"""The report's charts as SVG, drawn by the server: no script, readable in print."""

from flask_babel import gettext as _
from markupsafe import Markup, escape

from core.i18n import percent
from trainees.charts import pass_rate_chart
from trainees.reports.figures import Report
from trainees.reports.tables import organisation_name


def attendance_per_course_chart(report: Report, label: str) -> Markup:
    """One horizontal bar per course: its attendance rate, 0 to 100 %."""
    courses = [c for c in report.courses if c.attendance.rate is not None]
    if not courses:
        return Markup("")
    height = 16 * len(courses) + 10
    parts = [
        f'<svg class="chart" viewBox="0 0 420 {height}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for index, course in enumerate(courses):
        y, rate = 4 + index * 16, course.attendance.rate
        said = _("Course %(code)s: attendance %(rate)s.", code=course.code, rate=percent(rate))
        parts.append(
            f'<text x="0" y="{y + 10}" font-size="10">{escape(course.code[:14])}</text>'
            f'<rect x="90" y="{y}" width="{round(3 * rate)}" height="12" fill="#198754">'
            f"<title>{escape(said)}</title></rect>"
            f'<text x="{94 + round(3 * rate)}" y="{y + 10}" font-size="9">'
            f"{escape(percent(rate))}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  # nosec B704 - all text went through escape()


def pass_rate_by_organisation_chart(report: Report) -> Markup:
    """The pass rate (in the end) per module, one bar per organisation."""
    modules, rates = {}, {}
    names = [organisation_name(row.organisation) for row in report.organisations]
    for name, row in zip(names, report.organisations, strict=True):
        for module in row.modules:
            modules.setdefault(module.code, module)
            if module.pass_rate is not None:
                rates.setdefault(module.code, {})[name] = module.pass_rate
    return pass_rate_chart(list(modules.values()), rates, names)
