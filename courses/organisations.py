"""Creating and changing organisations (flush, never commit)."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _ln
from sqlalchemy import func, select

from core import translated
from core.errors import Conflict, Invalid
from core.text import one_line
from courses.countries import COUNTRY_CODES
from extensions import db
from models import Organisation
from models.certificate import Certificate, CertificateStatus
from models.organisation import LANGUAGES

FIELDS = ("code", "name", "country", "language", "name_i18n")


def _cleaned(values: dict) -> dict:
    """The name as one line of words: "EMERCOM of Russia " is "EMERCOM of Russia"."""
    return {
        **values,
        "name": one_line(values["name"]),
        "country": values["country"].upper(),
        "name_i18n": translated.clean(values.get("name_i18n")),
    }


def _check(values: dict) -> None:
    problems = {}
    if not values["name"]:
        problems["name"] = [_l("This field is required.")]
    if values["country"] not in COUNTRY_CODES:
        problems["country"] = [_l("Not an ISO 3166 alpha-2 country code (AZ, RU, ...).")]
    if values["language"] not in LANGUAGES:
        problems["language"] = [_l("Choose az, ru or en.")]
    if problems:
        raise Invalid(_l("The organisation cannot be saved as it is."), problems)


def _check_code_free(code: str) -> None:
    if db.session.scalar(select(Organisation.id).where(Organisation.code == code)) is not None:
        message = _l("An organisation with code %(code)s already exists.", code=code)
        raise Conflict(message, {"code": [message]})


def _check_name_free(name: str, organisation_id: int | None = None) -> None:
    """Names are unique: a certificate names the organisations whose approvers approve
    it, so a second "EMERCOM of Russia" would approve, and read, for the first. Compared
    without case: "Emercom of Russia" beside it would be told apart by nobody."""
    same = select(Organisation.id).where(
        func.lower(Organisation.name) == name.lower(), Organisation.id != (organisation_id or 0)
    )
    if db.session.scalar(same) is not None:
        message = _l("An organisation named %(name)s already exists.", name=name)
        raise Conflict(message, {"name": [message]})


def _check_no_approval_waits(organisation: Organisation) -> None:
    """A certificate waiting for its approval names it: renamed, it could never approve."""
    waiting = db.session.scalars(
        select(Certificate.approvals_required).where(
            Certificate.status == CertificateStatus.PENDING_APPROVAL
        )
    )
    count = sum(1 for names in waiting if organisation.name in (names or []))
    if count:
        message = _ln(
            "%(num)d certificate waits for this organisation's approval under its name: "
            "rename it once it is approved or refused.",
            "%(num)d certificates wait for this organisation's approval under its name: "
            "rename it once they are approved or refused.",
            count,
        )
        raise Conflict(message, {"name": [message]})


def create_organisation(values: dict) -> Organisation:
    values = _cleaned(values)
    _check(values)
    _check_code_free(values["code"])
    _check_name_free(values["name"])
    organisation = Organisation(**{name: values[name] for name in FIELDS})
    db.session.add(organisation)
    db.session.flush()
    return organisation


def update_organisation(organisation: Organisation, version: int, changes: dict) -> Organisation:
    if version != organisation.version:
        raise Conflict(_l("Someone else changed this organisation; reload it and try again."))
    values = _cleaned({name: changes.get(name, getattr(organisation, name)) for name in FIELDS})
    _check(values)
    if values["code"] != organisation.code:
        _check_code_free(values["code"])
    if values["name"] != organisation.name:
        _check_name_free(values["name"], organisation.id)
        _check_no_approval_waits(organisation)
    for name in FIELDS:
        setattr(organisation, name, values[name])
    db.session.flush()
    return organisation
