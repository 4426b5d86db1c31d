"""A form field for a text's Azerbaijani and Russian versions, beside the English one.

Its data is the `{"az": ..., "ru": ...}` the models keep in `<field>_i18n`; the page
shows two boxes (`<name>-az`, `<name>-ru`) next to the English field's own box.
"""

from flask_babel import lazy_gettext as _l
from wtforms import Field, TextAreaField
from wtforms.utils import unset_value
from wtforms.validators import ValidationError

from core.translated import TRANSLATED_LANGUAGES, clean


class TranslationsField(Field):
    def __init__(self, label=None, max_length: int = 200, **kwargs):
        super().__init__(label, **kwargs)
        self.max_length = max_length

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        self.object_data = {} if data is unset_value or data is None else data
        self.data = dict(self.object_data)
        if formdata is not None and any(
            f"{self.name}-{language}" in formdata for language in TRANSLATED_LANGUAGES
        ):
            typed = {code: formdata.get(f"{self.name}-{code}", "") for code in TRANSLATED_LANGUAGES}
            self.data = clean(typed)
            self.raw_data = list(typed.values())

    def value_in(self, language: str) -> str:
        return (self.data or {}).get(language, "")

    def pre_validate(self, form):
        for text in (self.data or {}).values():
            if len(text) > self.max_length:
                raise ValidationError(
                    _l("At most %(n)d characters in each language.", n=self.max_length)
                )


class LinesField(TextAreaField):
    """A list of short texts, typed one per line."""

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = [" ".join(line.split()) for line in valuelist[0].splitlines()]
            self.data = [line for line in self.data if line]

    def _value(self) -> str:
        return "\n".join(self.data or [])
