"""Free text as it is kept: one line of words, nothing the database refuses."""


def one_line(text: str | None, limit: int | None = None) -> str:
    """The words of `text` with single spaces between them, cut to `limit` characters.

    NUL characters are dropped: PostgreSQL refuses them, and a page's form field (a
    sheet's note) can send one where the API's fields would have refused it.
    """
    words = " ".join((text or "").replace("\x00", "").split())
    return words if limit is None else words[:limit]
