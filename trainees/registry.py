"""The trainee registry: add, change, find (flush, never commit)."""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select

from auth.accounts import normalise_email
from core import clock
from core.errors import Conflict, Invalid
from core.name_order import sort_key
from core.names import name_problem
from core.search_text import LIKE_ESCAPE, containing, search_index, searchable
from extensions import db
from models import Organisation
from models.trainee import Trainee
from trainees.names import latin_name

FIELDS = (
    "organisation_id",
    "personal_number",
    "rank",
    "full_name",
    "full_name_latin",
    "date_of_birth",
    "email",
    "medical_clearance_until",
)
LENGTHS = {"personal_number": 30, "rank": 80, "full_name": 200, "full_name_latin": 200}


def clean(values: dict) -> tuple[dict, dict[str, list]]:
    """Trimmed values with the Latin name filled in, and the problems found, per field."""
    values = dict(values)
    problems: dict[str, list] = {}
    for name, limit in LENGTHS.items():
        text = " ".join(str(values.get(name) or "").split())
        values[name] = text
        if len(text) > limit:
            problems[name] = [_l("At most %(n)d characters.", n=limit)]
    for name in ("personal_number", "rank", "full_name"):
        if not values[name]:
            problems.setdefault(name, []).append(_l("This field is required."))
    for name in ("full_name", "full_name_latin"):
        problem = name_problem(values[name], latin_only=name == "full_name_latin")
        if problem:
            problems.setdefault(name, []).append(problem)
    if not values["full_name_latin"] and values["full_name"] and "full_name" not in problems:
        values["full_name_latin"] = latin_name(values["full_name"])[: LENGTHS["full_name_latin"]]
    if values.get("email"):
        try:
            values["email"] = normalise_email(values["email"])
        except Invalid as error:
            problems["email"] = error.fields["email"]
    else:
        values["email"] = None
    born = values.get("date_of_birth")
    if not isinstance(born, date):
        problems["date_of_birth"] = [_l("Enter a date (YYYY-MM-DD).")]
    elif not date(1900, 1, 1) <= born <= clock.today():
        problems["date_of_birth"] = [_l("Enter a real date of birth.")]
    clearance = values.get("medical_clearance_until")
    if not isinstance(clearance, date):
        problems["medical_clearance_until"] = [_l("Enter a date (YYYY-MM-DD).")]
    elif not 2000 <= clearance.year <= 2200:
        problems["medical_clearance_until"] = [_l("Must be between the years 2000 and 2200.")]
    return values, problems


def _check_unique(values: dict, trainee: Trainee | None = None) -> None:
    others = select(Trainee.id)
    if trainee is not None:
        others = others.where(Trainee.id != trainee.id)
    clash = db.session.scalar(
        others.where(
            Trainee.organisation_id == values["organisation_id"],
            # "fhn-1004" is FHN-1004 written otherwise: the same person, not a second one.
            func.lower(Trainee.personal_number) == values["personal_number"].lower(),
        )
    )
    if clash is not None:
        message = _l("This organisation already has a trainee with this personal number.")
        raise Conflict(message, {"personal_number": [message]})
    if values["email"] and db.session.scalar(others.where(Trainee.email == values["email"])):
        message = _l("Another trainee has this e-mail.")
        raise Conflict(message, {"email": [message]})


def _organisation(organisation_id) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    if organisation is None:
        message = _l("Choose an organisation.")
        raise Invalid(message, {"organisation_id": [message]})
    return organisation


def create_trainee(values: dict) -> Trainee:
    values, problems = clean(values)
    if problems:
        raise Invalid(_l("The trainee cannot be saved as it is."), problems)
    _organisation(values["organisation_id"])
    _check_unique(values)
    trainee = Trainee(**{name: values[name] for name in FIELDS}, **looked_up_by(values))
    db.session.add(trainee)
    db.session.flush()
    return trainee


def update_trainee(trainee: Trainee, version: int, changes: dict) -> Trainee:
    if version != trainee.version:
        raise Conflict(_l("Someone else changed this trainee; reload and try again."))
    current = {name: getattr(trainee, name) for name in FIELDS}
    renamed = "full_name" in changes and changes["full_name"] != trainee.full_name
    automatic = trainee.full_name_latin == latin_name(trainee.full_name)
    if renamed and (
        "full_name_latin" not in changes
        or (automatic and changes["full_name_latin"] == trainee.full_name_latin)
    ):
        # The Latin name was the transliteration of the old name: it follows the new one.
        changes = {**changes, "full_name_latin": ""}
    values, problems = clean({**current, **changes})
    if problems:
        raise Invalid(_l("The trainee cannot be saved as it is."), problems)
    _organisation(values["organisation_id"])
    _check_unique(values, trainee)
    for name, value in ({name: values[name] for name in FIELDS} | looked_up_by(values)).items():
        setattr(trainee, name, value)
    db.session.flush()
    return trainee


def looked_up_by(values: dict) -> dict:
    """What a trainee is found by (a search) and listed by (the order of every list), made
    from the trainee's cleaned values whenever they are saved."""
    words = (values["full_name"], values["full_name_latin"], values["personal_number"])
    return {
        "search_text": search_index(" ".join(words))[:500],
        "sort_name": sort_key(values["full_name_latin"]),
    }


def search(text: str = "", organisation_id: int | None = None) -> Select:
    """Trainees matching every word typed, in either name or the personal number."""
    statement = select(Trainee)
    if organisation_id:
        statement = statement.where(Trainee.organisation_id == organisation_id)
    for word in searchable(text).split():
        statement = statement.where(Trainee.search_text.like(containing(word), escape=LIKE_ESCAPE))
    return statement.order_by(Trainee.sort_name, Trainee.id)
