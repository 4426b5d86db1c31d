"""The base of every form: values cleaned the same way everywhere."""

from functools import cache

from babel import support
from flask_babel import get_locale, get_translations
from flask_wtf import FlaskForm
from wtforms.i18n import messages_path

from core.errors import RuleBroken


def _clean(value):
    if isinstance(value, str):
        # PostgreSQL refuses NUL characters; stray spaces are never meant.
        return value.replace("\x00", "").strip()
    return value


# Passwords are taken exactly as typed; lists of sub-forms clean their own fields.
UNFILTERED = {"PasswordField", "FieldList", "FormField"}


@cache
def _wtforms_catalogue(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class _WTFormsMessages:
    """WTForms' own messages in the reader's language: this application's catalogue first
    (core.form_messages), then WTForms' own, each read from disk once.

    Flask-WTF reads WTForms' catalogue again for every request that builds a form: on the
    attendance sheet that was a tenth of the page's time.
    """

    def gettext(self, string):
        ours = get_translations().ugettext(string)
        if ours != string:
            return ours
        return _wtforms_catalogue(str(get_locale())).ugettext(string)

    def ngettext(self, singular, plural, n):
        ours = get_translations().ungettext(singular, plural, n)
        if ours not in (singular, plural):
            return ours
        return _wtforms_catalogue(str(get_locale())).ungettext(singular, plural, n)


_MESSAGES = _WTFormsMessages()


class TranslatedMeta:
    """The Meta of every form, sub-forms (rows of a list) included."""

    def get_translations(self, form):
        return _MESSAGES


class BaseForm(FlaskForm):
    class Meta(TranslatedMeta):
        def bind_field(self, form, unbound_field, options):
            if unbound_field.field_class.__name__ in UNFILTERED:
                return unbound_field.bind(form=form, **options)
            filters = [_clean, *unbound_field.kwargs.get("filters", [])]
            return unbound_field.bind(form=form, filters=filters, **options)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            # "many" for a number: "Not a valid integer value." says it all; the range
            # checked against nothing added "Number must be between 1 and 10000." to it.
            if field.process_errors and len(field.errors) > len(field.process_errors):
                field.errors = list(field.process_errors)
        return valid


def show_rule_broken(form, error: RuleBroken, fields: dict | None = None) -> None:
    """Put a service's refusal next to the fields it names, or above the form.

    `fields` maps a service's field names (such as "modules.2.code") to form fields
    where they differ from the form's own attribute names.
    """
    unplaced = []
    for name, messages in error.fields.items():
        field = (fields or {}).get(name) or getattr(form, name, None)
        # A list of sub-forms shows no errors of its own: say it above the form.
        if field is not None and hasattr(field, "errors") and not hasattr(field, "entries"):
            field.errors = list(field.errors) + messages
        else:
            unplaced.extend(messages)
    if unplaced or not error.fields:
        form.form_errors.append(str(error.message))
        form.form_errors.extend(message for message in unplaced if message != str(error.message))
