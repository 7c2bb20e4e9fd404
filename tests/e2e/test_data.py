"""The Data page: an analyst uploads their own dataset, sees its problems, and uses it in their session only."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from openpyxl import Workbook, load_workbook
from playwright.sync_api import Browser, Page, expect

from analysis import Dataset, load_curated
from analysis.filters import Filters
from analysis.insights import Insights
from analysis.schema import contract
from analysis.upload import load_upload, upload_name
from tests import factory
from tests.e2e.conftest import expect_metrics, open_app, rerun_done

UPLOADER = "[data-testid=stFileUploaderDropzoneInput]"


def kpis(data: Dataset) -> dict[str, str]:
    """The Overview's tiles as shown in English: the four counts, and the EU contribution when there are amounts."""
    insights = Insights(data, Filters())
    tiles = {label: f"{value:,}" for label, value in insights.kpis().items()}
    if insights.has_amounts:
        tiles["EU contribution"] = f"{round(insights.money().contribution_eur):,} EUR"
    return tiles


def unseen() -> dict[str, factory.Rows]:
    """The factory's network grown by a Nordic cluster and a Spanish agency with an agreement and an action."""
    data = factory.tables()
    base = data["organisations"][0]
    data["organisations"] += [
        dict(
            base,
            org_id="nordic-games",
            name="Nordic Game Cluster",
            country="SE",
            nuts2="SE22",
            city="Malmö",
            lat="55.6",
            lon="13.0",
            kind="cluster",
        ),
        dict(
            base,
            org_id="valencia-crea",
            name="Agència Valenciana",
            country="ES",
            nuts2="ES52",
            city="València",
            lat="39.47",
            lon="-0.38",
            kind="agency",
        ),
    ]
    data["agreements"].append(dict(data["agreements"][1], agreement_id="baltic-med", title="Baltic–Med", kind="other"))
    data["agreement_parties"] += [
        {"agreement_id": "baltic-med", "org_id": "nordic-games", "role": "lead"},
        {"agreement_id": "baltic-med", "org_id": "valencia-crea", "role": ""},
    ]
    data["actions"].append(dict(data["actions"][0], action_id="games-week", title="Games week", kind="event"))
    data["action_participants"] += [
        {"action_id": "games-week", "org_id": "nordic-games", "role": "organiser"},
        {"action_id": "games-week", "org_id": "klaster-lodz", "role": "partner"},
    ]
    return data


# Five planted errors of different kinds in five tables: (table, row, column, value) as the report shows them.
PLANTED = [
    ("organisations", 9, "org_id", "nordic-games"),
    ("agreements", 4, "signed_on", "2018-13"),
    ("agreement_parties", 8, "org_id", "ghost-org"),
    ("actions", 4, "country", "XX"),
    ("sources", 3, "title", ""),
]


def broken() -> dict[str, factory.Rows]:
    data = unseen()
    data["organisations"].append(dict(data["organisations"][5], name="Nordic Game Cluster, the duplicate"))
    data["agreements"][2]["signed_on"] = "2018-13"
    data["agreement_parties"].append({"agreement_id": "baltic-med", "org_id": "ghost-org", "role": "supporter"})
    data["actions"][2]["country"] = "XX"
    data["sources"][1]["title"] = ""
    return data


def write_zip(path: Path, data: dict[str, factory.Rows]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, rows in data.items():
            archive.writestr(f"my-region/{name}.csv", factory.csv_text(rows))
    return path


def write_xlsx(path: Path, data: dict[str, factory.Rows]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in data.items():
        sheet = book.create_sheet(name)
        sheet.append(list(rows[0]))
        for row in rows:
            sheet.append(list(row.values()))
    book.save(path)
    return path


def loaded(files: list[Path]) -> Dataset:
    result = load_upload([(f.name, f.read_bytes()) for f in files])
    assert result.dataset is not None, [p.line() for p in result.problems]
    return result.dataset


def go(page: Page, title: str) -> None:
    """Switch page through the app's own navigation, which keeps the session (page.goto would not)."""
    page.locator("[data-testid=stSidebarNavLink]", has_text=title).click()
    rerun_done(page)


def upload(page: Page, files: list[Path], valid: bool) -> None:
    """Upload through the Data page and wait for this upload's verdict (named after its files)."""
    if urlparse(page.url).path != "/data":  # a click on the page shown starts no run
        go(page, "Data")
    page.locator(UPLOADER).set_input_files([str(f) for f in files])
    name = upload_name([f.name for f in files])
    verdict = f"{name} passed validation" if valid else f"{name} has "
    page.get_by_text(verdict).first.wait_for(timeout=60_000)
    rerun_done(page)
    assert page.locator("[data-testid=stException]").count() == 0


def report_rows(page: Page, table: str) -> list[list[str]]:
    """The cells of the report's table for one dataset table (severity, row, column, value, problem and fix)."""
    rows = page.locator(f".st-key-report-{table} table tbody tr")
    return [[c.strip() for c in row.locator("td, th").all_inner_texts()] for row in rows.all()]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("uploads")
    data = unseen()
    csvs = factory.write(folder / "csv", factory.tables())
    return {
        "broken": write_zip(folder / "broken-region.zip", broken()),
        "valid": write_zip(folder / "my-region.zip", data),
        "csvs": sorted(csvs.iterdir()),
        "xlsx": write_xlsx(
            folder / "workbook-region.xlsx",
            data | {"actions": data["actions"][:-1], "action_participants": data["action_participants"][:-2]},
        ),
    }


def test_broken_upload_lists_every_problem_and_changes_nothing(curated_app, page, files, tmp_path):
    curated = kpis(load_curated())
    open_app(page, f"{curated_app.url}/data")
    upload(page, [files["broken"]], valid=False)
    body = page.inner_text("body")
    assert "broken-region.zip has 5 blocking problems, so nothing was changed" in body
    for table, row, column, value in PLANTED:
        errors = [r for r in report_rows(page, table) if r[0] == "error"]
        assert [r[1:4] for r in errors] == [[str(row), column, value]], table
    assert "no row of organisations.csv has org_id 'ghost-org'" in body
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the problems as CSV").click()
    report = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert sorted((r["table"], int(r["row"])) for r in report if r["severity"] == "error") == sorted(
        (t, r) for t, r, _, _ in PLANTED
    )
    go(page, "Overview")
    expect_metrics(page, curated)
    assert "your upload" not in page.inner_text("body")


def test_valid_uploads_drive_every_page_of_this_session_only(curated_app, browser: Browser, page, files):
    curated = kpis(load_curated())
    mine = kpis(loaded([files["valid"]]))
    assert mine != curated
    open_app(page, curated_app.url)
    upload(page, [files["valid"]], valid=True)
    body = page.inner_text("body")
    assert "Your upload: my-region.zip" in body
    sizes = page.locator(".st-key-in-use table tbody tr").all_inner_texts()
    assert [" ".join(r.split()) for r in sizes[:2]] == ["organisations.csv 7", "agreements.csv 3"]
    go(page, "Overview")
    expect_metrics(page, mine)
    assert "dataset: your upload my-region.zip" in page.inner_text("body")
    for title in ("Map", "Network", "Timeline", "Sources"):
        go(page, title)
        assert "dataset: your upload my-region.zip" in page.inner_text("body"), title
        assert page.locator("[data-testid=stException]").count() == 0, title
    assert "2 sources back the facts in view" in page.inner_text("body")  # the upload cites two
    go(page, "Overview")
    expect_metrics(page, mine)

    other = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        elsewhere = open_app(other.new_page(), curated_app.url)
        expect_metrics(elsewhere, curated)
        assert "your upload" not in elsewhere.inner_text("body").lower()
    finally:
        other.close()

    go(page, "Data")
    page.get_by_role("button", name="Back to the curated data").last.click()
    rerun_done(page)
    assert "The curated dataset:" in page.inner_text("body")
    go(page, "Overview")
    expect_metrics(page, curated)


def test_several_csv_files_then_a_workbook(curated_app, page, files):
    open_app(page, f"{curated_app.url}/data")
    upload(page, files["csvs"], valid=True)
    go(page, "Overview")
    expect_metrics(page, kpis(loaded(files["csvs"])))
    upload(page, [files["xlsx"]], valid=True)
    assert "Your upload: workbook-region.xlsx" in page.inner_text("body")
    go(page, "Overview")
    expected = kpis(loaded([files["xlsx"]]))
    assert expected != kpis(loaded(files["csvs"]))
    expect_metrics(page, expected)


def test_template_downloads_hold_every_table_with_its_header_and_two_rows(curated_app, page):
    open_app(page, f"{curated_app.url}/data")
    with page.expect_download() as download:
        page.get_by_role("button", name="Template as .zip of CSV files").click()
    assert download.value.suggested_filename == "clusternet-template.zip"
    archive = zipfile.ZipFile(download.value.path())
    for table in contract().values():
        [member] = [n for n in archive.namelist() if n.endswith("/" + table.filename)]
        rows = list(csv.reader(io.StringIO(archive.read(member).decode("utf-8-sig"))))
        assert rows[0] == list(table.columns) and len(rows) == 3, table.name
    with page.expect_download() as download:
        page.get_by_role("button", name="Template as .xlsx workbook").click()
    assert download.value.suggested_filename == "clusternet-template.xlsx"
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert book.sheetnames == list(contract())
    for name, table in contract().items():
        rows = list(book[name].iter_rows(values_only=True))
        assert list(rows[0]) == list(table.columns) and len(rows) == 3, name
    page.get_by_text("organisations.csv (required)").click()
    assert "one of: cluster, public_authority" in page.inner_text("body")


def _after(page: Page, selector: str) -> str:
    """The text a CSS ::after shows on the first element of `selector` (unquoted), or '' if none."""
    shown = page.locator(selector).first.evaluate("e => getComputedStyle(e, '::after').content")
    return shown[1:-1] if shown.startswith('"') else ""


def test_the_data_page_in_italian_with_its_uploader_report_and_downloads(curated_app, page, files):
    open_app(page, curated_app.url)  # the root first: deep links then resolve
    open_app(page, f"{curated_app.url}/data?lang=it")
    body = page.inner_text("body")
    for words in ("Dataset in uso", "Usa i tuoi dati", "Modello", "Le colonne", "Il dataset curato:"):
        assert words in body, words
    # Streamlit's own uploader words, replaced: the button keeps a name (and an aria-label) in Italian
    box = ".st-key-upload-box [data-testid=stFileUploaderDropzone]"
    expect(page.locator(f"{box} button")).to_have_accessible_name("Carica")
    assert _after(page, f"{box} button [data-testid=stMarkdownContainer]") == "Carica"
    assert _after(page, f"{box} [data-testid=stFileUploaderDropzoneInstructions] > div") == (
        "Fino a 50 MB per file • ZIP, CSV, XLSX"
    )
    assert not page.locator(f"{box} [data-testid=stFileUploaderDropzoneInstructions] span").is_visible()
    assert page.locator(f"{box} button").get_attribute("aria-label") == "Carica"
    # a broken upload: the verdict, the report and its CSV in Italian (the CSV's columns and severities stay codes)
    page.locator(UPLOADER).set_input_files([str(files["broken"])])
    page.get_by_text("broken-region.zip ha 5 problemi bloccanti, quindi non è cambiato nulla").wait_for(timeout=60_000)
    rerun_done(page)
    assert page.locator("[data-testid=stException]").count() == 0
    headers = page.locator(".st-key-report-actions table thead th").all_inner_texts()
    assert [h.strip() for h in headers if h.strip()] == [
        "gravità",
        "riga",
        "colonna",
        "valore",
        "problema e correzione",
    ]
    [row] = [r for r in report_rows(page, "actions") if r[0] == "errore"]
    assert row[1:4] == ["4", "country", "XX"]
    assert row[4] == "paese sconosciuto: usare un codice ISO 3166-1 alpha-2 come IT, DE, GR o GB"
    expect(page.locator(f"{box} button")).to_have_accessible_name("Carica")  # the new, empty uploader too
    assert page.locator(f"{box} button").get_attribute("aria-label") == "Carica"
    with page.expect_download() as download:
        page.get_by_role("button", name="Scarica i problemi in CSV").click()
    report = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert list(report[0]) == ["severity", "table", "row", "column", "value", "problem and fix"]
    [country] = [r for r in report if (r["table"], r["column"]) == ("actions", "country")]
    assert country["severity"] == "error" and country["problem and fix"].startswith("paese sconosciuto")
    # the template, downloaded in Italian: the contract's names, Italian example phrases
    with page.expect_download() as download:
        page.get_by_role("button", name="Modello come .zip di file CSV").click()
    archive = zipfile.ZipFile(download.value.path())
    organisations = archive.read("clusternet-template/organisations.csv").decode("utf-8-sig")
    assert organisations.startswith(",".join(contract()["organisations"].columns))
    assert "Riga di esempio fittizia: sostituirla con le proprie" in organisations
    page.get_by_text("organisations.csv (obbligatoria)").click()
    assert "uno tra: cluster, public_authority" in page.inner_text("body")
    found = Axe().run(page).response["violations"]
    assert [v["id"] for v in found if v["impact"] in ("serious", "critical")] == []
    # back to English: Streamlit's own words again, and no aria-label left over
    page.locator("[data-testid=stSidebar]").get_by_text("English", exact=True).click()
    rerun_done(page)
    expect(page.locator(f"{box} button")).to_have_accessible_name("Upload")
    assert page.locator(f"{box} button").get_attribute("aria-label") is None
