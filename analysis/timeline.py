"""The Timeline's rows: every agreement and action in view with its dates as written and the days drawn for them, at
the precision the sources give (a date known to the year covers the whole year). Drawing is charts.timeline's."""

from __future__ import annotations

import functools
from datetime import date

import numpy as np
import pandas as pd

from analysis.dataset import Dataset
from analysis.dates import FAR_FUTURE, OPEN_ENDED, PartialDate, parse_date
from analysis.filters import View
from analysis.i18n import N_, _
from analysis.items import ITEM_TYPES, TYPE_WORDS, ItemType, item_key
from analysis.words import kind_label

DAY = pd.Timedelta(days=1)

# Orders the analyst can choose: label -> (columns, ascending). The labels are the orders' names in every language
# and catalogue messages: a control offers them with `_()`.
ORDERS: dict[str, tuple[list[str], list[bool]]] = {
    N_("Start, earliest first"): (["start", "end", "title"], [True, True, True]),
    N_("Start, latest first"): (["start", "end", "title"], [False, False, True]),
    N_("End, latest first"): (["end", "start", "title"], [False, False, True]),
    N_("Most organisations"): (["organisations", "start", "title"], [False, True, True]),
    N_("Kind"): (["item_type", "kind", "start", "title"], [True, True, True, True]),
    N_("Title"): (["title", "start"], [True, True]),
}
# How precisely a date is known, in words (the rows keep analysis.dates' `day`, `month`, `year`).
PRECISIONS = {"day": N_("day"), "month": N_("month"), "year": N_("year")}
# The contract's action statuses in words (the rows keep the contract's values).
STATUSES = {
    "proposed": N_("proposed"),
    "planned": N_("planned"),
    "ongoing": N_("ongoing"),
    "completed": N_("completed"),
    "cancelled": N_("cancelled"),
}
ROW_COLUMNS = [
    "item",
    "item_type",
    "kind",
    "title",
    "status",
    "start_text",
    "end_text",
    "precision",
    "start",
    "end",
    "mark",
    "period_end",
    "open_ended",
    "organisations",
    "date_note",
]


def written(text: object) -> str:
    """A contract date as the data writes it, with its precision said: `2014 (year only)`, `2014-11 (month only)`
    (`2014 (solo l'anno)` in Italian)."""
    if not isinstance(text, str) or not text:
        return ""
    precision = parse_date(text).precision
    if precision == "month":
        return _("{date} (month only)").format(date=text)
    if precision == "year":
        return _("{date} (year only)").format(date=text)
    return text


@functools.lru_cache(maxsize=1 << 16)  # a few thousand distinct days among a programme's 80,000 items
def stamp(day: date) -> pd.Timestamp:
    return pd.Timestamp(day)


def span(view: View) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The chart's range: 1 January of the first year in view to 31 December of the last finite date's year.

    A period filter that starts later (only open-ended agreements reach it) stretches the range to its start.
    """
    items = view.items
    if items.empty:
        today = date.today()
        return stamp(date(today.year, 1, 1)), stamp(date(today.year, 12, 31))
    first = min(items["first"])
    finite = [d for d in items["last"] if d < FAR_FUTURE]
    window_first = view.filters.window[0]
    last = max([*finite, *items["first"], *([window_first] if window_first != date.min else [])])
    return stamp(date(first.year, 1, 1)), stamp(date(last.year, 12, 31))


def precision_text(start: PartialDate, end: PartialDate | None) -> str:
    """`year`, or `month, end year` when the end is known to another precision than the start (the rows' value;
    `precision_said` says it in the language spoken)."""
    if end is None or end.precision == start.precision:
        return start.precision
    return f"{start.precision}, end {end.precision}"


def precision_said(text: object) -> object:
    """A row's precision (`precision_text`) in words: `month, end year` (`mese; fine: anno`)."""
    if not isinstance(text, str):
        return text
    start, sep, end = text.partition(", end ")
    if not sep:
        return _(PRECISIONS.get(start, start))
    return _("{start}, end {end}").format(start=_(PRECISIONS.get(start, start)), end=_(PRECISIONS.get(end, end)))


def status_said(status: object) -> object:
    """An action's status in words (`proposed`, `proposta`); no status stays empty."""
    return _(STATUSES.get(status, status)) if isinstance(status, str) else status


def _row(t: ItemType, item: object, organisations: int, until: pd.Timestamp) -> dict:
    start_text = getattr(item, t.start_column)
    end_text = getattr(item, t.end_column)
    days = t.interval(start_text, end_text)
    status = getattr(item, t.status_column) if t.status_column else None
    note = getattr(item, t.date_note_column, None)
    start = stamp(days.first)
    return {
        "item": item_key(t.name, getattr(item, t.id_column)),
        "item_type": t.name,
        "kind": item.kind,  # type: ignore[attr-defined]
        "title": item.title,  # type: ignore[attr-defined]
        "status": status if isinstance(status, str) else None,
        "start_text": start_text,
        "end_text": days.end.text if days.end else OPEN_ENDED if days.open_ended else None,
        "precision": precision_text(days.start, days.end),
        "start": start,
        # An open-ended agreement is drawn to the chart's end; an action with no end covers its start's period.
        "end": until if days.open_ended else stamp(days.last),
        "mark": start + (stamp(days.start.last) + DAY - start) / 2,  # the middle of the start's period
        "period_end": stamp(days.start.last),
        "open_ended": days.open_ended,
        "organisations": organisations,
        "date_note": note if isinstance(note, str) and note else None,  # what the dates stand for, if noted
    }


def _all_rows(data: Dataset) -> pd.DataFrame:
    """Every item of the dataset as a timeline row, in the dataset's item order (Dataset.incidence); an open-ended
    agreement's end and the organisations in view are left for the view to fill in."""
    # Text columns as Python objects first: itertuples over Arrow-backed strings reads them one value at a time.
    rows = [
        _row(t, item, 0, pd.NaT)
        for t in ITEM_TYPES.values()
        for item in data.tables[t.table].astype(object).itertuples(index=False)
    ]
    return pd.DataFrame(rows, columns=ROW_COLUMNS).astype(
        {c: "datetime64[us]" for c in ("start", "end", "mark", "period_end")}
    )


def timeline_rows(view: View) -> pd.DataFrame:
    """One row per agreement and action in view, in start order: dates as written and as drawn.

    `start`..`end` is the drawn interval (whole periods of partial dates; an open-ended agreement clipped at
    the chart's end); `mark` is the middle of the start's period, where its marker sits.
    """
    data = view.dataset
    frame = data.memo.get("timeline rows", lambda: _all_rows(data)).take(view.item_rows).reset_index(drop=True)
    inc = data.incidence
    pairs = np.unique(inc.member_item[view.member_rows] * len(inc.organisations) + inc.member_org[view.member_rows])
    counts = np.bincount(pairs // max(len(inc.organisations), 1), minlength=len(inc.items))
    frame["organisations"] = counts[view.item_rows].astype("int64")
    frame.loc[frame["open_ended"].astype(bool), "end"] = span(view)[1]
    return ordered(frame, next(iter(ORDERS)))


def ordered(rows: pd.DataFrame, order: str) -> pd.DataFrame:
    """Rows in one of ORDERS, ties broken by the item key so the order is stable."""
    columns, ascending = ORDERS[order]
    return rows.sort_values([*columns, "item"], ascending=[*ascending, True], kind="stable").reset_index(drop=True)


def items_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The chart's table alternative: the same rows, dates as written and as drawn; its words (type, kind, status,
    precision, an open end) in the language spoken, its column names the same in every language."""
    open_end = _("open-ended")  # analysis.dates.OPEN_ENDED in words
    return pd.DataFrame(
        {
            "title": rows["title"],
            "type": rows["item_type"].map(lambda name: _(TYPE_WORDS[name])),
            "kind": rows["kind"].map(kind_label),
            "status": rows["status"].map(status_said),
            "start": rows["start_text"],
            "end": rows["end_text"].map(lambda end: open_end if end == OPEN_ENDED else end),
            "precision": rows["precision"].map(precision_said),
            "organisations": rows["organisations"],
            "drawn_from": rows["start"].dt.date,
            "drawn_to": rows["end"].dt.date,
        }
    )


# The yearly table's column names (its downloads keep them in English); catalogue messages, said with `_()`.
YEARLY_LABELS = {
    "year": N_("Year"),
    "agreements_active": N_("Agreements active"),
    "actions_active": N_("Actions active"),
    "new_links": N_("New links between organisations"),
    "new_countries": N_("New partner countries"),
}


def yearly_table(yearly: pd.DataFrame) -> pd.DataFrame:
    """The yearly chart's table alternative: the same numbers under plain column names."""
    return yearly.rename(columns=YEARLY_LABELS)
