"""Shared by several test modules; first written for tests/test_i18n_catalogues.py."""

from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]  # the project, above tests/scenarios/


def catalogue(language: str):
    with open(ROOT / "translations" / language / "LC_MESSAGES" / "messages.po", "rb") as file:
        return read_po(file, locale=language)
