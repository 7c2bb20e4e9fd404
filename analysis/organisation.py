"""One organisation in a view: who it is and where that is written, its agreements and actions, its partners ranked
by shared items with the items behind each tie, where its partners are, its metrics ranked among the view's
organisations, its EU contribution by year, and a plain reading of it all.

Computed from the dataset's arrays (analysis.incidence), not from the network's links: a programme's hub with
9,000 partners takes milliseconds, and nothing here waits for the costly metrics.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import pandas as pd

from analysis import funding, i18n
from analysis.filters import View
from analysis.i18n import _
from analysis.insights import Insights
from analysis.items import ITEM_TYPES
from analysis.provenance import safe_url, sources_for
from analysis.reference import nuts2_country, nuts2_names
from analysis.validate import split_list
from analysis.words import counted, listed, plural

Status = Literal["unknown", "outside", "in_view"]
RANKED = ("degree", "betweenness", "brokerage")  # the metrics ranked among the view's organisations
NAMED_PARTNERS = 3  # the partners a reading names when several share the most items with the organisation
TIE_DECIMALS = 12  # metric values equal to this many decimals share a rank (float sums differ in the last bits)
PARTNER_COLUMNS = ["org_id", "name", "country", "nuts2", "kind", "shared", "items", "titles"]


@dataclass(frozen=True)
class Identity:
    """What the dataset says of the organisation, and the sources it cites for it."""

    org_id: str
    name: str
    kind: str
    country: str
    nuts2: str | None
    region: str | None  # the NUTS-2 region's name
    city: str | None
    website: str | None  # http(s) only
    sectors: tuple[str, ...]
    sources: pd.DataFrame  # SOURCE_COLUMNS; url only if http(s)


@dataclass(frozen=True)
class Organisation:
    """One organisation under one set of filters: unknown to the dataset, outside the view, or in it."""

    org_id: str
    status: Status
    identity: Identity | None  # None for an unknown id
    items_in_dataset: int  # distinct agreements and actions it takes part in, whatever the filters
    items: pd.DataFrame  # its agreements and actions in view: analysis.timeline's rows, with its `role`
    partners: pd.DataFrame  # PARTNER_COLUMNS: most shared items first; items `;`-separated keys, titles `; `
    countries: pd.DataFrame  # country, partners: most partners first
    regions: pd.DataFrame  # nuts2, name, country, partners: most partners first (partners with a region only)
    source_ids: tuple[str, ...]  # sources of the organisation, its items in view and its participations in them

    @property
    def partners_without_region(self) -> int:
        return int(self.partners["nuts2"].isna().sum())

    def item_counts(self) -> dict[str, int]:
        """Its agreements and actions in view, by item type."""
        types = self.items["item_type"].value_counts()
        return {name: int(types.get(name, 0)) for name in ITEM_TYPES}


@dataclass(frozen=True)
class Rank:
    """A metric of the organisation and its rank among the organisations in view: 1 is the highest, equal values
    share the best rank. `value` None: not computed yet (a large network's betweenness)."""

    metric: str
    value: float | None
    rank: int | None
    ranked: int  # organisations in view, all ranked


@dataclass(frozen=True)
class Money:
    """The organisation's EU contribution in view (analysis.funding's measure) and by year."""

    contribution_eur: float | None  # None: none of its participations carries an amount (unknown, not zero)
    participations: int  # its participations in actions in view
    without_amount: int
    by_year: pd.DataFrame  # year, contribution_eur (by start year, or spread over each action's years)


def _row_of(view: View, org_id: str) -> int | None:
    """The organisation's position in the dataset's arrays, or None if no organisation has that id."""
    codes = view.dataset.incidence.codes["org_id"]
    at = int(np.searchsorted(codes.labels, org_id))
    if at >= len(codes.labels) or codes.labels[at] != org_id:
        return None
    return int(np.flatnonzero(codes.codes == at)[0])


def known(view: View, org_id: str) -> bool:
    """Whether the dataset has an organisation with that id (whatever the filters)."""
    return _row_of(view, org_id) is not None


def _text(value: object) -> str | None:
    return str(value) if isinstance(value, str) and value.strip() else None


def identity(view: View, row: int) -> Identity:
    org = view.dataset.incidence.organisations.iloc[row]
    org_id = str(org["org_id"])
    nuts2 = _text(org["nuts2"])
    sources = sources_for(view.dataset, "organisations", org_id)
    return Identity(
        org_id=org_id,
        name=str(org["name"]),
        kind=str(org["kind"]),
        country=str(org["country"]),
        nuts2=nuts2,
        region=nuts2_names().get(nuts2, nuts2) if nuts2 else None,
        city=_text(org["city"]),
        website=safe_url(org["website"]),
        sectors=tuple(split_list(_text(org["sectors"]) or "")),
        sources=sources.assign(url=sources["url"].map(safe_url)),
    )


def partners(view: View, row: int) -> pd.DataFrame:
    """The organisations sharing an agreement or action in view with the organisation at `row`: how many they share
    and which (the organisation network's ties of one node, found from the participations in view)."""
    inc = view.dataset.incidence
    org, item = inc.member_org[view.member_rows], inc.member_item[view.member_rows]
    mine = org == row
    touching = np.isin(item, np.unique(item[mine])) & ~mine
    other, shared = org[touching], item[touching]
    order = np.lexsort((shared, other))
    other, shared = other[order], shared[order]
    starts = np.flatnonzero(np.r_[True, other[1:] != other[:-1]]) if len(other) else np.zeros(0, dtype=np.int64)
    found = other[starts]
    orgs = inc.organisations
    keys = np.split(inc.items["item"].to_numpy(dtype=object)[shared], starts[1:]) if len(starts) else []
    titles = np.split(inc.items["title"].to_numpy(dtype=object)[shared], starts[1:]) if len(starts) else []
    table = pd.DataFrame(
        {
            "org_id": orgs["org_id"].to_numpy(dtype=object)[found],
            "name": orgs["name"].to_numpy(dtype=object)[found],
            "country": orgs["country"].to_numpy(dtype=object)[found],
            "nuts2": orgs["nuts2"].astype(object).where(orgs["nuts2"].notna(), None).to_numpy()[found],
            "kind": orgs["kind"].to_numpy(dtype=object)[found],
            "shared": np.diff(np.r_[starts, len(other)]).astype("int64"),
            "items": [";".join(part) for part in keys],
            "titles": ["; ".join(part) for part in titles],
        },
        columns=PARTNER_COLUMNS,
    )
    return table.sort_values(["shared", "name", "org_id"], ascending=[False, True, True], ignore_index=True)


def partner_places(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The partners' countries and NUTS-2 regions with how many partners each, most first (ties by code)."""
    countries = table["country"].value_counts().rename_axis("country").reset_index(name="partners")
    countries = countries.sort_values(["partners", "country"], ascending=[False, True], ignore_index=True)
    placed = table["nuts2"].dropna()
    regions = placed.value_counts().rename_axis("nuts2").reset_index(name="partners")
    names = nuts2_names()
    regions.insert(1, "name", [names.get(code, code) for code in regions["nuts2"]])
    regions.insert(2, "country", [nuts2_country(code) for code in regions["nuts2"]])
    regions = regions.sort_values(["partners", "nuts2"], ascending=[False, True], ignore_index=True)
    return countries.astype({"partners": "int64"}), regions.astype({"partners": "int64"})


def _source_ids(view: View, row: int, member_rows: np.ndarray, identity: Identity) -> tuple[str, ...]:
    """The sources cited by the organisation, by its agreements and actions in view and by its participations."""
    data, inc = view.dataset, view.dataset.incidence
    cells = list(identity.sources["source_id"])
    items = np.unique(inc.member_item[member_rows])
    offset = 0
    for t in ITEM_TYPES.values():
        cells += list(data.tables[t.table]["source_ids"].iloc[inc.table_rows(t.name, items)].dropna())
        # The participations are the members tables one after the other, in ITEM_TYPES' order (incidence.all_members).
        members = data.tables[t.members_table]
        mine = member_rows[(member_rows >= offset) & (member_rows < offset + len(members))] - offset
        if "source_ids" in members.columns:
            cells += list(members["source_ids"].iloc[mine].dropna())
        offset += len(members)
    found = {s for cell in cells for s in split_list(str(cell))}
    return tuple(sorted(found))


def organisation(insights: Insights, org_id: str) -> Organisation:
    """The organisation with that id under the insights' filters (an unknown id says so: status `unknown`)."""
    view = insights.view
    row = _row_of(view, org_id)
    empty_items = insights.timeline_rows().head(0).assign(role=pd.Series(dtype=object))
    empty = pd.DataFrame(columns=PARTNER_COLUMNS)
    if row is None:
        places = partner_places(empty.astype({"shared": "int64"}))
        return Organisation(org_id, "unknown", None, 0, empty_items, empty, *places, ())
    inc = view.dataset.incidence
    who = identity(view, row)
    in_dataset = len(np.unique(inc.member_item[inc.member_org == row]))
    mine = view.member_rows[inc.member_org[view.member_rows] == row]
    if not len(mine):
        places = partner_places(empty.astype({"shared": "int64"}))
        return Organisation(
            org_id, "outside", who, in_dataset, empty_items, empty, *places, tuple(who.sources["source_id"])
        )
    keys = inc.items["item"].to_numpy(dtype=object)[inc.member_item[mine]]
    roles = pd.Series(inc.members["role"].to_numpy(dtype=object)[mine], index=keys)
    rows = insights.timeline_rows()
    items = rows[rows["item"].isin(keys)].reset_index(drop=True)
    items["role"] = items["item"].map(roles).to_numpy()
    table = partners(view, row)
    return Organisation(
        org_id, "in_view", who, in_dataset, items, table, *partner_places(table), _source_ids(view, row, mine, who)
    )


def ranks(metrics: pd.DataFrame, org_id: str, names: tuple[str, ...] = RANKED) -> list[Rank]:
    """Each metric of the organisation with its rank among the rows of `metrics` (the view's organisations); a
    metric not computed yet (missing values) has no value and no rank."""
    mine = np.flatnonzero(metrics["node"].to_numpy(dtype=object) == org_id)
    out = []
    for name in names:
        column = metrics[name]
        if not len(mine) or column.isna().any():
            out.append(Rank(name, None, None, len(metrics)))
            continue
        values = np.round(column.to_numpy(dtype=np.float64), TIE_DECIMALS)
        value = values[mine[0]]
        out.append(Rank(name, float(column.iloc[mine[0]]), int((values > value).sum()) + 1, len(metrics)))
    return out


def money(insights: Insights, org_id: str, spread: bool = False) -> Money | None:
    """Its EU contribution in view and per year; None when the dataset carries no amount at all."""
    if not insights.has_amounts:
        return None
    view = insights.view
    row = _row_of(view, org_id)
    inc = view.dataset.incidence
    mine = view.member_rows[inc.member_org[view.member_rows] == row] if row is not None else view.member_rows[:0]
    # analysis.funding's totals and years of a key read only its own participations: the view narrowed to this
    # organisation's gives its numbers without computing every organisation's (their partner columns are not read).
    narrowed = replace(view, member_rows=mine)
    years = funding.by_year(narrowed, "org", spread)[["year", "contribution_eur"]].reset_index(drop=True)
    years["contribution_eur"] = funding.cents(years["contribution_eur"], pd.Series(0, index=years.index))
    found = funding.totals(narrowed, "org")
    found = found[found["id"] == org_id]
    if found.empty:  # no participation in an action in view: it received nothing here
        return Money(0.0, 0, 0, years)
    amount = float(found["contribution_eur"].iloc[0])
    return Money(
        None if np.isnan(amount) else amount,
        int(found["participations"].iloc[0]),
        int(found["participations_without_amount"].iloc[0]),
        years,
    )


# The reading


def _named(names: list[str]) -> str:
    """`A`, `A and B`, `A, B and C`, or `A, B, C and 4 others` past NAMED_PARTNERS names."""
    if len(names) <= NAMED_PARTNERS:
        return listed(names)
    more = plural(len(names) - NAMED_PARTNERS, "{count} other", "{count} others")
    return _("{names} and {more}").format(names=", ".join(names[:NAMED_PARTNERS]), more=more)


def _most_often(partners: pd.DataFrame) -> str:
    """The partners sharing the most items with it, named (at most NAMED_PARTNERS), with how many they share."""
    top = int(partners["shared"].iloc[0])
    best = [str(n) for n in partners.loc[partners["shared"] == top, "name"]]
    shared = plural(top, "{count} shared agreement or action", "{count} shared agreements and actions")
    if len(best) == 1:
        return _("most often with {partners} ({shared})").format(partners=best[0], shared=shared)
    return _("most often with {partners} ({shared} each)").format(partners=_named(best), shared=shared)


def _countries_sentence(org: Organisation, country_names: dict[str, str]) -> str:
    """Where its partners are: the country with most of them, and how many lie outside its own."""

    def name(code: str) -> str:
        return i18n.country_name(code, country_names.get(code))

    own = org.identity.country if org.identity else ""
    abroad = int((org.partners["country"] != own).sum())
    if not abroad:
        return _("All its partners are from {own}.").format(own=name(own))
    top = int(org.countries["partners"].iloc[0])
    best = [name(str(code)) for code in org.countries.loc[org.countries["partners"] == top, "country"]]
    words = (
        _("Its partners are most often from {country} ({partners}); {abroad} from outside {own}.")
        if len(best) == 1
        else _("Its partners are most often from {country} ({partners} each); {abroad} from outside {own}.")
    )
    return words.format(
        country=_named(best),
        partners=plural(top, "{count} partner", "{count} partners"),
        abroad=i18n.integer(abroad),
        own=name(own),
    )


def reading(org: Organisation, country_names: dict[str, str], said_money: Money | None = None) -> list[str]:
    """A few plain sentences about the organisation in view, each computed from its numbers; dataset text as it is
    (the page escapes it). `country_names` names the countries in the language spoken."""
    if org.identity is None or org.status != "in_view":
        return []
    name = org.identity.name
    counts = org.item_counts()
    items = counted(counts["agreement"], counts["action"])
    if org.partners.empty:
        sentences = [
            _("{name} took part in {items} in view, none of them shared with another organisation in view.").format(
                name=name, items=items
            )
        ]
    else:
        sentences = [
            _("{name} worked with {organisations} in {countries}, {most_often}.").format(
                name=name,
                organisations=plural(len(org.partners), "{count} organisation", "{count} organisations"),
                countries=plural(len(org.countries), "{count} country", "{count} countries"),
                most_often=_most_often(org.partners),
            ),
            _("It took part in {items} in view.").format(items=items),
        ]
        sentences.append(_countries_sentence(org, country_names))
    if said_money is not None and said_money.participations:
        if said_money.contribution_eur is None:
            sentences.append(
                plural(
                    said_money.participations,
                    "None of its {count} participation in actions in view carries an amount.",
                    "None of its {count} participations in actions in view carries an amount.",
                )
            )
        else:
            said = _("It received {amount} of EU contribution in view").format(
                amount=i18n.euros(said_money.contribution_eur)
            )
            if said_money.without_amount:
                said += plural(
                    said_money.without_amount,
                    "; {count} of its participations carries no amount and is not counted in it",
                    "; {count} of its participations carry no amount and are not counted in it",
                )
            sentences.append(said + ".")
    return sentences
