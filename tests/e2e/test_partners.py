"""The Partners page in a real browser: suggestions for the organisation of the URL, best first, with their shared
partners named; the candidates' countries from the URL; and the Network page's details linking to it."""

from __future__ import annotations

import pytest

from analysis import load_curated
from analysis.filters import Filters
from analysis.insights import Insights
from tests.e2e.conftest import ARTIFACTS, charts_drawn, open_app, rerun_done
from tests.e2e.test_network import choose_in_search

GRID = "[data-testid=stDataFrame] [role=grid]"


def expected(org: str, within: tuple[str, ...] = (), filters: Filters | None = None):
    """The suggestions as the page should show them, from the analysis package."""
    return Insights(load_curated(), filters or Filters()).partners("org").suggest(org, within)


def first_row(page) -> list[str]:
    """The first data row of the suggestions table, cell by cell (the grid reports its cells to assistive tech)."""
    row = page.locator(GRID).first.locator("[role=row]").nth(1)
    row.wait_for(state="attached")  # the canvas grid's accessible table is attached, never visible
    return [c.strip() for c in row.locator("[role=gridcell]").all_text_contents()]


pytestmark = pytest.mark.usefixtures("navigation_known")


@pytest.mark.e2e
def test_partners_page_shows_the_best_suggestion_first_with_its_shared_partners(curated_app, page):
    page.set_viewport_size({"width": 1400, "height": 1400})
    open_app(page, f"{curated_app.url}/partners?org=puglia-creativa")
    assert page.locator("[data-testid=stException]").count() == 0
    found = expected("puglia-creativa")
    best = found[0]
    assert best.label == "Municipal and Regional Theatre of Corfu"  # the curated data's best, 1.812
    row = first_row(page)
    grid = page.locator(GRID).first
    # The grid draws the columns in sight (the wide Reasons column is further right; test_partners_view has it).
    headers = [h.strip() for h in grid.locator("[role=columnheader]").all_text_contents()]
    assert headers[:4] == ["Organisation", "Country", "Score", "Shared partners"]
    assert int(grid.get_attribute("aria-rowcount")) - 1 == len(found)
    assert row[:3] == [best.label, best.country, str(round(best.score, 4))]  # 1.8122
    assert row[3] == "; ".join(best.shared_labels)
    assert "Apulia Film Commission" in row[3] and "Regione Puglia" in row[3]
    body = page.inner_text("body")
    assert f"The {len(found)} best suggestions for Distretto Produttivo Puglia Creativa (IT)" in body
    page.get_by_text(f"Why {best.label}, in full").click()  # the best suggestion's reasons, one a line
    page.get_by_text(best.reasons[0]).wait_for()
    chart = page.locator("[data-testid=stPlotlyChart]").first
    chart.locator(".scatterlayer .trace").first.wait_for()
    assert chart.locator(".scatterlayer .trace").count() == 6  # three kinds of line, three kinds of node
    assert page.locator("[data-testid=stDownloadButton]").count() >= 6  # chart files and the table's CSV
    charts_drawn(page)
    page.screenshot(path=ARTIFACTS / "partners.png")


@pytest.mark.e2e
def test_candidate_countries_and_filters_from_the_url(curated_app, page):
    open_app(page, f"{curated_app.url}/partners?org=puglia-creativa&in=PL,XX&from=2014")
    assert page.locator("[data-testid=stException]").count() == 0
    found = expected("puglia-creativa", ("PL",), Filters(date_from="2014"))
    assert found and {s.country for s in found} == {"PL"}
    assert first_row(page)[0] == found[0].label
    body = page.inner_text("body")
    assert "ignored: country XX" in body
    assert "All countries, from 2014, all kinds" in body
    assert "in=PL" in page.url and "org=puglia-creativa" in page.url


@pytest.mark.e2e
def test_the_network_details_link_to_the_partners_page(curated_app, page):
    open_app(page, f"{curated_app.url}/network?country=IT")
    choose_in_search(page, "Details of", "Distretto Produttivo Puglia", "Distretto Produttivo Puglia Creativa")
    page.get_by_text("Suggest partners for this organisation").click()
    rerun_done(page)
    assert "/partners" in page.url and "org=puglia-creativa" in page.url and "country=IT" in page.url
    found = expected("puglia-creativa", filters=Filters(countries=("IT",)))
    assert first_row(page)[0] == found[0].label
    assert page.locator("[data-testid=stException]").count() == 0


@pytest.mark.e2e
def test_the_organisation_is_chosen_with_the_search(curated_app, page):
    open_app(page, f"{curated_app.url}/partners?in=PL&country=IT")
    assert page.get_by_role("combobox", name="Organisation", exact=True).count() == 0  # no list of every organisation
    choose_in_search(page, "Organisation", "corfu", "Municipal and Regional Theatre of Corfu")
    assert "org=theatre-of-corfu" in page.url and "in=PL" in page.url and "country=IT" in page.url
    found = expected("theatre-of-corfu", ("PL",), Filters(countries=("IT",)))
    assert found and first_row(page)[0] == found[0].label
    assert "Chosen: Municipal and Regional Theatre of Corfu (GR)" in page.inner_text("body")
    its_page = page.get_by_role("link", name="The page of Municipal and Regional Theatre of Corfu (GR)")
    assert "id=theatre-of-corfu" in its_page.get_attribute("href")
    assert page.locator("[data-testid=stException]").count() == 0
