"""The numbers of one place - a NUTS-2 region or a country - in a view: its organisations and their kinds, the places
its organisations work with and how strongly (distinct shared agreements and actions, as the region and country
networks weigh links), its brokers, its agreements and actions year by year, the two halves of the period and its
money. Everything is counted on the place's own rows, vectorised: a programme's 40,000 organisations cost nothing
more than the place's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from analysis import i18n
from analysis.cache import Memo, memoised
from analysis.comparison import Periods, halves
from analysis.dataset import Dataset
from analysis.dates import FAR_FUTURE
from analysis.filters import View, apply
from analysis.i18n import N_, _, ngettext
from analysis.incidence import calendar_years
from analysis.insights import Insights
from analysis.items import ITEM_TYPES
from analysis.reference import is_country, nuts2_country, nuts2_names
from analysis.words import counted, listed, plural

PlaceLevel = Literal["region", "country"]
COLUMNS: dict[PlaceLevel, str] = {"region": "nuts2", "country": "country"}  # the organisations' column of the place
BROKERS_TOP = 10
STRONGEST = 3  # partner places the reading names

# Column definitions: N_() here, said in the language of the files that carry them (Provenance.about_rows).
ORGANISATION_COLUMNS = {
    "org_id": N_("organisation id"),
    "name": N_("organisation name as the dataset gives it"),
    "kind": N_("kind of organisation (the contract's code)"),
    "city": N_("city as the dataset gives it"),
    "nuts2": N_("NUTS-2 region of the organisation; empty when the data gives none"),
    "items": N_("distinct agreements and actions in view the organisation takes part in"),
    "partners": N_("distinct organisations in view it shares at least one agreement or action with"),
}
PARTNER_COLUMNS = {
    "partner": N_("NUTS-2 code of the partner region, or ISO code of the partner country"),
    "name": N_("the partner's name"),
    "country": N_("ISO code of the partner's country"),
    "weight": N_(
        "distinct agreements and actions in view with organisations of both places (the link's weight in the region "
        "or country network)"
    ),
    "organisations": N_("organisations of the partner tied to the place's organisations by those items"),
}
YEAR_COLUMNS = {
    "year": N_("calendar year"),
    "agreements": N_("agreements in view with a party from the place, signed that year"),
    "actions": N_("actions in view with a participant from the place, starting that year"),
}
BROKER_COLUMNS = {
    "org_id": N_("organisation id"),
    "name": N_("organisation name as the dataset gives it"),
    "brokerage": N_("number of distinct countries among the organisation's partners, other than its own"),
    "betweenness": N_(
        "share of shortest paths between other organisations that pass through it (organisation network); empty "
        "while it is being computed"
    ),
    "partners": N_("distinct organisations in view it shares at least one agreement or action with"),
}
HALF_COLUMNS = {
    "period": N_("the half of the years in view"),
    "from": N_("its first year"),
    "to": N_("its last year"),
    "items": N_("distinct agreements and actions overlapping the half with a member from the place"),
    "organisations": N_("organisations of the place taking part in them"),
    "partners": N_("partner places (regions or countries) in them"),
}


class UnknownPlace(ValueError):
    """A code that names no NUTS 2021 level-2 region (or no country): the page says so."""


@dataclass(frozen=True)
class Place:
    """A NUTS-2 region or a country, as the page of one place shows it."""

    level: PlaceLevel
    code: str
    name: str  # NUTS's name of a region; the dataset's (or ISO's) English name of a country
    country: str  # ISO code of the place's country

    @property
    def column(self) -> str:
        """The organisations' column that places an organisation here."""
        return COLUMNS[self.level]

    def said(self) -> str:
        """`Puglia (ITF4)`, `Italy (IT)` (`Italia (IT)` in Italian)."""
        return f"{self.named()} ({self.code})"

    def named(self) -> str:
        """The place's name in the language spoken (a region's stays as NUTS writes it)."""
        return i18n.country_name(self.code, self.name) if self.level == "country" else self.name


def find_place(dataset: Dataset, level: PlaceLevel, code: str) -> Place:
    """The place of a code as a URL writes it (case and spaces forgiven); UnknownPlace if no such place exists."""
    wanted = str(code).strip().upper()
    if level == "region":
        names = nuts2_names()
        if wanted not in names:
            raise UnknownPlace(wanted)
        return Place("region", wanted, names[wanted], nuts2_country(wanted))
    given = dataset.countries.set_index("country")["name"].astype(str)
    if wanted not in given.index and not is_country(wanted):
        raise UnknownPlace(wanted)
    return Place("country", wanted, str(given.get(wanted, i18n.country_name(wanted))), wanted)


def _place_key(dataset: Dataset, place: Place) -> int:
    """The place's code among the organisations' coded column; -2 (matching nothing) if no organisation has it."""
    labels = dataset.incidence.codes[place.column].labels
    at = int(np.searchsorted(labels, place.code))
    return at if at < len(labels) and labels[at] == place.code else -2


def member_keys(view: View, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Each participation in view: its item (a dataset position) and its organisation's place key (-1: none)."""
    inc = view.dataset.incidence
    orgs = inc.member_org[view.member_rows]
    return inc.member_item[view.member_rows], inc.codes[column].codes[orgs]


def place_items(view: View, column: str, key: int) -> np.ndarray:
    """The items in view (dataset positions, ascending) with at least one member from the place."""
    items, keys = member_keys(view, column)
    return np.unique(items[keys == key])


def ties(view: View, column: str, key: int) -> tuple[pd.DataFrame, int]:
    """The place's partner places in view: key, weight (distinct items with members of both) and orgs (the partner's
    organisations in those items, by dataset position); and how many items have two or more of the place's members.
    The definition of the region and country networks' links (analysis.networks), on the place's items only."""
    inc = view.dataset.incidence
    items, keys = member_keys(view, column)
    mine = items[keys == key]
    inside = int((np.bincount(mine) >= 2).sum()) if len(mine) else 0
    shared = np.isin(items, np.unique(mine)) & (keys >= 0) & (keys != key)
    n = max(len(inc.codes[column].labels), 1)
    pairs = np.unique(items[shared] * n + keys[shared])  # distinct (item, partner key)
    weights = np.bincount(pairs % n, minlength=n)
    found = np.flatnonzero(weights)
    orgs = inc.member_org[view.member_rows][shared]
    org_counts = pd.Series(orgs).groupby(keys[shared]).nunique() if len(orgs) else pd.Series(dtype="int64")
    table = pd.DataFrame(
        {
            "key": found,
            "weight": weights[found].astype("int64"),
            "organisations": org_counts.reindex(found).fillna(0).to_numpy(dtype="int64"),
        }
    )
    return table, inside


def view_years(view: View) -> tuple[int, int] | None:
    """The first and last year in view: from the first start to the last dated day, inside the filters' period; None
    when nothing is in view."""
    if not len(view.item_rows):
        return None
    inc = view.dataset.incidence
    first = calendar_years(inc.first[view.item_rows])
    last = inc.last[view.item_rows]
    finite = last < FAR_FUTURE.toordinal()
    low, high = int(first.min()), max(int(first.max()), int(calendar_years(last[finite]).max()) if finite.any() else 0)
    window_first, window_last = view.filters.window
    if view.filters.date_from:
        low = max(low, window_first.year)
    if view.filters.date_to:
        high = min(high, window_last.year)
    return low, max(low, high)


@dataclass(frozen=True)
class Summary:
    """The place's numbers in view, as the tiles show them."""

    organisations: int  # of the place, in view
    in_dataset: int  # of the place, in the whole dataset
    partners: int  # partner places in view
    agreements: int  # with a party from the place
    actions: int  # with a participant from the place
    inside: int  # agreements and actions with two or more of the place's organisations

    @property
    def items(self) -> int:
        return self.agreements + self.actions


@dataclass(frozen=True)
class Half:
    """One half of the years in view: the place's items, organisations taking part and partner places."""

    date_from: str
    date_to: str
    items: int
    organisations: int
    partners: tuple[str, ...]

    @property
    def words(self) -> str:
        return self.date_from if self.date_from == self.date_to else f"{self.date_from}-{self.date_to}"


@dataclass(frozen=True)
class Halves:
    """What changed between the two halves of the years in view; `periods` as the Compare page takes them."""

    periods: Periods
    a: Half
    b: Half

    @property
    def gained(self) -> tuple[str, ...]:
        """Partner places in the second half and not in the first."""
        return tuple(sorted(set(self.b.partners) - set(self.a.partners)))

    @property
    def lost(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.a.partners) - set(self.b.partners)))


@dataclass(frozen=True)
class Money:
    """The place's EU contribution in view (analysis.funding's measure) and where its actions were led from."""

    contribution_eur: float  # NaN: none of its participations carries an amount
    participations: int
    without_amount: int
    here_eur: float  # in actions led from the place
    elsewhere_eur: float  # led from elsewhere only
    not_given_eur: float  # whose lead the data does not place


HALVES_WORDS = {
    "region": N_(
        "Between the first half of the period ({a}) and the second ({b}), its agreements and actions went from "
        "{items_a} to {items_b} and its partner regions from {partners_a} to {partners_b}: {gained} gained, "
        "{lost} lost."
    ),
    "country": N_(
        "Between the first half of the period ({a}) and the second ({b}), its agreements and actions went from "
        "{items_a} to {items_b} and its partner countries from {partners_a} to {partners_b}: {gained} gained, "
        "{lost} lost."
    ),
}


class PlaceReport:
    """One place in one view (an Insights): each number computed once, on demand, from the place's rows."""

    def __init__(self, insights: Insights, place: Place) -> None:
        self.insights = insights
        self.place = place
        self.view = insights.view
        self.key = _place_key(insights.dataset, place)
        self.memo = Memo()

    def weight(self) -> int:
        """Bytes its tables hold (the view is counted where it is kept)."""
        return self.memo.bytes

    # Organisations

    @memoised(words=False)
    def _rows(self) -> np.ndarray:
        """The place's organisations as positions among the view's organisations (the organisation network's
        nodes are in that order)."""
        codes = self.insights.dataset.incidence.codes[self.place.column].codes[self.view.org_rows]
        return np.flatnonzero(codes == self.key)

    def in_dataset(self) -> int:
        """The place's organisations in the whole dataset, whether in view or not."""
        codes = self.insights.dataset.incidence.codes[self.place.column].codes
        return int((codes == self.key).sum())

    @memoised(words=False)
    def organisations(self) -> pd.DataFrame:
        """org_id, name, kind, city, nuts2, items (in view) and partners (organisations it shares an item with),
        most involved first."""
        rows = self._rows()
        orgs = self.view.organisations.take(rows)
        inc = self.insights.dataset.incidence
        positions = self.view.org_rows[rows]  # the dataset's positions of the place's organisations
        members = inc.member_org[self.view.member_rows]
        taking_part = np.isin(members, positions)
        items = pd.Series(members[taking_part]).value_counts()  # (item, organisation) is unique in the contract
        adjacency = self.insights.network("org").adjacency()
        table = pd.DataFrame(
            {
                "org_id": orgs["org_id"].astype(str).to_numpy(),
                "name": orgs["name"].astype(str).to_numpy(),
                "kind": orgs["kind"].astype(str).to_numpy(),
                "city": orgs["city"].to_numpy(dtype=object),
                "nuts2": orgs["nuts2"].to_numpy(dtype=object),
                "items": items.reindex(positions).fillna(0).to_numpy(dtype="int64"),
                "partners": np.diff(adjacency.indptr)[rows].astype("int64") if len(rows) else np.zeros(0, "int64"),
            }
        )
        return table.sort_values(["items", "name", "org_id"], ascending=[False, True, True], ignore_index=True)

    @memoised(words=False)
    def kinds(self) -> pd.DataFrame:
        """kind, organisations: how many of the place's organisations in view are of each kind, most first."""
        counts = self.organisations()["kind"].value_counts()
        table = pd.DataFrame({"kind": counts.index.astype(str), "organisations": counts.to_numpy(dtype="int64")})
        return table.sort_values(["organisations", "kind"], ascending=[False, True], ignore_index=True)

    # Partner places

    @memoised(words=False)
    def _ties(self) -> tuple[pd.DataFrame, int]:
        return ties(self.view, self.place.column, self.key)

    @memoised
    def partners(self) -> pd.DataFrame:
        """partner, name (in the language spoken), country, weight (distinct shared items) and organisations (the
        partner's, tied by them), strongest first."""
        found, _inside = self._ties()
        labels = self.insights.dataset.incidence.codes[self.place.column].labels
        codes = labels[found["key"].to_numpy()].astype(str) if len(found) else np.array([], dtype=str)
        if self.place.level == "region":
            names = nuts2_names()
            said = [names.get(c, c) for c in codes]
            countries = [nuts2_country(c) for c in codes]
        else:
            given = self.insights.dataset.country_names()
            said = [given.get(c) or i18n.country_name(c) for c in codes]
            countries = list(codes)
        table = pd.DataFrame(
            {
                "partner": codes,
                "name": said,
                "country": countries,
                "weight": found["weight"].to_numpy(dtype="int64"),
                "organisations": found["organisations"].to_numpy(dtype="int64"),
            }
        )
        return table.sort_values(["weight", "partner"], ascending=[False, True], ignore_index=True)

    def inside(self) -> int:
        """Agreements and actions in view with two or more of the place's organisations (its self-loop's weight)."""
        return self._ties()[1]

    # Items

    @memoised(words=False)
    def items(self) -> np.ndarray:
        """The place's agreements and actions in view, as the dataset's item positions."""
        return place_items(self.view, self.place.column, self.key)

    @memoised(words=False)
    def summary(self) -> Summary:
        items = self.items()
        start, stop = self.insights.dataset.incidence.spans["agreement"]
        agreements = int(((items >= start) & (items < stop)).sum())
        return Summary(
            organisations=len(self._rows()),
            in_dataset=self.in_dataset(),
            partners=len(self._ties()[0]),
            agreements=agreements,
            actions=len(items) - agreements,
            inside=self.inside(),
        )

    @memoised(words=False)
    def years(self) -> pd.DataFrame:
        """year, agreements, actions: the place's items in view by the year they start (are signed), every year from
        the first to the last start."""
        items = self.items()
        inc = self.insights.dataset.incidence
        if not len(items):
            return pd.DataFrame({column: pd.Series(dtype="int64") for column in YEAR_COLUMNS})
        years = calendar_years(inc.first[items])
        table = pd.DataFrame({"year": np.arange(years.min(), years.max() + 1, dtype="int64")})
        for t in ITEM_TYPES.values():
            start, stop = inc.spans[t.name]
            mine = years[(items >= start) & (items < stop)]
            table[t.plural] = np.bincount(mine - table["year"].iloc[0], minlength=len(table)).astype("int64")
        return table

    # The two halves of the period

    def _half(self, date_from: str, date_to: str) -> Half:
        """The place in one half: the view's filters with the half's years as their period."""
        view = apply(self.insights.dataset, self.insights.filters.with_(date_from=date_from, date_to=date_to))
        column = self.place.column
        items, keys = member_keys(view, column)
        mine = keys == self.key
        orgs = view.dataset.incidence.member_org[view.member_rows][mine]
        found, _inside = ties(view, column, self.key)
        labels = view.dataset.incidence.codes[column].labels
        return Half(
            date_from,
            date_to,
            len(np.unique(items[mine])),
            len(np.unique(orgs)),
            tuple(sorted(str(code) for code in labels[found["key"].to_numpy()])),
        )

    @memoised(words=False)
    def halves(self) -> Halves | None:
        """The years in view cut in two (the earlier half A, as the Compare page cuts them); None when the view spans
        one year or none."""
        years = view_years(self.view)
        if years is None or years[0] == years[1]:
            return None
        periods = halves(years)
        return Halves(
            periods,
            self._half(str(periods.a_from), str(periods.a_to)),
            self._half(str(periods.b_from), str(periods.b_to)),
        )

    def halves_table(self) -> pd.DataFrame:
        """One row per half: period (A, B), from, to, items, organisations, partners (their number)."""
        found = self.halves()
        if found is None:
            return pd.DataFrame(columns=list(HALF_COLUMNS))
        return pd.DataFrame(
            [
                {
                    "period": side,
                    "from": half.date_from,
                    "to": half.date_to,
                    "items": half.items,
                    "organisations": half.organisations,
                    "partners": len(half.partners),
                }
                for side, half in (("A", found.a), ("B", found.b))
            ]
        )

    # Brokers

    def brokers(self) -> tuple[pd.DataFrame, float | None, str | None]:
        """The place's organisations that reach furthest: org_id, name, brokerage, betweenness (missing while it is
        computed), partners; widest first (then betweenness, partners, name). With how far betweenness got (None:
        ready) and why it failed, if it did (Insights.metrics_so_far: nothing waits for it)."""
        metrics, done, problem = self.insights.metrics_so_far("org")
        rows = self._rows()
        mine = metrics.iloc[rows] if len(rows) else metrics.iloc[:0]
        table = pd.DataFrame(
            {
                "org_id": mine["node"].astype(str).to_numpy(),
                "name": mine["label"].astype(str).to_numpy(),
                "brokerage": mine["brokerage"].to_numpy(dtype="int64"),
                "betweenness": mine["betweenness"].astype("Float64").to_numpy(),
                "partners": mine["degree"].to_numpy(dtype="int64"),
            }
        )
        table = table[table["partners"] > 0]
        table = table.sort_values(
            ["brokerage", "betweenness", "partners", "name"],
            ascending=[False, False, False, True],
            na_position="last",
            ignore_index=True,
        )
        return table.head(BROKERS_TOP), done, problem

    # Money

    @memoised(words=False)
    def money(self) -> Money | None:
        """The place's EU contribution in view, when the dataset carries amounts (None otherwise)."""
        insights = self.insights
        if not insights.has_amounts:
            return None
        level = self.place.level
        totals = insights.funding(level).set_index("id")
        led = insights.coordination(level).set_index("id")
        code = self.place.code
        if code in totals.index:
            row = totals.loc[code]
            amount, taken, without = (
                float(row["contribution_eur"]),
                int(row["participations"]),
                int(row["participations_without_amount"]),
            )
        else:  # no participation in an action in view: it received nothing
            amount, taken, without = 0.0, 0, 0
        where = led.loc[code] if code in led.index else pd.Series(dtype="float64")
        return Money(
            contribution_eur=amount,
            participations=taken,
            without_amount=without,
            here_eur=float(where.get("here_eur", 0.0)),
            elsewhere_eur=float(where.get("elsewhere_eur", 0.0)),
            not_given_eur=float(where.get("not_given_eur", 0.0)),
        )

    # In words

    def _partners_said(self, count: int) -> str:
        if self.place.level == "region":  # Italian: regione is feminine, paese masculine
            return plural(count, "{count} other region", "{count} other regions")
        return plural(count, "{count} other country", "{count} other countries")

    @memoised
    def reading(self) -> list[str]:
        """A few plain sentences about the place in view, each computed from the numbers."""
        s = self.summary()
        place = self.place.said()
        if s.organisations == 0:
            if s.in_dataset == 0:
                return [_("The dataset has no organisation in {place}.").format(place=place)]
            return [
                ngettext(
                    "{count} organisation of the dataset is in {place}, but none takes part in an agreement or "
                    "action in view.",
                    "{count} organisations of the dataset are in {place}, but none takes part in an agreement or "
                    "action in view.",
                    s.in_dataset,
                ).format(count=i18n.integer(s.in_dataset), place=place)
            ]
        organisations = plural(s.organisations, "{count} organisation", "{count} organisations")
        items = counted(s.agreements, s.actions)
        if s.partners:
            sentence = _("{organisations} in {place} took part in {items} in view, with partners in {partners}.")
        elif self.place.level == "region":
            sentence = _(
                "{organisations} in {place} took part in {items} in view, none with a partner in another region."
            )
        else:
            sentence = _(
                "{organisations} in {place} took part in {items} in view, none with a partner in another country."
            )
        said = [
            sentence.format(
                organisations=organisations, place=place, items=items, partners=self._partners_said(s.partners)
            )
        ]
        if s.inside:
            said.append(
                plural(
                    s.inside,
                    "{count} of them brought two or more of its organisations together.",
                    "{count} of them brought two or more of its organisations together.",
                )
            )
        partners = self.partners().head(STRONGEST)
        if len(partners):
            named = [
                _("{name} ({code}, {items})").format(
                    name=name,
                    code=code,
                    items=plural(int(w), "{count} shared agreement or action", "{count} shared agreements and actions"),
                )
                for name, code, w in zip(partners["name"], partners["partner"], partners["weight"], strict=True)
            ]
            said.append(
                ngettext(
                    "Its strongest tie is with {places}.", "Its strongest ties are with {places}.", len(named)
                ).format(places=listed(named))
            )
        said += self._brokers_said() + self._halves_said() + self._money_said()
        return said

    def _brokers_said(self) -> list[str]:
        table, _done, _problem = self.brokers()
        if not len(table) or table["brokerage"].iloc[0] == 0:
            return []
        top = table.iloc[0]
        return [
            _("Its widest broker is {name}, tied to partners in {countries}.").format(
                name=top["name"],
                countries=plural(int(top["brokerage"]), "{count} other country", "{count} other countries"),
            )
        ]

    def _halves_said(self) -> list[str]:
        found = self.halves()
        if found is None:
            return []
        a, b = found.a, found.b
        return [
            _(HALVES_WORDS[self.place.level]).format(
                a=a.words,
                b=b.words,
                items_a=i18n.integer(a.items),
                items_b=i18n.integer(b.items),
                partners_a=i18n.integer(len(a.partners)),
                partners_b=i18n.integer(len(b.partners)),
                gained=i18n.integer(len(found.gained)),
                lost=i18n.integer(len(found.lost)),
            )
        ]

    def _money_said(self) -> list[str]:
        money = self.money()
        if money is None or money.participations == 0:
            return []
        if money.without_amount == money.participations:
            return [
                plural(
                    money.participations,
                    "None of its {count} participation in actions in view carries an amount.",
                    "None of its {count} participations in actions in view carries an amount.",
                )
            ]
        said = _("Its organisations received {amount} of EU contribution in {participations}").format(
            amount=i18n.euros(money.contribution_eur),
            participations=plural(money.participations, "{count} participation", "{count} participations"),
        )
        if money.contribution_eur > 0 and money.here_eur + money.elsewhere_eur > 0:  # some lead is placed
            said += _("; {share} of it in actions led from elsewhere").format(
                share=i18n.percent(money.elsewhere_eur / money.contribution_eur)
            )
        if money.without_amount:
            said += plural(
                money.without_amount,
                "; {count} carries no amount and is not counted in it",
                "; {count} carry no amount and are not counted in it",
            )
        return [said + "."]
