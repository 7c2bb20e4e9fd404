"""What changed between two periods, A and B, under the same other filters: the organisations that joined, left and
stayed, the links that are new, lost and kept (with their weights), the same for countries, and the organisations
whose place in the network moved most; when the dataset carries amounts, the EU contribution in each period and the
organisations and countries whose contribution changed most. Each period's networks are exactly the contract's
networks of its window."""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from analysis import funding, i18n
from analysis.dataset import Dataset
from analysis.dates import DateError, parse_date
from analysis.filters import Filters, known_programmes, period_words, programme_slug, reversed_period
from analysis.i18n import N_, _
from analysis.insights import Insights
from analysis.metrics import METRICS
from analysis.networks import Network, OneModeLevel
from analysis.reference import country_name
from analysis.words import listed, plural

MOVER_METRICS = ("degree", "weighted_degree", "betweenness")  # METRICS names: who gained or lost partners and reach
MOVERS_TOP = 10  # organisations per metric
STATUSES = ("new", "lost", "kept")  # a link's change, A to B
NODE_STATUSES = ("joined", "left", "stayed")  # a node's
# The page's four tiles, by name: identifiers here (tests, the CSV stays as is), said with `_()` where shown.
TILE_JOINED, TILE_LEFT, TILE_NEW, TILE_LOST = N_("Joined"), N_("Left"), N_("New links"), N_("Lost links")
TILE_HELP = {
    TILE_JOINED: N_("Organisations that are nodes in period B and not in period A"),
    TILE_LEFT: N_("Organisations that are nodes in period A and not in period B"),
    TILE_NEW: N_("Pairs of organisations linked in period B and not in period A"),
    TILE_LOST: N_("Pairs of organisations linked in period A and not in period B"),
}
# The statuses and the movers' metrics in words, as tables on a page show them (files keep the codes).
STATUS_WORDS = {
    "joined": N_("joined"),
    "left": N_("left"),
    "stayed": N_("stayed"),
    "new": N_("new"),
    "lost": N_("lost"),
    "kept": N_("kept"),
}
MOVER_WORDS = {"degree": N_("degree"), "weighted_degree": N_("weighted degree"), "betweenness": N_("betweenness")}


@dataclass(frozen=True)
class Periods:
    """Two periods as the URL and the CLI write them (contract dates; None: open at that end), each with the
    programmes it is set by (empty: the other filters' programmes)."""

    a_from: str | None
    a_to: str | None
    b_from: str | None
    b_to: str | None
    a_programmes: tuple[str, ...] = ()
    b_programmes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("a_programmes", "b_programmes"):  # equal sides hash equal whatever order they were chosen in
            object.__setattr__(self, name, tuple(sorted(set(getattr(self, name)))))

    @property
    def a_words(self) -> str:
        return side_words(self.a_from, self.a_to, self.a_programmes)

    @property
    def b_words(self) -> str:
        return side_words(self.b_from, self.b_to, self.b_programmes)

    @property
    def words(self) -> str:
        """`2011-2014 compared with 2015-2025`, as exports state the period."""
        return _("{a} compared with {b}").format(a=self.a_words, b=self.b_words)

    def of(self, filters: Filters) -> tuple[Filters, Filters]:
        """The filters of A and of B: the given ones with each period in place of theirs, and each side's programmes
        (when it is set by programme) in place of theirs."""
        return (
            filters.with_(date_from=self.a_from, date_to=self.a_to, programmes=self.a_programmes or filters.programmes),
            filters.with_(date_from=self.b_from, date_to=self.b_to, programmes=self.b_programmes or filters.programmes),
        )

    def resolved(self, filters: Filters) -> Periods:
        """The same periods with the programmes each side is compared under written out: when one side is set by
        programme, the other takes the filters' programmes, so the words say what each side holds."""
        if not (self.a_programmes or self.b_programmes):
            return self
        return replace(
            self,
            a_programmes=self.a_programmes or filters.programmes,
            b_programmes=self.b_programmes or filters.programmes,
        )

    def shared(self, filters: Filters) -> Filters:
        """The filters in force in both periods, as exports state them beside the periods' words: without their
        period, and without programmes when the sides are set by programme (their words name them)."""
        programmes = () if (self.a_programmes or self.b_programmes) else filters.programmes
        return filters.with_(date_from=None, date_to=None, programmes=programmes)

    def to_query(self) -> dict[str, str | list[str]]:
        """The URL keys: the dates as texts, each side's programmes as a repeated key (a list)."""
        dates: dict[str, str | list[str]] = {key: value for key in URL_KEYS if (value := getattr(self, key))}
        return dates | {key: list(value) for key, attr in PROGRAMME_KEYS.items() if (value := getattr(self, attr))}

    def slug(self) -> str:
        """`2011-2014_vs_2015-2025` for file names (`FP7-open-open_vs_H2020-open-open` set by programme)."""
        ends = [value or "open" for value in (self.a_from, self.a_to, self.b_from, self.b_to)]
        a, b = (programme_slug(p) + "-" if p else "" for p in (self.a_programmes, self.b_programmes))
        return f"{a}{ends[0]}-{ends[1]}_vs_{b}{ends[2]}-{ends[3]}"


def side_words(first: str | None, last: str | None, programmes: tuple[str, ...]) -> str:
    """One side in words: its period (`2014-2019`); set by programme, the programmes (`FP7`), with the period when it
    has one (`FP7, 2011-2014`)."""
    if not programmes:
        return period_words(first, last)
    names = ", ".join(programmes)
    if not (first or last):
        return names
    return _("{programmes}, {period}").format(programmes=names, period=period_words(first, last))


URL_KEYS = ("a_from", "a_to", "b_from", "b_to")
PROGRAMME_KEYS = {"a_programme": "a_programmes", "b_programme": "b_programmes"}  # URL key -> Periods attribute
SPAN_SEPARATOR = ":"  # the CLI writes a period FROM:TO (nothing to do with the item keys of analysis.items)


def halves(years: tuple[int, int]) -> Periods:
    """The default comparison: the dataset's years cut in two, the earlier half A (the shorter when odd)."""
    low, high = years
    if low >= high:
        return Periods(str(low), str(low), str(high), str(high))
    middle = low + (high - low + 1) // 2 - 1
    return Periods(str(low), str(middle), str(middle + 1), str(high))


def defaults(years: tuple[int, int], a_programmes: tuple[str, ...] = (), b_programmes: tuple[str, ...] = ()) -> Periods:
    """The periods a comparison takes when none is given: `halves` of the dataset's years, but a side set by
    programme spans every year (a programme is compared whole)."""
    half = halves(years)
    a = (None, None) if a_programmes else (half.a_from, half.a_to)
    b = (None, None) if b_programmes else (half.b_from, half.b_to)
    return Periods(*a, *b, a_programmes, b_programmes)


def parse_sides(
    values: Mapping[str, object], programmes: Collection[str] | None = None
) -> tuple[tuple[str, ...], tuple[str, ...], list[str]]:
    """A's and B's programmes from written values keyed as PROGRAMME_KEYS (a list: a repeated key or option); a
    programme not among `programmes` (the dataset's; None: any) is left out and named."""
    a, refused_a = known_programmes(values.get("a_programme"), programmes)
    b, refused_b = known_programmes(values.get("b_programme"), programmes)
    return a, b, [f"A: {why}" for why in refused_a] + [f"B: {why}" for why in refused_b]


def parse_periods(
    values: Mapping[str, object], years: tuple[int, int], programmes: Collection[str] | None = None
) -> tuple[Periods, list[str]]:
    """Periods from written values keyed as URL_KEYS and PROGRAMME_KEYS (a missing date takes its default from
    `defaults`); what cannot apply (a malformed date, a period that ends before it starts) falls back to the default
    and is named, as is a programme not among `programmes`, left out."""
    a_programmes, b_programmes, ignored = parse_sides(values, programmes)
    default = defaults(years, a_programmes, b_programmes)
    chosen: dict[str, str | None] = {}
    for key in URL_KEYS:
        raw = values.get(key)
        text = (raw[-1] if raw else None) if isinstance(raw, list | tuple) else raw  # get_all: [] when absent
        if text is None or not str(text).strip():
            chosen[key] = getattr(default, key)
            continue
        try:
            chosen[key] = parse_date(str(text).strip()).text
        except DateError as exc:
            chosen[key] = getattr(default, key)
            ignored.append(f"{key} {text} ({exc})")
    for side in ("a", "b"):
        first, last = chosen[f"{side}_from"], chosen[f"{side}_to"]
        if reversed_period(first, last):
            ignored.append(
                _("period {side} {start} to {end} (it ends before it starts)").format(
                    side=side.upper(), start=first, end=last
                )
            )
            chosen[f"{side}_from"], chosen[f"{side}_to"] = (
                getattr(default, f"{side}_from"),
                getattr(default, f"{side}_to"),
            )
    return Periods(**chosen, a_programmes=a_programmes, b_programmes=b_programmes), ignored


def parse_span(text: str) -> tuple[str | None, str | None]:
    """`2011:2014`, `2014-11:2015`, `:2014` or `2015:` (the CLI's --a and --b) as two contract dates."""
    if SPAN_SEPARATOR not in text:
        raise ValueError(_("'{text}' is not FROM:TO (e.g. 2011:2014, or 2015: for no end)").format(text=text))
    first, last = (part.strip() or None for part in text.split(SPAN_SEPARATOR, 1))
    try:
        first, last = (parse_date(p).text if p else None for p in (first, last))
    except DateError as exc:
        raise ValueError(f"'{text}': {exc}") from None
    if reversed_period(first, last):
        raise ValueError(_("'{text}' ends before it starts").format(text=text))
    return first, last


@dataclass(frozen=True)
class Change:
    """One network level from A to B: its nodes that joined, left and stayed, and every link of either period with
    its weight in each (0: absent) and whether it is new, lost or kept. Links join two different nodes: a
    self-loop is counted, not drawn, and is no link here either."""

    level: OneModeLevel
    joined: list[str]
    left: list[str]
    stayed: list[str]
    links: pd.DataFrame = field(repr=False)  # a, b (a < b), weight_a, weight_b, status; sorted by a, b

    def nodes(self) -> list[tuple[str, str]]:
        """(status, node) for every node of either period: the joined, then those that left, then those that stayed."""
        return [(status, node) for status in NODE_STATUSES for node in getattr(self, status)]

    def pairs(self, status: str) -> list[tuple[str, str]]:
        """The links of one status as sorted (a, b) pairs."""
        return [(a, b) for a, b in self.pair_lists(status)]

    def pair_lists(self, status: str) -> list[list[str]]:
        """The same as [a, b] lists, as JSON writes them (fast for a million links)."""
        return self.links.loc[self.links["status"] == status, ["a", "b"]].to_numpy().tolist()

    def count(self, status: str) -> int:
        return int((self.links["status"] == status).sum())

    @property
    def stronger(self) -> int:
        """Kept links that B ties through more agreements and actions than A."""
        kept = self.links[self.links["status"] == "kept"]
        return int((kept["weight_b"] > kept["weight_a"]).sum())

    @property
    def weaker(self) -> int:
        kept = self.links[self.links["status"] == "kept"]
        return int((kept["weight_b"] < kept["weight_a"]).sum())


def _link_codes(net: Network, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each link as one integer (a's and b's places among `labels`, a before b) and its weight."""
    if net.links.empty:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    codes = np.searchsorted(labels, net.nodes["node"].to_numpy(dtype=object))
    a, b = net.ends
    low, high = np.minimum(codes[a], codes[b]), np.maximum(codes[a], codes[b])
    return low.astype(np.int64) * len(labels) + high, net.links["weight"].to_numpy(dtype=np.int64)


def change(net_a: Network, net_b: Network) -> Change:
    """How one level's network changed from A to B. Links are matched by their two ends as integers, one sort for
    a million links."""
    nodes_a, nodes_b = pd.Index(net_a.nodes["node"]), pd.Index(net_b.nodes["node"])
    labels = np.unique(np.r_[nodes_a.to_numpy(dtype=object), nodes_b.to_numpy(dtype=object)].astype(str))
    labels = labels.astype(object)
    pair_a, weight_a = _link_codes(net_a, labels)
    pair_b, weight_b = _link_codes(net_b, labels)
    pairs = np.sort(np.r_[pair_a, pair_b])  # sorted and deduplicated by hand: np.union1d hashes, 10x slower here
    pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]] if len(pairs) else pairs
    in_a = np.zeros(len(pairs), dtype=np.int64)
    in_b = np.zeros(len(pairs), dtype=np.int64)
    in_a[np.searchsorted(pairs, pair_a)] = weight_a
    in_b[np.searchsorted(pairs, pair_b)] = weight_b
    status = np.where(in_a == 0, "new", np.where(in_b == 0, "lost", "kept"))
    n = max(len(labels), 1)
    links = pd.DataFrame(
        {
            "a": labels[pairs // n] if len(pairs) else pd.Series(dtype=object),
            "b": labels[pairs % n] if len(pairs) else pd.Series(dtype=object),
            "weight_a": in_a,
            "weight_b": in_b,
            "status": status.astype(object),
        }
    )
    return Change(
        net_a.level,
        sorted(nodes_b.difference(nodes_a)),
        sorted(nodes_a.difference(nodes_b)),
        sorted(nodes_a.intersection(nodes_b)),
        links,
    )


def movers(metrics_a: pd.DataFrame, metrics_b: pd.DataFrame, top: int = MOVERS_TOP) -> pd.DataFrame:
    """Per metric, the `top` organisations whose value changed most from A to B (largest absolute change, ties by
    id), among those that are nodes in either period: one that is no node in a period counts 0 there (no partner,
    on no path). A metric not yet computed in either period (missing values) is left out."""
    columns = ["node", "label", "country", "status", "metric", "value_a", "value_b", "change"]
    a, b = metrics_a.set_index("node"), metrics_b.set_index("node")
    nodes = a.index.union(b.index).sort_values()
    names = b["label"].combine_first(a["label"]).reindex(nodes)
    countries = b["country"].combine_first(a["country"]).reindex(nodes)
    status = np.where(~nodes.isin(a.index), "joined", np.where(~nodes.isin(b.index), "left", "stayed"))
    found = []
    for name in MOVER_METRICS:
        if a[name].isna().any() or b[name].isna().any():
            continue
        before = a[name].astype(float).reindex(nodes).fillna(0).to_numpy()
        after = b[name].astype(float).reindex(nodes).fillna(0).to_numpy()
        moved = np.flatnonzero(after != before)
        order = moved[np.lexsort((moved, -np.abs(after - before)[moved]))][:top]  # ties: by id (`nodes` is sorted)
        whole = METRICS[name].dtype == "int64"  # counts stay whole numbers in tables and JSON

        def values(v: np.ndarray, whole: bool = whole) -> list[float | int]:
            return [int(x) for x in v] if whole else [float(x) for x in v]

        found.append(
            pd.DataFrame(
                {
                    "node": nodes.to_numpy()[order],
                    "label": names.to_numpy()[order],
                    "country": countries.to_numpy()[order],
                    "status": status[order],
                    "metric": name,
                    "value_a": pd.Series(values(before[order]), dtype=object),
                    "value_b": pd.Series(values(after[order]), dtype=object),
                    "change": pd.Series(values(after[order] - before[order]), dtype=object),
                }
            )
        )
    if not found:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    out = pd.concat(found, ignore_index=True)
    return out[columns]


MONEY_LEVELS = {"org": "organisations", "country": "countries"}  # funding level -> its key in the JSON
CENT = 0.005  # changes smaller than half a cent are float noise of sums in another order, no change


def contribution_change(totals_a: pd.DataFrame, totals_b: pd.DataFrame) -> pd.DataFrame:
    """Per key in either period (funding.totals of each): its EU contribution in A and B and the change, largest first
    (ties by id), unknown changes last. A key with participations in a period but no amount on any is NaN there (its
    change unknown), never 0; one with no participation in an action of the period is 0 there: it received nothing."""
    a, b = totals_a.set_index("id"), totals_b.set_index("id")
    ids = a.index.union(b.index).sort_values()

    def side(table: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
        present = ids.isin(table.index)
        money = table["contribution_eur"].reindex(ids).where(present, 0.0)  # absent: 0; present without amount: NaN
        return money.astype("float64"), table["participations_without_amount"].reindex(ids).fillna(0).astype("int64")

    (before, missing_a), (after, missing_b) = side(a), side(b)
    change = after - before
    table = pd.DataFrame(
        {
            "id": ids.astype(str),
            "name": b["name"].combine_first(a["name"]).reindex(ids).to_numpy(),
            "contribution_eur_a": before.to_numpy(),
            "contribution_eur_b": after.to_numpy(),
            "change_eur": change.to_numpy(),
            "participations_without_amount_a": missing_a.to_numpy(),
            "participations_without_amount_b": missing_b.to_numpy(),
        }
    )
    size = np.abs(table["change_eur"]).fillna(-1.0).to_numpy()  # unknown: after every known change
    return table.iloc[np.lexsort((np.arange(len(table)), -size))].reset_index(drop=True)


@dataclass(frozen=True)
class Money:
    """The EU contribution of each period (NaN: participations in view, none with an amount; 0: no participation)
    and, per organisation and per country, its contribution in A and B (`contribution_change`)."""

    a_eur: float
    b_eur: float
    without_amount_a: int  # participations in actions in view carrying no amount
    without_amount_b: int
    org: pd.DataFrame = field(repr=False)  # contribution_change, with the organisation's country after its name
    country: pd.DataFrame = field(repr=False)

    @property
    def change_eur(self) -> float:
        return self.b_eur - self.a_eur

    def movers(self, level: str, top: int = MOVERS_TOP) -> pd.DataFrame:
        """The `top` keys of a level ("org", "country") whose contribution changed most; unknown changes left out."""
        table = getattr(self, level)
        change = table["change_eur"]
        return table[change.notna() & (change.abs() >= CENT)].head(top).reset_index(drop=True)


def _period_eur(money: funding.Summary) -> float:
    """A period's contribution: unknown (NaN) when its participations carry no amount at all, 0 when it has none."""
    return (
        money.contribution_eur if money.participations > money.without_amount or not money.participations else math.nan
    )


def contribution(a: Insights, b: Insights) -> Money:
    """The money of both periods' views (see Money); each period's totals are funding.totals of its own view."""
    orgs = contribution_change(a.funding("org"), b.funding("org"))
    country = a.dataset.organisations.set_index("org_id")["country"]
    orgs.insert(2, "country", orgs["id"].map(country).to_numpy())
    money_a, money_b = a.money(), b.money()
    return Money(
        _period_eur(money_a),
        _period_eur(money_b),
        money_a.without_amount,
        money_b.without_amount,
        orgs,
        contribution_change(a.funding("country"), b.funding("country")),
    )


def _json_amount(value: object) -> float | None:
    """An amount as JSON writes it: rounded to the cent, None when unknown (JSON has no NaN)."""
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else round(number, 2)


@dataclass(frozen=True)
class Comparison:
    """Two periods under the same other filters: organisations and their links, countries and theirs, movers, money."""

    periods: Periods
    filters: Filters  # the other filters, in force in both periods (their own period unused)
    organisations: Change
    countries: Change
    movers: pd.DataFrame = field(repr=False)
    org_countries: Mapping[str, str] = field(repr=False, default_factory=dict)  # org id -> country, either period
    pending: tuple[str, ...] = ()  # mover metrics still being computed (left out of `movers` for now)
    money: Money | None = field(repr=False, default=None)  # None: the dataset carries no amounts

    def tiles(self) -> dict[str, int]:
        """The page's four numbers, by their English names (TILE_HELP; the page says them with `_()`)."""
        orgs = self.organisations
        return {
            TILE_JOINED: len(orgs.joined),
            TILE_LEFT: len(orgs.left),
            TILE_NEW: orgs.count("new"),
            TILE_LOST: orgs.count("lost"),
        }

    def as_dict(self) -> dict[str, object]:
        """The comparison as `clusternet compare --format json` prints it."""
        orgs, countries = self.organisations, self.countries
        return {
            "periods": {"a": [self.periods.a_from, self.periods.a_to], "b": [self.periods.b_from, self.periods.b_to]},
            **self._programmes_dict(),
            "filters": self.filters.describe(period=self.periods.words),
            "organisations": {"joined": orgs.joined, "left": orgs.left, "stayed": orgs.stayed},
            "links": {status: orgs.pair_lists(status) for status in STATUSES},
            "countries": {"joined": countries.joined, "left": countries.left, "stayed": countries.stayed},
            "country_links": {status: countries.pair_lists(status) for status in STATUSES},
            "movers": [
                {
                    "org_id": row.node,
                    "name": row.label,
                    "status": row.status,
                    "metric": row.metric,
                    "value_a": _plain(row.value_a),
                    "value_b": _plain(row.value_b),
                }
                for row in self.movers.itertuples(index=False)
            ],
        } | self._money_dict()

    def _programmes_dict(self) -> dict[str, object]:
        """`programmes` of A and B, only when the sides are set by programme (the output is unchanged otherwise)."""
        p = self.periods
        if not (p.a_programmes or p.b_programmes):
            return {}
        return {"programmes": {"a": list(p.a_programmes), "b": list(p.b_programmes)}}

    def _money_dict(self) -> dict[str, object]:
        """The money keys of `as_dict`, only when the dataset carries amounts (the output is unchanged otherwise)."""
        money = self.money
        if money is None:
            return {}
        ids = {"org": "org_id", "country": "country"}
        return {
            "contribution_eur": {
                "a": _json_amount(money.a_eur),
                "b": _json_amount(money.b_eur),
                "change": _json_amount(money.change_eur),
            },
            "participations_without_amount": {"a": money.without_amount_a, "b": money.without_amount_b},
            "contribution_movers": {
                key: [
                    {
                        ids[level]: row.id,
                        "name": row.name,
                        "contribution_eur_a": _json_amount(row.contribution_eur_a),
                        "contribution_eur_b": _json_amount(row.contribution_eur_b),
                        "change_eur": _json_amount(row.change_eur),
                    }
                    for row in money.movers(level).itertuples(index=False)
                ]
                for level, key in MONEY_LEVELS.items()
            },
        }

    def rows(self) -> pd.DataFrame:
        """The comparison as one long table (`--format csv`): what, status, a, b, and the values of each side."""
        nodes = [
            {"what": what, "status": status, "a": node, "b": "", "value_a": "", "value_b": ""}
            for what, level in (("organisation", self.organisations), ("country", self.countries))
            for status, node in level.nodes()
        ]
        frames = [pd.DataFrame(nodes, columns=["what", "status", "a", "b", "value_a", "value_b"])]
        for what, level in (("link", self.organisations), ("country link", self.countries)):
            links = level.links.rename(columns={"weight_a": "value_a", "weight_b": "value_b"})
            frames.append(links.assign(what=what)[["what", "status", "a", "b", "value_a", "value_b"]])
        frames.append(
            self.movers.rename(columns={"node": "a", "metric": "b"}).assign(what="mover")[
                ["what", "status", "a", "b", "value_a", "value_b"]
            ]
        )
        if self.money is not None:
            frames.append(self._money_rows(self.money))
        return pd.concat(frames, ignore_index=True)

    @staticmethod
    def _money_rows(money: Money) -> pd.DataFrame:
        """`contribution` (the periods' totals), then `contribution mover` and `country contribution mover` rows."""
        totals = {"value_a": _json_amount(money.a_eur), "value_b": _json_amount(money.b_eur)}
        rows = [{"what": "contribution", "a": "", **totals}]
        for level, what in (("org", "contribution mover"), ("country", "country contribution mover")):
            rows += [
                {
                    "what": what,
                    "a": row.id,
                    "value_a": _json_amount(row.contribution_eur_a),
                    "value_b": _json_amount(row.contribution_eur_b),
                }
                for row in money.movers(level).itertuples(index=False)
            ]
        return pd.DataFrame(rows).assign(status="", b="")[["what", "status", "a", "b", "value_a", "value_b"]]

    def story(self, name: Callable[[str], str] = country_name) -> list[str]:
        """A few plain sentences computed from the numbers, in the language spoken: who joined and from where, links
        won and lost, countries that joined or left, and the largest gain in partners."""
        p, orgs, countries = self.periods, self.organisations, self.countries
        number = i18n.integer
        joined_from = pd.Series([self.org_countries.get(o, "") for o in orgs.joined], dtype=object).value_counts()
        counts = {
            "a": p.a_words,
            "b": p.b_words,
            "joined": plural(len(orgs.joined), "{count} organisation joined", "{count} organisations joined"),
            "left": plural(len(orgs.left), "{count} left", "{count} left"),
            "stayed": plural(len(orgs.stayed), "{count} stayed", "{count} stayed"),
        }
        if len(joined_from) and joined_from.iloc[0] > 1 and joined_from.index[0]:
            first = _("Between {a} and {b}, {joined}, {lead} of them from {country}, {left} and {stayed}.").format(
                lead=number(int(joined_from.iloc[0])), country=name(str(joined_from.index[0])), **counts
            )
        else:
            first = _("Between {a} and {b}, {joined}, {left} and {stayed}.").format(**counts)
        sentences = [first]
        links = {
            "new": number(orgs.count("new")),
            "lost": number(orgs.count("lost")),
            "kept": number(orgs.count("kept")),
        }
        if orgs.count("kept"):
            sentences.append(
                _(
                    "Links between organisations: {new} new, {lost} lost and {kept} kept, {stronger} of them stronger "
                    "and {weaker} weaker."
                ).format(stronger=number(orgs.stronger), weaker=number(orgs.weaker), **links)
            )
        else:
            sentences.append(_("Links between organisations: {new} new, {lost} lost and {kept} kept.").format(**links))
        names = sorted(name(c) for c in countries.joined)
        gone = sorted(name(c) for c in countries.left)
        if names or gone:
            came = _("Countries that joined: {countries}.").format(countries=listed(names)) if names else None
            went = _("Countries that left: {countries}.").format(countries=listed(gone)) if gone else None
            sentences.append(" ".join([came or _("No country joined."), went or _("No country left.")]))
        else:
            sentences.append(
                plural(
                    len(countries.stayed),
                    "The same {count} country took part in both.",
                    "The same {count} countries took part in both.",
                )
            )
        new_ties, lost_ties = countries.count("new"), countries.count("lost")
        if new_ties or lost_ties:
            strongest = countries.links[countries.links["status"] == "new"].sort_values(
                ["weight_b", "a", "b"], ascending=[False, True, True]
            )
            named = [f"{name(a)}-{name(b)}" for a, b in zip(strongest["a"][:3], strongest["b"][:3], strict=True)]
            ties = {"new": number(new_ties), "lost": number(lost_ties)}
            sentences.append(
                _("Ties between countries: {new} new and {lost} lost (the strongest new: {ties}).").format(
                    ties=listed(named), **ties
                )
                if named
                else _("Ties between countries: {new} new and {lost} lost.").format(**ties)
            )
        gains = self.movers[(self.movers["metric"] == "degree") & (self.movers["change"].astype(float) > 0)]
        if len(gains):
            top = gains.iloc[0]
            sentences.append(
                _("The largest gain in partners: {name} ({country}), from {before} to {after}.").format(
                    name=top["label"],
                    country=top["country"],
                    before=number(int(top["value_a"])),
                    after=number(int(top["value_b"])),
                )
            )
        return sentences


def _plain(value: object) -> object:
    """A table value as JSON writes it: whole numbers as int, the rest as float."""
    if isinstance(value, int | np.integer):
        return int(value)
    number = float(value)  # type: ignore[arg-type]
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def compare(periods: Periods, a: Insights, b: Insights, wait: bool = True, top: int = MOVERS_TOP) -> Comparison:
    """Compare two periods' views of one dataset (the same filters but for the period: `Periods.of`). With `wait`
    False the movers take the costly metrics as far as they are computed, and `pending` names those left out."""
    orgs_a, orgs_b = a.network("org"), b.network("org")
    metrics_a, metrics_b = ((v.metrics("org") if wait else v.metrics_so_far("org")[0]) for v in (a, b))
    pending = tuple(m for m in MOVER_METRICS if metrics_a[m].isna().any() or metrics_b[m].isna().any())
    countries = pd.concat([orgs_a.nodes[["node", "country"]], orgs_b.nodes[["node", "country"]]])
    return Comparison(
        periods,
        periods.shared(a.filters),
        change(orgs_a, orgs_b),
        change(a.network("country"), b.network("country")),
        movers(metrics_a, metrics_b, top),
        dict(zip(countries["node"], countries["country"], strict=True)),
        pending,
        contribution(a, b) if a.has_amounts else None,
    )


def compare_dataset(data: Dataset, periods: Periods, filters: Filters) -> Comparison:
    """Two periods of a dataset under the same other filters, every metric waited for (`clusternet compare`)."""
    periods = periods.resolved(filters)
    a, b = (Insights(data, f) for f in periods.of(filters))
    return compare(periods, a, b)
