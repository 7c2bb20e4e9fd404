"""The Overview and the shared sidebar filters, in a real browser."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from analysis import load_curated, load_dataset
from analysis.filters import Filters
from analysis.insights import Insights
from tests.e2e.conftest import ARTIFACTS, expect_metrics, open_app, rerun_done
from tests.servers import HTML_FOLDER


def expected(filters: Filters) -> dict[str, str]:
    return {label: f"{value:,}" for label, value in Insights(load_curated(), filters).kpis().items()}


def test_curated_overview(curated_app, page):
    open_app(page, curated_app.url)
    assert page.locator("[data-testid=stException]").count() == 0
    expect_metrics(page, expected(Filters()))
    assert "All countries, all years, all kinds" in page.inner_text("body")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)


@pytest.mark.parametrize(
    ("query", "filters"),
    [
        ("country=PL", Filters(countries=("PL",))),
        ("from=2014&to=2016", Filters(date_from="2014", date_to="2016")),
        ("country=IT,DE&only=1", Filters(countries=("IT", "DE"), only_selected=True)),
        ("from=2014-11&action_kind=call,workshop", Filters(date_from="2014-11", action_kinds=("call", "workshop"))),
        ("country=GR&org_kind=cluster", Filters(countries=("GR",), org_kinds=("cluster",))),
    ],
)
def test_url_filters_give_the_numbers_analysis_gives(curated_app, page, query, filters):
    open_app(page, f"{curated_app.url}/?{query}")
    assert page.locator("[data-testid=stException]").count() == 0
    expect_metrics(page, expected(filters))
    assert filters.describe() in page.inner_text("body")


def test_sidebar_change_updates_kpis_and_url_and_survives_a_page_switch(curated_app, page):
    open_app(page, curated_app.url)
    countries = page.get_by_label("Countries", exact=True)
    countries.click()
    countries.fill("Poland")
    countries.press("Enter")
    page.keyboard.press("Escape")
    rerun_done(page)
    expect_metrics(page, expected(Filters(countries=("PL",))))
    url = urlparse(page.url)
    assert (url.path, parse_qs(url.query)) == ("/", {"lang": ["en"], "country": ["PL"]})  # the language kept too
    page.locator("[data-testid=stSidebarNavLink]", has_text="Timeline").click()
    rerun_done(page)
    assert "country=PL" in page.url and "/timeline" in page.url
    assert "Poland and partners" in page.inner_text("body")
    page.locator("[data-testid=stSidebarNavLink]", has_text="Overview").click()
    rerun_done(page)
    expect_metrics(page, expected(Filters(countries=("PL",))))
    page.get_by_role("button", name="Reset filters").click()
    rerun_done(page)
    expect_metrics(page, expected(Filters()))
    assert "country=" not in page.url


def test_unknown_url_filters_are_ignored_with_a_word(curated_app, page):
    open_app(page, f"{curated_app.url}/?country=PL,XX&from=2014-13")
    expect_metrics(page, expected(Filters(countries=("PL",))))
    text = page.inner_text("body")
    assert "country XX" in text and "period start 2014-13" in text


def test_another_dataset_with_html_in_its_names_is_shown_as_text(html_app, new_page, dialogs):
    page = new_page
    open_app(page, html_app.url)
    assert page.locator("[data-testid=stException]").count() == 0
    loaded = load_dataset(html_app.data).dataset
    expect_metrics(page, {k: f"{v:,}" for k, v in Insights(loaded, Filters()).kpis().items()})
    body = page.inner_text("body")
    assert HTML_FOLDER in body  # the dataset's folder, named as text
    assert "<script>alert('org')</script>" in body  # the widest broker, named as text
    assert page.locator("img[src=x], img[src=z]").count() == 0
    assert dialogs == []
