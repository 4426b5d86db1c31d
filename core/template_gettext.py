"""gettext for templates: Jinja's "newstyle" callables, with the catalogue found once.

Flask-Babel's callables look the catalogue up anew for every string (about 8 µs)
and Jinja wraps each call twice more; a results matrix asks for hundreds of strings.
They take the evaluation context, not the whole context: Jinja copies the context
for a context function called inside a loop, which cost more than the translation.
These behave as Jinja's newstyle ones (the text is always a format string, escaped
when autoescaping) and never double a full stop (core.formats.one_full_stop).
"""

from flask import g, has_app_context
from flask_babel import get_locale, get_translations
from jinja2 import pass_eval_context
from markupsafe import Markup


def install(app, one_full_stop) -> None:
    env = app.jinja_env
    env.install_gettext_callables(  # tells {% trans %} to compile for newstyle callables
        gettext=lambda s: s, ngettext=lambda s, p, n: s, newstyle=True
    )

    def finish(eval_context, text, variables):
        if eval_context.autoescape:
            text = Markup(text)  # noqa: S704  # nosec B704 - a translator's text, as Jinja does
        if variables or "%" in text:  # "%%" in a text without variables still becomes "%"
            text = text % variables
        return one_full_stop(text)

    @pass_eval_context
    def gettext(context, string, **variables):
        return finish(context, catalogue().ugettext(string), variables)

    @pass_eval_context
    def ngettext(context, singular, plural, num, **variables):
        variables.setdefault("num", num)
        return finish(context, catalogue().ungettext(singular, plural, num), variables)

    @pass_eval_context
    def pgettext(context, string_context, string, **variables):
        variables.setdefault("context", string_context)
        return finish(context, catalogue().upgettext(string_context, string), variables)

    @pass_eval_context
    def npgettext(context, string_context, singular, plural, num, **variables):
        variables.setdefault("context", string_context)
        variables.setdefault("num", num)
        text = catalogue().unpgettext(string_context, singular, plural, num)
        return finish(context, text, variables)

    env.globals.update(
        gettext=gettext, _=gettext, ngettext=ngettext, pgettext=pgettext, npgettext=npgettext
    )


def catalogue():
    """The request's catalogue, kept on `g` with the locale it is for.

    Keyed by the locale object itself, so under `force_locale` (a certificate printed
    in another language) the other catalogue is found, and the page's after it.
    """
    if not has_app_context():
        return get_translations()
    state = g._get_current_object()
    locale = getattr(getattr(state, "_flask_babel", None), "babel_locale", None)
    kept = getattr(state, "_catalogue", None)
    if locale is not None and kept is not None and kept[0] is locale:
        return kept[1]
    translations = get_translations()
    state._catalogue = (get_locale(), translations)
    return translations
