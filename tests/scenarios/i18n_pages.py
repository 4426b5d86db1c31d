"""Shared by several test modules; first written for tests/test_i18n_pages.py."""

from tests.scenarios.i18n_catalogues import catalogue


def translated(language: str, english: str) -> str:
    """What the catalogue says for a message: the page must show exactly that."""
    message = catalogue(language).get(english)
    assert message is not None and message.string, f"{english!r} is not in the {language} catalogue"
    return message.string


def speaks(app, account: dict, language: str) -> None:
    """The account's own language, as its page of settings would save it."""
    from extensions import db
    from models.account import User

    with app.app_context():
        db.session.get(User, account["id"]).language = language
        db.session.commit()
