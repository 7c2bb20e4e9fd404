"""Accessibility (WCAG 2.1 AA, issue 16): axe-core finds no serious or critical violation on any page, in English and
in Italian, on the curated data and on a dataset the pages were not made for; the toolbar offers analysts no developer
actions; the page says its language."""

from __future__ import annotations

import csv
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe

from analysis import synthetic
from tests.e2e.conftest import App, open_app

PAGES = ["", "map", "network", "partners?org={org}", "timeline", "compare", "sources", "data"]
SERIOUS = ("serious", "critical")


@pytest.fixture(scope="module")
def unseen(tmp_path_factory) -> Iterator[tuple[App, str]]:
    """A server on a synthetic dataset, and one of its organisations for the Partners page."""
    folder = synthetic.write(tmp_path_factory.mktemp("syn") / "d", synthetic.generate(200, 40, 100, seed=31))
    with (folder / "organisations.csv").open(encoding="utf-8") as rows:
        org = next(csv.DictReader(rows))["org_id"]
    app = App(folder)
    yield app, org
    app.stop()


def violations(page) -> list[str]:
    """The serious and critical axe-core violations of the page as drawn: rule, impact, and the first element."""
    found = Axe().run(page).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in found if v["impact"] in SERIOUS]


def check_every_page(page, url: str, org: str, language: str) -> None:
    open_app(page, url)  # the root first: deep links then resolve (see test_timeline)
    found = {}
    for path in PAGES:
        joiner = "&" if "?" in path else "?"
        open_app(page, f"{url}/{path.format(org=org)}{joiner}lang={language}")
        page.wait_for_timeout(1000)  # charts draw on after the run
        found[path or "overview"] = violations(page)
    assert found == {path or "overview": [] for path in PAGES}
    assert "Deploy" not in page.inner_text("body")
    assert page.evaluate("document.documentElement.lang") == language


@pytest.mark.e2e
@pytest.mark.parametrize("language", ["en", "it"])
def test_no_serious_violation_on_the_curated_data(curated_app, page, language):
    check_every_page(page, curated_app.url, "puglia-creativa", language)


@pytest.mark.e2e
@pytest.mark.parametrize("language", ["en", "it"])
def test_no_serious_violation_on_an_unseen_dataset(unseen, page, language):
    app, org = unseen
    check_every_page(page, app.url, org, language)
