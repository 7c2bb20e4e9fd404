"""The numbers of one place (analysis/region.py): worked by hand on tests/small.py, and on an unseen synthetic dataset
against a plain pandas count of its raw tables."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from analysis import i18n, load_dataset, synthetic
from analysis.filters import Filters
from analysis.insights import Insights
from analysis.region import PlaceReport, UnknownPlace, find_place
from tests import small


def report(data, level: str, code: str, filters: Filters | None = None) -> PlaceReport:
    return PlaceReport(Insights(data, filters or Filters()), find_place(data, level, code))


@pytest.fixture(scope="module")
def funded(tmp_path_factory):
    result = load_dataset(small.write_funded(tmp_path_factory.mktemp("funded")))
    assert result.dataset is not None
    return result.dataset


def test_codes_are_found_or_refused(small_data):
    puglia = find_place(small_data, "region", " itf4 ")
    assert (puglia.level, puglia.code, puglia.name, puglia.country) == ("region", "ITF4", "Puglia", "IT")
    assert puglia.said() == "Puglia (ITF4)"
    france = find_place(small_data, "country", "FR")  # an ISO country the dataset does not use
    assert (france.code, france.name) == ("FR", "France")
    for level, code in (("region", "XX99"), ("region", "ITF"), ("country", "XX"), ("country", "ITA")):
        with pytest.raises(UnknownPlace):
            find_place(small_data, level, code)
    with i18n.speaking("it"):
        assert find_place(small_data, "country", "DE").said() == "Germania (DE)"


def test_a_region_worked_by_hand(small_data):
    """Puglia: a and b take part (g is in nothing); ag1 (a c d e), ag2 (a b), ac1 (a b)."""
    puglia = report(small_data, "region", "ITF4")
    s = puglia.summary()
    assert (s.organisations, s.in_dataset, s.agreements, s.actions, s.partners, s.inside) == (2, 3, 2, 1, 3, 2)
    orgs = puglia.organisations()
    assert list(orgs["org_id"]) == ["a", "b"]
    assert list(orgs["items"]) == [3, 2]
    assert list(orgs["partners"]) == [4, 1]  # a: b c d e; b: a
    assert puglia.kinds().to_dict("records") == [
        {"kind": "cluster", "organisations": 1},
        {"kind": "public_authority", "organisations": 1},
    ]
    partners = puglia.partners()
    assert partners[["partner", "name", "country", "weight", "organisations"]].values.tolist() == [
        ["DE11", "Stuttgart", "DE", 1, 1],
        ["PL91", "Warszawski stołeczny", "PL", 1, 1],
        ["PT11", "Norte", "PT", 1, 1],
    ]
    assert puglia.years().to_dict("records") == [
        {"year": 2014, "agreements": 1, "actions": 0},
        {"year": 2015, "agreements": 0, "actions": 1},
        {"year": 2016, "agreements": 1, "actions": 0},
    ]


def test_a_country_worked_by_hand(small_data):
    """Germany: e (DE11) in ag1 and ac2, f (no region) in ac2; ac2 also has c (PL)."""
    germany = report(small_data, "country", "DE")
    s = germany.summary()
    assert (s.organisations, s.in_dataset, s.agreements, s.actions, s.partners, s.inside) == (2, 2, 1, 1, 3, 1)
    orgs = germany.organisations()
    assert orgs[["org_id", "items", "partners"]].values.tolist() == [["e", 2, 4], ["f", 1, 2]]
    assert orgs["nuts2"].isna().tolist() == [False, True]
    assert germany.partners()[["partner", "name", "weight"]].values.tolist() == [
        ["PL", "Poland", 2],
        ["IT", "Italy", 1],
        ["PT", "Portugal", 1],
    ]
    assert germany.years()["year"].tolist() == [2014, 2015, 2016, 2017, 2018]  # every year, zeros between
    assert germany.years()[["agreements", "actions"]].sum().tolist() == [1, 1]


def test_ties_are_the_region_and_country_networks_links(small_data):
    insights = Insights(small_data, Filters())
    for level, codes in (("region", ("ITF4", "PL91", "DE11", "PT11")), ("country", ("IT", "PL", "DE", "PT"))):
        edges = insights.network(level).edges
        for code in codes:
            place = PlaceReport(insights, find_place(small_data, level, code))
            mine = edges[(edges["a"] == code) | (edges["b"] == code)]
            others = mine[mine["a"] != mine["b"]]
            expected = {(b if a == code else a): w for a, b, w in others[["a", "b", "weight"]].itertuples(index=False)}
            assert dict(zip(place.partners()["partner"], place.partners()["weight"], strict=True)) == expected
            loop = mine.loc[mine["a"] == mine["b"], "weight"]
            assert place.inside() == (int(loop.iloc[0]) if len(loop) else 0)


def test_the_halves_of_the_period(small_data):
    """Without the open-ended protocol (memoranda only among agreements) the view runs 2015-2020: A 2015-2017 holds
    ag2 and ac1 (Puglia's), B 2018-2020 holds ac2 (c, e, f) and ac3 (d alone)."""
    only_memoranda = Filters(agreement_kinds=("memorandum",))
    stuttgart = report(small_data, "region", "DE11", only_memoranda).halves()
    assert stuttgart is not None
    assert stuttgart.periods.to_query() == {"a_from": "2015", "a_to": "2017", "b_from": "2018", "b_to": "2020"}
    assert (stuttgart.a.items, stuttgart.a.organisations, stuttgart.a.partners) == (0, 0, ())
    assert (stuttgart.b.items, stuttgart.b.organisations, stuttgart.b.partners) == (1, 1, ("PL91",))
    assert (stuttgart.gained, stuttgart.lost) == (("PL91",), ())
    puglia = report(small_data, "region", "ITF4", only_memoranda)
    assert puglia.halves_table()[["period", "from", "to", "items", "organisations", "partners"]].values.tolist() == [
        ["A", "2015", "2017", 2, 2, 0],
        ["B", "2018", "2020", 0, 0, 0],
    ]
    one_year = report(small_data, "region", "ITF4", Filters(date_from="2015", date_to="2015"))
    assert one_year.halves() is None


def test_brokers_rank_by_countries_reached_then_betweenness(small_data):
    puglia = report(small_data, "region", "ITF4")
    table, done, problem = puglia.brokers()
    assert (done, problem) == (None, None)  # a small network: every metric at once
    assert table[["org_id", "brokerage", "partners"]].values.tolist() == [["a", 3, 4], ["b", 0, 1]]
    graph = nx.Graph([("a", "c"), ("a", "d"), ("a", "e"), ("c", "d"), ("c", "e"), ("d", "e")])
    graph.add_edges_from([("a", "b"), ("c", "f"), ("e", "f")])
    expected = nx.betweenness_centrality(graph)
    assert table["betweenness"].tolist() == pytest.approx([expected["a"], expected["b"]])


def test_the_reading_in_english_and_italian(small_data):
    puglia = report(small_data, "region", "ITF4")
    said = puglia.reading()
    assert said[0] == (
        "2 organisations in Puglia (ITF4) took part in 2 agreements and 1 action in view, with partners in 3 other "
        "regions."
    )
    assert said[1] == "2 of them brought two or more of its organisations together."
    assert said[2].startswith("Its strongest ties are with Stuttgart (DE11, 1 shared agreement or action), ")
    assert said[3] == "Its widest broker is Org A, tied to partners in 3 other countries."
    with i18n.speaking("it"):
        italian = puglia.reading()
        germany = report(small_data, "country", "DE").reading()
    assert italian[0] == (
        "2 organizzazioni in Puglia (ITF4) hanno preso parte a 2 accordi e 1 azione in vista, con partner in 3 altre "
        "regioni."
    )
    assert germany[0].startswith("2 organizzazioni in Germania (DE) hanno preso parte a 1 accordo e 1 azione")
    assert germany[0].endswith("con partner in 3 altri paesi.")


def test_a_place_with_nobody_in_view_says_why(small_data):
    companies = Filters(org_kinds=("company",))  # only f (Germany, no region) is in view
    puglia = report(small_data, "region", "ITF4", companies)
    assert (puglia.summary().organisations, puglia.summary().in_dataset) == (0, 3)
    assert puglia.organisations().empty and puglia.partners().empty and puglia.halves_table()["items"].sum() == 0
    assert puglia.reading() == [
        "3 organisations of the dataset are in Puglia (ITF4), but none takes part in an agreement or action in view."
    ]
    france = report(small_data, "country", "FR")
    assert france.summary().in_dataset == 0
    assert france.reading() == ["The dataset has no organisation in France (FR)."]


def test_money_of_a_region_and_a_country(funded):
    """ac1: a 1000 and b 500 (Puglia, no lead); ac2: c 3000 (PL, lead), e 1500.30 (DE11), f no amount (DE)."""
    puglia = report(funded, "region", "ITF4").money()
    assert puglia is not None
    assert (puglia.contribution_eur, puglia.participations, puglia.without_amount) == (1500.0, 2, 0)
    assert (puglia.here_eur, puglia.elsewhere_eur, puglia.not_given_eur) == (0.0, 0.0, 1500.0)
    germany = report(funded, "country", "DE")
    money = germany.money()
    assert money is not None
    assert (money.contribution_eur, money.participations, money.without_amount) == (pytest.approx(1500.30), 2, 1)
    assert money.elsewhere_eur == pytest.approx(1500.30)
    assert germany.reading()[-1] == (
        "Its organisations received 1,500 EUR of EU contribution in 2 participations; 100% of it in actions led from "
        "elsewhere; 1 carries no amount and is not counted in it."
    )
    norte = report(funded, "region", "PT11", Filters(date_to="2019")).money()  # d's only action is in 2020
    assert norte is not None and (norte.contribution_eur, norte.participations) == (0.0, 0)


def test_no_money_without_amounts(small_data):
    assert report(small_data, "region", "ITF4").money() is None


# An unseen dataset: its numbers against a plain pandas count of the raw tables.


@pytest.fixture(scope="module")
def unseen(tmp_path_factory):
    tables = synthetic.generate(320, 60, 160, seed=2417)
    result = load_dataset(synthetic.write(tmp_path_factory.mktemp("unseen"), tables))
    assert result.dataset is not None
    return tables, result.dataset


def memberships(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every (item, org_id) of the raw tables with the organisation's region and country."""
    parts = [
        tables["agreement_parties"].assign(item="a/" + tables["agreement_parties"]["agreement_id"]),
        tables["action_participants"].assign(item="b/" + tables["action_participants"]["action_id"]),
    ]
    members = pd.concat([p[["item", "org_id"]] for p in parts], ignore_index=True)
    orgs = tables["organisations"][["org_id", "nuts2", "country"]]
    return members.merge(orgs, on="org_id").replace({"nuts2": {"": None}})


def independent(members: pd.DataFrame, column: str, code: str) -> tuple[int, dict[str, int], dict[str, int]]:
    """Organisations of the place in some item; per partner place, the distinct items shared and its organisations
    in them."""
    placed = members.dropna(subset=[column])
    mine = set(placed.loc[placed[column] == code, "item"])
    shared = placed[placed["item"].isin(mine) & (placed[column] != code)]
    organisations = placed.loc[placed[column] == code, "org_id"].nunique()
    return (
        organisations,
        shared.groupby(column)["item"].nunique().to_dict(),
        shared.groupby(column)["org_id"].nunique().to_dict(),
    )


@pytest.mark.parametrize("level", ["region", "country"])
def test_the_busiest_place_of_an_unseen_dataset(unseen, level):
    tables, data = unseen
    members = memberships(tables)
    column = "nuts2" if level == "region" else "country"
    counts = members.dropna(subset=[column]).groupby(column)["org_id"].nunique()
    code = counts.sort_index().idxmax()  # the most organisations in some agreement or action (ties: first code)
    organisations, weights, partner_orgs = independent(members, column, code)
    place = report(data, level, code)
    assert place.summary().organisations == organisations == counts.max()
    table = place.partners()
    assert dict(zip(table["partner"], table["weight"], strict=True)) == weights
    assert dict(zip(table["partner"], table["organisations"], strict=True)) == partner_orgs
    assert place.summary().partners == len(weights) > 0
