"""Reading every accepted form of a dataset, and refusing or explaining the clumsy ones."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime
from pathlib import PurePosixPath

import pandas as pd
from openpyxl import Workbook

from analysis import i18n, load, load_dataset, load_files
from tests import factory


def csv_files() -> dict[str, bytes]:
    return {f"{name}.csv": factory.csv_text(rows).encode("utf-8") for name, rows in factory.tables().items()}


def zipped(files: dict[str, bytes], folder: str = "mydata/") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(folder + name, data)
    return buffer.getvalue()


def workbook(tables: dict, blank_rows_above: int = 0) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in tables.items():
        sheet = book.create_sheet(name)
        for _ in range(blank_rows_above):
            sheet.append(["Exported from our CRM"])
        sheet.append(list(rows[0]))
        for row in rows:
            sheet.append([row[c] for c in rows[0]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_folder_zip_and_loose_csvs_load_the_same_tables(tmp_path):
    folder = load_dataset(factory.write(tmp_path / "ds")).dataset
    archive = load_files({"ds.zip": zipped(csv_files())}, "ds").dataset
    loose = load_files(csv_files(), "ds").dataset
    for other in (archive, loose):
        assert other is not None
        assert (
            other.sizes()
            == folder.sizes()
            == {
                "organisations": 5,
                "agreements": 2,
                "agreement_parties": 4,
                "actions": 2,
                "action_participants": 4,
                "sources": 2,
                "countries": 4,
            }
        )
        assert other.organisations["name"].tolist() == folder.organisations["name"].tolist()


def test_typed_columns_and_default_role(tmp_path):
    data = load_dataset(factory.write(tmp_path / "ds")).dataset
    assert data.organisations.loc[0, "lat"] == 51.76
    assert data.actions.loc[0, "participants_count"] == 12
    assert data.actions.loc[0, "budget_eur"] == 25000.5
    assert data.actions["end"].isna().tolist() == [False, True]
    assert data.agreement_parties.loc[1, "role"] == "signatory"  # empty role means signatory
    assert data.countries.set_index("country").loc["JP", "name"] == "Japan"


def test_xlsx_with_excel_dates_and_numbers(tmp_path):
    tables = factory.tables()
    book = workbook(tables)
    # Excel users type dates and whole numbers; both must read as the contract's text.
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(book))
    wb["actions"]["D2"] = datetime(2017, 3, 14)
    wb["actions"]["J2"] = 12.0
    out = io.BytesIO()
    wb.save(out)
    data = load_files({"ds.xlsx": out.getvalue()}, "ds").dataset
    assert data is not None
    assert data.actions.loc[0, "start"] == "2017-03-14"
    assert data.actions.loc[0, "participants_count"] == 12


def test_xlsx_rows_above_the_header_are_explained():
    result = load_files({"ds.xlsx": workbook(factory.tables(), blank_rows_above=2)}, "ds")
    assert not result.ok
    first = result.errors[0]
    assert (first.table, first.row) == ("organisations", 3)
    assert "delete the rows above them" in first.message


def test_byte_order_mark_and_semicolons_are_read(tmp_path):
    files = csv_files()
    files["sources.csv"] = b"\xef\xbb\xbf" + files["sources.csv"]
    text = factory.csv_text(factory.tables()["agreement_parties"]).replace(",", ";")
    files["agreement_parties.csv"] = text.encode()
    result = load_files(files, "ds")
    assert result.ok
    assert [(p.table, p.row, p.severity) for p in result.problems] == [("agreement_parties", 1, "warning")]
    assert "semicolons" in result.problems[0].message


def test_latin1_file_is_explained_not_misread():
    files = csv_files()
    files["organisations.csv"] = files["organisations.csv"].decode().encode("cp1250", errors="replace")
    result = load_files(files, "ds")
    assert not result.ok
    assert result.errors[0].table == "organisations"
    assert "save it again as 'CSV UTF-8'" in result.errors[0].message


def test_zip_with_a_path_outside_the_archive_is_refused():
    files = csv_files()
    files["../../etc/evil.csv"] = b"x"
    result = load_files({"ds.zip": zipped(files, folder="")}, "ds")
    assert not result.ok
    assert result.errors[0].table == "archive"
    assert "outside itself" in result.errors[0].message


def test_blank_lines_keep_spreadsheet_row_numbers():
    files = csv_files()
    lines = factory.csv_text(factory.tables()["organisations"]).splitlines()
    lines[2] = lines[2].replace(",association,", ",club,")  # porto-design, 2nd organisation
    lines.insert(2, "")  # a blank spreadsheet row 3 pushes it to row 4
    files["organisations.csv"] = "\n".join(lines).encode()
    result = load_files(files, "ds")
    assert [(p.table, p.row, p.column) for p in result.errors] == [("organisations", 4, "kind")]


def test_row_with_more_cells_than_the_header(tmp_path):
    files = csv_files()
    files["sources.csv"] += b"src-c,Title, with comma,https://x.org,,,en,extra\n"
    result = load_files(files, "ds")
    assert not result.ok
    assert (result.errors[0].table, result.errors[0].row) == ("sources", 4)
    assert "unquoted comma" in result.errors[0].message


def test_failed_load_returns_no_dataset_and_fingerprints_differ(tmp_path):
    good = load_files(csv_files(), "ds").dataset
    files = csv_files()
    files["sources.csv"] = files["sources.csv"].replace(b"pt", b"portuguese")
    bad = load_files(files, "ds")
    assert bad.dataset is None
    changed = csv_files()
    changed["sources.csv"] = changed["sources.csv"].replace(b"Exemplo", b"Outro")
    assert load_files(changed, "ds").dataset.fingerprint != good.fingerprint


def test_repeated_column_and_header_only_table():
    files = csv_files()
    files["sources.csv"] = b"source_id,title,title\nsrc-a,A,B\n"
    result = load_files(files, "ds")
    assert [(p.table, p.row, p.column) for p in result.errors] == [("sources", 1, "title")]
    files = csv_files()
    files["actions.csv"] = factory.csv_text(factory.tables()["actions"]).splitlines()[0].encode() + b"\n"
    files["action_participants.csv"] = b"action_id,org_id,role\n"
    result = load_files(files, "ds")
    assert result.ok
    assert result.dataset.sizes()["actions"] == 0


# Hostile and heavy files: bounded, and explained with their table, row and column.


def test_a_cell_of_a_megabyte_is_read(tmp_path):
    tables = factory.tables()
    tables["actions"][0]["summary"] = "x" * (1024 * 1024)
    result = load_dataset(factory.write(tmp_path / "long", tables))
    assert result.dataset is not None, [p.line() for p in result.errors]
    assert len(result.dataset.actions.loc[0, "summary"]) == 1024 * 1024


def test_a_file_csv_cannot_parse_names_its_table_and_row():
    files = csv_files()
    files["actions.csv"] += b'broken,"' + b"y" * 300 + b'",2014\n'
    limit = csv.field_size_limit(200)  # a cell longer than csv's limit: the one error csv still raises
    try:
        result = load_files(files, "too-long")
    finally:
        csv.field_size_limit(limit)
    assert [(p.table, p.row) for p in result.errors] == [("actions", 4)]
    assert "cannot be read as CSV" in result.errors[0].message and result.dataset is None


def test_thousands_of_columns_are_refused_before_they_are_read():
    files = csv_files()
    files["organisations.csv"] = (",".join(f"c{i}" for i in range(5000)) + "\n" + ",".join("v" * 5000) + "\n").encode()
    [problem] = load_files(files, "wide").errors
    assert (problem.table, problem.row) == ("organisations", 1)
    assert "5,000 columns, more than 500" in problem.message


def shared_strings_workbook(tables: dict) -> bytes:
    """A workbook as Excel writes it: texts in a shared table (openpyxl writes them inline)."""
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="xlsxwriter") as writer:
        for name, rows in tables.items():
            pd.DataFrame(rows).to_excel(writer, sheet_name=name, index=False)
    return out.getvalue()


def test_workbooks_are_capped_in_texts_and_cells(monkeypatch):
    book = shared_strings_workbook(factory.tables())
    assert load_files({"fine.xlsx": book}, "fine").dataset is not None
    monkeypatch.setattr(load, "MAX_SHARED_STRINGS", 10)
    [problem] = load_files({"big.xlsx": book}, "big").errors
    assert "distinct texts, more than 10" in problem.message
    monkeypatch.setattr(load, "MAX_SHARED_STRINGS", 2_000_000)
    monkeypatch.setattr(load, "MAX_CELLS", 40)
    [problem] = load_files({"big.xlsx": book}, "big").errors
    assert problem.table == "workbook" and "past 40 cells at row" in problem.message


def test_zip_members_that_are_not_tables_are_not_unpacked():
    files = csv_files() | {"notes.csv": b"anything\n" * 10, "README.txt": b"hello"}
    found, problems = load.read_zip_bytes(zipped(files), "with-notes.zip")
    assert sorted(PurePosixPath(name).name for name in found) == sorted(csv_files())
    assert [(p.value, p.severity) for p in problems] == [("mydata/notes.csv", "warning")]


def test_reading_problems_and_steps_in_italian():
    files = csv_files()
    files["agreement_parties.csv"] = factory.csv_text(factory.tables()["agreement_parties"]).replace(",", ";").encode()
    files["notes.txt"] = b"x"
    steps: list[str] = []
    with i18n.speaking("it"):
        result = load_files({"ds.zip": zipped(files)}, "ds", steps.append)
        said = [p.line() for p in result.problems]
        refused = load_files({"ds.xlsx": workbook(factory.tables(), blank_rows_above=2)}, "ds").errors[0]
        assert refused.message == (
            "i nomi delle colonne sono alla riga 3, non alla riga 1: eliminare le righe sopra di essi"
        )
        assert load_dataset("/no/such/place").errors[0].line() == (
            "dataset::: file o cartella inesistente [/no/such/place]"
        )
    assert said == [
        "agreement_parties:1:: il file è separato da punti e virgola; è stato letto così, ma il contratto dei dati "
        "richiede le virgole [mydata/agreement_parties.csv]"
    ]
    assert steps[0].startswith("Apertura di ds.zip (0,0 MB)") and steps[-1] == "Preparazione delle tabelle"
    assert result.problems[0].message.startswith("the file is separated by semicolons")  # English where read so
