"""CORDIS files uploaded on the Data page as they are downloaded: the import's report first, then the dataset in use
on every page of the session, and the converted dataset downloadable in the contract's shape."""

from __future__ import annotations

import zipfile
from pathlib import Path

from playwright.sync_api import Page

from analysis import Dataset, load_curated, load_dataset
from analysis.upload import load_upload
from tests import cordis_files as cf
from tests.e2e.conftest import expect_metrics, open_app, rerun_done
from tests.e2e.test_data import UPLOADER, go, kpis


def converted(files: list[Path]) -> Dataset:
    result = load_upload([(f.name, f.read_bytes()) for f in files])
    assert result.dataset is not None and result.imported is not None, [p.line() for p in result.problems]
    return result.dataset


def upload_cordis(page: Page, files: list[Path]) -> str:
    """Upload on the Data page, wait for the import's report, and return the page's text."""
    go(page, "Data")
    page.locator(UPLOADER).set_input_files([str(f) for f in files])
    page.get_by_text("CORDIS import:").first.wait_for(timeout=90_000)
    rerun_done(page)
    assert page.locator("[data-testid=stException]").count() == 0
    return page.inner_text("body")


def table_rows(page: Page, heading: str) -> list[list[str]]:
    """The cells of the report's table that follows the paragraph starting with `heading`."""
    table = page.locator(".st-key-import-report [data-testid=stMarkdown]", has_text=heading).locator(
        "xpath=following::table[1]"
    )
    return [
        [" ".join(c.split()) for c in r.locator("td, th").all_inner_texts()] for r in table.locator("tbody tr").all()
    ]


@cf.needs_samples
def test_the_horizon_europe_files_show_the_report_then_drive_the_overview(curated_app, page, tmp_path):
    files = [cf.HE_PROJECTS, cf.HE_ORGANIZATIONS]
    mine = kpis(converted(files))
    curated = kpis(load_curated())
    assert mine == {
        "Organisations": "92",
        "Countries": "25",
        "Agreements": "0",
        "Actions": "42",
        "EU contribution": "121,059,384 EUR",
    }
    open_app(page, f"{curated_app.url}/data")
    body = upload_cordis(page, files)
    assert "CORDIS import: voteveto2_he_project_head100.csv and 1 more files" in body
    assert (
        "Read: 42 project rows, 42 projects, 100 organization rows, 92 organisations, 100 (project, organisation) "
        "pairs." in body
    )
    assert "Kept: 42 actions (projects), 92 organisations, 100 participations." in body
    assert "Dropped: no row." in body
    assert "Amounts: contribution_eur 121,059,384.01 EUR, cost_eur 118,993,689.00 EUR in total" in body
    assert "0 participations without contribution_eur" in body
    assert table_rows(page, "Left empty or mapped")[:2] == [
        [
            "13",
            "organisations",
            "nutsCode is only the country level: nuts2 left empty",
            "voteveto2_he_organization_head100.csv row 14: organisationID 999467340, name THE REGENTS OF THE "
            "UNIVERSITY OF CALIFORNIA, country US, nutsCode US · voteveto2_he_organization_head100.csv row 17: "
            "organisationID 969818320, name NATIONAL SCIENCE CENTER KHARKOV INSTITUTE OF PHYSICS AND TECHNOLOGY, "
            "country UA, nutsCode UA · voteveto2_he_organization_head100.csv row 20: organisationID 905109620, name "
            "MEDSENSIO AS, country NO, nutsCode NO",
        ],
        [
            "1",
            "organisations",
            "geolocation empty: lat and lon left empty",
            "voteveto2_he_organization_head100.csv row 38: organisationID 878875582, name STICHTING CLIMATE-KIC "
            "INTERNATIONAL FOUNDATION",
        ],
    ]

    # Shown, not yet used: the session still has the curated data.
    go(page, "Overview")
    expect_metrics(page, curated)
    go(page, "Data")
    with page.expect_download() as download:
        page.get_by_role("button", name="Converted dataset (.zip of CSV files)").click()
    archive = tmp_path / download.value.suggested_filename
    download.value.save_as(archive)
    assert archive.name == "voteveto2_he_project_head100.csv-and-1-more-files-contract.zip"
    with zipfile.ZipFile(archive) as z:
        assert sorted(Path(n).name for n in z.namelist()) == sorted(
            [
                "organisations.csv",
                "agreements.csv",
                "agreement_parties.csv",
                "actions.csv",
                "action_participants.csv",
                "sources.csv",
            ]
        )
    again = load_dataset(archive)
    assert again.ok, [p.line() for p in again.errors]
    assert kpis(again.dataset) == mine

    page.get_by_role("button", name="Use the converted dataset").click()
    rerun_done(page)
    assert "In use: every page of this session shows it." in page.inner_text("body")
    go(page, "Overview")
    expect_metrics(page, mine)
    assert "your upload voteveto2_he_project_head100.csv and 1 more files" in page.inner_text("body")

    # Back to the curated data: the converted dataset is let go (its memory with it); the report stays readable.
    go(page, "Data")
    page.get_by_role("button", name="Back to the curated data").last.click()
    rerun_done(page)
    body = page.inner_text("body")
    assert "This converted dataset was let go with Back to the curated data" in body
    assert "Kept: 42 actions (projects), 92 organisations, 100 participations." in body
    go(page, "Overview")
    expect_metrics(page, curated)


def test_a_zip_of_semicolon_files_with_a_row_that_cannot_be_mapped(curated_app, page, tmp_path):
    projects = [cf.project("101", "ALPHA"), cf.project("102", "BETA")]
    rows = [
        cf.participant("101", "900000001", role="coordinator"),
        cf.participant("102", "900000001"),
        cf.participant(
            "102", "900000002", country="EL", nutsCode="EL632", name="<b>ΠΑΝΕΠΙΣΤΗΜΙΟ</b> *ΠΑΤΡΩΝ*", geolocation="here"
        ),
        cf.participant("404", "900000003"),
    ]
    archive = tmp_path / "cordis-culture.zip"
    archive.write_bytes(cf.zip_bytes({f"export/{n}": d for n, d in cf.files(projects, rows, ";")}))
    open_app(page, f"{curated_app.url}/data")
    body = upload_cordis(page, [archive])
    assert "Kept: 2 actions (projects), 2 organisations, 3 participations." in body
    assert "Dropped: 1 row, for these reasons" in body
    assert table_rows(page, "Dropped") == [
        [
            "1",
            "organization rows",
            "its project is not in the project file",
            "cordis-culture.zip/export/organization.csv row 5: projectID 404, organisationID 900000003",
        ]
    ]
    hostile = table_rows(page, "Left empty")
    assert hostile == [
        [
            "1",
            "organisations",
            "geolocation is not 'lat,lon' within range: lat and lon left empty",
            "cordis-culture.zip/export/organization.csv row 4: organisationID 900000002, name <b>ΠΑΝΕΠΙΣΤΗΜΙΟ</b> "
            "*ΠΑΤΡΩΝ*, geolocation here",
        ]
    ]
    assert page.locator(".st-key-import-report b, .st-key-import-report em").count() == 0  # dataset text stays text
    page.get_by_role("button", name="Use the converted dataset").click()
    rerun_done(page)
    go(page, "Overview")
    mine = kpis(converted([archive]))
    # tests/cordis_files.py gives each participation 100,000.0 EUR: three participations
    assert mine == {
        "Organisations": "2",
        "Countries": "2",
        "Agreements": "0",
        "Actions": "2",
        "EU contribution": "300,000 EUR",
    }
    expect_metrics(page, mine)
    assert page.locator("[data-testid=stException]").count() == 0
