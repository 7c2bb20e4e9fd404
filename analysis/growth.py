"""Growth through time: for each year of the view's period, the organisation network of that year alone and of every
year up to it (organisations, links, countries, components, the largest component's share), and when the drawn part
of the network came to be, for small multiples on one layout."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse import csgraph

from analysis.dataset import Dataset
from analysis.dates import parse_date
from analysis.filters import Filters, View, apply
from analysis.metrics import summary
from analysis.networks import EPOCH, Network, network

SCOPES = {
    "year": "that year",  # the window of the year alone
    "cumulative": "up to that year",  # the window from the period's start to the year's end
}
COLUMNS = ["year", "scope", "organisations", "links", "countries", "components", "largest_share"]
LABELS = {
    "year": "Year",
    "scope": "Scope",
    "organisations": "Organisations",
    "links": "Links",
    "countries": "Countries",
    "components": "Components",
    "largest_share": "Largest component's share",
}
DEFINITIONS = {
    "Year": "calendar year of the view's period",
    "Scope": f"'{SCOPES['year']}': the agreements and actions whose interval overlaps the year; "
    f"'{SCOPES['cumulative']}': those overlapping the period from its start (or the data's first year) to the year's "
    "end, so an open-ended agreement counts in every year from its signing on; both under the other filters in force",
    "Organisations": "organisations taking part in at least one of those agreements and actions (nodes of the "
    "organisation network)",
    "Links": "pairs of different organisations sharing at least one of them",
    "Countries": "distinct countries of those organisations",
    "Components": "connected parts of the organisation network; an organisation with no link is a part of its own",
    "Largest component's share": "organisations in the largest connected part / all organisations (0 when none)",
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
    date_from = filters.date_from if cumulative or starts_inside else str(year)
    date_to = filters.date_to if ends_inside else str(year)
    return filters.with_(date_from=date_from, date_to=date_to)


def shape(net: Network) -> dict[str, float | int]:
    """The growth table's numbers of one organisation network."""
    n = len(net.nodes)
    largest = 0
    if n:
        labels = csgraph.connected_components(net.adjacency(), directed=False)[1]
        largest = int(np.bincount(labels).max())
    return {
        "organisations": n,
        "links": len(net.links),
        "countries": int(net.nodes["country"].nunique()),
        "components": summary(net).components,
        "largest_share": largest / n if n else 0.0,
    }


def growth(data: Dataset, filters: Filters) -> pd.DataFrame:
    """Per year of the period and scope (SCOPES): the organisation network's size, countries and components."""
    rows = [
        {
            "year": year,
            "scope": SCOPES[scope],
            **shape(network(apply(data, year_filters(filters, year, cumulative)), "org")),
        }
        for year in period_years(data, filters)
        for scope, cumulative in (("year", False), ("cumulative", True))
    ]
    return pd.DataFrame(rows, columns=COLUMNS).astype(
        {
            "year": "int64",
            "organisations": "int64",
            "links": "int64",
            "countries": "int64",
            "components": "int64",
            "largest_share": "float64",
        }
    )


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


def growth_steps(view: View, net: Network, nodes: pd.DataFrame, links: pd.DataFrame) -> Steps:
    """The arrival year of some nodes and links of a view's organisation network (the "up to" network of the last
    year): a node arrives with the first start among its agreements and actions in view, a link with its `first`,
    both counted from the period's first year (an item running before it is there from the start)."""
    years = period_years(view.dataset, view.filters)
    if not years:
        return Steps([], nodes.assign(arrival=pd.Series(dtype="int64")), links.assign(arrival=pd.Series(dtype="int64")))
    inc = view.dataset.incidence
    starts = pd.Series(inc.first[inc.member_item[view.member_rows]])
    org_first = starts.groupby(inc.member_org[view.member_rows]).min()
    by_node = pd.Series(org_first.to_numpy(), index=inc.organisations["org_id"].astype(str).to_numpy()[org_first.index])
    node_year = _years(by_node.reindex(nodes["node"]).to_numpy())
    link_year = links["first"].dt.year.to_numpy(dtype=np.int64)
    return Steps(
        years,
        nodes.assign(arrival=np.maximum(node_year, years[0])),
        links.assign(arrival=np.maximum(link_year, years[0])),
    )


def _years(ordinals: np.ndarray) -> np.ndarray:
    """The calendar year of each day ordinal."""
    return (ordinals - EPOCH).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
