"""Downloads carry no surprises: formulas neutralised, numbers kept, provenance written in."""

from __future__ import annotations

import csv
import io
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date

import pandas as pd
import plotly.graph_objects as go
from openpyxl import load_workbook

from analysis import i18n
from analysis.filters import Filters
from analysis.provenance import Provenance
from charts.engine import image_bytes, image_engine_problem
from charts.files import bundle, csv_bytes, file_name, html_bytes, neutralise, stamped, xlsx_bytes

HOSTILE = pd.DataFrame(
    {
        "name": ['=HYPERLINK("http://evil")', "+1+2", "-cmd", "@SUM(A1)", "\tTab", "\rCR", "Plain", "Dash-in-middle"],
        "degree": [1, 2, 3, 4, 5, 6, 7, -8],
        "share": [0.5, -0.25, 0.0, 1.0, 0.1, 0.2, 0.3, 0.4],
    }
)
PROV = Provenance(
    title="Organisation network: metrics",
    filters=Filters(countries=("PL", "PT"), date_from="2014", date_to="2019"),
    dataset="data",
    sources=pd.DataFrame(
        {
            "source_id": ["s1", "s2"],
            "title": ["=evil()", "Report"],
            "publisher": ["Sistema Puglia", "ANSA"],
            "published_on": ["2014-11-07", None],
            "url": ["https://example.org/a", None],
        }
    ),
    definitions={"degree": "number of distinct neighbours"},
    made_on=date(2026, 11, 24),
)


def test_neutralise_prefixes_formula_text_and_keeps_numbers():
    out = neutralise(HOSTILE)
    assert list(out["name"]) == [
        '\'=HYPERLINK("http://evil")',
        "'+1+2",
        "'-cmd",
        "'@SUM(A1)",
        "'\tTab",
        "'\rCR",
        "Plain",
        "Dash-in-middle",
    ]
    assert list(out["degree"]) == [1, 2, 3, 4, 5, 6, 7, -8]
    assert out["share"].dtype == float


def test_csv_holds_the_rows_with_no_live_formula():
    rows = list(csv.reader(io.StringIO(csv_bytes(HOSTILE).decode("utf-8-sig"), newline="")))
    assert rows[0] == ["name", "degree", "share"]
    assert len(rows) == 1 + len(HOSTILE)
    assert not any(row[0].startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows[1:])
    assert [row[1] for row in rows[1:]][-1] == "-8"


def test_xlsx_has_data_and_about_sheets_with_no_formula_cells():
    book = load_workbook(io.BytesIO(xlsx_bytes(HOSTILE, PROV)))
    assert book.sheetnames == ["Data", "About"]
    data = book["Data"]
    assert [c.value for c in data[1]] == ["name", "degree", "share"]
    assert data["A2"].value == '\'=HYPERLINK("http://evil")' and data["A2"].data_type == "s"
    assert data["B9"].value == -8 and data["B9"].data_type == "n"
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True) if row[0]}
    assert about["Filters"] == "Poland and Portugal and partners, 2014-2019, all kinds"
    assert about["Column degree"] == "number of distinct neighbours"
    assert "'=evil()" in [row[1] for row in book["About"].iter_rows(values_only=True)]


def test_file_names_say_what_they_hold():
    assert file_name("network", PROV.filters, "png") == "network_PL-PT_2014-2019.png"
    assert file_name("timeline", Filters(), "csv") == "timeline_all.csv"
    only = Filters(countries=("PL",), only_selected=True, agreement_kinds=("protocol",), action_kinds=("call",))
    assert file_name("map", only, "png") == "map_PL-only_protocol-call.png"


def test_stamped_chart_carries_title_filters_date_and_sources():
    fig = stamped(go.Figure(go.Bar(x=[1, 2], y=[3, 4])), PROV)
    made, sources = fig.layout.title.subtitle.text.split("<br>")
    assert fig.layout.title.text == "Organisation network: metrics"
    assert made.startswith("Poland and Portugal and partners, 2014-2019, all kinds · data · made with ClusterNet on ")
    assert sources == "Sources: Sistema Puglia, ANSA (2 sources in all)"


def test_stamped_text_from_the_dataset_stays_text():
    prov = Provenance("<b>x</b>", Filters(), "<img src=x onerror=alert(1)>", PROV.sources)
    fig = stamped(go.Figure(), prov)
    assert fig.layout.title.text == "&lt;b&gt;x&lt;/b&gt;"
    assert "&lt;img src=x onerror=alert(1)&gt;" in fig.layout.title.subtitle.text


def test_png_svg_and_html():
    fig = stamped(go.Figure(go.Bar(x=[1, 2], y=[3, 4])), PROV)
    png = image_bytes(fig, "png")
    assert png.startswith(b"\x89PNG")
    assert int.from_bytes(png[16:20], "big") >= 1600  # width from the IHDR chunk
    svg = image_bytes(fig, "svg")
    assert svg.lstrip().startswith(b"<svg") and b"Organisation network: metrics" in svg
    page = html_bytes(fig)
    assert page.startswith(b"<!doctype html>") and b"plotly" in page


def test_bundle_has_readme_with_filters_and_sources():
    archive = zipfile.ZipFile(io.BytesIO(bundle({"a.csv": b"x\n1\n"}, PROV)))
    assert sorted(archive.namelist()) == ["README.txt", "a.csv"]
    readme = archive.read("README.txt").decode()
    assert "Filters: Poland and Portugal and partners, 2014-2019, all kinds" in readme
    assert "- Report · ANSA" in readme


def test_concurrent_exports_each_get_their_own_chart():
    """Sessions share one image engine: exports run one at a time, so no session gets another's picture."""
    figures = {
        f"chart-{i}": go.Figure(go.Bar(x=[1, 2], y=[i, i + 1]), layout={"title": f"chart-{i}"}) for i in range(6)
    }
    with ThreadPoolExecutor(max_workers=6) as pool:
        images = dict(zip(figures, pool.map(lambda f: image_bytes(f, "svg"), figures.values()), strict=True))
    for title, svg in images.items():
        others = [t for t in figures if t != title]
        assert title.encode() in svg and not any(t.encode() in svg for t in others)


def test_image_engine_problem_names_a_missing_chromium(monkeypatch):
    monkeypatch.setenv("CLUSTERNET_CHROMIUM", "/nonexistent/chromium")
    assert "No Chromium was found" in image_engine_problem()
    assert "CLUSTERNET_CHROMIUM" in image_engine_problem()
    monkeypatch.delenv("CLUSTERNET_CHROMIUM")
    assert image_engine_problem() is None  # Debian's chromium, installed by `make test`


# --- In Italian ------------------------------------------------------------------------------------------------------

PROV_IT = replace(PROV, definitions={"country": "ISO 3166-1 alpha-2 code", "degree": "number of distinct neighbours"})


def test_the_stamp_lines_in_italian():
    with i18n.speaking("it"):
        fig = stamped(go.Figure(go.Bar(x=[1, 2], y=[3, 4])), PROV)
    made, sources = fig.layout.title.subtitle.text.split("<br>")
    assert (
        made
        == "Polonia e Portogallo e partner, 2014-2019, tutti i tipi · data · creato con ClusterNet il 24 novembre 2026"
    )
    assert sources == "Fonti: Sistema Puglia, ANSA (2 fonti in tutto)"
    english = stamped(go.Figure(), PROV).layout.title.subtitle.text
    assert english.startswith(
        "Poland and Portugal and partners, 2014-2019, all kinds · data · made with ClusterNet on 24 "
    )


def test_the_source_line_counts_in_the_language_spoken():
    many = pd.DataFrame({"publisher": [f"P{i}" for i in range(7)], "title": [f"T{i}" for i in range(7)]})
    one = pd.DataFrame({"publisher": [None], "title": ["Only report"]})
    none = pd.DataFrame({"publisher": pd.Series(dtype=str), "title": pd.Series(dtype=str)})
    lines = [replace(PROV, sources=sources).source_line() for sources in (many, one, none)]
    assert lines == [
        "Sources: P0, P1, P2, P3 and 3 more publishers (7 sources in all)",
        "Sources: Only report (1 source in all)",
        "Sources: none cited",
    ]
    with i18n.speaking("it"):
        lines = [replace(PROV, sources=sources).source_line() for sources in (many, one, none)]
        assert replace(PROV, sources=many.head(5)).source_line() == (
            "Fonti: P0, P1, P2, P3 e 1 altro editore (5 fonti in tutto)"
        )
    assert lines == [
        "Fonti: P0, P1, P2, P3 e altri 3 editori (7 fonti in tutto)",
        "Fonti: Only report (1 fonte in tutto)",  # a source's title stays as written
        "Fonti: nessuna citata",
    ]


def test_the_about_sheet_in_italian_keeps_the_sheet_and_column_names():
    with i18n.speaking("it"):
        book = load_workbook(io.BytesIO(xlsx_bytes(HOSTILE, PROV_IT)))
    assert book.sheetnames == ["Data", "About"]
    assert [c.value for c in book["Data"][1]] == ["name", "degree", "share"]
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True) if row[0]}
    assert about["Cosa"] == "Valore"
    assert about["Titolo"] == "Organisation network: metrics"  # a title is said by whoever made it
    assert about["Filtri"] == "Polonia e Portogallo e partner, 2014-2019, tutti i tipi"
    assert about["Creato il"] == "24 novembre 2026"
    assert about["Creato con"] == "ClusterNet"
    assert about["Colonna country"] == "codice ISO 3166-1 alpha-2"  # a catalogue message, said in Italian
    assert about["Colonna degree"] == "number of distinct neighbours"  # none: as given


def test_the_bundle_readme_in_italian():
    with i18n.speaking("it"):
        data = bundle({"a.csv": b"x\n1\n"}, PROV_IT, note="Nessuna immagine.")
    readme = zipfile.ZipFile(io.BytesIO(data)).read("README.txt").decode().splitlines()
    assert readme == [
        "Titolo: Organisation network: metrics",
        "Filtri: Polonia e Portogallo e partner, 2014-2019, tutti i tipi",
        "Dataset: data",
        "Creato il: 24 novembre 2026",
        "Creato con: ClusterNet",
        "Colonna country: codice ISO 3166-1 alpha-2",
        "Colonna degree: number of distinct neighbours",
        "",
        "Nota: Nessuna immagine.",
        "",
        "File:",
        "- a.csv",
        "",
        "Fonti:",
        "- =evil() · Sistema Puglia · 2014-11-07 · https://example.org/a",
        "- Report · ANSA",
    ]
