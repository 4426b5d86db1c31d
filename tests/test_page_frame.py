"""The kept parts of every page (core.page_frame) never show one visitor what is another's.

The menu is rendered once per kind of account and language and kept: here accounts of
every role, in two languages, open pages one after another in one process, and each
sees its own menu, its own name and a CSRF token of its own session.
"""

import re

from models.account import Role

ADMIN_ONLY = ('href="/admin"', 'href="/trainees"', 'href="/organisations"', 'href="/audit"')
MENU = re.compile(r'<ul class="navbar-nav me-auto">(.*?)</ul>', re.S)
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def menu_of(html: str) -> str:
    found = MENU.search(html)
    return found.group(1) if found else ""


def test_each_account_sees_its_own_menu_name_and_token(app, accounts):
    people = {
        Role.ADMIN: accounts.make(Role.ADMIN, full_name="Admin Əliyeva"),
        Role.INSTRUCTOR: accounts.make(Role.INSTRUCTOR, full_name="Пётр Петров"),
        Role.TRAINEE: accounts.make(Role.TRAINEE, full_name="Trainee Quliyev"),
    }
    seen = {}
    for _round in range(2):  # the second round reads what the first kept
        for role, account in people.items():
            client = app.test_client()
            accounts.login(account, client)
            for language in ("en", "ru"):
                client.post("/language/" + language, data={"csrf_token": _token(client)})
                html = client.get("/account").get_data(as_text=True)
                menu = menu_of(html)
                for link in ADMIN_ONLY:
                    assert (link in menu) == (role == Role.ADMIN)
                assert ('href="/instructor"' in menu) == (role == Role.INSTRUCTOR)
                assert ('href="/me"' in menu) == (role == Role.TRAINEE)
                assert f'data-testid="signed-in-as">{_name(account, people)}<' in html
                tokens = set(TOKEN.findall(html))
                assert len(tokens) == 1  # one token per page, in every form
                seen.setdefault(role, set()).update(tokens)
    admin, instructor, trainee = (seen[r] for r in (Role.ADMIN, Role.INSTRUCTOR, Role.TRAINEE))
    assert not (admin & instructor or admin & trainee or instructor & trainee)


def test_the_menu_is_in_the_readers_language(app, accounts):
    client = app.test_client()
    accounts.login(accounts.make(Role.ADMIN), client)
    english = menu_of(client.get("/account", headers={"Accept-Language": "en"}).text)
    client.post("/language/ru", data={"csrf_token": _token(client)})
    russian = menu_of(client.get("/account").get_data(as_text=True))
    assert "Courses" in english and "Courses" not in russian
    assert english != russian and russian.count("<li") == english.count("<li")


def _token(client) -> str:
    return TOKEN.search(client.get("/account").get_data(as_text=True)).group(1)


def _name(account, people) -> str:
    names = {Role.ADMIN: "Admin Əliyeva", Role.INSTRUCTOR: "Пётр Петров"}
    return names.get(account["role"], "Trainee Quliyev")
