"""Growth through time: for each year of the view's period, the organisation network of that year alone and of every
year up to it (organisations, links, countries, components, the largest component's share), and when the drawn part
of the network came to be, for small multiples on one layout."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse import csgraph

from analysis.dataset import Dataset
from analysis.dates import parse_date
from analysis.filters import Filters, View, apply
from analysis.i18n import N_
from analysis.incidence import calendar_years
from analysis.networks import item_pairs, keyed

# The scopes' words are the table's values (the same in every language, as the downloads keep them) and catalogue
# messages: a page or a chart says them with `_()`.
SCOPES = {
    "year": N_("that year"),  # the window of the year alone
    "cumulative": N_("up to that year"),  # the window from the period's start to the year's end
}
COLUMNS = ["year", "scope", "organisations", "links", "countries", "components", "largest_share"]
# The growth table's column names (its downloads keep them in English); catalogue messages, said with `_()`.
LABELS = {
    "year": N_("Year"),
    "scope": N_("Scope"),
    "organisations": N_("Organisations"),
    "links": N_("Links"),
    "countries": N_("Countries"),
    "components": N_("Components"),
    "largest_share": N_("Largest component's share"),
}
# What each column means, by its name (the definitions are catalogue messages; the Scope's quotes SCOPES).
DEFINITIONS = {
    "Year": N_("calendar year of the view's period"),
    "Scope": N_(
        "'that year': the agreements and actions whose interval overlaps the year; 'up to that year': those "
        "overlapping the period from its start (or the data's first year) to the year's end, so an open-ended "
        "agreement counts in every year from its signing on; both under the other filters in force"
    ),
    "Organisations": N_(
        "organisations taking part in at least one of those agreements and actions (nodes of the organisation network)"
    ),
    "Links": N_("pairs of different organisations sharing at least one of them"),
    "Countries": N_("distinct countries of those organisations"),
    "Components": N_("connected parts of the organisation network; an organisation with no link is a part of its own"),
    "Largest component's share": N_("organisations in the largest connected part / all organisations (0 when none)"),
}


def period_years(data: Dataset, filters: Filters) -> list[int]:
    """The years of the view's period: the dataset's year span (Incidence.years) cut by the filters' period."""
    if not len(data.incidence.first):
        return []
    first, last = data.incidence.years()
    window_first, window_last = filters.window
    return list(range(max(first, window_first.year), min(last, window_last.year) + 1))


def year_filters(filters: Filters, year: int, cumulative: bool) -> Filters:
    """The filters of one year's scope: its period is the year (or the period's start to the year's end), cut by the
    filters' own period where that starts or ends inside the year."""
    starts_inside = filters.date_from and parse_date(filters.date_from).first.year == year
    ends_inside = filters.date_to and parse_date(filters.date_to).last.year == year
    date_from = filters.date_from if cumulative or starts_inside else f"{year:04d}"
    date_to = filters.date_to if ends_inside else f"{year:04d}"
    return filters.with_(date_from=date_from, date_to=date_to)


def growth(data: Dataset, filters: Filters) -> pd.DataFrame:
    """Per year of the period and scope (SCOPES): the organisation network's size, countries and components."""
    # Every year's networks are parts of the view's own: the filters decide per agreement or action, whatever the
    # period, whether it is kept and with whom; a year's scope keeps the view's items that overlap its window. So one
    # pass over the view's pairs gives every year (rebuilding 40 networks took 18 s at programme scale).
    years = period_years(data, filters)
    if not years:
        return pd.DataFrame({c: pd.Series(dtype=object if c == "scope" else "int64") for c in COLUMNS}).astype(
            {"largest_share": "float64"}
        )
    view = apply(data, filters)
    inc = data.incidence
    n = len(view.org_rows)
    member_item = inc.member_item[view.member_rows]
    member_node = pd.Index(view.org_rows).get_indexer(inc.member_org[view.member_rows])
    country = inc.codes["country"].codes[view.org_rows]
    a, b, pair_link, pair_item = _pairs_by_link(view)
    in_view = np.zeros(len(inc.first), dtype=bool)
    in_view[view.item_rows] = True
    # Every item in view ends after the period's start, so up to a year's end are those that start by then: a node
    # or a link is there from its first item's start on.
    node_first = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(node_first, member_node, inc.first[member_item])
    link_first = np.full(len(a), np.iinfo(np.int64).max)
    np.minimum.at(link_first, pair_link, inc.first[pair_item])
    rows = []
    for year in years:
        for scope, cumulative in (("year", False), ("cumulative", True)):
            first, last = year_filters(filters, year, cumulative).window
            if cumulative:
                present, linked = node_first <= last.toordinal(), link_first <= last.toordinal()
            else:
                active = in_view & (inc.first <= last.toordinal()) & (inc.last >= first.toordinal())
                present = np.zeros(n, dtype=bool)
                present[member_node[active[member_item]]] = True
                linked = np.zeros(len(a), dtype=bool)
                linked[pair_link[active[pair_item]]] = True  # a link is there when one of its items is
            rows.append({"year": year, "scope": SCOPES[scope], **_shape(present, a[linked], b[linked], country)})
    return pd.DataFrame(rows, columns=COLUMNS)


def _pairs_by_link(view: View) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The links between two different organisations of a view, sorted by their ends (node positions, a < b), and
    every (link, item) behind them: which link (its position) and which item (its position in the dataset)."""
    found = keyed(view, "org_id")
    a, b, item = item_pairs(found)
    apart = a != b
    # Keys are positions among every org_id of the dataset; the nodes are the view's organisations, in its order.
    position = np.full(len(found.labels), -1, dtype=np.int64)
    position[view.dataset.incidence.codes["org_id"].codes[view.org_rows]] = np.arange(len(view.org_rows))
    a, b, item = position[a[apart]], position[b[apart]], item[apart]
    n = max(len(view.org_rows), 1)
    links, pair_link = np.unique(np.minimum(a, b) * n + np.maximum(a, b), return_inverse=True)
    return links // n, links % n, pair_link, item


def _shape(present: np.ndarray, a: np.ndarray, b: np.ndarray, country: np.ndarray) -> dict[str, float | int]:
    """The growth table's numbers of one network: its nodes (`present`, by node), links (a, b; sorted by a) and the
    nodes' countries."""
    nodes = int(present.sum())
    if not nodes:
        return {"organisations": 0, "links": 0, "countries": 0, "components": 0, "largest_share": 0.0}
    n = len(present)
    # Links come sorted by their first end: the matrix's rows directly, without a conversion from pairs.
    indptr = np.r_[0, np.cumsum(np.bincount(a, minlength=n))]
    adjacency = sparse.csr_matrix((np.ones(len(a), dtype=np.int8), b, indptr), shape=(n, n))
    labels = csgraph.connected_components(adjacency, directed=False)[1][present]
    sizes = np.bincount(labels)
    return {
        "organisations": nodes,
        "links": len(a),
        "countries": len(np.unique(country[present])),
        "components": int((sizes > 0).sum()),  # absent nodes are parts of their own: left out
        "largest_share": int(sizes.max()) / nodes,
    }


def growth_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The growth chart's table alternative: the same numbers under plain column names."""
    return frame.rename(columns=LABELS)


@dataclass(frozen=True)
class Steps:
    """When each drawn node and link came to be: the year it is first in the "up to that year" network."""

    years: list[int]
    nodes: pd.DataFrame  # the drawn part's nodes, with `arrival`
    links: pd.DataFrame  # links among them (a, b, weight), with `arrival`

    def at(self, year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The drawn nodes and links in the network of every year up to `year`."""
        return self.nodes[self.nodes["arrival"] <= year], self.links[self.links["arrival"] <= year]


def growth_steps(view: View, nodes: pd.DataFrame, links: pd.DataFrame) -> Steps:
    """The arrival year of some nodes and links of a view's organisation network (the "up to" network of the last
    year): a node arrives with the first start among its agreements and actions in view, a link with its `first`,
    both counted from the period's first year (an item running before it is there from the start)."""
    years = period_years(view.dataset, view.filters)
    if not years:  # nothing to draw: only an open-ended agreement reaches a period after the last dated year
        return Steps([], nodes.head(0).assign(arrival=0), links.head(0).assign(arrival=0))
    inc = view.dataset.incidence
    starts = pd.Series(inc.first[inc.member_item[view.member_rows]])
    org_first = starts.groupby(inc.member_org[view.member_rows]).min()
    by_node = pd.Series(org_first.to_numpy(), index=inc.organisations["org_id"].astype(str).to_numpy()[org_first.index])
    node_year = calendar_years(by_node.reindex(nodes["node"]).to_numpy())
    link_year = links["first"].dt.year.to_numpy(dtype=np.int64)
    return Steps(
        years,
        nodes.assign(arrival=np.maximum(node_year, years[0])),
        links.assign(arrival=np.maximum(link_year, years[0])),
    )
