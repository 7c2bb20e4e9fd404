"""The dataset as arrays, built once per dataset (`Dataset.incidence`): every item, participation and organisation
by position, and the item-by-organisation incidence the filters and the networks work on. A filter state is then a
few boolean masks, and a network a sort of integer codes, in milliseconds at programme scale."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from analysis.dates import FAR_FUTURE
from analysis.items import ITEM_TYPES, item_keys

Tables = Mapping[str, pd.DataFrame]  # a dataset's tables by name


def all_items(tables: Tables) -> pd.DataFrame:
    """Every agreement and action with the days it covers (first, last), by the contract's date rules."""
    frames = []
    for t in ITEM_TYPES.values():
        table = tables[t.table]
        spans = [t.interval(s, e) for s, e in zip(table[t.start_column], table[t.end_column], strict=True)]
        frames.append(
            pd.DataFrame(
                {
                    "item": item_keys(t.name, table[t.id_column]),
                    "item_type": t.name,
                    "item_id": table[t.id_column].astype(str),
                    "kind": table["kind"].astype(str),
                    "title": table["title"].astype(str),
                    "first": [s.first for s in spans],
                    "last": [s.last for s in spans],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def all_members(tables: Tables) -> pd.DataFrame:
    """Every participation: (item, org_id, role), agreements and actions together."""
    frames = []
    for t in ITEM_TYPES.values():
        members = tables[t.members_table]
        frame = pd.DataFrame({"item": item_keys(t.name, members[t.id_column]), "org_id": members["org_id"].astype(str)})
        frames.append(frame.assign(role=members["role"].astype(object).to_numpy()))
    return pd.concat(frames, ignore_index=True)


def member_amounts(tables: Tables) -> np.ndarray:
    """Each participation's contribution_eur in all_members' order; agreements' parties carry none (NaN)."""
    parts = []
    for t in ITEM_TYPES.values():
        members = tables[t.members_table]
        if "contribution_eur" in members.columns:
            parts.append(members["contribution_eur"].to_numpy(dtype=np.float64, na_value=np.nan))
        else:
            parts.append(np.full(len(members), np.nan))
    return np.concatenate(parts)


UNIX_EPOCH = date(1970, 1, 1).toordinal()  # day ordinals -> numpy dates


def calendar_years(ordinals: np.ndarray) -> np.ndarray:
    """The calendar year of each day ordinal (date.toordinal), vectorised."""
    return (ordinals - UNIX_EPOCH).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def ordinals(days: pd.Series) -> np.ndarray:
    """Dates as day numbers (date.toordinal), for comparisons and minima over arrays."""
    return np.fromiter((d.toordinal() for d in days), dtype=np.int64, count=len(days))


@dataclass(frozen=True)
class Codes:
    """One organisation column as integer codes: `codes[i]` is organisation i's position in `labels` (-1: empty).
    Labels are sorted, so comparing codes compares the texts."""

    codes: np.ndarray
    labels: np.ndarray

    @functools.cached_property
    def texts(self) -> pd.api.extensions.ExtensionArray:
        """The labels as pandas stores text, made once: taking links' ends from it copies no Python strings (turning
        a million object strings into a column took 0.5 s of each organisation network at programme scale)."""
        return pd.Series(self.labels, dtype="str").array


@dataclass(frozen=True)
class Incidence:
    """Items (agreements, actions), participations and organisations of one dataset, by position."""

    items: pd.DataFrame  # all_items: row i is item i
    first: np.ndarray  # day ordinal of each item's first day
    last: np.ndarray
    members: pd.DataFrame  # all_members: row m is participation m
    member_item: np.ndarray  # position of each participation's item
    member_org: np.ndarray  # position of each participation's organisation in `organisations`
    amounts: np.ndarray  # each participation's contribution_eur (float; NaN: none given, and for every agreement party)
    organisations: pd.DataFrame  # the dataset's organisations, row i is organisation i
    codes: dict[str, Codes]  # the organisation columns the filters and networks key on (CODED)
    spans: dict[str, tuple[int, int]]  # each item type's positions among the items: its table's rows, in order

    def table_rows(self, item_type: str, item_rows: np.ndarray) -> np.ndarray:
        """Of some item positions, those of one type, as row positions in that type's table."""
        start, stop = self.spans[item_type]
        return item_rows[(item_rows >= start) & (item_rows < stop)] - start

    def rows_where(self, column: str, wanted: tuple[str, ...]) -> np.ndarray:
        """Which organisations have one of `wanted` in a column (boolean, by organisation)."""
        found = self.codes[column]
        hits = np.isin(found.labels, list(wanted))
        return hits[found.codes] & (found.codes >= 0)

    def years(self) -> tuple[int, int]:
        """The first and last year the dated items cover (an open-ended agreement counts to its start); 2000-2030
        for a dataset with no item, so a period control always has a span."""
        if not len(self.first):
            return 2000, 2030
        ends = self.last[self.last < FAR_FUTURE.toordinal()]
        latest = max(int(self.first.max()), int(ends.max()) if len(ends) else 0)
        return day(int(self.first.min())).year, day(latest).year


CODED = ("org_id", "country", "nuts2", "kind")


def column_codes(column: pd.Series) -> Codes:
    """A column as codes into its sorted distinct non-empty texts."""
    texts = column.astype(object).where(column.notna(), "").astype(str)
    labels, codes = np.unique(texts.to_numpy(), return_inverse=True)
    if len(labels) and labels[0] == "":
        return Codes(codes.astype(np.int64) - 1, labels[1:].astype(object))
    return Codes(codes.astype(np.int64), labels.astype(object))


def _spans(tables: Tables) -> dict[str, tuple[int, int]]:
    """all_items puts each type's table after the other's, row by row."""
    spans, start = {}, 0
    for t in ITEM_TYPES.values():
        spans[t.name] = (start, start + len(tables[t.table]))
        start += len(tables[t.table])
    return spans


def incidence(tables: Tables) -> Incidence:
    """Build the arrays of a dataset (once: see Dataset.incidence)."""
    items = all_items(tables)
    members = all_members(tables)
    organisations = tables["organisations"].reset_index(drop=True)
    item_pos = pd.Index(items["item"]).get_indexer(members["item"])
    org_pos = pd.Index(organisations["org_id"].astype(str)).get_indexer(members["org_id"])
    if (item_pos < 0).any() or (org_pos < 0).any():  # validation refuses such rows; a bug if reached
        raise ValueError("a participation names an item or an organisation the dataset does not have")
    return Incidence(
        items=items,
        first=ordinals(items["first"]),
        last=ordinals(items["last"]),
        members=members,
        member_item=item_pos.astype(np.int64),
        member_org=org_pos.astype(np.int64),
        amounts=member_amounts(tables),
        organisations=organisations,
        codes={column: column_codes(organisations[column]) for column in CODED},
        spans=_spans(tables),
    )


def day(ordinal: int) -> date:
    return date.fromordinal(int(ordinal))
