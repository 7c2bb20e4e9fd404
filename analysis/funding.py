"""Money: the EU contribution of the participations in view, defined once, and its attribution to partners.

The measure: an organisation's, region's or country's EU contribution is the sum of `contribution_eur` over its
participations in view, each once; a participation without an amount is counted as such, never read as zero.
Money on links: in an action with n participants in view, each participant's contribution is spread evenly over
its n-1 partners there, so the money on a key's links adds up to its contribution in actions with partners; the
money of participants without a partner in view is kept apart (`partner` None). Places aggregate organisations:
a region's money with itself is money shared with partners of the same region.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.filters import View
from analysis.geography import population
from analysis.i18n import N_, _
from analysis.incidence import calendar_years
from analysis.reference import nuts2_country, nuts2_names

FundingLevel = Literal["org", "region", "country"]
LEVEL_COLUMNS: dict[FundingLevel, str] = {"org": "org_id", "region": "nuts2", "country": "country"}
UNKNOWN = "unknown"  # a partner whose region (or country) the data does not give
COORDINATING_ROLES = ("lead", "organiser")  # the participant that coordinates an action


@dataclass(frozen=True)
class Measure:
    """A quantity a page can shade, size or weigh by; label and definition are catalogue messages (say with `_()`)."""

    name: str  # as the URL writes it (`measure=`)
    label: str
    definition: str
    money: bool  # in euros (needs amounts in the dataset)
    column: str  # the tables' column that holds it
    word: str = ""  # how a sentence names it, if not as its label lower-cased (a catalogue message)

    @property
    def words(self) -> str:
        """How a sentence names it, in the language spoken: `agreements and actions`, `EU contribution`."""
        return _(self.word) if self.word else _(self.label).lower()


CONTRIBUTION = Measure(
    "contribution",
    N_("EU contribution"),
    N_(
        "sum of contribution_eur (what each participant receives from the funder, nominal euros) over the "
        "participations in view, each once; participations without an amount are counted apart, never read as zero"
    ),
    True,
    "contribution_eur",
    N_("EU contribution"),
)
PER_INHABITANT = Measure(
    "contribution_per_inhabitant",
    N_("EU contribution per inhabitant"),
    N_(
        "EU contribution divided by the population of the region (Eurostat, 1 January 2023); regions without a "
        "population figure are left out, never divided by"
    ),
    True,
    "contribution_per_inhabitant_eur",
    N_("EU contribution per inhabitant"),
)
ITEMS = Measure(
    "items",
    N_("Agreements and actions"),
    N_("distinct agreements and actions in view involving the place"),
    False,
    "items",
)
ORGANISATIONS = Measure(
    "organisations", N_("Organisations"), N_("organisations of the place in view"), False, "organisations"
)
MEASURES: dict[str, Measure] = {m.name: m for m in (ITEMS, ORGANISATIONS, CONTRIBUTION, PER_INHABITANT)}
MAP_MEASURES = tuple(MEASURES)  # what the Map shades by; the first is the default
NETWORK_MEASURES = (ITEMS.name, CONTRIBUTION.name)  # what the Network weighs links and sizes nodes by


def place_money(table: pd.DataFrame, totals: pd.DataFrame, level: FundingLevel) -> pd.DataFrame:
    """A table of places (its first column the code) with their contribution_eur, participations without an amount
    and, per inhabitant, population and contribution_per_inhabitant_eur (NaN where unknown)."""
    code = table.columns[0]
    money = totals.set_index("id")
    # A place in view through agreements only received nothing (0); one whose participations carry no amount: NaN.
    received = table[code].map(money["contribution_eur"]).astype("float64")
    out = table.assign(
        contribution_eur=received.where(table[code].isin(money.index), 0.0),
        participations_without_amount=table[code].map(money["participations_without_amount"]).fillna(0).astype("int64"),
    )
    people = population(level)
    out["population"] = out[code].map(people).astype("Int64")
    shares = per_inhabitant(out.rename(columns={code: "id"}), people)
    out["contribution_per_inhabitant_eur"] = shares.to_numpy()
    return out


LINK_SHARE = N_(
    "EU contribution the place received in the actions it shares with the partner: each of its participants' "
    "contribution spread evenly over its partners in each action (rounded to the cent; the rows add up to the "
    "place's contribution in actions with partners)"
)
LINK_CONTRIBUTION = N_(
    "EU contribution both ends received in the actions they share: each participant's contribution spread evenly "
    "over its partners in each action"
)


def has_amounts(view: View) -> bool:
    """Whether any participation of the dataset carries an amount (the money measures mean something); asked on
    every page's run, so kept with the dataset."""
    data = view.dataset
    return data.memo.get("has amounts", lambda: bool(np.isfinite(data.incidence.amounts).any()))


@dataclass(frozen=True)
class Participations:
    """The action participations in view: item and organisation positions, amount (NaN: none), partners in view."""

    item: np.ndarray
    org: np.ndarray
    amount: np.ndarray
    partners: np.ndarray  # participants in view of the same action, minus this one

    @property
    def known(self) -> np.ndarray:
        """Which participations carry an amount."""
        return np.isfinite(self.amount)


def participations(view: View) -> Participations:
    """Every participation in view in an action (agreements carry no money), with its number of partners."""
    inc = view.dataset.incidence
    rows = view.member_rows
    item = inc.member_item[rows]
    start, stop = inc.spans["action"]
    action = (item >= start) & (item < stop)
    rows, item = rows[action], item[action]
    sizes = np.bincount(item, minlength=len(inc.items))
    return Participations(item, inc.member_org[rows], inc.amounts[rows], sizes[item] - 1)


@dataclass(frozen=True)
class Summary:
    """The view's money in a few numbers."""

    contribution_eur: float
    participations: int
    without_amount: int


def summary(view: View) -> Summary:
    """The view's EU contribution, its participations in actions and those without an amount."""
    p = participations(view)
    known = p.known
    return Summary(float(p.amount[known].sum()), len(p.item), int((~known).sum()))


def _keys(view: View, level: FundingLevel, orgs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each organisation's key at a level (position in the labels; -1: none given) and the sorted labels."""
    codes = view.dataset.incidence.codes[LEVEL_COLUMNS[level]]
    return codes.codes[orgs], codes.labels


def key_names(view: View, level: FundingLevel, ids: pd.Series) -> list[str]:
    """How a table names each key: the organisation's name, the region's NUTS name, the country's dataset name."""
    data = view.dataset
    if level == "org":
        named = data.memo.get("org names", lambda: data.organisations.set_index("org_id")["name"].astype(str))
    elif level == "region":
        named = pd.Series(nuts2_names(), dtype=object)
    else:
        named = data.countries.set_index("country")["name"].astype(str)
    ids = pd.Series(ids, dtype=object).reset_index(drop=True)
    return ids.map(named).fillna(ids).astype(str).tolist()  # vectorised: 40,000 organisations in milliseconds


def totals(view: View, level: FundingLevel) -> pd.DataFrame:
    """Per key in view: id, name, contribution_eur (NaN when none of its participations has an amount),
    with_partners_eur, alone_eur, participations and participations_without_amount; most money first."""
    p = participations(view)
    key, labels = _keys(view, level, p.org)
    placed = key >= 0
    key, known = key[placed], p.known[placed]
    amount, alone = np.where(known, p.amount[placed], 0.0), p.partners[placed] == 0
    n = len(labels)
    counted = np.bincount(key, minlength=n)
    present = np.flatnonzero(counted)
    with_amount = np.bincount(key[known], minlength=n)
    total = np.bincount(key, weights=amount, minlength=n)
    alone_money = np.bincount(key[alone], weights=amount[alone], minlength=n)
    table = pd.DataFrame(
        {
            "id": labels[present].astype(str) if n else np.array([], dtype=str),
            "contribution_eur": np.where(with_amount[present] > 0, total[present], np.nan),
            "with_partners_eur": np.where(with_amount[present] > 0, (total - alone_money)[present], np.nan),
            "alone_eur": np.where(with_amount[present] > 0, alone_money[present], np.nan),
            "participations": counted[present].astype("int64"),
            "participations_without_amount": (counted - with_amount)[present].astype("int64"),
        }
    )
    table.insert(1, "name", key_names(view, level, table["id"]))
    if level == "region":
        table.insert(2, "country", [nuts2_country(c) for c in table["id"]])
    return table.sort_values(["contribution_eur", "id"], ascending=[False, True], ignore_index=True, na_position="last")


def _grouped(item: np.ndarray, key: np.ndarray, money: np.ndarray, known: np.ndarray) -> tuple[np.ndarray, ...]:
    """(item, key) groups sorted by item then key: their item, key, money, members and members with an amount."""
    n = int(key.max()) + 1 if len(key) else 1
    combined, inverse = np.unique(item * n + key, return_inverse=True)
    money_sum = np.bincount(inverse, weights=money, minlength=len(combined))
    members = np.bincount(inverse, minlength=len(combined))
    with_amount = np.bincount(inverse, weights=known.astype(np.float64), minlength=len(combined)).astype(np.int64)
    return combined // n, combined % n, money_sum, members, with_amount


def _flows(
    item: np.ndarray, key: np.ndarray, money: np.ndarray, members: np.ndarray, partners: np.ndarray, paid: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (from, to, money) of the groups of each item with partners: the money of `from`'s participants spread
    over their partners, `to`'s members among them (less one when from == to). Items of one size at once."""
    starts = np.flatnonzero(np.r_[True, item[1:] != item[:-1]]) if len(item) else np.zeros(0, dtype=np.int64)
    sizes = np.diff(np.r_[starts, len(item)])
    a_parts, b_parts, value_parts = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)], [np.zeros(0)]
    for size in np.unique(sizes):
        first = starts[sizes == size]
        first = first[partners[first] > 0]  # partners are the same for every group of an item
        if not len(first):
            continue
        block = first[:, None] + np.arange(size)  # the groups of each item, one row per item
        src, dst = np.repeat(block, size, axis=1).ravel(), np.tile(block, (1, size)).ravel()
        share = money[src] * (members[dst] - (src == dst)) / partners[src]
        keep = paid[src] & (members[dst] - (src == dst) > 0)
        a_parts.append(key[src[keep]])
        b_parts.append(key[dst[keep]])
        value_parts.append(share[keep])
    return np.concatenate(a_parts), np.concatenate(b_parts), np.concatenate(value_parts)


@dataclass(frozen=True)
class Flows:
    """Who received money in actions shared with whom, as a key-by-key matrix (the last row and column: partners
    whose place is not given), and the money of keys in actions without partners in view."""

    matrix: sparse.csr_array  # [a, b]: what a received in actions shared with b
    labels: np.ndarray  # the keys' texts, then UNKNOWN
    alone: np.ndarray  # by key


def flows(view: View, level: FundingLevel, among: np.ndarray | None = None) -> Flows:
    """The money of every key in view spread over its partners (see the module); with `among`, only that between
    those keys is exact, the others counting as partners without a place (a drawn part's links, cheaply)."""
    p = participations(view)
    key, labels = _keys(view, level, p.org)
    unknown = len(labels)
    key = np.where(key >= 0, key, unknown)
    if among is not None:
        wanted = np.zeros(unknown + 1, dtype=bool)
        wanted[np.searchsorted(labels, np.asarray(among, dtype=object))] = True
        wanted[unknown] = False
        key = np.where(wanted[key], key, unknown)
        touched = np.zeros(len(view.dataset.incidence.items), dtype=bool)
        touched[p.item[key != unknown]] = True
        keep = touched[p.item]  # only actions some wanted key takes part in; their sizes stay whole
        p = Participations(p.item[keep], p.org[keep], p.amount[keep], p.partners[keep])
        key = key[keep]
    known = p.known
    item, group_key, money, members, paid = _grouped(p.item, key, np.where(known, p.amount, 0.0), known)
    size = unknown + 1
    sizes = np.zeros(len(view.dataset.incidence.items), dtype=np.int64)
    sizes[p.item] = p.partners + 1
    a, b, value = _flows(item, group_key, money, members, sizes[item] - 1, paid > 0)
    mine = a != unknown
    matrix = sparse.coo_array((value[mine], (a[mine], b[mine])), shape=(size, size)).tocsr()
    matrix.sum_duplicates()
    alone = (p.partners == 0) & known & (key != unknown)
    return Flows(
        matrix,
        np.r_[labels.astype(object), np.array([UNKNOWN], dtype=object)],
        np.bincount(key[alone], weights=p.amount[alone], minlength=size),
    )


def by_partner(view: View, level: FundingLevel) -> pd.DataFrame:
    """id, partner, contribution_eur: what `id` received in actions shared with `partner` (None: no partner in view;
    `id` itself: partners of the same place; UNKNOWN: partners without a place); each id's rows add up to its total."""
    found = flows(view, level)
    coo = found.matrix.tocoo()
    shared = pd.DataFrame({"id": found.labels[coo.row], "partner": found.labels[coo.col], "contribution_eur": coo.data})
    ids = np.flatnonzero(found.alone)
    alone = pd.DataFrame({"id": found.labels[ids], "partner": None, "contribution_eur": found.alone[ids]})
    table = pd.concat([shared, alone], ignore_index=True) if len(alone) else shared
    table = table.astype({"id": str, "contribution_eur": np.float64})
    return table.sort_values(["id", "contribution_eur"], ascending=[True, False], ignore_index=True)


def link_money(view: View, level: FundingLevel, among: np.ndarray | None = None) -> pd.DataFrame:
    """a, b (a <= b), contribution_eur: what both ends received in the actions they share (a == b: within a place),
    the network's link weight by EU contribution; partners without a place left out, `among` as in `flows`."""
    found = flows(view, level, among)
    placed = found.matrix[:-1, :-1]
    both = sparse.triu(placed + placed.T, k=1, format="coo")
    inside = placed.diagonal()
    loops = np.flatnonzero(inside)
    a = np.r_[both.row, loops]
    b = np.r_[both.col, loops]
    table = pd.DataFrame(
        {"a": found.labels[a], "b": found.labels[b], "contribution_eur": np.r_[both.data, inside[loops]]}
    )
    return table.sort_values(["a", "b"], ignore_index=True)


def by_year(view: View, level: FundingLevel, spread: bool = False) -> pd.DataFrame:
    """id, year, contribution_eur: each participation's amount in its action's start year, or (`spread`) spread
    evenly over the calendar years its action covers."""
    p = participations(view)
    known = p.known
    key, labels = _keys(view, level, p.org)
    keep = known & (key >= 0)
    inc = view.dataset.incidence
    first = calendar_years(inc.first[p.item[keep]])
    last = calendar_years(inc.last[p.item[keep]]) if spread else first
    years = last - first + 1
    rows = np.repeat(np.arange(len(first)), years)
    offset = np.arange(len(rows)) - np.repeat(np.cumsum(years) - years, years)
    table = pd.DataFrame(
        {
            "id": labels[key[keep][rows]].astype(str) if len(labels) else np.array([], dtype=str),
            "year": (first[rows] + offset).astype("int64"),
            "contribution_eur": (p.amount[keep] / years)[rows],
        }
    )
    return table.groupby(["id", "year"], as_index=False, sort=True)["contribution_eur"].sum()


def coordination(view: View, level: FundingLevel) -> pd.DataFrame:
    """id, here_eur, elsewhere_eur, not_given_eur: a key's money in actions led from the same place, from elsewhere
    only, or by no lead whose place the data gives."""
    p = participations(view)
    inc = view.dataset.incidence
    key, labels = _keys(view, level, p.org)
    roles = inc.members["role"].to_numpy(dtype=object)
    leads = np.isin(roles, COORDINATING_ROLES)
    lead_item = inc.member_item[leads]
    lead_key = inc.codes[LEVEL_COLUMNS[level]].codes[inc.member_org[leads]]
    placed = lead_key >= 0  # a lead whose place is not given says nothing of here or elsewhere
    lead_item, lead_key = lead_item[placed], lead_key[placed]
    n = max(len(labels), 1) + 1
    coordinated = np.zeros(len(inc.items), dtype=bool)
    coordinated[lead_item] = True
    here_codes = np.unique(lead_item * n + (lead_key + 1))
    keep = p.known & (key >= 0)
    item, k, money = p.item[keep], key[keep], p.amount[keep]
    here = np.isin(item * n + (k + 1), here_codes)
    given = coordinated[item]
    size = len(labels)
    table = pd.DataFrame(
        {
            "id": labels.astype(str) if size else np.array([], dtype=str),
            "here_eur": np.bincount(k[here], weights=money[here], minlength=size),
            "elsewhere_eur": np.bincount(k[given & ~here], weights=money[given & ~here], minlength=size),
            "not_given_eur": np.bincount(k[~given], weights=money[~given], minlength=size),
        }
    )
    present = np.bincount(k, minlength=size) > 0
    return table[present].reset_index(drop=True)


def cents(values: pd.Series, groups: pd.Series) -> pd.Series:
    """Amounts rounded to the cent so that each group's rows add up to the group's exact sum rounded to the cent:
    the rows with the largest remainders get the leftover cents."""
    exact = values.to_numpy(dtype=np.float64) * 100
    floor = np.floor(exact + 1e-6)  # a share computed as 1234.9999999 cents is 1235
    frame = pd.DataFrame({"group": groups.to_numpy(), "floor": floor, "rest": exact - floor, "exact": exact})
    by = frame.groupby("group", sort=False)
    leftover = np.round(by["exact"].transform("sum")) - by["floor"].transform("sum")
    rank = by["rest"].rank(method="first", ascending=False)
    return pd.Series(((floor + (rank <= leftover)) / 100).to_numpy(), index=values.index)


def per_inhabitant(table: pd.DataFrame, population: dict[str, int]) -> pd.Series:
    """contribution_eur per inhabitant of each row's `id` (a region or country code); NaN where the population is
    unknown or zero, never divided by."""
    people = table["id"].map(population).astype("float64")
    people = people.where(people > 0)
    return table["contribution_eur"] / people


BY = ("partner", "year")


def funding_table(
    view: View, level: FundingLevel, by: str | None = None, inhabitants: bool = False, spread: bool = False
) -> pd.DataFrame:
    """The money of a view as `clusternet funding` writes it (see the README): per key, or per (key, partner) or
    (key, year) with each key's rows adding up to its total; amounts to the cent."""
    if by is None:
        table = totals(view, level)
        table = table[["id", "name", "contribution_eur", "participations", "participations_without_amount"]]
        table = table.assign(contribution_eur=table["contribution_eur"].round(2))
        if inhabitants:
            people = population(level)
            table = table.assign(
                population=table["id"].map(people).astype("Int64"),
                contribution_per_inhabitant_eur=per_inhabitant(table, people).round(4),
            )
        return table
    table = by_partner(view, level) if by == "partner" else by_year(view, level, spread)
    table["contribution_eur"] = cents(table["contribution_eur"], table["id"])
    table = table[table["contribution_eur"] > 0] if by == "partner" else table
    table.insert(1, "name", key_names(view, level, table["id"]))
    if by == "partner":
        partners = table["partner"]
        named = partners.notna() & (partners != UNKNOWN)
        table.insert(3, "partner_name", None)
        table.loc[named, "partner_name"] = key_names(view, level, partners[named])
    return table.reset_index(drop=True)


def partnership_table(view: View, level: FundingLevel, place: str, shared: pd.DataFrame) -> pd.DataFrame:
    """partner, partner_name, contribution_eur (to the cent, adding up), share: what `place` received with each
    partner, most first, from by_partner's table `shared`."""
    mine = shared[(shared["id"] == place) & shared["partner"].notna()]
    table = pd.DataFrame(
        {
            "partner": mine["partner"].astype(str).to_numpy(),
            "contribution_eur": cents(mine["contribution_eur"], mine["id"]).to_numpy(),
        }
    )
    table = table[table["contribution_eur"] > 0]
    placed = table["partner"] != UNKNOWN
    table.insert(1, "partner_name", "")
    table.loc[placed, "partner_name"] = key_names(view, level, table.loc[placed, "partner"])
    total = table["contribution_eur"].sum()
    table["share"] = table["contribution_eur"] / total if total > 0 else 0.0
    return table.sort_values(["contribution_eur", "partner"], ascending=[False, True], ignore_index=True)


def yearly_total(view: View, spread: bool) -> pd.DataFrame:
    """year, contribution_eur: the view's EU contribution per year (by start year, or spread over the actions'
    years), each year rounded to the cent so that the years add up to the rounded total."""
    table = by_year(view, "org", spread).groupby("year", as_index=False)["contribution_eur"].sum()
    table["contribution_eur"] = cents(table["contribution_eur"], pd.Series(0, index=table.index))
    return table
