"""One page of a list, as API.md's `{"items": [...], "total": N}`."""

from sqlalchemy import Select

from core.api import MAX_PER_PAGE
from extensions import db


def page_of(statement: Select, page: int, per_page: int) -> dict:
    """Two queries whatever the size: the count and the page itself."""
    result = db.paginate(
        statement,
        page=page,
        per_page=min(per_page, MAX_PER_PAGE),
        max_per_page=MAX_PER_PAGE,
        error_out=False,
    )
    return {"items": list(result.items), "total": result.total}
