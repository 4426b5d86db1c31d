"""The rows of a day's attendance sheet, written as markup once per request.

60 trainees, each with four status buttons, two labels naming the trainee and a
note field: written through the template, the rows were most of the busiest page's
time. The sentences are translated once (gettext without values keeps their
%(name)s) and every value is escaped before it goes in.
"""

import re

from flask_babel import gettext as _
from markupsafe import Markup, escape

from courses.attendance import STATUSES

# A field of a row: `{name}`. Everything else in the rows is fixed text.
FIELD = re.compile(r"\{(\w+)\}")

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


def status_choices(may_save: bool, names: dict) -> dict[str, str]:
    """The four status buttons of a row for each status chosen (or none), `{id}` left to fill."""
    disabled = "" if may_save else " disabled"
    buttons = {}
    for status in STATUSES:
        # Braces as character references: a label never reads as a field of the row.
        label = str(escape(names[status])).replace("{", "&#123;").replace("}", "&#125;")
        buttons[status] = (
            '<input type="radio" class="btn-check" name="status-{id}" '
            f'id="s-{{id}}-{status}" value="{status}" autocomplete="off"{{checked}}{disabled}>'
            f'<label class="btn choice-{status}" for="s-{{id}}-{status}">{label}</label>'
        )
    return {
        chosen: "".join(
            buttons[status].replace("{checked}", " checked" if status == chosen else "")
            for status in STATUSES
        )
        for chosen in (*STATUSES, None)  # None: a forged status sent back, none checked
    }


def sheet_rows(lines, recorded: dict, wanted: dict, may_save: bool, names: dict) -> list[Markup]:
    """One fieldset per trainee: what was asked for (a refused save) or what is stored.

    `recorded`: the stored records by enrolment; `wanted`: (status, note) by enrolment,
    as the refused form sent them. Before any save everyone is present.
    """
    # One row's markup for each status chosen, cut at its fields: literal text at even
    # places, a field's name at odd ones. Filling the places is a quarter of format()'s
    # time, and the sheet writes 60 rows.
    pieces_of = {
        chosen: FIELD.split(ROW.replace("{choices}", choices))
        for chosen, choices in status_choices(may_save, names).items()
    }
    group = _("Attendance of %(name)s")
    note_label = _("Note about %(name)s")
    fixed = {
        "placeholder": str(escape(_("Note (optional)"))),
        "disabled": "" if may_save else " disabled",
    }
    rows = []
    for line in lines:
        if line.enrolment_id in wanted:
            chosen, note = wanted[line.enrolment_id]
        elif (old := recorded.get(line.enrolment_id)) is not None:
            chosen, note = old.status, old.note
        else:
            chosen, note = "present", ""
        values = {
            **fixed,
            "id": str(int(line.trainee_id)),
            "name": str(escape(line.full_name)),
            # The Latin spelling only where it differs: not the same name twice.
            "latin": (
                f"{escape(line.full_name_latin)} · "
                if line.full_name_latin != line.full_name
                else ""
            ),
            "organisation": str(escape(line.organisation)),
            "group": str(escape(group % {"name": line.full_name})),
            "note_label": str(escape(note_label % {"name": line.full_name})),
            "note": str(escape(note)),
        }
        pieces = list(pieces_of.get(chosen, pieces_of[None]))
        for place in range(1, len(pieces), 2):
            pieces[place] = values[pieces[place]]
        # fixed markup, an integer id and escaped values
        rows.append(Markup("".join(pieces)))  # noqa: S704  # nosec B704
    return rows
