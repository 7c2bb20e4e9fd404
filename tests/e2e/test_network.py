"""The Network page in a real browser: the chart, a node's details with sources, the level switch."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from analysis import load_curated
from analysis.filters import Filters
from analysis.insights import Insights
from tests.e2e.conftest import ARTIFACTS, open_app, rerun_done


def grid_rows(page, index: int = -1) -> int:
    """Data rows of an st.dataframe (its grid reports them to assistive technology)."""
    grid = page.locator("[data-testid=stDataFrame] [role=grid]").nth(index)
    return int(grid.get_attribute("aria-rowcount")) - 1  # minus the header row


def test_network_page_draws_the_filtered_network(curated_app, page):
    open_app(page, f"{curated_app.url}/network?country=PL")
    assert page.locator("[data-testid=stException]").count() == 0
    page.wait_for_selector("[data-testid=stPlotlyChart] .scatterlayer .point")
    expected = Insights(load_curated(), Filters(countries=("PL",))).metrics("org")
    # every node of this small slice is drawn (expect retries while plotly draws)
    expect(page.locator("[data-testid=stPlotlyChart] .scatterlayer .point")).to_have_count(len(expected))
    assert grid_rows(page) == len(expected)  # the sortable metrics table: one row per node
    assert "Poland and partners" in page.inner_text("body")


def test_selecting_a_node_opens_its_details_with_sources(curated_app, page):
    open_app(page, f"{curated_app.url}/network")
    page.wait_for_selector("[data-testid=stPlotlyChart] .scatterlayer .point")
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("[data-testid=stPlotlyChart]").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "network.png"))  # the README's picture: the whole network, drawn
    choose_in_search(page, "Details of", "Distretto Produttivo Puglia", "Distretto Produttivo Puglia Creativa")
    assert "node=puglia-creativa" in page.url
    text = page.inner_text("body")
    assert "Details: Distretto Produttivo Puglia Creativa" in text
    assert "Ego network:" in text
    assert "Sources of these agreements and actions" in text
    items = Insights(load_curated(), Filters()).items_of("org", "puglia-creativa")
    assert f"Agreements and actions in view ({len(items)})" in text
    page.screenshot(path=str(ARTIFACTS / "network-details.png"))
    its_page = page.get_by_role("link", name="The page of Distretto Produttivo Puglia Creativa")
    assert "id=puglia-creativa" in its_page.get_attribute("href")


def choose_in_search(page, label: str, typed: str, name: str) -> None:
    """Type in a search box and follow the link of the result whose label starts with `name`: the page reruns with
    it in its URL."""
    box = page.get_by_label(label, exact=True)
    box.click()
    box.fill(typed)
    result = page.get_by_role("link", name=re.compile("^" + re.escape(name) + " · "))
    result.wait_for()
    rerun_done(page)  # the box's own run
    result.click()
    rerun_done(page)


def test_clicking_a_node_on_the_chart_selects_it(curated_app, page):
    open_app(page, f"{curated_app.url}/network?country=DE&only=1")
    # The link trace draws lines only, so the first marker is a node; plotly listens on its drag layer, not the marker.
    box = page.locator("[data-testid=stPlotlyChart] .scatterlayer .point").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    rerun_done(page)
    assert "Details: " in page.inner_text("body")
    assert "node=" in page.url  # the click's organisation is in the URL, as a search result's is


def test_level_switch(curated_app, page):
    open_app(page, f"{curated_app.url}/network")
    page.get_by_role("radio", name="Countries").click()
    rerun_done(page)
    assert page.locator("[data-testid=stException]").count() == 0
    countries = Insights(load_curated(), Filters()).metrics("country")
    # expect retries: the chart redraws just after the run ends
    expect(page.locator("[data-testid=stPlotlyChart] .scatterlayer .point")).to_have_count(len(countries))
    page.get_by_role("radio", name="Affiliation (organisations and items)").click()
    rerun_done(page)
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.locator("[data-testid=stPlotlyChart] .scatterlayer .point").count() > 0
