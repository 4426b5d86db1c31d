"""The order of people in every list: by their Latin name, as a reader expects it.

Latin names are kept as typed, and an Azerbaijani passport spells Əliyev, İsmayılov,
Şükürov. By code point those letters come after Z, so half a roster of the Azerbaijani
ministry sorted after Zeynalov. Here each letter sorts right after its base letter, as
in the Azerbaijani alphabet (E, Ə; I, İ; S, Ş), whatever the case.

The key is made of ASCII letters and digits only, so that it sorts the same in Python,
in SQLite and in PostgreSQL whatever the database's collation. Trainees keep theirs in
`Trainee.sort_name` for the lists ordered in SQL.
"""

import unicodedata
from functools import lru_cache

# Letters with no decomposition into a base letter and a mark: their base and their
# place after it. Dotless ı comes before i in Azerbaijani.
OWN_LETTERS = {"ə": "e1", "ı": "i0", "ø": "o1", "æ": "a2", "đ": "d1", "ł": "l1"}
SORT_NAME_LENGTH = 400  # two characters for each of a name's 200


@lru_cache(maxsize=65_536)  # the same names are sorted on every request of a course's pages
def sort_key(name: str) -> str:
    """Two characters for each letter: the base, then 0 (plain), 1 (marked: ç, ğ, İ...) or
    2. A space is "00", before every digit ("01" to "91") and letter, so that a shorter
    word comes first. Punctuation (an apostrophe, a hyphen) is left out; a letter of
    another alphabet sorts after every Latin one, by its code point."""
    parts = []
    # Folded, then composed: a "c" typed with a separate cedilla is the letter ç. The dot
    # that folding leaves after the i of a capital İ is a mark, and marks are left out.
    for char in unicodedata.normalize("NFC", (name or "").casefold()):
        if char in OWN_LETTERS:
            parts.append(OWN_LETTERS[char])
        elif "a" <= char <= "z":
            # Plain i comes after ı; every other plain letter is first of its kind.
            parts.append(char + ("1" if char == "i" else "0"))
        elif "0" <= char <= "9":
            parts.append(char + "1")  # after a space ("00"), before every letter
        elif char.isspace():
            parts.append("00")
        elif char.isalpha():
            base = unicodedata.normalize("NFKD", char)[0]
            if "a" <= base <= "z" and base != char:
                parts.append(base + ("2" if base == "i" else "1"))
            else:
                parts.append(f"z9{ord(char):06x}")
    return "".join(parts)[:SORT_NAME_LENGTH]
