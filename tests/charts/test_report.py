"""The charts as downloaded: each one's rows, hand-checked on the small network, and the map's static picture."""

from __future__ import annotations

import io
import zipfile

import pytest

from analysis.cache import MB, FileCache
from analysis.dataset import Dataset
from analysis.filters import Filters
from analysis.insights import Insights
from analysis.networks import LEVELS
from charts.map_figure import LAYER, map_figure
from charts.report import Charts
from tests import small


def charts(data: Dataset, filters: Filters | None = None) -> Charts:
    return Charts(Insights(data, filters or Filters()), FileCache(64 * MB))


def test_charts_follow_the_filters(small_data):
    only_poland = charts(small_data, Filters(countries=("PL",), only_selected=True))
    assert list(only_poland.countries().table["country"]) == ["PL"]
    assert list(only_poland.network().table["node"]) == ["c"]
    assert list(only_poland.timeline().table["title"]) == ["Protocol", "Project"]


def test_network_table_is_the_drawn_nodes_with_defined_columns(small_data):
    view = charts(small_data)
    chart = view.network("org", limit=3)
    assert len(chart.table) == 3  # the chart draws the three most connected; the file holds exactly those
    assert set(chart.table["node"]) <= set(view.insights.metrics("org")["node"])
    assert "organisation network" in chart.definitions["betweenness"]
    whole = view.network("country")
    assert sorted(whole.table["node"]) == ["DE", "IT", "PL", "PT"]


@pytest.mark.parametrize("level", list(LEVELS))
def test_every_level_draws_and_names_its_file(small_data, level):
    chart = charts(small_data).network(level)
    assert chart.name == f"network-{level}"
    assert chart.title.startswith(LEVELS[level].title)
    assert len(chart.table) > 0 and len(chart.figure.data) > 1


def test_the_region_network_draws_the_regions(small_data):
    chart = charts(small_data).network("region", size_by="betweenness")
    assert sorted(chart.table["node"]) == ["DE11", "ITF4", "PL91", "PT11"]  # f has no region: not in it
    assert "region network" in chart.definitions["degree"]


def test_the_affiliation_chart_lists_each_drawn_membership(small_data):
    chart = charts(small_data).network("affiliation", limit=2)
    # a is in 3 items, b and c in 2 each: the tie goes to the first id, b; their memberships are the rows.
    assert sorted(set(chart.table["org_id"])) == ["a", "b"]
    assert sorted(chart.table.loc[chart.table["org_id"] == "b", "item"]) == ["action:ac1", "agreement:ag2"]
    assert "the 2 organisations in most items" in chart.definitions["item"]


def test_a_chart_downloads_exactly_its_rows(small_data):
    chart = charts(small_data).countries()
    lines = charts(small_data).csv(chart).decode("utf-8-sig").splitlines()
    assert lines == [
        "country,name,organisations,agreements,actions",
        "DE,Germany,2,1,1",
        "IT,Italy,2,2,1",
        "PL,Poland,1,1,1",
        "PT,Portugal,1,1,1",
    ]


def test_the_bundle_holds_every_chart_table_and_the_sources(small_data, monkeypatch):
    monkeypatch.setenv("CLUSTERNET_CHROMIUM", "/nonexistent/chromium")  # tables only: this test is about the rest
    view = charts(small_data, Filters(countries=("PL",)))
    names = zipfile.ZipFile(io.BytesIO(view.bundle())).namelist()
    assert sorted(names) == sorted(
        [
            f"{name}_PL.csv"
            for name in (
                "countries",
                "map",
                "network-org",
                "network-country",
                "timeline",
                "yearly",
                "growth",
                "growth-steps",
            )
        ]
        + ["sources_PL.csv", "README.txt"]
    )


def test_map_picture_draws_the_pages_regions_points_and_arcs(small_data):
    view = charts(small_data)
    data = view.map_data()
    fig = map_figure(data)
    layers = [(t.meta or {}).get(LAYER) for t in fig.data]
    places = sum(t.meta["places"] for t, layer in zip(fig.data, layers, strict=True) if layer == "places")
    assert places == len(data.region_shapes["features"]) + len(data.country_shapes["features"]) > 0
    assert sum(len(t.x) for t in fig.data if t.mode == "markers") == len(data.points) > 0
    assert layers.count("arc") == len(data.arcs) > 0
    assert list(view.map().table["place"]) == list(data.regions["region"]) + list(data.countries["country"])


def test_map_picture_escapes_dataset_text(tmp_path):
    dataset = small.dataset(tmp_path)
    dataset.organisations.loc[dataset.organisations["org_id"] == "a", "name"] = "<img src=x onerror=alert(1)>"
    fig = map_figure(charts(dataset).map_data())
    hovers = [h for t in fig.data if t.mode == "markers" for h in t.hovertext]
    assert any("&lt;img src=x onerror=alert(1)&gt;" in h for h in hovers)
    assert not any("<img" in h for h in hovers)


def test_a_period_after_the_last_dated_year_still_bundles(small_data, monkeypatch):
    """Only the open-ended protocol reaches 2030: there is no year to chart, and the bundle leaves that chart out."""
    monkeypatch.setenv("CLUSTERNET_CHROMIUM", "/nonexistent/chromium")
    view = charts(small_data, Filters(date_from="2030"))
    assert [c.name for c in view.report_charts()] == ["countries", "map", "network-org", "network-country", "timeline"]
    assert "timeline_all_2030-end.csv" in zipfile.ZipFile(io.BytesIO(view.bundle())).namelist()
