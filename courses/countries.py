"""ISO 3166-1 alpha-2 country codes, and their names in the reader's language."""

import pycountry
from babel import Locale
from flask_babel import get_locale

COUNTRY_CODES = sorted(country.alpha_2 for country in pycountry.countries)


def country_name(code: str) -> str:
    """The country's name in the current language (Babel's CLDR data), else the code."""
    locale = get_locale() or Locale("en")
    return locale.territories.get(code, code)
