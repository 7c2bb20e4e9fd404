"""CORDIS as it is downloaded (the European Commission's record of EU research projects) -> a contract dataset.

CORDIS gives two tables per programme: `project.csv` (one row a project) and `organization.csv` (one row an
organisation in a project). Each file is recognised by its columns, whatever its name, separator (`,` or `;`) or
form (.csv, .xlsx, in a folder or a .zip). Projects become actions, organisations organisations, and every row of
the organization file a participation. A row that cannot be mapped is dropped and counted, never guessed; a value
that cannot be mapped is left empty and counted.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import textwrap
import warnings
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd

from analysis import i18n
from analysis.dataset import LoadResult, build
from analysis.dates import DateError, parse_date
from analysis.i18n import N_, _, ngettext
from analysis.load import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_SHARED_STRINGS,
    MAX_UNCOMPRESSED_BYTES,
    MB,
    RawDataset,
    RawTable,
    cell_text,
    open_zip,
    shared_strings,
    table_name,
    too_big_unpacked,
    unpack,
    unpacked_size,
)
from analysis.problems import Number, Problem, error, said
from analysis.reference import NUTS_TO_ISO, is_country, nuts2_country, nuts2_names
from analysis.schema import contract
from analysis.validate import OVER_BUDGET, is_web_address

Progress = Callable[[str], None]
FIRST_ROWS = 5  # of each kind of dropped row or emptied value, the report shows this many
PEEK_BYTES = 64 * 1024  # enough for any CORDIS header line
PROJECT_PAGE = "https://cordis.europa.eu/project/id/"
PUBLISHER = "European Commission, CORDIS"
BUDGET_COLUMN = "ecMaxContribution"
# A participation's money in organization.csv: the EU contribution net of what the participant passes on to its third
# parties (which have rows of their own, so net amounts add up without double counting), the contribution before
# that, and the participant's own eligible cost.
NET_COLUMN = "netEcContribution"
GROSS_COLUMN = "ecContribution"
COST_COLUMN = "totalCost"


# --- The mapping, each table defined once: the code reads these, and so do `--help` and the README. ---


@dataclass(frozen=True)
class Mapped:
    """A CORDIS value, the contract value it becomes, and why when the contract has no exact match."""

    cordis: str
    contract: str
    why: str = ""


ROLES = (
    Mapped("coordinator", "lead"),
    Mapped("participant", "partner"),
    Mapped("beneficiary", "partner"),
    Mapped("associatedPartner", "participant", "nearest: takes part without signing the grant agreement"),
    Mapped("thirdParty", "participant", "nearest: an affiliated entity or third party, taking part via a beneficiary"),
    Mapped("internationalPartner", "participant", "nearest: a partner from a third country, outside the grant"),
    Mapped("partner", "participant", "nearest: a partner organisation that is not a beneficiary"),
)
# A (project, organisation) pair listed twice keeps the first of these roles it has.
ROLE_RANK = ("lead", "partner", "participant")

KINDS = (
    Mapped("HES", "university", "higher or secondary education"),
    Mapped("REC", "research_centre", "research organisation"),
    Mapped("PRC", "company", "private for-profit entity"),
    Mapped("PUB", "public_authority", "public body"),
    Mapped("OTH", "other"),
)
KIND_UNKNOWN = "other"  # an empty or unknown activityType; counted

STATUSES = (
    Mapped("CLOSED", "completed"),
    Mapped("TERMINATED", "cancelled"),
    Mapped("SIGNED", "planned/ongoing/completed", "by its dates on the day of the import, or --as-of"),
)

PROGRAMMES = {"HORIZON": "Horizon Europe", "H2020": "Horizon 2020", "FP7": "FP7"}


@dataclass(frozen=True)
class Layout:
    """One kind of CORDIS file: the columns that identify it and the further columns read when present."""

    kind: str
    required: tuple[str, ...]
    optional: tuple[str, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


PROJECTS = Layout(
    "project",
    ("id", "acronym", "title", "startDate", "endDate"),
    (
        "status",
        "frameworkProgramme",
        "topics",
        "legalBasis",
        "fundingScheme",
        BUDGET_COLUMN,
        "totalCost",
        "contentUpdateDate",
    ),
)
PARTICIPANTS = Layout(
    "organization",
    ("projectID", "organisationID", "name", "country"),
    (
        *("role", "activityType", "city", "nutsCode", "geolocation", "organizationURL", "contentUpdateDate"),
        *(NET_COLUMN, GROSS_COLUMN, COST_COLUMN),
    ),
)
LAYOUTS = (PROJECTS, PARTICIPANTS)


def _statuses() -> str:
    return ", ".join(f"{m.cordis} {m.contract}" + (f" ({m.why})" if m.why else "") for m in STATUSES)


def _pairs(registry: Sequence[Mapped]) -> str:
    return ", ".join(f"{m.cordis} {m.contract}" + (f" ({m.why})" if m.why else "") for m in registry)


def _rules() -> dict[str, tuple[tuple[str, str], ...]]:
    """Contract column -> where it comes from, per table, in words."""
    return {
        "Each project (a row of project.csv) becomes an action of actions.csv": (
            ("action_id", "cordis-<id>-<acronym>, the CORDIS id kept (cordis-101116741-doe)"),
            ("title", "'<acronym>: <title>' (the one given, if the other is empty)"),
            ("kind", "project"),
            (
                "start, end",
                "startDate, endDate at day precision; a project without a readable startDate is dropped; "
                "an endDate missing, unreadable or before the start leaves end empty",
            ),
            ("status", f"from status: {_statuses()}; any other: empty"),
            (
                "budget_eur",
                f"{BUDGET_COLUMN}, the EU's maximum contribution (not totalCost, which CORDIS gives as 0 "
                "for many lump-sum grants); a decimal comma is read",
            ),
            ("participants_count", "the distinct organisations organization.csv lists for the project"),
            (
                "summary",
                "programme (frameworkProgramme), topic (topics), funding scheme, legal basis, the CORDIS "
                "status and totalCost, in words",
            ),
            ("source_ids", "the project's CORDIS page (https://cordis.europa.eu/project/id/<id>) and the project file"),
        ),
        "Each organisation (CORDIS organisationID, one row however many projects) becomes an organisation": (
            ("org_id", "<name>-<organisationID>; the organisation's latest row (contentUpdateDate) gives the values"),
            ("name", "name, as written"),
            ("kind", f"from activityType: {_pairs(KINDS)}; empty or any other: {KIND_UNKNOWN} (counted)"),
            (
                "country",
                "country as ISO 3166-1: "
                + ", ".join(f"{n} read as {i}" for n, i in NUTS_TO_ISO.items())
                + "; an organisation without an ISO country is dropped with its rows",
            ),
            (
                "nuts2",
                "nutsCode reduced to its NUTS-2 code (first four characters) when that is a NUTS 2021 level-2 "
                "code of the organisation's country; else empty (counted)",
            ),
            ("city", "city, as written"),
            ("lat, lon", "geolocation ('lat,lon'); unreadable or out of range: empty (counted)"),
            ("website", "organizationURL when it is an http(s) address; else empty (counted)"),
            ("source_ids", "the organization file"),
        ),
        "Each row of organization.csv becomes a participation of action_participants.csv": (
            (
                "action_id, org_id",
                "its projectID and organisationID; a pair listed twice becomes one participation with the leading role "
                "and the amounts of its rows summed",
            ),
            ("role", f"from role: {_pairs(ROLES)}; any other: empty (counted)"),
            (
                "contribution_eur",
                f"{NET_COLUMN}, the EU contribution the participant keeps (a beneficiary's is net of what it passes "
                f"on to its third parties, which have rows of their own); where it is empty, {GROSS_COLUMN} (counted); "
                "a decimal comma is read; unreadable or negative: empty (counted), never 0",
            ),
            (
                "cost_eur",
                f"{COST_COLUMN} of organization.csv, the participant's eligible cost (CORDIS gives 0 for many "
                "lump-sum grants); unreadable or negative: empty (counted)",
            ),
            ("notes", "the CORDIS role as written"),
            ("source_ids", "the project's CORDIS page and the organization file"),
        ),
        "Sources (sources.csv)": (
            ("the files", "one source per file imported, dated by its latest contentUpdateDate"),
            ("the projects", "one source per project: its CORDIS page"),
        ),
    }


DROP_RULE = (
    "Rows that cannot be mapped are dropped and counted, never guessed: a project row without a numeric id or a "
    "readable startDate, or repeating an id; an organization row without a numeric projectID or organisationID, "
    "whose project is not in the project file (or was dropped), or whose organisation has no name or no ISO "
    "country. agreements.csv and agreement_parties.csv stay empty: CORDIS lists projects, not agreements."
)


def mapping_text(width: int = 100) -> str:
    """The whole mapping in words: printed by `clusternet import cordis --help` and quoted in the README."""
    lines = []
    for heading, rules in _rules().items():
        lines.append(heading + ":")
        for column, rule in rules:
            lines += textwrap.wrap(
                rule, width, initial_indent=f"  {column:<19} ", subsequent_indent=" " * 22, break_on_hyphens=False
            )
    lines += textwrap.wrap(DROP_RULE, width, break_on_hyphens=False)
    return "\n".join(lines)


# --- The import's report. ---


@dataclass(frozen=True)
class Count:
    """Rows dropped, or values left empty, for one reason: how many, and the first few (file, row, what it holds)."""

    what: str
    reason: str
    rows: int
    first: tuple[tuple[str, int, str], ...]


@dataclass(frozen=True)
class FileRead:
    """One file given to the import: what it was recognised as (empty: ignored), its rows, and a note."""

    name: str
    kind: str
    rows: int
    note: str = ""


@dataclass(frozen=True)
class Differing:
    """A project whose participants' contributions differ from its ecMaxContribution by more than 1%."""

    action_id: str
    contributions: float
    budget: float


@dataclass(frozen=True)
class ImportReport:
    """What an import read, kept and dropped (with the reasons), which values it left empty, and the money kept."""

    files: tuple[FileRead, ...] = ()
    read: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    dropped: tuple[Count, ...] = ()
    emptied: tuple[Count, ...] = ()
    narrowing: tuple[str, ...] = ()
    as_of: str = ""
    problems: tuple[Problem, ...] = ()
    contribution_total: float = 0.0  # EUR, the sum of the participations' contribution_eur
    cost_total: float = 0.0  # EUR, the sum of their cost_eur
    without_contribution: int = 0  # participations whose contribution_eur is empty
    differing_projects: int = 0  # projects with a budget_eur and contributions, the two more than 1% apart
    differing_first: tuple[Differing, ...] = ()  # the first few of them

    @property
    def dropped_rows(self) -> int:
        return sum(c.rows for c in self.dropped)

    def lines(self) -> list[str]:
        """The report as the command line prints it."""
        out = [_("Read:")]
        for f in self.files:
            what = file_kind(f.kind, f.rows) if f.kind else _("ignored")
            out.append(f"  {f.name}: {what}" + (f" ({f.note})" if f.note else ""))
        if self.read:
            out.append("  " + counted(self.read))
        if self.narrowing:
            out.append(_("Narrowed to: {what}").format(what="; ".join(self.narrowing)))
        if self.problems:
            out.append(_("Nothing could be imported:"))
            out += [f"  {p.message} [{p.value}]" if p.value else f"  {p.message}" for p in self.problems]
            return out
        out.append(_("Kept: {what}").format(what=counted(self.kept)))
        out += self.money_lines()
        rows = self.dropped_rows
        if self.dropped:
            out.append(ngettext("Dropped: {count} row", "Dropped: {count} rows", rows).format(count=i18n.integer(rows)))
        else:
            out.append(_("Dropped: {count} rows (none)").format(count=i18n.integer(rows)))
        out += _count_lines(self.dropped)
        if self.emptied:
            out.append(_("Left empty or mapped to the nearest value (the rows are kept):"))
            out += _count_lines(self.emptied)
        if self.as_of:
            out.append(
                _(
                    "budget_eur is CORDIS's {column}; the status of SIGNED projects is read by their dates on {day}."
                ).format(column=BUDGET_COLUMN, day=self.as_of)
            )
        return out

    def money_lines(self) -> list[str]:
        """The amounts kept, and how many participations and projects a user may want to check."""
        out = [
            _("Amounts: contribution_eur {contribution} EUR, cost_eur {cost} EUR in total").format(
                contribution=i18n.decimal(self.contribution_total, 2), cost=i18n.decimal(self.cost_total, 2)
            ),
            "  "
            + ngettext(
                "{count} participation without contribution_eur",
                "{count} participations without contribution_eur",
                self.without_contribution,
            ).format(count=i18n.integer(self.without_contribution)),
            "  "
            + ngettext(
                "{count} project whose participants' contribution_eur sum differs by more than {share} from its "
                "{column}",
                "{count} projects whose participants' contribution_eur sums differ by more than {share} from their "
                "{column}",
                self.differing_projects,
            ).format(
                count=i18n.integer(self.differing_projects), share=i18n.percent(OVER_BUDGET), column=BUDGET_COLUMN
            ),
        ]
        out += [
            "      "
            + _("{action}: contributions {contributions} EUR, {column} {budget} EUR").format(
                action=d.action_id,
                contributions=i18n.decimal(d.contributions, 2),
                column=BUDGET_COLUMN,
                budget=i18n.decimal(d.budget, 2),
            )
            for d in self.differing_first
        ]
        return out


def file_kind(kind: str, rows: int) -> str:
    """`CORDIS project file, 42 rows`."""
    return ngettext("CORDIS {kind} file, {count} row", "CORDIS {kind} file, {count} rows", rows).format(
        kind=kind, count=i18n.integer(rows)
    )


def counted(counts: dict[str, int]) -> str:
    """`42 project rows, 42 projects`: the report's counts (their words said when the import was made)."""
    return ", ".join(f"{i18n.integer(n)} {what}" for what, n in counts.items())


def first_row(name: str, row: int, text: str) -> str:
    """`organization.csv row 3: projectID 999, organisationID 900000002`."""
    return _("{file} row {row}: {text}").format(file=name, row=row, text=text)


def _count_lines(counts: Sequence[Count]) -> list[str]:
    out = []
    for c in counts:
        out.append(f"  {i18n.integer(c.rows)} {c.what}: {c.reason}")
        out += [f"      {first_row(name, row, text)}" for name, row, text in c.first]
    return out


class _Tally:
    """Collects the counts of one import, each with its first rows."""

    def __init__(self) -> None:
        self.counts: list[Count] = []

    def add(self, what: str, reason: str, rows: pd.DataFrame, shown: Sequence[str]) -> None:
        if rows.empty:
            return
        head = rows.head(FIRST_ROWS)
        first = tuple(
            (
                str(r["_file"]),
                int(r["_row"]),
                ", ".join(f"{c} {r[c]!s}" if r[c] != "" else _("{column} (empty)").format(column=c) for c in shown),
            )
            for __, r in head.iterrows()
        )
        self.counts.append(Count(what, reason, len(rows), first))


# --- Reading: recognise each file by its header, keep only the columns the mapping uses. ---


@dataclass(frozen=True)
class _Found:
    name: str
    layout: Layout
    frame: pd.DataFrame  # the layout's columns as stripped text, plus _row (the spreadsheet row)


def recognise(header: Sequence[str]) -> Layout | None:
    """The kind of CORDIS file a header row belongs to, if any."""
    names = {h.strip() for h in header}
    return next((layout for layout in LAYOUTS if set(layout.required) <= names), None)


def _not_recognised(header: Sequence[str]) -> str:
    names = {h.strip() for h in header}
    if {"rcn", "reference"} <= names and "id" not in names:
        return _("the 2016 CORDIS layout (reference, not id): download the current files from CORDIS")
    return _(
        "not a CORDIS project or organization file (a project file has {projects}; an organization file has "
        "{organizations})"
    ).format(projects=", ".join(PROJECTS.required), organizations=", ".join(PARTICIPANTS.required))


def _decoded_head(data: bytes) -> tuple[str, str]:
    """(encoding, first line) of a CSV file."""
    head = data[:PEEK_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding, text = "utf-16", head.decode("utf-16", errors="ignore")
    else:
        encoding, text = "utf-8-sig", head.decode("utf-8-sig", errors="replace")
    lines = text.splitlines()
    return encoding, lines[0] if lines else ""


def _csv_header(data: bytes) -> tuple[list[str], str, str]:
    """(columns, separator, encoding): the separator is whichever of ; , tab the header line has most of."""
    encoding, line = _decoded_head(data)
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


SEPARATOR_WORDS = {";": N_("semicolon"), ",": N_("comma"), "\t": N_("tab")}
SEPARATED = {";": N_("semicolon-separated"), "\t": N_("tab-separated")}  # a note on a file; commas go without


def _read_csv(
    name: str, data: bytes, layout: Layout, header: Sequence[str], separator: str, encoding: str
) -> pd.DataFrame | Problem:
    """The layout's columns of a CORDIS CSV file as text, or the problem that stops it being read."""
    word = SEPARATOR_WORDS[separator]
    if _first_row_too_long(data, separator, encoding, len(header)):
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
        return error(
            layout.kind,
            None,
            None,
            name,
            said(
                N_(
                    "the file is not UTF-8 text (byte {byte} cannot be read): save it again as UTF-8, "
                    "or download it again from CORDIS"
                ),
                byte=exc.start,
            ),
        )
    except (pd.errors.ParserError, ValueError) as exc:
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
    frame.columns = [c.strip() for c in frame.columns]
    frame = frame.loc[:, ~frame.columns.duplicated()]
    frame = frame[[c for c in frame.columns if c in layout.columns]].astype(str).fillna("")
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    return frame


def _read_xlsx(name: str, data: bytes) -> tuple[list[_Found], list[FileRead], list[Problem]]:
    """Every sheet of a workbook that is a CORDIS table (header on row 1), within the loader's workbook limits."""
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
    try:
        for sheet in book.worksheets:
            where = f"{name} [{sheet.title}]"
            rows = sheet.iter_rows(values_only=True)
            header = [cell_text(v).strip() for v in next(rows, ())]
            layout = recognise(header)
            if layout is None:
                files.append(FileRead(where, "", 0, _not_recognised(header)))
                continue
            if len(header) > MAX_COLUMNS:
                why = said(N_("the header has more than {limit} columns"), limit=MAX_COLUMNS)
                return [], [], [error(layout.kind, 1, None, where, why)]
            at = {column: i for i, column in reversed(list(enumerate(header))) if column in layout.columns}
            values: dict[str, list[str]] = {column: [] for column in at}
            for row in rows:
                cells += len(row)
                if cells > MAX_CELLS:
                    return (
                        [],
                        [],
                        [
                            error(
                                "workbook",
                                None,
                                None,
                                where,
                                said(
                                    N_("the workbook has more than {cells} cells: give the CSV files instead"),
                                    cells=Number(MAX_CELLS),
                                ),
                            )
                        ],
                    )
                for column, i in at.items():
                    values[column].append(cell_text(row[i]).strip() if i < len(row) else "")
            frame = pd.DataFrame(values, dtype=str)
            frame.index = pd.RangeIndex(2, len(frame) + 2)
            found.append(_Found(where, layout, frame))
    finally:
        book.close()
    return found, files, []


def _members(name: str, data: bytes) -> tuple[list[tuple[str, bytes]], list[FileRead], list[Problem]]:
    """The CORDIS files of a zip (.csv recognised by their header before they are unpacked, and .xlsx), under the
    loader's archive rules; the rest is named and left packed."""
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
            header = _csv_header(head)[0]
            if recognise(header) is None:
                ignored.append(FileRead(shown, "", 0, _not_recognised(header)))
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
    files: Sequence[tuple[str, bytes]], progress: Progress = lambda __: None
) -> tuple[list[_Found], list[FileRead], list[Problem]]:
    """The CORDIS tables among named files (.csv, .xlsx, or a .zip of them), the files ignored, and what blocks."""
    queue = _distinct_names(files)
    found: list[_Found] = []
    seen: list[FileRead] = []
    problems: list[Problem] = []
    while queue:
        name, data = queue.pop(0)
        lower = name.lower()
        if lower.endswith(".zip"):
            progress(_("Opening {name} ({size} MB)").format(name=PurePosixPath(name).name, size=_megabytes(data)))
            inside, ignored, refused = _members(name, data)
            queue = inside + queue
            seen += ignored
            problems += refused
        elif lower.endswith(".xlsx"):
            progress(_("Reading {name} ({size} MB)").format(name=PurePosixPath(name).name, size=_megabytes(data)))
            sheets, ignored, refused = _read_xlsx(name, data)
            found += sheets
            seen += ignored + [FileRead(s.name, s.layout.kind, len(s.frame)) for s in sheets]
            problems += refused
        elif lower.endswith((".csv", ".tsv", ".txt")):
            header, separator, encoding = _csv_header(data)
            layout = recognise(header)
            if layout is None:
                seen.append(FileRead(name, "", 0, _not_recognised(header)))
                continue
            progress(
                _("Reading {name} ({size} MB, CORDIS {kind} file)").format(
                    name=PurePosixPath(name).name, size=_megabytes(data), kind=layout.kind
                )
            )
            frame = _read_csv(name, data, layout, header, separator, encoding)
            if isinstance(frame, Problem):
                problems.append(frame)
                continue
            found.append(_Found(name, layout, frame))
            note = _(SEPARATED[separator]) if separator in SEPARATED else ""
            seen.append(FileRead(name, layout.kind, len(frame), note))
        else:
            seen.append(FileRead(name, "", 0, _("not a .csv, .xlsx or .zip file")))
    return found, seen, problems


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


def recognised(files: Sequence[tuple[str, bytes]]) -> bool:
    """Whether an upload holds CORDIS files (and is to be imported) rather than the contract's tables. Reads only
    headers: a CSV's first line, a zip's members' first lines, a workbook's first rows unless its sheets are named
    like the contract's tables."""
    for name, data in files:
        lower = name.lower()
        if lower.endswith(".csv") and recognise(_csv_header(data)[0]):
            return True
        if lower.endswith(".zip"):
            archive, members, __ = open_zip(data, name)
            for m in members if archive is not None else []:
                if not m.filename.lower().endswith(".csv") or table_name(m.filename):
                    continue
                head = unpack(archive, m, PEEK_BYTES, PEEK_BYTES)
                if not isinstance(head, Problem) and recognise(_csv_header(head)[0]):
                    return True
        if lower.endswith(".xlsx") and not _sheets_named_like_tables(data) and _cordis_sheets(data):
            return True
    return False


def _sheets_named_like_tables(data: bytes) -> bool:
    """Whether a workbook has a sheet named like a contract table (then it is a contract workbook)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            book = archive.read("xl/workbook.xml").decode("utf-8", errors="replace")
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        return True  # not a readable workbook: the contract's loader explains
    return any(table_name(n) for n in re.findall(r'<sheet[^>]*\bname="([^"]*)"', book))


def _cordis_sheets(data: bytes) -> list[str]:
    """Titles of the sheets whose first row is a CORDIS header."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a damaged workbook is explained by whichever reader takes it
        return []
    try:
        return [
            sheet.title
            for sheet in book.worksheets
            if recognise([cell_text(v) for v in next(sheet.iter_rows(values_only=True, max_row=1), ())])
        ]
    finally:
        book.close()


def files_from_paths(paths: Sequence[str | Path]) -> tuple[list[tuple[str, bytes]], list[Problem]]:
    """The files the command line names: each file itself, each folder's .csv, .xlsx and .zip files."""
    files, problems = [], []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in (".csv", ".xlsx", ".zip"))
            if not inside:
                why = said(N_("the folder holds no .csv, .xlsx or .zip file"))
                problems.append(error("import", None, None, str(path), why))
            files += [(p.name, p.read_bytes()) for p in inside]
        elif path.is_file():
            files.append((path.name, path.read_bytes()))
        else:
            problems.append(error("import", None, None, str(path), said(N_("no such file or folder"))))
    return files, problems


# --- Narrowing at import. ---


@dataclass(frozen=True)
class Narrowing:
    """Which projects to import: programmes, topic prefixes, participants' countries, a period of project starts."""

    programmes: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    start_from: str = ""
    start_to: str = ""

    def words(self) -> tuple[str, ...]:
        out = []
        if self.programmes:
            out.append(_("programme {names}").format(names=", ".join(self.programmes)))
        if self.topics:
            out.append(_("topic starting with {names}").format(names=", ".join(self.topics)))
        if self.countries:
            out.append(_("a participant in {names}").format(names=", ".join(self.countries)))
        if self.start_from or self.start_to:
            out.append(_("starting {start} to {end}").format(start=self.start_from or "…", end=self.start_to or "…"))
        return tuple(out)


def narrowing(
    programmes: Sequence[str] = (),
    topics: Sequence[str] = (),
    countries: Sequence[str] = (),
    start_from: str | None = None,
    start_to: str | None = None,
) -> tuple[Narrowing, list[str]]:
    """Narrowing from the command line's words (lists may be comma-separated), and what cannot be used."""

    def items(values: Sequence[str]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.strip() for value in values for v in value.split(",") if v.strip()))

    refused = []
    codes = []
    for code in items(countries):
        iso = NUTS_TO_ISO.get(code.upper(), code.upper())
        if is_country(iso):
            codes.append(iso)
        else:
            refused.append(_("--country {code} (not an ISO 3166-1 alpha-2 code)").format(code=code))
    bounds = []
    for option, value in (("--from", start_from), ("--to", start_to)):
        try:
            bounds.append(parse_date(value) if value else None)
        except DateError as exc:
            refused.append(f"{option} {value} ({exc})")
            bounds.append(None)
    first, last = bounds
    if first and last and last.last < first.first:
        refused.append(_("--to {end} is before --from {start}").format(end=start_to, start=start_from))
    chosen = Narrowing(
        tuple(p.upper() for p in items(programmes)),
        tuple(t.upper() for t in items(topics)),
        tuple(codes),
        first.first.isoformat() if first else "",
        last.last.isoformat() if last else "",
    )
    return chosen, refused


# --- The conversion. ---


@dataclass(frozen=True)
class Conversion:
    """The contract's tables as text (None when nothing could be imported) and the import's report."""

    tables: dict[str, pd.DataFrame] | None
    report: ImportReport


def _quiet(__: str) -> None:
    """No one to tell how far the import got."""


def _together(found: Sequence[_Found], layout: Layout) -> pd.DataFrame:
    """All files of one kind in one frame, with every column of the layout, the file and the spreadsheet row."""
    frames = []
    for f in found:
        if f.layout is not layout:
            continue
        frame = f.frame.reindex(columns=list(layout.columns), fill_value="")
        frame = frame.apply(lambda s: s.astype(str).str.strip())
        frame["_file"] = f.name
        frame["_row"] = frame.index
        frames.append(frame.reset_index(drop=True))
    if not frames:
        return pd.DataFrame(columns=[*layout.columns, "_file", "_row"], dtype=str)
    out = pd.concat(frames, ignore_index=True)
    blank = (out[list(layout.columns)] == "").all(axis=1)  # blank lines: spreadsheet rows, but no data
    return out[~blank]


def _per_value(values: pd.Series, compute: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """`compute` once per distinct value, spread back over `values`: CORDIS repeats its dates, codes and countries
    thousands of times."""
    distinct = pd.Series(values.unique())
    computed = pd.Series(np.asarray(compute(distinct)), index=distinct.to_numpy())
    return pd.Series(computed.reindex(values.to_numpy()).to_numpy(), index=values.index)


def _days(values: pd.Series) -> pd.Series:
    day = values.str.extract(r"^(\d{4}-\d{2}-\d{2})(?:[ T][0-9:.+Z-]*)?$", expand=False).fillna("")
    real = pd.to_datetime(day, format="%Y-%m-%d", errors="coerce").notna()
    return day.where(real, "")


def _day(values: pd.Series) -> pd.Series:
    """YYYY-MM-DD of a CORDIS date (a time after it is dropped), or '' when it is no real date."""
    return _per_value(values, _days).astype(str)


def _amount(values: pd.Series) -> pd.Series:
    """Euro amounts as CORDIS writes them (a decimal comma or point) as floats; NaN when empty, unreadable or < 0."""
    text = values.where(values.str.contains(".", regex=False), values.str.replace(",", ".", regex=False))
    number = pd.to_numeric(text, errors="coerce").astype("float64")
    return number.where((number >= 0) & np.isfinite(number))  # 'inf' and '1e400' read as numbers: no amount


def _number_text(values: pd.Series) -> pd.Series:
    """Floats as the contract writes numbers: 1499998, 2499638.25; '' for NaN."""
    whole = values.notna() & (values == np.floor(values))
    text = values.astype(str)
    text = text.where(~whole, values.where(whole, 0).astype("int64").astype(str))
    return text.where(values.notna(), "")


def _slug(values: pd.Series, width: int) -> pd.Series:
    """Lower-case ASCII letters and digits joined by hyphens, at most `width` characters."""
    slug = values.str.normalize("NFKD").str.lower().str.replace(r"[^a-z0-9]+", "-", regex=True).str.strip("-")
    return slug.str.slice(0, width).str.rstrip("-")


def _when(condition: pd.Series, text: pd.Series | str) -> pd.Series:
    """`text` where `condition` holds, '' elsewhere."""
    if isinstance(text, str):
        text = pd.Series(text, index=condition.index)
    return text.where(condition, "")


# What the report counts rows of (said when the import is made, in the language spoken then).
PROJECT_ROWS = N_("project rows")
ORGANIZATION_ROWS = N_("organization rows")
# Why a NUTS code gives no nuts2 (the converted dataset's notes keep the English words, as dataset text).
NUTS_REASONS = {
    "is only the country level": N_("nutsCode is only the country level: nuts2 left empty"),
    "is not a NUTS 2021 code": N_("nutsCode is not a NUTS 2021 code: nuts2 left empty"),
    "lies in another country": N_("nutsCode lies in another country: nuts2 left empty"),
}
NUMERIC_ID = r"[0-9]{1,18}"  # CORDIS ids are numbers (a PIC has 9 digits); 18 digits still fit an int64


class _Import:
    """One conversion, step by step; each step drops or empties what it cannot map, and counts it. Projects and
    organisations are joined on their ids as integers (`key`, `pkey`, `okey`), which pandas hashes fast."""

    def __init__(self, found: Sequence[_Found], only: Narrowing, as_of: date, progress: Progress) -> None:
        self.found = found
        self.only = only
        self.as_of = as_of.isoformat()
        self.progress = progress
        self.dropped = _Tally()
        self.emptied = _Tally()
        self.projects = _together(found, PROJECTS)
        self.rows = _together(found, PARTICIPANTS)
        self.sources = self._file_sources()
        # the report's fields on the amounts, known once run
        self.money: dict[str, float | int | tuple[Differing, ...]] = {}

    def _file_sources(self) -> dict[str, str]:
        """File -> its source_id (cordis-project-file, cordis-organization-file, numbered when several)."""
        out = {}
        for layout in LAYOUTS:
            names = [f.name for f in self.found if f.layout is layout]
            for i, name in enumerate(names, start=1):
                out[name] = f"cordis-{layout.kind}-file" + (f"-{i}" if len(names) > 1 else "")
        return out

    def read_counts(self) -> dict[str, int]:
        p, r = self.projects, self.rows
        given = r[(r["projectID"] != "") & (r["organisationID"] != "")]
        return {
            _(PROJECT_ROWS): len(p),
            _("projects"): int(p.loc[p["id"] != "", "id"].nunique()),
            _(ORGANIZATION_ROWS): len(r),
            _("organisations"): int(r.loc[r["organisationID"] != "", "organisationID"].nunique()),
            _("(project, organisation) pairs"): len(given[["projectID", "organisationID"]].drop_duplicates()),
        }

    def drop(self, what: str, frame: pd.DataFrame, mask: pd.Series, reason: str, shown: Sequence[str]) -> pd.DataFrame:
        """Drop the rows of `mask`, counted under `what` (a catalogue message) for `reason` (said already)."""
        if not mask.any():  # the usual case: no copy of a table of 180,000 rows
            return frame
        self.dropped.add(_(what), reason, frame[mask], shown)
        return frame[~mask]

    # Projects.

    def clean_projects(self) -> pd.DataFrame:
        p, shown = self.projects, ("id", "acronym")
        p = self.drop(PROJECT_ROWS, p, ~p["id"].str.fullmatch(NUMERIC_ID), _("no numeric CORDIS id"), shown)
        p = p.assign(key=p["id"].astype("int64"), start=_day(p["startDate"]), end=_day(p["endDate"]))
        p = p.assign(id=p["key"].astype(str))  # one spelling of a number (no leading zeros)
        p = self.drop(PROJECT_ROWS, p, p["start"] == "", _("no readable startDate (YYYY-MM-DD)"), (*shown, "startDate"))
        return self.drop(PROJECT_ROWS, p, p["key"].duplicated(), _("the id is repeated: the first row was kept"), shown)

    def narrow_projects(self, p: pd.DataFrame) -> pd.DataFrame:
        only, shown = self.only, ("id", "acronym")
        if only.programmes:
            outside = ~p["frameworkProgramme"].str.upper().isin(only.programmes)
            reason = _("not of --programme {names}").format(names=", ".join(only.programmes))
            p = self.drop(PROJECT_ROWS, p, outside, reason, (*shown, "frameworkProgramme"))
        if only.topics:
            outside = ~p["topics"].str.upper().str.startswith(only.topics)
            reason = _("no topic starting with --topic {names}").format(names=", ".join(only.topics))
            p = self.drop(PROJECT_ROWS, p, outside, reason, (*shown, "topics"))
        if only.start_from:
            reason = _("starts before --from {day}").format(day=only.start_from)
            p = self.drop(PROJECT_ROWS, p, p["start"] < only.start_from, reason, (*shown, "startDate"))
        if only.start_to:
            reason = _("starts after --to {day}").format(day=only.start_to)
            p = self.drop(PROJECT_ROWS, p, p["start"] > only.start_to, reason, (*shown, "startDate"))
        return p

    # Participation rows and their organisations.

    def clean_rows(self, kept: pd.Series) -> pd.DataFrame:
        r, shown = self.rows, ("projectID", "organisationID")
        r = self.drop(ORGANIZATION_ROWS, r, ~r["projectID"].str.fullmatch(NUMERIC_ID), _("no numeric projectID"), shown)
        no_org = ~r["organisationID"].str.fullmatch(NUMERIC_ID)
        r = self.drop(ORGANIZATION_ROWS, r, no_org, _("no numeric organisationID"), shown)
        r = r.assign(pkey=r["projectID"].astype("int64"), okey=r["organisationID"].astype("int64"))
        r = r.assign(projectID=r["pkey"].astype(str), organisationID=r["okey"].astype(str))
        ids = self.projects["id"]
        listed = ids[ids.str.fullmatch(NUMERIC_ID)].astype("int64")
        r = self.drop(
            ORGANIZATION_ROWS,
            r,
            ~r["pkey"].isin(listed),
            _("its project is not in the project file"),
            shown,
        )
        return self.drop(
            ORGANIZATION_ROWS, r, ~r["pkey"].isin(kept), _("its project was dropped (see the project rows)"), shown
        )

    def organisations(self, r: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(rows whose organisation can be mapped, one row per organisation: its latest record)."""
        # Sorted by the keys alone, then one take: sorting the whole table moves every text column twice.
        keys = pd.DataFrame(
            {"okey": r["okey"].to_numpy(), "updated": r["contentUpdateDate"].to_numpy(), "at": np.arange(len(r))}
        )
        keys = keys.sort_values(["okey", "updated", "at"], ascending=[True, False, True])
        orgs = r.iloc[np.sort(keys.drop_duplicates("okey")["at"].to_numpy())]
        iso = _per_value(orgs["country"].str.upper(), lambda c: c.map(lambda v: NUTS_TO_ISO.get(v, v)))
        valid = _per_value(iso, lambda c: c.map(is_country)).astype(bool)
        orgs = orgs.assign(iso=iso.astype(str))
        shown = ("organisationID", "name", "country")
        unnamed = orgs["name"] == ""
        r = self.drop(
            ORGANIZATION_ROWS, r, r["okey"].isin(orgs.loc[unnamed, "okey"]), _("its organisation has no name"), shown
        )
        stateless = ~unnamed & ~valid
        r = self.drop(
            ORGANIZATION_ROWS,
            r,
            r["okey"].isin(orgs.loc[stateless, "okey"]),
            _("its organisation has no ISO 3166-1 country"),
            shown,
        )
        return r, orgs[~unnamed & valid]

    def narrow_by_country(self, p: pd.DataFrame, r: pd.DataFrame, orgs: pd.DataFrame) -> tuple[pd.DataFrame, ...]:
        if not self.only.countries:
            return p, r
        local = orgs.loc[orgs["iso"].isin(self.only.countries), "okey"]
        with_local = r.loc[r["okey"].isin(local), "pkey"].unique()
        words = ", ".join(self.only.countries)
        p = self.drop(
            PROJECT_ROWS,
            p,
            ~p["key"].isin(with_local),
            _("no participant in --country {codes}").format(codes=words),
            ("id", "acronym"),
        )
        r = self.drop(
            ORGANIZATION_ROWS,
            r,
            ~r["pkey"].isin(with_local),
            _("its project has no participant in --country {codes}").format(codes=words),
            ("projectID", "organisationID"),
        )
        return p, r

    def pairs(self, r: pd.DataFrame) -> pd.DataFrame:
        """One row per (project, organisation): the one with the leading role, in the file's order."""
        roles = {m.cordis: m.contract for m in ROLES}
        mapped = _per_value(r["role"], lambda v: v.map(roles).fillna("")).astype(str)
        rank = _per_value(mapped, lambda v: v.map({role: i for i, role in enumerate(ROLE_RANK)}).fillna(9))
        r = r.assign(mapped=mapped)
        pkey, okey = r["pkey"].to_numpy(), r["okey"].to_numpy()
        order = np.lexsort((np.arange(len(r)), rank.to_numpy(), okey, pkey))  # the last key sorts first
        repeated = np.zeros(len(r), dtype=bool)
        repeated[order[1:]] = (pkey[order[1:]] == pkey[order[:-1]]) & (okey[order[1:]] == okey[order[:-1]])
        if repeated.any():
            self.dropped.add(
                _(ORGANIZATION_ROWS),
                _("the (project, organisation) pair is listed again: one participation kept, with the leading role"),
                r[repeated],
                ("projectID", "organisationID", "role"),
            )
            return _summed(r, r[~repeated])
        return r

    def amounts(self, r: pd.DataFrame) -> pd.DataFrame:
        """Each row's `contribution` (netEcContribution, else ecContribution) and `cost` (totalCost) in EUR; NaN when
        not given. An amount that cannot be read is left empty and counted, never read as 0."""
        shown = ("projectID", "organisationID")
        net, gross, cost = _amount(r[NET_COLUMN]), _amount(r[GROSS_COLUMN]), _amount(r[COST_COLUMN])
        no_net = r[NET_COLUMN] == ""
        for column, amount, read, target in (
            (NET_COLUMN, net, ~no_net, "contribution_eur"),
            (GROSS_COLUMN, gross, no_net, "contribution_eur"),  # read only in place of an empty net amount
            (COST_COLUMN, cost, pd.Series(True, index=r.index), "cost_eur"),
        ):
            self.emptied.add(
                _("participations"),
                _("{column} is not an amount (unreadable or negative): {target} left empty").format(
                    column=column, target=target
                ),
                r[read & (r[column] != "") & amount.isna()],
                (*shown, column),
            )
        self.emptied.add(
            _("participations"),
            _("{gross} used, {net} empty").format(gross=GROSS_COLUMN, net=NET_COLUMN),
            r[no_net & gross.notna()],
            (*shown, GROSS_COLUMN),
        )
        return r.assign(contribution=net.where(~no_net, gross), cost=cost)

    # The contract's tables.

    def actions(self, p: pd.DataFrame, listed: pd.Series) -> pd.DataFrame:
        shown = ("id", "acronym")
        ends_early = (p["end"] != "") & (p["end"] < p["start"])
        self.emptied.add(
            _("projects"), _("endDate missing or unreadable: end left empty"), p[p["end"] == ""], (*shown, "endDate")
        )
        self.emptied.add(
            _("projects"),
            _("endDate before startDate: end left empty"),
            p[ends_early],
            (*shown, "startDate", "endDate"),
        )
        end = p["end"].where(~ends_early, "")
        status = self._status(p, end)
        budget = _amount(p[BUDGET_COLUMN])
        self.emptied.add(
            _("projects"),
            _("{column} empty or not an amount: budget_eur left empty").format(column=BUDGET_COLUMN),
            p[budget.isna()],
            (*shown, BUDGET_COLUMN),
        )
        acronym, title = p["acronym"], p["title"]
        untitled = (acronym == "") & (title == "")
        self.emptied.add(_("projects"), _("no acronym and no title: titled 'CORDIS project <id>'"), p[untitled], shown)
        both = (acronym != "") & (title != "")
        slug = _slug(acronym, 40)
        count = p["key"].map(listed).fillna(0).astype("int64")
        return pd.DataFrame(
            {
                "action_id": "cordis-" + p["id"] + _when(slug != "", "-" + slug),
                "title": (acronym + ": " + title).where(
                    both, (acronym + title).where(~untitled, "CORDIS project " + p["id"])
                ),
                "kind": "project",
                "start": p["start"],
                "end": end,
                "status": status,
                "participants_count": count.astype(str).where(count > 0, ""),
                "budget_eur": _number_text(budget),
                "summary": self._summary(p, status, budget),
                "source_ids": "cordis-project-" + p["id"] + ";" + p["_file"].map(self.sources),
            }
        )

    def _status(self, p: pd.DataFrame, end: pd.Series) -> pd.Series:
        given = p["status"].str.upper()
        fixed = {m.cordis: m.contract for m in STATUSES if m.cordis != "SIGNED"}
        by_dates = np.where(
            p["start"] > self.as_of, "planned", np.where((end != "") & (end < self.as_of), "completed", "ongoing")
        )
        status = pd.Series(np.where(given == "SIGNED", by_dates, given.map(fixed).fillna("")), index=p.index)
        known = [m.cordis for m in STATUSES]
        self.emptied.add(
            _("projects"),
            _("status empty or not {values}: status left empty").format(values=", ".join(known)),
            p[~given.isin(known)],
            ("id", "acronym", "status"),
        )
        return status.astype(str)

    def _summary(self, p: pd.DataFrame, status: pd.Series, budget: pd.Series) -> pd.Series:
        """A project's programme, topic, status and money in words."""
        programme = p["frameworkProgramme"]
        name = programme.str.upper().map(PROGRAMMES).fillna(programme).astype(str)
        head = (name + " (" + programme + ") project").where(name != programme, _when(name != "", name + " project"))
        head = head.where(head != "", "CORDIS project")
        given = p["status"].str.upper()
        total = _number_text(_amount(p["totalCost"]))
        return (
            head
            + _when(p["topics"] != "", ", topic " + p["topics"])
            + _when(p["fundingScheme"] != "", ", funding scheme " + p["fundingScheme"])
            + _when(p["legalBasis"] != "", ", legal basis " + p["legalBasis"])
            + "."
            + _when(given == "SIGNED", " CORDIS status SIGNED: " + status + " by its dates on " + self.as_of + ".")
            + _when((given != "SIGNED") & (given != ""), " CORDIS status " + given + ".")
            + _when(budget.notna(), f" budget_eur is CORDIS's {BUDGET_COLUMN} (the EU's maximum contribution).")
            + _when(total != "", " Total cost EUR " + total + ".")
        )

    def organisation_table(self, orgs: pd.DataFrame) -> pd.DataFrame:
        shown = ("organisationID", "name")
        kinds = {m.cordis: m.contract for m in KINDS}
        kind = orgs["activityType"].str.upper().map(kinds)
        self.emptied.add(
            _("organisations"),
            _("activityType empty or unknown: kind {kind}").format(kind=KIND_UNKNOWN),
            orgs[kind.isna()],
            (*shown, "activityType"),
        )
        nuts2, why = _nuts2(orgs["nutsCode"], orgs["iso"])
        for reason in dict.fromkeys(why[why != ""]):
            self.emptied.add(
                _("organisations"),
                _(NUTS_REASONS[reason]),
                orgs[why == reason],
                (*shown, "country", "nutsCode"),
            )
        lat, lon = _coordinates(orgs["geolocation"])
        unreadable = (orgs["geolocation"] != "") & (lat == "")
        self.emptied.add(
            _("organisations"),
            _("geolocation empty: lat and lon left empty"),
            orgs[orgs["geolocation"] == ""],
            shown,
        )
        self.emptied.add(
            _("organisations"),
            _("geolocation is not 'lat,lon' within range: lat and lon left empty"),
            orgs[unreadable],
            (*shown, "geolocation"),
        )
        url = orgs["organizationURL"]
        # Only an address that starts like one is parsed: the validator's own rule decides.
        web = url.str.match(r"(?i)https?://").fillna(False).astype(bool)
        web[web] = url[web].map(is_web_address).astype(bool)
        not_web = (url != "") & ~web
        self.emptied.add(
            _("organisations"),
            _("organizationURL is not an http(s) address: website left empty"),
            orgs[not_web],
            (*shown, "organizationURL"),
        )
        name_slug = _slug(orgs["name"], 40)
        notes = (
            "CORDIS organisationID "
            + orgs["organisationID"]
            + "; "
            + ("activityType " + orgs["activityType"]).where(orgs["activityType"] != "", "no activityType")
            + _when(why != "", "; nutsCode " + orgs["nutsCode"] + " " + why + ": nuts2 left empty")
            + _when(unreadable, "; geolocation " + orgs["geolocation"] + " unreadable: lat and lon left empty")
            + _when(not_web, "; organizationURL " + url + " is not an http(s) address: website left empty")
        )
        return pd.DataFrame(
            {
                "org_id": (name_slug + "-").where(name_slug != "", "org-") + orgs["organisationID"],
                "name": orgs["name"],
                "kind": kind.fillna(KIND_UNKNOWN),
                "country": orgs["iso"],
                "nuts2": nuts2,
                "city": orgs["city"],
                "lat": lat,
                "lon": lon,
                "website": url.where(web, ""),
                "source_ids": orgs["_file"].map(self.sources),
                "notes": notes,
            }
        )

    def participation_table(self, r: pd.DataFrame, action_ids: pd.Series, org_ids: pd.Series) -> pd.DataFrame:
        known = [m.cordis for m in ROLES]
        self.emptied.add(
            _("participations"),
            _("role empty or not {values}: role left empty").format(values=", ".join(known)),
            r[~r["role"].isin(known)],
            ("projectID", "organisationID", "role"),
        )
        return pd.DataFrame(
            {
                "action_id": r["pkey"].map(action_ids),
                "org_id": r["okey"].map(org_ids),
                "role": r["mapped"],
                "contribution_eur": _number_text(r["contribution"]),
                "cost_eur": _number_text(r["cost"]),
                "source_ids": "cordis-project-" + r["projectID"] + ";" + r["_file"].map(self.sources),
                "notes": ("CORDIS role " + r["role"]).where(r["role"] != "", "CORDIS gives no role"),
            }
        )

    def source_table(self, p: pd.DataFrame) -> pd.DataFrame:
        files = []
        for f in sorted(self.found, key=lambda f: LAYOUTS.index(f.layout)):  # project files first, in any order given
            rows = self.projects if f.layout is PROJECTS else self.rows
            updated = _latest_date(rows.loc[rows["_file"] == f.name, "contentUpdateDate"])
            files.append(
                {
                    "source_id": self.sources[f.name],
                    "title": f"CORDIS {f.layout.kind} file {PurePosixPath(f.name).name}"
                    + (f", records updated up to {updated}" if updated else "")
                    + f"; imported {self.as_of}",
                    "publisher": PUBLISHER,
                    "published_on": updated,
                    "language": "en",
                }
            )
        pages = pd.DataFrame(
            {
                "source_id": "cordis-project-" + p["id"],
                "title": "CORDIS project page: "
                + p["acronym"].where(p["acronym"] != "", p["id"])
                + " (project "
                + p["id"]
                + ")",
                "url": PROJECT_PAGE + p["id"],
                "publisher": PUBLISHER,
                "language": "en",
            }
        )
        return pd.concat([pd.DataFrame(files), pages], ignore_index=True)

    def run(self) -> dict[str, pd.DataFrame]:
        self.progress(
            _("Mapping {projects} projects and {rows} participation rows").format(
                projects=i18n.integer(len(self.projects)), rows=i18n.integer(len(self.rows))
            )
        )
        p = self.narrow_projects(self.clean_projects())
        r = self.clean_rows(p["key"])
        r, orgs = self.organisations(r)
        p, r = self.narrow_by_country(p, r, orgs)
        r = self.pairs(self.amounts(r))
        orgs = orgs[orgs["okey"].isin(r["okey"].unique())]
        listed = self._listed()
        actions = self.actions(p, listed)
        organisations = self.organisation_table(orgs)
        action_ids = pd.Series(actions["action_id"].to_numpy(), index=p["key"].to_numpy())
        participants = self.participation_table(
            r, action_ids, pd.Series(organisations["org_id"].to_numpy(), index=orgs["okey"].to_numpy())
        )
        differing = _differing(p, r, action_ids)
        self.money = {
            "contribution_total": float(r["contribution"].sum()),
            "cost_total": float(r["cost"].sum()),
            "without_contribution": int(r["contribution"].isna().sum()),
            "differing_projects": len(differing),
            "differing_first": tuple(differing[:FIRST_ROWS]),
        }
        tables = {
            "organisations": organisations,
            "agreements": pd.DataFrame(),
            "agreement_parties": pd.DataFrame(),
            "actions": actions,
            "action_participants": participants,
            "sources": self.source_table(p),
        }
        return {name: _contract_frame(name, frame) for name, frame in tables.items()}

    def _listed(self) -> pd.Series:
        """Project key -> how many distinct organisations the organization file lists for it."""
        r = self.rows
        numeric = r["projectID"].str.fullmatch(NUMERIC_ID) & r["organisationID"].str.fullmatch(NUMERIC_ID)
        keys = r.loc[numeric, ["projectID", "organisationID"]].astype("int64")
        return keys.groupby("projectID")["organisationID"].nunique()


def _summed(rows: pd.DataFrame, kept: pd.DataFrame) -> pd.DataFrame:
    """The kept row of each (project, organisation) pair with the amounts of all its rows summed: no money is lost
    with the rows merged into it. A sum is empty only when all its amounts are."""
    groups = rows[["pkey", "okey", "contribution", "cost"]].groupby(["pkey", "okey"], sort=False)
    sums = groups.sum(min_count=1)
    merged = groups.size() > 1
    # CORDIS gives cents: a sum is written 0.3, not 0.1 + 0.2 = 0.30000000000000004
    sums.loc[merged] = sums.loc[merged].round(2)
    at = pd.MultiIndex.from_arrays([kept["pkey"], kept["okey"]])
    return kept.assign(
        contribution=sums["contribution"].reindex(at).to_numpy(), cost=sums["cost"].reindex(at).to_numpy()
    )


def _differing(p: pd.DataFrame, r: pd.DataFrame, action_ids: pd.Series) -> list[Differing]:
    """Projects with both an ecMaxContribution and participants' contributions, the sum more than 1% away from it."""
    budget = pd.Series(_amount(p[BUDGET_COLUMN]).to_numpy(), index=p["key"].to_numpy())
    sums = r["contribution"].groupby(r["pkey"].to_numpy()).sum(min_count=1).reindex(budget.index)
    both = budget.notna() & sums.notna()
    apart = both & ((sums - budget).abs() > OVER_BUDGET * budget)
    return [Differing(action_ids[k], float(sums[k]), float(budget[k])) for k in budget.index[apart]]


def _latest_date(values: pd.Series) -> str:
    """The day of a file's latest contentUpdateDate: how recent its records are."""
    days = _day(pd.Series(values.unique()))
    days = days[days != ""]
    return days.max() if len(days) else ""


def _nuts2(codes: pd.Series, countries: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(NUTS-2 code or '', why it is empty or ''): the first four characters of a NUTS code, if a NUTS 2021
    level-2 code of the organisation's own country."""
    known = nuts2_names()
    code = codes.str.upper()
    region = code.str.slice(0, 4)
    in_list = region.isin(list(known))
    region_country = _per_value(region, lambda v: v.map(lambda c: nuts2_country(c) if len(c) == 4 else ""))
    ok = in_list & (region_country == countries)
    why = np.select(
        [codes == "", code.str.len() < 4, ~in_list, region_country != countries],
        ["", "is only the country level", "is not a NUTS 2021 code", "lies in another country"],
        default="",
    )
    why = pd.Series(why, index=codes.index).where(~ok, "").astype(str)
    return region.where(ok, ""), why


def _coordinates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(lat, lon) as written in CORDIS's `geolocation` ('52.41,16.91'), '' when unreadable or out of range."""
    parts = values.str.extract(r"^\(?\s*([-+]?\d+(?:\.\d+)?)\s*[,;]\s*([-+]?\d+(?:\.\d+)?)\s*\)?$").fillna("")
    lat, lon = parts[0], parts[1]
    numbers = pd.to_numeric(lat, errors="coerce"), pd.to_numeric(lon, errors="coerce")
    ok = numbers[0].abs().le(90) & numbers[1].abs().le(180)
    return lat.where(ok, ""), lon.where(ok, "")


def _contract_frame(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A table with the contract's columns in order, every cell text, indexed by spreadsheet row."""
    columns = list(contract()[name].columns)
    out = frame.reindex(columns=columns, fill_value="").astype(object).fillna("")
    out.index = pd.RangeIndex(2, len(out) + 2, name="row")
    return out


def convert(
    files: Sequence[tuple[str, bytes]],
    only: Narrowing = Narrowing(),
    as_of: date | None = None,
    progress: Progress = _quiet,
) -> Conversion:
    """CORDIS files (name, content) -> the contract's tables as text, and the report of what was kept and dropped.
    `as_of` (default today) is the day SIGNED projects' status is read by their dates."""
    as_of = as_of or date.today()
    found, seen, problems = read(files, progress)
    kinds = {f.layout.kind for f in found}
    unreadable = bool(problems)  # a file that could not be read may be the missing one: say only that
    for layout in LAYOUTS:
        if layout.kind not in kinds and not unreadable:
            problems.append(
                error(
                    layout.kind,
                    None,
                    None,
                    ", ".join(PurePosixPath(n).name for n, __ in files) or said(N_("no files")),
                    said(
                        N_(
                            "no CORDIS {kind} file was found: add {kind}.csv (its header has {columns}) as it is "
                            "downloaded from CORDIS"
                        ),
                        kind=layout.kind,
                        columns=", ".join(layout.required),
                    ),
                )
            )
    if problems:
        return Conversion(None, ImportReport(files=tuple(seen), problems=tuple(problems), narrowing=only.words()))
    job = _Import(found, only, as_of, progress)
    read_counts = job.read_counts()
    tables = job.run()
    report = ImportReport(
        files=tuple(seen),
        read=read_counts,
        kept={
            _("actions (projects)"): len(tables["actions"]),
            _("organisations"): len(tables["organisations"]),
            _("participations"): len(tables["action_participants"]),
        },
        dropped=tuple(job.dropped.counts),
        emptied=tuple(job.emptied.counts),
        narrowing=only.words(),
        as_of=job.as_of,
        **job.money,
    )
    return Conversion(tables, report)


def raw_dataset(done: Conversion, files: Sequence[tuple[str, bytes]], name: str, only: Narrowing) -> RawDataset:
    """A conversion's tables as the loader reads a dataset, fingerprinted by the files and the choices made."""
    if done.tables is None:
        raise ValueError("the conversion made no tables")
    digest = hashlib.sha256(repr((only, done.report.as_of)).encode())
    for filename, data in files:
        digest.update(filename.encode())
        digest.update(hashlib.sha256(data).digest())
    tables = {t: RawTable(t, frame, f"{name} ({t}, converted from CORDIS)") for t, frame in done.tables.items()}
    return RawDataset(name, tables, (), digest.hexdigest()[:16])


def load(
    files: Sequence[tuple[str, bytes]],
    name: str,
    only: Narrowing = Narrowing(),
    as_of: date | None = None,
    progress: Progress = _quiet,
) -> LoadResult:
    """Convert CORDIS files and load the result as any dataset is loaded (validated, typed), with the report."""
    done = convert(files, only, as_of, progress)
    if done.tables is None:
        return LoadResult(None, done.report.problems, done.report)
    return replace(build(raw_dataset(done, files, name, only), progress), imported=done.report)
