"""The Timeline page in a real browser: its charts, their table alternatives, the controls, hover, escaping."""

from __future__ import annotations

import html

import pytest
from playwright.sync_api import expect

from analysis import load_curated, load_dataset
from analysis.filters import Filters
from analysis.insights import Insights
from analysis.timeline import ordered, timeline_rows
from charts.growth import STEPS_LIMIT
from charts.timeline import with_texts
from tests.e2e.conftest import ARTIFACTS, App, charts_drawn, open_app, rerun_done, settled

CHART = "[data-testid=stPlotlyChart]"


def expect_grid_rows(page, index: int, rows: int) -> None:
    """An st.dataframe shows `rows` data rows (its grid reports them to assistive technology), waiting for updates."""
    grid = page.locator("[data-testid=stDataFrame] [role=grid]").nth(index)
    expect(grid).to_have_attribute("aria-rowcount", str(rows + 1))  # plus the header row


CHARTS = 4  # the timeline, the yearly series, growth year by year and its small multiples
GROWTH_GRID = 2  # the growth table: after the timeline's rows and the yearly numbers


def charts(page) -> int:
    """How many plotly charts the page shows, once the last (growth's small multiples) is there."""
    page.locator(CHART).nth(CHARTS - 1).wait_for()
    return page.locator(CHART).count()


def grid_cell(page, index: int, column: int, row: int):
    """A cell of an st.dataframe as its grid reports it to assistive technology (the raw value, for rows in sight)."""
    grid = page.locator("[data-testid=stDataFrame] [role=grid]").nth(index)
    return grid.locator(f"[data-testid=glide-cell-{column}-{row}]")


def row_labels(page) -> list[str]:
    """The timeline's y-axis labels, top to bottom: one per item drawn."""
    page.locator(f"{CHART} .ytick").first.wait_for()
    return [t.strip() for t in page.locator(CHART).first.locator(".ytick text").all_text_contents()]


def hover_row(page, label: str) -> str:
    """Move the mouse along an item's row, left to right, until plotly shows a hover label; return its text."""
    chart = page.locator(CHART).first
    tick = chart.locator(".ytick text", has_text=label).first
    tick.wait_for()
    settled(page)  # plotly may redraw once after the first paint (a resize); wait for the settled label
    row = tick.bounding_box()
    plot = chart.locator(".nsewdrag").first.bounding_box()  # the plotting area
    y = row["y"] + row["height"] / 2
    for x in range(int(plot["x"]) + 2, int(plot["x"] + plot["width"]), 6):
        page.mouse.move(x, y)
        hover = chart.locator(".hoverlayer .hovertext")
        if hover.count():
            return hover.first.text_content()
    raise AssertionError(f"no hover label along the row of {label!r}")


pytestmark = pytest.mark.usefixtures("navigation_known")


def test_curated_timeline_draws_every_item_and_the_yearly_series(curated_app, page):
    insights = Insights(load_curated(), Filters())
    open_app(page, f"{curated_app.url}/timeline")
    assert page.locator("[data-testid=stException]").count() == 0
    assert charts(page) == CHARTS
    items = len(insights.view.items)
    labels = row_labels(page)
    assert len(labels) == items
    assert "Call Expo 2015" in labels and "Call Matera 2019" in labels
    expect_grid_rows(page, 0, items)  # the chart's table alternative: the same rows
    expect_grid_rows(page, 1, len(insights.yearly()))
    text = page.inner_text("body")
    assert f"Drawing all {items} agreements and actions in view" in text
    assert "All countries, all years, all kinds" in text
    legend = page.locator(CHART).first.locator(".legendtext").all_text_contents()
    assert "proposed (cross-hatched)" in legend and "completed (solid)" in legend and "open-ended (runs on)" in legend
    # A taller window, so the picture for the README shows the legend and most rows.
    page.set_viewport_size({"width": 1400, "height": 1500})
    charts_drawn(page)  # redrawn at the new size
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "timeline.png"))


@pytest.mark.parametrize(
    ("query", "filters", "calls_in_view"),
    [
        ("country=PL", Filters(countries=("PL",)), False),
        ("from=2014&to=2015", Filters(date_from="2014", date_to="2015"), True),
    ],
)
def test_url_filters_draw_what_analysis_keeps(curated_app, page, query, filters, calls_in_view):
    insights = Insights(load_curated(), filters)
    open_app(page, f"{curated_app.url}/timeline?{query}")
    assert page.locator("[data-testid=stException]").count() == 0
    assert charts(page) == CHARTS
    items = len(insights.view.items)
    labels = row_labels(page)
    assert len(labels) == items
    expect_grid_rows(page, 0, items)
    expect_grid_rows(page, 1, len(insights.yearly()))
    expect_grid_rows(page, GROWTH_GRID, len(insights.growth()))
    assert ("Call Expo 2015" in labels and "Call Matera 2019" in labels) == calls_in_view
    text = page.inner_text("body")
    assert f"Drawing all {items} agreements and actions in view" in text
    assert filters.describe() in text


def test_growth_year_by_year_shows_the_numbers_and_one_panel_per_year(curated_app, page):
    insights = Insights(load_curated(), Filters())
    growth = insights.growth()
    open_app(page, f"{curated_app.url}/timeline")
    assert page.locator("[data-testid=stException]").count() == 0
    expect(page.get_by_role("heading", name="Growth year by year")).to_be_visible()
    assert charts(page) == CHARTS
    expect_grid_rows(page, GROWTH_GRID, len(growth))
    # The second row is the first year up to its end: read its numbers from the table the analyst sees.
    first = growth.iloc[1]
    assert first["scope"] == "up to that year"
    expect(grid_cell(page, GROWTH_GRID, 0, 1)).to_have_text(str(first["year"]))
    expect(grid_cell(page, GROWTH_GRID, 1, 1)).to_have_text("up to that year")
    expect(grid_cell(page, GROWTH_GRID, 2, 1)).to_have_text(str(first["organisations"]))
    expect(grid_cell(page, GROWTH_GRID, 3, 1)).to_have_text(str(first["links"]))
    expect(grid_cell(page, GROWTH_GRID, 5, 1)).to_have_text(str(first["components"]))
    text = page.inner_text("body")
    assert "Up to that year: those of every agreement and action from the period's start" in text
    assert f"The {STEPS_LIMIT} most connected of {len(insights.network('org').nodes)} organisations" in text
    # The small multiples: one panel per year, each titled with its year.
    titles = page.locator(CHART).nth(CHARTS - 1).locator(".annotation-text").all_text_contents()
    years = sorted(set(growth["year"]))
    assert [t[:4] for t in titles] == [str(y) for y in years]
    assert page.locator("[data-testid=stException]").count() == 0


def test_a_period_without_a_dated_year_says_so(curated_app, page):
    open_app(page, f"{curated_app.url}/timeline?from=2030")  # only open-ended agreements reach it
    assert page.locator("[data-testid=stException]").count() == 0
    expect(page.get_by_role("heading", name="Growth year by year")).to_be_visible()
    assert "The period has no year with a dated agreement or action to show." in page.inner_text("body")


def test_the_limit_and_order_controls(curated_app, page):
    open_app(page, f"{curated_app.url}/timeline")
    items = len(Insights(load_curated(), Filters()).view.items)
    page.get_by_role("combobox", name="Draw at most").click()
    page.get_by_role("option", name="50", exact=True).click()
    rerun_done(page)
    expect(page.locator(CHART).first.locator(".ytick text")).to_have_count(50)
    expect_grid_rows(page, 0, 50)
    assert f"Drawing 50 of {items} agreements and actions in view" in page.inner_text("body")
    page.get_by_role("combobox", name="Order").click()
    page.get_by_role("option", name="Title", exact=True).click()
    rerun_done(page)
    expected = with_texts(ordered(timeline_rows(Insights(load_curated(), Filters()).view), "Title").head(50))
    expect(page.locator(CHART).first.locator(".ytick text")).to_have_text([html.unescape(t) for t in expected["label"]])
    assert page.locator("[data-testid=stException]").count() == 0


def test_hover_says_the_precision_and_status(curated_app, page):
    page.set_viewport_size({"width": 1400, "height": 1600})  # the call's row in sight without scrolling
    open_app(page, f"{curated_app.url}/timeline")
    text = hover_row(page, "Call Expo 2015")
    assert "Call Expo 2015" in text
    assert "Action · call · proposed" in text
    assert "Start: 2014 (year only)" in text
    assert "Organisations in view: 1" in text


def test_html_in_a_title_is_shown_as_text(html_app, new_page, dialogs):
    page = new_page
    open_app(page, f"{html_app.url}/timeline")
    assert page.locator("[data-testid=stException]").count() == 0
    labels = row_labels(page)
    assert "<img src=x onerror=alert(1)>" in labels  # the label reads as text
    assert len(labels) == len(Insights(load_dataset(html_app.data).dataset, Filters()).view.items)
    # The hover shows the title as text too; nothing runs.
    assert "<img src=x onerror=alert(1)>" in hover_row(page, "<img src=x onerror=alert(1)>")
    assert page.locator("img[src=x]").count() == 0
    assert dialogs == []


def test_a_deep_link_to_a_fresh_server_shows_the_page(page):
    app = App.start(None)
    try:
        open_app(page, f"{app.url}/timeline")
        assert charts(page) == CHARTS
    finally:
        app.stop()
