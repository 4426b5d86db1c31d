"""What browser tests share: signing in through the form, the phone's menu, and whether a
page fits its screen."""

import re

from playwright.sync_api import expect


def sign_in(page, account):
    page.goto("/login")
    page.get_by_label("E-mail").fill(account["email"])
    page.get_by_label("Password").fill(account["password"])
    button = page.get_by_role("button", name="Sign in")
    # A finger on a phone's screen, the mouse on a laptop's.
    button.tap() if page.evaluate("navigator.maxTouchPoints > 0") else button.click()
    expect(page).not_to_have_url(re.compile(r"/login"))


def open_menu(page, timeout: float = 5_000):
    """Open the phone's collapsed menu and wait until it has finished opening.

    While it opens its links move: a click then lands on the menu's container (seen under
    load), and nothing happens.
    """
    page.get_by_role("button", name="Menu").click()
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"), timeout=timeout)


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
