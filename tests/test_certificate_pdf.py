"""The certificate PDF read back: its words, its page size, its modules, its QR code, its log."""

import subprocess
from collections import Counter

import pytest
from sqlalchemy import select

from extensions import db
from models import Organisation
from models.account import Role
from models.certificate import Certificate, CertificatePrint
from tests.scenarios.certificates_api import PEOPLE, issue, make_graduates
from tests.scenarios.documents import download, forms_of, pages_of, text_of, tool
from tests.scenarios.emblems import png_bytes
from trainees.certificates.pdf import course_pdf


def qr_of(data: bytes, tmp_path) -> list[str]:
    """The QR codes zbarimg finds on page 1, rendered at 150 dpi."""
    (tmp_path / "certificate.pdf").write_bytes(data)
    prefix = tmp_path / "page"
    command = [tool("pdftoppm"), "-r", "150", "-f", "1", "-l", "1", "-png"]
    subprocess.run([*command, tmp_path / "certificate.pdf", prefix], check=True)
    [image] = tmp_path.glob("page*.png")
    found = subprocess.run(
        [tool("zbarimg"), "--raw", "-q", image], capture_output=True, text=True, check=False
    )
    assert found.returncode == 0, found.stderr
    return found.stdout.split()


@pytest.fixture
def graduates(app, client, accounts, monkeypatch):
    """Two certificates: an Azerbaijani trainee's and a Russian one's."""
    setup = make_graduates(app, accounts, monkeypatch)
    setup.issued = [issue(client, setup, n).json for n in range(2)]
    return setup


LANGUAGES = [
    (0, "Əliyev Rauf", "Aliyev Rauf", "SERTIFIKAT", "Sertifikat № 2021-00001", "İxtisas", "keçib"),
    (
        1,
        "Иванов Пётр",
        "Ivanov Petr",
        "СВИДЕТЕЛЬСТВО",
        "Свидетельство № 2021-00002",
        "Квалификация",
        "сдан",
    ),
]


@pytest.mark.parametrize(
    ("index", "native", "latin", "title", "number", "qualification", "passed"), LANGUAGES
)
def test_certificate_speaks_english_and_the_holders_language(
    client, graduates, index, native, latin, title, number, qualification, passed
):
    data = download(client, graduates.headers, graduates.issued[index]["number"])
    front = text_of(data, 1)
    assert "CERTIFICATE" in front and title in front
    assert f"Certificate No. 2021-0000{index + 1}" in front and number in front
    assert native in front and latin in front
    assert "Qualification: EOD Level 1" in front and f"{qualification}: EOD Level 1" in front
    assert "Course CRS-1" in front and "Aghdam" in front
    assert f"passed / {passed}" in text_of(data, 2)


def test_a4_landscape_with_the_modules_on_page_two(client, graduates):
    data = download(client, graduates.headers, graduates.issued[0]["number"])
    pages = pages_of(data)
    assert len(pages) == 2
    for page in pages:
        box = page.mediabox
        assert float(box.width) == pytest.approx(842, abs=1)
        assert float(box.height) == pytest.approx(595, abs=1)
    modules = text_of(data, 2)
    assert "Modules completed" in modules
    assert "A · Module A" in modules and "B · Module B" in modules
    assert "85" in modules and "passed" in modules
    assert "Aliyev Rauf" in modules and "2021-00001" in modules


def test_qr_code_holds_the_public_verification_address(client, graduates, tmp_path):
    certificate = graduates.issued[1]
    data = download(client, graduates.headers, certificate["number"])
    expected = f"http://verify.test/verify/{certificate['verification_code']}"
    assert qr_of(data, tmp_path) == [expected]
    assert expected in text_of(data, 1)


def test_course_pdf_has_one_page_per_valid_certificate(app, client, accounts, monkeypatch):
    people = [*PEOPLE, ("AZ-MES", "Həsənov Vüqar", "Hasanov Vugar")]
    setup = make_graduates(app, accounts, monkeypatch, people=people)
    numbers = [issue(client, setup, n).json["number"] for n in range(3)]
    revoke = client.post(
        f"/api/v1/certificates/{numbers[0]}/revoke", headers=setup.headers, json={"reason": "x"}
    )
    assert revoke.status_code == 200
    reissued = client.post(f"/api/v1/certificates/{numbers[1]}/reissue", headers=setup.headers)
    assert reissued.json["number"] == "2021-00004"
    response = client.get(f"/courses/{setup.course_id}/certificates.pdf", headers=setup.headers)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages = pages_of(response.data)
    assert len(pages) == 2
    texts = [text_of(response.data, n) for n in (1, 2)]
    assert "2021-00003" in texts[0] and "Hasanov Vugar" in texts[0]
    assert "2021-00004" in texts[1] and "Ivanov Petr" in texts[1]
    whole = "".join(texts)
    assert "2021-00001" not in whole and "2021-00002" not in whole
    with app.app_context():
        prints = db.session.scalars(select(CertificatePrint).order_by(CertificatePrint.id)).all()
        assert [(p.kind, p.user_id) for p in prints] == [("course", setup.admin["id"])] * 2
        assert sorted(p.certificate_id for p in prints) == [3, 4]


def test_every_download_is_logged(app, client, accounts, graduates):
    holder = accounts.make(Role.TRAINEE, trainee_id=graduates.trainees[0])
    headers = {"Authorization": f"Bearer {accounts.token(holder)}"}
    number = graduates.issued[0]["number"]
    download(client, headers, number)
    download(client, headers, number)
    download(client, graduates.headers, graduates.issued[1]["number"])
    refused = client.get(f"/certificates/{number}.pdf", headers=accounts.bearer(Role.TRAINEE))
    assert refused.status_code == 403
    with app.app_context():
        prints = db.session.scalars(select(CertificatePrint).order_by(CertificatePrint.id)).all()
        assert [(p.user_id, p.certificate_id, p.kind) for p in prints] == [
            (holder["id"], 1, "single"),
            (holder["id"], 1, "single"),
            (graduates.admin["id"], 2, "single"),
        ]
        assert all(p.at is not None for p in prints)


def test_a_course_pdf_keeps_what_its_pages_share_once(app, graduates):
    """Border, emblems, title and signature blocks: stored once, shown on every page."""
    with app.app_context():
        for shade, organisation in enumerate(db.session.scalars(select(Organisation))):
            emblem = png_bytes((120, 120), (200, 40 * shade, 0))
            organisation.emblem, organisation.emblem_type = emblem, "image/png"
        db.session.commit()
    with app.test_request_context():
        certificates = db.session.scalars(select(Certificate).order_by(Certificate.id)).all()
        assert [c.holder_language for c in certificates] == ["az", "ru"]
        one = course_pdf(certificates[:1], "CRS-1 certificates")
        data = course_pdf(certificates * 30, "CRS-1 certificates")
    pages = pages_of(data)
    assert len(pages) == 60
    shown = [forms_of(page) for page in pages]
    assert all(len(forms) == 1 for forms in shown)
    # One background for the Azerbaijani holders, one for the Russian: 30 pages each.
    kept = Counter(form.indirect_reference for forms in shown for form in forms.values())
    assert sorted(kept.values()) == [30, 30]
    images = {image.indirect_reference for page in pages for image in page.images}
    assert len(images) == 2  # each ministry's emblem, once in the file
    # Each further page adds its own words and QR code, a small part of a whole certificate.
    assert len(data) - len(one) < 59 * len(one) / 10
    for number in (1, 2, 59, 60):
        text = text_of(data, number)
        assert "CERTIFICATE" in text and "2021-0000" in text
        assert "AZ-MES" in text and "RU-MCHS" in text  # both issuers, under their emblems
