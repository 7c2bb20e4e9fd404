"""The upload template and the column guide come from the contract the validator checks against."""

from __future__ import annotations

import csv
import io
import zipfile

from openpyxl import load_workbook

from analysis import i18n
from analysis.schema import contract
from analysis.template import guide, tables_guide, template_xlsx, template_zip
from analysis.upload import load_upload


def test_the_zip_template_validates_without_a_single_problem():
    result = load_upload([("clusternet-template.zip", template_zip())])
    assert result.ok
    assert [p.line() for p in result.problems] == []
    assert result.dataset.sizes() == dict.fromkeys(contract(), 2)


def test_the_xlsx_template_validates_without_a_single_problem():
    result = load_upload([("clusternet-template.xlsx", template_xlsx())])
    assert result.ok
    assert [p.line() for p in result.problems] == []
    assert result.dataset.sizes() == dict.fromkeys(contract(), 2)
    # numbers were written as numbers and still read back exactly as the contract's text
    assert result.dataset.organisations["lat"].tolist() == [41.12, 48.78]
    assert result.dataset.actions["participants_count"].tolist() == [150, 40]


def test_the_zip_template_holds_every_table_with_its_header_and_two_rows():
    archive = zipfile.ZipFile(io.BytesIO(template_zip()))
    names = sorted(n.split("/")[-1] for n in archive.namelist() if n.endswith(".csv"))
    assert names == sorted(t.filename for t in contract().values())
    for table in contract().values():
        text = archive.read(f"clusternet-template/{table.filename}").decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == list(table.columns)
        assert len(rows) == 3
        assert all(rows[1][i] for i, f in enumerate(table.fields) if f.required)


def test_the_xlsx_template_has_one_sheet_per_table_and_no_formulas():
    book = load_workbook(io.BytesIO(template_xlsx()))
    assert book.sheetnames == list(contract())
    for name, table in contract().items():
        rows = list(book[name].iter_rows(values_only=True))
        assert list(rows[0]) == list(table.columns)
        assert len(rows) == 3
        assert not any(isinstance(v, str) and v.startswith("=") for row in rows for v in row)


def test_the_guide_lists_every_column_of_the_contract_with_its_rules():
    rows = guide()
    expected = [(t.filename, f.name) for t in contract().values() for f in t.fields]
    assert list(zip(rows["table"], rows["column"], strict=True)) == expected
    by_column = rows.set_index(["table", "column"])
    org_kind = by_column.loc[("organisations.csv", "kind")]
    assert org_kind["required"] == "yes"
    assert org_kind["rules"] == "one of: " + ", ".join(contract()["organisations"].field("kind").enum)
    assert "unique in the table" in by_column.loc[("organisations.csv", "org_id"), "rules"]
    assert "must be listed in organisations.csv (org_id)" in by_column.loc[("agreement_parties.csv", "org_id"), "rules"]
    assert "not before start" in by_column.loc[("actions.csv", "end"), "rules"]
    assert "at least -90 and at most 90" in by_column.loc[("organisations.csv", "lat"), "rules"]
    assert by_column.loc[("sources.csv", "published_on"), "type"] == "date"
    assert by_column.loc[("organisations.csv", "notes"), "required"] == ""
    assert list(tables_guide()["required"]) == ["yes"] * 6 + ["optional"]


def test_in_italian_the_guide_and_the_examples_speak_italian_and_the_names_stay_the_contracts():
    with i18n.speaking("it"):
        rows = guide().set_index(["table", "column"])
        tables = tables_guide()
        zipped, workbook = template_zip(), template_xlsx()
    assert rows.loc[("organisations.csv", "org_id"), "meaning"].startswith("Identificatore dell'organizzazione")
    assert rows.loc[("organisations.csv", "org_id"), "rules"].endswith("unico nella tabella")
    assert rows.loc[("organisations.csv", "lat"), "rules"] == (
        "almeno -90 e al massimo 90; indicare lat e lon insieme, o nessuno dei due; "
        "un avviso se dista più di 300 km dalla regione nuts2"
    )
    assert rows.loc[("sources.csv", "source_id"), ("type", "required")].tolist() == [
        "identificatore",
        "sì",
    ]
    assert rows.loc[("sources.csv", "published_on"), "example"] == "2020-03-16, 2020-03 o 2020"
    assert list(tables["table"]) == [t.filename for t in contract().values()]
    assert list(tables["required"]) == ["sì"] * 6 + ["facoltativa"]
    assert tables["holds"][0].startswith("Ogni attore: cluster, autorità pubbliche")
    # the template: the contract's file, sheet and column names, Italian example phrases, and still valid
    archive = zipfile.ZipFile(io.BytesIO(zipped))
    rows_read = list(
        csv.DictReader(io.StringIO(archive.read("clusternet-template/organisations.csv").decode("utf-8-sig")))
    )
    assert list(rows_read[0]) == list(contract()["organisations"].columns)
    assert [r["name"] for r in rows_read] == ["Cluster creativo di esempio", "Agenzia per l'innovazione di esempio"]
    assert rows_read[1]["notes"] == "Riga di esempio fittizia: sostituirla con le proprie"
    assert [r["org_id"] for r in rows_read] == ["example-cluster", "example-agency"]
    readme = archive.read("clusternet-template/README.txt").decode("utf-8-sig")
    assert readme.startswith("ClusterNet: il modello del dataset\n\nOgni file CSV di questa cartella")
    assert "  - org_id (identificatore, obbligatoria): Identificatore dell'organizzazione" in readme
    assert "countries.csv (facoltativa): Nomi da mostrare" in readme
    book = load_workbook(io.BytesIO(workbook))
    assert book.sheetnames == list(contract())
    assert book["organisations"]["A1"].comment.text.startswith("org_id (identificatore, obbligatoria)")
    for files in ([("t.zip", zipped)], [("t.xlsx", workbook)]):
        result = load_upload(files)
        assert result.ok and [p.line() for p in result.problems] == []


def test_the_zip_template_carries_its_instructions_and_the_workbook_notes_on_its_headers():
    archive = zipfile.ZipFile(io.BytesIO(template_zip()))
    readme = archive.read("clusternet-template/README.txt").decode("utf-8-sig")
    assert readme.startswith("ClusterNet: the dataset template\n\nEach CSV file of this folder is a table")
    for table in contract().values():
        assert f"\n{table.filename} ({'required' if table.required else 'optional'})" in readme
        assert all(f"  - {f.name} (" in readme for f in table.fields), table.name
    assert "      rules: at least -90 and at most 90; give lat and lon together, or neither" in readme
    book = load_workbook(io.BytesIO(template_xlsx()))
    note = book["agreements"]["D1"].comment.text
    assert note.startswith("signed_on (date, required): When it was signed (day, month or year precision).")
    assert "example: 2020-03-15, 2020-03 or 2020" in note
