"""Every page fits every screen in every language, and axe-core finds no serious fault.

The pages are not listed by hand: every GET rule of `app.url_map` is tried for each
persona (administrator, instructor, trainee of the demo, built once per test by the
real `flask seed-demo`), with its URL parameters filled from the demo. What a
persona may not open (403) is not theirs; what answers a file or JSON is named in
NOT_PAGES with the reason. A page added later is covered without touching this file;
a new URL parameter needs a demo value in demo_values (tests/scenarios/layout.py), a new
download a NOT_PAGES line.

Each page is loaded once per language; the viewport then changes size in place:
at every width the document does not scroll sideways, no visible control lies
outside the screen, and on laptops the top bar is one row. A control in a table
that scrolls in its own box counts where it shows: hidden past the box's edge, it is
reached by scrolling the box (data-entry tables become cards on a phone instead, see
test_browser_screens.py). axe-core runs once per page, at the narrowest width (where
tables overflow), against WCAG 2.1 A and AA.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from demo.data import ACCOUNTS
from models import Role
from tests.conftest import post_form
from tests.scenarios.layout import demo_values, sign_in_by_field_names

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

LANGUAGES = ("en", "az", "ru")
PHONES = (360, 390)
LAPTOPS = (1024, 1280, 1440)
HEIGHT = 800
# endpoint (or a rule's prefix) -> why it is not a page for this test
NOT_PAGES = {
    "static": "a static file",
    "bootstrap.static": "a static file (the vendored Bootstrap)",
    "api-docs.openapi_json": "the OpenAPI document (JSON)",
    "core.health": "a health probe (JSON)",
    "courses.course_calendar": "an iCalendar file",
    "courses.attendance_csv": "a CSV download",
    "courses.attendance_xlsx": "an XLSX download",
    "trainees.roster_csv": "a CSV download",
    "trainees.roster_xlsx": "an XLSX download",
    "trainees.course_certificates_file": "a PDF download",
    "trainees.certificate_file": "a PDF download",
    "trainees.expiring_csv": "a CSV download",
    "courses.attendance_print": "a PDF to print",
    "courses.attendance_print_week": "a PDF to print",
    "courses.organisation_emblem_image": "an image (PNG or SVG)",
    "trainees.import_template_csv": "a CSV download",
    "trainees.import_template_xlsx": "an XLSX download",
    "trainees.register_csv": "a CSV download",
    "trainees.register_xlsx": "an XLSX download",
    "trainees.organisation_report_pdf": "a PDF download",
    "trainees.organisation_report_xlsx": "an XLSX download",
    "trainees.certificate_credential": "a signed credential (a JWT)",
    "trainees.credential_keys": "the credentials' public keys (JWKS, JSON)",
    "courses.web_manifest": "the web app manifest (JSON)",
    "courses.service_worker": "the service worker (JavaScript)",
    "courses.offline_account": "the signed-in account for the outbox (JSON)",
    "/api/": "the JSON API",
}
# axe-core's rules for WCAG 2.1 level A and AA; "serious" and "critical" fail the test.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
FAILING_IMPACTS = {"serious", "critical"}
AXE_SCRIPT = Axe().axe_script
# Runs in the page: only the failing violations come back, each with its first elements.
AXE_RUN = """([options, failing]) => axe.run(document, options).then((results) => results.violations
  .filter((violation) => failing.includes(violation.impact))
  .map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    targets: violation.nodes.slice(0, 5).map((node) => String(node.target[0])),
  })))"""
# Runs in the page, for one width: what does not fit, in words.
LAYOUT_PROBLEMS = """(laptop) => {
  const problems = [];
  const width = window.innerWidth;
  const root = document.documentElement;
  if (root.scrollWidth > width) {
    problems.push(`scrolls sideways: ${root.scrollWidth} px wide`);
  }
  const shown = (element) => {
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    return style.visibility !== 'hidden' && box.width > 0 && box.height > 0;
  };
  const name = (element) => {
    const text = (element.innerText || element.value || element.getAttribute('aria-label')
      || element.name || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    return `<${element.tagName.toLowerCase()}> "${text}"`;
  };
  // Bootstrap draws a radio of .btn-check as its label, which is checked instead.
  const controls = 'input:not(.btn-check):not([type=hidden]), select, textarea, button, a.btn';
  // What shows of an element: a box that scrolls sideways (a wide table) hides the part
  // outside it, reached by scrolling that box, which itself must fit (scrollWidth above).
  const showing = (element) => {
    let { left, right } = element.getBoundingClientRect();
    for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
      if (getComputedStyle(box).overflowX === 'visible') continue;
      const frame = box.getBoundingClientRect();
      left = Math.max(left, frame.left);
      right = Math.min(right, frame.right);
    }
    return { left, right };
  };
  for (const element of document.querySelectorAll(controls)) {
    if (!shown(element)) continue;
    const { left, right } = showing(element);
    if (right > left && (left < -0.5 || right > width + 0.5)) {
      problems.push(`${name(element)} lies outside the screen (${Math.round(left)}`
        + ` to ${Math.round(right)} px)`);
    }
  }
  const bar = document.querySelector('nav.navbar');
  if (laptop && bar) {
    const items = [...bar.querySelectorAll('.navbar-brand, .nav-link, .navbar-text, .btn')]
      .filter(shown).map((element) => element.getBoundingClientRect());
    const lowestTop = Math.max(...items.map((box) => box.top));
    const highestBottom = Math.min(...items.map((box) => box.bottom));
    // A two-line title is still one row; a name drawn a letter a line is not.
    if (lowestTop >= highestBottom || bar.getBoundingClientRect().height > 100) {
      problems.push(`the top bar is not one row (${Math.round(bar.offsetHeight)} px tall)`);
    }
    // A long word (разминированию, zərərsizləşdirilməsi) is not drawn past its own box
    // onto its neighbour's.
    const parts = [...bar.querySelectorAll('.navbar-brand, .nav-link, .navbar-text, .btn')]
      .filter(shown);
    for (const element of parts) {
      // The account's name is cut with "…" on purpose (its full text in its title).
      const cut = getComputedStyle(element).textOverflow === 'ellipsis';
      if (!cut && element.scrollWidth > element.clientWidth + 1) {
        problems.push(`${name(element)} spills out of its box in the top bar`);
      }
    }
    parts.forEach((one, i) => parts.slice(i + 1).forEach((other) => {
      const a = one.getBoundingClientRect();
      const b = other.getBoundingClientRect();
      if (a.left < b.right - 0.5 && b.left < a.right - 0.5
          && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) {
        problems.push(`${name(one)} and ${name(other)} overlap in the top bar`);
      }
    }));
  }
  return problems;
}"""


# Where the demo's current course shows too little, the finished one is used.
FINISHED_COURSE_PAGES = {"trainees.certificates_tab"}


def not_a_page(rule) -> str | None:
    for key, reason in NOT_PAGES.items():
        if rule.endpoint == key or (key.startswith("/") and rule.rule.startswith(key)):
            return reason
    return None


def candidate_urls(app, values: dict) -> list[str]:
    """Every GET rule that is meant to be a page, with its parameters filled."""
    urls = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or not_a_page(rule):
            continue
        given = dict(values)
        if rule.endpoint in FINISHED_COURSE_PAGES:
            given["course_id"] = values["finished_course_id"]
        missing = sorted(set(rule.arguments) - set(given))
        assert not missing, (
            f"{rule.rule}: no demo value for {missing}; add one to demo_values"
            " (tests/scenarios/layout.py)"
        )
        _, path = rule.build({name: given[name] for name in rule.arguments}, False)
        urls.append(path)
    return urls


def pages_of(app, account: dict, urls: list[str]) -> list[str]:
    """The URLs that answer this persona an HTML page (fast, without the browser)."""
    client = app.test_client()
    answer = post_form(
        client, "/login", {"email": account["email"], "password": account["password"]}
    )
    assert answer.status_code == 302, answer.text
    pages = []
    for url in urls:
        response = client.get(url)
        if response.status_code in (302, 403):
            continue  # not this persona's page (or a redirect to one that is tried anyway)
        # A 404 would be a demo value that does not exist: the page would go unchecked.
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        assert response.mimetype == "text/html", (
            f"{url} answers {response.mimetype}: name it in NOT_PAGES with the reason"
        )
        pages.append(url)
    return pages


def axe_problems(page) -> list[str]:
    return [
        f"axe {violation['id']} ({violation['impact']}): " + "; ".join(violation["targets"])
        for violation in page.evaluate(AXE_RUN, [AXE_OPTIONS, sorted(FAILING_IMPACTS)])
    ]


def layout_problems(page, url: str) -> list[str]:
    """Load once at the narrowest width, run axe there, then widen in place."""
    problems = []
    page.set_viewport_size({"width": PHONES[0], "height": HEIGHT})
    response = page.goto(url)
    assert response.ok, f"{url} answered {response.status}"
    problems += axe_problems(page)
    for width in PHONES + LAPTOPS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        found = page.evaluate(LAYOUT_PROBLEMS, width in LAPTOPS)
        problems += [f"at {width} px: {problem}" for problem in found]
    return problems


ROLES = {role: next(a for a in ACCOUNTS if a["role"] == role) for role in Role}


@pytest.mark.parametrize("role", [Role.ADMIN, Role.INSTRUCTOR, Role.TRAINEE])
def test_every_page_fits_every_screen_in_every_language(app, runner, browser, live_server, role):
    seeded = runner.invoke(args=["seed-demo"])
    assert seeded.exit_code == 0, seeded.output
    account = ROLES[role]
    pages = pages_of(app, account, candidate_urls(app, demo_values(app)))
    assert len(pages) >= {Role.ADMIN: 20, Role.INSTRUCTOR: 8, Role.TRAINEE: 3}[role], pages
    problems = []
    for language in LANGUAGES:
        context = browser.new_context(
            base_url=live_server,
            locale=language,
            viewport={"width": 360, "height": HEIGHT},
            service_workers="block",  # the offline app is tested elsewhere; here only pages
        )
        context.add_init_script(AXE_SCRIPT)  # in every page from the start, not sent per page
        page = context.new_page()
        page.set_default_timeout(20_000)
        sign_in_by_field_names(page, account)
        for url in pages:
            problems += [f"{language} {url} {p}" for p in layout_problems(page, url)]
        context.close()
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
