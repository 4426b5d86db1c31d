"""Forms of the trainee registry, the roster and the import."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, IntegerField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from core.dates import InRange
from core.forms import BaseForm
from courses.forms import Version


class TraineeForm(BaseForm):
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    organisation_id = SelectField(_l("Organisation"), coerce=int, choices=[])
    personal_number = StringField(
        _l("Personal number"), validators=[DataRequired(), Length(max=30)]
    )
    rank = StringField(_l("Rank"), validators=[DataRequired(), Length(max=80)])
    full_name = StringField(
        _l("Full name (native script)"), validators=[DataRequired(), Length(max=200)]
    )
    full_name_latin = StringField(
        _l("Full name in Latin letters (as in the passport)"), validators=[Length(max=200)]
    )
    date_of_birth = DateField(_l("Date of birth"), validators=[InputRequired()])
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    medical_clearance_until = DateField(
        _l("Medical clearance valid until"), validators=[InputRequired(), InRange()]
    )


class TraineeAccountForm(BaseForm):
    email = StringField(_l("E-mail for signing in"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])


class ImportForm(BaseForm):
    file = FileField(
        _l("CSV or XLSX file"),
        validators=[
            FileRequired(),
            FileAllowed(["csv", "xlsx"], _l("Upload a .csv or .xlsx file.")),
        ],
    )
    # Choices are the courses still open to enrolment, filled in by the view.
    course_id = SelectField(
        _l("Also enrol every imported trainee in this course"), choices=[], validators=[Optional()]
    )


class EnrolForm(BaseForm):
    trainee_id = IntegerField(validators=[InputRequired()], widget=HiddenInput())


class WithdrawForm(BaseForm):
    version = Version()
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])
    date = DateField(_l("Withdrawn on"), validators=[Optional(), InRange()])
