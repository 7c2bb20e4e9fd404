"""Where each organisation and each link is drawn: coordinates, else region centroid, else country centroid."""

from __future__ import annotations

import pandas as pd

from analysis.geography import country_centroids, region_centroids
from analysis.networks import Network


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
