"""The Map page in a real browser: drawn offline, the tables match analysis, clicks and the keyboard pick a region,
and hostile dataset text stays text."""

from __future__ import annotations

import io
import math
import time

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from analysis import load_curated, load_dataset
from analysis.filters import Filters
from analysis.insights import Insights
from analysis.places import place_organisations
from charts import map as mapping
from tests.e2e.conftest import ARTIFACTS, App, open_app, rerun_done, run_finished, runs
from tests.servers import HOSTILE

CHART = "[data-testid=stDeckGlJsonChart]"


def shaped(insights: Insights) -> mapping.MapData:
    return mapping.map_data(insights.dataset, insights.places(), insights.network("region"))


def outside_requests(page: Page) -> list[str]:
    """Collects every request that leaves the app's own server (a tile server, a CDN)."""
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if not r.url.startswith("http://127.0.0.1") else None)
    return seen


def drawn_colours(page: Page, enough: int = 20) -> int:
    """Distinct colours in a screenshot of the map: a blank or failed WebGL canvas has one or two. deck.gl draws on
    its canvas in later animation frames, with no event in the page: look again until `enough` colours show (10 s)."""
    page.wait_for_selector(f"{CHART} canvas", timeout=30_000)
    deadline = time.monotonic() + 10
    while True:
        shot = Image.open(io.BytesIO(page.locator(CHART).screenshot())).convert("RGB")
        colours = len(shot.resize((200, 120)).getcolors(maxcolors=200 * 120))
        if colours > enough or time.monotonic() > deadline:
            return colours


def grid_rows(page: Page, container: str) -> int:
    """Data rows of the st.dataframe inside a keyed container (its grid reports them to assistive technology)."""
    grid = page.locator(f".st-key-{container} [data-testid=stDataFrame] [role=grid]")
    return int(grid.get_attribute("aria-rowcount")) - 1  # minus the header row


def screen_point(page: Page, view: dict[str, float], lon: float, lat: float) -> tuple[float, float]:
    """Where a longitude/latitude appears on the map's canvas (Web Mercator, pitch 0, 512-pixel world at zoom 0)."""
    box = page.locator(f"{CHART} canvas").first.bounding_box()
    scale = 512 * 2 ** view["zoom"]

    def world(lo: float, la: float) -> tuple[float, float]:
        x = (lo + 180) / 360
        y = (1 - math.log(math.tan(math.pi / 4 + math.radians(la) / 2)) / math.pi) / 2
        return x * scale, y * scale

    cx, cy = world(view["longitude"], view["latitude"])
    px, py = world(lon, lat)
    return box["x"] + box["width"] / 2 + px - cx, box["y"] + box["height"] / 2 + py - cy


def test_curated_map_draws_regions_points_and_arcs_offline(curated_app, new_page):
    page = new_page
    outside = outside_requests(page)
    open_app(page, f"{curated_app.url}/map")
    assert page.locator("[data-testid=stException]").count() == 0
    page.wait_for_selector(CHART, timeout=30_000)  # the deck.gl component's code loads lazily, after the run
    assert page.locator(CHART).count() == 1
    assert drawn_colours(page) > 20  # sea, land, shaded regions, arcs and many country colours
    expected = shaped(Insights(load_curated(), Filters()))
    assert grid_rows(page, "map_regions") == len(expected.regions)
    assert grid_rows(page, "map_links") == len(expected.links)
    text = page.inner_text("body")
    assert "© EuroGeographics for the administrative boundaries" in text and "Made with Natural Earth" in text
    placed = expected.placement
    assert f"{placed['region']:,} organisations at their region's centre" in text
    assert f"{placed['unplaced']:,} cannot be placed" in text
    assert outside == []  # no tile server, no CDN: the map is built from the shipped boundaries
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(CHART).scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "map.png"))


def test_url_filter_narrows_the_map(curated_app, page):
    open_app(page, f"{curated_app.url}/map?country=PL")
    assert page.locator("[data-testid=stException]").count() == 0
    assert drawn_colours(page, 5) > 5
    expected = shaped(Insights(load_curated(), Filters(countries=("PL",))))
    assert 0 < len(expected.regions) < len(shaped(Insights(load_curated(), Filters())).regions)
    assert grid_rows(page, "map_regions") == len(expected.regions)
    assert f"{len(expected.regions):,} regions (NUTS 2)" in page.inner_text("body")
    assert "Poland and partners" in page.inner_text("body")


def test_keyboard_chooses_a_region_and_lists_its_organisations(curated_app, page):
    open_app(page, f"{curated_app.url}/map")
    chooser = page.get_by_label("Organisations of region")
    chooser.click()
    chooser.fill("Puglia")
    chooser.press("Enter")
    rerun_done(page)
    expected = place_organisations(shaped(Insights(load_curated(), Filters())).organisations, "ITF4")
    assert chooser.input_value() == "Puglia (ITF4, Italy)"
    assert f"{len(expected):,} organisations in view" in page.inner_text("body")
    assert grid_rows(page, "map_place_orgs") == len(expected)


def test_the_map_in_italian(curated_app, page):
    open_app(page, f"{curated_app.url}/map?lang=it")
    chooser = page.get_by_label("Organizzazioni della regione")
    chooser.click()
    chooser.fill("Puglia")
    chooser.press("Enter")
    rerun_done(page)
    assert chooser.input_value() == "Puglia (ITF4, Italia)"
    expected = place_organisations(shaped(Insights(load_curated(), Filters())).organisations, "ITF4")
    text = page.inner_text("body")
    assert f"{len(expected)} organizzazioni in vista" in text
    assert "Confini: © EuroGeographics per i confini amministrativi" in text and "La mappa in tabelle" in text
    assert page.locator("[data-testid=stException]").count() == 0


def click_until_answered(page, where: tuple[float, float], attempts: int = 3) -> None:
    """Point at a place of the deck.gl map and click it until a script run answers. On a busy machine deck.gl once let
    a click go unanswered in a full suite run (its tooltip shown, no run in 60 s); a hand would click again. The wait
    on the websocket's run-finished message is set before the click: a run may end before a wait begun after it."""
    socket = runs(page).socket
    assert socket is not None, "the page has no Streamlit connection"
    for __ in range(attempts):
        page.mouse.move(*where)  # as a hand would: deck.gl picks what is under the pointer, then the click selects it
        page.locator(".deck-tooltip").wait_for(state="visible", timeout=10_000)
        before = runs(page).finished
        try:
            with socket.expect_event("framereceived", predicate=run_finished, timeout=20_000):
                page.mouse.click(*where)
        except PlaywrightTimeoutError:
            continue
        runs(page).seen = before  # rerun_done then takes the run just finished as the click's
        return
    raise AssertionError(f"no script run answered {attempts} clicks on the map at {where}")


def test_clicking_an_organisation_selects_its_region(curated_app, page):
    open_app(page, f"{curated_app.url}/map")
    drawn_colours(page)
    data = shaped(Insights(load_curated(), Filters()))
    # The organisation drawn last in Puglia is on top of the others there.
    point = [p for p in data.points if p["region"] == "ITF4"][-1]
    where = screen_point(page, data.view_state, *point["position"])
    click_until_answered(page, where)
    rerun_done(page)
    expect(page.get_by_label("Organisations of region")).to_have_value("Puglia (ITF4, Italy)", timeout=20_000)
    assert page.locator("[data-testid=stException]").count() == 0
    expected = place_organisations(data.organisations, "ITF4")
    assert f"{len(expected):,} organisations in view" in page.inner_text("body")


@pytest.fixture(scope="module")
def hostile(hostile_app: App) -> tuple[App, mapping.MapData]:
    """The shared hostile server (tests/servers.py) and its map as analysis shapes it."""
    assert hostile_app.data is not None
    result = load_dataset(hostile_app.data)
    assert result.dataset is not None, [p.line() for p in result.errors]
    return hostile_app, shaped(Insights(result.dataset, Filters()))


def test_hostile_names_stay_text(hostile, new_page, dialogs):
    page = new_page
    app, data = hostile
    open_app(page, f"{app.url}/map")
    assert page.locator("[data-testid=stException]").count() == 0
    assert drawn_colours(page, 5) > 5  # "@@#evil.name" did not break deck.gl's JSON converter
    lodz = next(p for p in data.points if p["org"] == "klaster-lodz")
    page.mouse.move(*screen_point(page, data.view_state, *lodz["position"]))
    tooltip = page.locator(".deck-tooltip")
    tooltip.wait_for(state="visible", timeout=10_000)
    assert HOSTILE in tooltip.inner_text()  # shown literally, as text
    chooser = page.get_by_label("Organisations of region")
    chooser.click()
    chooser.fill("Łódzkie")
    chooser.press("Enter")
    rerun_done(page)
    assert chooser.input_value() == "Łódzkie (PL71, <img src=y onerror=alert(4)>)"
    assert "1 organisation in view" in page.inner_text("body")
    assert dialogs == []  # the page has drawn and stayed quiet since (rerun_done): no script ran
    assert page.locator("img[src=x], img[src=y]").count() == 0
    assert page.locator("script:has-text('alert(2)')").count() == 0
