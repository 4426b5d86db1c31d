"""The words the outbox script shows, translated here and handed to it in the page.

The script has no catalogue of its own: the page carries these strings as JSON. A
count takes the plural form the page's language needs; the script picks it with
Intl.PluralRules, so each CLDR plural category gets the form gettext chose for one
number of that category. Placeholders such as %(num)d are filled in by the script.
"""

from functools import lru_cache

from babel import Locale
from flask_babel import get_locale, get_translations

from courses import bp
from courses.views.attendance import STATUS_NAMES


def _plural_table(translate, locale: str) -> dict[str, str]:
    """{CLDR category: the untranslated-placeholder form for a number of that category}."""
    rule = Locale.parse(locale).plural_form
    table: dict[str, str] = {}
    for number in range(0, 200):
        table.setdefault(rule(number), translate(number))
    return table


@bp.app_template_global()
def outbox_strings() -> dict:
    return _outbox_strings(get_translations(), str(get_locale()))


@lru_cache(maxsize=16)
def _outbox_strings(translations, locale: str) -> dict:
    """Made once per catalogue: every page of a signed-in instructor carries them."""
    return {
        "waiting": _plural_table(
            lambda n: translations.ungettext(
                "Saved on this phone, not yet sent (%(num)d waiting).",
                "Saved on this phone, not yet sent (%(num)d waiting).",
                n,
            ),
            locale,
        ),
        "sign_out": _plural_table(
            lambda n: translations.ungettext(
                "%(num)d sheet saved on this phone is not sent yet. It stays on this phone "
                "for your account and is sent when you sign in again. Sign out anyway?",
                "%(num)d sheets saved on this phone are not sent yet. They stay on this phone "
                "for your account and are sent when you sign in again. Sign out anyway?",
                n,
            ),
            locale,
        ),
        "to_decide": _plural_table(
            lambda n: translations.ungettext(
                "%(num)d sheet saved on this phone waits for your decision.",
                "%(num)d sheets saved on this phone wait for your decision.",
                n,
            ),
            locale,
        ),
        "sign_in_again": _plural_table(
            lambda n: translations.ungettext(
                "Your session has ended: %(num)d sheet saved on this phone is sent once you "
                "sign in again.",
                "Your session has ended: %(num)d sheets saved on this phone are sent once you "
                "sign in again.",
                n,
            ),
            locale,
        ),
        "sign_in": translations.ugettext("Sign in"),
        "sign_out_offline": translations.ugettext(
            "There is no network: signing out needs it. You stay signed in, and the sheets "
            "kept on this phone stay ready."
        ),
        "all_sent": translations.ugettext("Everything saved on this phone has been sent."),
        "note": translations.ugettext("Note: %(note)s"),
        "review": translations.ugettext(
            "The sheet of %(day)s was saved on this phone before another account signed in "
            "on it. Check its marks, then send it or discard it."
        ),
        "review_send": translations.ugettext("The marks are right: send them"),
        "broken": translations.ugettext(
            "The sheet of %(day)s saved on this phone was changed in the browser's storage "
            "and is not sent. Its marks are below: enter them again on the sheet if they "
            "are right."
        ),
        "sending": translations.ugettext("Sending…"),
        "conflict": translations.ugettext(
            "The sheet of %(day)s was changed on the server after you opened it. Nothing "
            "was overwritten: choose for each trainee which record to keep."
        ),
        "on_phone": translations.ugettext("On this phone: %(status)s"),
        "on_server": translations.ugettext("On the server, saved by %(name)s: %(status)s"),
        "on_server_yours": translations.ugettext("On the server, saved by you: %(status)s"),
        "save_choice": translations.ugettext("Save my choice"),
        "refused": translations.ugettext(
            "The sheet of %(day)s saved on this phone was not accepted: %(reason)s"
        ),
        "discard": translations.ugettext("Discard"),
        "discard_confirm": translations.ugettext(
            "Discard the marks of %(day)s saved on this phone? They will be lost."
        ),
        "not_recorded": translations.ugettext("Not recorded"),
        "statuses": {status: str(name) for status, name in STATUS_NAMES.items()},
    }
