"""CORDIS as it is downloaded (the European Commission's record of EU research projects) -> a contract dataset.

CORDIS gives two tables per programme: `project.csv` (one row a project) and `organization.csv` (one row an
organisation in a project). Projects become actions, organisations organisations, and every row of the organization
file a participation. The reading, narrowing and reporting are the importers' frame (analysis.importing); this module
is CORDIS's mapping and its quirks.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from analysis import i18n
from analysis.cordis.conversion import CordisJob
from analysis.cordis.mapping import BUDGET_COLUMN, FORMATS, KINDS, LAYOUTS, ROLES, STATUSES, mapping_text
from analysis.dataset import LoadResult
from analysis.i18n import N_, _
from analysis.importing import frame
from analysis.importing.frame import Conversion, Importer, missing_file
from analysis.importing.narrow import EVERYTHING, Narrowing
from analysis.importing.read import Progress
from analysis.importing.report import ImportReport
from analysis.problems import Problem

__all__ = ["BUDGET_COLUMN", "IMPORTER", "KINDS", "ROLES", "STATUSES", "convert", "load", "mapping_text"]


def _caption(report: ImportReport) -> str:
    return _(
        "budget_eur is CORDIS's {column} (the EU's maximum contribution); the status of SIGNED projects is read by "
        "their dates on {day}."
    ).format(column=BUDGET_COLUMN, day=i18n.written_date(report.as_of))


def _missing(kind: str, given: str) -> Problem:
    return missing_file(
        kind,
        given,
        N_(
            "no CORDIS {kind} file was found: add {kind}.csv (its header has {columns}) as it is downloaded from CORDIS"
        ),
        kind=kind,
        columns=", ".join(next(layout for layout in LAYOUTS if layout.kind == kind).required),
    )


IMPORTER = Importer("cordis", FORMATS, CordisJob, _missing, mapping_text, _caption, BUDGET_COLUMN)


def convert(
    files: Sequence[tuple[str, bytes]],
    only: Narrowing = EVERYTHING,
    as_of: date | None = None,
    progress: Progress = frame.quiet,
) -> Conversion:
    """CORDIS files (name, content) -> the contract's tables as text, and the report of what was kept and dropped.
    `as_of` (default today) is the day SIGNED projects' status is read by their dates."""
    return frame.convert(IMPORTER, files, only, as_of, progress)


def load(
    files: Sequence[tuple[str, bytes]],
    name: str,
    only: Narrowing = EVERYTHING,
    as_of: date | None = None,
    progress: Progress = frame.quiet,
) -> LoadResult:
    """Convert CORDIS files and load the result as any dataset is loaded (validated, typed), with the report."""
    return frame.load(IMPORTER, files, name, only, as_of, progress)
