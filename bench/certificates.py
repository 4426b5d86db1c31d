"""How fast a course's certificates print, against WeasyPrint rendering the same pages.

The app's course PDF of 60 certificates (the demo's, repeated) is timed in-process.
WeasyPrint, installed for the benchmark only (`make bench` tries), renders an HTML page
with the same texts and QR code 60 times over in the same run; without it the ratio
is left out.
"""

import html
import time

import segno
from sqlalchemy import select

from extensions import db

PAGES = 60


def certificate_speed(app) -> dict:
    from models import Certificate
    from trainees.certificates.pdf import course_pdf, verification_url

    with app.test_request_context():
        certificates = db.session.scalars(
            select(Certificate).where(Certificate.status == "valid").order_by(Certificate.id)
        ).all()
        batch = [certificates[i % len(certificates)] for i in range(PAGES)]
        course_pdf(batch[:2], "warm-up")  # fonts registered, catalogues loaded
        ours = _pages_per_second(lambda: course_pdf(batch, "Benchmark"))
        pages = [(c, verification_url(c)) for c in batch]
        theirs = _weasyprint_speed(pages)
    return {
        "pages_per_second": round(ours, 1),
        "weasyprint_pages_per_second": round(theirs, 1) if theirs else None,
        "ratio_vs_weasyprint": round(ours / theirs, 2) if theirs else None,
    }


def _pages_per_second(render) -> float:
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        render()
        runs.append(time.perf_counter() - started)
    return PAGES / min(runs)


def _weasyprint_speed(pages) -> float | None:
    try:
        import weasyprint
    except (ImportError, OSError):  # not installed, or its system libraries are missing
        return None
    document = "".join(_html_page(certificate, url) for certificate, url in pages)
    page_style = "@page { size: A4 landscape; margin: 15mm }"
    source = (
        f"<html><head><style>{page_style} section {{ page-break-after: always;"
        " font-family: DejaVu Sans; text-align: center }</style></head>"
        f"<body>{document}</body></html>"
    )
    return _pages_per_second(lambda: weasyprint.HTML(string=source).write_pdf())


def _html_page(certificate, url: str) -> str:
    qr = segno.make(url, error="m").svg_inline(scale=3)
    text = html.escape
    return (
        "<section><h1>Certificate</h1><p>This is to certify that</p>"
        f"<h2>{text(certificate.holder_name)}</h2><p>{text(certificate.holder_name_latin)}</p>"
        f"<p>has completed the course</p><h3>{text(certificate.course_title)}</h3>"
        f"<p>held at {text(certificate.location)}</p>"
        f"<p>Qualification: {text(certificate.qualification)}</p>"
        f"<p>Certificate No. {text(certificate.number)}</p>{qr}</section>"
    )
