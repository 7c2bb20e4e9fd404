"""CORDIS as it is downloaded (the European Commission's record of EU research projects) -> a contract dataset.

CORDIS gives two tables per programme: `project.csv` (one row a project) and `organization.csv` (one row an
organisation in a project). Projects become actions, organisations organisations, and every row of the organization
file a participation. The reading, narrowing and reporting are the importers' frame (analysis.importing); this module
is CORDIS's mapping and its quirks.
"""

from __future__ import annotations

from analysis import i18n
from analysis.cordis.conversion import CordisJob
from analysis.cordis.mapping import BUDGET_COLUMN, FORMATS, KINDS, LAYOUTS, ROLES, STATUSES, mapping_text
from analysis.i18n import N_, _
from analysis.importing.frame import Importer, missing_file
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


convert = IMPORTER.convert
load = IMPORTER.load
