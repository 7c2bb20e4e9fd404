"""Partial ISO 8601 dates (day, month or year precision), the interval each one covers, and the contract's rule for
the days an agreement or an action covers. Filters, networks and the timeline all read dates through here."""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

Precision = Literal["day", "month", "year"]
FAR_FUTURE = date(9999, 12, 31)  # the last day of an open-ended agreement
OPEN_ENDED = "open-ended"  # how the end of an item that runs on is written in tables and texts
_FORMS = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to a day, a month or a year; it covers first..last."""

    first: date
    last: date
    precision: Precision
    text: str

    def __str__(self) -> str:
        return self.text


class DateError(ValueError):
    """A value that is not a contract date; the message says why."""


# Kept by text: a programme's 80,000 items write a few thousand distinct dates, read again for every timeline row.
@functools.lru_cache(maxsize=1 << 16)
def parse_date(text: str) -> PartialDate:
    """Parse `2014-11-07`, `2014-11` or `2014`; raise DateError with a plain reason otherwise."""
    value = text.strip()
    match = _FORMS.match(value)
    if not match:
        raise DateError("is not a date of the form YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = (int(g) if g else None for g in match.groups())
    if month is None:
        return PartialDate(date(year, 1, 1), date(year, 12, 31), "year", value)
    if not 1 <= month <= 12:
        raise DateError(f"has month {month:02d}, which does not exist")
    last_day = calendar.monthrange(year, month)[1]
    if day is None:
        return PartialDate(date(year, month, 1), date(year, month, last_day), "month", value)
    if not 1 <= day <= last_day:
        raise DateError(f"has day {day:02d}, but {calendar.month_name[month]} {year} has {last_day} days")
    return PartialDate(date(year, month, day), date(year, month, day), "day", value)


def is_date(text: str) -> bool:
    try:
        parse_date(text)
    except DateError:
        return False
    return True


@dataclass(frozen=True)
class Interval:
    """The days an item covers: `first`..`last`, from its start and its end as written."""

    start: PartialDate
    end: PartialDate | None  # None: no end given
    first: date
    last: date  # FAR_FUTURE for an open-ended item

    @property
    def open_ended(self) -> bool:
        return self.last == FAR_FUTURE


@functools.lru_cache(maxsize=1 << 16)
def interval(start: str, end: str | None, open_ended: bool) -> Interval:
    """The contract's rule: from the first day of the start to the last day of the end; with no end, an agreement
    runs on (`open_ended`), while an action covers its start's day, month or year."""
    first = parse_date(start)
    last = parse_date(end) if end else None
    if last is not None:
        return Interval(first, last, first.first, last.last)
    return Interval(first, None, first.first, FAR_FUTURE if open_ended else first.last)
