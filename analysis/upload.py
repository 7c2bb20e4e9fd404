"""An analyst's upload: limits checked before anything is read, then the loader; the problem report as a table."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath

import pandas as pd

from analysis.dataset import LoadResult, load_files
from analysis.load import MAX_UPLOAD_BYTES, MAX_ZIP_FILES, MB
from analysis.problems import Problem, error

ACCEPTED = ("zip", "csv", "xlsx")
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


def load_upload(files: Sequence[tuple[str, bytes]], name: str | None = None) -> LoadResult:
    """Check the limits, then load uploaded files (CSVs, a .zip or a .xlsx) given as (name, content); all or nothing."""
    refused = limits_problems([(n, len(d)) for n, d in files])
    if refused:
        return LoadResult(None, tuple(refused))
    return load_files(dict(files), name or upload_name([n for n, _ in files]))


def report_frame(problems: Sequence[Problem]) -> pd.DataFrame:
    """The problems as a table: severity, table, row, column, value, problem and fix."""
    frame = pd.DataFrame([p.as_dict() for p in problems], columns=list(REPORT_COLUMNS))
    frame["row"] = frame["row"].astype("Int64")
    return frame.rename(columns=REPORT_COLUMNS)
