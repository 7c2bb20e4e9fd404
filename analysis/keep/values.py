"""Values as keep.eu writes them: amounts with thousands separators, dates with slashes, countries as codes with
their names, NUTS codes of older versions with their labels."""

from __future__ import annotations

import hashlib

import pandas as pd
import pycountry

from analysis import search
from analysis.importing.values import (
    non_negative,
    per_value,
)
from analysis.reference import NUTS_TO_ISO, is_country, nuts2_country, nuts2_names


def amount(values: pd.Series) -> pd.Series:
    """Amounts as keep.eu writes them: 892,228.58 (thousands commas), 892228.58, 892.228,58 or 1234,5; NaN when
    empty, unreadable or < 0."""
    text = values.str.replace(r"[\s\u00a0€]|EUR", "", regex=True)
    comma_last = text.str.rfind(",") > text.str.rfind(".")
    thousands_only = text.str.fullmatch(r"\d{1,3}(,\d{3})+")
    decimal_comma = comma_last & ~thousands_only
    text = text.where(~decimal_comma, text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    text = text.where(decimal_comma, text.str.replace(",", "", regex=False))
    return non_negative(pd.to_numeric(text, errors="coerce"))


def _days(values: pd.Series) -> pd.Series:
    iso = values.str.extract(r"^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})(?:[ T][0-9:.+Z-]*)?$")
    european = values.str.extract(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
    year = iso[0].fillna(european[2])
    month = iso[1].fillna(european[1])
    day = iso[2].fillna(european[0])
    text = year + "-" + month.str.zfill(2) + "-" + day.str.zfill(2)
    real = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce").notna()
    return text.where(real, "").fillna("")


def day(values: pd.Series) -> pd.Series:
    """YYYY-MM-DD of a keep.eu date, or '' when it is no real date."""
    return per_value(values, _days).astype(str)


def digest(values: pd.Series) -> pd.Series:
    """8 hex digits of each text: a short, stable id."""
    return per_value(values, lambda v: v.map(lambda t: hashlib.sha1(t.encode()).hexdigest()[:8]))


def countries(codes: pd.Series, names: pd.Series) -> pd.Series:
    """ISO alpha-2 of each partner: the code before the name in `Country code`, else the Country name as the file's
    other rows code it, else as ISO names it; '' when none is an ISO country."""
    code = codes.str.extract(r"^\s*([A-Za-z]{2})\b", expand=False).fillna("").str.upper()
    code = per_value(code, lambda c: c.map(lambda v: NUTS_TO_ISO.get(v, v)))
    code = code.where(per_value(code, lambda c: c.map(is_country)).astype(bool), "")
    learned = pd.DataFrame({"name": names.str.casefold(), "code": code})
    learned = learned[(learned["name"] != "") & (learned["code"] != "")].drop_duplicates("name")
    by_name = dict(zip(learned["name"], learned["code"], strict=True))
    named = per_value(names.str.casefold(), lambda v: v.map(lambda n: by_name.get(n) or _iso_of(n)))
    return code.where(code != "", named).astype(str)


def _iso_of(name: str) -> str:
    if not name:
        return ""
    try:
        return str(pycountry.countries.lookup(name).alpha_2)
    except LookupError:
        return ""


def region_named(labels: pd.Series, countries: pd.Series) -> pd.Series:
    """The NUTS 2021 level-2 region of each organisation's country that its NUTS label names ('FR82  / Corse': FRM0),
    or ''; names compared with accents, case and punctuation ignored."""
    names = pd.Series(nuts2_names())
    regions = pd.DataFrame({"code": names.index, "key": names.map(search.key).to_numpy()})
    regions["country"] = regions["code"].map(nuts2_country)
    regions = regions.drop_duplicates(["country", "key"], keep=False)
    by_name = dict(zip(zip(regions["country"], regions["key"], strict=True), regions["code"], strict=True))
    label = per_value(labels.str.partition("/")[2], lambda v: v.map(search.key))
    return pd.Series(
        [by_name.get((c, k), "") if k else "" for c, k in zip(countries, label, strict=True)], index=labels.index
    )
