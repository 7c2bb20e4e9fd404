"""Check raw tables against every rule of the contract and report all problems at once."""

from __future__ import annotations

import calendar
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlparse

import pandas as pd

from analysis import i18n
from analysis.dates import DateError, PartialDate, parse_date
from analysis.geography import km_from_region
from analysis.i18n import N_
from analysis.load import RawDataset, RawTable
from analysis.problems import Number, Problem, Said, error, said, warning
from analysis.reference import NUTS_TO_ISO, is_country, is_language, nuts2_country, nuts2_names
from analysis.schema import Field, Table, contract

SAME_PROBLEMS_LISTED = 1000  # of one kind; the rest are counted in one line
FACT_TABLES = ("organisations", "agreements", "actions")
TRUE_WORDS = {"true", "yes", "1"}
OVER_BUDGET = 0.01  # participants' contributions may exceed their action's budget by rounding, not more
FALSE_WORDS = {"false", "no", "0"}


def split_list(cell: str) -> list[str]:
    """Items of a semicolon-separated cell, trimmed, empties dropped."""
    return [item.strip() for item in cell.split(";") if item.strip()]


def _slugify(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")


# Each cell check returns None when the value is fine, else (severity, message).
CellCheck = Callable[[str, Field], tuple[str, Said] | None]


def _check_slug(value: str, f: Field) -> tuple[str, Said] | None:
    if f.pattern and not re.fullmatch(f.pattern, value):
        if hint := _slugify(value):
            return "error", said(
                N_("is not a valid identifier: use lower-case letters, digits and hyphens (for example '{hint}')"),
                hint=hint,
            )
        return "error", said(N_("is not a valid identifier: use lower-case letters, digits and hyphens"))
    return None


def _check_enum(value: str, f: Field) -> tuple[str, Said] | None:
    if value in f.enum:
        return None
    close = [e for e in f.enum if e == value.strip().lower().replace(" ", "_")]
    if close:
        return "error", said(N_("'{value}' is not an allowed {column}: write '{close}'"), value=value, column=f.name,
                             close=close[0])  # fmt: skip
    return "error", said(
        N_("'{value}' is not an allowed {column}: use one of: {allowed}"),
        value=value,
        column=f.name,
        allowed=", ".join(f.enum),
    )


def _check_number(value: str, f: Field) -> tuple[str, Said] | None:
    try:
        number = float(value)
    except ValueError:
        if "," in value:
            return "error", said(
                N_("is not a number: write digits only, like 41.12 (use a dot, not a comma, for decimals)")
            )
        return "error", said(N_("is not a number: write digits only, like 41.12"))
    if not math.isfinite(number):  # float() reads "nan", "inf" and "1e400": no amount or count is one of these
        return "error", said(N_("is not a number: write digits only, like 41.12"))
    if f.type == "integer" and not number.is_integer():
        return "error", said(N_("is not a whole number: write an integer such as 150"))
    if f.type == "integer" and not re.fullmatch(r"[+-]?\d+", value):
        return "error", said(N_("is not written as a whole number: write {number}"), number=int(number))
    if (f.minimum is not None and number < f.minimum) or (f.maximum is not None and number > f.maximum):
        # The bounds as the file must write them (a dot for decimals, whatever the language).
        low, high = f"{f.minimum:g}", f"{f.maximum:g}" if f.maximum is not None else None
        if f.name in ("lat", "lon"):
            return "error", said(
                N_("coordinate out of range: {column} must lie between {minimum} and {maximum}"),
                column=f.name,
                minimum=low,
                maximum=high,
            )
        if high is None:
            return "error", said(N_("must be at least {minimum}"), minimum=low)
        return "error", said(N_("must be at least {minimum} and at most {maximum}"), minimum=low, maximum=high)
    return None


def _check_boolean(value: str, f: Field) -> tuple[str, Said] | None:
    if value.lower() in TRUE_WORDS | FALSE_WORDS:
        return None
    return "error", said(N_("is not true or false: write true or false"))


@dataclass(frozen=True)
class _Month:
    """A month and its year in words when said: `February 2015`, `febbraio 2015`."""

    year: int
    month: int

    def __str__(self) -> str:
        return i18n.month(date(self.year, self.month, 1))


def _date_reason(value: str) -> Said:
    """Why a text is no contract date (analysis.dates' reasons, as catalogue messages)."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value.strip())
    if match:
        year, month, day = (int(g) if g else None for g in match.groups())
        if month is not None and not 1 <= month <= 12:
            return said(N_("has month {month}, which does not exist"), month=f"{month:02d}")
        if month is not None and day is not None:
            return said(
                N_("has day {day}, but {month} has {days} days"),
                day=f"{day:02d}",
                month=_Month(year, month),
                days=calendar.monthrange(year, month)[1],
            )
    return said(N_("is not a date of the form YYYY-MM-DD, YYYY-MM or YYYY"))


def _check_date(value: str, f: Field) -> tuple[str, Said] | None:
    try:
        parse_date(value)
    except DateError:
        return "error", said(
            N_("{reason}: write the date as YYYY-MM-DD, YYYY-MM or YYYY (e.g. 2014-11-07, 2014-11, 2014)"),
            reason=_date_reason(value),
        )
    return None


def _check_country(value: str, f: Field) -> tuple[str, Said] | None:
    if is_country(value):
        return None
    if value in NUTS_TO_ISO:
        return "warning", said(
            N_("'{value}' is the NUTS spelling; it was read as the ISO code {code}"),
            value=value,
            code=NUTS_TO_ISO[value],
        )
    if is_country(value.upper()):
        return "error", said(N_("country codes are upper case: write {code}"), code=value.upper())
    return "error", said(N_("unknown country: use an ISO 3166-1 alpha-2 code such as IT, DE, GR or GB"))


def _check_nuts2(value: str, f: Field) -> tuple[str, Said] | None:
    if value in nuts2_names():
        return None
    if value.upper() in nuts2_names():
        return "error", said(N_("NUTS codes are upper case: write {code}"), code=value.upper())
    if len(value) != 4:
        return "error", said(N_("is not a NUTS 2021 level-2 code: those have 4 characters, like ITF4 (Puglia)"))
    return "error", said(
        N_(
            "unknown NUTS 2021 level-2 code: check it against Eurostat's NUTS 2021 list "
            "(e.g. ITF4 Puglia, DE11 Stuttgart)"
        )
    )


# An address whose host is plain letters, digits, dots and hyphens is one without asking urlparse (a dataset's
# thousands of websites); anything else (a port, brackets, another scheme) goes to urlparse.
_PLAIN_WEB_ADDRESS = re.compile(r"https?://[a-z0-9.-]+(?:[/?#]|$)", re.IGNORECASE)


def is_web_address(value: str) -> bool:
    """A full http:// or https:// address, as the contract's url columns ask."""
    if _PLAIN_WEB_ADDRESS.match(value):
        return True
    try:
        parts = urlparse(value)
    except ValueError:  # e.g. an unclosed [ in the host, read as a broken IPv6 address
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _check_url(value: str, f: Field) -> tuple[str, Said] | None:
    if is_web_address(value):
        return None
    return "error", said(N_("is not a web address: write a full http:// or https:// address"))


def _check_language(value: str, f: Field) -> tuple[str, Said] | None:
    if is_language(value):
        return None
    return "error", said(N_("unknown language: use an ISO 639-1 code such as it, en, de, pl, pt or el"))


def _cell_check(f: Field) -> CellCheck | None:
    if f.enum:
        return _check_enum
    by_kind: dict[str | None, CellCheck] = {
        "slug": _check_slug,
        "partial_date": _check_date,
        "country": _check_country,
        "nuts2": _check_nuts2,
        "url": _check_url,
        "language": _check_language,
    }
    if f.kind in by_kind:
        return by_kind[f.kind]
    if f.type in ("number", "integer"):
        return _check_number
    if f.type == "boolean":
        return _check_boolean
    return None


def _columns(table: Table, raw: RawTable) -> Iterator[Problem]:
    present = set(raw.frame.columns)
    for column in table.required_columns:
        if column not in present:
            yield error(
                table.name,
                1,
                column,
                None,
                said(N_("the required column '{column}' is missing: add it to the header row"), column=column),
            )
    known = set(table.columns)
    for column in raw.frame.columns:
        if column not in known:
            yield warning(
                table.name,
                1,
                column,
                None,
                said(N_("this column is not in the contract: it is kept but not used by the dashboard")),
            )


def _cells(table: Table, frame: pd.DataFrame) -> Iterator[Problem]:
    for f in table.fields:
        if f.name not in frame.columns:
            continue
        column = frame[f.name]
        if f.required:
            for row in column.index[column == ""]:
                yield error(
                    table.name,
                    int(row),
                    f.name,
                    "",
                    said(N_("{column} is required but empty: fill it in"), column=f.name),
                )
        check = _cell_check(f)
        if check is None:
            continue
        filled = column[column != ""]
        # Ids repeat by the thousand in participation tables: judge each distinct value once.
        verdicts = {value: check(value, f) for value in pd.unique(filled)}
        wrong = {value: found for value, found in verdicts.items() if found is not None}
        for row, value in filled[filled.isin(list(wrong))].items() if wrong else ():
            severity, message = wrong[value]
            make = error if severity == "error" else warning
            yield make(table.name, int(row), f.name, value, message)


def _primary_key(table: Table, frame: pd.DataFrame) -> Iterator[Problem]:
    key = list(table.primary_key)
    if not key or any(k not in frame.columns for k in key):
        return
    keyed = frame[key]
    complete = keyed[(keyed != "").all(axis=1)]
    duplicated = complete[complete.duplicated(keep=False)]
    first_seen: dict[tuple[str, ...], int] = {}
    for row, *values in _rows(duplicated, key):
        ident = tuple(values)
        if ident not in first_seen:
            first_seen[ident] = int(row)
            continue
        shown = ", ".join(ident)
        yield error(
            table.name,
            int(row),
            "+".join(key),
            shown,
            said(
                N_(
                    "duplicate {key}: row {row} has the same; give each row its own identifier or remove the repeated "
                    "row"
                ),
                key=" + ".join(key),
                row=first_seen[ident],
            ),
        )


def _key_set(raw: RawDataset, table: str, column: str) -> set[str] | None:
    found = raw.tables.get(table)
    if found is None or column not in found.frame.columns:
        return None
    return set(found.frame[column])


def _foreign_keys(table: Table, frame: pd.DataFrame, raw: RawDataset) -> Iterator[Problem]:
    for fk in table.foreign_keys:
        if fk.column not in frame.columns:
            continue
        known = _key_set(raw, fk.table, fk.ref_column)
        if known is None:
            continue
        for row, value in frame[fk.column].items():
            if value and value not in known:
                yield error(
                    table.name,
                    int(row),
                    fk.column,
                    value,
                    said(
                        N_("no row of {file} has {column} '{value}': add that row or correct the id"),
                        file=f"{fk.table}.csv",
                        column=fk.ref_column,
                        value=value,
                    ),
                )
    for f in table.fields:
        if f.list_of is None or f.name not in frame.columns:
            continue
        ref_table, ref_column = f.list_of
        known = _key_set(raw, ref_table, ref_column)
        if known is None:
            continue
        unknown: dict[str, list[str]] = {}  # the same list of sources is cited by many rows
        for row, cell in frame[f.name].items():
            if cell not in unknown:
                unknown[cell] = [item for item in split_list(cell) if item not in known]
            for item in unknown[cell]:
                yield error(
                    table.name,
                    int(row),
                    f.name,
                    item,
                    said(
                        N_("no row of {file} has {column} '{value}': add that source or correct the id"),
                        file=f"{ref_table}.csv",
                        column=ref_column,
                        value=item,
                    ),
                )


def _float(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def _rows(frame: pd.DataFrame, columns: list[str]) -> Iterator[tuple]:
    """(row, value, value, ...) of some columns: what iterrows gives, without a Series per row (10x faster)."""
    return zip(frame.index, *(frame[c].tolist() for c in columns), strict=True)


def _checks(table: Table, frame: pd.DataFrame) -> Iterator[Problem]:
    for spec in table.checks:
        needed = [spec.get("field"), spec.get("other"), spec.get("country_field"), spec.get("region_field")]
        needed += spec.get("fields", [])
        if any(n and n not in frame.columns for n in needed):
            continue
        yield from CROSS_CHECKS[spec["check"]](table.name, frame, spec)


def _check_pair(name: str, frame: pd.DataFrame, spec: dict) -> Iterator[Problem]:
    a, b = spec["fields"]
    for row, va, vb in _rows(frame, [a, b]):
        if bool(va) != bool(vb):
            missing, given = (b, a) if va else (a, b)
            yield error(
                name,
                int(row),
                missing,
                "",
                said(N_("{given} is given but {missing} is empty: give both or neither"), given=given, missing=missing),
            )


def _check_nuts_in_country(name: str, frame: pd.DataFrame, spec: dict) -> Iterator[Problem]:
    col, country_col = spec["field"], spec["country_field"]
    known = nuts2_names()
    for row, code, country in _rows(frame, [col, country_col]):
        country = NUTS_TO_ISO.get(country, country)
        if code in known and country and nuts2_country(code) != country:
            yield error(
                name,
                int(row),
                col,
                code,
                said(
                    N_(
                        "{code} ({region}) lies in {region_country}, not in {country}: "
                        "correct the region or the country"
                    ),
                    code=code,
                    region=known[code],
                    region_country=nuts2_country(code),
                    country=country,
                ),
            )


def _check_near_region(name: str, frame: pd.DataFrame, spec: dict) -> Iterator[Problem]:
    lat_col, lon_col = spec["fields"]
    region_col, limit = spec["region_field"], spec["max_km"]
    for row, lat, lon, code in _rows(frame, [lat_col, lon_col, region_col]):
        lat_f, lon_f = _float(lat), _float(lon)
        if lat_f is None or lon_f is None or not code or abs(lat_f) > 90 or abs(lon_f) > 180:
            continue
        km = km_from_region(lat_f, lon_f, code)
        if km is not None and km > limit:
            yield warning(
                name,
                int(row),
                lat_col,
                f"{lat}, {lon}",
                said(
                    N_(
                        "these coordinates lie {km} km outside region {code}: "
                        "check lat/lon (not swapped?) or the region"
                    ),
                    km=f"{km:.0f}",
                    code=code,
                ),
            )


def _check_not_before(name: str, frame: pd.DataFrame, spec: dict) -> Iterator[Problem]:
    col, other = spec["field"], spec["other"]
    parsed: dict[str, PartialDate | None] = {}  # dates repeat down a column: each text is parsed once

    def day(text: str) -> PartialDate | None:
        if text not in parsed:
            try:
                parsed[text] = parse_date(text)
            except DateError:
                parsed[text] = None
        return parsed[text]

    for row, end, start in _rows(frame, [col, other]):
        if not end or not start:
            continue
        end_d, start_d = day(end), day(start)
        if end_d is None or start_d is None:
            continue
        if end_d.last < start_d.first:
            yield error(
                name,
                int(row),
                col,
                end,
                said(
                    N_("{column} is before {other} ({start}): correct one of the two dates"),
                    column=col,
                    other=other,
                    start=start,
                ),
            )


CROSS_CHECKS = {
    "pair": _check_pair,
    "nuts_in_country": _check_nuts_in_country,
    "near_region": _check_near_region,
    "not_before": _check_not_before,
}


def _dataset_warnings(raw: RawDataset) -> Iterator[Problem]:
    orgs = raw.tables.get("organisations")
    if orgs is not None and "org_id" in orgs.frame.columns:
        involved: set[str] = set()
        for link in ("agreement_parties", "action_participants"):
            table = raw.tables.get(link)
            if table is not None and "org_id" in table.frame.columns:
                involved |= set(table.frame["org_id"])
        for row, org in orgs.frame["org_id"].items():
            if org and org not in involved:
                yield warning(
                    "organisations",
                    int(row),
                    "org_id",
                    org,
                    said(
                        N_(
                            "this organisation is in no agreement and no action: it is listed but is no node of the "
                            "network"
                        )
                    ),
                )
    for name in FACT_TABLES:
        table = raw.tables.get(name)
        if table is None:
            continue
        if "source_ids" not in table.frame.columns:
            yield warning(
                name, 1, "source_ids", None, said(N_("the table has no source_ids column: its facts cite no source"))
            )
            continue
        for row in table.frame.index[table.frame["source_ids"].map(split_list).map(len) == 0]:
            yield warning(
                name, int(row), "source_ids", "", said(N_("this row cites no source: add a source_id from sources.csv"))
            )


def _contributions_over_budget(raw: RawDataset) -> Iterator[Problem]:
    """Participants' contributions summing more than 1% above their action's budget: a warning on the action."""
    actions, participants = raw.tables.get("actions"), raw.tables.get("action_participants")
    if actions is None or participants is None:
        return
    a, p = actions.frame, participants.frame
    if not {"action_id", "budget_eur"} <= set(a.columns) or not {"action_id", "contribution_eur"} <= set(p.columns):
        return
    amounts = pd.to_numeric(p["contribution_eur"], errors="coerce")
    sums = amounts.groupby(p["action_id"]).sum(min_count=1)
    for row, action, budget in _rows(a, ["action_id", "budget_eur"]):
        total, limit = sums.get(action), _float(budget) if budget else None
        if total is None or pd.isna(total) or limit is None or total <= limit * (1 + OVER_BUDGET):
            continue
        yield warning(
            "actions",
            int(row),
            "budget_eur",
            budget,
            said(
                N_(
                    "the contributions of action {action}'s participants add up to {total} EUR, more than its "
                    "budget_eur: check the amounts in action_participants.csv or the budget"
                ),
                action=action,
                total=Number(total, 2),
            ),
        )


def validate(raw: RawDataset) -> list[Problem]:
    """Every problem of the dataset: reading problems first, then table by table."""
    problems = list(raw.problems)
    unreadable = any(p.blocking and p.table in ("dataset", "archive", "workbook") for p in raw.problems)
    for table in contract().values():
        found = raw.tables.get(table.name)
        if found is None:
            reported = unreadable or any(p.table == table.name for p in raw.problems)
            if table.required and not reported:
                problems.append(
                    error(
                        table.name,
                        None,
                        None,
                        table.filename,
                        said(N_("the required table {file} is missing: add it"), file=table.filename),
                    )
                )
            continue
        frame = found.frame
        found_here = [
            *_columns(table, found),
            *_cells(table, frame),
            *_primary_key(table, frame),
            *_foreign_keys(table, frame, raw),
            *_checks(table, frame),
        ]
        problems += sorted(found_here, key=lambda p: (p.row or 0, _column_order(frame, p.column)))
    problems += _dataset_warnings(raw)
    problems += _contributions_over_budget(raw)
    return capped(problems)


def capped(problems: list[Problem], keep: int = SAME_PROBLEMS_LISTED) -> list[Problem]:
    """At most `keep` problems of one kind (table, column, severity, message), then one line that counts the rest:
    a quarter of a million times the same warning reads no better than a thousand, and costs the server seconds."""
    seen: Counter[tuple] = Counter()
    out: list[Problem] = []
    for p in problems:
        kind = (p.table, p.column, p.severity, p.said)
        seen[kind] += 1
        if seen[kind] <= keep:
            out.append(p)
    for (table, column, severity, message), count in seen.items():
        if count > keep:
            more = Number(count - keep)
            out.append(
                Problem(
                    table,
                    None,
                    column,
                    said(N_("{more} more rows"), more=more),
                    said(N_("and {more} more rows like the above: {message}"), more=more, message=message),
                    severity,
                )
            )
    return out


def _column_order(frame: pd.DataFrame, column: str | None) -> int:
    """Where a reported column stands in the file, so problems read left to right."""
    first = (column or "").split("+")[0]
    return list(frame.columns).index(first) if first in frame.columns else -1
