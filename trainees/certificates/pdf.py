"""The certificate as an A4 landscape PDF, in English and the holder's own language.

Fonts (DejaVu Sans, which covers Azerbaijani and Cyrillic) are vendored under
static/fonts and registered once per process. The QR code is drawn as vector
squares from segno's matrix, so it stays sharp at any print resolution.
"""

import io
from pathlib import Path

import segno
from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from models.certificate import Certificate
from trainees.certificates.issuing import shown_status

FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts"
WIDTH, HEIGHT = landscape(A4)
GREY = Color(0.35, 0.35, 0.35)
_registered = False


def _register_fonts() -> None:
    global _registered  # noqa: PLW0603 - once per process, on first use
    if not _registered:
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONTS / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVu-Bold", str(FONTS / "DejaVuSans-Bold.ttf")))
        _registered = True


def verification_url(certificate: Certificate) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL']}/verify/{certificate.verification_code}"


def _texts(certificate: Certificate, language: str) -> dict[str, str]:
    """Every phrase of the certificate in one language (English is the source)."""
    with force_locale(language):
        return {
            "title": _("Certificate"),
            "certify": _("This is to certify that"),
            "completed": _("has completed the course"),
            "held": _(
                "held at %(location)s from %(start)s to %(end)s",
                location=certificate.location,
                start=format_date(certificate.course_start, "long"),
                end=format_date(certificate.course_end, "long"),
            ),
            "qualification": _("Qualification: %(q)s", q=certificate.qualification),
            "hours": _("Total hours: %(h)d", h=certificate.hours),
            "number": _("Certificate No. %(number)s", number=certificate.number),
            "issued": _("Issued on %(day)s", day=format_date(certificate.issued_on, "long")),
            "valid": _("Valid until %(day)s", day=format_date(certificate.expires_on, "long")),
            "director": _("Course director"),
            "verify": _("Check this certificate at"),
            "modules": _("Modules completed"),
            "module": _("Module"),
            "module_hours": _("Hours"),
            "result": _("Result"),
            "passed": _("passed"),
        }


def _pair(canvas: Canvas, y: float, english: str, local: str | None, size: int, bold=False):
    """A line in English and, below it in grey, the same line in the holder's language."""
    canvas.setFillColor(black)
    canvas.setFont("DejaVu-Bold" if bold else "DejaVu", size)
    canvas.drawCentredString(WIDTH / 2, y, english)
    if local and local != english:
        canvas.setFillColor(GREY)
        canvas.setFont("DejaVu", size * 0.8)
        canvas.drawCentredString(WIDTH / 2, y - size * 1.05, local)
        canvas.setFillColor(black)
        return y - size * 2.4
    return y - size * 1.5


def _qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    qr = segno.make(data, error="m")
    matrix = [list(row) for row in qr.matrix]
    cells = len(matrix) + 8  # quiet zone of four modules on each side
    cell = size / cells
    canvas.setFillColor(Color(1, 1, 1))
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(black)
    for row_index, row in enumerate(matrix):
        for col_index, dark in enumerate(row):
            if dark:
                canvas.rect(
                    x + (col_index + 4) * cell,
                    y + size - (row_index + 5) * cell,
                    cell,
                    cell,
                    stroke=0,
                    fill=1,
                )


def _stamp(canvas: Canvas, certificate: Certificate) -> None:
    """Across the page, in red: a copy of a certificate that no longer certifies."""
    status = shown_status(certificate)
    if status == "valid":
        return
    canvas.saveState()
    canvas.setFillColor(Color(0.75, 0.1, 0.1, alpha=0.35))
    canvas.setFont("DejaVu-Bold", 90)
    canvas.translate(WIDTH / 2, HEIGHT / 2)
    canvas.rotate(25)
    canvas.drawCentredString(0, 0, status.upper())
    canvas.restoreState()
    canvas.saveState()  # and once across the top, where a reader (or a scanner) reads first
    canvas.setFillColor(Color(0.75, 0.1, 0.1))
    canvas.setFont("DejaVu-Bold", 14)
    canvas.drawCentredString(WIDTH / 2, HEIGHT - 32, status.upper())
    canvas.restoreState()


def _front(canvas: Canvas, certificate: Certificate) -> None:
    english = _texts(certificate, "en")
    local = _texts(certificate, certificate.holder_language)
    canvas.setStrokeColor(Color(0.1, 0.25, 0.45))
    canvas.setLineWidth(3)
    canvas.rect(20, 20, WIDTH - 40, HEIGHT - 40)
    canvas.setFont("DejaVu", 10)
    canvas.setFillColor(GREY)
    canvas.drawCentredString(WIDTH / 2, HEIGHT - 50, "  ·  ".join(certificate.issuers))
    y = _pair(canvas, HEIGHT - 95, english["title"].upper(), local["title"].upper(), 30, True)
    y = _pair(canvas, y - 5, english["certify"], local["certify"], 13)
    canvas.setFont("DejaVu-Bold", 24)
    canvas.drawCentredString(WIDTH / 2, y - 10, certificate.holder_name)
    y -= 34
    if certificate.holder_name_latin != certificate.holder_name:
        canvas.setFont("DejaVu", 15)
        canvas.drawCentredString(WIDTH / 2, y - 4, certificate.holder_name_latin)
        y -= 26
    y = _pair(canvas, y - 6, english["completed"], local["completed"], 13)
    canvas.setFont("DejaVu-Bold", 16)
    canvas.drawCentredString(WIDTH / 2, y - 4, certificate.course_title)
    y -= 26
    y = _pair(canvas, y - 2, english["held"], local["held"], 11)
    y = _pair(canvas, y - 2, english["qualification"], local["qualification"], 12, True)
    _pair(canvas, y - 2, english["hours"], local["hours"], 11)

    canvas.setFont("DejaVu", 9)
    canvas.setFillColor(black)
    for index, key in enumerate(("number", "issued", "valid")):
        canvas.drawString(45, 110 - index * 26, english[key])
        canvas.setFillColor(GREY)
        canvas.drawString(45, 99 - index * 26, local[key])
        canvas.setFillColor(black)
    signers = certificate.issuers or [""]
    span = (WIDTH - 420) / len(signers)
    for index, issuer in enumerate(signers):
        x = 230 + index * span
        canvas.line(x, 95, x + span - 30, 95)
        canvas.setFont("DejaVu", 8)
        canvas.drawString(x, 84, f"{english['director']} / {local['director']}")
        canvas.setFont("DejaVu", 6.5)
        canvas.drawString(x, 74, issuer[:75])
    url = verification_url(certificate)
    _qr(canvas, url, WIDTH - 165, 45, 120)
    canvas.setFont("DejaVu", 6.5)
    canvas.drawRightString(WIDTH - 45, 38, url)


def _modules(canvas: Canvas, certificate: Certificate) -> None:
    english = _texts(certificate, "en")
    local = _texts(certificate, certificate.holder_language)
    y = _pair(canvas, HEIGHT - 60, english["modules"], local["modules"], 18, True)
    canvas.setFont("DejaVu", 10)
    canvas.drawString(60, y, f"{certificate.holder_name} · {certificate.holder_name_latin}")
    canvas.drawRightString(WIDTH - 60, y, english["number"])
    y -= 26
    canvas.setFont("DejaVu-Bold", 10)
    header = [
        f"{english['module']} / {local['module']}",
        f"{english['module_hours']} / {local['module_hours']}",
        f"{english['result']} / {local['result']}",
    ]
    columns = (60, WIDTH - 300, WIDTH - 180)
    for x, text in zip(columns, header, strict=True):
        canvas.drawString(x, y, text)
    canvas.setFont("DejaVu", 10)
    for module in certificate.modules:
        y -= 18
        result = module["result"]
        if result == "passed":
            result = f"{english['passed']} / {local['passed']}"
        canvas.drawString(columns[0], y, f"{module['code']} · {module['title']}"[:90])
        canvas.drawString(columns[1], y, str(module["hours"]))
        canvas.drawString(columns[2], y, result)
    canvas.setFont("DejaVu-Bold", 10)
    canvas.drawString(columns[0], y - 24, english["hours"])


def _canvas(buffer: io.BytesIO, title: str) -> Canvas:
    _register_fonts()
    canvas = Canvas(buffer, pagesize=landscape(A4), pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor("Pyrotechnic training courses")
    return canvas


def certificate_pdf(certificate: Certificate) -> bytes:
    """One certificate: the certificate itself, then the modules it covers."""
    buffer = io.BytesIO()
    canvas = _canvas(buffer, f"Certificate {certificate.number}")
    _front(canvas, certificate)
    _stamp(canvas, certificate)
    canvas.showPage()
    _modules(canvas, certificate)
    _stamp(canvas, certificate)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def course_pdf(certificates: list[Certificate], title: str) -> bytes:
    """Every certificate of a course, one page each, ready to print."""
    buffer = io.BytesIO()
    canvas = _canvas(buffer, title)
    for certificate in certificates:
        _front(canvas, certificate)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
