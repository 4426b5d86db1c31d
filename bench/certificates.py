"""How fast a course's certificates print, against WeasyPrint rendering the same pages.

The app's course PDF of 60 certificates (the demo's, repeated) is timed in-process.
WeasyPrint, installed for the benchmark only (`make bench` tries), renders an HTML
certificate with the same content: both issuers' emblems and names, the title, the
sentence in both languages, the holder's identity, qualification, hours, number and
dates, a signature block with its stamp area for each issuer, the QR code (segno's, as
one SVG path) and its address, in the same fonts on an A4 landscape page. Both sides
are timed from the certificate records to the PDF's bytes: the texts, the QR codes and
the HTML are made inside WeasyPrint's timing as they are inside ours. Without WeasyPrint
the ratio is left out.

For the run, each issuing ministry is given an emblem (a PNG drawn here), as real
certificates carry; the change is rolled back afterwards.
"""

import base64
import html
import io
import time
from contextlib import contextmanager
from pathlib import Path

import segno
from flask_babel import force_locale
from flask_babel import gettext as _
from PIL import Image, ImageDraw
from sqlalchemy import select

from extensions import db

PAGES = 60
BIG_COURSE = 200  # pages: how long a worker is busy with a large course's file
FONTS = Path(__file__).resolve().parent.parent / "static" / "fonts"


def certificate_speed(app) -> dict:
    from models import Certificate
    from trainees.certificates.pdf import course_pdf

    with app.test_request_context():
        certificates = db.session.scalars(
            select(Certificate).where(Certificate.status == "valid").order_by(Certificate.id)
        ).all()

        def repeated(count):
            return [certificates[i % len(certificates)] for i in range(count)]

        batch, big = repeated(PAGES), repeated(BIG_COURSE)
        with _emblems_for(batch) as emblems:
            weasyprint, warm_up = _weasyprint(batch, emblems), _weasyprint(batch[:2], emblems)
            for render in (lambda: course_pdf(batch[:2], "warm-up"), warm_up):
                if render is not None:
                    render()  # fonts registered, catalogues loaded: on both sides
            ours, theirs, big_course = _best_of_three(
                lambda: course_pdf(batch, "Benchmark"),
                weasyprint,
                lambda: course_pdf(big, "Benchmark"),
            )
    return {
        "pages_per_second": round(PAGES / ours, 1),
        "weasyprint_pages_per_second": round(PAGES / theirs, 1) if theirs else None,
        "ratio_vs_weasyprint": round(theirs / ours, 2) if theirs else None,
        # How long one worker is busy making the file (queries and print log not counted).
        f"seconds_for_{PAGES}_pages": round(ours, 2),
        f"seconds_for_{BIG_COURSE}_pages": round(big_course, 2),
    }


def _best_of_three(*renders) -> list[float | None]:
    """Each render's best time of three rounds, taken in turn so that the machine's
    other work falls on all of them alike; None for a render that is None."""
    runs = [[] for _render in renders]
    for _round in range(3):
        for render, times in zip(renders, runs, strict=True):
            if render is not None:
                started = time.perf_counter()
                render()
                times.append(time.perf_counter() - started)
    return [min(times) if times else None for times in runs]


def _emblem_png(colour: tuple[int, int, int]) -> bytes:
    image = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 248, 248), fill=(*colour, 255), outline=(20, 20, 20, 255), width=6)
    star = [(128, 40), (150, 110), (220, 110), (162, 150), (184, 220), (128, 178), (72, 220)]
    star += [(94, 150), (36, 110), (106, 110)]
    draw.polygon(star, fill=(240, 200, 40, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@contextmanager
def _emblems_for(certificates):
    """An emblem for each issuer for the length of the run; rolled back afterwards."""
    from models import Organisation

    issuers = sorted({name for certificate in certificates for name in certificate.issuers})
    organisations = db.session.scalars(
        select(Organisation).where(Organisation.name.in_(issuers))
    ).all()
    emblems = {}
    for shade, organisation in enumerate(organisations):
        emblems[organisation.name] = _emblem_png((30 + 150 * shade, 90, 160 - 120 * shade))
        organisation.emblem, organisation.emblem_type = emblems[organisation.name], "image/png"
    db.session.flush()
    try:
        yield emblems
    finally:
        db.session.rollback()


def _weasyprint(certificates, emblems: dict):
    """WeasyPrint making the same course's file from its records, or None without it."""
    try:
        import weasyprint
    except (ImportError, OSError):  # not installed, or its system libraries are missing
        return None

    def render():
        pages = "".join(html_page(certificate, emblems) for certificate in certificates)
        source = f"<html><head><style>{STYLE}</style></head><body>{pages}</body></html>"
        return weasyprint.HTML(string=source).write_pdf()

    return render


# Every box placed with its size given, as the PDF places it: flex boxes and
# shrink-to-fit widths would make WeasyPrint about three times slower, and the PDF has
# no such work to do either.
STYLE = f"""
@font-face {{ font-family: DejaVu; src: url({(FONTS / "DejaVuSans.ttf").as_uri()}); }}
@font-face {{ font-family: DejaVu; font-weight: bold;
  src: url({(FONTS / "DejaVuSans-Bold.ttf").as_uri()}); }}
@page {{ size: 842pt 595pt; margin: 0 }}
body {{ margin: 0; font-family: DejaVu; line-height: 1.3; }}
section {{ position: relative; width: 842pt; height: 595pt; page-break-after: always; }}
section > * {{ position: absolute; }}
p, h1, h2 {{ margin: 0; }}
.frame {{ left: 20pt; top: 20pt; width: 796pt; height: 549pt; border: 3pt solid #1a4073; }}
.issuer {{ top: 42pt; font-size: 8pt; line-height: 10pt; text-align: center; }}
.issuer img {{ width: 46pt; height: 46pt; margin-bottom: 6pt; }}
.text {{ top: 124pt; left: 71pt; width: 700pt; text-align: center; }}
h1 {{ font-size: 22pt; margin-bottom: 8pt; }}
h2 {{ font-size: 22pt; margin: 6pt 0 8pt; }}
.s14 {{ font-size: 14pt; }} .s12 {{ font-size: 12pt; }}
.s11 {{ font-size: 11pt; margin-top: 5pt; }}
.s10 {{ font-size: 10pt; }} .s9 {{ font-size: 9pt; }}
.numbers {{ left: 40pt; top: 437pt; width: 170pt; font-size: 8pt; line-height: 10pt; }}
.numbers p {{ height: 30pt; }}
.signature {{ top: 456pt; }}
.stamp {{ position: absolute; top: 0; width: 48pt; height: 48pt; border: 0.6pt solid #999;
  border-radius: 50%; font-size: 8pt; line-height: 48pt; text-align: center; }}
.line {{ margin: 34pt 65pt 0 0; border-top: 0.6pt solid black; padding-top: 2pt; }}
.qr {{ left: 677pt; top: 430pt; width: 120pt; height: 120pt; }}
.qr svg {{ display: block; width: 120pt; height: 120pt; }}
.url {{ left: 397pt; top: 552pt; width: 400pt; font-size: 6.5pt; text-align: right; }}
"""


def html_page(certificate, emblems: dict) -> str:
    """One certificate as HTML, from the texts the PDF prints."""
    from core.names import visible
    from core.translated import in_language
    from trainees.certificates.document import signatories
    from trainees.certificates.pdf import verification_url
    from trainees.certificates.pdf_document import both, identity_line, languages, local_texts

    text = html.escape
    codes = languages(certificate)
    words = [local_texts(certificate, code) for code in codes]
    texts = certificate.texts or {}
    blocks = signatories(certificate)
    issuers, signatures = [], []
    column, span = (842 - 80) / max(len(blocks), 1), (842 - 405) / max(len(blocks), 1)
    for index, block in enumerate(blocks):
        emblem = emblems.get(block["organisation"])
        image = (
            f'<img src="data:image/png;base64,{base64.b64encode(emblem).decode()}">'
            if emblem
            else ""
        )
        names = dict.fromkeys(
            in_language(block["organisation"], block.get("organisation_i18n"), code)
            for code in codes
        )
        issuers.append(
            f'<div class="issuer" style="left: {40 + column * index}pt; width: {column}pt">'
            f"{image}{''.join(f'<p>{text(n)}</p>' for n in names)}</div>"
        )
        with force_locale(block.get("language") or "en"):
            stamp = _("L.S.")
        signatures.append(
            f'<div class="signature" style="left: {215 + span * index}pt; width: {span - 20}pt">'
            f'<div class="stamp" style="left: {span - 74}pt">{text(stamp)}</div>'
            f'<div class="line s9">{text(block["name"])}</div>'
            f'<p style="font-size:7.5pt">{text(block["position"])}</p>'
            f'<p style="font-size:7.5pt">{text(block["rank"])}</p>'
            f'<p style="font-size:6.5pt">{text(block["organisation"])}</p></div>'
        )
    title = " · ".join(dict.fromkeys(w["title"].upper() for w in words))
    body = [f'<p class="s12">{text(w["before"])}</p>' for w in words if w["before"]]
    body.append(f"<h2>{text(visible(certificate.holder_name))}</h2>")
    if certificate.holder_name_latin and certificate.holder_name_latin != certificate.holder_name:
        body.append(f'<p class="s14">{text(visible(certificate.holder_name_latin))}</p>')
    body.append(f'<p class="s9">{text(identity_line(certificate, words))}</p>')
    if certificate.holder_organisation:
        names = dict.fromkeys(
            in_language(certificate.holder_organisation, texts.get("holder_organisation"), c)
            for c in codes
        )
        label = both(words, "organisation")
        body.append(f'<p class="s9">{text(label)}: {text(" / ".join(names))}</p>')
    body += [f'<p class="s11">{text(w["after"])}</p>' for w in words]
    for w in words:
        body.append(f'<p class="s11"><b>{text(w["qualification"])}</b></p>')
        if texts.get("eod_modules"):
            body.append(f'<p class="s9">{text(w["eod_modules"])}</p>')
    body.append(f'<p class="s10">{text("  ·  ".join(w["hours"] for w in words))}</p>')
    numbers = "".join(
        f"<p>{'<br>'.join(text(w[key]) for w in words)}</p>"
        for key in ("number", "issued", "valid")
    )
    url = verification_url(certificate)
    qr = segno.make(url, error="m").svg_inline(omitsize=True, border=4)
    return (
        f'<section><div class="frame"></div>{"".join(issuers)}'
        f'<div class="text"><h1>{text(title)}</h1>{"".join(body)}</div>'
        f'<div class="numbers">{numbers}</div>{"".join(signatures)}'
        f'<div class="qr">{qr}</div><p class="url">{text(url)}</p></section>'
    )
