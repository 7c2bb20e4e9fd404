"""Where things are: each organisation and link placed (coordinates, else region centroid, else country centroid),
and how involved each region and country is. The map draws these; charts.map shapes them for pydeck and plotly."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.filters import View
from analysis.geography import EUROPE, country_centroids, nuts_countries, region_centroids
from analysis.items import ITEM_TYPES
from analysis.metrics import degrees
from analysis.networks import Network
from analysis.reference import nuts2_country, nuts2_names


def positions(organisations: pd.DataFrame) -> pd.DataFrame:
    """org_id, lat, lon and placed_by (coordinates, region, country or unplaced) for every organisation."""
    regions, countries = region_centroids(), country_centroids()
    rows = []
    for org, lat, lon, nuts2, country in organisations[["org_id", "lat", "lon", "nuts2", "country"]].itertuples(
        index=False
    ):
        if pd.notna(lat) and pd.notna(lon):
            rows.append((org, float(lat), float(lon), "coordinates"))
        elif pd.notna(nuts2) and nuts2 in regions:
            rows.append((org, *regions[nuts2], "region"))
        elif country in countries:
            rows.append((org, *countries[country], "country"))
        else:
            rows.append((org, None, None, "unplaced"))
    return pd.DataFrame(rows, columns=["org_id", "lat", "lon", "placed_by"])


def node_positions(net: Network) -> pd.DataFrame:
    """node, lat, lon, placed_by for the nodes of any level's network."""
    if net.level == "org":
        return positions(net.nodes.rename(columns={"node": "org_id"})).rename(columns={"org_id": "node"})
    table = region_centroids() if net.level == "region" else country_centroids()
    rows = [(n, *table[n], net.level) if n in table else (n, None, None, "unplaced") for n in net.nodes["node"]]
    return pd.DataFrame(rows, columns=["node", "lat", "lon", "placed_by"])


def link_positions(net: Network, where: pd.DataFrame) -> pd.DataFrame:
    """The network's links (self-loops left out) with both ends' positions, for the map's arcs."""
    at = where.set_index("node")
    links = net.links.copy()
    for end in ("a", "b"):
        links[f"{end}_lat"] = links[end].map(at["lat"])
        links[f"{end}_lon"] = links[end].map(at["lon"])
    return links.dropna(subset=["a_lat", "a_lon", "b_lat", "b_lon"]).reset_index(drop=True)


# Involvement


def involvement(view: View, column: str) -> pd.DataFrame:
    """Per value of an organisation column (nuts2, country): distinct agreements, actions and both in view that
    involve at least one of its organisations, and its organisations in view."""
    inc = view.dataset.incidence
    codes = inc.codes[column]
    n = max(len(codes.labels), 1)
    key = codes.codes[inc.member_org[view.member_rows]]
    item = inc.member_item[view.member_rows]
    pairs = np.unique(item[key >= 0] * n + key[key >= 0])
    place, item = pairs % n, pairs // n
    counts = {}
    for t in ITEM_TYPES.values():
        start, stop = inc.spans[t.name]
        counts[t.plural] = np.bincount(place[(item >= start) & (item < stop)], minlength=n)
    org_key = codes.codes[view.org_rows]
    counts["organisations"] = np.bincount(org_key[org_key >= 0], minlength=n)
    table = pd.DataFrame(counts, index=pd.Index(codes.labels if len(codes.labels) else [""], name="code"))
    table.insert(len(ITEM_TYPES), "items", table[[t.plural for t in ITEM_TYPES.values()]].sum(axis=1))
    table = table[table["organisations"] > 0].astype("int64").reset_index()
    table["code"] = table["code"].astype(str)
    return table.sort_values(["items", "code"], ascending=[False, True], ignore_index=True)


def region_table(view: View, regions: Network) -> pd.DataFrame:
    """Every region in view: code, name, country, agreements, actions, items (both), organisations, and `inside`:
    the items with two or more of its organisations (the region network's self-loop)."""
    table = involvement(view, "nuts2").rename(columns={"code": "region"})
    names = nuts2_names()
    table.insert(1, "name", [names.get(c, c) for c in table["region"]])
    table.insert(2, "country", [nuts2_country(c) for c in table["region"]])
    loops = regions.self_loops.set_index("a")["weight"]
    table["inside"] = table["region"].map(loops).fillna(0).astype("int64")
    return table


def country_table(view: View) -> pd.DataFrame:
    """Countries outside NUTS coverage with organisations in view, counted like regions."""
    table = involvement(view, "country").rename(columns={"code": "country"})
    return table[~table["country"].isin(nuts_countries())].reset_index(drop=True)


def region_links(regions: Network) -> pd.DataFrame:
    """The region network's links (no self-loops), heaviest first: a, a_name, b, b_name, weight."""
    names = nuts2_names()
    links = regions.links[["a", "b", "weight"]].copy()
    links.insert(1, "a_name", [names.get(c, c) for c in links["a"]])
    links.insert(3, "b_name", [names.get(c, c) for c in links["b"]])
    return links.sort_values(["weight", "a", "b"], ascending=[False, True, True], ignore_index=True)


def organisation_table(view: View, positions: pd.DataFrame, organisations: Network) -> pd.DataFrame:
    """Every organisation in view with where it is drawn, its degree and its number of agreements and actions."""
    orgs = view.organisations[["org_id", "name", "country", "kind", "nuts2"]].reset_index(drop=True)
    table = orgs.merge(positions, on="org_id", how="left")
    table["degree"] = table["org_id"].map(degrees(organisations)).fillna(0).astype("int64")
    table["items"] = table["org_id"].map(view.members["org_id"].value_counts()).fillna(0).astype("int64")
    return table


def placement(table: pd.DataFrame) -> dict[str, int]:
    """How many organisations sit at their coordinates, at a region's or country's centre, or nowhere."""
    counts = table["placed_by"].value_counts()
    return {key: int(counts.get(key, 0)) for key in ("coordinates", "region", "country", "unplaced")}


def place_organisations(table: pd.DataFrame, place: str) -> pd.DataFrame:
    """The organisations in view of a NUTS-2 region, or of a whole country for a two-letter code: id, name, country,
    kind and items, most involved first."""
    column = "country" if len(place) == 2 else "nuts2"
    mine = table.loc[table[column] == place, ["org_id", "name", "country", "kind", "items"]]
    return mine.sort_values(["items", "name"], ascending=[False, True], ignore_index=True)


def in_europe(lats: pd.Series, lons: pd.Series) -> pd.Series:
    """Whether each position lies in the window the NUTS boundaries cover."""
    west, south, east, north = EUROPE
    return lats.between(south, north) & lons.between(west, east)


def far_away(table: pd.DataFrame) -> int:
    """Placed organisations outside Europe when some are inside it: the ones the first view leaves out."""
    placed = table[table["lat"].notna() & table["lon"].notna()]
    inside = in_europe(placed["lat"].astype(float), placed["lon"].astype(float))
    return int((~inside).sum()) if inside.any() else 0


@dataclass(frozen=True)
class PlaceTables:
    """The map's numbers for one view: regions, countries outside NUTS, region links and placed organisations."""

    regions: pd.DataFrame  # region_table
    countries: pd.DataFrame  # country_table (outside NUTS)
    links: pd.DataFrame  # region_links
    organisations: pd.DataFrame  # organisation_table


def place_tables(view: View, organisations: Network, regions: Network, where: pd.DataFrame) -> PlaceTables:
    """Count one view by place, from its organisation and region networks and the organisations' positions."""
    return PlaceTables(
        regions=region_table(view, regions),
        countries=country_table(view),
        links=region_links(regions),
        organisations=organisation_table(view, where, organisations),
    )
