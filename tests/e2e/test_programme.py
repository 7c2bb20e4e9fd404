"""Programme as a filter in a real browser (issue 26): the Overview under `programme=H2020` and the Compare page with A
and B set by programme, on a server of these tests' own serving a dataset of four programmes (tests/programmes.py);
every number held to an independent pandas reading of the dataset's files."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from analysis import i18n
from tests import programmes
from tests.e2e.conftest import App, expect_metrics, open_app

EXCEPTION = "[data-testid=stException]"
KNOWN = "the dataset's programmes: FP7, H2020, HORIZON, Interreg V-A, Italy-Croatia"

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[App, dict]]:
    """One server for this module's tests, and the dataset's raw tables."""
    folder = tmp_path_factory.mktemp("programme-e2e")
    app = App.start(programmes.write(folder))
    try:
        yield app, programmes.raw(folder)
    finally:
        app.stop()


def overview_tiles(raw: dict, chosen: tuple[str, ...]) -> dict[str, str]:
    """The Overview's tiles as the page should show them under a programme filter, from pandas."""
    tiles = {label: f"{value:,}" for label, value in programmes.overview(raw, chosen).items()}
    return tiles | {"EU contribution": i18n.euros(programmes.amounts(raw, chosen))}


def test_the_overview_of_one_programme(served, page):
    app, raw = served
    open_app(page, f"{app.url}/?programme=H2020")
    expect_metrics(page, overview_tiles(raw, ("H2020",)))
    body = page.inner_text("body")
    assert "All countries, all years, programmes: H2020, all kinds" in body
    # The sidebar's widget (the dataset names programmes) holds the URL's programme, and only it.
    widget = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").filter(has_text="Programmes")
    assert widget.count() == 1
    chosen = widget.inner_text()
    assert "H2020" in chosen and "FP7" not in chosen and "Choose options" not in chosen
    assert page.locator(EXCEPTION).count() == 0


def test_two_programmes_from_a_repeated_key_and_an_unknown_one_said(served, page):
    app, raw = served
    open_app(page, f"{app.url}/?programme=FP7&programme=H2021&programme=HORIZON")
    expect_metrics(page, overview_tiles(raw, ("FP7", "HORIZON")))
    assert f"programme H2021 ({KNOWN})" in page.inner_text("[data-testid=stSidebar]")
    assert page.locator(EXCEPTION).count() == 0


def test_compare_sets_a_and_b_by_programme(served, page):
    app, raw = served
    open_app(page, f"{app.url}/compare?a_programme=FP7&b_programme=H2020")
    tiles = {label: f"{value:,}" for label, value in programmes.compared(raw, ("FP7",), ("H2020",)).items()}
    money = {
        "EU contribution in A": i18n.euros(programmes.amounts(raw, ("FP7",))),
        "EU contribution in B": i18n.euros(programmes.amounts(raw, ("H2020",))),
    }
    expect_metrics(page, tiles | money)
    body = page.inner_text("body")
    assert "All countries, FP7 compared with H2020, all kinds" in body
    assert "Programmes A" in body and "Programmes B" in body  # the widgets beside the periods
    assert "a_programme=FP7" in page.url and "b_programme=H2020" in page.url  # the link reopens it
    assert page.locator(EXCEPTION).count() == 0
