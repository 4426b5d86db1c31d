"""Shared by several test modules; first written for tests/test_trainee_pages.py."""

import html
import re

TRAINEE_FORM = {
    "personal_number": "RU-0042",
    "rank": "лейтенант",
    "full_name": "Алексей Смирнов",
    "full_name_latin": "",
    "date_of_birth": "1994-03-02",
    "email": "a.smirnov@example.org",
    "medical_clearance_until": "2030-01-01",
}


def error_next_to(page: str, field: str) -> str:
    """The text of the error block under a form field ('' when there is none)."""
    match = re.search(rf'id="{field}-errors">(.*?)</div>\s*</div>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).strip() if match else ""
