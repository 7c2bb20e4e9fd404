"""The page of one place drawn (charts/region.py) on tests/small.py: its map of partner places with arcs, its items by
year and organisations by kind, and their files, in English and in Italian."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

from analysis import i18n, load_dataset
from analysis.cache import MB, FileCache
from analysis.filters import Filters
from analysis.geography import region_centroids
from analysis.insights import Insights
from analysis.region import find_place
from charts.map_figure import LAYER
from charts.region import RegionCharts, map_figure
from charts.report import Charts
from tests import small


def place_charts(data, level: str = "region", code: str = "ITF4") -> RegionCharts:
    files = FileCache(64 * MB)
    return RegionCharts(Charts(Insights(data, Filters()), files), find_place(data, level, code), files)


def layers(fig, name: str) -> list:
    return [t for t in fig.data if (t.meta or {}).get(LAYER) == name]


def test_the_map_draws_an_arc_to_each_partner(small_data):
    chart = place_charts(small_data).map()
    assert chart.title == "Puglia (ITF4) and its partner places, by shared agreements and actions"
    assert list(chart.table["partner"]) == ["DE11", "PL91", "PT11"]
    arcs = layers(chart.figure, "arc")
    assert len(arcs) == 3
    puglia = region_centroids()["ITF4"]
    assert all((arc.x[0], arc.y[0]) == (puglia[1], puglia[0]) for arc in arcs)  # from the place
    ends = {(arc.x[-1], arc.y[-1]) for arc in arcs}
    assert ends == {(region_centroids()[c][1], region_centroids()[c][0]) for c in ("DE11", "PL91", "PT11")}
    partners = next(t for t in chart.figure.data if t.name == "Partner places")
    assert list(partners.hovertext) == [
        "<b>Stuttgart</b> (DE11)<br>1 shared agreement or action",
        "<b>Warszawski stołeczny</b> (PL91)<br>1 shared agreement or action",
        "<b>Norte</b> (PT11)<br>1 shared agreement or action",
    ]
    assert [t.name for t in chart.figure.data if t.name] == ["Partner places", "Puglia (ITF4)"]
    shaded = layers(chart.figure, "places")
    assert sum(t.meta["places"] for t in shaded) == 4  # three partners and the place


def test_a_country_map_and_names_from_the_data_escaped(small_data):
    chart = place_charts(small_data, "country", "DE").map()
    assert list(chart.table["partner"]) == ["PL", "IT", "PT"]
    assert len(layers(chart.figure, "arc")) == 3
    hostile = pd.DataFrame(
        {"partner": ["PL"], "name": ["<img src=x onerror=alert(1)>"], "country": ["PL"], "weight": [2]}
    )
    fig, _drawn = map_figure(find_place(small_data, "country", "DE"), hostile)
    hover = next(t for t in fig.data if t.name == "Partner places").hovertext[0]
    assert hover.startswith("<b>&lt;img src=x onerror=alert(1)&gt;</b> (PL)")


def test_years_and_kinds(small_data):
    charts = place_charts(small_data, "country", "DE")
    years = charts.years()
    assert years.title == "Agreements and actions of Germany (DE) by start year"
    bars = {t.name: list(t.y) for t in years.figure.data}
    assert bars == {"Agreements": [1, 0, 0, 0, 0], "Actions": [0, 0, 0, 0, 1]}
    assert list(years.figure.data[0].x) == [2014, 2015, 2016, 2017, 2018]
    kinds = place_charts(small_data).kinds()
    assert list(kinds.figure.layout.yaxis.ticktext) == ["cluster", "public authority"]
    assert list(kinds.figure.data[0].x) == [1, 1]


def test_files_and_bundle(small_data, monkeypatch):
    monkeypatch.setenv("CLUSTERNET_CHROMIUM", "/nonexistent/chromium")  # the bundle's tables and README only
    charts = place_charts(small_data)
    csv = pd.read_csv(io.BytesIO(charts.csv(charts.map())))
    assert csv[["partner", "weight"]].values.tolist() == [["DE11", 1], ["PL91", 1], ["PT11", 1]]
    workbook = pd.read_excel(io.BytesIO(charts.xlsx_table("region-ITF4-organisations")), sheet_name=None)
    assert list(workbook["Data"]["org_id"]) == ["a", "b"]
    about = workbook["About"].fillna("").astype(str).agg(" ".join, axis=1).tolist()
    assert any("distinct agreements and actions in view the organisation takes part in" in row for row in about)
    archive = zipfile.ZipFile(io.BytesIO(charts.bundle()))
    assert set(archive.namelist()) >= {
        "region-ITF4-partners_all.csv",
        "region-ITF4-years_all.csv",
        "region-ITF4-kinds_all.csv",
        "region-ITF4-organisations_all.csv",
        "region-ITF4-brokers_all.csv",
        "region-ITF4-halves_all.csv",
        "sources_all.csv",
        "README.txt",
    }
    assert archive.read("README.txt").decode().splitlines()[0] == "Title: ClusterNet report on Puglia (ITF4)"


def test_in_italian(small_data):
    with i18n.speaking("it"):
        charts = place_charts(small_data, "country", "DE")
        chart = charts.map()
        years = charts.years()
    assert chart.title == "Germania (DE) e i suoi luoghi partner, per accordi e azioni in comune"
    hover = next(t for t in chart.figure.data if t.name == "Luoghi partner").hovertext
    assert hover[0] == "<b>Polonia</b> (PL)<br>2 accordi e azioni in comune"
    assert [t.name for t in years.figure.data] == ["Accordi", "Azioni"]


@pytest.fixture(scope="module")
def funded(tmp_path_factory):
    result = load_dataset(small.write_funded(tmp_path_factory.mktemp("funded")))
    assert result.dataset is not None
    return result.dataset


def test_money_joins_the_charts_where_the_data_has_amounts(small_data, funded):
    assert [c.name for c in place_charts(small_data, "country", "DE").report_charts()] == [
        "country-DE-partners",
        "country-DE-years",
        "country-DE-kinds",
    ]
    charts = place_charts(funded, "country", "DE")
    money = charts.money()
    assert money is not None and money.name == "money-DE"
    assert money.table[["partner", "contribution_eur"]].values.tolist() == [["DE", 750.15], ["PL", 750.15]]
    assert [c.name for c in charts.report_charts()][-1] == "money-DE"
