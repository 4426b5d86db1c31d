"""The rows of a course's certificates tab: who has no certificate yet, and why.

Sixty trainees with a sentence or two each: through Jinja the rows were a third of
the page. Written here as markup once per request; every value is escaped before it
goes in, the rest is fixed markup. The sentences come from trainees.progress (each
condition not met) and are the same words the API says.
"""

from flask_babel import gettext as _
from markupsafe import Markup, escape

from trainees.progress import Progress

ROW = (
    '<tr><th scope="row">{name} <span class="small text-muted">{latin}</span></th>'
    '<td>{eligible}</td><td class="small text-wrap">{reasons}</td></tr>'
)


def eligibility_rows(waiting: list[Progress], revoked: dict) -> list[Markup]:
    """One row per trainee without a certificate: eligible or not, and what is missing."""
    yes, no = escape(_("yes")), escape(_("no"))
    rows = []
    for item in waiting:
        enrolment = item.enrolment
        trainee = enrolment.trainee
        was_revoked = revoked.get(enrolment.id)
        reasons = (
            [_("Certificate %(n)s was revoked: it is not issued again.", n=was_revoked.number)]
            if was_revoked
            else []
        )
        reasons += [missing.message for missing in item.missing]
        rows.append(
            Markup(  # noqa: S704  # nosec B704 - fixed markup and escaped values
                ROW.format(
                    name=escape(trainee.full_name),
                    latin=escape(trainee.full_name_latin),
                    eligible=yes if item.eligible and not was_revoked else no,
                    reasons="".join(f"<div>{escape(reason)}</div>" for reason in reasons),
                )
            )
        )
    return rows
