"""The contract's networks on tests/small.py, every weight counted by hand."""

from __future__ import annotations

from analysis import i18n
from analysis.i18n import _
from analysis.networks import LEVELS, affiliation_part, ego, network


def weights(net) -> dict[tuple[str, str], int]:
    return {(a, b): w for a, b, w in net.edges[["a", "b", "weight"]].itertuples(index=False)}


def test_organisation_links_count_distinct_items_and_remember_them(small_view):
    net = network(small_view, "org")
    assert weights(net) == {
        ("a", "b"): 2,
        ("a", "c"): 1,
        ("a", "d"): 1,
        ("a", "e"): 1,
        ("c", "d"): 1,
        ("c", "e"): 2,
        ("c", "f"): 1,
        ("d", "e"): 1,
        ("e", "f"): 1,
    }
    listed = net.with_items(net.edges)
    items = dict(zip(zip(listed["a"], listed["b"], strict=True), listed["items"], strict=True))
    assert items[("a", "b")] == "action:ac1;agreement:ag2"
    assert items[("c", "e")] == "action:ac2;agreement:ag1"
    assert sorted(net.nodes["node"]) == ["a", "b", "c", "d", "e", "f"]  # g is in nothing: no node


def test_country_network_with_self_loops(small_view):
    net = network(small_view, "country")
    assert weights(net) == {
        ("DE", "DE"): 1,  # ac2 has e and f
        ("DE", "IT"): 1,
        ("DE", "PL"): 2,
        ("DE", "PT"): 1,
        ("IT", "IT"): 2,  # ag2 and ac1 each have a and b
        ("IT", "PL"): 1,
        ("IT", "PT"): 1,
        ("PL", "PT"): 1,
    }
    assert len(net.links) == 6
    assert net.graph().number_of_edges() == 6  # self-loops are counted, not drawn
    assert dict(zip(net.nodes["node"], net.nodes["label"], strict=True))["DE"] == "Germany"


def test_region_network_leaves_out_organisations_without_a_region(small_view):
    net = network(small_view, "region")
    assert weights(net) == {
        ("DE11", "ITF4"): 1,
        ("DE11", "PL91"): 2,
        ("DE11", "PT11"): 1,
        ("ITF4", "ITF4"): 2,
        ("ITF4", "PL91"): 1,
        ("ITF4", "PT11"): 1,
        ("PL91", "PT11"): 1,
    }


def test_affiliation_network_is_two_mode(small_view):
    net = network(small_view, "affiliation")
    graph = net.graph()
    assert graph.number_of_nodes() == 6 + 5
    assert graph.number_of_edges() == 4 + 2 + 2 + 3 + 1
    assert sorted(graph.neighbors("agreement:ag1")) == ["org:a", "org:c", "org:d", "org:e"]
    assert net.nodes.set_index("node").loc["action:ac3", "mode"] == "action"


def test_the_affiliation_part_keeps_the_organisations_in_most_items(small_view):
    part = affiliation_part(network(small_view, "affiliation"), 2)
    assert sorted(part.nodes.loc[part.nodes["mode"] == "organisation", "node"]) == [
        "org:a",
        "org:b",
    ]  # 3 items; 2, tie by id
    assert sorted(part.edges["b"].unique()) == sorted(part.nodes.loc[part.nodes["mode"] != "organisation", "node"])


def test_every_level_is_built_and_named(small_view):
    for name, level in LEVELS.items():
        net = network(small_view, name)
        assert net.level == name and len(net.nodes) > 0 and level.title


def test_levels_are_named_in_italian():
    with i18n.speaking("it"):
        assert [_(LEVELS[n].label) for n in ("org", "country", "region")] == [
            "Organizzazioni",
            "Paesi",
            "Regioni NUTS-2",
        ]
        assert _(LEVELS["org"].title) == "Rete delle organizzazioni"
        assert _(LEVELS["affiliation"].title) == "Rete di affiliazione: le organizzazioni e i loro accordi e azioni"
    assert LEVELS["country"].title == "Country network"


def test_ego_lists_partners_by_weight(small_view):
    table = ego(network(small_view, "org"), "a")
    assert list(table["node"]) == ["b", "c", "d", "e"]
    assert list(table["weight"]) == [2, 1, 1, 1]
    assert table.loc[0, "items"] == "action:ac1;agreement:ag2"


def test_the_ego_of_the_busiest_organisation_lists_each_partners_shared_items(tmp_path):
    """On an unseen synthetic dataset: the ego table of the organisation in the most items (its partners' items found
    in one pass) equals the items both sides take part in, read from the CSV files with plain pandas."""
    import pandas as pd

    from analysis.dataset import load_dataset
    from analysis.filters import Filters, apply
    from analysis.synthetic import generate, write

    folder = write(tmp_path / "d", generate(400, 40, 120, seed=31))
    members = pd.concat(
        [
            pd.read_csv(folder / f"{table}.csv", dtype=str).pipe(
                lambda f, t=item_type: f.assign(item=f"{t}:" + f[f"{t}_id"])
            )
            for table, item_type in (("agreement_parties", "agreement"), ("action_participants", "action"))
        ]
    )[["item", "org_id"]].drop_duplicates()
    hub = members["org_id"].value_counts().index[0]
    mine = members[members["item"].isin(members.loc[members["org_id"] == hub, "item"])]
    mine = mine[mine["org_id"] != hub].sort_values(["org_id", "item"])
    expected = mine.groupby("org_id")["item"].agg(";".join).to_dict()
    table = ego(network(apply(load_dataset(folder).dataset, Filters()), "org"), hub)
    assert len(table) > 20
    assert dict(zip(table["node"], table["items"], strict=True)) == expected
    assert list(table["weight"]) == [len(expected[n].split(";")) for n in table["node"]]
