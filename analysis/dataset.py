"""The one object every page, command and export works from: a validated, typed dataset."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import i18n
from analysis import store as cache
from analysis.cache import Memo
from analysis.i18n import _, ngettext
from analysis.importing.report import ImportReport
from analysis.incidence import Incidence, incidence
from analysis.load import RawDataset, path_sources, read_files
from analysis.problems import Problem
from analysis.reference import NUTS_TO_ISO, country_name
from analysis.schema import DATA_DIR, Table, contract
from analysis.validate import TRUE_WORDS, validate

CURATED_DIR = DATA_DIR
DATA_ENV = "CLUSTERNET_DATA"  # the dataset `clusternet run --data` hands to the dashboard
DEFAULT_ROLES = {"agreement_parties": "signatory"}
COUNTRY_COLUMNS = {"organisations": "country", "agreements": "country", "actions": "country"}


@dataclass(frozen=True)
class Dataset:
    """Typed tables of one dataset that passed validation, with the warnings it loaded with."""

    name: str
    fingerprint: str
    tables: dict[str, pd.DataFrame]
    warnings: tuple[Problem, ...] = field(default_factory=tuple)

    @property
    def organisations(self) -> pd.DataFrame:
        return self.tables["organisations"]

    @property
    def agreements(self) -> pd.DataFrame:
        return self.tables["agreements"]

    @property
    def agreement_parties(self) -> pd.DataFrame:
        return self.tables["agreement_parties"]

    @property
    def actions(self) -> pd.DataFrame:
        return self.tables["actions"]

    @property
    def action_participants(self) -> pd.DataFrame:
        return self.tables["action_participants"]

    @property
    def sources(self) -> pd.DataFrame:
        return self.tables["sources"]

    @property
    def countries(self) -> pd.DataFrame:
        return self.tables["countries"]

    def country_names(self) -> dict[str, str]:
        """Every country of the dataset by code, named in the language spoken (the dataset's names in English, ISO's
        own translations in another language); kept per language."""

        def named() -> dict[str, str]:
            given = self.countries.set_index("country")["name"].astype(str).to_dict()
            return {code: i18n.country_name(code, name) for code, name in given.items()}

        return self.memo.get(("country names", i18n.language()), named)

    @functools.cached_property
    def incidence(self) -> Incidence:
        """The dataset as arrays for filters and networks, built on first use and kept with it."""
        return incidence(self.tables)

    @functools.cached_property
    def memo(self) -> Memo:
        """What is computed once per dataset whatever the filters (all timeline rows, every position, ...)."""
        return Memo()

    def sizes(self) -> dict[str, int]:
        """Rows per table, in the contract's order."""
        return {name: len(frame) for name, frame in self.tables.items()}


@dataclass(frozen=True)
class LoadResult:
    """What loading produced: a dataset, or None and the blocking problems; for files converted from another
    layout (CORDIS, keep.eu), the report of that import."""

    dataset: Dataset | None
    problems: tuple[Problem, ...]
    imported: ImportReport | None = None
    from_cache: bool = False  # read from the cache of checked datasets (analysis.store), not from the files

    @property
    def ok(self) -> bool:
        return self.dataset is not None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.blocking]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.blocking]


def _english_name(code: str) -> str:
    """A dataset's tables are the same whatever language a page speaks: names it lacks are ISO's English ones."""
    with i18n.speaking(i18n.ENGLISH):
        return country_name(code)


def _typed(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells -> typed columns: empties as missing, numbers as numbers, booleans as booleans."""
    out = frame.reset_index(drop=True).replace("", None)
    for f in table.fields:
        if f.name not in out.columns:
            out[f.name] = None
        column = out[f.name]
        if f.type == "number":
            out[f.name] = pd.to_numeric(column).astype("float64")
        elif f.type == "integer":
            out[f.name] = pd.to_numeric(column).astype("Int64")
        elif f.type == "boolean":
            out[f.name] = column.map(lambda v: None if v is None else v.lower() in TRUE_WORDS).astype("boolean")
        else:
            out[f.name] = column.astype("string")
    if table.name in COUNTRY_COLUMNS:
        col = COUNTRY_COLUMNS[table.name]
        out[col] = out[col].replace(NUTS_TO_ISO)
    if table.name in DEFAULT_ROLES:
        out["role"] = out["role"].fillna(DEFAULT_ROLES[table.name])
    # The contract's columns first, in its order; extra columns are kept after them.
    extra = [c for c in out.columns if c not in table.columns]
    return out[list(table.columns) + extra]


def _countries(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Given countries, completed with ISO names for every country code the dataset uses."""
    table = contract()["countries"]
    given = tables.get("countries")
    used = sorted(
        {code for name, col in COUNTRY_COLUMNS.items() for code in tables[name][col].dropna()}
        - (set(given["country"]) if given is not None else set())
    )
    added = pd.DataFrame({"country": used, "name": [_english_name(c) for c in used], "eu_member": None})
    frames = [f for f in (given, _typed(table, added)) if f is not None and len(f)]
    if not frames:
        return _typed(table, added)
    return pd.concat(frames, ignore_index=True)


Progress = Callable[[str], None]


def _quiet(__: str) -> None:
    """No one to tell how far the loading got."""


def build(raw: RawDataset, progress: Progress = _quiet) -> LoadResult:
    """Validate raw tables; if nothing blocks, type them into a Dataset."""
    rows = sum(len(t.frame) for t in raw.tables.values())
    progress(
        ngettext(
            "Checking {rows} rows in {count} table against the contract",
            "Checking {rows} rows in {count} tables against the contract",
            len(raw.tables),
        ).format(rows=i18n.integer(rows), count=i18n.integer(len(raw.tables)))
    )
    problems = tuple(validate(raw))
    if any(p.blocking for p in problems):
        return LoadResult(None, problems)
    progress(_("Preparing the tables"))
    schema = contract()
    tables = {name: _typed(schema[name], raw.tables[name].frame) for name in schema if name in raw.tables}
    tables["countries"] = _countries(tables)
    tables = {name: tables[name] for name in schema}
    warnings = tuple(p for p in problems if not p.blocking)
    return LoadResult(Dataset(raw.name, raw.fingerprint, tables, warnings), problems)


def load_dataset(path: str | Path, kept: cache.Store | None = None, progress: Progress = _quiet) -> LoadResult:
    """Load a folder of CSVs, a .zip of one, a .xlsx workbook or a CSV path; all or nothing. With a store, a
    dataset checked before from the same files is read from it, and one checked now is kept in it."""
    sources = path_sources(path)
    if isinstance(sources, RawDataset):
        return build(sources, progress)
    if kept is not None and cache.inside(kept.folder, path):
        kept.say(f"The cache folder {kept.folder} is inside the dataset's folder: the cache is not used")
        kept = None
    key = cache.key(sources) if kept is not None else ""
    if kept is not None and (entry := kept.read(key)) is not None:
        dataset = Dataset(entry.name, entry.fingerprint, entry.tables, entry.warnings)
        return LoadResult(dataset, entry.warnings, from_cache=True)
    result = build(read_files(sources.files, sources.name, progress), progress)
    if kept is not None and (dataset := result.dataset) is not None:
        kept.write(key, cache.Entry(dataset.name, dataset.fingerprint, dataset.tables, dataset.warnings))
    return result


def load_files(files: dict[str, bytes], name: str, progress: Progress = _quiet) -> LoadResult:
    """Load uploaded files (CSVs, a .zip or a .xlsx) by name and content; all or nothing. `progress` hears, in
    words, what is being done."""
    return build(read_files(files, name, progress), progress)


def load_curated() -> Dataset:
    """The curated dataset shipped in data/; it must load, so a failure is a bug."""
    result = load_dataset(CURATED_DIR)
    if result.dataset is None:
        raise RuntimeError("the curated dataset does not load:\n" + "\n".join(p.line() for p in result.errors))
    return result.dataset
