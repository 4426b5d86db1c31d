"""Names in Latin letters: ICAO Doc 9303 transliteration for Cyrillic names."""

import unicodedata

import iuliia


def is_cyrillic(text: str) -> bool:
    return any("CYRILLIC" in unicodedata.name(char, "") for char in text)


def latin_name(full_name: str) -> str:
    """The passport spelling of a name (ICAO Doc 9303, as machine-readable passports use).

    Cyrillic names are transliterated (Алексей Смирнов -> Aleksei Smirnov); names
    already in Latin letters, Azerbaijani ones included (Əli Məmmədov), keep their form.
    """
    name = " ".join(full_name.split())
    return iuliia.ICAO_DOC_9303.translate(name) if is_cyrillic(name) else name
