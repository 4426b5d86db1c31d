"""The rows of a course's certificates tab: who has no certificate yet, and why.

Sixty trainees with a sentence or two each: through Jinja the rows were a third of
the page. Written here as markup once per request; every value is escaped before it
goes in, the rest is fixed markup. The sentences come from trainees.progress (each
condition not met) and are the same words the API says.
"""

from flask_babel import gettext as _
from markupsafe import Markup, escape

from core.formats import sentence
from trainees.progress import Progress

# On a phone each row is a card (.table-cards), each cell named by its column.
ROW = (
    '<tr><th scope="row">{name}{latin}</th>'
    '<td data-label="{eligible_label}">{eligible}</td>'
    '<td data-label="{reasons_label}" class="small text-wrap"><div>{reasons}</div></td></tr>'
)


def eligibility_rows(waiting: list[Progress], revoked: dict, changed: set[int]) -> list[Markup]:
    """One row per trainee without a certificate: eligible or not, and what is missing.

    `revoked`: the revoked certificate of each enrolment that has one; `changed`: those
    whose holder's records changed since (trainees.certificates.issuing.changed_since).
    A revoked trainee with nothing changed earns no new certificate, and is told why.
    """
    yes, no = escape(_("yes")), escape(_("no"))
    eligible_label, reasons_label = escape(_("Eligible")), escape(_("What is missing"))
    rows = []
    for item in waiting:
        enrolment = item.enrolment
        trainee = enrolment.trainee
        was_revoked = revoked.get(enrolment.id)
        reasons = []
        if was_revoked and was_revoked.id in changed:
            reasons.append(
                _(
                    "Certificate %(n)s was revoked: a new one is issued for this trainee "
                    "alone, not with the whole course.",
                    n=was_revoked.number,
                )
            )
        elif was_revoked:
            reasons.append(
                sentence(
                    "Certificate %(n)s was revoked on %(day)s (%(reason)s) and no result or "
                    "attendance record has changed since: a new one would certify the same "
                    "records.",
                    n=was_revoked.number,
                    day=was_revoked.revoked_on,
                    reason=was_revoked.revocation_reason,
                )
            )
        reasons += [missing.message for missing in item.missing]
        eligible = item.eligible and (not was_revoked or was_revoked.id in changed)
        rows.append(
            Markup(  # noqa: S704  # nosec B704 - fixed markup and escaped values
                ROW.format(
                    name=escape(trainee.full_name),
                    # The Latin spelling only where it differs: not the same name twice.
                    latin=(
                        Markup(' <span class="small text-muted">{}</span>').format(latin)
                        if (latin := trainee.full_name_latin) != trainee.full_name
                        else ""
                    ),
                    eligible_label=eligible_label,
                    reasons_label=reasons_label,
                    eligible=yes if eligible else no,
                    reasons="".join(f"<div>{escape(reason)}</div>" for reason in reasons),
                )
            )
        )
    return rows
