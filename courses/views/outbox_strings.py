"""The words the outbox script shows, translated here and handed to it in the page.

The script has no catalogue of its own: the page carries these strings as JSON. A
count takes the plural form the page's language needs; the script picks it with
Intl.PluralRules, so each CLDR plural category gets the form gettext chose for one
number of that category. Placeholders such as %(num)d are filled in by the script.
"""

from babel import Locale
from flask_babel import get_locale, get_translations
from flask_babel import gettext as _

from courses import bp
from courses.views.attendance import STATUS_NAMES


def _plural_table(translate) -> dict[str, str]:
    """{CLDR category: the untranslated-placeholder form for a number of that category}."""
    rule = Locale.parse(str(get_locale())).plural_form
    table: dict[str, str] = {}
    for number in range(0, 200):
        table.setdefault(rule(number), translate(number))
    return table


@bp.app_template_global()
def outbox_strings() -> dict:
    translations = get_translations()
    return {
        "waiting": _plural_table(
            lambda n: translations.ungettext(
                "Saved on this phone, not yet sent (%(num)d waiting).",
                "Saved on this phone, not yet sent (%(num)d waiting).",
                n,
            )
        ),
        "sign_out": _plural_table(
            lambda n: translations.ungettext(
                "%(num)d sheet saved on this phone is not sent yet. It stays on this phone "
                "for your account and is sent when you sign in again. Sign out anyway?",
                "%(num)d sheets saved on this phone are not sent yet. They stay on this phone "
                "for your account and are sent when you sign in again. Sign out anyway?",
                n,
            )
        ),
        "all_sent": _("Everything saved on this phone has been sent."),
        "sending": _("Sending…"),
        "conflict": _(
            "The sheet of %(day)s was changed on the server after you opened it. Nothing "
            "was overwritten: choose for each trainee which record to keep."
        ),
        "on_phone": _("On this phone: %(status)s"),
        "on_server": _("On the server, saved by %(name)s: %(status)s"),
        "save_choice": _("Save my choice"),
        "refused": _("The sheet of %(day)s saved on this phone was not accepted: %(reason)s"),
        "discard": _("Discard"),
        "discard_confirm": _(
            "Discard the marks of %(day)s saved on this phone? They will be lost."
        ),
        "not_recorded": _("Not recorded"),
        "statuses": {status: str(name) for status, name in STATUS_NAMES.items()},
    }
