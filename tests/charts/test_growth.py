"""Growth through time as drawn: the lines of both scopes, and one small multiple per year on one layout."""

from __future__ import annotations

import copy

import pytest

from analysis import i18n, load_dataset
from analysis.cache import MB, FileCache
from analysis.filters import Filters
from analysis.growth import SCOPES, growth, growth_table
from analysis.insights import Insights
from charts.report import Charts
from tests import factory, small

HTML_NAME = "<img src=x onerror=alert(1)>"


def charts(data, filters: Filters | None = None) -> Charts:
    return Charts(Insights(data, filters or Filters()), FileCache(64 * MB))


def panels(fig) -> list[str]:
    """The small multiples' titles, one per year."""
    return [a.text for a in fig.layout.annotations]


def test_the_growth_chart_draws_both_scopes_and_downloads_its_numbers(small_data):
    chart = charts(small_data).growth()
    assert chart.name == "growth"
    expected = growth_table(growth(small_data, Filters()))
    assert chart.table.equals(expected)
    assert set(chart.definitions) == set(chart.table.columns)
    # Five measures, a line per scope in each.
    assert len(chart.figure.data) == 10
    up_to = [t for t in chart.figure.data if t.name == SCOPES["cumulative"].capitalize()]
    assert list(up_to[0].x) == list(range(2014, 2021))
    assert list(up_to[0].y) == [4, 5, 5, 5, 6, 6, 6]  # organisations up to each year (tests/small.py)


def test_one_panel_per_year_with_the_same_axes(small_data):
    chart = charts(small_data).growth_steps()
    fig = chart.figure
    assert panels(fig) == [
        "<b>2014</b><br>4 organisations, 6 links",
        "<b>2015</b><br>5 organisations, 7 links",
        "<b>2016</b><br>5 organisations, 7 links",
        "<b>2017</b><br>5 organisations, 7 links",
        "<b>2018</b><br>6 organisations, 9 links",
        "<b>2019</b><br>6 organisations, 9 links",
        "<b>2020</b><br>6 organisations, 9 links",
    ]
    xs = {tuple(fig.layout[k].range) for k in fig.layout if k.startswith("xaxis")}
    ys = {tuple(fig.layout[k].range) for k in fig.layout if k.startswith("yaxis")}
    assert len(xs) == 1 and len(ys) == 1  # one layout, one frame: a node stands in the same place every year
    # Each year: old links, new links, nodes. 2015 brings b and its link to a; f arrives in 2018 with two links.
    nodes_2015 = fig.data[5]
    assert list(nodes_2015.marker.line.width).count(2) == 1
    new_links_2018 = fig.data[3 * 4 + 1]
    assert len(new_links_2018.x) == 2 * 3  # two segments, each closed by a gap
    assert list(chart.table["node"]) == ["a", "c", "d", "e", "b", "f"]  # by arrival, then name
    assert list(chart.table["arrival"]) == [2014, 2014, 2014, 2014, 2015, 2018]


def test_the_same_node_stands_in_the_same_place_every_year(small_data):
    fig = charts(small_data).growth_steps().figure
    where: dict[str, set] = {}
    for trace in fig.data:
        if trace.customdata is not None:
            for node, x, y in zip(trace.customdata, trace.x, trace.y, strict=True):
                where.setdefault(node, set()).add((x, y))
    assert sorted(where) == ["a", "b", "c", "d", "e", "f"]
    assert all(len(places) == 1 for places in where.values())


def test_names_are_escaped(tmp_path):
    tables = copy.deepcopy(small.TABLES)
    tables["organisations"][0]["name"] = HTML_NAME
    data = load_dataset(factory.write(tmp_path / "html", tables)).dataset
    fig = charts(data).growth_steps().figure
    hovers = [h for t in fig.data if t.hovertext is not None for h in t.hovertext]
    assert any("&lt;img src=x onerror=alert(1)&gt;" in h for h in hovers)
    assert not any("<img" in h for h in hovers)
    assert not any("<img" in str(t.name) for t in fig.data)


@pytest.mark.parametrize("filters", [Filters(date_from="2030"), Filters(countries=("PL",), only_selected=True)])
def test_few_years_or_nodes_still_draw(small_data, filters):
    view = charts(small_data, filters)
    chart = view.growth_steps()
    assert len(panels(chart.figure)) == len(view.insights.growth()) // 2


def test_small_multiples_in_italian(small_data):
    with i18n.speaking("it"):
        chart = charts(small_data).growth_steps()
        growth = charts(small_data).growth()
    assert chart.title == "La rete che cresce anno per anno"
    assert panels(chart.figure)[0] == "<b>2014</b><br>4 organizzazioni, 6 legami"
    assert chart.figure.layout.legend.title.text == "Paese"
    names = [t.name for t in chart.figure.data if t.name]
    assert names == [
        "Germania",
        "Italia",
        "Polonia",
        "Portogallo",
        "nuova quell'anno (cerchiata)",
        "legame nuovo quell'anno",
    ]
    hovers = [h for t in chart.figure.data if t.hovertext is not None for h in t.hovertext]
    assert any(h.endswith("<br>nuova nella rete quest'anno") for h in hovers)
    assert any(h.endswith("<br>nella rete dal 2014") for h in hovers)
    assert growth.title == "Crescita anno per anno" and growth.figure.layout.separators == ",."
