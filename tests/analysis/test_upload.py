"""An analyst's upload: limits, hostile archives, clumsy files, and the problem report they download."""

from __future__ import annotations

import csv
import io
import zipfile

from analysis import i18n
from analysis.load import MAX_UNCOMPRESSED_BYTES, MAX_UPLOAD_BYTES, MAX_ZIP_FILES
from analysis.upload import limits_problems, load_upload, load_upload_apart, report_frame, upload_name
from charts.files import csv_bytes
from tests import factory
from tests.analysis.test_load import csv_files, workbook, zipped


def pairs(files: dict[str, bytes]) -> list[tuple[str, bytes]]:
    return list(files.items())


def test_a_zip_several_csvs_and_a_workbook_all_load():
    for files in (
        [("region.zip", zipped(csv_files()))],
        pairs(csv_files()),
        [("region.xlsx", workbook(factory.tables()))],
    ):
        result = load_upload(files)
        assert result.ok, [p.line() for p in result.problems]
        assert result.dataset.sizes()["organisations"] == 5
    assert load_upload([("region.zip", zipped(csv_files()))]).dataset.name == "region.zip"
    assert upload_name(list(csv_files())) == "organisations.csv and 5 more files"


def test_an_upload_over_the_size_limit_is_refused_before_it_is_read():
    problems = limits_problems([("big.zip", MAX_UPLOAD_BYTES + 1)])
    assert [p.table for p in problems] == ["upload"]
    assert "more than the limit of 50 MB" in problems[0].message
    assert limits_problems([("ok.zip", MAX_UPLOAD_BYTES)]) == []
    result = load_upload([("big.csv", b"x" * (MAX_UPLOAD_BYTES + 1))])
    assert not result.ok and result.errors[0].table == "upload"


def test_too_many_files_or_a_repeated_name_is_refused():
    assert "more than 200" in limits_problems([(f"f{i}.csv", 1) for i in range(MAX_ZIP_FILES + 1)])[0].message
    repeated = load_upload([("organisations.csv", b"a"), ("organisations.csv", b"b")])
    assert [(p.table, p.value) for p in repeated.errors] == [("upload", "organisations.csv")]


def test_a_zip_with_too_many_files_is_refused():
    files = {f"extra-{i}.csv": b"a\n" for i in range(MAX_ZIP_FILES + 1)}
    result = load_upload([("many.zip", zipped(files))])
    assert [p.table for p in result.errors] == ["archive"]
    assert f"more than {MAX_ZIP_FILES}" in result.errors[0].message


def test_a_zip_bomb_is_refused_by_its_unpacked_size():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("organisations.csv", b"\0" * (MAX_UNCOMPRESSED_BYTES + 1))
    assert len(buffer.getvalue()) < MAX_UPLOAD_BYTES  # small enough to pass the upload limit
    result = load_upload([("bomb.zip", buffer.getvalue())])
    assert [p.table for p in result.errors] == ["archive"]
    assert "unpacks to 200 MB, more than 200 MB" in result.errors[0].message


def test_a_zip_whose_header_understates_its_size_is_still_stopped():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("organisations.csv", b"\0" * (MAX_UNCOMPRESSED_BYTES + 1))
    data = bytearray(buffer.getvalue())
    # Forge the declared sizes (local header offset 22, central directory offset 24) down to 10 bytes.
    for offset in (22, data.rfind(b"PK\x01\x02") + 24):
        data[offset : offset + 4] = (10).to_bytes(4, "little")
    result = load_upload([("liar.zip", bytes(data))])
    assert not result.ok
    assert [p.table for p in result.errors] == ["archive"]


def test_a_zip_with_a_password_is_explained():
    data = bytearray(zipped(csv_files()))
    data[6] |= 0x1  # the encryption flag of the first member's local header
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 0x1
    result = load_upload([("locked.zip", bytes(data))])
    assert not result.ok
    assert "without a password" in result.errors[0].message


def test_utf16_and_tab_separated_files_are_read_with_a_warning():
    files = csv_files()
    text = factory.csv_text(factory.tables()["sources"]).replace(",", "\t")
    files["sources.csv"] = text.encode("utf-16")  # what Excel's "Unicode Text" writes
    result = load_upload(pairs(files))
    assert result.ok, [p.line() for p in result.problems]
    messages = [p.message for p in result.problems]
    assert any("UTF-16" in m for m in messages) and any("separated by tabs" in m for m in messages)
    assert result.dataset.sources["title"].tolist() == ["Relatório anual", "Ανακοίνωση"]


def test_semicolon_csv_with_decimal_commas_is_read_and_the_commas_explained():
    data = factory.tables()
    data["organisations"][0]["lat"] = "51,76"
    files = csv_files()
    out = io.StringIO()  # what a European Excel writes: semicolons, and cells holding one quoted
    writer = csv.DictWriter(out, fieldnames=list(data["organisations"][0]), delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(data["organisations"])
    files["organisations.csv"] = out.getvalue().encode()
    result = load_upload(pairs(files))
    assert not result.ok
    assert [(p.table, p.row, p.column, p.value) for p in result.errors] == [("organisations", 2, "lat", "51,76")]
    assert "use a dot, not a comma" in result.errors[0].message


def test_the_report_lists_each_problem_and_its_csv_defuses_formulas():
    data = factory.tables()
    data["organisations"][1]["kind"] = '=HYPERLINK("http://evil")'
    data["actions"][0]["start"] = "2017-02-30"
    result = load_upload(pairs({f"{n}.csv": factory.csv_text(r).encode() for n, r in data.items()}))
    frame = report_frame(result.problems)
    assert list(frame.columns) == ["severity", "table", "row", "column", "value", "problem and fix"]
    assert [tuple(r) for r in frame[["table", "row", "column"]].itertuples(index=False)] == [
        ("organisations", 3, "kind"),
        ("actions", 2, "start"),
    ]
    text = csv_bytes(report_frame(result.problems)).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text


def test_an_upload_in_italian_tells_its_steps_and_its_problems_in_italian():
    tables = factory.tables()
    tables["organisations"][0]["lat"] = "51,76"
    files = [("region.zip", zipped({f"{n}.csv": factory.csv_text(rows).encode() for n, rows in tables.items()}))]
    steps: list[str] = []
    with i18n.speaking("it"):
        result = load_upload_apart(files, "region.zip", steps.append)  # the child process speaks Italian too
        refused = limits_problems([("big.zip", MAX_UPLOAD_BYTES + 1)])
        frame = report_frame(result.problems)
        assert upload_name(["a.csv", "b.csv", "c.csv"]) == "a.csv e altri 2 file"
    assert steps[0].startswith("Apertura di region.zip (")
    assert steps[-1] == "Verifica di 19 righe in 6 tabelle rispetto al contratto dei dati"
    assert "Lettura di organisations.csv (0,0 MB)" in steps
    [error] = result.errors
    assert error.message.startswith("is not a number: write digits only")  # said in the language it is read in
    with i18n.speaking("it"):
        assert error.message == (
            "non è un numero: scrivere solo cifre, come 41.12 (per i decimali usare il punto, non la virgola)"
        )
        assert refused[0].line().startswith("caricamento::: il caricamento è di 50,0 MB, oltre il limite di 50 MB")
    assert frame.loc[0, "problem and fix"].startswith("non è un numero") and frame.loc[0, "severity"] == "error"
    assert list(frame.columns) == ["severity", "table", "row", "column", "value", "problem and fix"]


def test_the_reading_apart_does_not_run_the_script_being_run_again(tmp_path, monkeypatch):
    """A page uploads while Streamlit runs it as `__main__` (an AppTest's script likewise): the child reading the
    files must not run that script again (spawn would), here one that leaves a mark and then fails."""
    import sys
    import types

    script = tmp_path / "page.py"
    mark = tmp_path / "ran"
    script.write_text(f"open({str(mark)!r}, 'w').close()\nraise SystemExit(3)\n", encoding="utf-8")
    page = types.ModuleType("__main__")
    page.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", page)
    files = [("d.zip", zipped({f"{n}.csv": factory.csv_text(rows).encode() for n, rows in factory.tables().items()}))]
    steps: list[str] = []
    result = load_upload_apart(files, "d.zip", steps.append)
    assert result.dataset is not None, [p.line() for p in result.problems]
    assert steps and not mark.exists()
    assert sys.modules["__main__"] is page  # given back as it was
