"""The register of qualified specialists: API, page, CSV and XLSX, and the expiring list."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from extensions import db
from models import Programme, Role, Trainee
from tests.conftest import csrf_token_in
from tests.factories import freeze
from tests.scenarios.certificates_api import issue, make_graduates

ALI = {
    "number": "2021-00001",
    "holder": "Əliyev Rauf",
    "holder_latin": "Aliyev Rauf",
    "rank": "leytenant",
    "organisation": "Ministry AZ-MES",
    "qualification": "EOD Level 1",
    "eod_level": None,
    "issued_on": "2021-01-18",
    "expires_on": "2024-01-18",
}
IVANOV = {
    **ALI,
    "number": "2021-00002",
    "holder": "Иванов Пётр",
    "holder_latin": "Ivanov Petr",
    "organisation": "Ministry RU-MCHS",
    "issued_on": "2021-03-01",
    "expires_on": "2024-03-01",
}


@pytest.fixture
def register(app, client, accounts, monkeypatch):
    """Two holders: one certified on 2021-01-18, the other on 2021-03-01."""
    setup = make_graduates(app, accounts, monkeypatch)
    assert issue(client, setup).status_code == 201
    setup.monkeypatch, setup.accounts = monkeypatch, accounts
    on(setup, date(2021, 3, 1))
    assert issue(client, setup, 1).status_code == 201
    return setup


def on(setup, day: date) -> None:
    """Move the clock to `day`, with a fresh token (the old one has expired by then)."""
    freeze(setup.monkeypatch, day)
    setup.headers = {"Authorization": f"Bearer {setup.accounts.token(setup.admin)}"}


def listed(client, headers, **query):
    answer = client.get("/api/v1/qualifications", headers=headers, query_string=query)
    assert answer.status_code == 200, answer.text
    return answer.json


def without_ids(items):
    return [{k: v for k, v in item.items() if k != "organisation_id"} for item in items]


def test_the_register_lists_every_valid_qualification(client, register):
    answer = listed(client, register.headers)
    assert answer["total"] == 2
    assert without_ids(answer["items"]) == [ALI, IVANOV]


def test_the_register_filters_by_organisation_and_pages(app, client, register):
    with app.app_context():
        organisation_id = db.session.get(Trainee, register.trainees[1]).organisation_id
    answer = listed(client, register.headers, organisation_id=organisation_id)
    assert without_ids(answer["items"]) == [IVANOV] and answer["total"] == 1
    second = listed(client, register.headers, per_page=1, page=2)
    assert second["total"] == 2 and without_ids(second["items"]) == [IVANOV]


def test_the_register_names_and_filters_by_the_programmes_eod_level(app, client, register):
    assert listed(client, register.headers, level="1") == {"items": [], "total": 0}
    with app.app_context():
        for programme in db.session.scalars(select(Programme)):
            programme.eod_level = "2"
        db.session.commit()
    answer = listed(client, register.headers, level="2")
    assert answer["total"] == 2 and [item["eod_level"] for item in answer["items"]] == ["2", "2"]
    assert listed(client, register.headers, level="1") == {"items": [], "total": 0}
    refused = client.get("/api/v1/qualifications?level=4", headers=register.headers)
    assert refused.status_code == 422 and "level" in refused.json["error"]["fields"]


def test_expiring_within_days_and_expired_ones_leave(client, register):
    on(register, date(2023, 12, 1))  # 48 and 91 days to go
    expiring = [
        [
            item["number"]
            for item in listed(client, register.headers, expiring_within_days=n)["items"]
        ]
        for n in (47, 48, 91)
    ]
    assert expiring == [[], ["2021-00001"], ["2021-00001", "2021-00002"]]
    on(register, date(2024, 1, 19))  # the first one has expired
    assert [i["number"] for i in listed(client, register.headers)["items"]] == ["2021-00002"]


def test_a_revoked_certificate_leaves_the_register(client, register):
    revoked = client.post(
        "/api/v1/certificates/2021-00001/revoke",
        headers=register.headers,
        json={"reason": "Issued in error"},
    )
    assert revoked.status_code == 200
    assert [i["number"] for i in listed(client, register.headers)["items"]] == ["2021-00002"]


@pytest.mark.parametrize("role", [Role.INSTRUCTOR, Role.TRAINEE])
def test_only_administrators_read_the_register(client, accounts, register, role):
    answer = client.get("/api/v1/qualifications", headers=accounts.bearer(role))
    assert answer.status_code == 403


def test_the_page_lists_and_filters(client, accounts, register):
    accounts.login(register.admin)
    page = client.get("/qualifications")
    assert page.status_code == 200
    assert "Əliyev Rauf" in page.text and "Иванов Пётр" in page.text
    on(register, date(2023, 12, 1))
    accounts.login(register.admin)
    page = client.get("/qualifications?expiring_within_days=60")
    assert "Əliyev Rauf" in page.text and "Иванов Пётр" not in page.text
    refused = client.get("/qualifications?expiring_within_days=soon")
    assert refused.status_code == 422
    assert (
        '<div class="invalid-feedback d-block">Give a whole number of days.</div>' in refused.text
    )


def test_the_refresher_list_leads_to_the_register(client, accounts, register):
    accounts.login(register.admin)
    page = client.get("/certificates/expiring")
    assert 'href="/qualifications?expiring_within_days=90"' in page.text
    assert csrf_token_in(page.text)  # the sign-out form, as on every page


def test_the_exports_are_formula_safe(app, client, accounts, register):
    with app.app_context():
        db.session.get(Trainee, register.trainees[0]).rank = "=SUM(A1:A9)"
        db.session.commit()
    accounts.login(register.admin)
    answer = client.get("/qualifications.csv")
    assert answer.status_code == 200 and answer.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(answer.data.decode("utf-8-sig"))))
    assert rows[0] == [
        "Number", "Holder", "Holder (Latin)", "Rank", "Organisation", "Qualification",
        "EOD level", "Issued on", "Expires on",
    ]  # fmt: skip
    assert rows[1] == [
        "2021-00001", "Əliyev Rauf", "Aliyev Rauf", "'=SUM(A1:A9)", "Ministry AZ-MES",
        "EOD Level 1", "", "2021-01-18", "2024-01-18",
    ]  # fmt: skip
    workbook = load_workbook(io.BytesIO(client.get("/qualifications.xlsx").data))
    sheet = workbook.active
    assert sheet.title == "Qualified specialists"
    assert [c.value for c in sheet[3]][:4] == [
        "2021-00002",
        "Иванов Пётр",
        "Ivanov Petr",
        "leytenant",
    ]
    assert sheet["D2"].value == "=SUM(A1:A9)" and sheet["D2"].data_type == "s"


def test_an_unknown_eod_level_is_named_next_to_its_field(client, accounts, register):
    accounts.login(register.admin)
    page = client.get("/qualifications?level=9")
    assert page.status_code == 422
    message = '<div class="invalid-feedback d-block">Choose an EOD level: 1, 2, 3 or 3+.</div>'
    assert message in page.text and "Əliyev Rauf" not in page.text
    assert client.get("/qualifications.csv?level=9").status_code == 422
