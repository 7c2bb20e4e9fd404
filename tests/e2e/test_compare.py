"""The Compare page in a real browser: the periods from the URL, the tiles, both networks, the summary, downloads."""

from __future__ import annotations

import zipfile

import pytest

from analysis import i18n, load_curated
from analysis.comparison import Periods, compare_dataset
from analysis.filters import Filters
from tests.e2e.conftest import ARTIFACTS, charts_drawn, expect_metrics, open_app, rerun_done

CHART = "[data-testid=stPlotlyChart]"


def expected(periods: Periods, filters: Filters) -> tuple[dict[str, str], list[str]]:
    """The tiles as the page should show them, and the summary, computed here from the analysis package."""
    data = load_curated()
    found = compare_dataset(data, periods, filters)
    return {label: f"{value:,}" for label, value in found.tiles().items()}, found.story()


pytestmark = pytest.mark.usefixtures("navigation_known")


@pytest.mark.e2e
def test_compare_shows_the_periods_of_the_url(curated_app, page):
    url = f"{curated_app.url}/compare?a_from=2011&a_to=2014&b_from=2015&b_to=2025"
    page.set_viewport_size({"width": 1400, "height": 1500})  # tall enough for the README's screenshot
    open_app(page, url)
    want, story = expected(Periods("2011", "2014", "2015", "2025"), Filters())
    expect_metrics(page, want)
    body = page.inner_text("body")
    assert story[0] in body  # "Between 2011-2014 and 2015-2025, 57 organisations joined, ..."
    assert "All countries, 2011-2014 compared with 2015-2025, all kinds" in body
    assert page.locator("[data-testid=stException]").count() == 0
    networks = page.locator(CHART).first
    networks.locator(".xtitle, .gtitle, .annotation-text").first.wait_for()
    titles = networks.locator(".annotation-text").all_text_contents()
    assert titles[:2] == ["A: 2011-2014", "B: 2015-2025"]  # both panels drawn, each with its markers
    assert networks.locator(".scatterlayer .trace").count() >= 4
    assert page.locator(CHART).count() == 2  # and the map of country ties
    charts_drawn(page)  # plotly's text labels settle after the first paint
    page.screenshot(path=ARTIFACTS / "compare.png")


@pytest.mark.e2e
def test_compare_in_italian(curated_app, page):
    open_app(page, f"{curated_app.url}/compare?lang=it&a_from=2011&a_to=2014&b_from=2015&b_to=2025")
    with i18n.speaking("it"):
        found = compare_dataset(load_curated(), Periods("2011", "2014", "2015", "2025"), Filters())
        want = {i18n._(label): i18n.integer(value) for label, value in found.tiles().items()}
        story = found.story()
    assert list(want) == ["Entrate", "Uscite", "Nuovi legami", "Legami persi"]
    expect_metrics(page, want)
    body = page.inner_text("body")
    assert story[0] in body and story[0].startswith("Tra il periodo A (2011-2014) e il periodo B (2015-2025) ")
    assert "Tutti i paesi, 2011-2014 a confronto con 2015-2025, tutti i tipi" in body
    assert "Le due reti sulla stessa disposizione" in body and "Maggiori variazioni" in body
    assert page.locator("[data-testid=stException]").count() == 0


@pytest.mark.e2e
def test_compare_under_a_country_filter_and_finer_dates(curated_app, page):
    url = f"{curated_app.url}/compare?country=PL&a_from=2014-11&a_to=2015&b_from=2016&b_to=2024"
    open_app(page, url)
    want, _ = expected(Periods("2014-11", "2015", "2016", "2024"), Filters(countries=("PL",)))
    expect_metrics(page, want)
    assert "Poland and partners, 2014-11-2015 compared with 2016-2024, all kinds" in page.inner_text("body")
    assert page.locator("[data-testid=stException]").count() == 0
    # The periods and the filter stay in the URL, so the link reopens the same comparison.
    assert "a_from=2014-11" in page.url and "country=PL" in page.url


@pytest.mark.e2e
def test_moving_a_period_changes_the_numbers_and_the_url(curated_app, page):
    open_app(page, f"{curated_app.url}/compare?a_from=2011&a_to=2014&b_from=2015&b_to=2025")
    slider = page.get_by_role("slider").nth(3)  # Period B's end (the sidebar has no period slider here)
    slider.focus()
    for _ in range(5):
        page.keyboard.press("ArrowLeft")
    rerun_done(page)
    want, _ = expected(Periods("2011", "2014", "2015", "2020"), Filters())
    expect_metrics(page, want)
    assert "b_to=2020" in page.url


@pytest.mark.e2e
def test_the_comparison_bundle_holds_its_charts_tables_and_summary(curated_app, page):
    open_app(page, f"{curated_app.url}/compare?a_from=2011&a_to=2014&b_from=2015&b_to=2025")
    page.get_by_text("Share this view and download a report").click()
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Report bundle (.zip)").click()
    archive = zipfile.ZipFile(download.value.path())
    names = archive.namelist()
    stem = "all_2011-2014_vs_2015-2025"
    for name in ("compare-networks", "compare-country-links"):
        assert {f"{name}_{stem}.png", f"{name}_{stem}.svg", f"{name}_{stem}.csv"} <= set(names)
    assert f"compare-links_{stem}.csv" in names and f"compare-movers_{stem}.csv" in names
    _, story = expected(Periods("2011", "2014", "2015", "2025"), Filters())
    assert archive.read("summary.txt").decode().splitlines() == story
    readme = archive.read("README.txt").decode()
    assert "Filters: All countries, 2011-2014 compared with 2015-2025, all kinds" in readme
