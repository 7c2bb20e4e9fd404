"""Links to the page of an organisation or a place keep the filters and the language."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pandas as pd

from analysis import i18n
from analysis.filters import Filters
from dashboard import links, state


def test_links_keep_the_filters_and_the_language(monkeypatch):
    monkeypatch.setattr(state, "filters", lambda: Filters(countries=("IT", "PL"), date_from="2015"))
    with i18n.speaking("it"):
        url = links.organisation_url("puglia-creativa & co")
        region, country = links.region_url("ITF4"), links.region_url("PT")
    path, query = url.split("?")
    assert path == "organisation"
    assert parse_qs(query) == {"id": ["puglia-creativa & co"], "country": ["IT,PL"], "from": ["2015"], "lang": ["it"]}
    assert urlsplit(region).path == "region"
    assert parse_qs(urlsplit(region).query) == {
        "nuts2": ["ITF4"],
        "country": ["IT,PL"],
        "from": ["2015"],
        "lang": ["it"],
    }
    # The filters' own key names a country's page: the page of Portugal is the view of Portugal.
    assert parse_qs(urlsplit(country).query) == {"country": ["PT"], "from": ["2015"], "lang": ["it"]}


def test_a_table_gains_a_link_to_each_rows_page_where_it_has_one(monkeypatch):
    monkeypatch.setattr(state, "filters", lambda: Filters())
    table = pd.DataFrame({"fact_id": ["a", "sig-2014", "b"], "table": ["organisations", "agreements", "organisations"]})
    kinds = table["table"].map({"organisations": "organisation"})
    with i18n.speaking("en"):
        shown = links.with_pages(table, "fact_id", kinds)
    pages = shown[links.PAGE_COLUMN]
    assert [pages[0], pages[2]] == ["organisation?lang=en&id=a", "organisation?lang=en&id=b"] and pd.isna(pages[1])
    assert links.PAGE_COLUMN not in table  # a copy


def _overview() -> None:
    from analysis.filters import Filters
    from dashboard import language, state
    from dashboard.views import overview

    language.speak()
    state.use_filters(Filters(countries=("IT",)))
    overview.render()


def test_the_overviews_brokers_link_to_their_pages_with_the_filters():
    from streamlit.testing.v1 import AppTest

    from analysis import load_curated
    from analysis.insights import Insights

    page = AppTest.from_function(_overview, default_timeout=60)
    page.run()
    assert not page.exception
    expected = Insights(load_curated(), Filters(countries=("IT",))).brokers(10)
    (brokers,) = [t.value for t in page.dataframe if "brokerage" in t.value.columns]
    assert brokers["label"].tolist() == expected["label"].tolist() and len(expected) > 0
    assert brokers["page"].tolist() == [f"organisation?country=IT&lang=en&id={node}" for node in expected["node"]]
