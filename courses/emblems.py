"""An organisation's emblem: a PNG or SVG of bounded size, checked to be an image.

The file's own bytes decide what it is, never its name or the browser's claim. An SVG
is printed by svglib; one that could reach outside itself (entities, scripts, external
images) is refused before it is parsed.
"""

import io
import re

from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError

from core.errors import Invalid
from extensions import db
from models import Organisation

MAX_BYTES = 256 * 1024
MAX_PIXELS = 4000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# What an emblem never needs and what could make the printer fetch or run something.
UNSAFE_SVG = re.compile(
    rb"<!DOCTYPE|<!ENTITY|<script|<foreignObject|<image|href\s*=\s*[\"'](?!#)", re.I
)


def _refusal(message) -> Invalid:
    return Invalid(message, {"emblem": [message]})


def svg_drawing(data: bytes):
    """The SVG as a ReportLab drawing, or None when it is not a usable SVG."""
    from svglib.svglib import svg2rlg  # noqa: PLC0415 - heavy; only for SVG emblems

    try:
        return svg2rlg(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - svglib raises many kinds on a broken file
        return None


def _check_png(data: bytes) -> None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()  # the whole file, not only its header
            width, height = image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise _refusal(_l("The emblem is not a readable PNG image.")) from error
    if max(width, height) > MAX_PIXELS:
        raise _refusal(_l("The emblem is larger than %(n)d pixels on a side.", n=MAX_PIXELS))


def _check_svg(data: bytes) -> None:
    if UNSAFE_SVG.search(data):
        raise _refusal(_l("The SVG contains scripts, entities or links to other files."))
    drawing = svg_drawing(data)
    if drawing is None or not drawing.width or not drawing.height:
        raise _refusal(_l("The emblem is not a readable SVG image."))


def emblem_type(data: bytes) -> str:
    """image/png or image/svg+xml; Invalid for anything else, too large or broken."""
    if not data:
        raise _refusal(_l("Choose a PNG or SVG file."))
    if len(data) > MAX_BYTES:
        raise _refusal(_l("The emblem may be at most %(n)d KB.", n=MAX_BYTES // 1024))
    if data.startswith(PNG_SIGNATURE):
        _check_png(data)
        return "image/png"
    head = data[:512].lstrip().lower()
    if head.startswith(b"<?xml") or head.startswith(b"<svg"):
        _check_svg(data)
        return "image/svg+xml"
    raise _refusal(_l("The emblem must be a PNG or SVG image."))


def set_emblem(organisation: Organisation, data: bytes | None) -> Organisation:
    """Replace the emblem (None removes it); flush, never commit."""
    if data is None:
        organisation.emblem, organisation.emblem_type = None, None
    else:
        organisation.emblem_type = emblem_type(data)
        organisation.emblem = data
    db.session.flush()
    return organisation
