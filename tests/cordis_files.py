"""CORDIS files in CORDIS's own layout (the Horizon Europe columns), written by the tests, and the real samples.

`project()` and `participant()` give one row with every CORDIS column, plausible values that the tests override;
`csv_bytes`, `xlsx_bytes` and `zip_bytes` write them as CORDIS does (or as an analyst saves them).
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

# ../shared/realworld beside the project root: read there, never copied into the project.
REALWORLD = Path(__file__).resolve().parent.parent.parent / "shared" / "realworld"
HE_PROJECTS = REALWORLD / "cordis-raw" / "voteveto2_he_project_head100.csv"
HE_ORGANIZATIONS = REALWORLD / "cordis-raw" / "voteveto2_he_organization_head100.csv"
HAND_CONVERSION = REALWORLD / "cordis-sample"
# The tests on the real samples, skipped with this reason (printed by -ra) where ../shared/realworld lacks them.
MISSING_SAMPLES = [str(p) for p in (HE_PROJECTS, HE_ORGANIZATIONS) if not p.exists()]
needs_samples = pytest.mark.skipif(
    bool(MISSING_SAMPLES), reason=f"the real CORDIS samples are not here, not found: {', '.join(MISSING_SAMPLES)}"
)

PROJECT_COLUMNS = [
    *("id", "acronym", "status", "title", "startDate", "endDate", "totalCost", "ecMaxContribution", "legalBasis"),
    *("topics", "ecSignatureDate", "frameworkProgramme", "masterCall", "subCall", "fundingScheme", "objective"),
    *("contentUpdateDate", "rcn", "grantDoi"),
]
ORGANIZATION_COLUMNS = [
    *("projectID", "projectAcronym", "organisationID", "vatNumber", "name", "shortName", "SME", "activityType"),
    *("street", "postCode", "city", "country", "nutsCode", "geolocation", "organizationURL", "contactForm"),
    *("contentUpdateDate", "rcn", "order", "role", "ecContribution", "netEcContribution", "totalCost"),
    "endOfParticipation",
]
Row = dict[str, str]


def project(id: str, acronym: str = "", **values: str) -> Row:
    """A project row: SIGNED, Horizon Europe, 2024-01-01 to 2026-12-31, 1,000,000.50 EUR from the EU."""
    row = {
        "id": id,
        "acronym": acronym or f"P{id}",
        "status": "SIGNED",
        "title": f"Project number {id}",
        "startDate": "2024-01-01",
        "endDate": "2026-12-31",
        "totalCost": "1200000",
        "ecMaxContribution": "1000000,5",
        "legalBasis": "HORIZON.2.2",
        "topics": "HORIZON-CL2-2023-HERITAGE-01-02",
        "ecSignatureDate": "2023-11-20",
        "frameworkProgramme": "HORIZON",
        "masterCall": "HORIZON-CL2-2023-HERITAGE-01",
        "subCall": "HORIZON-CL2-2023-HERITAGE-01",
        "fundingScheme": "HORIZON-RIA",
        "objective": 'A long text; with a separator, "quotes"\nand a second line.',
        "contentUpdateDate": "2025-02-24 17:23:14",
        "rcn": "1",
        "grantDoi": "",
    }
    return row | values


def participant(project_id: str, organisation_id: str, **values: str) -> Row:
    """A row of organization.csv: a German university in Munich (DE212), participant."""
    row = {
        "projectID": project_id,
        "projectAcronym": f"P{project_id}",
        "organisationID": organisation_id,
        "vatNumber": "",
        "name": f"UNIVERSITAET {organisation_id}",
        "shortName": "",
        "SME": "False",
        "activityType": "HES",
        "street": "STRASSE 1",
        "postCode": "80539",
        "city": "Munchen",
        "country": "DE",
        "nutsCode": "DE212",
        "geolocation": "48.1411687,11.5822929",
        "organizationURL": "http://www.example.de",
        "contactForm": "",
        "contentUpdateDate": "2025-02-24 17:23:14",
        "rcn": "2",
        "order": "1",
        "role": "participant",
        "ecContribution": "100000.0",
        "netEcContribution": "100000.0",
        "totalCost": "100000",
        "endOfParticipation": "False",
    }
    return row | values


def csv_bytes(rows: list[Row], columns: list[str], separator: str = ",") -> bytes:
    """As CORDIS writes it: every value quoted with `;`, as the HE extracts with `,`."""
    out = io.StringIO()
    quoting = csv.QUOTE_ALL if separator == ";" else csv.QUOTE_MINIMAL
    writer = csv.DictWriter(out, columns, delimiter=separator, quoting=quoting, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[Row], columns: list[str], sheet: str) -> bytes:
    """One sheet, header on row 1; ids and amounts as numbers, dates as dates, like CORDIS's own .xlsx."""
    from datetime import date

    book = Workbook()
    book.active.title = sheet
    book.active.append(columns)
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column, "")
            if column in ("id", "projectID", "organisationID") and value.isdigit():
                cells.append(int(value))
            elif column in ("startDate", "endDate") and len(value) == 10:
                cells.append(date.fromisoformat(value))
            else:
                cells.append(value)
        book.active.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bytes(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def files(projects: list[Row], participants: list[Row], separator: str = ",") -> list[tuple[str, bytes]]:
    """project.csv and organization.csv, as an upload or the command line gives them."""
    return [
        ("project.csv", csv_bytes(projects, PROJECT_COLUMNS, separator)),
        ("organization.csv", csv_bytes(participants, ORGANIZATION_COLUMNS, separator)),
    ]
