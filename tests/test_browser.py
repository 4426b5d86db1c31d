"""Real headless Chromium against the app served over HTTP."""

import re

import pytest
from playwright.sync_api import expect

from models.account import Role
from tests.scenarios.browser import open_menu

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def test_admin_signs_in_through_the_form_and_sees_the_admin_home(page, accounts):
    account = accounts.make(Role.ADMIN, full_name="Leyla Hüseynova")
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login"))
    page.get_by_label("E-mail").fill(account["email"])
    page.get_by_label("Password").fill(account["password"])
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin$"))
    expect(page.get_by_role("heading", name="Administration")).to_be_visible()
    expect(page.get_by_test_id("signed-in-as")).to_have_text("Leyla Hüseynova")


def test_wrong_password_shows_the_message_in_the_browser(page, accounts):
    account = accounts.make(Role.ADMIN)
    page.goto("/login")
    page.get_by_label("E-mail").fill(account["email"])
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Invalid e-mail or password.")


def test_phone_sized_screen_has_a_working_menu_and_no_sideways_scroll(phone, accounts):
    account = accounts.make(Role.ADMIN)
    phone.goto("/login")
    phone.get_by_label("E-mail").fill(account["email"])
    phone.get_by_label("Password").fill(account["password"])
    phone.get_by_role("button", name="Sign in").click()
    expect(phone.get_by_role("heading", name="Administration")).to_be_visible()
    sign_out = phone.get_by_role("button", name="Sign out")
    expect(sign_out).to_be_hidden()  # folded into the menu on a narrow screen
    open_menu(phone)  # Bootstrap's JS, served by the app
    expect(sign_out).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    sign_out.click()
    expect(phone).to_have_url(re.compile(r"/login"))


def test_pages_load_nothing_from_other_hosts(page, accounts, live_server):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    account = accounts.make(Role.ADMIN)
    page.goto("/login")
    page.get_by_label("E-mail").fill(account["email"])
    page.get_by_label("Password").fill(account["password"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Administration")).to_be_visible()
    assert requested
    assert all(url.startswith(live_server) for url in requested), requested
