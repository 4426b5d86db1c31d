"""The certificate's two pages: English and the holder's language in equal weight.

The sentence that certifies is one message per language, written whole by the
translator with `%(name)s` where the language needs no declension of the name; it is
printed in two parts around the holder's name, which stands once, in the middle, for
both languages. Each issuing organisation gets its emblem at the top and a signature
block (name, position and rank under the line, stamp area) at the bottom. Those, the
border and the title are `front_background`, the same for every certificate with the
same languages and signatories; the rest of the front is the holder's own.
"""

import io

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from reportlab.lib.colors import Color, black
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen.canvas import Canvas

from core.names import visible
from core.translated import in_language
from models import Certificate

BLUE = Color(0.1, 0.25, 0.45)
NAME_MARK = "\x00name\x00"


def local_texts(certificate: Certificate, language: str) -> dict[str, str]:
    """What the certificate says in one language: its phrases and its translated records."""
    texts = certificate.texts or {}

    def of(english, key):
        return in_language(english, texts.get(key), language)

    qualification = of(certificate.qualification, "qualification")
    with force_locale(language):
        if certificate.eod_level:
            qualification = _(
                "EOD level %(level)s (IMAS 09.30): %(qualification)s",
                level=certificate.eod_level,
                qualification=qualification,
            )
        sentence = _(
            "This is to certify that %(name)s has successfully completed the course "
            "“%(course)s” held from %(start)s to %(end)s (place: %(location)s).",
            name=NAME_MARK,
            course=of(certificate.course_title, "course_title"),
            start=format_date(certificate.course_start, "long"),
            end=format_date(certificate.course_end, "long"),
            location=of(certificate.location, "location"),
        )
        before, _mark, after = sentence.partition(NAME_MARK)
        return {
            "title": _("Certificate"),
            "before": before.strip(),
            "after": after.strip(),
            "qualification": _("Qualification: %(q)s", q=qualification),
            "eod_modules": _(
                "EOD 3+ modules: %(modules)s", modules=", ".join(texts.get("eod_modules", []))
            ),
            "hours": _("Total hours: %(h)d", h=certificate.hours),
            "number": _("Certificate No. %(number)s", number=certificate.number),
            "issued": _("Issued on %(day)s", day=format_date(certificate.issued_on, "long")),
            "valid": _("Valid until %(day)s", day=format_date(certificate.expires_on, "long")),
            "rank": _("Rank"),
            "personal_number": _("Personal No."),
            "born": _("Date of birth"),
            "organisation": _("Organisation"),
            "stamp": _("L.S."),
            "modules": _("Modules completed"),
            "module": _("Module"),
            "module_hours": _("Hours"),
            "result": _("Result"),
            "passed": _("passed"),
            # Day.month.year in digits: read the same way at either ministry's checkpoint.
            "born_on": format_date(certificate.holder_birth_date, "dd.MM.yyyy")
            if certificate.holder_birth_date
            else "",
        }


def languages(certificate: Certificate) -> list[str]:
    """English, and the holder's organisation's language when it is another one."""
    return ["en"] if certificate.holder_language == "en" else ["en", certificate.holder_language]


def _centred(canvas: Canvas, y: float, text: str, size: float, bold=False, width=700) -> float:
    """A paragraph centred on the page, wrapped; answers the y below it."""
    font = "DejaVu-Bold" if bold else "DejaVu"
    canvas.setFont(font, size)
    page_width = canvas._pagesize[0]
    for line in simpleSplit(text, font, size, width):
        canvas.drawCentredString(page_width / 2, y, line)
        y -= size * 1.3
    return y


def _emblem(canvas: Canvas, emblem: tuple | None, x: float, y: float, size: float) -> None:
    if emblem is None:
        return
    data, kind = emblem
    if kind == "image/svg+xml":
        from reportlab.graphics import renderPDF  # noqa: PLC0415 - only when an SVG is printed

        from courses.emblems import svg_drawing  # noqa: PLC0415

        drawing = svg_drawing(data)
        scale = size / max(drawing.width, drawing.height, 1)
        drawing.scale(scale, scale)
        renderPDF.draw(drawing, canvas, x, y)
    else:
        canvas.drawImage(
            ImageReader(io.BytesIO(data)), x, y, size, size, preserveAspectRatio=True, mask="auto"
        )


def both(words: list[dict], key: str) -> str:
    """A label in each of the certificate's languages, once when they are the same."""
    return " / ".join(dict.fromkeys(w[key] for w in words))


def identity_line(certificate: Certificate, words: list[dict]) -> str:
    def label(key):
        return both(words, key)

    parts = []
    if certificate.holder_rank:
        parts.append(f"{label('rank')}: {certificate.holder_rank}")
    if certificate.holder_personal_number:
        parts.append(f"{label('personal_number')}: {certificate.holder_personal_number}")
    if certificate.holder_birth_date:
        parts.append(f"{label('born')}: {words[0]['born_on']}")
    return "  ·  ".join(parts)


def front_background(canvas: Canvas, codes: list[str], blocks: list[dict], emblems: dict) -> float:
    """What the front of every certificate in the same languages and with the same
    signatories shares: the border, each issuer's emblem and name, the title and the
    signature blocks. Answers the y below the title, where the holder's part begins."""
    width, height = canvas._pagesize
    canvas.setStrokeColor(BLUE)
    canvas.setLineWidth(3)
    canvas.rect(20, 20, width - 40, height - 40)
    column = (width - 80) / max(len(blocks), 1)
    for index, block in enumerate(blocks):
        centre = 40 + column * (index + 0.5)
        _emblem(canvas, emblems.get(block["organisation"]), centre - 23, height - 88, 46)
        canvas.setFont("DejaVu", 8)
        names = dict.fromkeys(
            in_language(block["organisation"], block.get("organisation_i18n"), code)
            for code in codes
        )
        for line, name in enumerate(names):
            canvas.drawCentredString(centre, height - 100 - line * 10, name[:90])
    titles = []
    for code in codes:
        with force_locale(code):
            titles.append(_("Certificate").upper())
    y = _centred(canvas, height - 140, " · ".join(dict.fromkeys(titles)), 22, bold=True)
    _signature_blocks(canvas, blocks, width)
    return y


def front(canvas: Canvas, certificate: Certificate, top: float, qr) -> None:
    """The holder's part of the front, from `top` down, over its background."""
    codes = languages(certificate)
    words = [local_texts(certificate, code) for code in codes]
    texts = certificate.texts or {}
    y = top
    for w in words:
        y = _centred(canvas, y - 2, w["before"], 12) if w["before"] else y
    # visible(): no direction or invisible control stored before the name rules reaches paper.
    y = _centred(canvas, y - 8, visible(certificate.holder_name), 22, bold=True)
    if certificate.holder_name_latin and certificate.holder_name_latin != certificate.holder_name:
        y = _centred(canvas, y, visible(certificate.holder_name_latin), 14)
    y = _centred(canvas, y - 2, identity_line(certificate, words), 9)
    if certificate.holder_organisation:
        names = dict.fromkeys(
            in_language(certificate.holder_organisation, texts.get("holder_organisation"), c)
            for c in codes
        )
        y = _centred(canvas, y, f"{both(words, 'organisation')}: {' / '.join(names)}", 9)
    for w in words:
        y = _centred(canvas, y - 6, w["after"], 11)
    for w in words:
        y = _centred(canvas, y - 4, w["qualification"], 11, bold=True)
        if texts.get("eod_modules"):
            y = _centred(canvas, y, w["eod_modules"], 9)
    _centred(canvas, y - 2, "  ·  ".join(w["hours"] for w in words), 10)
    canvas.setFillColor(black)
    for index, key in enumerate(("number", "issued", "valid")):
        for line, w in enumerate(words):
            canvas.setFont("DejaVu", 8)
            canvas.drawString(40, 150 - index * 30 - line * 10, w[key])
    qr(canvas)


def _signature_blocks(canvas: Canvas, blocks: list[dict], width: float) -> None:
    left, right = 215, width - 190
    span = (right - left) / max(len(blocks), 1)
    for index, block in enumerate(blocks):
        x = left + index * span
        language = block.get("language") or "en"
        with force_locale(language):
            stamp = _("L.S.")
        canvas.setStrokeColor(Color(0.6, 0.6, 0.6))
        canvas.setLineWidth(0.6)
        canvas.circle(x + span - 50, 115, 24, stroke=1, fill=0)
        canvas.setFont("DejaVu", 8)
        canvas.drawCentredString(x + span - 50, 112, stamp)
        canvas.setStrokeColor(black)
        canvas.line(x, 105, x + span - 85, 105)
        # The organisation in its own language, as its stamp and its signatory's position
        # are: the heading above names every issuer in the certificate's languages.
        organisation = in_language(block["organisation"], block.get("organisation_i18n"), language)
        lines = [(block["name"], 9), (block["position"], 7.5), (block["rank"], 7.5)]
        lines.append((organisation, 6.5))
        y = 95
        for text, size in lines:
            for part in simpleSplit(text, "DejaVu", size, span - 20)[:2]:
                canvas.setFont("DejaVu", size)
                canvas.drawString(x, y, part)
                y -= size * 1.25


def modules_page(canvas: Canvas, certificate: Certificate) -> None:
    width, height = canvas._pagesize
    words = [local_texts(certificate, code) for code in languages(certificate)]
    texts = certificate.texts or {}
    title = " / ".join(dict.fromkeys(w["modules"] for w in words))
    y = _centred(canvas, height - 60, title, 16, bold=True)
    canvas.setFont("DejaVu", 10)
    holder = certificate.holder_name
    if certificate.holder_name_latin and certificate.holder_name_latin != holder:
        holder = f"{holder} ({certificate.holder_name_latin})"  # each spelling once
    holder = visible(holder)
    canvas.drawString(60, y, holder)
    canvas.drawRightString(width - 60, y, words[0]["number"])
    y -= 26

    def both(key):
        return " / ".join(dict.fromkeys(w[key] for w in words))

    columns = (60, width - 300, width - 180)
    canvas.setFont("DejaVu-Bold", 10)
    for x, key in zip(columns, ("module", "module_hours", "result"), strict=True):
        canvas.drawString(x, y, both(key))
    for module in certificate.modules:
        titles = dict.fromkeys(
            in_language(module["title"], texts.get("modules", {}).get(module["code"]), code)
            for code in languages(certificate)
        )
        lines = simpleSplit(
            f"{module['code']} · {' / '.join(titles)}", "DejaVu", 9, columns[1] - 80
        )
        y -= 16
        canvas.setFont("DejaVu", 9)
        for offset, line in enumerate(lines[:2]):
            canvas.drawString(columns[0], y - offset * 11, line)
        result = both("passed") if module["result"] == "passed" else module["result"]
        canvas.drawString(columns[1], y, str(module["hours"]))
        canvas.drawString(columns[2], y, result)
        y -= 11 * (min(len(lines), 2) - 1)
    canvas.setFont("DejaVu-Bold", 10)
    canvas.drawString(columns[0], y - 24, "    ".join(w["hours"] for w in words))
