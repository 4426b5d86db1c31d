"""One page of a list, as API.md's `{"items": [...], "total": N}`."""

from collections.abc import Callable

from sqlalchemy import Select

from core.api import MAX_PER_PAGE
from extensions import db


def page_of(statement: Select, page: int, per_page: int, present: Callable | None = None) -> dict:
    """Two queries whatever the size: the count and the page itself.

    `present`, when given, turns each record into the document the API answers.
    """
    result = db.paginate(
        statement,
        page=page,
        per_page=min(per_page, MAX_PER_PAGE),
        max_per_page=MAX_PER_PAGE,
        error_out=False,
    )
    items = list(result.items)
    return {"items": [present(item) for item in items] if present else items, "total": result.total}
