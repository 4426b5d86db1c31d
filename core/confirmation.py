"""Confirmation before an irreversible act, without JavaScript: a box the user must tick.

The browser will not send the form without it (`required`); the server checks it again,
so a form sent some other way changes nothing either.
"""

from flask import request
from flask_babel import lazy_gettext as _l

NOT_CONFIRMED = _l("Nothing was changed: tick the box to confirm first.")


def confirmed() -> bool:
    return request.form.get("confirm") == "yes"
