"""Node metrics, summaries, the country matrix and the yearly series on tests/small.py, computed by hand."""

from __future__ import annotations

import pytest

from analysis.filters import Filters, apply
from analysis.metrics import country_matrix, node_metrics, summary, yearly
from analysis.networks import network


@pytest.fixture(scope="module")
def table(small_data):
    return node_metrics(network(apply(small_data, Filters()), "org")).set_index("node")


def test_degrees_and_brokerage(table):
    assert table["degree"].to_dict() == {"a": 4, "b": 1, "c": 4, "d": 3, "e": 4, "f": 2}
    assert table["weighted_degree"].to_dict() == {"a": 5, "b": 2, "c": 5, "d": 3, "e": 5, "f": 2}
    assert table["brokerage"].to_dict() == {"a": 3, "b": 0, "c": 3, "d": 3, "e": 3, "f": 1}


def test_betweenness_unweighted_and_normalised(table):
    # a lies on every path from b (4 pairs); c and e share f's paths to a, b and d (1.5 each); 2/((6-1)(6-2)).
    assert table["betweenness"].to_dict() == pytest.approx({"a": 0.4, "b": 0, "c": 0.15, "d": 0, "e": 0.15, "f": 0})


def test_pagerank_sums_to_one_and_ranks_the_hubs(table):
    assert table["pagerank"].sum() == pytest.approx(1)
    assert table["pagerank"].idxmin() == "b" or table["pagerank"]["b"] < table["pagerank"]["a"]
    assert table["pagerank"]["a"] == pytest.approx(table["pagerank"]["c"], abs=0.05)


def test_communities_are_stable_and_numbered_from_the_largest(small_data, table):
    again = node_metrics(network(apply(small_data, Filters()), "org")).set_index("node")
    assert again["community"].to_dict() == table["community"].to_dict()
    sizes = table["community"].value_counts()
    assert sizes.index[0] == 1 and sizes.is_monotonic_decreasing


def test_columns_and_labels(table):
    assert list(table.reset_index().columns) == [
        "node",
        "label",
        "country",
        "degree",
        "weighted_degree",
        "betweenness",
        "pagerank",
        "community",
        "brokerage",
    ]
    assert table.loc["c", "label"] == "Org C" and table.loc["c", "country"] == "PL"


def test_summary(small_data):
    s = summary(network(apply(small_data, Filters()), "org"))
    assert (s.nodes, s.links, s.components) == (6, 9, 1)
    assert s.density == pytest.approx(9 / 15)
    assert s.cross_border_share == pytest.approx(7 / 9)  # a-b (IT) and e-f (DE) stay home


def test_country_level_metrics_ignore_self_loops(small_data):
    table = node_metrics(network(apply(small_data, Filters()), "country")).set_index("node")
    assert table["degree"].to_dict() == {"DE": 3, "IT": 3, "PL": 3, "PT": 3}
    assert table["weighted_degree"].to_dict() == {"DE": 4, "IT": 3, "PL": 4, "PT": 3}
    assert table["brokerage"].to_dict() == {"DE": 3, "IT": 3, "PL": 3, "PT": 3}


def test_country_matrix(small_data):
    matrix = country_matrix(network(apply(small_data, Filters()), "country"))
    assert matrix.loc["IT", "IT"] == 2
    assert matrix.loc["PL", "DE"] == matrix.loc["DE", "PL"] == 2
    assert matrix.loc["PT", "PT"] == 0
    assert int(matrix.to_numpy().sum()) == 2 * (1 + 1 + 2 + 1 + 1 + 1) + 1 + 2


def test_yearly_series(small_data):
    view = apply(small_data, Filters())
    series = yearly(view, network(view, "org")).set_index("year")
    assert list(series.index) == list(range(2014, 2021))
    assert series["agreements_active"].tolist() == [1, 1, 2, 2, 1, 1, 1]
    assert series["actions_active"].tolist() == [0, 1, 0, 0, 1, 1, 1]
    assert series["new_links"].tolist() == [6, 1, 0, 0, 2, 0, 0]
    assert series["new_countries"].tolist() == [4, 0, 0, 0, 0, 0, 0]


def test_metrics_under_a_window_and_country(small_data):
    view = apply(small_data, Filters(countries=("DE",), date_from="2018"))
    table = node_metrics(network(view, "org")).set_index("node")
    # ag1 (open-ended) and ac2 remain; the network is a, c, d, e, f.
    assert table["degree"].to_dict() == {"a": 3, "c": 4, "d": 3, "e": 4, "f": 2}
    assert table["weighted_degree"].to_dict() == {"a": 3, "c": 5, "d": 3, "e": 5, "f": 2}


def test_large_graphs_get_a_seeded_estimate_that_ranks_like_the_exact_values(monkeypatch):
    import networkx as nx
    from scipy.stats import spearmanr

    from analysis import metrics

    graph = nx.powerlaw_cluster_graph(1500, 4, 0.3, seed=3)
    graph = nx.relabel_nodes(graph, {n: f"n{n}" for n in graph})
    exact = nx.betweenness_centrality(graph)
    assert metrics.betweenness(graph) == pytest.approx(exact, abs=1e-9)
    monkeypatch.setattr(metrics, "EXACT_WORK", 1000)
    assert not metrics.exact_betweenness(graph)
    estimate = metrics.betweenness(graph)
    assert estimate == metrics.betweenness(graph)  # seeded: the same every time
    assert estimate != pytest.approx(exact, abs=1e-9)  # it is an estimate...
    nodes = sorted(graph)
    assert spearmanr([exact[n] for n in nodes], [estimate[n] for n in nodes]).statistic > 0.95  # ...that ranks alike
