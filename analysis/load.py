"""Read a dataset - a folder of CSVs, a .zip of one, loose CSV files or an .xlsx workbook - as raw text tables.

Nothing here judges the values: every cell stays text, indexed by its spreadsheet row
(header = row 1), so that validation can point at the exact row.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd

from analysis import i18n
from analysis.i18n import N_, _
from analysis.problems import Number, Problem, Said, error, said, warning
from analysis.schema import contract

MB = 1024 * 1024
MAX_UPLOAD_BYTES = 50 * MB  # what an analyst may upload in one go (the dashboard's upload limit)
MAX_ZIP_FILES = 200
MAX_UNCOMPRESSED_BYTES = 4 * MAX_UPLOAD_BYTES  # CSV zips well; far beyond this is a zip bomb
MAX_COLUMNS = 500  # the widest contract table has 13 columns; thousands are a broken export, not a dataset
MAX_CELLS = 5_000_000  # per workbook: about 400,000 organisations, as a CSV upload can hold
MAX_SHARED_STRINGS = 2_000_000  # distinct texts a workbook may declare
HEADER_SEARCH_ROWS = 20
# A cell may be as long as a whole upload (csv's own limit is 128 KB, which a long summary can pass).
csv.field_size_limit(MAX_UNCOMPRESSED_BYTES)


@dataclass(frozen=True)
class RawTable:
    """One table as read: text cells, index = spreadsheet row number."""

    name: str
    frame: pd.DataFrame
    origin: str  # the file or sheet it came from


@dataclass(frozen=True)
class RawDataset:
    name: str
    tables: dict[str, RawTable]
    problems: tuple[Problem, ...]
    fingerprint: str


def table_name(filename: str) -> str | None:
    """The contract table a file or sheet name stands for (`Organisations.CSV` -> organisations)."""
    stem = PurePosixPath(filename).name.lower()
    stem = stem[:-4] if stem.endswith(".csv") else stem
    return stem if stem in contract() else None


def _frame(rows: list[list[str]], first_row: int) -> pd.DataFrame:
    """Rows after the header -> DataFrame indexed by spreadsheet row, cells trimmed, blank rows dropped."""
    header = [h.strip() or f"(column {i + 1})" for i, h in enumerate(rows[0])]
    body = rows[1:]
    width = max([len(header), *map(len, body)])
    columns = header + [f"(column {i + 1})" for i in range(len(header), width)]
    # One frame of all rows, then whole columns trimmed: per-row lists cost seconds at 200,000 rows.
    body = [cells if len(cells) == width else cells + [""] * (width - len(cells)) for cells in body]
    frame = pd.DataFrame(body, columns=range(width), dtype=object)
    for column in frame.columns:
        frame[column] = frame[column].str.strip()
    frame.columns = columns
    frame.index = pd.RangeIndex(first_row + 1, first_row + 1 + len(body), name="row")
    return frame[~(frame == "").all(axis=1)]


def _duplicate_columns(name: str, header: list[str]) -> list[Problem]:
    seen: set[str] = set()
    repeated = [h.strip() for h in header if h.strip() and (h.strip() in seen or seen.add(h.strip()))]
    return [
        error(
            name,
            1,
            column,
            None,
            said(N_("the column '{column}' appears twice in the header: keep one"), column=column),
        )
        for column in dict.fromkeys(repeated)
    ]


def _ragged_rows(name: str, frame: pd.DataFrame, header_width: int) -> list[Problem]:
    extra = [c for c in frame.columns[header_width:]]
    problems = []
    for row, cells in frame[extra].iterrows() if extra else []:
        filled = [v for v in cells if v != ""]
        if filled:
            problems.append(
                error(
                    name,
                    int(row),
                    None,
                    filled[0],
                    said(
                        N_(
                            "this row has more cells than the header has columns ({columns}): "
                            "a value probably holds an unquoted comma; put quotes around it"
                        ),
                        columns=header_width,
                    ),
                )
            )
    return problems


def read_csv_bytes(name: str, origin: str, data: bytes) -> tuple[RawTable | None, list[Problem]]:
    """Decode and parse one CSV file of table `name`."""
    problems: list[Problem] = []
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            # Excel's "Unicode Text" and some exports write UTF-16; its byte-order mark makes it unambiguous.
            text = data.decode("utf-16")
            problems.append(
                warning(
                    name,
                    1,
                    None,
                    origin,
                    said(N_("the file is UTF-16 text; it was read, but the contract asks for UTF-8")),
                )
            )
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [
            error(
                name,
                None,
                None,
                origin,
                said(
                    N_(
                        "the file is not UTF-8 text (byte {byte} cannot be read); save it again "
                        "as 'CSV UTF-8' (in Excel: Save As > CSV UTF-8 (Comma delimited))"
                    ),
                    byte=exc.start,
                ),
            )
        ]
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return None, [
            error(
                name,
                1,
                None,
                origin,
                said(N_("the file is empty or its first row is blank: row 1 must hold the column names")),
            )
        ]
    delimiter = ","
    if "," not in lines[0]:
        separated = {
            ";": N_("the file is separated by semicolons; it was read that way, but the contract asks for commas"),
            "\t": N_("the file is separated by tabs; it was read that way, but the contract asks for commas"),
        }
        for other, message in separated.items():
            if other in lines[0]:
                delimiter = other
                problems.append(warning(name, 1, None, origin, said(message)))
                break
    # csv yields [] for a blank line: it is kept, since it is still a spreadsheet row
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:  # e.g. a NUL byte: csv names the line it stopped on
        return None, [
            *problems,
            error(
                name,
                reader.line_num,
                None,
                origin,
                said(N_("the file cannot be read as CSV here ({reason}): save it again"), reason=str(exc)),
            ),
        ]
    if len(rows[0]) > MAX_COLUMNS:
        return None, [*problems, too_wide(name, origin, len(rows[0]))]
    if duplicated := _duplicate_columns(name, rows[0]):
        return None, problems + duplicated
    frame = _frame(rows, first_row=1)
    problems += _ragged_rows(name, frame, len(rows[0]))
    return RawTable(name, frame, origin), problems


def too_wide(name: str, origin: str, columns: int) -> Problem:
    return error(
        name,
        1,
        None,
        origin,
        said(
            N_(
                "the header has {columns} columns, more than {limit}: the contract's tables have a dozen; "
                "export only the table's own columns"
            ),
            columns=Number(columns),
            limit=MAX_COLUMNS,
        ),
    )


def cell_text(value: Any) -> str:
    """An Excel cell as the text the contract expects (dates ISO, whole numbers without .0)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def unpacked_size(data: bytes) -> int:
    """What an .xlsx (a zip) declares it unpacks to; 0 if it is no zip (openpyxl then explains)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(m.file_size for m in archive.infolist())
    except zipfile.BadZipFile:
        return 0


def shared_strings(data: bytes) -> int:
    """How many distinct texts an .xlsx declares (openpyxl reads them all into memory on opening); 0 if unknown."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("xl/sharedStrings.xml") as member:
            head = member.read(4096).decode("utf-8", errors="replace")
    except (KeyError, zipfile.BadZipFile, zlib.error, OSError, RuntimeError, NotImplementedError):
        return 0
    found = re.search(r'uniqueCount="(\d+)"', head) or re.search(r'\bcount="(\d+)"', head)
    return int(found.group(1)) if found else 0


def _refused_workbook(where: str, why: Said) -> tuple[dict[str, RawTable], list[Problem]]:
    """No tables, and one problem that says why the whole workbook was refused and what to do instead."""
    return {}, [
        error(
            "workbook",
            None,
            None,
            where,
            said(N_("{why}: it was refused; upload the tables as a .zip of CSV files"), why=why),
        )
    ]


def read_xlsx_bytes(data: bytes, origin: str) -> tuple[dict[str, RawTable], list[Problem]]:
    """One sheet per table, named like the CSV file without `.csv`."""
    from openpyxl import load_workbook

    if (unpacked := unpacked_size(data)) > MAX_UNCOMPRESSED_BYTES:
        return _refused_workbook(
            origin,
            said(
                N_("the workbook unpacks to {size} MB, more than {limit} MB"),
                size=unpacked // MB,
                limit=MAX_UNCOMPRESSED_BYTES // MB,
            ),
        )
    if (strings := shared_strings(data)) > MAX_SHARED_STRINGS:
        return _refused_workbook(
            origin,
            said(
                N_("the workbook declares {count} distinct texts, more than {limit}"),
                count=Number(strings),
                limit=Number(MAX_SHARED_STRINGS),
            ),
        )
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        return {}, [
            error(
                "workbook",
                None,
                None,
                origin,
                said(N_("the workbook cannot be opened ({reason}); save it again as .xlsx"), reason=str(exc)),
            )
        ]
    tables: dict[str, RawTable] = {}
    problems: list[Problem] = []
    cells = 0
    for sheet in book.worksheets:
        name = table_name(sheet.title)
        if name is None:
            problems.append(
                warning(
                    "workbook",
                    None,
                    None,
                    sheet.title,
                    said(N_("this sheet is not a table of the contract and was ignored")),
                )
            )
            continue
        rows = []
        for row in sheet.iter_rows(values_only=True):
            cells += len(row)
            if cells > MAX_CELLS or len(row) > MAX_COLUMNS:
                book.close()
                why = (
                    said(
                        N_("the sheet {sheet} has {columns} columns in row {row}, more than {limit}"),
                        sheet=sheet.title,
                        columns=Number(len(row)),
                        row=len(rows) + 1,
                        limit=MAX_COLUMNS,
                    )
                    if len(row) > MAX_COLUMNS
                    else said(
                        N_("the sheet {sheet} takes the workbook past {cells} cells at row {row}"),
                        sheet=sheet.title,
                        cells=Number(MAX_CELLS),
                        row=len(rows) + 1,
                    )
                )
                return _refused_workbook(sheet.title, why)
            rows.append([cell_text(v) for v in row])
        while rows and not any(rows[-1]):
            rows.pop()
        if not rows:
            problems.append(
                error(name, 1, None, sheet.title, said(N_("the sheet is empty: row 1 must hold the column names")))
            )
            continue
        header_row = _header_row(name, rows)
        if header_row > 1:
            problems.append(
                error(
                    name,
                    header_row,
                    None,
                    sheet.title,
                    said(
                        N_("the column names are on row {row}, not row 1: delete the rows above them"), row=header_row
                    ),
                )
            )
            continue
        width = max(i + 1 for i, v in enumerate(rows[0]) if v) if any(rows[0]) else 0
        if duplicated := _duplicate_columns(name, rows[0][:width]):
            problems += duplicated
            continue
        frame = _frame([_trim(r, width) for r in rows], first_row=1)
        problems += _ragged_rows(name, frame, width)
        tables[name] = RawTable(name, frame, f"{origin} [{sheet.title}]")
    book.close()
    return tables, problems


def _trim(cells: list[str], width: int) -> list[str]:
    """Drop the empty cells Excel pads a row with beyond the header's width."""
    extra = cells[width:]
    while extra and not extra[-1]:
        extra.pop()
    return cells[:width] + extra


def _header_row(name: str, rows: list[list[str]]) -> int:
    """Spreadsheet row that holds the table's first required column (1 if none found)."""
    key = contract()[name].fields[0].name
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
        if key in (c.strip() for c in row):
            return i
    return 1


ZipOpened = tuple[zipfile.ZipFile | None, list[zipfile.ZipInfo], list[Problem]]


def _refused_zip(where: str, why: Said) -> ZipOpened:
    return None, [], [error("archive", None, None, where, why)]


def open_zip(data: bytes, origin: str) -> ZipOpened:
    """A zip's files (folders left out), or None and why the whole archive is refused: unreadable, too many files,
    too big unpacked, or a path outside itself."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return _refused_zip(origin, said(N_("this is not a readable .zip file; zip the folder of CSV files again")))
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) > MAX_ZIP_FILES:
        why = said(
            N_("the archive holds {count} files, more than {limit}: zip only the dataset's CSV files"),
            count=len(members),
            limit=MAX_ZIP_FILES,
        )
        return _refused_zip(origin, why)
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        why = said(
            N_("the archive unpacks to {size} MB, more than {limit} MB: it was refused"),
            size=total // MB,
            limit=MAX_UNCOMPRESSED_BYTES // MB,
        )
        return _refused_zip(origin, why)
    for m in members:
        path = PurePosixPath(m.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts:
            return _refused_zip(
                m.filename, said(N_("the archive holds a path outside itself: it was refused; zip the folder again"))
            )
    return archive, members, []


def unpack(archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: int, limit: int = -1) -> bytes | Problem:
    """At most `budget` + 1 bytes of a member (or its first `limit` bytes), or the problem that stopped it."""
    try:
        with archive.open(member) as opened:
            return opened.read(budget + 1 if limit < 0 else min(limit, budget + 1))
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        # RuntimeError: an encrypted member; NotImplementedError: a compression method zipfile lacks
        return error(
            "archive",
            None,
            None,
            member.filename,
            said(
                N_("this file in the archive cannot be unpacked ({reason}); zip the folder again, without a password"),
                reason=str(exc),
            ),
        )


def too_big_unpacked(origin: str) -> Problem:
    return error(
        "archive",
        None,
        None,
        origin,
        said(N_("the archive unpacks to more than {limit} MB: it was refused"), limit=MAX_UNCOMPRESSED_BYTES // MB),
    )


def read_zip_bytes(data: bytes, origin: str) -> tuple[dict[str, bytes], list[Problem]]:
    """The CSV members of a zip, read in memory; unsafe or oversized archives are refused whole."""
    archive, members, refused = open_zip(data, origin)
    if archive is None:
        return {}, refused
    files: dict[str, bytes] = {}
    skipped: list[Problem] = []
    budget = MAX_UNCOMPRESSED_BYTES  # sizes in the archive's header can lie: count what really comes out
    for m in members:
        if not m.filename.lower().endswith(".csv") or PurePosixPath(m.filename).name.startswith("._"):
            continue
        if table_name(m.filename) is None:  # not unpacked at all: only the contract's tables are read
            skipped.append(
                warning(
                    "dataset",
                    None,
                    None,
                    m.filename,
                    said(N_("this file is not a table of the contract and was ignored")),
                )
            )
            continue
        unpacked = unpack(archive, m, budget)
        if isinstance(unpacked, Problem):
            return {}, [unpacked]
        budget -= len(unpacked)
        if budget < 0:
            return {}, [too_big_unpacked(origin)]
        files[m.filename] = unpacked
    return files, skipped


def _megabytes(data: bytes) -> str:
    """A file's size in MB with one decimal, as the language writes it."""
    return i18n.decimal(len(data) / MB, 1)


def read_files(
    files: dict[str, bytes], dataset_name: str, progress: Callable[[str], None] = lambda __: None
) -> RawDataset:
    """Raw tables from named file contents: CSVs, a zip of CSVs, or one .xlsx workbook."""
    problems: list[Problem] = []
    tables: dict[str, RawTable] = {}
    csvs: dict[str, bytes] = {}
    for filename, data in files.items():
        lower = filename.lower()
        if lower.endswith((".zip", ".xlsx")):
            progress(_("Opening {name} ({size} MB)").format(name=PurePosixPath(filename).name, size=_megabytes(data)))
        if lower.endswith(".zip"):
            found, issues = read_zip_bytes(data, filename)
            problems += issues
            csvs.update(found)
        elif lower.endswith(".xlsx"):
            found_tables, issues = read_xlsx_bytes(data, filename)
            problems += issues
            tables.update(found_tables)
        elif lower.endswith(".csv"):
            csvs[filename] = data
        elif not lower.endswith(".json"):
            problems.append(
                warning("dataset", None, None, filename, said(N_("not a .csv, .zip or .xlsx file: ignored")))
            )
    seen: dict[str, str] = {}
    for filename, data in sorted(csvs.items()):
        name = table_name(filename)
        if name is None:
            problems.append(
                warning(
                    "dataset",
                    None,
                    None,
                    filename,
                    said(N_("this file is not a table of the contract and was ignored")),
                )
            )
            continue
        if name in seen or name in tables:
            problems.append(
                error(
                    name,
                    None,
                    None,
                    filename,
                    said(
                        N_("the table is given twice ({first} and {second}): keep one"),
                        first=seen.get(name) or said(N_("workbook")),
                        second=filename,
                    ),
                )
            )
            continue
        seen[name] = filename
        progress(_("Reading {name} ({size} MB)").format(name=PurePosixPath(filename).name, size=_megabytes(data)))
        table, issues = read_csv_bytes(name, filename, data)
        problems += issues
        if table is not None:
            tables[name] = table
    digest = hashlib.sha256()
    for filename in sorted(files):
        digest.update(filename.encode())
        digest.update(hashlib.sha256(files[filename]).digest())
    return RawDataset(dataset_name, tables, tuple(problems), digest.hexdigest()[:16])


def _package_title(folder: Path) -> str | None:
    """The title of a folder's datapackage.json, if it has a readable one (the curated data's does)."""
    try:
        title = json.loads((folder / "datapackage.json").read_text(encoding="utf-8")).get("title")
    except (OSError, ValueError, AttributeError):
        return None
    return title.strip() or None if isinstance(title, str) else None


@dataclass(frozen=True)
class Sources:
    """The files a path stands for, as read_path reads them: their contents by name, and the dataset's name."""

    name: str
    files: dict[str, bytes]


def path_sources(path: str | Path) -> Sources | RawDataset:
    """The files of a folder (its .csv files), or the one file a path names; or the RawDataset of the problem that
    stops the reading (no such path, no .csv file in the folder)."""
    path = Path(path)
    if path.is_dir():
        files = {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.is_file() and p.suffix.lower() == ".csv"}
        if not files:
            return RawDataset(
                path.name,
                {},
                (error("dataset", None, None, str(path), said(N_("the folder holds no .csv files"))),),
                "",
            )
        return Sources(_package_title(path) or path.resolve().name, files)
    if not path.exists():
        problem = error("dataset", None, None, str(path), said(N_("no such file or folder")))
        return RawDataset(path.name, {}, (problem,), "")
    return Sources(path.stem, {path.name: path.read_bytes()})


def read_path(path: str | Path) -> RawDataset:
    """Raw tables from a folder, a .zip, a .xlsx or a single .csv path."""
    sources = path_sources(path)
    return sources if isinstance(sources, RawDataset) else read_files(sources.files, sources.name)
