"""Where organisations and links are drawn."""

from __future__ import annotations

from analysis import i18n
from analysis.geography import country_centroids, region_centroids
from analysis.networks import network
from analysis.places import link_positions, node_positions, positions


def test_coordinates_else_region_else_country(small_view):
    where = positions(small_view.organisations).set_index("org_id")
    assert where.loc["a", ["lat", "lon", "placed_by"]].tolist() == [41.12, 16.87, "coordinates"]
    assert where.loc["b", "placed_by"] == "region"
    assert (where.loc["b", "lat"], where.loc["b", "lon"]) == region_centroids()["ITF4"]
    assert where.loc["f", "placed_by"] == "country"
    assert (where.loc["f", "lat"], where.loc["f", "lon"]) == country_centroids()["DE"]


def test_how_an_organisation_is_placed_is_a_code_in_every_language(small_view):
    """`placed_by` is data (the map's files and tables keep it); pages say it in words where they show it."""
    english = positions(small_view.organisations)["placed_by"].tolist()
    with i18n.speaking("it"):
        assert positions(small_view.organisations)["placed_by"].tolist() == english
    assert set(english) <= {"coordinates", "region", "country", "unplaced"}


def test_centroids_lie_in_their_region_or_country():
    lat, lon = region_centroids()["ITF4"]  # Puglia
    assert 39.8 < lat < 42.2 and 15.0 < lon < 18.6
    lat, lon = country_centroids()["FR"]  # Natural Earth writes -99; NUTS gives metropolitan France
    assert 43 < lat < 49.5 and -2 < lon < 7
    lat, lon = country_centroids()["JP"]  # outside NUTS: Natural Earth
    assert 30 < lat < 42 and 130 < lon < 142


def test_region_arcs_have_both_ends(small_view):
    net = network(small_view, "region")
    arcs = link_positions(net, node_positions(net))
    assert len(arcs) == 6  # the ITF4 self-loop is not drawn
    row = arcs[(arcs["a"] == "DE11") & (arcs["b"] == "PL91")].iloc[0]
    assert (row["a_lat"], row["a_lon"]) == region_centroids()["DE11"]
    assert row["weight"] == 2
