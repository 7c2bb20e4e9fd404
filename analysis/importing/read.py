"""Reading files as they are downloaded: .csv (`,` `;` or tab), .xlsx workbooks, folders and zips of them. Each
file or sheet is recognised by its header row against an importer's layouts; only the columns a layout names are
kept, as stripped text, indexed by spreadsheet row."""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pandas as pd

from analysis import i18n
from analysis.i18n import N_, _, ngettext
from analysis.importing.report import FileRead
from analysis.load import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_SHARED_STRINGS,
    MAX_UNCOMPRESSED_BYTES,
    MB,
    cell_text,
    open_zip,
    shared_strings,
    table_name,
    too_big_unpacked,
    unpack,
    unpacked_size,
)
from analysis.problems import Number, Problem, error, said

Progress = Callable[[str], None]
PEEK_BYTES = 64 * 1024  # enough for any header line
EXTENSIONS = (".csv", ".xlsx", ".zip")
SEPARATOR_WORDS = {";": N_("semicolon"), ",": N_("comma"), "\t": N_("tab")}
SEPARATED = {";": N_("semicolon-separated"), "\t": N_("tab-separated")}  # a note on a file; commas go without
JOINED_LINES = 5  # a value's line breaks the lenient reader follows, at most


@dataclass(frozen=True)
class Layout:
    """One kind of file: the columns that identify it and the further columns read when present. `names` gives a
    column the name the importer reads it by, where two exports name the same column apart. A `lenient` layout's
    CSV files may have rows cut short by a line break inside a value (keep.eu's partnership CSV): they are read
    line by line, each short row kept and counted."""

    kind: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    names: Mapping[str, str] = field(default_factory=dict)
    lenient: bool = False

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional

    @property
    def read_as(self) -> tuple[str, ...]:
        """The columns as the importer reads them."""
        return tuple(self.names.get(c, c) for c in self.columns)


@dataclass(frozen=True)
class Formats:
    """An importer's files: where they come from (`CORDIS`), their layouts, and why a header is none of them."""

    source: str
    layouts: tuple[Layout, ...]
    not_recognised: Callable[[Sequence[str]], str]

    def recognise(self, header: Sequence[str]) -> Layout | None:
        """The layout a header row belongs to, if any."""
        names = {h.strip() for h in header}
        return next((layout for layout in self.layouts if set(layout.required) <= names), None)


@dataclass(frozen=True)
class Found:
    """One file or sheet recognised: its layout's columns (named as the importer reads them) as stripped text,
    indexed by spreadsheet row; `short` the rows cut short by a line break inside a value."""

    name: str
    layout: Layout
    frame: pd.DataFrame
    short: tuple[int, ...] = ()


def decoded_head(data: bytes) -> tuple[str, str]:
    """(encoding, first line) of a CSV file."""
    head = data[:PEEK_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding, text = "utf-16", head.decode("utf-16", errors="ignore")
    else:
        encoding, text = "utf-8-sig", head.decode("utf-8-sig", errors="replace")
    lines = text.splitlines()
    return encoding, lines[0] if lines else ""


def csv_header(data: bytes) -> tuple[list[str], str, str]:
    """(columns, separator, encoding): the separator is whichever of ; , tab the header line has most of."""
    encoding, line = decoded_head(data)
    separator = max((";", ",", "\t"), key=line.count)
    header = next(csv.reader([line], delimiter=separator), [])
    return [h.strip() for h in header], separator, encoding


def _first_row_too_long(data: bytes, separator: str, encoding: str, width: int) -> bool:
    """Whether the first data row has filled cells beyond the header's width. pandas would take such a row's first
    column as an index and shift every column; empty cells there (a separator at the end of each line) are fine."""
    head = data[:PEEK_BYTES].decode(encoding, errors="replace")
    rows = csv.reader(io.StringIO(head, newline=""), delimiter=separator)
    first = next(rows, None) and next(rows, None)
    return bool(first) and any(cell.strip() for cell in first[width:])


def _not_utf8(layout: Layout, name: str, exc: UnicodeDecodeError) -> Problem:
    why = said(
        N_("the file is not UTF-8 text (byte {byte} cannot be read): save it again as UTF-8, or download it again"),
        byte=exc.start,
    )
    return error(layout.kind, None, None, name, why)


def _read_csv(
    name: str, data: bytes, layout: Layout, header: Sequence[str], separator: str, encoding: str
) -> Found | Problem:
    """The layout's columns of a CSV file as text, or the problem that stops it being read."""
    word = SEPARATOR_WORDS[separator]
    if not layout.lenient and _first_row_too_long(data, separator, encoding, len(header)):
        return error(
            layout.kind,
            2,
            None,
            name,
            said(
                N_(
                    "row 2 has more cells than the header has columns ({columns}): a value probably holds an unquoted "
                    "{word}; put quotes around it, or download the file again"
                ),
                columns=len(header),
                word=said(word),
            ),
        )
    try:
        # Every column is read (only those the mapping uses as text): pandas then refuses a row with more cells than
        # the header, which `usecols` would pass over silently, at about the cost of reading the used ones alone.
        with warnings.catch_warnings():  # a separator at the end of each line is fine: pandas need not say so
            warnings.simplefilter("ignore", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.BytesIO(data),
                sep=separator,
                encoding=encoding,
                dtype=dict.fromkeys(layout.columns, str),
                keep_default_na=False,
                skip_blank_lines=False,  # a blank line is still a spreadsheet row: row numbers stay right
                index_col=False,  # never a first column taken for an index (see _first_row_too_long)
                engine="c",
            )
    except UnicodeDecodeError as exc:
        return _not_utf8(layout, name, exc)
    except (pd.errors.ParserError, ValueError) as exc:
        if layout.lenient:
            return _read_lines(name, data, layout, header, separator, encoding)
        return error(
            layout.kind,
            None,
            None,
            name,
            said(
                N_(
                    "the file cannot be read as {word}-separated CSV ({reason}): a value probably holds an "
                    "unquoted {word} or an unclosed quote near that line; put quotes around it, or download the file "
                    "again"
                ),
                word=said(word),
                reason=str(exc).strip(),
            ),
        )
    if layout.lenient and len(frame) + 1 < len(_lines(data.decode(encoding, errors="replace"))):
        # Values spanning lines: quoted line breaks, or a quote left open by a cut row; only lines tell them apart.
        return _read_lines(name, data, layout, header, separator, encoding)
    frame.columns = [c.strip() for c in frame.columns]
    frame = frame.loc[:, ~frame.columns.duplicated()]
    frame = frame[[c for c in frame.columns if c in layout.columns]].astype(str).fillna("")
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    return Found(name, layout, _named(frame, layout))


def _lines(text: str) -> list[str]:
    lines = re.split(r"\r?\n", text)
    return lines[:-1] if lines and lines[-1] == "" else lines


def _records(text: str, separator: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=False))


def _read_lines(
    name: str, data: bytes, layout: Layout, header: Sequence[str], separator: str, encoding: str
) -> Found | Problem:
    """A CSV file read line by line: a value's line break joins the next line only when that completes the row to
    the header's width; otherwise the row ends there, short, and its missing cells are empty."""
    try:
        lines = _lines(data.decode(encoding))
    except UnicodeDecodeError as exc:
        return _not_utf8(layout, name, exc)
    width = len(header)
    rows, at, short = [], [], []
    i = 1
    while i < len(lines):
        cells = (_records(lines[i], separator) or [[]])[0]
        last = i
        if lines[i].count('"') % 2 and len(cells) < width:
            joined = lines[i]
            for k in range(i + 1, min(i + 1 + JOINED_LINES, len(lines))):
                joined += "\n" + lines[k]
                records = _records(joined, separator)
                if len(records) != 1 or len(records[0]) > width:
                    break
                if len(records[0]) == width:
                    cells, last = records[0], k
                    break
        if 0 < len(cells) < width and any(c.strip() for c in cells):
            short.append(i + 1)
        rows.append([c.strip() for c in cells[:width]] + [""] * (width - len(cells)))
        at.append(i + 1)
        i = last + 1
    frame = pd.DataFrame(rows or None, columns=[h.strip() for h in header], dtype=str)
    frame = frame.loc[:, ~frame.columns.duplicated()]
    frame = frame[[c for c in frame.columns if c in layout.columns]]
    frame.index = pd.Index(at, dtype="int64")
    return Found(name, layout, _named(frame, layout), tuple(short))


def _named(frame: pd.DataFrame, layout: Layout) -> pd.DataFrame:
    return frame.rename(columns=dict(layout.names)) if layout.names else frame


def _read_xlsx(name: str, data: bytes, formats: Formats) -> tuple[list[Found], list[FileRead], list[Problem]]:
    """Every sheet of a workbook that is one of the importer's tables (header on row 1), within the loader's
    workbook limits."""
    from openpyxl import load_workbook

    limit = None
    if (unpacked := unpacked_size(data)) > MAX_UNCOMPRESSED_BYTES:
        limit = said(
            N_("the workbook unpacks to {size} MB, more than {limit} MB: give the CSV files instead"),
            size=unpacked // MB,
            limit=MAX_UNCOMPRESSED_BYTES // MB,
        )
    elif (strings := shared_strings(data)) > MAX_SHARED_STRINGS:
        limit = said(
            N_("the workbook declares {count} distinct texts, more than {limit}: give the CSV files instead"),
            count=Number(strings),
            limit=Number(MAX_SHARED_STRINGS),
        )
    if limit:
        return [], [], [error("workbook", None, None, name, limit)]
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        why = said(N_("the workbook cannot be opened ({reason}); save it again"), reason=str(exc))
        return [], [], [error("workbook", None, None, name, why)]
    found, files, cells = [], [], 0
    too_many = said(N_("the workbook has more than {cells} cells: give the CSV files instead"), cells=Number(MAX_CELLS))
    try:
        for sheet in book.worksheets:
            where = f"{name} [{sheet.title}]"
            rows = sheet.iter_rows(values_only=True)
            header = [cell_text(v).strip() for v in next(rows, ())]
            layout = formats.recognise(header)
            if layout is None:
                files.append(FileRead(where, "", 0, formats.not_recognised(header)))
                continue
            if len(header) > MAX_COLUMNS:
                why = said(N_("the header has more than {limit} columns"), limit=MAX_COLUMNS)
                return [], [], [error(layout.kind, 1, None, where, why)]
            at = {column: i for i, column in reversed(list(enumerate(header))) if column in layout.columns}
            values: dict[str, list[str]] = {column: [] for column in at}
            for row in rows:
                cells += len(row)
                if cells > MAX_CELLS:
                    return [], [], [error("workbook", None, None, where, too_many)]
                for column, i in at.items():
                    values[column].append(cell_text(row[i]).strip() if i < len(row) else "")
            frame = pd.DataFrame(values, dtype=str)
            frame.index = pd.RangeIndex(2, len(frame) + 2)
            found.append(Found(where, layout, _named(frame, layout)))
    finally:
        book.close()
    return found, files, []


def _members(name: str, data: bytes, formats: Formats) -> tuple[list[tuple[str, bytes]], list[FileRead], list[Problem]]:
    """The importer's files in a zip (.csv recognised by their header before they are unpacked, and .xlsx), under
    the loader's archive rules; the rest is named and left packed."""
    archive, members, refused = open_zip(data, name)
    if archive is None:
        return [], [], refused
    out, ignored = [], []
    budget = MAX_UNCOMPRESSED_BYTES
    for m in members:
        shown = f"{name}/{m.filename}"
        lower = m.filename.lower()
        if PurePosixPath(m.filename).name.startswith("._") or not lower.endswith((".csv", ".xlsx")):
            ignored.append(FileRead(shown, "", 0, _("not a .csv or .xlsx file")))
            continue
        if lower.endswith(".csv"):
            head = unpack(archive, m, budget, PEEK_BYTES)
            if isinstance(head, Problem):
                return [], [], [head]
            header = csv_header(head)[0]
            if formats.recognise(header) is None:
                ignored.append(FileRead(shown, "", 0, formats.not_recognised(header)))
                continue
        unpacked = unpack(archive, m, budget)
        if isinstance(unpacked, Problem):
            return [], [], [unpacked]
        budget -= len(unpacked)
        if budget < 0:
            return [], [], [too_big_unpacked(name)]
        out.append((shown, unpacked))
    return out, ignored, []


def read(
    files: Sequence[tuple[str, bytes]], formats: Formats, progress: Progress = lambda __: None
) -> tuple[list[Found], list[FileRead], list[Problem]]:
    """The importer's tables among named files (.csv, .xlsx, or a .zip of them), the files ignored, and what
    blocks."""
    queue = _distinct_names(files)
    found: list[Found] = []
    seen: list[FileRead] = []
    problems: list[Problem] = []
    while queue:
        name, data = queue.pop(0)
        lower = name.lower()
        if lower.endswith(".zip"):
            progress(_("Opening {name} ({size} MB)").format(name=PurePosixPath(name).name, size=_megabytes(data)))
            inside, ignored, refused = _members(name, data, formats)
            queue = inside + queue
            seen += ignored
            problems += refused
        elif lower.endswith(".xlsx"):
            progress(_("Reading {name} ({size} MB)").format(name=PurePosixPath(name).name, size=_megabytes(data)))
            sheets, ignored, refused = _read_xlsx(name, data, formats)
            found += sheets
            seen += ignored + [FileRead(s.name, s.layout.kind, len(s.frame), _short_note(s)) for s in sheets]
            problems += refused
        elif lower.endswith((".csv", ".tsv", ".txt")):
            header, separator, encoding = csv_header(data)
            layout = formats.recognise(header)
            if layout is None:
                seen.append(FileRead(name, "", 0, formats.not_recognised(header)))
                continue
            progress(
                _("Reading {name} ({size} MB, {source} {kind} file)").format(
                    name=PurePosixPath(name).name, size=_megabytes(data), source=formats.source, kind=layout.kind
                )
            )
            got = _read_csv(name, data, layout, header, separator, encoding)
            if isinstance(got, Problem):
                problems.append(got)
                continue
            found.append(got)
            notes = [_(SEPARATED[separator])] if separator in SEPARATED else []
            notes += [_short_note(got)] if got.short else []
            seen.append(FileRead(name, layout.kind, len(got.frame), "; ".join(notes)))
        else:
            seen.append(FileRead(name, "", 0, _("not a .csv, .xlsx or .zip file")))
    return found, seen, problems


def _short_note(found: Found) -> str:
    if not found.short:
        return ""
    return ngettext(
        "{count} row cut short by a line break inside a value: its missing cells are empty",
        "{count} rows cut short by a line break inside a value: their missing cells are empty",
        len(found.short),
    ).format(count=i18n.integer(len(found.short)))


def _megabytes(data: bytes) -> str:
    return i18n.decimal(len(data) / MB, 1)


def _distinct_names(files: Sequence[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Files named apart: two project.csv from two folders become project.csv and project (2).csv, so that each is
    its own source."""
    seen: dict[str, int] = {}
    out = []
    for name, data in files:
        seen[name] = seen.get(name, 0) + 1
        path = PurePosixPath(name)
        out.append((name if seen[name] == 1 else str(path.with_stem(f"{path.stem} ({seen[name]})")), data))
    return out


def headers(files: Sequence[tuple[str, bytes]]) -> Iterator[list[str]]:
    """The header rows of an upload's files, reading no more than headers: a CSV's first line, a zip's CSV members'
    first lines, a workbook's sheets' first rows unless its sheets are named like the contract's tables (then it
    is a contract workbook)."""
    for name, data in files:
        lower = name.lower()
        if lower.endswith(".csv"):
            yield csv_header(data)[0]
        elif lower.endswith(".zip"):
            archive, members, __ = open_zip(data, name)
            for m in members if archive is not None else []:
                if not m.filename.lower().endswith(".csv") or table_name(m.filename):
                    continue
                head = unpack(archive, m, PEEK_BYTES, PEEK_BYTES)
                if not isinstance(head, Problem):
                    yield csv_header(head)[0]
        elif lower.endswith(".xlsx") and not _sheets_named_like_tables(data):
            yield from _sheet_headers(data)


def _sheets_named_like_tables(data: bytes) -> bool:
    """Whether a workbook has a sheet named like a contract table (then it is a contract workbook)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            book = archive.read("xl/workbook.xml").decode("utf-8", errors="replace")
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        return True  # not a readable workbook: the contract's loader explains
    return any(table_name(n) for n in re.findall(r'<sheet[^>]*\bname="([^"]*)"', book))


def _sheet_headers(data: bytes) -> list[list[str]]:
    """The first row of each sheet of a workbook."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a damaged workbook is explained by whichever reader takes it
        return []
    try:
        return [
            [cell_text(v) for v in next(sheet.iter_rows(values_only=True, max_row=1), ())] for sheet in book.worksheets
        ]
    finally:
        book.close()


def files_from_paths(paths: Sequence[str | Path]) -> tuple[list[tuple[str, bytes]], list[Problem]]:
    """The files the command line names: each file itself, each folder's .csv, .xlsx and .zip files."""
    files, problems = [], []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in EXTENSIONS)
            if not inside:
                why = said(N_("the folder holds no .csv, .xlsx or .zip file"))
                problems.append(error("import", None, None, str(path), why))
            files += [(p.name, p.read_bytes()) for p in inside]
        elif path.is_file():
            files.append((path.name, path.read_bytes()))
        else:
            problems.append(error("import", None, None, str(path), said(N_("no such file or folder"))))
    return files, problems
