"""Chromium: every value label of the results page's charts lies inside its drawing."""

from datetime import date

import pytest

from tests.factories import freeze
from tests.scenarios.browser import sign_in
from tests.scenarios.progress import take
from tests.scenarios.results_api import make_setup
from tests.scenarios.results_pages import NAMES, record

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

OUTSIDE = """
() => [...document.querySelectorAll('svg.chart')].flatMap(svg => {
  const width = svg.viewBox.baseVal.width, height = svg.viewBox.baseVal.height;
  return [...svg.querySelectorAll('text')].map(text => text.getBBox()).filter(box =>
    box.x < -1 || box.y < -1 || box.x + box.width > width + 1 || box.y + box.height > height + 1
  ).map(box => [box.x, box.width, width]);
})
"""


def test_chart_labels_are_not_clipped(app, page, accounts, monkeypatch):
    freeze(monkeypatch, date(2021, 1, 12))
    setup = make_setup(app, accounts, names=NAMES)
    take(app, setup, date(2021, 1, 11), dict.fromkeys(setup.trainees, "present"))
    record(app, setup, "T1", {0: 100, 1: 100, 2: 95})  # full bars: the longest labels
    sign_in(page, setup.instructor)
    page.goto(f"/courses/{setup.id}/results")
    assert page.locator("svg.chart").count() == 2
    assert page.evaluate(OUTSIDE) == []
