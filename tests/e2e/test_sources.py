"""The Sources page in a real browser: the sources of the facts in view, and the facts citing a chosen source."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from analysis import load_curated, load_dataset
from analysis.filters import Filters, apply
from analysis.provenance import facts_citing, source_counts
from tests.e2e.conftest import open_app, rerun_done

GRIDS = "[data-testid=stDataFrame] [role=grid]"
HEADER_PX = ROW_PX = 35  # st.dataframe's default header and row heights


def expect_grid_rows(page, index: int, rows: int) -> None:
    """An st.dataframe shows `rows` data rows (its grid reports them to assistive technology), waiting for updates."""
    expect(page.locator(GRIDS).nth(index)).to_have_attribute("aria-rowcount", str(rows + 1))  # plus the header


def select_row(page, row: int) -> None:
    """Tick a row of the first st.dataframe (its selection checkbox sits at the row's left edge)."""
    table = page.locator("[data-testid=stDataFrame]").first.bounding_box()
    page.mouse.click(table["x"] + 18, table["y"] + HEADER_PX + ROW_PX * row + ROW_PX / 2)
    rerun_done(page)


def choose(page, title: str) -> None:
    """Pick a source in the selectbox, by keyboard."""
    box = page.get_by_role("combobox", name="Facts citing the source")
    box.click()
    box.fill(title)
    box.press("Enter")
    rerun_done(page)


def test_curated_sources_and_the_facts_citing_a_selected_row(curated_app, page):
    data = load_curated()
    view = apply(data, Filters())
    sources = source_counts(data, view)
    open_app(page, f"{curated_app.url}/sources")
    assert page.locator("[data-testid=stException]").count() == 0
    expect_grid_rows(page, 0, len(sources))
    assert f"{len(sources)} sources back the facts in view" in page.inner_text("body")
    select_row(page, 1)
    picked = sources.iloc[1]
    facts = facts_citing(data, picked["source_id"], view)
    expect(page.get_by_role("heading", name=f"Facts citing: {picked['title']}")).to_be_visible()
    expect_grid_rows(page, 1, len(facts))
    assert f"{len(facts)} facts in view cite this source." in page.inner_text("body")
    # The selectbox follows the table.
    expect(page.get_by_role("combobox", name="Facts citing the source")).to_have_value(picked["title"])


@pytest.mark.parametrize(
    ("query", "filters"),
    [("country=PL", Filters(countries=("PL",))), ("from=2014&to=2015", Filters(date_from="2014", date_to="2015"))],
)
def test_url_filters_and_the_selectbox(curated_app, page, query, filters):
    data = load_curated()
    view = apply(data, filters)
    sources = source_counts(data, view)
    open_app(page, f"{curated_app.url}/sources?{query}")
    assert page.locator("[data-testid=stException]").count() == 0
    expect_grid_rows(page, 0, len(sources))
    text = page.inner_text("body")
    assert f"{len(sources)} sources back the facts in view" in text
    assert filters.describe() in text
    # The Bari press release backs the 2014 protocol, whose parties include the Polish signatory.
    source = sources.set_index("source_id").loc["seed-agevolazioni-2014"]
    choose(page, source["title"])
    facts = facts_citing(data, "seed-agevolazioni-2014", view)
    expect(page.get_by_role("heading", name=f"Facts citing: {source['title']}")).to_be_visible()
    expect_grid_rows(page, 1, len(facts))
    assert f"{len(facts)} facts in view cite this source." in page.inner_text("body")
    assert int(source["facts"]) == len(facts)


def test_the_toggle_lists_every_source(curated_app, page):
    data = load_curated()
    open_app(page, f"{curated_app.url}/sources?country=PL")
    in_view = source_counts(data, apply(data, Filters(countries=("PL",))))
    expect_grid_rows(page, 0, len(in_view))
    page.get_by_text("All sources in the dataset").click()
    rerun_done(page)
    expect_grid_rows(page, 0, len(data.sources))
    assert f"All {len(data.sources)} sources of the dataset" in page.inner_text("body")
    assert page.locator("[data-testid=stException]").count() == 0


def test_html_in_titles_is_shown_as_text(html_app, new_page, dialogs):
    page = new_page
    open_app(page, f"{html_app.url}/sources")
    assert page.locator("[data-testid=stException]").count() == 0
    loaded = load_dataset(html_app.data).dataset
    expect_grid_rows(page, 0, len(source_counts(loaded, apply(loaded, Filters()))))
    choose(page, "<img src=x onerror=alert(2)>")
    expect(page.get_by_role("heading", name="Facts citing: <img src=x onerror=alert(2)>")).to_be_visible()
    expect_grid_rows(page, 1, len(facts_citing(loaded, "src-b")))  # among them the action with the img title
    assert page.locator("img[src=x]").count() == 0
    assert dialogs == []
