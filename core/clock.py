"""What "today" and "now" are, in the configured time zone.

Everything that depends on the date asks here, so tests can freeze the clock by
replacing `now`.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """Today's date where the training happens (TIMEZONE, default Asia/Baku)."""
    return now().astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()
