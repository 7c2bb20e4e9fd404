"""Tables written for people: CSV that spreadsheets open safely, and a whole dataset in the contract's shape."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping

import pandas as pd

from analysis.schema import contract

# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as formulas get a leading apostrophe; numbers stay numbers."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_numeric_dtype(out[column]) or pd.api.types.is_bool_dtype(out[column]):
            continue
        out[column] = out[column].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v)
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel reads accents right; formulas neutralised.

    RFC 4180 line ends (CRLF) also make the writer quote any cell holding a lone carriage return.
    """
    return neutralise(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _whole_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """Number columns whose values are all whole written without `.0` (a budget of 1499998, not 1499998.0)."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_float_dtype(values) and values.dropna().map(float.is_integer).all():
            out[column] = values.astype("Int64")
    return out


def dataset_files(tables: Mapping[str, pd.DataFrame]) -> dict[str, bytes]:
    """A typed dataset's tables as the contract's CSV files (file name -> content), formulas neutralised."""
    return {contract()[name].filename: csv_bytes(_whole_numbers(frame)) for name, frame in tables.items()}


def dataset_zip(tables: Mapping[str, pd.DataFrame], folder: str) -> bytes:
    """The contract's CSV files in one folder of a .zip, ready to upload again or to open in a spreadsheet."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for filename, data in dataset_files(tables).items():
            archive.writestr(f"{folder}/{filename}", data)
    return buffer.getvalue()
