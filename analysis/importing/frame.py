"""One import, whatever its source: read the files, check each table is there, run the importer's conversion
(`Job`), report, and hand the tables to the loader."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import PurePosixPath

import numpy as np
import pandas as pd

from analysis.dataset import LoadResult, build
from analysis.i18n import N_, _
from analysis.importing.narrow import EVERYTHING, Narrowing
from analysis.importing.read import Formats, Found, Progress, read
from analysis.importing.report import FIRST_ROWS, Differing, ImportReport, Tally
from analysis.load import RawDataset, RawTable
from analysis.problems import Problem, error, said
from analysis.validate import OVER_BUDGET


def quiet(__: str) -> None:
    """No one to tell how far the import got."""


class Job:
    """One conversion, step by step; each step drops or empties what it cannot map, and counts it. An importer's
    job fills `money` and returns the contract's tables from `run`."""

    def __init__(self, found: Sequence[Found], only: Narrowing, as_of: date, progress: Progress) -> None:
        self.found = found
        self.only = only
        self.as_of = as_of.isoformat()
        self.progress = progress
        self.dropped = Tally()
        self.merged = Tally()
        self.emptied = Tally()
        self.money: dict[str, float | int | tuple[Differing, ...]] = {}

    def together(self, kind: str, columns: Sequence[str]) -> pd.DataFrame:
        """All files of one kind in one frame, with every column given, the file (`_file`) and the spreadsheet row
        (`_row`); blank lines dropped."""
        frames = []
        for f in self.found:
            if f.layout.kind != kind:
                continue
            frame = f.frame.reindex(columns=list(columns), fill_value="")
            frame = frame.apply(lambda s: s.astype(str).str.strip())
            frame["_file"] = f.name
            frame["_row"] = frame.index
            frames.append(frame.reset_index(drop=True))
        if not frames:
            return pd.DataFrame(columns=[*columns, "_file", "_row"], dtype=str)
        out = pd.concat(frames, ignore_index=True)
        blank = (out[list(columns)] == "").all(axis=1)  # blank lines: spreadsheet rows, but no data
        return out[~blank]

    def drop(self, what: str, frame: pd.DataFrame, mask: pd.Series, reason: str, shown: Sequence[str]) -> pd.DataFrame:
        """Drop the rows of `mask`, counted under `what` (a catalogue message) for `reason` (said already)."""
        if not mask.any():  # the usual case: no copy of a table of 180,000 rows
            return frame
        self.dropped.add(_(what), reason, frame[mask], shown)
        return frame[~mask]

    def pairs(self, r: pd.DataFrame, what: str, rank: pd.Series, shown: Sequence[str]) -> pd.DataFrame:
        """One row per (project `pkey`, organisation `okey`): the one of lowest `rank` (the leading role), in the
        file's order, with the amounts (`contribution`, `cost`) of the pair's rows summed."""
        pkey, okey = pd.factorize(r["pkey"])[0], pd.factorize(r["okey"])[0]  # ids or texts, sorted as integers
        order = np.lexsort((np.arange(len(r)), rank.to_numpy(), okey, pkey))  # the last key sorts first
        repeated = np.zeros(len(r), dtype=bool)
        repeated[order[1:]] = (pkey[order[1:]] == pkey[order[:-1]]) & (okey[order[1:]] == okey[order[:-1]])
        if not repeated.any():
            return r
        self.dropped.add(
            _(what),
            _("the (project, organisation) pair is listed again: one participation kept, with the leading role"),
            r[repeated],
            shown,
        )
        return _summed(r, r[~repeated])

    def narrow_by_start(self, what: str, p: pd.DataFrame, day: str, shown: Sequence[str]) -> pd.DataFrame:
        """Drop the projects starting outside --from/--to, by their `day` column (YYYY-MM-DD)."""
        if self.only.start_from:
            reason = _("starts before --from {day}").format(day=self.only.start_from)
            p = self.drop(what, p, p[day] < self.only.start_from, reason, shown)
        if self.only.start_to:
            reason = _("starts after --to {day}").format(day=self.only.start_to)
            p = self.drop(what, p, p[day] > self.only.start_to, reason, shown)
        return p

    def narrow_by_country(
        self,
        p: pd.DataFrame,
        r: pd.DataFrame,
        local: pd.Series,
        words: tuple[str, str, str, str],
        shown: tuple[Sequence[str], Sequence[str]],
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Keep the projects (`p`, keyed `pkey`) with a participation row (`r`) where `local` holds, and all their
        rows. `words`: what project rows and participation rows are, and why each is dropped (catalogue messages,
        the reasons with {codes}); `shown`: the columns of each shown in the report."""
        with_local = r.loc[local, "pkey"].unique()
        codes = ", ".join(self.only.countries)
        project_rows, rows, project_reason, row_reason = words
        p = self.drop(project_rows, p, ~p["pkey"].isin(with_local), _(project_reason).format(codes=codes), shown[0])
        r = self.drop(rows, r, ~r["pkey"].isin(with_local), _(row_reason).format(codes=codes), shown[1])
        return p, r

    def count_money(self, budget: pd.Series, r: pd.DataFrame, action_ids: pd.Series) -> None:
        """The report's amounts: totals of the participations kept (`r`), and the projects whose contributions differ
        by more than 1% from their budget (`budget`, amounts indexed by project key)."""
        sums = r["contribution"].groupby(r["pkey"].to_numpy()).sum(min_count=1).reindex(budget.index)
        both = budget.notna() & sums.notna()
        apart = both & ((sums - budget).abs() > OVER_BUDGET * budget)
        differing = [Differing(action_ids[k], float(sums[k]), float(budget[k])) for k in budget.index[apart]]
        self.money = {
            "contribution_total": float(r["contribution"].sum()),
            "cost_total": float(r["cost"].sum()),
            "without_contribution": int(r["contribution"].isna().sum()),
            "differing_projects": len(differing),
            "differing_first": tuple(differing[:FIRST_ROWS]),
        }

    def read_counts(self) -> dict[str, int]:
        raise NotImplementedError

    def kept_counts(self, tables: dict[str, pd.DataFrame]) -> dict[str, int]:
        return {
            _("actions (projects)"): len(tables["actions"]),
            _("organisations"): len(tables["organisations"]),
            _("participations"): len(tables["action_participants"]),
        }

    def run(self) -> dict[str, pd.DataFrame]:
        raise NotImplementedError


def _summed(rows: pd.DataFrame, kept: pd.DataFrame) -> pd.DataFrame:
    """The kept row of each (project, organisation) pair with the amounts of all its rows summed: no money is lost
    with the rows merged into it. A sum is empty only when all its amounts are."""
    groups = rows[["pkey", "okey", "contribution", "cost"]].groupby(["pkey", "okey"], sort=False)
    sums = groups.sum(min_count=1)
    merged = groups.size() > 1
    # Exports give cents: a sum is written 0.3, not 0.1 + 0.2 = 0.30000000000000004
    sums.loc[merged] = sums.loc[merged].round(2)
    at = pd.MultiIndex.from_arrays([kept["pkey"], kept["okey"]])
    return kept.assign(
        contribution=sums["contribution"].reindex(at).to_numpy(), cost=sums["cost"].reindex(at).to_numpy()
    )


@dataclass(frozen=True)
class Conversion:
    """The contract's tables as text (None when nothing could be imported) and the import's report."""

    tables: dict[str, pd.DataFrame] | None
    report: ImportReport


@dataclass(frozen=True)
class Importer:
    """An importer: its files, its conversion, and its words. `command` is its name on the command line
    (`clusternet import cordis`), `budget_column` the column budget_eur is read from."""

    command: str
    formats: Formats
    job: Callable[[Sequence[Found], Narrowing, date, Progress], Job]
    missing: Callable[[str, str], Problem]  # (kind, the files given) -> why the import cannot go on
    mapping_text: Callable[[int], str]
    caption: Callable[[ImportReport], str]  # what to know of the amounts and statuses, said under the report
    budget_column: str

    @property
    def source(self) -> str:
        return self.formats.source

    def convert(
        self,
        files: Sequence[tuple[str, bytes]],
        only: Narrowing = EVERYTHING,
        as_of: date | None = None,
        progress: Progress = quiet,
    ) -> Conversion:
        """Files (name, content) -> the contract's tables as text, and the report of what was kept and dropped.
        `as_of` (default today) is the day statuses are read by dates."""
        as_of = as_of or date.today()
        found, seen, problems = read(files, self.formats, progress)
        kinds = {f.layout.kind for f in found}
        if not problems:  # a file that could not be read may be the missing one: say only that
            given = ", ".join(PurePosixPath(n).name for n, __ in files) or said(N_("no files"))
            for kind in dict.fromkeys(layout.kind for layout in self.formats.layouts):
                if kind not in kinds:
                    problems.append(self.missing(kind, given))
        base = {"source": self.source, "budget_column": self.budget_column, "narrowing": only.words()}
        if problems:
            return Conversion(None, ImportReport(files=tuple(seen), problems=tuple(problems), **base))
        job = self.job(found, only, as_of, progress)
        read_counts = job.read_counts()
        tables = job.run()
        report = ImportReport(
            files=tuple(seen),
            read=read_counts,
            kept=job.kept_counts(tables),
            dropped=tuple(job.dropped.counts),
            merged=tuple(job.merged.counts),
            emptied=tuple(job.emptied.counts),
            as_of=job.as_of,
            **base,
            **job.money,
        )
        return Conversion(tables, report)

    def raw_dataset(
        self, done: Conversion, files: Sequence[tuple[str, bytes]], name: str, only: Narrowing
    ) -> RawDataset:
        """A conversion's tables as the loader reads a dataset, fingerprinted by the files and the choices made."""
        if done.tables is None:
            raise ValueError("the conversion made no tables")
        digest = hashlib.sha256(repr((self.command, only, done.report.as_of)).encode())
        for filename, data in files:
            digest.update(filename.encode())
            digest.update(hashlib.sha256(data).digest())
        tables = {
            t: RawTable(t, frame, f"{name} ({t}, converted from {self.source})") for t, frame in done.tables.items()
        }
        return RawDataset(name, tables, (), digest.hexdigest()[:16])

    def load(
        self,
        files: Sequence[tuple[str, bytes]],
        name: str,
        only: Narrowing = EVERYTHING,
        as_of: date | None = None,
        progress: Progress = quiet,
    ) -> LoadResult:
        """Convert files and load the result as any dataset is loaded (validated, typed), with the report."""
        done = self.convert(files, only, as_of, progress)
        if done.tables is None:
            return LoadResult(None, done.report.problems, done.report)
        return replace(build(self.raw_dataset(done, files, name, only), progress), imported=done.report)


def missing_file(table: str, given: str, words: str, **values: object) -> Problem:
    """The problem of a table not found among the files given: `words` (a catalogue message) says what to add."""
    return error(table, None, None, given, said(words, **values))
