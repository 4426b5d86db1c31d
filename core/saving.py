"""The save step of an HTML form: one service call, one transaction, one answer.

Services flush and raise `RuleBroken`; the page commits. Every form that changes
something runs the same block: call the service; on a refusal roll back (nothing of it
is kept) and show why; else commit and say what was saved. The caller redirects.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import flash

from core.errors import RuleBroken
from core.forms import show_rule_broken
from extensions import db


@dataclass(frozen=True)
class Outcome:
    """What the service answered: its result when saved, its refusal when not."""

    value: Any = None
    refusal: RuleBroken | None = None

    def __bool__(self) -> bool:
        return self.refusal is None


def save(
    action: Callable[[], Any],
    success: Callable[[Any], str] | str,
    refused: Callable[[RuleBroken], None] | None = None,
) -> Outcome:
    """Run `action` as the request's one transaction.

    `success` is the message flashed after the commit (or makes it from the result);
    `refused` shows a refusal (by default flashed above the page).
    """
    try:
        value = action()
    except RuleBroken as error:
        db.session.rollback()
        (refused or flash_refusal)(error)
        return Outcome(refusal=error)
    db.session.commit()
    flash(success(value) if callable(success) else success, "success")
    return Outcome(value=value)


def create_or_update(record, create, update, version: int, values: dict) -> Callable[[], Any]:
    """The call of a record's form: create it when new, else change it at `version`."""
    if record is None:
        return lambda: create(values)
    return lambda: update(record, version, values)


def flash_refusal(error: RuleBroken) -> None:
    flash(str(error.message), "danger")


def next_to_fields(form, fields: dict | None = None) -> Callable[[RuleBroken], None]:
    """Show a refusal next to the form's fields (see core.forms.show_rule_broken)."""
    return lambda error: show_rule_broken(form, error, fields)


def kept(error: RuleBroken) -> None:
    """The page shows the refusal itself (it is in the Outcome)."""
