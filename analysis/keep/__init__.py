"""keep.eu as it is downloaded (Interact's database of Interreg projects and partners) -> a contract dataset.

keep.eu has published two exports: the search export workbook (sheets "Search results, projects" and "Search results,
partners") and the older per-period export (sheets "Projects (lead partners)" and "Partners", the partners also as a
`;`-separated partnership CSV). Projects become actions, partners organisations (one org_id across projects) and
participations. The reading, narrowing and reporting are the importers' frame (analysis.importing); this module is
keep.eu's mapping and its quirks.
"""

from __future__ import annotations

from analysis import i18n
from analysis.i18n import N_, _
from analysis.importing.frame import Importer, missing_file
from analysis.importing.report import ImportReport
from analysis.keep.conversion import KeepJob
from analysis.keep.mapping import BUDGET_COLUMN, FORMATS, KINDS, LAYOUTS, mapping_text
from analysis.problems import Problem

__all__ = ["BUDGET_COLUMN", "IMPORTER", "KINDS", "convert", "load", "mapping_text"]


def _caption(report: ImportReport) -> str:
    return _(
        "budget_eur is keep.eu's {column} (the programme's contribution); partners' contribution_eur is their ERDF "
        "contribution (2014-2020) or programme co-financing (2021-2027) where the export gives them; statuses are "
        "read by the projects' dates on {day}."
    ).format(column=BUDGET_COLUMN, day=i18n.written_date(report.as_of))


def _missing(kind: str, given: str) -> Problem:
    layouts = [layout for layout in LAYOUTS if layout.kind == kind]
    return missing_file(
        kind,
        given,
        N_(
            "no keep.eu {kind} sheet was found: add the export's {kind}s (a sheet or CSV file whose header has "
            "{columns}) as downloaded from keep.eu"
        ),
        kind=kind,
        columns=" or ".join(", ".join(layout.required) for layout in layouts),
    )


IMPORTER = Importer("keep", FORMATS, KeepJob, _missing, mapping_text, _caption, BUDGET_COLUMN)


convert = IMPORTER.convert
load = IMPORTER.load
