"""The checked dataset kept as Parquet files in a cache folder, so that a server restarted on the same files reads
typed tables instead of reading and checking the files again.

An entry is a folder named by its key: a hash of the source files' bytes, the dataset's name, and the code and
contract that check them. It holds one Parquet file per table, the warnings as JSON, and a manifest written last
with each file's size and hash; an entry whose manifest is missing or does not match its files is deleted, never
read. Entries are written in a temporary folder and renamed into place, so a server never reads half of one.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import json
import numbers
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from analysis.load import Sources
from analysis.problems import Number, Problem, Said
from analysis.schema import DATA_DIR, DATAPACKAGE

FORMAT = 1  # of an entry's files; raise it when what an entry holds or how it is written changes
CACHE_ENV = "CLUSTERNET_CACHE"
KEEP = 5  # entries kept, the most recently used; older ones are deleted
MANIFEST = "manifest.json"
WARNINGS = "warnings.json"
TEMPORARY = ".writing-"  # an entry being written; one left by a crashed server is deleted after STALE seconds
STALE = 3600
ANALYSIS = Path(__file__).resolve().parent
LIBRARIES = ("pandas", "pyarrow", "pycountry")  # how tables are typed and country names given


def _quiet(__: str) -> None:
    """No one to tell what the cache did."""


def cache_dir() -> Path:
    """`$CLUSTERNET_CACHE` if set, else the platform's cache folder for clusternet (XDG's `$XDG_CACHE_HOME` or
    ~/.cache on Linux, ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows)."""
    if given := os.environ.get(CACHE_ENV):
        return Path(given).expanduser()
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "clusternet"
    if sys.platform == "win32" and (local := os.environ.get("LOCALAPPDATA")):
        return Path(local) / "clusternet" / "Cache"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    # The XDG rule: a relative path in the variable is invalid and ignored.
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "clusternet"


@functools.cache
def code_digest() -> str:
    """A hash of what decides a checked dataset besides its files: the analysis package's code, the contract, the
    regions' shapes the checks read, and the versions of the libraries that type the tables."""
    digest = hashlib.sha256(str(FORMAT).encode())
    sources = [
        *((ANALYSIS, path) for path in sorted(ANALYSIS.rglob("*.py"))),
        (DATA_DIR, DATAPACKAGE),
        # Files only: an installed package's geo folder also holds its __pycache__ folder.
        *((DATA_DIR, path) for path in sorted((DATA_DIR / "geo").glob("*")) if path.is_file()),
    ]
    for root, path in sources:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for library in LIBRARIES:
        digest.update(f"{library}={importlib.metadata.version(library)}\0".encode())
    return digest.hexdigest()


def key(sources: Sources) -> str:
    """The cache key of a dataset's files: it changes when any file's bytes, the set of files, the dataset's name
    or the code that checks them change."""
    files = [[name, hashlib.sha256(data).hexdigest()] for name, data in sorted(sources.files.items())]
    said = json.dumps([FORMAT, code_digest(), sources.name, files], ensure_ascii=False)
    return hashlib.sha256(said.encode()).hexdigest()


@dataclass(frozen=True)
class Entry:
    """What a checked dataset is rebuilt from without checking it again."""

    name: str
    fingerprint: str
    tables: dict[str, pd.DataFrame]
    warnings: tuple[Problem, ...]


class Damaged(Exception):
    """An entry that cannot be trusted: its manifest is missing or unreadable, or a file does not match it."""


def _said_json(value: Any) -> Any:
    """A problem's value as JSON: text and numbers as they are, `Said` and `Number` tagged so they are said later
    in the language spoken then, as before."""
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, Said):
        return {"said": value.text, "values": [[name, _said_json(v)] for name, v in value.values]}
    if isinstance(value, Number):
        return {"number": value.value, "places": value.places}
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    raise TypeError(f"a problem holds a {type(value).__name__}, which the cache cannot keep")


def _said_value(data: Any) -> Any:
    if isinstance(data, dict) and "said" in data:
        return Said(data["said"], tuple((name, _said_value(v)) for name, v in data["values"]))
    if isinstance(data, dict):
        return Number(data["number"], data["places"])
    return data


def warnings_json(warnings: tuple[Problem, ...]) -> str:
    rows = [[p.table, p.row, p.column, _said_json(p.value), _said_json(p.said), p.severity] for p in warnings]
    return json.dumps(rows, ensure_ascii=False)


def warnings_from(text: str) -> tuple[Problem, ...]:
    return tuple(
        Problem(table, row, column, _said_value(value), _said_value(message), severity)
        for table, row, column, value, message, severity in json.loads(text)
    )


def _objects(table: pd.DataFrame) -> list[str]:
    """The columns of Python objects (columns not in the contract, kept as read), which Parquet gives back as
    pandas' text type unless told."""
    return [str(column) for column, dtype in table.dtypes.items() if pd.api.types.is_object_dtype(dtype)]


def _table(path: Path, objects: list[str]) -> pd.DataFrame:
    """A table as it was written: the contract's typed columns from Parquet's own metadata, the columns of objects
    as Python text and None again."""
    read = pq.read_table(path)
    table = read.to_pandas()
    for column in objects:
        table[column] = pd.Series(read.column(column).to_pylist(), index=table.index, dtype=object)
    return table


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as opened:
        while chunk := opened.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _used(folder: Path) -> float:
    """When an entry was last written or read (0 if another server deleted it meanwhile)."""
    try:
        return folder.stat().st_mtime
    except OSError:
        return 0.0


def inside(folder: Path, data: str | Path) -> bool:
    """Whether a folder is within a dataset's folder (a folder the cache must never write in: it may be read-only,
    or shared)."""
    data = Path(data).resolve()
    return data.is_dir() and folder.resolve().is_relative_to(data)


def _remove(folder: Path) -> None:
    """Delete a folder at once for any reader: renamed away first, then its files removed."""
    gone = folder.with_name(f"{TEMPORARY}gone-{folder.name}-{os.getpid()}")
    try:
        folder.rename(gone)
    except OSError:
        return  # already gone (another server deleted it) or not ours to delete
    shutil.rmtree(gone, ignore_errors=True)


@dataclass(frozen=True)
class Store:
    """The cache folder of checked datasets; `say` hears what it did, in a line each."""

    folder: Path
    keep: int = KEEP
    say: Callable[[str], None] = field(default=_quiet, compare=False)

    def entry(self, key: str) -> Path:
        return self.folder / key[:32]

    def read(self, key: str) -> Entry | None:
        """The entry of a key, or None if there is none; a damaged one is deleted (and said) and None returned."""
        folder = self.entry(key)
        if not folder.is_dir():
            return None
        try:
            entry = self._read(folder, key)
        except (Damaged, OSError, ValueError, KeyError, TypeError) as exc:  # pyarrow's errors are ValueErrors/OSErrors
            self.say(f"The cache entry {folder} is damaged ({exc}): ignored and deleted; reading the files instead")
            _remove(folder)
            return None
        with contextlib.suppress(OSError):  # a read-only cache is still read
            os.utime(folder)  # most recently used: the last to be pruned
        return entry

    def _read(self, folder: Path, key: str) -> Entry:
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise Damaged("no manifest: it was not written to the end") from None
        if manifest.get("format") != FORMAT or manifest.get("key") != key:
            raise Damaged("its manifest is of another format or key")
        for name, expected in manifest["files"].items():
            path = folder / name
            if path.stat().st_size != expected["bytes"] or _file_hash(path) != expected["sha256"]:
                raise Damaged(f"{name} differs from the manifest")
        tables = {name: _table(folder / f"{name}.parquet", manifest["objects"][name]) for name in manifest["tables"]}
        warnings = warnings_from((folder / WARNINGS).read_text(encoding="utf-8"))
        return Entry(manifest["name"], manifest["fingerprint"], tables, warnings)

    def write(self, key: str, entry: Entry) -> Path | None:
        """Keep an entry (if another server wrote it meanwhile, theirs is kept); its folder, or None if it could
        not be written (said, and nothing left behind)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            writing = Path(tempfile.mkdtemp(prefix=TEMPORARY, dir=self.folder))
        except OSError as exc:
            self.say(f"The cache folder {self.folder} cannot be written ({exc}): the dataset is not kept")
            return None
        try:
            self._write(writing, key, entry)
            writing.rename(self.entry(key))
        except OSError as exc:
            shutil.rmtree(writing, ignore_errors=True)
            if not self.entry(key).is_dir():
                self.say(f"The dataset could not be kept in the cache {self.folder} ({exc})")
                return None
            # else another server kept the same files first: theirs stays
        except (TypeError, ValueError) as exc:  # a value Parquet or the warnings' JSON cannot hold
            shutil.rmtree(writing, ignore_errors=True)
            self.say(f"The dataset is not kept in the cache: {exc}")
            return None
        self.prune()
        return self.entry(key)

    def _write(self, folder: Path, key: str, entry: Entry) -> None:
        for name, table in entry.tables.items():
            table.to_parquet(folder / f"{name}.parquet", engine="pyarrow")
        (folder / WARNINGS).write_text(warnings_json(entry.warnings), encoding="utf-8")
        files = {
            path.name: {"bytes": path.stat().st_size, "sha256": _file_hash(path)} for path in sorted(folder.iterdir())
        }
        manifest = {
            "format": FORMAT,
            "key": key,
            "name": entry.name,
            "fingerprint": entry.fingerprint,
            "tables": list(entry.tables),
            "objects": {name: _objects(table) for name, table in entry.tables.items()},
            "files": files,
        }
        # Last: an entry without its manifest is one whose writing stopped before the end.
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")

    def entries(self) -> list[Path]:
        """The entries, the most recently used first."""
        if not self.folder.is_dir():
            return []
        found = [p for p in self.folder.iterdir() if p.is_dir() and not p.name.startswith(TEMPORARY)]
        return sorted(found, key=_used, reverse=True)

    def prune(self) -> None:
        """Delete the entries beyond the `keep` most recently used, and what crashed writers left long ago."""
        for old in self.entries()[self.keep :]:
            _remove(old)
        for left in self.folder.glob(f"{TEMPORARY}*"):
            if time.time() - _used(left) > STALE:
                shutil.rmtree(left, ignore_errors=True)
