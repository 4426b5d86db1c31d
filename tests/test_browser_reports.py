"""Chromium on a 360 px phone: the report with its charts, and the register, fit the screen."""

import re

import pytest
from playwright.sync_api import expect

from tests.scenarios.browser import fits_the_screen, sign_in
from tests.scenarios.reports import build_scenario

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def test_an_administrator_reads_the_report_and_the_register_on_a_phone(
    app, phone, accounts, monkeypatch
):
    scenario = build_scenario(app, accounts, monkeypatch)
    sign_in(phone, scenario.admin)

    phone.goto("/reports/organisations")
    expect(phone.get_by_role("heading", name="Report by organisation")).to_be_visible()
    charts = phone.locator("svg.chart")
    expect(charts).to_have_count(2)
    box = charts.first.bounding_box()
    assert box is not None and 0 < box["width"] <= 360
    expect(phone.get_by_role("cell", name="66.7")).to_be_visible()
    assert fits_the_screen(phone)

    phone.get_by_label("From").fill("2021-02-01")
    phone.get_by_role("button", name="Show").tap()
    expect(phone).to_have_url(re.compile(r"from=2021-02-01"))
    expect(phone.get_by_role("cell", name="Azərbaycan FHN")).to_have_count(0)
    expect(phone.get_by_role("cell", name="МЧС России").first).to_be_visible()

    phone.goto("/qualifications")
    expect(phone.get_by_role("heading", name="Register of qualified specialists")).to_be_visible()
    expect(phone.locator("tbody tr")).to_have_count(1)  # a1's reissued certificate
    assert fits_the_screen(phone)
