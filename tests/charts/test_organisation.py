"""The page of one organisation drawn (charts.organisation) on tests/small.py: its partners as bars, where they are on
a map that exports offline, its agreements and actions in time, its money by year, and its files, in English and
Italian; dataset text reaches plotly escaped."""

from __future__ import annotations

import copy
import html
import io
import re
import zipfile

import openpyxl
import pytest

from analysis import i18n, load_dataset
from analysis.cache import MB, FileCache
from analysis.filters import Filters
from analysis.insights import Insights
from charts.organisation import OrganisationCharts, far_places
from charts.report import Charts
from tests import factory, small

HOSTILE = "<img src=x onerror=alert(1)>"


def page(data, org: str, filters: Filters | None = None) -> OrganisationCharts:
    files = FileCache(64 * MB)
    return OrganisationCharts(Charts(Insights(data, filters or Filters()), files), org, files)


def svg_lines(svg: bytes) -> list[str]:
    return [html.unescape(t) for t in re.findall(r"<(?:text|tspan)[^>]*>([^<]+)<", svg.decode()) if t.strip()]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The small dataset with e named by HTML."""
    tables = copy.deepcopy(small.TABLES)
    for row in tables["organisations"]:
        if row["org_id"] == "e":
            row["name"] = HOSTILE
    result = load_dataset(factory.write(tmp_path_factory.mktemp("hostile"), tables))
    assert result.dataset is not None
    return result.dataset


@pytest.fixture(scope="module")
def funded(tmp_path_factory):
    result = load_dataset(small.write_funded(tmp_path_factory.mktemp("funded")))
    assert result.dataset is not None
    return result.dataset


def test_partners_as_bars_most_shared_first(small_data):
    chart = page(small_data, "c").partners()
    assert chart.title == "Partners of Org C by shared agreements and actions"
    bars = chart.figure.data[0]
    assert list(bars.x) == [2, 1, 1, 1]
    assert list(chart.figure.layout.yaxis.ticktext) == ["Org E", "Org A", "Org D", "Org F"]
    assert bars.hovertext[0] == "<b>Org E</b><br>Germany<br>2 shared agreements and actions"
    assert list(chart.table["org_id"]) == ["e", "a", "d", "f"]
    assert chart.table["items"].iloc[0] == "agreement:ag1;action:ac2"


def test_dataset_text_reaches_plotly_escaped(hostile):
    view = page(hostile, "c")
    bars = view.partners().figure.data[0]
    assert bars.hovertext[0].startswith(f"<b>{html.escape(HOSTILE)}</b>")
    assert view.partners().figure.layout.yaxis.ticktext[0] == html.escape(HOSTILE)
    assert HOSTILE not in view.partners().figure.to_json()
    assert HOSTILE not in page(hostile, "e").map().figure.to_json()  # its own name, at its star


def test_the_map_draws_regions_countries_and_the_organisation(small_data):
    chart = page(small_data, "c").map()
    assert chart.title == "Where the partners of Org C are"
    table = chart.table
    assert list(zip(table["place"], table["level"], table["partners"], strict=True)) == [
        ("DE11", "NUTS-2 region", 1),
        ("ITF4", "NUTS-2 region", 1),
        ("PT11", "NUTS-2 region", 1),
        ("DE", "country", 1),  # f: no region, drawn at Germany's centre
    ]
    traces = {t.name: t for t in chart.figure.data if t.name}
    assert set(traces) == {
        "Partner regions (NUTS-2), sized by partners",
        "Partners without a region, at their country's centre",
        "The organisation",
    }
    assert len(traces["Partner regions (NUTS-2), sized by partners"].x) == 3
    assert (
        traces["Partner regions (NUTS-2), sized by partners"].hovertext[1] == "<b>Puglia</b> (ITF4, Italy)<br>1 partner"
    )
    assert (traces["The organisation"].x[0], traces["The organisation"].y[0]) == (21.01, 52.23)  # c's coordinates
    assert chart.figure.data[0].meta["layer"] == "land"  # the shipped outlines: no tiles, no topojson


def test_the_timeline_and_its_table_carry_the_role(funded):
    chart = page(funded, "c").timeline()
    assert chart.title == "Agreements and actions of Org C in time"
    assert list(chart.table["title"]) == ["Protocol", "Project"]
    assert list(chart.table["role"]) == ["signatory", "lead"]
    assert list(chart.table["start"]) == ["2014", "2018-03-01"]
    assert list(page(funded, "c").timeline(1).table["title"]) == ["Project"]  # a hub's timeline: its latest items


def test_money_by_year_where_the_data_has_amounts(funded, small_data):
    view = page(funded, "c")
    chart = view.contribution_years(False)
    assert chart.title == "EU contribution of Org C per year, by the actions' start year"
    assert chart.table.to_dict("list") == {"year": [2018], "contribution_eur": [3000.0]}
    assert view.contribution_years(True).table.to_dict("list") == {
        "year": [2018, 2019],
        "contribution_eur": [1500.0, 1500.0],
    }
    assert [c.name for c in view.report_charts()] == [
        "organisation-c-timeline",
        "organisation-c-partners",
        "organisation-c-map",
        "organisation-c-contribution-years",
    ]
    assert page(small_data, "c").contribution_years(False) is None  # no amounts, no money chart


def test_every_partner_as_xlsx_with_its_definitions(small_data):
    book = openpyxl.load_workbook(io.BytesIO(page(small_data, "c").partners_xlsx()))
    rows = list(book["Data"].values)
    assert rows[0] == ("org_id", "name", "country", "nuts2", "kind", "shared", "items", "titles")
    assert rows[1][:6] == ("e", "Org E", "DE", "DE11", "cluster", 2)  # a number, not text
    about = {row[0]: row[1] for row in book["About"].values if row[0]}
    assert about["Title"] == "Partners of Org C"
    assert (
        about["Column shared"]
        == "distinct agreements and actions in view that the partner shares with the organisation"
    )


def test_the_report_bundle_in_italian(funded, monkeypatch):
    monkeypatch.setenv("CLUSTERNET_CHROMIUM", "/nonexistent/chromium")  # the bundle's tables and README only
    with i18n.speaking("it"):
        view = page(funded, "c")
        view.partners()
        archive = zipfile.ZipFile(io.BytesIO(view.bundle()))
    names = set(archive.namelist())
    assert {
        "organisation-c-timeline_all.csv",
        "organisation-c-partners_all.csv",
        "organisation-c-map_all.csv",
        "organisation-c-contribution-years_all.csv",
        "organisation-c-all-partners_all.csv",
        "organisation-c-agreements-and-actions_all.csv",
        "organisation-c-metrics_all.csv",
        "organisation-c-suggested-partners_all.csv",
        "sources_all.csv",
        "README.txt",
    } <= names
    readme = archive.read("README.txt").decode().splitlines()
    assert readme[0] == "Titolo: Rapporto ClusterNet: Org C"
    assert (
        "Colonna rank: la sua posizione tra le organizzazioni in vista, 1 la più alta; valori uguali condividono la "
        "posizione migliore" in readme
    )
    metrics = archive.read("organisation-c-metrics_all.csv").decode("utf-8-sig").splitlines()
    assert metrics[0] == "metric,value,rank,ranked"
    assert metrics[1] == "degree,4.0,1,6"
    suggested = archive.read("organisation-c-suggested-partners_all.csv").decode()
    assert "Org B" in suggested


def test_an_image_of_the_map_exports_offline(small_data):
    with i18n.speaking("it"):
        view = page(small_data, "c", Filters(countries=("PL",)))
        chart = view.map()
    svg = view.image(chart, "svg")
    lines = svg_lines(svg)
    assert "Dove si trovano i partner di Org C" in lines
    assert "Partner senza regione, al centro del loro paese" in lines  # the legend
    assert view.file_name(chart.name, "svg") == "organisation-c-map_PL.svg"


def test_a_partner_outside_europe_is_counted_beyond_the_first_view(tmp_path, small_data):
    tables = copy.deepcopy(small.TABLES)
    for row in tables["organisations"]:
        if row["org_id"] == "f":
            row["country"] = "JP"  # no region: drawn at Japan's centre, far east of the first view
    result = load_dataset(factory.write(tmp_path / "far", tables))
    assert result.dataset is not None
    view = page(result.dataset, "c")
    assert list(view.places()["place"]) == ["DE11", "ITF4", "PT11", "JP"]
    assert far_places(view.places()) == 1
    assert view.map().figure.layout.xaxis.range[1] < 139  # Tokyo's longitude: Europe first, as on the Map page
    assert far_places(page(small_data, "c").places()) == 0
