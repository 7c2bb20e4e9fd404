"""Partner suggestions: who an organisation (or a region, or a country) might work with next, ranked by the
Adamic-Adar index on the network in view, each with its reasons; and a backtest of that ranking on the data itself."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from analysis import i18n
from analysis.dataset import Dataset
from analysis.filters import Filters, apply
from analysis.i18n import N_, _
from analysis.incidence import Incidence
from analysis.networks import EPOCH, Network, network
from analysis.reference import nuts2_names
from analysis.words import kind_label, listed, plural

DEFAULT_TOP = 10
# Scores equal to this many decimals are ties (broken by id): sums of the same terms in another order differ in the
# last bits, and must not reorder equal suggestions.
TIE_DECIMALS = 10
EXPLAINED = 3  # shared partners explained one by one in the reasons; the others are named in one line
NAMED_ITEMS = 2  # items named per tie in a reason; the others counted
RECENT_YEARS = 2  # "recent": starting in the last two calendar years of starts in view
BACKTEST_NODES = 3_000  # the backtest scores every pair of organisations (dense): 4.5 million pairs at most
BACKTEST_SEED = 15
BACKTEST_TOP = 10
RANKINGS = {  # said with `_()` where shown
    "adamic_adar": N_("Adamic-Adar"),
    "common_neighbours": N_("common neighbours"),
    "random": N_("random (seeded)"),
}


def shared_items(count: int) -> str:
    """`1 agreement or action`, `3 agreements or actions`."""
    return plural(count, "{count} agreement or action", "{count} agreements or actions")


class UnknownNode(KeyError):
    """The organisation or place asked about is no node of the network in view."""


def ties_of(net: Network) -> sparse.csr_matrix:
    """Who is tied to whom, 0/1, in node order, without self-loops (a csr matrix with sorted indices)."""
    weights = net.adjacency()
    ties = sparse.csr_matrix((np.ones(weights.nnz), weights.indices.copy(), weights.indptr.copy()), shape=weights.shape)
    ties.sort_indices()
    return ties


def adamic_adar_weights(ties: sparse.csr_matrix) -> np.ndarray:
    """1 / ln(degree) per node; 0 for degree 0 or 1 (such a node is nobody's common partner)."""
    degree = np.diff(ties.indptr)
    out = np.zeros(len(degree))
    many = degree > 1
    out[many] = 1.0 / np.log(degree[many])
    return out


def ranked_order(scores: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Positions by score, best first; equal scores (to TIE_DECIMALS) by id."""
    return np.lexsort((ids, -np.round(scores, TIE_DECIMALS)))


@dataclass(frozen=True)
class Suggestion:
    """One suggested partner: who, its score, the partners both share (the strongest evidence first), and why."""

    node: str
    label: str
    country: str
    score: float
    shared: tuple[str, ...]  # node ids of the common partners, the rarest-tied (largest 1/ln degree) first, then id
    shared_labels: tuple[str, ...]
    reasons: tuple[str, ...]

    def as_dict(self, key: str = "org_id") -> dict[str, object]:
        """What `clusternet suggest` prints for it (`key` names the id: org_id, or place)."""
        return {
            key: self.node,
            "name": self.label,
            "country": self.country,
            "score": self.score,
            "common_partners": list(self.shared),
            "reasons": list(self.reasons),
        }


class Partners:
    """One network prepared for suggestions: its 0/1 ties and Adamic-Adar weights, made once per view."""

    def __init__(self, net: Network, inc: Incidence, regions: Network | None = None) -> None:
        self.net = net
        self.inc = inc
        self.ties = ties_of(net)
        self.degree = np.diff(self.ties.indptr)
        self.weights = adamic_adar_weights(self.ties)
        self.ids = net.nodes["node"].astype(str).to_numpy()
        self._by_id = np.argsort(self.ids, kind="stable")  # to find nodes by id (a pd.Index would do; cache.weight
        # does not weigh one)
        self.labels = net.nodes["label"].astype(str).to_numpy()
        self.countries = net.nodes["country"].astype(str).to_numpy()
        # Columns as numpy arrays once: reading an Arrow-backed column costs milliseconds each time.
        self.kinds = net.nodes["kind"].astype(str).to_numpy() if "kind" in net.nodes else None
        self.regions = net.nodes["nuts2"].astype(object).to_numpy() if "nuts2" in net.nodes else None
        self.titles = inc.items["title"].astype(str).to_numpy()
        self._region_ties = (
            {frozenset(p) for p in zip(regions.links["a"], regions.links["b"], strict=True)} if regions else set()
        )
        self._recent, self._recent_years = self._recent_activity()

    def positions(self, nodes: Collection[str]) -> np.ndarray:
        """Positions of some nodes in the network's node order; UnknownNode for one that is not in it."""
        wanted = np.asarray(list(nodes), dtype=object)
        if not len(self.ids):
            if len(wanted):
                raise UnknownNode(wanted[0])
            return np.zeros(0, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.ids[self._by_id], wanted), len(self.ids) - 1)
        found = self._by_id[at]
        missing = self.ids[found] != wanted
        if missing.any():
            raise UnknownNode(wanted[missing][0])
        return found

    def position(self, node: str) -> int:
        return int(self.positions([node])[0])

    def label(self, i: int) -> str:
        """Node i's name as said: a country's in the language spoken (ISO's), anything else as the data gives it."""
        if self.net.level == "country":
            return i18n.country_name(self.ids[i], self.labels[i])
        return str(self.labels[i])

    def partners_of(self, i: int) -> np.ndarray:
        return self.ties.indices[self.ties.indptr[i] : self.ties.indptr[i + 1]]

    def scores(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Adamic-Adar score and number of common partners of node i with every node: one sparse row product,
        A[i] diag(w) A, summed over i's partners' rows only."""
        mine = self.partners_of(i)
        rows = self.ties[mine]
        per_row = np.diff(rows.indptr)
        n = len(self.ids)
        aa = np.bincount(rows.indices, weights=np.repeat(self.weights[mine], per_row), minlength=n)
        common = np.bincount(rows.indices, minlength=n)
        return aa, common

    def candidates(
        self, node: str, countries: Collection[str] = (), kinds: Collection[str] = ()
    ) -> tuple[np.ndarray, np.ndarray]:
        """Positions of the candidates for a node, best first, and their scores: not the node, not yet tied to it,
        with a common partner; only of `countries` and `kinds` if given (that narrows the candidates, not the
        network, so the degrees are the whole network's)."""
        i = self.position(node)
        aa, common = self.scores(i)
        keep = common > 0
        keep[i] = False
        keep[self.partners_of(i)] = False
        if countries:
            keep &= np.isin(self.countries, list(countries))
        if kinds and self.kinds is not None:
            keep &= np.isin(self.kinds, list(kinds))
        found = np.flatnonzero(keep)
        order = found[ranked_order(aa[found], self.ids[found])]
        return order, aa[order]

    def suggest(
        self, node: str, countries: Collection[str] = (), kinds: Collection[str] = (), top: int | None = DEFAULT_TOP
    ) -> list[Suggestion]:
        """The best `top` candidates (all if None) with their common partners and reasons."""
        order, scores = self.candidates(node, countries, kinds)
        if top is not None:
            order, scores = order[:top], scores[:top]
        i = self.position(node)
        mine = set(self.partners_of(i).tolist())
        out = []
        for j, score in zip(order.tolist(), scores.tolist(), strict=True):
            shared = [w for w in self.partners_of(j).tolist() if w in mine]
            shared.sort(key=lambda w: (-self.weights[w], self.ids[w]))
            out.append(
                Suggestion(
                    self.ids[j],
                    self.label(j),
                    self.countries[j],
                    float(score),
                    tuple(self.ids[shared]),
                    tuple(self.label(w) for w in shared),
                    tuple(self.reasons(i, j, shared)),
                )
            )
        return out

    # Reasons

    def reasons(self, i: int, j: int, shared: list[int]) -> list[str]:
        """Why j is suggested to i, in words (the language spoken): each common partner and the ties through it, then
        what else the data shows (same kind, a region not yet tied, recent activity)."""
        out = [self._through(i, w, j) for w in shared[:EXPLAINED]]
        if len(shared) > EXPLAINED:
            rest = [self.label(w) for w in shared[EXPLAINED:]]
            out.append(_("Also partners of both: {names}.").format(names=listed(rest)))
        out += [text for text in (self._same_kind(i, j), self._new_region(i, j), self._active(j)) if text]
        return out

    def _through(self, i: int, w: int, j: int) -> str:
        names = {"partner": self.label(w), "first": self.label(i), "second": self.label(j)}
        if self.net.level != "org":
            a, b = self._weight(i, w), self._weight(w, j)
            return _(
                "{partner} is tied to both: to {first} through {first_items}, to {second} through {second_items}."
            ).format(first_items=shared_items(a), second_items=shared_items(b), **names)
        return _("{partner} works with both: with {first} in {first_items}, with {second} in {second_items}.").format(
            first_items=self._items(i, w), second_items=self._items(w, j), **names
        )

    def _weight(self, a: int, b: int) -> int:
        return int(self.net.adjacency()[a, b])

    def _items(self, a: int, b: int) -> str:
        """The items behind one link, by title (the first NAMED_ITEMS in item order, the others counted)."""
        keyed = self.net.keyed
        if keyed is None:
            return _("shared agreements or actions")
        rows = keyed.positions_for(self.ids[a], self.ids[b])
        titles = [f"'{t}'" for t in self.titles[rows[:NAMED_ITEMS]]]
        if len(rows) > NAMED_ITEMS:
            titles.append(plural(len(rows) - NAMED_ITEMS, "{count} more", "{count} more"))
        return listed(titles)

    def _same_kind(self, i: int, j: int) -> str | None:
        if self.net.level == "region" and self.countries[i] == self.countries[j]:
            return _("In the same country as {name} ({country}).").format(name=self.label(i), country=self.countries[i])
        if self.kinds is None or self.kinds[i] != self.kinds[j]:
            return None
        return _("Same kind of organisation: {kind}.").format(kind=kind_label(self.kinds[i]))

    def _new_region(self, i: int, j: int) -> str | None:
        """For organisations: j's NUTS-2 region has no tie in view with i's (both known, different)."""
        if self.regions is None:
            return None
        mine, theirs = self.regions[i], self.regions[j]
        if pd.isna(mine) or pd.isna(theirs) or mine == theirs or frozenset((mine, theirs)) in self._region_ties:
            return None
        names = nuts2_names()
        return _("Its region, {region} ({code}), has no tie yet with {other} ({other_code}).").format(
            region=names.get(theirs, theirs), code=theirs, other=names.get(mine, mine), other_code=mine
        )

    def _recent_activity(self) -> tuple[np.ndarray, tuple[int, int] | None]:
        """Per node, the agreements and actions in view starting in the last RECENT_YEARS years of starts in view."""
        keyed = self.net.keyed
        counts = np.zeros(len(self.ids), dtype=np.int64)
        if keyed is None or not len(keyed.item):
            return counts, None
        years = (self.inc.first[keyed.item] - EPOCH).astype("datetime64[D]").astype("datetime64[Y]").astype(int)
        years = years + 1970
        last = int(years.max())
        recent = years > last - RECENT_YEARS
        per_key = np.bincount(keyed.key[recent], minlength=len(keyed.labels))
        at = np.searchsorted(keyed.labels, self.ids)
        found = (at < len(keyed.labels)) & (keyed.labels[np.minimum(at, len(keyed.labels) - 1)] == self.ids)
        counts[found] = per_key[at[found]]
        return counts, (last - RECENT_YEARS + 1, last)

    def _active(self, j: int) -> str | None:
        if not self._recent[j] or self._recent_years is None:
            return None
        first, last = self._recent_years
        return _("Active recently: {items} starting in {first}-{last}.").format(
            items=shared_items(int(self._recent[j])), first=first, last=last
        )


def partners_for(data: Dataset, filters: Filters, level: str = "org") -> Partners:
    """A Partners of one network of a dataset under filters (the region network too, for the org level's reasons)."""
    view = apply(data, filters)
    net = network(view, level)  # type: ignore[arg-type]
    return Partners(net, data.incidence, network(view, "region") if level == "org" else None)


def suggestions_table(found: list[Suggestion]) -> pd.DataFrame:
    """The Partners page's table: one row per suggestion, best first."""
    return pd.DataFrame(
        {
            "Organisation": [s.label for s in found],
            "Country": [s.country for s in found],
            "Score": [round(s.score, 4) for s in found],
            "Shared partners": ["; ".join(s.shared_labels) for s in found],
            "Reasons": [" ".join(s.reasons) for s in found],
            "org_id": [s.node for s in found],
        }
    )


# Backtest


@dataclass(frozen=True)
class Backtest:
    """How well each ranking of the pairs not tied before a split found the links that appeared after it."""

    split: str
    organisations: int  # nodes of the network before the split
    links_before: int
    pairs: int  # pairs of those organisations not tied before the split: what is ranked
    hidden: int  # of them, tied after the split
    auc: dict[str, float]  # by ranking (RANKINGS)
    precision: dict[str, float]  # share of the top BACKTEST_TOP pairs that are hidden links, by ranking

    def as_dict(self) -> dict[str, object]:
        """The figures for JSON: an AUC that cannot be had (no hidden link, or no other pair) is None."""
        return {
            "split": self.split,
            "organisations": self.organisations,
            "links_before": self.links_before,
            "pairs": self.pairs,
            "hidden": self.hidden,
            "auc": {name: None if np.isnan(value) else value for name, value in self.auc.items()},
            f"precision_at_{BACKTEST_TOP}": self.precision,
        }

    def table(self) -> pd.DataFrame:
        """One row per ranking: ranking, auc, precision_at_10, with the split and the counts."""
        return pd.DataFrame(
            {
                "split": self.split,
                "ranking": list(RANKINGS),
                "auc": [self.auc[name] for name in RANKINGS],
                f"precision_at_{BACKTEST_TOP}": [self.precision[name] for name in RANKINGS],
                "organisations": self.organisations,
                "pairs": self.pairs,
                "hidden": self.hidden,
            }
        )

    def lines(self) -> list[str]:
        """The figures in words (the language spoken), one ranking a line."""
        rate = self.hidden / self.pairs if self.pairs else 0.0
        head = _(
            "Split {split}: {organisations} and {links} before it; {pairs} pairs not yet tied, {hidden} of them tied "
            "after it ({rate})."
        ).format(
            split=self.split,
            organisations=plural(self.organisations, "{count} organisation", "{count} organisations"),
            links=plural(self.links_before, "{count} link", "{count} links"),
            pairs=i18n.integer(self.pairs),
            hidden=i18n.integer(self.hidden),
            rate=i18n.percent(rate, 2),
        )

        def figure(value: float, places: int) -> str:
            return _("n/a") if np.isnan(value) else i18n.decimal(value, places)

        body = [
            _("{ranking}: AUC {auc}, precision at {top} {precision}").format(
                ranking=_(RANKINGS[name]),
                auc=figure(self.auc[name], 3),
                top=BACKTEST_TOP,
                precision=figure(self.precision[name], 2),
            )
            for name in RANKINGS
        ]
        return [head, *body]


def auc(scores: np.ndarray, hidden: np.ndarray) -> float:
    """Probability that a hidden pair outscores a pair that stays untied (ties count 1/2), exact through ranks."""
    positive, negative = scores[hidden], np.sort(scores[~hidden])
    if not len(positive) or not len(negative):
        return float("nan")
    below = np.searchsorted(negative, positive, side="left")
    equal = np.searchsorted(negative, positive, side="right") - below
    return float((below + 0.5 * equal).sum() / (len(positive) * len(negative)))


def precision_at(scores: np.ndarray, hidden: np.ndarray, a: np.ndarray, b: np.ndarray, k: int) -> float:
    """Share of hidden links among the k best pairs (equal scores by the pair's ids)."""
    order = np.lexsort((b, a, -np.round(scores, TIE_DECIMALS)))[:k]
    return float(hidden[order].mean()) if len(order) else float("nan")


def backtest(data: Dataset, filters: Filters, split: str, seed: int = BACKTEST_SEED) -> Backtest:
    """Hide the links that first appear after `split`: rank every untied pair of organisations of the network up to
    the split (the filters' period cut there) and score each ranking against the links of the filters' whole
    period. ValueError if the period starts after the split or the network is too large to score every pair."""
    before = network(apply(data, filters.with_(date_to=split)), "org")
    after = network(apply(data, filters), "org")
    ids = before.nodes["node"].astype(str).to_numpy()
    if len(ids) > BACKTEST_NODES:
        raise ValueError(
            _(
                "the backtest scores every pair of organisations, at most {limit} of them ({count} before {split}): "
                "narrow it with filters"
            ).format(limit=i18n.integer(BACKTEST_NODES), count=i18n.integer(len(ids)), split=split)
        )
    by_id = np.argsort(ids, kind="stable")  # node positions in id order, so pair ids break ties
    ids = ids[by_id]
    ties = ties_of(before)[by_id][:, by_id].tocsr()
    position = pd.Index(ids)
    a_after, b_after = (position.get_indexer(after.links[end].astype(str)) for end in ("a", "b"))
    both = (a_after >= 0) & (b_after >= 0)
    n = len(ids)
    later = sparse.csr_matrix(
        (np.ones(int(both.sum())), (a_after[both], b_after[both])), shape=(n, n), dtype=np.float64
    )
    later = ((later + later.T) > 0).toarray()
    tied = ties.toarray() > 0
    weights = adamic_adar_weights(ties)
    adamic_adar = (ties.multiply(weights[None, :]) @ ties).toarray()
    common = (ties @ ties).toarray()
    a, b = np.triu_indices(n, 1)
    open_pair = ~tied[a, b]
    a, b = a[open_pair], b[open_pair]
    hidden = later[a, b]
    rankings = {
        "adamic_adar": adamic_adar[a, b],
        "common_neighbours": common[a, b],
        "random": np.random.default_rng(seed).random(len(a)),
    }
    return Backtest(
        split,
        n,
        int(tied.sum() // 2),
        len(a),
        int(hidden.sum()),
        {name: auc(scores, hidden) for name, scores in rankings.items()},
        {name: precision_at(scores, hidden, a, b, BACKTEST_TOP) for name, scores in rankings.items()},
    )
