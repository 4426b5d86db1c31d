"""Who signs certificates for an organisation: an account's organisation, position, rank
and whether it approves certificates (four eyes across the issuing ministries)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from auth.policy import may_be_approver
from extensions import db
from models import Organisation
from models.account import User

SIGNATORY_FIELDS = ("organisation_id", "position", "rank", "approver")


def _organisation_exists(organisation_id: int) -> bool:
    return db.session.get(Organisation, organisation_id) is not None


def signatory_problems(values: dict, role: str) -> dict:
    """What is wrong with these values for an account of this role, field by field."""
    problems: dict[str, list] = {}
    organisation_id = values.get("organisation_id")
    if organisation_id is not None and not _organisation_exists(organisation_id):
        problems["organisation_id"] = [_l("There is no organisation with this number.")]
    if values.get("approver"):
        if not (may_be := may_be_approver(role)):
            problems["approver"] = [may_be.reason]
        elif organisation_id is None:
            problems["approver"] = [_l("An approver approves for an organisation: choose it.")]
        elif not (values.get("position") or "").strip():
            problems["position"] = [_l("An approver's position prints under the signature.")]
    return problems


def apply_signatory(user: User, values: dict) -> None:
    for name in SIGNATORY_FIELDS:
        if name in values:
            value = values[name]
            setattr(user, name, " ".join(value.split()) if isinstance(value, str) else value)


def organisation_choices() -> list[tuple]:
    """The organisations an account may belong to, for a form's list ("" for none)."""
    rows = db.session.execute(
        select(Organisation.id, Organisation.name).order_by(Organisation.name)
    )
    return [("", _l("none")), *((str(row_id), name) for row_id, name in rows)]


def signatory_values(form) -> dict:
    return {name: getattr(form, name).data for name in SIGNATORY_FIELDS}
