"""An organisation's emblem: PNG or SVG, size-limited, checked to be an image, printed."""

import hashlib
import io
import json

import pytest
from sqlalchemy import select

from core.audit import AuditEntry
from extensions import db
from models import Organisation
from tests.conftest import csrf_token_in
from tests.factories import make_organisation
from tests.scenarios.certificates_api import issue, make_graduates
from tests.scenarios.documents import download, drawing_of, pages_of
from tests.scenarios.emblems import png_bytes

SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
    b'<circle cx="50" cy="50" r="40" fill="#1a4"/></svg>'
)


def upload(client, organisation_id, data: bytes, name="emblem.png", **extra):
    page = client.get(f"/organisations/{organisation_id}")
    form = {"csrf_token": csrf_token_in(page.text), "emblem": (io.BytesIO(data), name), **extra}
    return client.post(
        f"/organisations/{organisation_id}/emblem", data=form, content_type="multipart/form-data"
    )


def stored(app, organisation_id):
    with app.app_context():
        organisation = db.session.get(Organisation, organisation_id)
        return organisation.emblem, organisation.emblem_type


@pytest.fixture
def organisation_id(app, accounts):
    accounts.login_as()
    return make_organisation(app, "AZ-MES", "AZ", "az")


@pytest.mark.parametrize(("data", "kind"), [(png_bytes(), "image/png"), (SVG, "image/svg+xml")])
def test_png_and_svg_emblems_are_kept_and_shown(app, client, organisation_id, data, kind):
    response = upload(client, organisation_id, data)
    assert response.status_code == 302, response.text
    assert stored(app, organisation_id) == (data, kind)
    image = client.get(f"/organisations/{organisation_id}/emblem")
    assert image.status_code == 200 and image.mimetype == kind and image.data == data


def test_every_emblem_change_is_in_the_trail_named_by_its_digest(app, client, organisation_id):
    """An insider swapping one ministry's PNG for another PNG must leave an entry."""
    first, forged = png_bytes(), png_bytes(colour=(200, 30, 30))
    for data in (first, forged, SVG):
        assert upload(client, organisation_id, data).status_code == 302
    with app.app_context():
        updates = db.session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.entity == "organisations",
                AuditEntry.entity_id == organisation_id,
                AuditEntry.action == "update",
            )
            .order_by(AuditEntry.id)
        ).all()

    def named(data):
        return {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}

    assert [(u.before["emblem"], u.after["emblem"]) for u in updates] == [
        (None, named(first)),
        (named(first), named(forged)),  # the same type: only the image changed
        (named(forged), named(SVG)),
    ]
    assert not any(first.hex()[:64] in json.dumps(u.after) for u in updates)  # no bytes


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a not a png", "must be a PNG or SVG image"),
        (png_bytes()[:40], "not a readable PNG image"),
        (b"\x89PNG\r\n\x1a\n" + b"0" * (300 * 1024), "at most 256 KB"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "scripts"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><svg/>',
            "entities",
        ),
        (b"<svg this is not xml", "not a readable SVG image"),
    ],
)
def test_anything_else_is_refused_next_to_the_field(app, client, organisation_id, data, message):
    response = upload(client, organisation_id, data, name="emblem.png")
    assert response.status_code == 422
    assert message in response.text
    assert 'class="invalid-feedback d-block"' in response.text
    assert stored(app, organisation_id) == (None, None)


def test_the_emblem_can_be_removed(app, client, organisation_id):
    upload(client, organisation_id, png_bytes())
    response = upload(client, organisation_id, b"", remove="y")
    assert response.status_code == 302
    assert stored(app, organisation_id) == (None, None)
    assert client.get(f"/organisations/{organisation_id}/emblem").status_code == 404


def test_upload_without_the_form_token_changes_nothing(app, client, organisation_id):
    response = client.post(
        f"/organisations/{organisation_id}/emblem",
        data={"emblem": (io.BytesIO(png_bytes()), "e.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code in (400, 422)
    assert stored(app, organisation_id) == (None, None)


def test_emblem_prints_at_the_top_of_the_certificate(app, client, accounts, monkeypatch):
    setup = make_graduates(app, accounts, monkeypatch)
    with app.app_context():
        for shade, organisation in enumerate(db.session.scalars(select(Organisation))):
            emblem = png_bytes((120, 120), (200, 40 * shade, 0))  # two different images
            organisation.emblem, organisation.emblem_type = emblem, "image/png"
        db.session.commit()
    data = download(client, setup.headers, issue(client, setup).json["number"])
    front = pages_of(data)[0]
    assert len(front.images) == 2  # one emblem per issuing ministry


def test_an_svg_emblem_is_drawn_as_vectors(app, client, accounts, monkeypatch):
    setup = make_graduates(app, accounts, monkeypatch)
    number = issue(client, setup).json["number"]

    def drawing() -> bytes:
        return drawing_of(pages_of(download(client, setup.headers, number))[0])

    without = drawing()
    with app.app_context():
        for organisation in db.session.scalars(select(Organisation)):
            organisation.emblem, organisation.emblem_type = SVG, "image/svg+xml"
        db.session.commit()
    with_emblems = drawing()
    # The circle's green (#1a4 = 17, 170, 68) is painted, as a path, not as a bitmap.
    assert b".066667 .666667 .266667 rg" in with_emblems
    assert b".666667 .266667 rg" not in without
