"""The drawn network: which nodes, where, and text that cannot inject markup."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.filters import Filters
from analysis.insights import Insights
from analysis.network_chart import drawn, ego, figure, hover_text, layout, marker_sizes
from tests import small


@pytest.fixture(scope="module")
def insights(tmp_path_factory):
    return Insights(small.dataset(tmp_path_factory.mktemp("small")), Filters())


def test_drawn_keeps_the_most_connected_and_the_links_among_them(insights):
    part = drawn(insights.network("org"), insights.metrics("org"), limit=3)
    assert list(part.nodes["node"]) == ["a", "c", "e"]  # degree 4 each, weighted 5: then by name
    assert sorted(zip(part.links["a"], part.links["b"], strict=True)) == [("a", "c"), ("a", "e"), ("c", "e")]
    assert (part.total_nodes, part.total_links, part.complete) == (6, 9, False)


def test_layout_is_seeded_and_keeps_components_apart():
    links = pd.DataFrame({"a": ["x", "p"], "b": ["y", "q"], "weight": [1, 1]})
    first = layout(["x", "y", "p", "q", "lone"], links)
    assert first == layout(["x", "y", "p", "q", "lone"], links)
    assert set(first) == {"x", "y", "p", "q", "lone"}
    assert len(set(first.values())) == 5


def test_marker_sizes_grow_with_the_metric():
    sizes = marker_sizes(pd.Series([0, 1, 4, 16]))
    assert sizes[0] == 7 and sizes[-1] == 26 and list(sizes) == sorted(sizes)


def test_hover_text_escapes_dataset_text():
    row = pd.Series(
        {
            "label": "<img src=x onerror=alert(1)>",
            "country": "IT",
            "degree": 1,
            "weighted_degree": 2,
            "betweenness": 0.5,
            "pagerank": 0.1,
            "community": 1,
            "brokerage": 0,
        }
    )
    text = hover_text(row, {"IT": "Italy"})
    assert "<img" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text


def test_figure_has_one_trace_per_country_and_node_ids(insights):
    net = insights.network("org")
    part, where = insights.drawn("org", 50)
    fig = figure(net, part, where, "degree", "country", {"IT": "Italy"}, ["DE", "IT", "PL", "PT"])
    node_traces = fig.data[1:]
    assert sorted(t.name for t in node_traces) == ["DE", "Italy", "PL", "PT"]
    assert sorted(n for t in node_traces for n in t.customdata) == ["a", "b", "c", "d", "e", "f"]


def test_ego_lists_partners_by_weight(insights):
    table = ego(insights.network("org"), "a")
    assert list(table["node"]) == ["b", "c", "d", "e"]
    assert list(table["weight"]) == [2, 1, 1, 1]
    assert table.loc[0, "items"] == "action:ac1;agreement:ag2"
