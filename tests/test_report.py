"""The charts as downloaded: each one's rows, hand-checked on the small network, and the map's static picture."""

from __future__ import annotations

from analysis import report
from analysis.filters import Filters
from analysis.insights import Insights
from analysis.map_figure import map_figure
from tests import small


def test_country_table_counts_organisations_agreements_and_actions(tmp_path):
    table = report.country_table(Insights(small.dataset(tmp_path), Filters()))
    assert table.to_dict("records") == [
        {"country": "DE", "name": "Germany", "organisations": 2, "agreements": 1, "actions": 1},
        {"country": "IT", "name": "Italy", "organisations": 2, "agreements": 2, "actions": 1},
        {"country": "PL", "name": "Poland", "organisations": 1, "agreements": 1, "actions": 1},
        {"country": "PT", "name": "Portugal", "organisations": 1, "agreements": 1, "actions": 1},
    ]


def test_charts_follow_the_filters(tmp_path):
    insights = Insights(small.dataset(tmp_path), Filters(countries=("PL",), only_selected=True))
    assert list(report.countries_chart(insights).table["country"]) == ["PL"]
    assert list(report.network_chart(insights).table["node"]) == ["c"]
    assert list(report.timeline_chart(insights).table["title"]) == ["Protocol", "Project"]


def test_network_table_is_the_drawn_nodes_with_defined_columns(tmp_path):
    insights = Insights(small.dataset(tmp_path), Filters())
    chart = report.network_chart(insights, "org", limit=3)
    assert len(chart.table) == 3  # the chart draws the three most connected; the file holds exactly those
    assert set(chart.table["node"]) <= set(insights.metrics("org")["node"])
    assert "organisation network" in chart.definitions["betweenness"]
    whole = report.network_chart(insights, "country")
    assert sorted(whole.table["node"]) == ["DE", "IT", "PL", "PT"]


def test_map_picture_draws_the_pages_regions_points_and_arcs(tmp_path):
    insights = Insights(small.dataset(tmp_path), Filters())
    data = report.map_data(insights)
    fig = map_figure(data)
    places = sum(t.meta["places"] for t in fig.data if t.name == "places")
    assert places == len(data.region_shapes["features"]) + len(data.country_shapes["features"]) > 0
    assert sum(len(t.x) for t in fig.data if t.mode == "markers") == len(data.points) > 0
    assert sum(1 for t in fig.data if t.name == "arc") == len(data.arcs) > 0
    assert list(report.map_chart(insights).table["place"]) == list(data.regions["region"]) + list(
        data.countries["country"]
    )


def test_map_picture_escapes_dataset_text(tmp_path):
    dataset = small.dataset(tmp_path)
    dataset.organisations.loc[dataset.organisations["org_id"] == "a", "name"] = "<img src=x onerror=alert(1)>"
    fig = map_figure(report.map_data(Insights(dataset, Filters())))
    hovers = [h for t in fig.data if t.mode == "markers" for h in t.hovertext]
    assert any("&lt;img src=x onerror=alert(1)&gt;" in h for h in hovers)
    assert not any("<img" in h for h in hovers)
