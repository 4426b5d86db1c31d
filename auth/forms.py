"""Sign-in and account forms."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from core.api import MAX_ID
from core.forms import BaseForm
from models.account import Role

ROLE_NAMES = {
    Role.ADMIN.value: _l("Administrator"),
    Role.INSTRUCTOR.value: _l("Instructor"),
    Role.TRAINEE.value: _l("Trainee"),
}
ROLE_CHOICES = [SelectChoice(value, label) for value, label in ROLE_NAMES.items()]


class LoginForm(BaseForm):
    email = StringField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])


class SignatoryFields:
    """Who the account signs for: organisation, position and rank, and whether it approves."""

    organisation_id = SelectField(
        _l("Organisation"), coerce=lambda value: int(value) if value else None, choices=[]
    )
    position = StringField(_l("Position"), validators=[Length(max=200)])
    rank = StringField(_l("Rank"), validators=[Length(max=80)])
    approver = BooleanField(_l("Approves certificates for this organisation"))


class NewUserForm(SignatoryFields, BaseForm):
    email = StringField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    trainee_id = IntegerField(
        _l("Trainee record number"), validators=[Optional(), NumberRange(1, MAX_ID)]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])


class EditUserForm(SignatoryFields, BaseForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    active = BooleanField(_l("Active (may sign in)"))
    password = PasswordField(
        _l("New password (leave empty to keep the current one)"),
        validators=[Optional(), Length(max=1024)],
    )


class AccountForm(BaseForm):
    """What every user may change about their own account."""

    language = SelectField(
        _l("Language of the interface"),
        choices=[
            SelectChoice("", _l("As my browser asks")),
            SelectChoice("az", "Azərbaycanca"),
            SelectChoice("ru", "Русский"),
            SelectChoice("en", "English"),
        ],
    )
    current_password = PasswordField(_l("Current password"), validators=[Length(max=1024)])
    new_password = PasswordField(
        _l("New password (leave empty to keep it)"), validators=[Optional(), Length(max=1024)]
    )
