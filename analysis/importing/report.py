"""An import's report: the files read, what was kept, dropped (with the reasons and first rows), merged and left
empty, and the money kept. The command line prints it and the Data page shows it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from analysis import i18n
from analysis.i18n import _, ngettext
from analysis.problems import Problem
from analysis.validate import OVER_BUDGET

FIRST_ROWS = 5  # of each kind of dropped row or emptied value, the report shows this many


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
    """A project whose participants' contributions differ from its budget by more than 1%."""

    action_id: str
    contributions: float
    budget: float


@dataclass(frozen=True)
class ImportReport:
    """What an import read, kept and dropped (with the reasons), which values it left empty or merged, and the money
    kept. `source` names where the files come from (CORDIS, keep.eu); `budget_column` the column budget_eur is."""

    source: str = ""
    budget_column: str = ""
    files: tuple[FileRead, ...] = ()
    read: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    dropped: tuple[Count, ...] = ()
    merged: tuple[Count, ...] = ()
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
            what = file_kind(self.source, f.kind, f.rows) if f.kind else _("ignored")
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
        out += count_lines(self.dropped)
        if self.merged:
            out.append(_("Merged, and near misses left apart:"))
            out += count_lines(self.merged)
        if self.emptied:
            out.append(_("Left empty or mapped to the nearest value (the rows are kept):"))
            out += count_lines(self.emptied)
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
                count=i18n.integer(self.differing_projects),
                share=i18n.percent(OVER_BUDGET),
                column=self.budget_column,
            ),
        ]
        out += [
            "      "
            + _("{action}: contributions {contributions} EUR, {column} {budget} EUR").format(
                action=d.action_id,
                contributions=i18n.decimal(d.contributions, 2),
                column=self.budget_column,
                budget=i18n.decimal(d.budget, 2),
            )
            for d in self.differing_first
        ]
        return out


def file_kind(source: str, kind: str, rows: int) -> str:
    """`CORDIS project file, 42 rows`."""
    return ngettext("{source} {kind} file, {count} row", "{source} {kind} file, {count} rows", rows).format(
        source=source, kind=kind, count=i18n.integer(rows)
    )


def counted(counts: dict[str, int]) -> str:
    """`42 project rows, 42 projects`: the report's counts (their words said when the import was made)."""
    return ", ".join(f"{i18n.integer(n)} {what}" for what, n in counts.items())


def first_row(name: str, row: int, text: str) -> str:
    """`organization.csv row 3: projectID 999, organisationID 900000002`."""
    return _("{file} row {row}: {text}").format(file=name, row=row, text=text)


def count_lines(counts: Sequence[Count]) -> list[str]:
    out = []
    for c in counts:
        out.append(f"  {i18n.integer(c.rows)} {c.what}: {c.reason}")
        out += [f"      {first_row(name, row, text)}" for name, row, text in c.first]
    return out


class Tally:
    """Collects the counts of one import, each with its first rows."""

    def __init__(self) -> None:
        self.counts: list[Count] = []

    def add(self, what: str, reason: str, rows: pd.DataFrame, shown: Sequence[str]) -> None:
        """Count `rows` (with their `_file` and `_row`) under `what` for `reason`, showing the `shown` columns."""
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
