"""data/datapackage.json itself: a valid Frictionless package under strict validation, a true title, and example rows
(the upload template and the column guide) that are plainly fictional, naming nothing of the curated data."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.dates import parse_date
from analysis.items import ITEM_TYPES
from analysis.schema import DATA_DIR, DATAPACKAGE, contract
from analysis.template import example_rows
from analysis.validate import split_list

FRICTIONLESS = Path(sys.executable).parent / "frictionless"  # installed with the dev dependencies
NAME_COLUMNS = ("name", "title")


def is_id_column(column: str) -> bool:
    """A column holding identifiers: `org_id`, `agreement_id`, ... and the lists of them, `source_ids`."""
    return column.endswith(("_id", "_ids"))


def curated_tables() -> dict[str, list[dict[str, str]]]:
    """The curated CSV files that exist (the optional countries table has none), read as text."""
    tables = {}
    for name, table in contract().items():
        path = DATA_DIR / table.filename
        if path.exists():
            with path.open(encoding="utf-8", newline="") as f:
                tables[name] = list(csv.DictReader(f))
    return tables


@pytest.mark.parametrize("standards", ["v2", "v1"])
def test_frictionless_validates_the_package_with_no_error_or_warning(standards):
    result = subprocess.run(
        [str(FRICTIONLESS), "validate", "--json", "--standards", standards, str(DATAPACKAGE)],
        capture_output=True,
        text=True,
        cwd=DATA_DIR,
        check=False,
    )
    report = json.loads(result.stdout)
    problems = report["errors"] + report["warnings"]
    problems += [p for task in report["tasks"] for p in task["errors"] + task["warnings"]]
    assert [p if isinstance(p, str) else p["message"] for p in problems] == []
    assert report["valid"] and result.returncode == 0
    # Every table of the curated data was read and checked (types, enums, patterns, primary and foreign keys).
    assert [task["name"] for task in report["tasks"]] == list(curated_tables())
    assert all(task["stats"]["rows"] > 0 for task in report["tasks"])


def test_the_optional_countries_table_stays_in_the_contract_without_a_resource():
    package = json.loads(DATAPACKAGE.read_text(encoding="utf-8"))
    assert "countries" not in [r["name"] for r in package["resources"]]
    assert not (DATA_DIR / "countries.csv").exists()
    assert list(contract())[-1] == "countries" and not contract()["countries"].required
    assert contract()["countries"].columns == ("country", "name", "eu_member")


def test_no_example_row_shares_an_id_or_a_name_with_the_curated_data():
    ids: set[str] = set()
    names: set[str] = set()
    for rows in curated_tables().values():
        for row in rows:
            for column, value in row.items():
                if is_id_column(column):
                    ids |= set(split_list(value))
                elif column in NAME_COLUMNS:
                    names.add(value.casefold())
    assert ids and names
    for table in contract().values():
        for row in example_rows(table):
            for column, value in row.items():
                if is_id_column(column):
                    assert not set(split_list(value)) & ids, (table.name, column, value)
                    assert all(v.startswith("example-") for v in split_list(value)), (table.name, column, value)
                elif column in NAME_COLUMNS and table.name != "countries":  # country names are reference data
                    assert value.casefold() not in names, (table.name, column, value)
                    assert value.startswith("Example "), (table.name, column, value)
        for f in table.fields:  # the guide's one example per column too
            if f.name in NAME_COLUMNS and table.name != "countries":
                assert f.example.casefold() not in names, (table.name, f.name, f.example)
            if f.kind == "url":
                assert all(v.startswith("https://example.org") for v in (f.example, *f.examples) if v)


def test_the_title_spans_the_years_the_data_covers(curated):
    package = json.loads(DATAPACKAGE.read_text(encoding="utf-8"))
    years = [
        parse_date(value).first.year for t in ITEM_TYPES.values() for value in curated.tables[t.table][t.start_column]
    ]
    assert package["title"].endswith(f", {min(years)}-{max(years)}")
