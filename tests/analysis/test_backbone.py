"""The backbone: the disparity filter's links as a hand computation of alpha says, each node's strongest link, and a
dense network thinned to far fewer links with no node left untied."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.backbone import backbone

# Degrees and weighted degrees: A 5 links, 24; B 2, 21; C 3, 4; D 2, 3; E 2, 2; F 2, 2.
HAND = pd.DataFrame(
    [
        ("A", "B", 20),
        ("A", "C", 1),
        ("A", "D", 1),
        ("A", "E", 1),
        ("A", "F", 1),
        ("B", "C", 1),
        ("C", "D", 2),
        ("E", "F", 1),
    ],
    columns=["a", "b", "weight"],
)
NODES = list("ABCDEF")


def pairs(links: pd.DataFrame, mask: np.ndarray) -> set[tuple[str, str]]:
    return set(zip(links["a"][mask], links["b"][mask], strict=True))


def test_the_disparity_filter_keeps_the_links_a_hand_computation_of_alpha_says():
    # alpha = (1 - w/s)^(k-1) from each end:
    # A-B: from A (1 - 20/24)^4 = 0.00077, from B (1 - 20/21)^1 = 0.048: below 0.05 at both ends
    # C-D: from C (1 - 2/4)^2 = 0.25, from D (1 - 2/3)^1 = 0.33: below 0.3 only
    # A-C, A-D, A-E, A-F: from A (23/24)^4 = 0.84; from C 0.5625, D 0.67, E and F 0.5
    # B-C: from B (20/21) = 0.95, from C 0.5625; E-F: 0.5 from either end
    assert pairs(HAND, backbone(HAND, NODES).significant) == {("A", "B")}
    assert pairs(HAND, backbone(HAND, NODES, level=0.3).significant) == {("A", "B"), ("C", "D")}
    assert pairs(HAND, backbone(HAND, NODES, level=0.04).significant) == {("A", "B")}  # A's end: 0.00077
    assert pairs(HAND, backbone(HAND, NODES, level=0.0007).significant) == set()


def test_every_node_keeps_its_strongest_link_ties_broken_by_node_order():
    # A, B: A-B (20); C, D: C-D (2); E: A-E or E-F (1 each), A first; F: A-F or E-F, A first.
    found = backbone(HAND, NODES)
    assert pairs(HAND, found.strongest) == {("A", "B"), ("C", "D"), ("A", "E"), ("A", "F")}
    assert pairs(HAND, found.kept) == {("A", "B"), ("C", "D"), ("A", "E"), ("A", "F")}
    # Nodes in the other order: E's and F's ties go to each other, the first of them in that order.
    assert pairs(HAND, backbone(HAND, NODES[::-1]).strongest) == {("A", "B"), ("C", "D"), ("E", "F")}


def test_a_node_of_one_link_keeps_it_though_the_filter_cannot_judge_it():
    links = pd.DataFrame({"a": ["hub", "hub", "hub", "x"], "b": ["x", "y", "z", "lone"], "weight": [1, 1, 1, 9]})
    found = backbone(links)
    # x-lone: from x (1 - 9/10)^1 = 0.1, from lone (degree 1) no judgement: not significant, yet lone's only link
    assert pairs(links, found.significant) == set()
    assert pairs(links, found.kept) == {("hub", "x"), ("hub", "y"), ("hub", "z"), ("x", "lone")}


def dense(seed: int, n: int = 300) -> pd.DataFrame:
    """Half of all pairs of n nodes linked, weights from a geometric law (many 1s, a few heavy)."""
    rng = np.random.default_rng(seed)
    a, b = np.triu_indices(n, 1)
    keep = rng.random(len(a)) < 0.5
    names = np.array([f"n{i:03d}" for i in range(n)], dtype=object)
    return pd.DataFrame({"a": names[a[keep]], "b": names[b[keep]], "weight": rng.geometric(0.4, int(keep.sum()))})


def test_a_dense_network_keeps_far_fewer_links_and_no_node_untied():
    links = dense(seed=2611)
    nodes = sorted(set(links["a"]) | set(links["b"]))
    kept = backbone(links, nodes).kept
    assert len(links) > 20_000
    assert kept.sum() < len(links) / 10
    tied = set(links["a"][kept]) | set(links["b"][kept])
    assert tied == set(nodes)


def test_the_backbone_is_the_same_whatever_the_links_order():
    links = dense(seed=2612, n=120)
    nodes = sorted(set(links["a"]) | set(links["b"]))
    first = pairs(links, backbone(links, nodes).kept)
    shuffled = links.sample(frac=1.0, random_state=5).reset_index(drop=True)
    assert pairs(shuffled, backbone(shuffled, nodes).kept) == first
    assert pairs(links, backbone(links, nodes).kept) == first
