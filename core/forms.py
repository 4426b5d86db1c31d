"""The base of every form: values cleaned the same way everywhere."""

from flask_wtf import FlaskForm


def _clean(value):
    if isinstance(value, str):
        # PostgreSQL refuses NUL characters; stray spaces are never meant.
        return value.replace("\x00", "").strip()
    return value


class BaseForm(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters", [])
            if unbound_field.field_class.__name__ != "PasswordField":
                filters = [_clean, *filters]
            return unbound_field.bind(form=form, filters=filters, **options)
