"""The money's charts and their files: a place's partners, the years, the map shaded by EU contribution; amounts as
numbers in XLSX with the measure's definition, and in the report bundle."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook

from analysis import load_dataset
from analysis.cache import FileCache
from analysis.filters import Filters
from analysis.insights import Insights
from charts.report import Charts
from tests import small


@pytest.fixture(scope="module")
def charts(tmp_path_factory: pytest.TempPathFactory) -> Charts:
    data = load_dataset(small.write_funded(tmp_path_factory.mktemp("funded"))).dataset
    return Charts(Insights(data, Filters()), FileCache(50_000_000))


def test_a_places_partners_add_up_and_are_named(charts: Charts) -> None:
    chart = charts.partnerships("region", "PL91")
    assert chart.title == "EU contribution of Warszawski stołeczny through partnerships, by partner"
    assert chart.table.to_dict("list") == {
        "partner": ["DE11", "unknown"],
        "partner_name": ["Stuttgart", "partners without a region"],
        "contribution_eur": [1500.0, 1500.0],
        "share": [0.5, 0.5],
    }
    bars = chart.figure.data[0]
    assert list(bars.x) == [1500.0, 1500.0] and list(bars.y) == [0, 1]


def test_the_xlsx_holds_amounts_as_numbers_and_the_definition(charts: Charts) -> None:
    chart = charts.partnerships("country", "DE")
    book = load_workbook(io.BytesIO(charts.xlsx(chart)))
    rows = list(book["Data"].iter_rows(values_only=True))
    assert rows[0] == ("partner", "partner_name", "contribution_eur", "share")
    assert rows[1][2] == 750.15 and isinstance(rows[1][2], float)
    about = dict(row[:2] for row in book["About"].iter_rows(values_only=True) if row[0])
    assert about["Column contribution_eur"].startswith("EU contribution the place received in the actions it shares")


def test_the_bundle_carries_the_map_by_eu_contribution_and_the_years(charts: Charts) -> None:
    names = [chart.name for chart in charts.report_charts()]
    assert "map-contribution" in names and "contribution-years" in names
    table = charts.map("contribution").table.set_index("place")
    assert table.loc["PL91", "contribution_eur"] == 3000 and table.loc["PT11", "contribution_eur"] == 200
    with zipfile.ZipFile(io.BytesIO(charts.bundle())) as bundle:
        csv_names = [n for n in bundle.namelist() if n.endswith(".csv")]
        years = next(n for n in csv_names if n.startswith("contribution-years"))
        assert bundle.read(years).decode("utf-8-sig").splitlines() == [
            "year,contribution_eur",
            "2015,1500.0",
            "2018,4500.3",
            "2020,200.0",
        ]
        readme = bundle.read("README.txt").decode()
    assert "Column contribution_eur: sum of contribution_eur (what each participant receives from the funder" in readme
