"""The certificate as an A4 landscape PDF, in English and the holder's own language.

Fonts (DejaVu Sans, which covers Azerbaijani and Cyrillic) are vendored under
static/fonts and registered once per process. The QR code is drawn as vector
squares from segno's matrix, so it stays sharp at any print resolution.

A course's PDF holds one front per certificate. What fronts share (border, emblems,
title, signature blocks) is drawn once per document as a form XObject that every page
shows; each page draws only the holder's words and QR code. This keeps a 60-page file
small and fast to make: emblems are decoded once, not once per page.
"""

import io
import json
import re
from pathlib import Path

import segno
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from extensions import db
from models import Organisation
from models.certificate import Certificate, CertificateStatus
from trainees.certificates.document import signatories
from trainees.certificates.issuing import shown_status
from trainees.certificates.pdf_document import front, front_background, languages, modules_page

DARK_RUN = re.compile(b"\x01+")
FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts"
WIDTH, HEIGHT = landscape(A4)
_registered = False


def _register_fonts() -> None:
    global _registered  # noqa: PLW0603 - once per process, on first use
    if not _registered:
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONTS / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVu-Bold", str(FONTS / "DejaVuSans-Bold.ttf")))
        _registered = True


def verification_url(certificate: Certificate) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL']}/verify/{certificate.verification_code}"


def _qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """The QR code as one filled path: a rectangle for each run of dark modules in a row,
    in module units under a scaling transform (a few hundred short operators instead
    of a rectangle and a fill for every module)."""
    matrix = segno.make(data, error="m").matrix
    cell = size / (len(matrix) + 8)  # quiet zone of four modules on each side
    canvas.setFillColor(Color(1, 1, 1))
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(black)
    bottom = len(matrix) - 1
    runs = [
        f"{run.start()} {bottom - row} {run.end() - run.start()} 1 re"
        for row, modules in enumerate(matrix)
        for run in DARK_RUN.finditer(modules)
    ]
    canvas.saveState()
    canvas.transform(cell, 0, 0, cell, x + 4 * cell, y + 4 * cell)
    canvas.addLiteral("\n".join(runs) + "\nf")
    canvas.restoreState()


# What a copy that does not certify says across it, in the certificate's languages.
STAMPS = {
    CertificateStatus.PENDING_APPROVAL: _l("DRAFT - NOT VALID"),
    CertificateStatus.REVOKED: _l("REVOKED"),
    CertificateStatus.SUPERSEDED: _l("SUPERSEDED"),
    CertificateStatus.EXPIRED: _l("EXPIRED"),
}
STAMP_WIDTH = 640  # the diagonal's longest line, in points


def _stamp(canvas: Canvas, certificate: Certificate) -> None:
    """Across the page, in red: a copy of a certificate that no longer certifies (or not
    yet: a draft, printable for checking, never mistakable for valid)."""
    status = shown_status(certificate)
    if status not in STAMPS:
        return
    words = []
    for language in languages(certificate):
        with force_locale(language):
            words.append(str(STAMPS[status]).upper())
    words = list(dict.fromkeys(words))
    canvas.saveState()
    canvas.setFillColor(Color(0.75, 0.1, 0.1, alpha=0.35))
    canvas.translate(WIDTH / 2, HEIGHT / 2)
    canvas.rotate(25)
    for line, text in enumerate(words):
        # As large as fits: "СРОК ДЕЙСТВИЯ ИСТЁК" is longer than "EXPIRED".
        size = min(90, 90 * STAMP_WIDTH / pdfmetrics.stringWidth(text, "DejaVu-Bold", 90))
        canvas.setFont("DejaVu-Bold", size)
        canvas.drawCentredString(0, -line * 100 + (len(words) - 1) * 50, text)
    canvas.restoreState()
    canvas.saveState()  # and once across the top, where a reader (or a scanner) reads first
    canvas.setFillColor(Color(0.75, 0.1, 0.1))
    canvas.setFont("DejaVu-Bold", 14)
    canvas.drawCentredString(WIDTH / 2, HEIGHT - 32, " / ".join(words))
    canvas.restoreState()


def _emblems(certificates: list[Certificate]) -> dict[str, tuple[bytes, str]]:
    """The issuing organisations' emblems as they are now (not part of the signed text)."""
    issuers = {name for certificate in certificates for name in certificate.issuers}
    rows = db.session.execute(
        select(Organisation.name, Organisation.emblem, Organisation.emblem_type).where(
            Organisation.name.in_(issuers), Organisation.emblem.is_not(None)
        )
    )
    return {name: (data, kind) for name, data, kind in rows}


class _Fronts:
    """The fronts of one document. What certificates in the same languages with the same
    signatories share is drawn once, as a form the file keeps once and each page shows."""

    def __init__(self, canvas: Canvas, certificates: list[Certificate]) -> None:
        self.canvas = canvas
        self.emblems = _emblems(certificates)
        self.backgrounds: dict[str, tuple[str, float]] = {}

    def draw(self, certificate: Certificate) -> None:
        codes, blocks = languages(certificate), signatories(certificate)
        key = json.dumps([codes, blocks], sort_keys=True, default=str)
        if key not in self.backgrounds:
            name = f"front{len(self.backgrounds) + 1}"
            self.canvas.beginForm(name)
            top = front_background(self.canvas, codes, blocks, self.emblems)
            self.canvas.endForm()
            self.backgrounds[key] = (name, top)
        name, top = self.backgrounds[key]
        self.canvas.doForm(name)
        url = verification_url(certificate)

        def qr(canvas):
            _qr(canvas, url, WIDTH - 165, 45, 120)
            canvas.setFont("DejaVu", 6.5)
            canvas.drawRightString(WIDTH - 45, 38, url)

        front(self.canvas, certificate, top, qr)


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
    _Fronts(canvas, [certificate]).draw(certificate)
    _stamp(canvas, certificate)
    canvas.showPage()
    modules_page(canvas, certificate)
    _stamp(canvas, certificate)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def course_pdf(certificates: list[Certificate], title: str) -> bytes:
    """Every certificate of a course, one page each, ready to print."""
    buffer = io.BytesIO()
    canvas = _canvas(buffer, title)
    fronts = _Fronts(canvas, certificates)
    for certificate in certificates:
        fronts.draw(certificate)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
