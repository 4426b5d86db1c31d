"""Forms for organisations, programmes and courses."""

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from core.dates import InRange
from core.forms import BaseForm, TranslatedMeta, _clean
from core.translated_fields import LinesField, TranslationsField
from models import ModuleKind
from models.organisation import LANGUAGES

LANGUAGE_NAMES = {"az": _l("Azerbaijani"), "ru": _l("Russian"), "en": _l("English")}
KIND_NAMES = {
    ModuleKind.THEORY.value: _l("Theory (scored)"),
    ModuleKind.PRACTICAL.value: _l("Practical (pass/fail)"),
    ModuleKind.FIELD.value: _l("Field (pass/fail)"),
}
WEEKDAY_NAMES = [
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
]


class Version(IntegerField):
    widget = HiddenInput()

    def __init__(self, **kwargs):
        super().__init__(validators=[InputRequired()], **kwargs)


class OrganisationForm(BaseForm):
    version = Version()
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=20)])
    name = StringField(_l("Name of the organisation"), validators=[DataRequired(), Length(max=200)])
    name_i18n = TranslationsField(_l("Name of the organisation"))
    country = StringField(
        _l("Country (ISO 3166 two-letter code)"), validators=[DataRequired(), Length(min=2, max=2)]
    )
    language = SelectField(
        _l("Working language"), choices=[SelectChoice(c, LANGUAGE_NAMES[c]) for c in LANGUAGES]
    )


class ModuleRowForm(Form):
    """One module row of the programme form; a row left without code and title is dropped."""

    class Meta(TranslatedMeta):
        def bind_field(self, form, unbound_field, options):
            return unbound_field.bind(form=form, filters=[_clean], **options)

    position = IntegerField(_l("Order"), validators=[Optional()])
    code = StringField(_l("Code"), validators=[Optional(), Length(max=30)])
    title = StringField(_l("Title"), validators=[Optional(), Length(max=200)])
    title_i18n = TranslationsField(_l("Title"))
    hours = IntegerField(_l("Hours"), validators=[Optional()])
    kind = SelectField(
        _l("Kind"), choices=[SelectChoice(k, label) for k, label in KIND_NAMES.items()]
    )
    pass_mark = IntegerField(_l("Pass mark"), validators=[Optional()])
    mandatory = BooleanField(_l("Mandatory"), default=True)
    prerequisites = StringField(_l("Prerequisites (codes)"), validators=[Length(max=500)])
    remove = BooleanField(_l("Remove"))

    def is_blank(self) -> bool:
        return not self.code.data and not self.title.data


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProgrammeForm(BaseForm):
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=30)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    qualification = StringField(
        _l("Qualification awarded"), validators=[DataRequired(), Length(max=200)]
    )
    title_i18n = TranslationsField(_l("Title"))
    qualification_i18n = TranslationsField(_l("Qualification awarded"))
    certificate_approvals = SelectField(
        _l("Certificates become valid"),
        choices=[
            SelectChoice("none", _l("when issued")),
            SelectChoice("each_organisation", _l("when every issuing organisation approved")),
        ],
        default="none",
    )
    eod_level = SelectField(
        _l("EOD level certified (IMAS 09.30)"),
        choices=[SelectChoice("", _l("none: the qualification text only"))]
        + [SelectChoice(level, level) for level in ("1", "2", "3", "3+")],
        coerce=lambda value: value or None,
        default="",
    )
    eod_modules = LinesField(_l("EOD 3+ modules covered (one per line)"))
    duration_days = IntegerField(
        _l("Duration (days)"), default=45, validators=[InputRequired(), NumberRange(1, 366)]
    )
    attendance_threshold = IntegerField(
        _l("Attendance threshold (%)"),
        default=90,
        validators=[InputRequired(), NumberRange(0, 100)],
    )
    rest_weekdays = MultiCheckboxField(
        _l("Rest weekdays"),
        choices=[SelectChoice(str(i), name) for i, name in enumerate(WEEKDAY_NAMES)],
        default=["6"],
    )
    max_attempts = IntegerField(
        _l("Attempts per module"), default=2, validators=[InputRequired(), NumberRange(1, 20)]
    )
    validity_months = IntegerField(
        _l("Certificate validity (months)"),
        default=36,
        validators=[InputRequired(), NumberRange(1, 600)],
    )
    hours_per_day = IntegerField(
        _l("Teaching hours per training day"),
        default=8,
        validators=[InputRequired(), NumberRange(1, 24)],
    )
    modules = FieldList(FormField(ModuleRowForm), min_entries=1)

    def module_rows(self) -> tuple[list[ModuleRowForm], list[dict]]:
        """The rows kept (in the order given), and the module each describes."""
        rows = [row.form for row in self.modules if not row.form.remove.data]
        rows = [row for row in rows if not row.is_blank()]
        rows.sort(key=lambda row: row.position.data if row.position.data is not None else 10**6)
        return rows, [
            {
                "code": row.code.data or "",
                "title": row.title.data or "",
                "title_i18n": row.title_i18n.data or {},
                "hours": row.hours.data if row.hours.data is not None else 0,
                "kind": row.kind.data,
                "pass_mark": row.pass_mark.data,
                "mandatory": bool(row.mandatory.data),
                "prerequisites": [
                    code.strip()
                    for code in (row.prerequisites.data or "").replace(";", ",").split(",")
                    if code.strip()
                ],
            }
            for row in rows
        ]


class CourseForm(BaseForm):
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    programme_id = SelectField(_l("Programme"), coerce=int, choices=[])
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=30)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    title_i18n = TranslationsField(_l("Title"))
    start_date = DateField(_l("Start date"), validators=[InputRequired(), InRange()])
    location = StringField(_l("Location"), validators=[DataRequired(), Length(max=200)])
    location_i18n = TranslationsField(_l("Location"))
    capacity = IntegerField(
        _l("Capacity (trainees)"), validators=[InputRequired(), NumberRange(1, 10_000)]
    )
    instructor_ids = MultiCheckboxField(_l("Instructors"), coerce=int, choices=[])
    holidays = TextAreaField(
        _l("Holidays (one date per line, YYYY-MM-DD)"), validators=[Length(max=5000)]
    )

    def holiday_dates(self) -> list[date] | None:
        """The holidays typed in, or None after putting a message on the field."""
        days = []
        for line in (self.holidays.data or "").replace(",", "\n").splitlines():
            text = line.strip()
            if not text:
                continue
            try:
                days.append(date.fromisoformat(text))
            except ValueError:
                self.holidays.errors = [
                    *self.holidays.errors,
                    _l("%(text)s is not a date (YYYY-MM-DD).", text=text),
                ]
        return None if self.holidays.errors else days
