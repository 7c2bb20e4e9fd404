"""With the keyboard alone (issue 16): an analyst reaches the country filter and a download by Tab, chooses with
Enter, and gets the filtered view and the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import load_curated
from analysis.filters import Filters
from analysis.insights import Insights
from tests.e2e.conftest import expect_metrics, open_app, rerun_done

FOCUSED_IN = "(selector) => !!document.activeElement && !!document.activeElement.closest(selector)"
FOCUSED_TEXT = "() => (document.activeElement && document.activeElement.innerText || '').trim()"


def tab_to(page, found, limit: int = 80) -> None:
    """Press Tab until `found(page)` holds, as a keyboard user would, at most `limit` times."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if found(page):
            return
    raise AssertionError(f"not reached with {limit} presses of Tab")


@pytest.mark.e2e
def test_the_country_filter_and_a_download_by_keyboard(curated_app, page):
    open_app(page, curated_app.url)
    tab_to(page, lambda p: p.evaluate(FOCUSED_IN, "[data-testid=stSidebar] [data-testid=stMultiSelect]"))
    page.keyboard.type("Poland")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    rerun_done(page)
    kpis = Insights(load_curated(), Filters(countries=("PL",))).kpis()
    expect_metrics(page, {label: f"{value:,}" for label, value in kpis.items()})
    assert "country=PL" in page.url
    # The first "Data (CSV)" after the filters: the countries chart's (the button's text begins with its icon's name).
    tab_to(page, lambda p: p.evaluate(FOCUSED_TEXT).endswith("Data (CSV)"))
    with page.expect_download(timeout=60_000) as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "countries_PL.csv"
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("country,name,organisations")
