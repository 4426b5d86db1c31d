"""What each entry of the audit trail did, in words an administrator reads in their language.

The trail keeps codes ("update", "module_results"); the page says "Change · module result
#253" (az "Dəyişiklik · modul nəticəsi #253"). Actions are nouns, so that no translation has
to agree a verb with the gender of what was changed. A code with no words here (a new
kind of entry) is shown as it is.
"""

from flask_babel import lazy_pgettext
from markupsafe import Markup, escape

# Each word in the context "audit": "enrolment" is a status on other pages, a record here.
ACTIONS = {
    "create": lazy_pgettext("audit", "Creation"),
    "update": lazy_pgettext("audit", "Change"),
    "delete": lazy_pgettext("audit", "Deletion"),
    "approve": lazy_pgettext("audit", "Approval"),
    "refuse": lazy_pgettext("audit", "Refusal"),
    "print": lazy_pgettext("audit", "Print or download"),
    "offline_save": lazy_pgettext("audit", "Save from a phone"),
    "sign_in": lazy_pgettext("audit", "Sign-in"),
    "sign_in_failed": lazy_pgettext("audit", "Failed sign-in"),
    "sign_in_locked": lazy_pgettext("audit", "Sign-in locked"),
    "access_refused": lazy_pgettext("audit", "Access refused"),
    "anchor": lazy_pgettext("audit", "Checkpoint of the trail"),
}

ENTITIES = {
    "organisations": lazy_pgettext("audit", "organisation"),
    "trainees": lazy_pgettext("audit", "trainee"),
    "users": lazy_pgettext("audit", "account"),
    "programmes": lazy_pgettext("audit", "programme"),
    "modules": lazy_pgettext("audit", "module"),
    "courses": lazy_pgettext("audit", "course"),
    "course_quotas": lazy_pgettext("audit", "organisation's seats on a course"),
    "course_holidays": lazy_pgettext("audit", "holiday of a course"),
    "cancelled_days": lazy_pgettext("audit", "cancelled training day"),
    "plan_entries": lazy_pgettext("audit", "day of a plan"),
    "enrolments": lazy_pgettext("audit", "enrolment"),
    "attendance_sheets": lazy_pgettext("audit", "attendance sheet"),
    "attendance_records": lazy_pgettext("audit", "attendance record"),
    "module_results": lazy_pgettext("audit", "module result"),
    "certificates": lazy_pgettext("audit", "certificate"),
    "security": lazy_pgettext("audit", "security"),
    "audit_checkpoints": lazy_pgettext("audit", "audit trail"),
}


def what_was_done(action: str, entity: str, entity_id: int | None) -> Markup:
    """The entry's action and record in words, with its codes kept for a search (title)."""
    number = f" #{int(entity_id)}" if entity_id else ""
    if action not in ACTIONS and entity not in ENTITIES:
        return escape(f"{action} · {entity}{number}")
    words = f"{ACTIONS.get(action, action)} · {ENTITIES.get(entity, entity)}{number}"
    return Markup('<span title="{}">{}</span>').format(f"{action} · {entity}", words)
