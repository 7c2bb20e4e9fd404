"""The filters of the contract - countries, period, kinds - as one object every page, command and export uses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from analysis.dataset import Dataset
from analysis.dates import DateError, parse_date
from analysis.reference import country_name

FAR_FUTURE = date(9999, 12, 31)


@dataclass(frozen=True)
class Filters:
    """What the analyst keeps in view; empty means everything. Hashable, so it can key a cache."""

    countries: tuple[str, ...] = ()
    only_selected: bool = False
    date_from: str | None = None  # contract date: 2014, 2014-11 or 2014-11-07
    date_to: str | None = None
    agreement_kinds: tuple[str, ...] = ()
    action_kinds: tuple[str, ...] = ()
    org_kinds: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Normalise so that equal filters hash equal whatever order the widgets gave.
        for name in ("countries", "agreement_kinds", "action_kinds", "org_kinds"):
            object.__setattr__(self, name, tuple(sorted(set(getattr(self, name)))))
        for name, label in (("date_from", "period start"), ("date_to", "period end")):
            value = getattr(self, name)
            if value is not None:
                try:
                    parse_date(value)
                except DateError as exc:
                    raise DateError(f"{label} '{value}' {exc}") from None
        if self.date_from and self.date_to and parse_date(self.date_to).last < parse_date(self.date_from).first:
            raise ValueError(f"the period ends ({self.date_to}) before it starts ({self.date_from})")

    @property
    def window(self) -> tuple[date, date]:
        first = parse_date(self.date_from).first if self.date_from else date.min
        last = parse_date(self.date_to).last if self.date_to else FAR_FUTURE
        return first, last

    def with_(self, **changes: object) -> Filters:
        return replace(self, **changes)

    def describe(self, name: Callable[[str], str] = country_name) -> str:
        """The filters in words, e.g. 'Poland and partners, 2014-2019, all kinds'."""
        if not self.countries:
            where = "All countries"
        else:
            names = [name(c) for c in self.countries]
            listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            where = f"{listed} only" if self.only_selected else f"{listed} and partners"
        if self.date_from and self.date_to:
            when = f"{self.date_from}-{self.date_to}"
        elif self.date_from:
            when = f"from {self.date_from}"
        elif self.date_to:
            when = f"until {self.date_to}"
        else:
            when = "all years"
        kinds = [
            ("agreements", self.agreement_kinds),
            ("actions", self.action_kinds),
            ("organisations", self.org_kinds),
        ]
        narrowed = [f"{label}: {', '.join(k.replace('_', ' ') for k in chosen)}" for label, chosen in kinds if chosen]
        return ", ".join([where, when, "; ".join(narrowed) if narrowed else "all kinds"])

    def slug(self) -> str:
        """Short text for file names, e.g. 'PL-PT_2014-2019', or 'all_protocol-call' with kinds chosen."""
        parts = ["-".join(self.countries) + ("-only" if self.only_selected else "") if self.countries else "all"]
        if self.date_from or self.date_to:
            parts.append(f"{self.date_from or 'start'}-{self.date_to or 'end'}")
        kinds = [*self.agreement_kinds, *self.action_kinds, *self.org_kinds]
        if kinds:  # two views differing only in kinds must not download under the same name
            parts.append("-".join(kinds))
        return "_".join(parts)


@dataclass(frozen=True)
class View:
    """The slice of a dataset the filters keep.

    `items` has one row per agreement or action kept (item, item_type, item_id, kind, first, last);
    `members` one row per organisation taking part (item, org_id, role); `organisations` the nodes,
    with `in_selection` False for partners outside the selected countries.
    """

    dataset: Dataset
    filters: Filters
    items: pd.DataFrame
    members: pd.DataFrame
    organisations: pd.DataFrame = field(repr=False)

    @property
    def agreements(self) -> pd.DataFrame:
        kept = self.items.loc[self.items["item_type"] == "agreement", "item_id"]
        return self.dataset.agreements[self.dataset.agreements["agreement_id"].isin(kept)]

    @property
    def actions(self) -> pd.DataFrame:
        kept = self.items.loc[self.items["item_type"] == "action", "item_id"]
        return self.dataset.actions[self.dataset.actions["action_id"].isin(kept)]


def _intervals(values: pd.Series, ends: pd.Series | None, open_ended: bool) -> tuple[list[date], list[date]]:
    firsts, lasts = [], []
    for i, start in enumerate(values):
        first = parse_date(start)
        end = ends.iloc[i] if ends is not None else None
        if isinstance(end, str):
            last = parse_date(end).last
        else:
            last = FAR_FUTURE if open_ended else first.last
        firsts.append(first.first)
        lasts.append(last)
    return firsts, lasts


def all_items(data: Dataset) -> pd.DataFrame:
    """Every agreement and action as an interval: agreements open-ended without ends_on, actions one period."""
    ag, ac = data.agreements, data.actions
    ag_first, ag_last = _intervals(ag["signed_on"], ag["ends_on"], open_ended=True)
    ac_first, ac_last = _intervals(ac["start"], ac["end"], open_ended=False)
    frames = [
        pd.DataFrame(
            {
                "item": "agreement:" + ag["agreement_id"].astype(str),
                "item_type": "agreement",
                "item_id": ag["agreement_id"].astype(str),
                "kind": ag["kind"].astype(str),
                "title": ag["title"].astype(str),
                "first": ag_first,
                "last": ag_last,
            }
        ),
        pd.DataFrame(
            {
                "item": "action:" + ac["action_id"].astype(str),
                "item_type": "action",
                "item_id": ac["action_id"].astype(str),
                "kind": ac["kind"].astype(str),
                "title": ac["title"].astype(str),
                "first": ac_first,
                "last": ac_last,
            }
        ),
    ]
    return pd.concat(frames, ignore_index=True)


def all_members(data: Dataset) -> pd.DataFrame:
    """Every participation: (item, org_id, role), agreements and actions together."""
    parties = data.agreement_parties
    participants = data.action_participants
    return pd.concat(
        [
            pd.DataFrame(
                {"item": "agreement:" + parties["agreement_id"].astype(str), "org_id": parties["org_id"].astype(str)}
            ).assign(role=parties["role"].astype(str).to_numpy()),
            pd.DataFrame(
                {
                    "item": "action:" + participants["action_id"].astype(str),
                    "org_id": participants["org_id"].astype(str),
                }
            ).assign(role=participants["role"].astype(object).to_numpy()),
        ],
        ignore_index=True,
    )


def apply(data: Dataset, filters: Filters) -> View:
    """Apply the contract's filter semantics to a dataset."""
    items = all_items(data)
    members = all_members(data)
    orgs = data.organisations.set_index("org_id", drop=False)

    first, last = filters.window
    keep = (items["first"] <= last) & (items["last"] >= first)
    if filters.agreement_kinds:
        keep &= (items["item_type"] != "agreement") | items["kind"].isin(filters.agreement_kinds)
    if filters.action_kinds:
        keep &= (items["item_type"] != "action") | items["kind"].isin(filters.action_kinds)
    items = items[keep]
    members = members[members["item"].isin(items["item"])]

    if filters.org_kinds:
        kinds = orgs.loc[members["org_id"], "kind"].to_numpy()
        members = members[pd.Series(kinds, index=members.index).isin(filters.org_kinds)]
    if filters.countries:
        country = pd.Series(orgs.loc[members["org_id"], "country"].to_numpy(), index=members.index)
        selected = country.isin(filters.countries)
        touching = set(members.loc[selected, "item"])
        members = members[members["item"].isin(touching)]
        if filters.only_selected:
            members = members[selected.loc[members.index]]
    if filters.org_kinds or filters.countries:
        # Organisation filters keep an item only while some organisation in view takes part in it.
        items = items[items["item"].isin(members["item"])]
    items = items.reset_index(drop=True)
    members = members.reset_index(drop=True)

    in_view = orgs.loc[pd.unique(members["org_id"])].reset_index(drop=True)
    in_view["in_selection"] = in_view["country"].isin(filters.countries) if filters.countries else True
    return View(data, filters, items, members, in_view)
