"""The rows of a day's attendance sheet, written as markup once per request.

60 trainees, each with four status buttons, two labels naming the trainee and a
note field: written through the template, the rows were most of the busiest page's
time. The sentences are translated once (gettext without values keeps their
%(name)s) and every value is escaped before it goes in.
"""

from flask_babel import gettext as _
from markupsafe import Markup, escape

from courses.attendance import STATUSES

# For the ids and names below: everything else in the rows is fixed text.
ROW = (
    '<fieldset class="card mb-2" data-testid="sheet-row" data-trainee="{id}" data-name="{name}">'
    '<div class="card-body py-2">'
    '<legend class="fs-6 fw-bold mb-1">{name} '
    '<span class="fw-normal text-muted small">{latin}{organisation}</span></legend>'
    '<div class="attendance-choices" role="radiogroup" aria-label="{group}">{choices}</div>'
    '<label class="visually-hidden" for="note-{id}">{note_label}</label>'
    '<input class="form-control form-control-sm mt-2" type="text" maxlength="500" '
    'id="note-{id}" name="note-{id}" value="{note}" placeholder="{placeholder}"{disabled}>'
    "</div></fieldset>"
)


def status_choices(may_save: bool, names: dict):
    """The four status buttons of a row: the same markup for every trainee but the id."""
    disabled = "" if may_save else " disabled"
    buttons = {}
    for status in STATUSES:
        label = str(escape(names[status])).replace("{", "{{").replace("}", "}}")
        buttons[status] = (
            f'<input type="radio" class="btn-check" name="status-{{id}}" id="s-{{id}}-{status}" '
            f'value="{status}" autocomplete="off"{{checked}}{disabled}>'
            f'<label class="btn choice-{status}" for="s-{{id}}-{status}">{label}</label>'
        )

    def choices(trainee_id: int, chosen: str) -> str:
        return "".join(
            buttons[status].format(
                id=int(trainee_id), checked=" checked" if status == chosen else ""
            )
            for status in STATUSES
        )

    return choices


def sheet_rows(lines, recorded: dict, wanted: dict, may_save: bool, names: dict) -> list[Markup]:
    """One fieldset per trainee: what was asked for (a refused save) or what is stored.

    `recorded`: the stored records by enrolment; `wanted`: (status, note) by enrolment,
    as the refused form sent them. Before any save everyone is present.
    """
    choices = status_choices(may_save, names)
    group = _("Attendance of %(name)s")
    note_label = _("Note about %(name)s")
    placeholder = escape(_("Note (optional)"))
    disabled = "" if may_save else " disabled"
    rows = []
    for line in lines:
        if line.enrolment_id in wanted:
            chosen, note = wanted[line.enrolment_id]
        elif (old := recorded.get(line.enrolment_id)) is not None:
            chosen, note = old.status, old.note
        else:
            chosen, note = "present", ""
        name = escape(line.full_name)
        rows.append(
            Markup(  # noqa: S704  # nosec B704 - fixed markup, an integer id, escaped values
                ROW.format(
                    id=int(line.trainee_id),
                    name=name,
                    # The Latin spelling only where it differs: not the same name twice.
                    latin=(
                        escape(line.full_name_latin) + " · "
                        if line.full_name_latin != line.full_name
                        else ""
                    ),
                    organisation=escape(line.organisation),
                    group=escape(group % {"name": line.full_name}),
                    choices=choices(line.trainee_id, chosen),
                    note_label=escape(note_label % {"name": line.full_name}),
                    note=escape(note),
                    placeholder=placeholder,
                    disabled=disabled,
                )
            )
        )
    return rows
