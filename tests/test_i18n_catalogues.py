"""Every message exists in Azerbaijani and Russian, and no page text escapes gettext."""

import re

import pytest
from babel.messages.mofile import write_mo

from tests.scenarios.i18n_catalogues import ROOT, catalogue

LANGUAGES = ["az", "ru"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%%")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    messages = [m for m in catalogue(language) if m.id]
    untranslated = [
        m.id
        for m in messages
        if not (all(m.string) if isinstance(m.string, list | tuple) else m.string)
    ]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def messages_in_the_code() -> set[tuple[str | None, str]]:
    """(context, message) of every text the code and templates send through gettext,
    extracted as `make extract-messages` does (its keywords read from the Makefile, and
    the code's own names for gettext besides)."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_keywords, parse_mapping_cfg

    command = next(
        line for line in (ROOT / "Makefile").read_text().splitlines() if "pybabel extract" in line
    )
    # Every name the code translates with, whether or not the Makefile knows it yet.
    used = ["_l", "lazy_gettext", "_ln:1,2", "lazy_ngettext:1,2", "lazy_pgettext:1c,2"]
    keywords = {
        **DEFAULT_KEYWORDS,
        **parse_keywords(used),
        **parse_keywords(re.findall(r"-k (\S+)", command)),
    }
    with open(ROOT / "translations" / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        found.add((context, message[0] if isinstance(message, tuple) else message))
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_of_the_code_is_in_the_catalogue(language):
    """A text added (or given a context) without `make update-messages` would show in
    English, or lose the translation it had: the letters of the attendance grid did."""
    kept = {(m.context, m.id[0] if isinstance(m.id, tuple) else m.id) for m in catalogue(language)}
    assert sorted(messages_in_the_code() - kept, key=str) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language):
    wrong = []
    for message in catalogue(language):
        if not message.id:
            continue
        sources = message.id if isinstance(message.id, list | tuple) else [message.id]
        wanted = set(PLACEHOLDER.findall(sources[-1]))
        strings = message.string if isinstance(message.string, list | tuple) else [message.string]
        for string in strings:
            found = set(PLACEHOLDER.findall(string))
            # A singular form may say "one" instead of %(num)d; nothing else may be lost.
            if found - wanted or wanted - found - {"%(num)d"}:
                wrong.append((sources[0], string))
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_compiles(language, tmp_path):
    with open(tmp_path / "messages.mo", "wb") as file:
        write_mo(file, catalogue(language))


# --- no user-visible text outside gettext in templates --------------------------------

JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
SCRIPT_STYLE = re.compile(r"<(script|style)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
VISIBLE_ATTRIBUTE = re.compile(r'\b(?:title|placeholder|alt|aria-label)="([^"]*)"')
TAG = re.compile(r"<[^>]*>")
WORD = re.compile(r"[A-Za-zÀ-ɏЀ-ӿ]{2,}")
# Not words for people: a code and the names of the three languages in their own scripts.
ALLOWED = {"EOD", "P", "F"}


def visible_text(template: str) -> list[str]:
    text = SCRIPT_STYLE.sub(" ", JINJA.sub(" ", template))
    found = list(VISIBLE_ATTRIBUTE.findall(text))
    found += TAG.sub("\n", text).splitlines()
    return [chunk.strip() for chunk in found if WORD.search(chunk or "")]


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "templates").rglob("*.html")),
    ids=lambda path: str(path.relative_to(ROOT / "templates")),
)
def test_template_text_goes_through_gettext(path):
    leaks = [chunk for chunk in visible_text(path.read_text()) if chunk not in ALLOWED]
    assert leaks == []


def test_the_scan_finds_text_outside_gettext():
    template = '<p>Hello world {{ _("ok") }}</p><input placeholder="Search here"><td>—</td>'
    assert visible_text(template) == ["Search here", "Hello world"]
