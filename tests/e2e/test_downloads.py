"""Downloads in a real browser: every button on the Map, Network and Timeline pages gives a valid file, tables hold
the rows the chart shows with no live formula, the report bundle and the share link; images off without Chromium."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image
from playwright.sync_api import Locator, Page, expect

from analysis import load_dataset
from analysis.cache import MB, FileCache
from analysis.filters import Filters
from analysis.insights import Insights
from charts.files import FORMULA_STARTS
from charts.report import Chart, Charts
from tests.e2e.conftest import App, open_app, settled
from tests.servers import FORMULA

FILTERS = Filters(countries=("PL",))
# The charts on each page, by the key of their row of download buttons.
PAGES = {"map": ["map"], "network": ["network"], "timeline": ["timeline", "yearly", "growth", "growth_steps"]}


@pytest.fixture(scope="module")
def formula_data(formula_app: App) -> Path:
    """The dataset the shared formula server serves (tests/servers.py)."""
    assert formula_app.data is not None
    return formula_app.data


@pytest.fixture(scope="module")
def expected(formula_data: Path) -> Charts:
    dataset = load_dataset(formula_data).dataset
    assert dataset is not None
    return Charts(Insights(dataset, FILTERS), FileCache(64 * MB))


def fetch(page: Page, button: Locator) -> tuple[str, bytes]:
    """Click a download button; the file's suggested name and its bytes."""
    with page.expect_download(timeout=90_000) as info:
        button.click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def buttons(page: Page, key: str) -> dict[str, Locator]:
    """The download buttons of one chart, by label."""
    row = page.locator(f".st-key-downloads_{key} [data-testid=stDownloadButton] button")
    # Rendered, not skeletons: a server of the test's own on a busy machine may take longer than expect's 5 s.
    expect(row.locator("[data-testid=stMarkdownContainer]")).to_have_count(5, timeout=30_000)
    # The label is the button's markdown; its inner text also holds the icon's ligature name.
    return {
        row.nth(i).locator("[data-testid=stMarkdownContainer]").inner_text().strip(): row.nth(i)
        for i in range(row.count())
    }


def check_png(data: bytes) -> None:
    image = Image.open(io.BytesIO(data))
    image.load()
    assert image.format == "PNG" and image.width >= 1600
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 20  # a blank or failed export has one or two colours


def check_svg(data: bytes) -> None:
    root = ET.fromstring(data)
    assert root.tag.endswith("svg")
    assert len(list(root.iter())) > 50


def check_html(page: Page, data: bytes, tmp: Path) -> None:
    """The file opens on its own, offline, and plotly draws the chart in it."""
    assert data.lstrip().lower().startswith(b"<!doctype html>")
    path = tmp / "chart.html"
    path.write_bytes(data)
    viewer = page.context.new_page()
    outside: list[str] = []
    viewer.on("request", lambda r: outside.append(r.url) if r.url.startswith("http") else None)
    viewer.goto(path.as_uri())
    viewer.wait_for_selector(".main-svg", timeout=30_000)
    viewer.close()
    assert outside == []  # self-contained: nothing fetched from a CDN


def no_live_formula(cells: list[object]) -> None:
    texts = [c for c in cells if isinstance(c, str)]
    assert not [c for c in texts if c.startswith(FORMULA_STARTS)], "a cell would run as a formula"


def check_csv(data: bytes, table) -> list[dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == len(table)
    assert list(rows[0]) == [str(c) for c in table.columns]
    no_live_formula([v for row in rows for v in row.values()])
    return rows


def check_xlsx(data: bytes, table, filters_text: str) -> None:
    book = load_workbook(io.BytesIO(data))
    sheet = book["Data"]
    cells = [c for row in sheet.iter_rows() for c in row]
    assert sheet.max_row == len(table) + 1
    assert all(c.data_type != "f" for c in cells)
    no_live_formula([c.value for c in cells])
    about = [str(c.value) for row in book["About"].iter_rows() for c in row if c.value is not None]
    assert filters_text in about


def chart_of(charts: Charts, key: str) -> Chart:
    return {
        "map": charts.map,
        "network": lambda: charts.network("org"),
        "timeline": charts.timeline,
        "yearly": charts.yearly,
        "growth": charts.growth,
        "growth_steps": charts.growth_steps,
    }[key]()


@pytest.mark.parametrize("path", list(PAGES))
def test_every_chart_download_gives_a_valid_file(formula_app, expected, page, tmp_path, path):
    open_app(page, f"{formula_app.url}/{path}?country=PL")
    assert page.locator("[data-testid=stException]").count() == 0
    for key in PAGES[path]:
        found = buttons(page, key)
        assert {"PNG image", "SVG image", "Interactive HTML", "Data (CSV)", "Data (XLSX)"} <= set(found)
        chart = chart_of(expected, key)
        stem = f"{chart.name}_PL"
        for label, button in found.items():
            name, data = fetch(page, button)
            extension = name.rsplit(".", 1)[1]
            assert name == f"{stem}.{extension}", label
            if extension == "png":
                check_png(data)
            elif extension == "svg":
                check_svg(data)
            elif extension == "html":
                check_html(page, data, tmp_path)
            elif extension == "csv":
                rows = check_csv(data, chart.table)
                if key == "network":  # the formula-named organisation is there, as inert text
                    assert "'" + FORMULA in [row["label"] for row in rows]
            elif extension == "xlsx":
                check_xlsx(data, chart.table, FILTERS.describe())
            else:
                pytest.fail(f"unexpected download {name}")


def open_share(page: Page, title: str = "Share this view and download a report") -> None:
    """Open the share expander (drawn in the page already: no rerun) and wait for its link."""
    page.get_by_text(title).click()
    page.locator("[data-testid=stExpander]", has_text=title).locator("[data-testid=stCode]").last.wait_for()
    settled(page)


def test_share_link_reopens_the_view(formula_app, page):
    open_app(page, f"{formula_app.url}/network?country=PL&only=1")
    open_share(page)
    link = page.locator("[data-testid=stCode] code").last.inner_text().strip()
    assert link == f"{formula_app.url}/network?country=PL&only=1&lang=en"  # the language too (dashboard.language)
    open_app(page, link)
    assert "Filters in force: Poland only" in page.inner_text("body")


def test_report_bundle_holds_every_chart_and_table(formula_app, expected, page):
    open_app(page, f"{formula_app.url}/timeline?country=PL")
    open_share(page)
    name, data = fetch(page, page.get_by_role("button", name="Report bundle (.zip)"))
    assert name == "clusternet-report_PL.zip"
    archive = zipfile.ZipFile(io.BytesIO(data))
    charts = expected.report_charts()
    want = {f"{c.name}_PL.{ext}" for c in charts for ext in ("png", "svg", "csv")} | {"sources_PL.csv", "README.txt"}
    assert set(archive.namelist()) == want
    for chart in charts:
        check_png(archive.read(f"{chart.name}_PL.png"))
        check_svg(archive.read(f"{chart.name}_PL.svg"))
        check_csv(archive.read(f"{chart.name}_PL.csv"), chart.table)
    readme = archive.read("README.txt").decode()
    assert f"Filters: {FILTERS.describe()}" in readme
    for title in expected.insights.provenance("x").sources["title"]:
        assert str(title) in readme


def test_without_an_image_engine_html_and_data_still_download(formula_data, page, tmp_path):
    app = App.start(formula_data, env={"CLUSTERNET_CHROMIUM": "/nonexistent/chromium"})
    try:
        open_app(page, f"{app.url}/timeline?country=PL")
        assert page.locator("[data-testid=stException]").count() == 0
        assert "No Chromium was found for the image engine" in page.inner_text("body")
        found = buttons(page, "timeline")
        assert found["PNG image"].is_disabled() and found["SVG image"].is_disabled()
        name, data = fetch(page, found["Interactive HTML"])
        check_html(page, data, tmp_path)
        name, data = fetch(page, found["Data (CSV)"])
        assert name == "timeline_PL.csv" and data.startswith(b"\xef\xbb\xbf")
    finally:
        app.stop()


def test_in_italian_the_buttons_say_italian_and_give_the_same_files(formula_app, expected, page):
    """`?lang=it`: the buttons and the share controls in Italian; the files keep their names and column names."""
    open_app(page, f"{formula_app.url}/timeline?country=PL&lang=it")
    assert page.locator("[data-testid=stException]").count() == 0
    found = buttons(page, "timeline")
    assert set(found) == {"Immagine PNG", "Immagine SVG", "HTML interattivo", "Dati (CSV)", "Dati (XLSX)"}
    name, data = fetch(page, found["Dati (CSV)"])
    assert name == "timeline_PL.csv"
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert list(rows[0]) == list(expected.timeline().table.columns)  # the same column names in every language
    assert {row["type"] for row in rows} <= {"accordo", "azione"}  # the words in Italian
    open_share(page, "Condividi questa vista e scarica un rapporto")
    expect(page.get_by_role("button", name="Pacchetto del rapporto (.zip)")).to_be_visible()
    assert "questo link apre la stessa pagina con gli stessi filtri" in page.inner_text("body")
    link = page.locator("[data-testid=stCode] code").last.inner_text().strip()
    assert link == f"{formula_app.url}/timeline?country=PL&lang=it"  # the link opens the view in Italian
