"""The drawn network: which nodes, where, and text that cannot inject markup."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pandas as pd

from analysis import i18n
from analysis.cache import FileCache
from charts.network import drawn, figure, hover_text, layout, marker_sizes
from charts.report import Charts


def test_drawn_keeps_the_most_connected_and_the_links_among_them(small_insights):
    part = drawn(small_insights.network("org"), small_insights.metrics("org"), limit=3)
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


def test_figure_has_one_trace_per_country_and_node_ids(small_insights):
    net = small_insights.network("org")
    part, where = Charts(small_insights, FileCache(0)).drawn("org", 50)
    fig = figure(net, part, where, "degree", "country", {"IT": "Italy"}, ["DE", "IT", "PL", "PT"])
    node_traces = fig.data
    assert sorted(t.name for t in node_traces) == ["DE", "Italy", "PL", "PT"]
    assert sorted(n for t in node_traces for n in t.customdata) == ["a", "b", "c", "d", "e", "f"]


def test_links_are_drawn_as_one_path_joining_the_drawn_positions(small_insights):
    """One shape (one SVG element) for all links, each link a move to one end and a line to the other."""
    part, where = Charts(small_insights, FileCache(0)).drawn("org", 50)
    fig = figure(small_insights.network("org"), part, where, "degree", "country", {}, ["DE", "IT", "PL", "PT"])
    (shape,) = fig.layout.shapes
    assert (shape.type, shape.xref, shape.yref, shape.layer) == ("path", "x", "y", "below")
    drawn = re.findall(r"M(-?[\d.]+),(-?[\d.]+)L(-?[\d.]+),(-?[\d.]+)", shape.path)
    assert len(drawn) == len(part.links) > 0
    ends = {node: (round(x, 4), round(y, 4)) for node, (x, y) in where.items()}
    expected = {frozenset((ends[a], ends[b])) for a, b in zip(part.links["a"], part.links["b"], strict=True)}
    assert {frozenset(((float(x1), float(y1)), (float(x2), float(y2)))) for x1, y1, x2, y2 in drawn} == expected


def test_layout_is_the_same_whatever_the_hash_seed(tmp_path):
    """Sets of strings iterate in an order that changes with PYTHONHASHSEED; the picture must not."""
    script = (
        "import pandas as pd\n"
        "from charts.network import layout\n"
        "links = pd.DataFrame({'a': ['n1', 'n2', 'n4'], 'b': ['n2', 'n3', 'n5'], 'weight': [1, 2, 1]})\n"
        "nodes = [f'n{i}' for i in range(1, 9)]\n"
        "print(sorted(layout(nodes, links).items()))\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script], env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True
        ).stdout
        for seed in ("0", "1", "2", "3")
    }
    assert len(outputs) == 1 and "n1" in outputs.pop()


def test_legends_and_hovers_in_italian(small_insights):
    view = Charts(small_insights, FileCache(0))
    with i18n.speaking("it"):
        by_community = view.network("org", colour_by="community").figure
        by_country = view.network("org", size_by="weighted_degree")
        affiliation = view.network("affiliation").figure
    assert by_community.layout.legend.title.text == "Comunità"
    assert sorted(t.name for t in by_community.data) == ["comunità 1", "comunità 2"]
    assert by_country.figure.layout.legend.title.text == "Paese"
    assert sorted(t.name for t in by_country.figure.data) == ["Germania", "Italia", "Polonia", "Portogallo"]
    assert ", nodi dimensionati per " in by_country.title  # the network and the metric: analysis.networks and metrics
    assert "Polonia" in by_country.figure.data[0].hovertext[0] + by_country.figure.data[2].hovertext[0]
    assert [t.name for t in affiliation.data[-2:]] == ["accordi", "azioni"]
    assert affiliation.data[-1].hovertext[0].endswith("<br>azione")
    org_hovers = [h for t in affiliation.data[:-2] for h in t.hovertext]
    assert any(h.endswith("<br>in 3 accordi e azioni") for h in org_hovers)
