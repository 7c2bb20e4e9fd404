"""The page of one place in a real browser, on the shared synthetic server (seed 31, a dataset the page was not made
for): a region's and a country's organisations and partner places equal a plain pandas count of the raw tables; a
wrong code says so; Italian; the link to the place's country within a session whose filters name another country;
the Compare link reached by keyboard; no serious axe-core violation."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from analysis import synthetic
from analysis.reference import nuts2_names
from tests.e2e.conftest import IDLE, charts_drawn, open_app, read_metrics, rerun_done

GRID = "[data-testid=stDataFrame] [role=grid]"
FOCUSED_TEXT = "() => (document.activeElement && document.activeElement.innerText || '').trim()"
SERIOUS = ("serious", "critical")


@pytest.fixture(scope="module")
def members() -> pd.DataFrame:
    """Every (item, org_id) of the synthetic server's raw tables (tests/servers.py: seed 31) with the organisation's
    region and country."""
    tables = synthetic.generate(200, 40, 100, seed=31)
    parts = [
        tables["agreement_parties"].assign(item="a/" + tables["agreement_parties"]["agreement_id"]),
        tables["action_participants"].assign(item="b/" + tables["action_participants"]["action_id"]),
    ]
    found = pd.concat([p[["item", "org_id"]] for p in parts], ignore_index=True)
    orgs = tables["organisations"][["org_id", "nuts2", "country"]].replace({"nuts2": {"": None}})
    return found.merge(orgs, on="org_id")


def busiest(members: pd.DataFrame, column: str) -> str:
    """The place with the most organisations in some agreement or action (ties: the first code)."""
    return members.dropna(subset=[column]).groupby(column)["org_id"].nunique().sort_index().idxmax()


def counted(members: pd.DataFrame, column: str, code: str) -> dict[str, int]:
    """Organisations, partner places, items and items with two or more of its organisations, by plain pandas."""
    placed = members.dropna(subset=[column])
    mine = placed[placed[column] == code]
    shared = placed[placed["item"].isin(set(mine["item"])) & (placed[column] != code)]
    return {
        "organisations": mine["org_id"].nunique(),
        "partners": shared[column].nunique(),
        "items": mine["item"].nunique(),
        "inside": int((mine.groupby("item")["org_id"].nunique() >= 2).sum()),
    }


def no_exception(page) -> None:
    assert page.locator("[data-testid=stException]").count() == 0


def expect_partner_rows(page, first_column: str, count: int) -> None:
    """The partner places' table (the grid whose first column is `first_column`: Region or Country) lists `count`
    places, one row each. Found by its header, not as the page's first grid, and waited for by its own row count:
    a run still drawing the page once showed its organisations' grid before it (4 rows for 80)."""
    header = page.locator("[role=columnheader]", has_text=re.compile(rf"^\s*{first_column}\s*$"))
    expect(page.locator(GRID).filter(has=header)).to_have_attribute("aria-rowcount", str(count + 1))


@pytest.mark.e2e
def test_a_region_shows_its_organisations_and_partner_regions(synthetic_app, page, members):
    code = busiest(members, "nuts2")
    want = counted(members, "nuts2", code)
    open_app(page, f"{synthetic_app.url}/region?nuts2={code}")
    no_exception(page)
    tiles = read_metrics(page)
    assert {k: tiles.get(k) for k in ("Organisations", "Partner regions", "Agreements and actions")} == {
        "Organisations": str(want["organisations"]),
        "Partner regions": str(want["partners"]),
        "Agreements and actions": str(want["items"]),
    }
    assert tiles["Within the region"] == str(want["inside"])
    name = nuts2_names()[code]
    heading = page.get_by_role("heading", level=1).first.inner_text()
    assert heading.strip() == f"{name} ({code})"
    body = page.inner_text("body")
    organisations = f"{want['organisations']} organisation" + ("s" if want["organisations"] != 1 else "")
    assert f"{organisations} in {name} ({code}) took part in" in body
    assert f"with partners in {want['partners']} other regions." in body
    expect_partner_rows(page, "Region", want["partners"])
    charts_drawn(page)


@pytest.mark.e2e
def test_a_country_page(synthetic_app, page, members):
    code = busiest(members, "country")
    want = counted(members, "country", code)
    open_app(page, f"{synthetic_app.url}/region?country={code}")
    no_exception(page)
    tiles = read_metrics(page)
    assert (tiles["Organisations"], tiles["Partner countries"]) == (
        f"{want['organisations']:,}",
        str(want["partners"]),
    )
    expect_partner_rows(page, "Country", want["partners"])
    assert f"country={code}" in page.url
    # The country is the sidebar's filter too; removing it there is not undone: the page then names no place.
    page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect] [aria-label^='Remove ']").first.click()
    rerun_done(page)
    page.get_by_text("This page shows one place, and its address names none").wait_for()
    assert "country=" not in page.url
    no_exception(page)


@pytest.mark.e2e
def test_a_wrong_code_says_so_and_points_to_the_search(synthetic_app, page):
    open_app(page, f"{synthetic_app.url}/region?nuts2=ZZ99")
    no_exception(page)
    page.get_by_text("There is no NUTS-2 region ZZ99").wait_for()
    assert "Search in the sidebar" in page.inner_text("body")
    open_app(page, f"{synthetic_app.url}/region?country=ZZ")
    no_exception(page)
    page.get_by_text("There is no country ZZ").wait_for()


@pytest.mark.e2e
def test_the_page_in_italian(synthetic_app, page, members):
    code = busiest(members, "nuts2")
    want = counted(members, "nuts2", code)
    open_app(page, f"{synthetic_app.url}/region?nuts2={code}&lang=it")
    no_exception(page)
    tiles = read_metrics(page)
    assert (tiles["Organizzazioni"], tiles["Regioni partner"]) == (str(want["organisations"]), str(want["partners"]))
    body = page.inner_text("body")
    assert "Le sue organizzazioni" in body and "I suoi intermediari" in body
    open_app(page, f"{synthetic_app.url}/region?nuts2=ZZ99&lang=it")
    page.get_by_text("Non esiste una regione NUTS-2 ZZ99").wait_for()


@pytest.mark.e2e
def test_its_country_page_within_a_session_filtered_on_another_country(synthetic_app, page, members):
    """`country` is the sidebar's filter too: the link to the region's country makes it the filter, as a new session
    on that address would, and the country's numbers follow."""
    code = busiest(members, "nuts2")
    country = members.loc[members["nuts2"] == code, "country"].iloc[0]
    other = sorted(set(members["country"]) - {country})[0]
    open_app(page, f"{synthetic_app.url}/region?nuts2={code}&country={other}")
    no_exception(page)
    page.get_by_role("link", name=re.compile("^The page of ")).click()
    rerun_done(page)
    page.wait_for_selector(IDLE)
    no_exception(page)
    want = counted(members, "country", country)
    tiles = read_metrics(page)
    assert (tiles["Organisations"], tiles["Partner countries"]) == (
        f"{want['organisations']:,}",
        str(want["partners"]),
    )
    assert f"country={country}" in page.url and "nuts2" not in page.url
    assert "Filters in force: " in page.inner_text("body")
    # Filtered on the region's own country already: the browser's address must still become the country's page's.
    open_app(page, f"{synthetic_app.url}/region?nuts2={code}&country={country}")
    page.get_by_role("link", name=re.compile("^The page of ")).click()
    rerun_done(page)
    page.get_by_role("heading", name=re.compile(rf"\({country}\)$")).first.wait_for()
    assert f"country={country}" in page.url and "nuts2" not in page.url


@pytest.mark.e2e
def test_the_compare_link_by_keyboard_and_no_serious_violation(synthetic_app, context, page, members):
    code = busiest(members, "nuts2")
    country = members.loc[members["nuts2"] == code, "country"].iloc[0]
    for language in ("it", "en"):
        open_app(page, f"{synthetic_app.url}/region?nuts2={code}&lang={language}")
        charts_drawn(page)
        found = Axe().run(page).response["violations"]
        assert [f"{v['id']}: {v['nodes'][0]['target']}" for v in found if v["impact"] in SERIOUS] == []
    for _ in range(300):  # as a keyboard user would: Tab until the link has the focus
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_TEXT).startswith("Compare "):
            break
    else:
        raise AssertionError("the Compare link was not reached by Tab")
    with context.expect_page(timeout=60_000) as opened:
        page.keyboard.press("Enter")  # the link opens a new tab: a new session reads its filters from the address
    compare = opened.value
    compare.wait_for_selector(IDLE, timeout=60_000)
    assert "/compare?" in compare.url and f"country={country}" in compare.url and "a_from=" in compare.url
    compare.get_by_role("heading", name="Compare").first.wait_for()
    assert compare.locator("[data-testid=stException]").count() == 0
    compare.close()
