"""What browser tests share: signing in through the form, and whether a page fits its screen."""

import re

from playwright.sync_api import expect


def sign_in(page, account):
    page.goto("/login")
    page.get_by_label("E-mail").fill(account["email"])
    page.get_by_label("Password").fill(account["password"])
    page.get_by_role("button", name="Sign in").tap()
    expect(page).not_to_have_url(re.compile(r"/login"))


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
