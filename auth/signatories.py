"""Who signs certificates for an organisation: an account's organisation, position, rank
and whether it approves certificates (four eyes across the issuing ministries)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from auth.models import Role, User
from extensions import db

SIGNATORY_FIELDS = ("organisation_id", "position", "rank", "approver")


def _organisation_exists(organisation_id: int) -> bool:
    # courses.models.Organisation, reached through the mapper: auth never imports courses.
    organisation = User.organisation.property.mapper.class_
    return db.session.get(organisation, organisation_id) is not None


def signatory_problems(values: dict, role: str) -> dict:
    """What is wrong with these values for an account of this role, field by field."""
    problems: dict[str, list] = {}
    organisation_id = values.get("organisation_id")
    if organisation_id is not None and not _organisation_exists(organisation_id):
        problems["organisation_id"] = [_l("There is no organisation with this number.")]
    if values.get("approver"):
        if role not in (Role.ADMIN, Role.INSTRUCTOR):
            problems["approver"] = [_l("Only administrators and instructors approve.")]
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
    organisation = User.organisation.property.mapper.class_
    rows = db.session.execute(
        select(organisation.id, organisation.name).order_by(organisation.name)
    )
    return [("", _l("none")), *((str(row_id), name) for row_id, name in rows)]


def signatory_values(form) -> dict:
    return {name: getattr(form, name).data for name in SIGNATORY_FIELDS}
