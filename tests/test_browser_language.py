"""Chromium: switching the language translates the navigation."""

import pytest
from playwright.sync_api import expect

from models.account import Role
from tests.scenarios.i18n_pages import translated

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def test_switching_to_russian_translates_the_navigation(page, accounts):
    account = accounts.make(Role.ADMIN)
    page.goto("/login")
    page.get_by_label("E-mail").fill(account["email"])
    page.get_by_label("Password").fill(account["password"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Courses", exact=True)).to_be_visible()
    page.get_by_test_id("language-switcher").get_by_role("button", name="Русский").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    nav = page.get_by_role("navigation")
    expect(nav.get_by_role("link", name=translated("ru", "Courses"), exact=True)).to_be_visible()
    expect(nav.get_by_role("button", name=translated("ru", "Sign out"))).to_be_visible()
    page.get_by_test_id("language-switcher").get_by_role("button", name="Azərbaycanca").click()
    expect(nav.get_by_role("link", name=translated("az", "Courses"), exact=True)).to_be_visible()
