"""An analyst's upload: limits checked before anything is read, then the loader (or, for files downloaded from
a programme portal, its importer); the problem report as a table."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import time
import types
from collections.abc import Iterator, Sequence
from multiprocessing.connection import Connection
from pathlib import PurePosixPath

import pandas as pd

from analysis import i18n, importers
from analysis.dataset import LoadResult, Progress, load_files
from analysis.i18n import N_, _
from analysis.load import MAX_UPLOAD_BYTES, MAX_ZIP_FILES, MB
from analysis.problems import Number, Problem, Said, error, said

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
                said(N_("{count} files"), count=len(sizes)),
                said(
                    N_("{count} files were given, more than {limit}: upload only the dataset's tables"),
                    count=len(sizes),
                    limit=MAX_ZIP_FILES,
                ),
            )
        ]
    total = sum(size for __, size in sizes)
    if total > MAX_UPLOAD_BYTES:
        return [
            error(
                "upload",
                None,
                None,
                said(N_("{size} MB"), size=Number(total / MB, 1)),
                said(
                    N_(
                        "the upload is {size} MB, more than the limit of {limit} MB: "
                        "zip the CSV files (they shrink a lot) or leave out columns the dashboard does not use"
                    ),
                    size=Number(total / MB, 1),
                    limit=MAX_UPLOAD_BYTES // MB,
                ),
            )
        ]
    names = [name for name, __ in sizes]
    return [
        error("upload", None, None, name, said(N_("two files of this name were given: keep one")))
        for name in dict.fromkeys(n for n in names if names.count(n) > 1)
    ]


def upload_name(filenames: Sequence[str]) -> str:
    """What to call an upload: its file's name, or the first file's and how many more."""
    names = [PurePosixPath(n).name for n in filenames]
    if len(names) == 1:
        return names[0]
    return _("{name} and {count} more files").format(name=names[0], count=i18n.integer(len(names) - 1))


def load_upload(
    files: Sequence[tuple[str, bytes]], name: str | None = None, progress: Progress = lambda __: None
) -> LoadResult:
    """Check the limits, then load uploaded files (CSVs, a .zip or a .xlsx) given as (name, content); all or nothing.
    Files downloaded from a programme's portal (CORDIS, keep.eu: recognised by their columns) are imported: the
    result carries the import's report."""
    refused = limits_problems([(n, len(d)) for n, d in files])
    if refused:
        return LoadResult(None, tuple(refused))
    name = name or upload_name([n for n, __ in files])
    importer = importers.recognised(files)
    if importer is not None:
        progress(_("Recognised {source} files: converting them to the contract").format(source=importer.source))
        return importer.load(files, name, progress=progress)
    return load_files(dict(files), name, progress)


def _load_in_child(files: Sequence[tuple[str, bytes]], name: str, out: Connection, language: str) -> None:
    """The child process's work: load, telling the parent how far it got (in the page's language), then hand over
    the result (its problems are put into words where they are read)."""
    with contextlib.suppress(OSError, AttributeError):
        os.nice(10)  # on a busy server the analysts' pages come first, the checking of an upload second
    try:
        with i18n.speaking(language):
            result = load_upload(files, name, lambda step: out.send(("progress", step)))
        out.send(("done", result))
    except Exception as exc:  # a reader's bug must reach the analyst as a sentence, not as a traceback
        why = said(N_("the files could not be read ({error}): {reason}"), error=type(exc).__name__, reason=str(exc))
        out.send(("done", _refused(name, why)))
    finally:
        out.close()


@contextlib.contextmanager
def _no_main_script() -> Iterator[None]:
    """While a child is spawned: a `__main__` without a file. Spawn runs the parent's main script again in the child,
    and in a script run that is the page Streamlit runs (dashboard/app.py: the whole app again, in bare mode, before
    each upload is read) or an AppTest's script, which fails there; the child needs only analysis.upload."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def load_upload_apart(
    files: Sequence[tuple[str, bytes]], name: str, progress: Progress, deadline_s: float = UPLOAD_DEADLINE_S
) -> LoadResult:
    """`load_upload` in a child process of its own: the server's other sessions do not wait on its reading and
    checking, its working memory goes back to the system when it ends, and it is stopped at `deadline_s`."""
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no copy of the server's threads or memory
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_load_in_child, args=(list(files), name, send, i18n.language()), daemon=True)
    with _no_main_script():
        child.start()
    send.close()
    deadline = time.monotonic() + deadline_s
    try:
        while time.monotonic() < deadline:
            if receive.poll(0.2):
                try:
                    kind, value = receive.recv()
                except EOFError:
                    return _refused(
                        name, said(N_("the reading stopped unexpectedly (out of memory?): try smaller files"))
                    )
                if kind == "done":
                    return value
                progress(value)
            elif not child.is_alive() and not receive.poll(0):
                return _refused(
                    name,
                    said(
                        N_("the reading stopped unexpectedly (exit code {code}): try smaller files"),
                        code=child.exitcode,
                    ),
                )
        return _refused(
            name,
            said(
                N_("reading and checking took longer than {seconds} s and was stopped: upload fewer rows"),
                seconds=f"{deadline_s:.0f}",
            ),
        )
    finally:
        if child.is_alive():
            child.kill()
        child.join(5)
        receive.close()


def _refused(name: str, message: Said) -> LoadResult:
    return LoadResult(None, (error("upload", None, None, name, message),))


def report_frame(problems: Sequence[Problem]) -> pd.DataFrame:
    """The problems as a table: severity, table, row, column, value, problem and fix. The column names and the
    severity stay codes (the same in every language, as downloads keep them); the problem and its fix, and where a
    problem of no table is, are said in the language spoken."""
    frame = pd.DataFrame([{**p.as_dict(), "table": p.place} for p in problems], columns=list(REPORT_COLUMNS))
    frame["row"] = frame["row"].astype("Int64")
    return frame.rename(columns=REPORT_COLUMNS)
