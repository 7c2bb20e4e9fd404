"""Values as importers map them, whole columns at a time: amounts, numbers as the contract writes them, slugs,
NUTS-2 codes; and the contract's frame of a converted table."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from analysis.reference import nuts2_country, nuts2_names
from analysis.schema import contract

# Why a NUTS code gives no nuts2, in the words the converted dataset's notes keep (dataset text, in English).
NUTS_ONLY_COUNTRY = "is only the country level"
NUTS_UNKNOWN = "is not a NUTS 2021 code"
NUTS_ELSEWHERE = "lies in another country"


def per_value(values: pd.Series, compute: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """`compute` once per distinct value, spread back over `values`: exports repeat their dates, codes and
    countries thousands of times."""
    distinct = pd.Series(values.unique())
    computed = pd.Series(np.asarray(compute(distinct)), index=distinct.to_numpy())
    return pd.Series(computed.reindex(values.to_numpy()).to_numpy(), index=values.index)


def amount(values: pd.Series) -> pd.Series:
    """Euro amounts with a decimal comma or point as floats; NaN when empty, unreadable or < 0."""
    text = values.where(values.str.contains(".", regex=False), values.str.replace(",", ".", regex=False))
    return non_negative(pd.to_numeric(text, errors="coerce"))


def non_negative(number: pd.Series) -> pd.Series:
    """Amounts read: NaN where negative or not finite ('inf' and '1e400' read as numbers, and are no amount)."""
    number = number.astype("float64")
    return number.where((number >= 0) & np.isfinite(number))


def number_text(values: pd.Series) -> pd.Series:
    """Floats as the contract writes numbers: 1499998, 2499638.25; '' for NaN."""
    whole = values.notna() & (values == np.floor(values))
    text = values.astype(str)
    text = text.where(~whole, values.where(whole, 0).astype("int64").astype(str))
    return text.where(values.notna(), "")


def slug(values: pd.Series, width: int) -> pd.Series:
    """Lower-case ASCII letters and digits joined by hyphens, at most `width` characters."""
    out = values.str.normalize("NFKD").str.lower().str.replace(r"[^a-z0-9]+", "-", regex=True).str.strip("-")
    return out.str.slice(0, width).str.rstrip("-")


def when(condition: pd.Series, text: pd.Series | str) -> pd.Series:
    """`text` where `condition` holds, '' elsewhere."""
    if isinstance(text, str):
        text = pd.Series(text, index=condition.index)
    return text.where(condition, "")


def nuts2(codes: pd.Series, countries: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(NUTS-2 code or '', why it is empty or ''): the first four characters of a NUTS code, if a NUTS 2021
    level-2 code of the organisation's own country."""
    known = nuts2_names()
    code = codes.str.upper()
    region = code.str.slice(0, 4)
    in_list = region.isin(list(known))
    region_country = per_value(region, lambda v: v.map(lambda c: nuts2_country(c) if len(c) == 4 else ""))
    ok = in_list & (region_country == countries)
    why = np.select(
        [codes == "", code.str.len() < 4, ~in_list, region_country != countries],
        ["", NUTS_ONLY_COUNTRY, NUTS_UNKNOWN, NUTS_ELSEWHERE],
        default="",
    )
    why = pd.Series(why, index=codes.index).where(~ok, "").astype(str)
    return region.where(ok, ""), why


def contract_frame(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A table with the contract's columns in order, every cell text, indexed by spreadsheet row."""
    columns = list(contract()[name].columns)
    out = frame.reindex(columns=columns, fill_value="").astype(object).fillna("")
    out.index = pd.RangeIndex(2, len(out) + 2, name="row")
    return out
