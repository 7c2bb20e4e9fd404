"""Accessibility (WCAG 2.1 AA, issue 16): axe-core finds no serious or critical violation on any page, in English on
the curated data and on a dataset the pages were not made for (in Italian: test_italian's page by page check); the
toolbar offers analysts no developer actions; the page says its language."""

from __future__ import annotations

import csv

import pytest

from tests.e2e.conftest import App, charts_drawn, open_app, violations

PAGES = ["", "map", "network", "partners?org={org}", "money", "timeline", "compare", "sources", "data"]


@pytest.fixture(scope="module")
def unseen(synthetic_app: App) -> tuple[App, str]:
    """The shared server on a synthetic dataset (tests/servers.py), and one of its organisations for Partners."""
    assert synthetic_app.data is not None
    with (synthetic_app.data / "organisations.csv").open(encoding="utf-8") as rows:
        org = next(csv.DictReader(rows))["org_id"]
    return synthetic_app, org


SERVED: set[str] = set()


def check_page(page, url: str, path: str, language: str) -> None:
    if url not in SERVED:  # the root first, once per server: deep links then resolve (see test_timeline)
        open_app(page, url)
        SERVED.add(url)
    joiner = "&" if "?" in path else "?"
    open_app(page, f"{url}/{path}{joiner}lang={language}")
    charts_drawn(page)  # charts draw on after the run
    assert violations(page) == []
    assert "Deploy" not in page.inner_text("body")
    assert page.evaluate("document.documentElement.lang") == language


# One test a page, so that the pages are checked side by side on the run's workers; the same pages in Italian are
# checked where test_italian reads them, so that each is opened once.
@pytest.mark.e2e
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_violation_on_the_curated_data(curated_app, page, path):
    check_page(page, curated_app.url, path.format(org="puglia-creativa"), "en")


# The data's part, in English: a page's Italian words come from the same catalogue whatever the data, and both
# languages on both datasets took a tenth of the suite.
@pytest.mark.e2e
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_violation_on_an_unseen_dataset(unseen, page, path):
    app, org = unseen
    check_page(page, app.url, path.format(org=org), "en")
