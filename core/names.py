"""What a person's name may contain: letters of one alphabet, nothing invisible.

A name is printed on certificates and read by people who trust it. Characters
that cannot be seen (zero-width spaces, format characters) or that turn text
around (bidirectional controls, U+202A-202E and U+2066-2069) let two records look
alike or a PDF line read backwards; a name that mixes alphabets (a Cyrillic "а"
inside a Latin name) looks right and matches nothing. The same check serves the
forms, the API and the import.
"""

import unicodedata

from flask_babel import lazy_gettext as _l

# Control, format, private-use, surrogate and unassigned code points.
INVISIBLE = {"Cc", "Cf", "Co", "Cs", "Cn"}
SCRIPT_NAMES = {
    "LATIN": _l("Latin script"),
    "CYRILLIC": _l("Cyrillic script"),
    "GREEK": _l("Greek script"),
}


def _script(char: str) -> str:
    return unicodedata.name(char, "UNKNOWN").split(" ")[0]


def _code(char: str) -> str:
    return f"U+{ord(char):04X}"


def name_problem(name: str, latin_only: bool = False):
    """Why this name is refused (a message), or None."""
    for char in name:
        if unicodedata.category(char) in INVISIBLE:
            return _l(
                "The name contains an invisible or direction-changing character "
                "(%(code)s): type it again without it.",
                code=_code(char),
            )
    letters = [char for char in name if unicodedata.category(char).startswith("L")]
    if latin_only:
        foreign = sorted({char for char in letters if _script(char) != "LATIN"})
        if foreign:
            return _l(
                "Use Latin letters only: %(letters)s are not Latin letters.",
                letters=", ".join(f"{char} ({_code(char)})" for char in foreign),
            )
    scripts = sorted({_script(char) for char in letters})
    if len(scripts) > 1:
        named = ", ".join(str(SCRIPT_NAMES.get(script, script.title())) for script in scripts)
        return _l(
            "The name mixes alphabets (%(scripts)s): write it in one alphabet only.",
            scripts=named,
        )
    return None


def visible(text: str) -> str:
    """The text without format characters (direction controls, zero-width characters).

    For what leaves the application (CSV, XLSX, PDF): a record stored before the name
    rule existed still cannot turn a printed line around.
    """
    return "".join(char for char in text if unicodedata.category(char) != "Cf")
