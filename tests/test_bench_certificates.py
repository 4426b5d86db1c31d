"""The benchmark compares like with like: its WeasyPrint page says what the PDF says.

`make bench` times the course PDF against WeasyPrint rendering an HTML certificate; the
ratio means something only while that HTML carries the same words as the certificate.
WeasyPrint itself is not needed here: the words of the HTML are read from its source.
"""

import html
import re

import pytest
from sqlalchemy import select

from bench.certificates import html_page
from extensions import db
from models.certificate import Certificate
from tests.scenarios.certificates_api import issue, make_graduates
from tests.scenarios.documents import text_of
from trainees.certificates.pdf import course_pdf


@pytest.fixture
def certificates(app, client, accounts, monkeypatch):
    """An Azerbaijani trainee's certificate and a Russian one's."""
    setup = make_graduates(app, accounts, monkeypatch)
    for index in range(2):
        assert issue(client, setup, index).status_code == 201


def test_the_weasyprint_page_carries_the_words_of_the_certificate(app, certificates):
    with app.test_request_context():
        rows = db.session.scalars(select(Certificate).order_by(Certificate.id)).all()
        pdf = course_pdf(rows, "CRS-1 certificates")
        pages = [html_page(certificate, {}) for certificate in rows]
    for number, page in enumerate(pages, start=1):
        words = html.unescape(re.sub(r"<[^>]+>", " ", page)).split()
        assert sorted(words) == sorted(text_of(pdf, number).split())
