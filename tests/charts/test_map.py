"""What the Map page draws, on tests/small.py (counted by hand) and tests/factory.py (Japan, outside NUTS)."""

from __future__ import annotations

import copy
import json

import pandas as pd
import pytest

from analysis import load_dataset
from analysis.filters import Filters
from analysis.geography import country_centroids, country_shapes, nuts_countries, region_centroids
from analysis.insights import Insights
from analysis.places import place_organisations
from charts import map as mapping
from charts.palette import by_prominence, colours, rgb
from tests import factory, small


def shaped(insights: Insights, **limits: int) -> mapping.MapData:
    return mapping.map_data(insights.dataset, insights.places(), insights.network("region"), **limits)


@pytest.fixture(scope="module")
def everything(small_data):
    return shaped(Insights(small_data, Filters()))


@pytest.fixture(scope="module")
def japan(factory_data):
    """tests/factory.py's dataset: Porto without region or coordinates, Patras at its region, Tokyo in Japan."""
    return shaped(Insights(factory_data, Filters()))


def rows(table: pd.DataFrame) -> list[tuple]:
    return [tuple(r) for r in table.itertuples(index=False)]


def test_region_involvement_counts_distinct_items(everything):
    # ITF4: a in ag1, a+b in ag2 and ac1 (g is in nothing); the others: one agreement (ag1) and one action each.
    assert rows(everything.regions) == [
        ("ITF4", "Puglia", "IT", 2, 1, 3, 2, 2),
        ("DE11", "Stuttgart", "DE", 1, 1, 2, 1, 0),
        ("PL91", "Warszawski stołeczny", "PL", 1, 1, 2, 1, 0),
        ("PT11", "Norte", "PT", 1, 1, 2, 1, 0),
    ]
    assert list(everything.regions.columns) == [
        "region", "name", "country", "agreements", "actions", "items", "organisations", "inside",
    ]  # fmt: skip
    assert everything.countries.empty  # every country here is drawn region by region
    assert everything.top == 3


def test_country_filter_narrows_involvement(small_data):
    # Poland and partners: ag1 (a c d e) and ac2 (c e f); Puglia keeps only ag1.
    poland = shaped(Insights(small_data, Filters(countries=("PL",))))
    counts = {r.region: (r.agreements, r.actions, r.organisations) for r in poland.regions.itertuples()}
    assert counts == {"ITF4": (1, 0, 1), "DE11": (1, 1, 1), "PL91": (1, 1, 1), "PT11": (1, 0, 1)}
    only = shaped(Insights(small_data, Filters(countries=("PL",), only_selected=True)))
    assert rows(only.regions) == [("PL91", "Warszawski stołeczny", "PL", 1, 1, 2, 1, 0)]
    assert only.arcs == [] and only.links.empty


def test_countries_outside_nuts_are_shaded_whole(japan):
    assert rows(japan.countries) == [("JP", 0, 1, 1, 1)]  # Tokyo, in the Tokyo mission only
    [feature] = japan.country_shapes["features"]
    assert feature["properties"]["code"] == "JP"
    assert (
        feature["properties"]["tooltip"]
        == "Japan (JP, whole country)\nin 0 agreements and 1 action\n1 organisation in view"
    )
    assert "JP" not in nuts_countries() and {"GR", "GB", "TR", "NO"} <= nuts_countries()


def test_region_links_and_arcs_leave_self_loops_out(everything):
    assert rows(everything.links) == [
        ("DE11", "Stuttgart", "PL91", "Warszawski stołeczny", 2),
        ("DE11", "Stuttgart", "ITF4", "Puglia", 1),
        ("DE11", "Stuttgart", "PT11", "Norte", 1),
        ("ITF4", "Puglia", "PL91", "Warszawski stołeczny", 1),
        ("ITF4", "Puglia", "PT11", "Norte", 1),
        ("PL91", "Warszawski stołeczny", "PT11", "Norte", 1),
    ]
    assert [(a["a"], a["b"], a["weight"]) for a in everything.arcs] == [tuple(r[::2]) for r in rows(everything.links)]
    assert everything.arcs_total == 6  # the ITF4 self-loop (ag2, ac1) is counted in `inside`, not drawn
    first = everything.arcs[0]
    assert first["source"] == list(region_centroids()["DE11"])[::-1]
    assert first["target"] == list(region_centroids()["PL91"])[::-1]
    assert first["width"] == 8.0 and everything.arcs[1]["width"] == 4.5  # the heaviest (2) is the thickest
    assert first["tooltip"] == "Stuttgart (DE11) – Warszawski stołeczny (PL91)\n2 shared agreements and actions"


def test_arc_and_point_limits_keep_the_strongest(small_data):
    few = shaped(Insights(small_data, Filters()), points_limit=2, arcs_limit=1)
    assert [(a["a"], a["b"]) for a in few.arcs] == [("DE11", "PL91")] and few.arcs_total == 6
    assert [p["org"] for p in few.points] == ["a", "c"]  # degree 4, then most items, then id


def test_organisations_sit_at_coordinates_else_centroids(everything):
    orgs = everything.organisations.set_index("org_id")
    assert orgs["placed_by"].to_dict() == {
        "a": "coordinates", "b": "region", "c": "coordinates", "d": "region", "e": "coordinates", "f": "country",
    }  # fmt: skip
    assert everything.placement == {"coordinates": 3, "region": 2, "country": 1, "unplaced": 0}
    assert orgs["degree"].to_dict() == {"a": 4, "b": 1, "c": 4, "d": 3, "e": 4, "f": 2}
    assert orgs["items"].to_dict() == {"a": 3, "b": 2, "c": 2, "d": 2, "e": 2, "f": 1}
    points = {p["org"]: p for p in everything.points}
    assert [p["org"] for p in everything.points] == ["a", "c", "e", "d", "f", "b"]
    assert points["a"]["position"] == [16.87, 41.12]
    assert points["b"]["position"] == list(region_centroids()["ITF4"])[::-1]
    assert points["f"]["position"] == list(country_centroids()["DE"])[::-1]
    assert points["b"]["region"] == "ITF4" and points["f"]["region"] == ""
    assert points["d"]["tooltip"] == (
        "Org D\nPortugal · cluster\nin 2 agreements and actions · 3 partners\n"
        "drawn at its region's centre (no coordinates)"
    )
    assert points["a"]["radius"] == 12.0 and points["b"]["radius"] == 7.5  # degree 4 is the most, 1 a quarter
    assert (everything.top_degree, everything.top_weight) == (4, 2)


def test_unplaceable_organisations_are_counted_not_drawn(tmp_path):
    tables = copy.deepcopy(small.TABLES)
    tables["organisations"].append(small.org("h", "SG"))  # Singapore: no region, too small for Natural Earth 1:110m
    tables["action_participants"].append({"action_id": "ac3", "org_id": "h", "role": ""})
    result = load_dataset(factory.write(tmp_path / "sg", tables))
    assert "SG" not in country_shapes()
    data = shaped(Insights(result.dataset, Filters()))
    assert data.placement == {"coordinates": 3, "region": 2, "country": 1, "unplaced": 1}
    assert "h" not in {p["org"] for p in data.points}
    assert rows(data.countries) == [("SG", 0, 1, 1, 1)]
    assert data.country_shapes["features"] == []  # counted in the table, no outline to shade


def test_region_features_only_for_regions_in_view(everything):
    features = {f["properties"]["code"]: f for f in everything.region_shapes["features"]}
    assert sorted(features) == ["DE11", "ITF4", "PL91", "PT11"]
    puglia = features["ITF4"]["properties"]
    assert puglia["tooltip"] == "Puglia (ITF4, Italy)\nin 2 agreements and 1 action\n2 organisations in view"
    assert puglia["fill"] == mapping.shade(3, 3) == [*mapping.DARK, mapping.SHADE_ALPHA]
    assert features["PL91"]["properties"]["fill"] == mapping.shade(2, 3)


def test_place_organisations(everything, japan):
    assert rows(place_organisations(everything.organisations, "ITF4")) == [
        ("a", "Org A", "IT", "cluster", 3),
        ("b", "Org B", "IT", "public_authority", 2),
    ]
    assert rows(place_organisations(japan.organisations, "JP")) == [
        ("tokyo-content", "Tokyo Content Agency", "JP", "agency", 1)
    ]


def test_clicks_name_a_place():
    feature = {"type": "Feature", "geometry": {}, "properties": {"code": "ITF4", "tooltip": "Puglia"}}
    assert mapping.selected_place({"indices": {"regions": [0]}, "objects": {"regions": [feature]}}) == "ITF4"
    japan = {"properties": {"code": "JP"}}
    assert mapping.selected_place({"indices": {"countries": [0]}, "objects": {"countries": [japan]}}) == "JP"
    point = {"org": "b", "region": "ITF4"}
    assert mapping.selected_place({"indices": {"organisations": [5]}, "objects": {"organisations": [point]}}) == "ITF4"
    assert mapping.selected_place({"objects": {"organisations": [{"org": "f", "region": ""}]}}) is None
    assert mapping.selected_place({"indices": {}, "objects": {}}) is None
    assert mapping.selected_place(None) is None


def test_country_colours_stay_put_under_filters(small_data, everything):
    most_first = by_prominence(small_data.organisations["country"])
    assert most_first == ["IT", "DE", "PL", "PT"]  # 3, 2, 1 and 1 organisations
    assert everything.palette == {c: rgb(h) for c, h in colours(most_first).items()}
    only = shaped(Insights(small_data, Filters(countries=("PL",), only_selected=True)))
    assert only.palette == {"PL": everything.palette["PL"]}  # by the dataset's countries, not the view's
    legend = mapping.colour_legend(everything)
    assert list(legend["country"]) == ["Germany", "Italy", "Poland", "Portugal"]  # 2, 2, 1, 1 organisations
    assert legend["colour"].iloc[1] == mapping.hex_colour(everything.palette["IT"])


def test_nothing_in_view_draws_nothing(small_data):
    empty = shaped(Insights(small_data, Filters(date_from="1990", date_to="1991")))
    assert empty.organisations.empty and empty.regions.empty and empty.links.empty
    assert (empty.points, empty.arcs, empty.region_shapes["features"], empty.top) == ([], [], [], 0)
    assert empty.view_state == {"latitude": 50.0, "longitude": 12.0, "zoom": 3.0}
    assert json.loads(mapping.deck(empty).to_json())["layers"][-1]["data"] == []


def test_shading_and_sizes():
    assert mapping.shade(0, 9) == [*mapping.LIGHT, mapping.SHADE_ALPHA]
    assert mapping.shade(9, 9) == [*mapping.DARK, mapping.SHADE_ALPHA]
    assert mapping.shade(1, 0) == [*mapping.LIGHT, mapping.SHADE_ALPHA]  # nothing to shade: no division by zero
    assert mapping.shade_steps(46) == [1, 12, 23, 46]
    assert mapping.shade_steps(1) == [1] and mapping.shade_steps(0) == []
    assert list(mapping.shade_legend(3)["items"]) == [1, 2, 3]
    assert [mapping.point_radius(d, 4) for d in (0, 1, 4)] == [3.0, 7.5, 12.0]
    assert mapping.point_radius(0, 0) == 3.0  # nobody has a partner
    assert [mapping.arc_width(w, 4) for w in (1, 2, 4)] == [2.8, 4.5, 8.0]


def test_geometry_is_simplified_and_rounded():
    outlines = mapping.base_outlines()
    assert len(outlines["features"]) == len(country_shapes())
    text = json.dumps(outlines, separators=(",", ":"))
    assert len(text) < 200_000
    coordinates = outlines["features"][0]["geometry"]["coordinates"]
    while isinstance(coordinates[0], list):
        coordinates = coordinates[0]
    assert all(round(v, 2) == v for v in coordinates)
    germany = country_shapes()["DE"]
    light = mapping.light_geometry(germany, 0.05)
    assert light["type"] in ("Polygon", "MultiPolygon")
    assert len(json.dumps(light)) < len(json.dumps(mapping.light_geometry(germany, 0)))
    assert mapping.base_outlines() is outlines  # cached: computed once per process


def test_first_view_fits_europe_and_leaves_far_partners_out(everything, japan):
    assert everything.view_state == mapping.initial_view(
        everything.organisations["lat"], everything.organisations["lon"]
    )
    assert everything.far == 0
    view = japan.view_state
    assert 35 < view["latitude"] < 55 and -10 < view["longitude"] < 25  # Europe, not halfway to Tokyo
    assert japan.far == 1
    assert mapping.initial_view(pd.Series([35.68]), pd.Series([139.69])) == {
        "latitude": 35.68, "longitude": 139.69, "zoom": 6.0,
    }  # fmt: skip
    assert mapping.initial_view(pd.Series([], dtype=float), pd.Series([], dtype=float))["zoom"] == 3.0


def test_deck_is_offline_compact_and_text_only(everything):
    text = mapping.deck(everything).to_json()
    spec = json.loads(text)
    assert spec["mapStyle"] == "__MAP_STYLE__"  # Streamlit's "no basemap"; None would fetch CARTO's style
    assert "\n" not in text  # compact: pydeck's indentation would make the geometry five times larger
    assert [layer["id"] for layer in spec["layers"]] == [
        "sea",
        "outlines",
        "regions",
        "countries",
        "arcs",
        "organisations",
    ]
    assert [layer["pickable"] for layer in spec["layers"]] == [False, False, True, True, True, True]
    points = spec["layers"][-1]
    assert points["radiusUnits"] == "pixels" and points["getRadius"] == "@@=radius"
    assert mapping.deck(everything)._tooltip == {"text": "{tooltip}"}  # never the "html" tooltip


def test_dataset_text_cannot_become_deck_code():
    assert mapping.deck_text("@@=alert(1)") == "\u2060@@=alert(1)"
    assert mapping.deck_text("@@#evil.name") == "\u2060@@#evil.name"
    assert mapping.deck_text("<img src=x onerror=alert(1)>") == "<img src=x onerror=alert(1)>"  # shown as text
