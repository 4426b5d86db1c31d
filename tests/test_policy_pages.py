"""A page offers a link or a button exactly when the route behind it lets the persona in.

Each persona signs in and walks the site from their home page, following every link of
every page they see (at most a few URLs per route, so that forty-five attendance days do
not make forty-five visits). Every link must open (never 403, never back to sign-in);
every form must post to a route whose rule admits the persona's role.
"""

import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urlsplit

from werkzeug.exceptions import MethodNotAllowed, NotFound

from auth.permissions import PUBLIC, access_rule
from tests.scenarios.access_matrix import (
    ADMIN,
    HOME,
    INSTRUCTOR,
    OTHER_INSTRUCTOR,
    OTHER_TRAINEE,
    TRAINEE,
    Persona,
    build_scenario,
)

VISITS_PER_ROUTE = 2
# Not pages: files, the language switch and signing out (which would end the walk).
NOT_WALKED = {"static", "bootstrap.static", "auth.logout", "language.switch_language"}


class Targets(HTMLParser):
    """Every link (GET) and every form (its method and action) of one page."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.found.append(("GET", attributes["href"]))
        elif tag == "form":
            method = (attributes.get("method") or "GET").upper()
            self.found.append((method, attributes.get("action") or ""))


def targets_of(html: str, page: str) -> list[tuple[str, str]]:
    parser = Targets()
    parser.feed(html)
    found = []
    for method, href in parser.found:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith(("#", "mailto:")):
            continue  # another site, or a place on the same page
        path = parts.path or urlsplit(page).path
        found.append((method, path + (f"?{parts.query}" if parts.query else "")))
    return found


def refused(response) -> bool:
    location = response.headers.get("Location", "")
    return response.status_code in (401, 403) or (
        response.status_code == 302 and re.match(r"(https?://[^/]+)?/login", location)
    )


def walk(app, persona: Persona, role: str, start: str) -> tuple[list[str], int]:
    """What the persona was offered and refused, and how many pages were opened."""
    adapter = app.url_map.bind("localhost")
    problems, visits, opened = [], Counter(), 0
    queue, seen = deque([("GET", start, "home")]), set()
    while queue:
        method, target, offered_on = queue.popleft()
        try:
            endpoint, _ = adapter.match(urlsplit(target).path, method=method)
        except (NotFound, MethodNotAllowed):
            problems.append(f"{offered_on} offers {method} {target}, which does not exist")
            continue
        if endpoint in NOT_WALKED:
            continue
        if method != "GET":
            with app.test_request_context():
                rule = access_rule(endpoint, method)
            if rule != PUBLIC and (rule is None or role not in rule):
                problems.append(f"{offered_on} offers a {method} form to {target}: 403")
            continue
        if target in seen or visits[endpoint] >= VISITS_PER_ROUTE:
            continue
        seen.add(target)
        visits[endpoint] += 1
        response = persona.client.get(target)
        opened += 1
        if refused(response):
            problems.append(f"{offered_on} links to {target}: {response.status_code}")
            continue
        if response.status_code == 200 and response.mimetype == "text/html":
            queue.extend((m, t, target) for m, t in targets_of(response.text, target))
    return problems, opened


def test_no_page_offers_a_persona_what_its_target_refuses(app, accounts, monkeypatch):
    _, people = build_scenario(app, accounts, monkeypatch)
    problems, opened = [], Counter()
    for name in (ADMIN, INSTRUCTOR, OTHER_INSTRUCTOR, TRAINEE, OTHER_TRAINEE):
        account = people[name]
        persona = Persona(app, accounts, name, account)
        found, opened[name] = walk(app, persona, account["role"], HOME.get(name, "/admin"))
        problems += [f"{name}: {problem}" for problem in found]
    assert not problems, "\n".join(problems)
    # The walk reached the course's pages, not only the home page.
    assert opened[ADMIN] > 30
    assert opened[INSTRUCTOR] > 10
    assert opened[INSTRUCTOR] > opened[OTHER_INSTRUCTOR]
    assert opened[TRAINEE] > opened[OTHER_TRAINEE]
