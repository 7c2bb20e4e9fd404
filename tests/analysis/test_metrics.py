"""Node metrics, summaries, the country matrix and the yearly series on tests/small.py, computed by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import i18n
from analysis.filters import Filters, apply
from analysis.i18n import _
from analysis.metrics import (
    BETWEENNESS_SAMPLES,
    EXACT_WORK,
    LOUVAIN_EXACT_LINKS,
    LOUVAIN_SEED,
    METRICS,
    PAGERANK_DAMPING,
    country_matrix,
    node_metrics,
    said,
    summary,
    yearly,
)
from analysis.networks import Network, network


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


def test_the_definitions_say_the_numbers_the_code_uses():
    """The definitions are catalogue messages, so their numbers are written out: they must stay those of the code."""
    assert f"exact up to {EXACT_WORK // 1_000_000} million" in METRICS["betweenness"].definition
    assert f"estimated from {BETWEENNESS_SAMPLES} seeded source nodes" in METRICS["betweenness"].definition
    assert f"damping {PAGERANK_DAMPING}" in METRICS["pagerank"].definition
    assert f"(seed {LOUVAIN_SEED})" in METRICS["community"].definition
    assert f"up to {LOUVAIN_EXACT_LINKS:,} links" in METRICS["community"].definition


def test_metrics_are_named_and_defined_in_italian(table):
    row = table.loc["a"]
    assert said(row, "org")[:2] == ["degree 4", "weighted degree 5"]
    with i18n.speaking("it"):
        assert [_(METRICS[m].label) for m in ("degree", "weighted_degree", "betweenness", "community")] == [
            "Grado",
            "Grado pesato",
            "Centralità di intermediazione",
            "Comunità",
        ]
        assert _(METRICS["brokerage"].definition) == "numero di paesi distinti tra i vicini del nodo, escluso il suo"
        assert _(METRICS["pagerank"].definition) == "PageRank sui pesi dei legami, fattore di smorzamento 0,85"
        words = said(row, "org")
        assert words[:3] == ["grado 4", "grado pesato 5", "centralità di intermediazione 0,4000"]
        assert words[3].startswith("PageRank 0,")
    assert METRICS["degree"].label == "Degree"  # the registry itself stays in English: `_()` says it


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


def as_network(graph) -> Network:
    """A networkx graph as one of ours (every link weighted by its `weight`, 1 if none)."""
    nodes = pd.DataFrame({"node": list(graph.nodes), "label": list(graph.nodes), "country": "XX"})
    ends = list(graph.edges(data="weight", default=1))
    edges = pd.DataFrame(
        {
            "a": [a for a, _, _ in ends],
            "b": [b for _, b, _ in ends],
            "weight": [w for _, _, w in ends],
            "first": pd.Timestamp("2020-01-01"),
        }
    )
    return Network("org", nodes, edges)


def test_large_graphs_get_a_seeded_estimate_that_ranks_like_the_exact_values(monkeypatch):
    import networkx as nx
    from scipy.stats import spearmanr

    from analysis import metrics

    graph = nx.powerlaw_cluster_graph(800, 4, 0.3, seed=3)
    graph = nx.relabel_nodes(graph, {n: f"n{n}" for n in graph})
    net = as_network(graph)
    exact = nx.betweenness_centrality(graph)
    exact = np.array([exact[n] for n in net.nodes["node"]])
    assert metrics.betweenness(net) == pytest.approx(exact, abs=1e-9)
    monkeypatch.setattr(metrics, "EXACT_WORK", 1000)
    assert not metrics.exact_betweenness(net)
    heard = []
    estimate = metrics.betweenness(net, heard.append)
    assert heard == pytest.approx([(i + 1) / metrics.BETWEENNESS_ROUNDS for i in range(metrics.BETWEENNESS_ROUNDS)])
    assert estimate == pytest.approx(metrics.betweenness(net), abs=0)  # seeded: the same every time
    assert estimate != pytest.approx(exact, abs=1e-9)  # it is an estimate...
    assert spearmanr(exact, estimate).statistic > 0.95  # ...that ranks alike


def test_pagerank_is_networkx_pagerank_without_building_a_networkx_graph():
    import networkx as nx

    from analysis.metrics import pagerank

    graph = nx.gnm_random_graph(300, 900, seed=5)
    for a, b in graph.edges:
        graph[a][b]["weight"] = 1 + (a * b) % 4
    graph.add_nodes_from([300, 301])  # isolated nodes: dangling, as networkx spreads them
    graph = nx.relabel_nodes(graph, {n: f"n{n:03d}" for n in graph})
    net = as_network(graph)
    expected = nx.pagerank(graph, alpha=0.85, weight="weight")
    assert pagerank(net) == pytest.approx([expected[n] for n in net.nodes["node"]], abs=1e-6)


def test_communities_above_networkx_scale_are_seeded_partitions(monkeypatch):
    import networkx as nx

    from analysis import metrics

    graph = nx.relabel_nodes(nx.connected_caveman_graph(12, 6), lambda n: f"n{n:03d}")
    net = as_network(graph)
    small = metrics.communities(net)
    monkeypatch.setattr(metrics, "LOUVAIN_EXACT_LINKS", 10)  # NetworKit's PLM from here
    large = metrics.communities(net)
    assert (large == metrics.communities(net)).all()  # seeded, one thread: the same every time
    # Twelve caves of six: both methods find them, numbered 1.. from the largest (ties: the smallest node).
    for found in (small, large):
        assert sorted(np.bincount(found)[1:]) == [6] * 12
        assert found[0] == 1
