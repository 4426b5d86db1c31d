"""Names in Latin letters: ICAO Doc 9303 transliteration for Cyrillic names."""

import unicodedata

import iuliia


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", (text or "").casefold())
    return "".join(char for char in folded if not unicodedata.combining(char)).replace("ı", "i")


def searchable(text: str) -> str:
    """A form of text that matches however it is typed: case, dots and accents aside.

    Python does the folding for both sides of a search, so SQLite and PostgreSQL
    (whose lower() differ on letters such as the Azerbaijani İ) find the same trainees.
    Ə is typed e on a keyboard without it (Vəliyev: veliyev).
    """
    return _fold(text).replace("ə", "e")


def search_index(text: str) -> str:
    """What a search looks in: `searchable`, and the passport spelling of Ə as A (Aliyev)."""
    folded = _fold(text)
    if "ə" not in folded:
        return folded
    return f"{folded.replace('ə', 'e')} {folded.replace('ə', 'a')}"


def is_cyrillic(text: str) -> bool:
    return any("CYRILLIC" in unicodedata.name(char, "") for char in text)


def latin_name(full_name: str) -> str:
    """The passport spelling of a name (ICAO Doc 9303, as machine-readable passports use).

    Cyrillic names are transliterated (Алексей Смирнов -> Aleksei Smirnov); names
    already in Latin letters, Azerbaijani ones included (Əli Məmmədov), keep their form.
    """
    name = " ".join(full_name.split())
    return iuliia.ICAO_DOC_9303.translate(name) if is_cyrillic(name) else name
