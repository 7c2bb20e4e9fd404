"""Money on the real Horizon Europe sample, imported by `clusternet import cordis` and served: the Overview's EU
contribution tile and the Map shaded by EU contribution from a link, in English and Italian (issue 23)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from playwright.sync_api import expect

from analysis import i18n, load_dataset
from analysis.filters import Filters
from analysis.insights import Insights
from tests import cordis_files as cf
from tests.e2e.conftest import App, charts_drawn, expect_metrics, open_app, rerun_done

pytestmark = [pytest.mark.e2e, cf.needs_samples]  # skipped, naming the files, where the real samples are absent
WORDS = {
    "en": {"tile": "EU contribution", "measure": "EU contribution", "heading": "Money through partnerships"},
    "it": {"tile": "Contributo UE", "measure": "Contributo UE", "heading": "Fondi attraverso i partenariati"},
}


def plain_total() -> float:
    """The raw organization file's netEcContribution summed with pandas, for the projects the project file lists."""
    raw = pd.read_csv(cf.HE_ORGANIZATIONS, dtype=str, keep_default_na=False)
    projects = set(pd.read_csv(cf.HE_PROJECTS, dtype=str, keep_default_na=False)["id"])
    return float(pd.to_numeric(raw.loc[raw["projectID"].isin(projects), "netEcContribution"]).sum())


def no_exception(page) -> None:
    assert page.locator("[data-testid=stException]").count() == 0


@pytest.mark.parametrize("language", ["en", "it"])
def test_the_overview_shows_the_samples_eu_contribution(cordis_he_app: App, page, language: str) -> None:
    open_app(page, f"{cordis_he_app.url}/?lang={language}")
    data = load_dataset(cordis_he_app.data).dataset
    with i18n.speaking(language):
        expected = {i18n._(label): i18n.integer(value) for label, value in Insights(data, Filters()).kpis().items()}
        expected[WORDS[language]["tile"]] = i18n.euros(plain_total())
    assert expected[WORDS[language]["tile"]] == {"en": "121,059,384 EUR", "it": "121.059.384 EUR"}[language]
    expect_metrics(page, expected)
    no_exception(page)


@pytest.mark.parametrize("language", ["en", "it"])
def test_a_link_to_the_map_shaded_by_eu_contribution(cordis_he_app: App, page, language: str) -> None:
    open_app(page, f"{cordis_he_app.url}/map?measure=contribution&lang={language}")
    charts_drawn(page)
    words = WORDS[language]
    expect(page.get_by_role("radio", name=words["measure"], exact=True)).to_be_checked()
    legend = page.locator("[data-testid=stDataFrame]").nth(1)  # the shading's key: colours and amounts
    expect(legend).to_contain_text(words["measure"])
    expect(legend).to_contain_text(" EUR")
    assert "measure=contribution" in page.url
    no_exception(page)
    # Back to counts: the URL forgets the measure, and the key counts agreements and actions again.
    page.get_by_role("radio", name={"en": "Agreements and actions", "it": "Accordi e azioni"}[language]).click()
    rerun_done(page)
    expect(page).not_to_have_url(re.compile("measure="))
    no_exception(page)


def test_the_money_page_splits_the_top_region_by_partner(cordis_he_app: App, page) -> None:
    open_app(page, f"{cordis_he_app.url}/money")
    charts_drawn(page)
    expect(page.get_by_role("heading", name=WORDS["en"]["heading"])).to_be_visible()
    data = load_dataset(cordis_he_app.data).dataset
    insights = Insights(data, Filters())
    top = insights.funding("region").iloc[0]
    expect(page.locator("[data-testid=stMetricValue]").first).to_have_text(i18n.euros(top["contribution_eur"]))
    assert page.locator("[data-testid=stPlotlyChart]").count() == 1
    no_exception(page)
