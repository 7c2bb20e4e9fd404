"""Growth through time, hand-computed on a tiny dataset, and checked against rebuilding each year's network.

Organisations: a, b (IT), c (PL), d (PT), e, f (DE), h (FR).
ag1 protocol 2014, open-ended: a c            ag2 memorandum 2016-05..2017: d e
ac1 call 2015 (no end: the year 2015): a b    ac2 project 2018-03-01..2019-06: c e f
ac3 event 2020-06-15: h alone
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
from scipy.sparse import csgraph

from analysis import Dataset, i18n, load_dataset
from analysis.filters import Filters, apply
from analysis.growth import DEFINITIONS, LABELS, SCOPES, growth, growth_steps, growth_table, period_years, year_filters
from analysis.i18n import _
from analysis.insights import Insights
from analysis.metrics import summary
from analysis.networks import Network, network
from tests import factory, small

YEAR, UP_TO = SCOPES["year"], SCOPES["cumulative"]


def tiny_tables() -> dict:
    tables = copy.deepcopy(small.TABLES)
    orgs = [small.org(o, c) for o, c in (("a", "IT"), ("b", "IT"), ("c", "PL"), ("d", "PT"), ("e", "DE"))]
    tables["organisations"] = [*orgs, small.org("f", "DE"), small.org("h", "FR")]
    tables["agreement_parties"] = [{"agreement_id": "ag1", "org_id": o, "role": ""} for o in "ac"] + [
        {"agreement_id": "ag2", "org_id": o, "role": ""} for o in "de"
    ]
    tables["action_participants"] = (
        [{"action_id": "ac1", "org_id": o, "role": ""} for o in "ab"]
        + [{"action_id": "ac2", "org_id": o, "role": ""} for o in "cef"]
        + [{"action_id": "ac3", "org_id": "h", "role": ""}]
    )
    return tables


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    result = load_dataset(factory.write(tmp_path_factory.mktemp("growth") / "tiny", tiny_tables()))
    assert result.dataset is not None, [p.line() for p in result.errors]
    return result.dataset


def numbers(table: pd.DataFrame, scope: str) -> dict[int, tuple]:
    """Year -> (organisations, links, countries, components, largest share rounded) of one scope."""
    rows = table[table["scope"] == scope]
    return {
        int(r.year): (r.organisations, r.links, r.countries, r.components, round(r.largest_share, 4))
        for r in rows.itertuples()
    }


def test_every_year_of_the_data_in_both_scopes(tiny):
    table = growth(tiny, Filters())
    assert list(table.columns) == [
        "year",
        "scope",
        "organisations",
        "links",
        "countries",
        "components",
        "largest_share",
    ]
    # ag1 is open-ended: it counts in every year from 2014 on. ac1 has no end: it is 2015 only.
    assert numbers(table, YEAR) == {
        2014: (2, 1, 2, 1, 1.0),  # a-c
        2015: (3, 2, 2, 1, 1.0),  # a-c, a-b
        2016: (4, 2, 4, 2, 0.5),  # a-c and d-e apart
        2017: (4, 2, 4, 2, 0.5),
        2018: (4, 4, 3, 1, 1.0),  # a-c, c-e, c-f, e-f
        2019: (4, 4, 3, 1, 1.0),
        2020: (3, 1, 3, 2, 0.6667),  # a-c and h alone
    }
    assert numbers(table, UP_TO) == {
        2014: (2, 1, 2, 1, 1.0),
        2015: (3, 2, 2, 1, 1.0),
        2016: (5, 3, 4, 2, 0.6),  # a-b-c and d-e
        2017: (5, 3, 4, 2, 0.6),
        2018: (6, 6, 4, 1, 1.0),  # the project joins them
        2019: (6, 6, 4, 1, 1.0),
        2020: (7, 6, 5, 2, 0.8571),  # h alone: 6 of 7 in the largest part
    }


def test_the_table_keeps_its_words_and_the_pages_say_them_in_italian(tiny):
    """The scope values and column names are the same in every language (the downloads keep them); their Italian
    comes from the catalogue where a page or a chart says them."""
    with i18n.speaking("it"):
        table = growth_table(growth(tiny, Filters()))
        assert list(table.columns) == list(LABELS.values())
        assert set(table["Scope"]) == {"that year", "up to that year"}
        assert [_(SCOPES["year"]), _(SCOPES["cumulative"])] == ["quell'anno", "fino a quell'anno"]
        assert [_(LABELS[c]) for c in ("year", "scope", "largest_share")] == [
            "Anno",
            "Ambito",
            "Quota della componente più grande",
        ]
        assert _(DEFINITIONS["Links"]) == "coppie di organizzazioni diverse che ne condividono almeno uno"
        assert _(DEFINITIONS["Scope"]).startswith("«quell'anno»: gli accordi e le azioni")
    assert set(DEFINITIONS) == set(LABELS.values())
    assert f"'{SCOPES['year']}':" in DEFINITIONS["Scope"] and f"'{SCOPES['cumulative']}':" in DEFINITIONS["Scope"]


def test_the_view_keeps_its_growth(tiny):
    insights = Insights(tiny, Filters(countries=("DE",)))
    assert insights.growth() is insights.growth()  # computed once per view
    pd.testing.assert_frame_equal(insights.growth(), growth(tiny, Filters(countries=("DE",))))


def test_a_country_keeps_its_partners_and_zero_years_stay(tiny):
    table = growth(tiny, Filters(countries=("DE",)))  # ag2 (e) and ac2 (e, f), with all their parties
    zero = (0, 0, 0, 0, 0.0)
    assert numbers(table, YEAR) == {
        2014: zero,
        2015: zero,
        2016: (2, 1, 2, 1, 1.0),  # d (PT) and e
        2017: (2, 1, 2, 1, 1.0),
        2018: (3, 3, 2, 1, 1.0),  # c (PL), e, f
        2019: (3, 3, 2, 1, 1.0),
        2020: zero,
    }
    assert numbers(table, UP_TO)[2018] == (4, 4, 3, 1, 1.0)  # d-e, c-e, c-f, e-f
    assert numbers(table, UP_TO)[2020] == (4, 4, 3, 1, 1.0)
    only = growth(tiny, Filters(countries=("DE",), only_selected=True))
    assert numbers(only, YEAR)[2016] == (1, 0, 1, 1, 1.0)  # e alone: d is left out
    assert numbers(only, UP_TO)[2019] == (2, 1, 1, 1, 1.0)  # e-f


def test_the_period_cuts_the_years_and_starts_the_cumulative_window(tiny):
    filters = Filters(date_from="2016", date_to="2018")
    assert period_years(tiny, filters) == [2016, 2017, 2018]
    table = growth(tiny, filters)
    # Up to 2016 from the period's start: ac1 (2015) is out of it, the open-ended ag1 is in.
    assert numbers(table, UP_TO) == {
        2016: (4, 2, 4, 2, 0.5),
        2017: (4, 2, 4, 2, 0.5),
        2018: (5, 5, 4, 1, 1.0),  # ag2 still overlaps the period: d-e stays
    }
    assert numbers(table, YEAR)[2018] == (4, 4, 3, 1, 1.0)


def test_a_period_inside_a_year_cuts_that_years_window(tiny):
    assert year_filters(Filters(date_from="2016-06", date_to="2019-03"), 2016, False) == Filters(
        date_from="2016-06", date_to="2016"
    )
    assert year_filters(Filters(date_from="2016-06", date_to="2019-03"), 2019, True) == Filters(
        date_from="2016-06", date_to="2019-03"
    )
    table = growth(tiny, Filters(date_from="2020-07"))  # ac3 (2020-06-15) is before the period
    assert numbers(table, YEAR) == {2020: (2, 1, 2, 1, 1.0)}


def test_no_year_when_the_period_is_outside_the_data(tiny):
    table = growth(tiny, Filters(date_from="2030"))
    assert table.empty and list(table.columns)[:2] == ["year", "scope"]


CASES = [
    Filters(),
    Filters(countries=("DE",)),
    Filters(countries=("IT", "PL"), only_selected=True),
    Filters(date_from="2015-03", date_to="2019"),
    Filters(agreement_kinds=("protocol",)),
    Filters(org_kinds=("public_authority",)),
]


def shape(net: Network) -> dict[str, float | int]:
    """The growth table's numbers of one organisation network, from the network itself."""
    n = len(net.nodes)
    largest = int(np.bincount(csgraph.connected_components(net.adjacency(), directed=False)[1]).max()) if n else 0
    return {
        "organisations": n,
        "links": len(net.links),
        "countries": int(net.nodes["country"].nunique()),
        "components": summary(net).components,
        "largest_share": largest / n if n else 0.0,
    }


def rebuilt(data: Dataset, filters: Filters) -> pd.DataFrame:
    """The growth table by its definition: each year's two networks built from the filters."""
    rows = [
        {"year": year, "scope": SCOPES[scope], **shape(network(apply(data, year_filters(filters, year, up_to)), "org"))}
        for year in period_years(data, filters)
        for scope, up_to in (("year", False), ("cumulative", True))
    ]
    return pd.DataFrame(rows)


@pytest.mark.parametrize("filters", CASES)
@pytest.mark.parametrize("which", ["small", "factory", "curated"])
def test_growth_is_each_years_network(which, filters, small_data, factory_data, curated):
    data = {"small": small_data, "factory": factory_data, "curated": curated}[which]
    table = growth(data, filters)
    pd.testing.assert_frame_equal(table, rebuilt(data, filters), check_dtype=False)
    if len(table):  # the last year's cumulative network is the view's own
        last = table[table["scope"] == UP_TO].iloc[-1]
        assert last["organisations"] == len(Insights(data, filters).network("org").nodes)


@pytest.mark.parametrize("filters", CASES[:4])
def test_the_steps_are_each_years_cumulative_network_restricted_to_the_drawn_part(curated, filters):
    view = apply(curated, filters)
    net = network(view, "org")
    drawn = net.nodes.head(40)  # any part will do
    inside = set(drawn["node"])
    links = net.links[net.links["a"].isin(inside) & net.links["b"].isin(inside)]
    steps = growth_steps(view, drawn, links)
    assert steps.years == period_years(curated, filters)
    for year in steps.years:
        then = network(apply(curated, year_filters(filters, year, cumulative=True)), "org")
        nodes, present = steps.at(year)
        assert set(nodes["node"]) == inside & set(then.nodes["node"])
        kept = then.links[then.links["a"].isin(inside) & then.links["b"].isin(inside)]
        assert set(zip(present["a"], present["b"], strict=True)) == set(zip(kept["a"], kept["b"], strict=True))


def test_steps_say_the_year_each_node_and_link_arrives(tiny):
    view = apply(tiny, Filters(date_from="2016"))
    net = network(view, "org")
    steps = growth_steps(view, net.nodes, net.links)
    arrival = dict(zip(steps.nodes["node"], steps.nodes["arrival"], strict=True))
    # ag1 (2014) runs on into the period: a and c are there from its first year.
    assert arrival == {"a": 2016, "c": 2016, "d": 2016, "e": 2016, "f": 2018, "h": 2020}
    links = {(a, b): y for a, b, y in steps.links[["a", "b", "arrival"]].itertuples(index=False)}
    assert links == {("a", "c"): 2016, ("d", "e"): 2016, ("c", "e"): 2018, ("c", "f"): 2018, ("e", "f"): 2018}
    nodes, present = steps.at(2017)
    assert sorted(nodes["node"]) == ["a", "c", "d", "e"] and len(present) == 2
    later = growth_steps(apply(tiny, Filters(date_from="2030")), net.nodes, net.links)
    assert later.years == [] and later.nodes.empty and "arrival" in later.links
