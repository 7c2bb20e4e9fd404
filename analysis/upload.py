"""An analyst's upload: limits checked before anything is read, then the loader (or, for files downloaded from
CORDIS, the CORDIS import); the problem report as a table."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import PurePosixPath

import pandas as pd

from analysis import cordis
from analysis.dataset import LoadResult, Progress, load_files
from analysis.load import MAX_UPLOAD_BYTES, MAX_ZIP_FILES, MB
from analysis.problems import Problem, error

ACCEPTED = ("zip", "csv", "xlsx")
UPLOAD_DEADLINE_S = 300  # reading and checking one upload; beyond this it is stopped
REPORT_COLUMNS = {
    "severity": "severity",
    "table": "table",
    "row": "row",
    "column": "column",
    "value": "value",
    "message": "problem and fix",
}


def limits_problems(sizes: Sequence[tuple[str, int]]) -> list[Problem]:
    """Refuse an upload that is too big, has too many files or repeats a file name, before reading it."""
    if len(sizes) > MAX_ZIP_FILES:
        return [
            error(
                "upload",
                None,
                None,
                f"{len(sizes)} files",
                f"{len(sizes)} files were given, more than {MAX_ZIP_FILES}: upload only the dataset's tables",
            )
        ]
    total = sum(size for _, size in sizes)
    if total > MAX_UPLOAD_BYTES:
        return [
            error(
                "upload",
                None,
                None,
                f"{total / MB:.1f} MB",
                f"the upload is {total / MB:.1f} MB, more than the limit of {MAX_UPLOAD_BYTES // MB} MB: "
                "zip the CSV files (they shrink a lot) or leave out columns the dashboard does not use",
            )
        ]
    names = [name for name, _ in sizes]
    return [
        error("upload", None, None, name, "two files of this name were given: keep one")
        for name in dict.fromkeys(n for n in names if names.count(n) > 1)
    ]


def upload_name(filenames: Sequence[str]) -> str:
    """What to call an upload: its file's name, or the first file's and how many more."""
    names = [PurePosixPath(n).name for n in filenames]
    if len(names) == 1:
        return names[0]
    return f"{names[0]} and {len(names) - 1} more files"


def load_upload(
    files: Sequence[tuple[str, bytes]], name: str | None = None, progress: Progress = lambda _: None
) -> LoadResult:
    """Check the limits, then load uploaded files (CSVs, a .zip or a .xlsx) given as (name, content); all or nothing.
    Files downloaded from CORDIS (recognised by their columns) are imported: the result carries the import's
    report."""
    refused = limits_problems([(n, len(d)) for n, d in files])
    if refused:
        return LoadResult(None, tuple(refused))
    name = name or upload_name([n for n, _ in files])
    if cordis.recognised(files):
        progress("Recognised CORDIS files: converting them to the contract")
        return cordis.load(files, name, progress=progress)
    return load_files(dict(files), name, progress)


def _load_in_child(files: Sequence[tuple[str, bytes]], name: str, out: Connection) -> None:
    """The child process's work: load, telling the parent how far it got, then hand over the result."""
    with contextlib.suppress(OSError, AttributeError):
        os.nice(10)  # on a busy server the analysts' pages come first, the checking of an upload second
    try:
        result = load_upload(files, name, lambda step: out.send(("progress", step)))
        out.send(("done", result))
    except Exception as exc:  # a reader's bug must reach the analyst as a sentence, not as a traceback
        out.send(("done", _refused(name, f"the files could not be read ({type(exc).__name__}): {exc}")))
    finally:
        out.close()


def load_upload_apart(
    files: Sequence[tuple[str, bytes]], name: str, progress: Progress, deadline_s: float = UPLOAD_DEADLINE_S
) -> LoadResult:
    """`load_upload` in a child process of its own: the server's other sessions do not wait on its reading and
    checking, its working memory goes back to the system when it ends, and it is stopped at `deadline_s`."""
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no copy of the server's threads or memory
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_load_in_child, args=(list(files), name, send), daemon=True)
    child.start()
    send.close()
    deadline = time.monotonic() + deadline_s
    try:
        while time.monotonic() < deadline:
            if receive.poll(0.2):
                try:
                    kind, value = receive.recv()
                except EOFError:
                    return _refused(name, "the reading stopped unexpectedly (out of memory?): try smaller files")
                if kind == "done":
                    return value
                progress(value)
            elif not child.is_alive() and not receive.poll(0):
                return _refused(
                    name, f"the reading stopped unexpectedly (exit code {child.exitcode}): try smaller files"
                )
        return _refused(
            name, f"reading and checking took longer than {deadline_s:.0f} s and was stopped: upload fewer rows"
        )
    finally:
        if child.is_alive():
            child.kill()
        child.join(5)
        receive.close()


def _refused(name: str, message: str) -> LoadResult:
    return LoadResult(None, (error("upload", None, None, name, message),))


def report_frame(problems: Sequence[Problem]) -> pd.DataFrame:
    """The problems as a table: severity, table, row, column, value, problem and fix."""
    frame = pd.DataFrame([p.as_dict() for p in problems], columns=list(REPORT_COLUMNS))
    frame["row"] = frame["row"].astype("Int64")
    return frame.rename(columns=REPORT_COLUMNS)
