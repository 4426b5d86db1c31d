"""The rows of a course's results matrix, written as markup once per request.

60 trainees by 15 modules, a progress bar, a rate and the reasons at risk per row:
through Jinja this was most of the page's time. Every value is escaped before it
goes in; the rest is fixed markup.
"""

from flask_babel import gettext as _
from markupsafe import Markup, escape

from core.i18n import percent
from core.urls import link_maker
from models import EnrolmentStatus
from trainees.dashboard import risks
from trainees.progress import Progress

ROW = (
    '<tr class="{muted} {warning}">'
    '<th scope="row"><a href="{href}">{name}</a> <span class="small text-muted">{organisation}'
    "</span></th>{cells}"
    '<td><div class="progress" style="min-width: 5rem" role="progressbar" '
    'aria-label="{passed_label}" aria-valuenow="{passed}" aria-valuemin="0" '
    'aria-valuemax="{total}"><div class="progress-bar" style="width: {width}%"></div></div>'
    '<span class="small">{passed}/{total}</span></td>'
    '<td class="small">{rate}</td>'
    '<td class="small text-danger" data-testid="at-risk">{risks}</td></tr>'
)


def result_cells(modules):
    """A row's module cells: the latest attempt (score, or P/F) and the attempts taken."""
    letters = {True: escape(_("P")), False: escape(_("F"))}
    kinds = {True: "text-center text-success", False: "text-center text-danger fw-bold"}
    module_ids = [module.id for module in modules]

    def cells(item: Progress) -> str:
        parts = []
        for module_id in module_ids:
            result = item.latest.get(module_id)
            if result is None:
                parts.append('<td class="text-center"></td>')
                continue
            shown = letters[result.passed] if result.score is None else escape(result.score)
            parts.append(
                f'<td class="{kinds[result.passed]}">{shown}'
                f'<span class="small text-muted">/{int(item.attempts[module_id])}</span></td>'
            )
        return "".join(parts)

    return cells


def matrix_rows(items: list[Progress], modules) -> list[Markup]:
    """One row per trainee: name, module cells, modules passed, attendance, why at risk."""
    cells = result_cells(modules)
    results_link = link_maker("trainees.trainee_results", "enrolment_id", int)
    passed_label = escape(_("Modules passed"))
    rows = []
    for item in items:
        enrolment = item.enrolment
        trainee = enrolment.trainee
        reasons = risks(item)
        total, passed = item.modules_total, item.modules_passed
        rows.append(
            Markup(  # noqa: S704  # nosec B704 - fixed markup, integers and escaped values
                ROW.format(
                    muted="text-muted" if enrolment.status == EnrolmentStatus.WITHDRAWN else "",
                    warning="table-warning" if reasons else "",
                    href=escape(results_link(enrolment.id)),
                    name=escape(trainee.full_name),
                    organisation=escape(trainee.organisation.code),
                    cells=cells(item),
                    passed_label=passed_label,
                    passed=int(passed),
                    total=int(total),
                    width=round(100 * passed / total, 1) if total else 0,
                    rate=escape(percent(item.attendance_rate)),
                    risks=escape(" ".join(reasons)),
                )
            )
        )
    return rows
