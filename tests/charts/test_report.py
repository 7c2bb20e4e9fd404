"""The charts as downloaded: each one's rows, hand-checked on the small network, and the map's static picture."""

from __future__ import annotations

import html
import io
import re
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook

from analysis import i18n
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


# --- In Italian ------------------------------------------------------------------------------------------------------

# English words of the title, the stamp lines and the axes of the countries chart, none of which may be left.
ENGLISH = re.compile(
    r"\b(Sources|sources|made with|in all|Organisations|in view|all years|all kinds|and partners|Poland)\b"
)


def svg_lines(svg: bytes) -> list[str]:
    """The lines of text of an SVG image, as a reader sees them."""
    return [html.unescape(t) for t in re.findall(r"<(?:text|tspan)[^>]*>([^<]+)<", svg.decode()) if t.strip()]


def test_an_italian_chart_image_carries_its_title_and_stamp_lines_in_italian(small_data):
    with i18n.speaking("it"):
        view = charts(small_data, Filters(countries=("PL",)))
        chart = view.countries()
        today = i18n.day(date.today())
    # Streamlit makes a download after the page's run, outside its language: the chart's files keep the chart's.
    svg = view.image(chart, "svg")
    lines = svg_lines(svg)
    assert "Organizzazioni in vista per paese" in lines
    assert (
        f"Polonia e partner, tutti gli anni, tutti i tipi · {small_data.name} · creato con ClusterNet il {today}"
        in lines
    )
    assert [line for line in lines if line.startswith("Fonti")] == ["Fonti: Made up for tests (1 fonte in tutto)"]
    assert {"Polonia", "Germania", "Organizzazioni in vista"} <= set(lines)  # the axes
    assert not [line for line in lines if ENGLISH.search(line)]
    assert view.file_name(chart.name, "svg") == "countries_PL.svg"  # file names stay as they are
    english = view.countries()  # the same view in English: its own chart and its own image
    assert "Organisations in view by country" in svg_lines(view.image(english, "svg"))


def test_an_italian_chart_says_its_hover_and_axis_in_italian(small_data):
    with i18n.speaking("it"):
        fig = charts(small_data).countries().figure
    assert fig.layout.xaxis.title.text == "Organizzazioni in vista"
    assert list(fig.layout.yaxis.ticktext) == ["Germania", "Italia", "Polonia", "Portogallo"]
    assert fig.data[0].hovertext[0] == "Germania: 2 organizzazioni, in 1 accordo e 1 azione"
    assert fig.layout.separators == ",."  # plotly's own numbers: 1.234,5
    english = charts(small_data).countries().figure
    assert english.data[0].hovertext[0] == "Germany: 2 organisations, in 1 agreement and 1 action"


def test_the_italian_xlsx_about_sheet(small_data):
    with i18n.speaking("it"):
        view = charts(small_data, Filters(countries=("PL",)))
        chart = view.countries()
        today = i18n.day(date.today())
    book = load_workbook(io.BytesIO(view.xlsx(chart)))
    assert book.sheetnames == ["Data", "About"]  # the sheets keep their names, as the columns do
    assert [c.value for c in book["Data"][1]] == ["country", "name", "organisations", "agreements", "actions"]
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True) if row[0]}
    assert about["Cosa"] == "Valore"  # the header
    assert about["Titolo"] == "Organizzazioni in vista per paese"
    assert about["Filtri"] == "Polonia e partner, tutti gli anni, tutti i tipi"
    assert about["Creato il"] == today
    assert about["Colonna country"] == "codice ISO 3166-1 alpha-2"
    assert about["Colonna actions"] == "azioni distinte in vista con almeno un partecipante del paese"


def test_the_italian_bundle_readme(small_data, monkeypatch):
    monkeypatch.setenv("CLUSTERNET_CHROMIUM", "/nonexistent/chromium")  # no images: the README says why, in Italian
    with i18n.speaking("it"):
        archive = zipfile.ZipFile(io.BytesIO(charts(small_data, Filters(countries=("PL",))).bundle()))
        today = i18n.day(date.today())
    readme = archive.read("README.txt").decode().splitlines()
    assert readme[:5] == [
        "Titolo: Rapporto ClusterNet",
        "Filtri: Polonia e partner, tutti gli anni, tutti i tipi",
        f"Dataset: {small_data.name}",
        f"Creato il: {today}",
        "Creato con: ClusterNet",
    ]
    assert readme[readme.index("") + 1].startswith(
        "Nota: Nessuna immagine in questo pacchetto. Nessun Chromium trovato per il motore delle immagini"
    )
    assert "File:" in readme and "- countries_PL.csv" in readme and "Fonti:" in readme
    assert "- Made up for tests" in " ".join(readme)


def test_italian_chart_titles_legends_and_tooltips(small_data):
    with i18n.speaking("it"):
        view = charts(small_data)
        growth_steps, timeline, places = view.growth_steps(), view.timeline(), view.map_data()
        country_network = view.network("country")
    assert growth_steps.title == "La rete che cresce anno per anno"
    assert growth_steps.figure.layout.annotations[0].text == "<b>2014</b><br>4 organizzazioni, 6 legami"
    assert "legame nuovo quell'anno" in [t.name for t in growth_steps.figure.data]
    assert timeline.title == "Accordi e azioni congiunte nel tempo"
    legend = [t.name for t in timeline.figure.data if t.showlegend is not False]
    assert legend[:2] == ["Accordo: protocollo", "Accordo: memorandum d&#x27;intesa"]  # escaped, as plotly reads it
    assert "senza scadenza (prosegue)" in legend
    region = places.region_shapes["features"][0]["properties"]["tooltip"]
    assert region.splitlines() == ["Puglia (ITF4, Italia)", "in 2 accordi e 1 azione", "2 organizzazioni in vista"]
    assert places.points[0]["tooltip"].splitlines()[1:] == [
        "Italia · cluster",
        "in 3 accordi e azioni · 4 partner",
        "disegnata alle proprie coordinate",
    ]
    assert sorted(t.name for t in country_network.figure.data) == ["Germania", "Italia", "Polonia", "Portogallo"]
    assert "Germania" in country_network.figure.data[0].text  # a country's node is named in Italian too
