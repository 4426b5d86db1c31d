"""Searching by name: text folded the same way on both sides, and LIKE patterns.

Python does the folding for both sides of a search, so SQLite and PostgreSQL (whose
lower() differ on letters such as the Azerbaijani İ) find the same records: the
records keep a folded `search_text`, and what is typed is folded before it is looked for.
"""

import unicodedata


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", (text or "").casefold())
    return "".join(char for char in folded if not unicodedata.combining(char)).replace("ı", "i")


def searchable(text: str) -> str:
    """A form of text that matches however it is typed: case, dots and accents aside.

    Ə is typed e on a keyboard without it (Vəliyev: veliyev).
    """
    return _fold(text).replace("ə", "e")


def search_index(text: str) -> str:
    """What a search looks in: `searchable`, and the passport spelling of Ə as A (Aliyev)."""
    folded = _fold(text)
    if "ə" not in folded:
        return folded
    return f"{folded.replace('ə', 'e')} {folded.replace('ə', 'a')}"


# The escape character of `containing` patterns: LIKE ... ESCAPE '\\'.
LIKE_ESCAPE = "\\"


def containing(word: str) -> str:
    """A LIKE pattern for text containing `word`: its own % and _ are letters, not wildcards."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
