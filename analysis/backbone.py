"""The backbone of a weighted network: the links the disparity filter finds significant, plus each node's strongest
link, so that a dense network can be drawn readably without leaving any node untied."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

SIGNIFICANCE = 0.05  # the disparity filter's level: Serrano, Boguñá & Vespignani's usual choice


@dataclass(frozen=True)
class Backbone:
    """Which links of a table (by row position) the backbone keeps, and why."""

    significant: np.ndarray  # bool per link: alpha below the level at one of its ends at least
    strongest: np.ndarray  # bool per link: the strongest link of one of its ends at least
    level: float

    @property
    def kept(self) -> np.ndarray:
        return self.significant | self.strongest


def positions(links: pd.DataFrame, nodes: Sequence[str] | None = None) -> tuple[np.ndarray, np.ndarray, int]:
    """Each link's two ends as positions in `nodes` (their order breaks ties), or in the sorted ends when not given."""
    order = pd.Index(nodes if nodes is not None else np.unique(np.r_[links["a"], links["b"]].astype(str)))
    a, b = order.get_indexer(links["a"]), order.get_indexer(links["b"])
    if len(a) and (a.min() < 0 or b.min() < 0):
        raise ValueError("a link's end is not among the nodes")
    return a, b, len(order)


def disparity(a: np.ndarray, b: np.ndarray, weight: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Each link's alpha seen from each end: (1 - w / s)^(k - 1), s the end's weighted degree and k its degree; 1 (never
    significant) from an end of degree 1, whose only link the null model cannot judge."""
    degree = np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
    strength = np.bincount(a, weights=weight, minlength=n) + np.bincount(b, weights=weight, minlength=n)

    def seen_from(end: np.ndarray) -> np.ndarray:
        k = degree[end]
        share = weight / np.where(strength[end] > 0, strength[end], 1.0)
        return np.where(k > 1, np.power(np.clip(1.0 - share, 0.0, 1.0), np.maximum(k - 1, 0)), 1.0)

    return seen_from(a), seen_from(b)


def strongest(a: np.ndarray, b: np.ndarray, weight: np.ndarray, n: int) -> np.ndarray:
    """Bool per link: the heaviest link of one of its ends at least; between equal weights, the one whose other end
    comes first in node order. One sort of both directions of every link."""
    m = len(a)
    kept = np.zeros(m, dtype=bool)
    if not m:
        return kept
    ends, others = np.r_[a, b], np.r_[b, a]
    order = np.lexsort((others, -np.r_[weight, weight], ends))  # by end, heaviest first, then the other end's place
    by_end = ends[order]
    first = order[np.flatnonzero(np.r_[True, by_end[1:] != by_end[:-1]])]
    kept[first % m] = True  # rows m.. are the links seen from their `b` end
    return kept


def backbone(links: pd.DataFrame, nodes: Sequence[str] | None = None, level: float = SIGNIFICANCE) -> Backbone:
    """The backbone of a links table (`a`, `b`, `weight`, no self-loops): the disparity filter at `level` and each
    node's strongest link. `nodes` gives the order that breaks ties between equally strong links."""
    a, b, n = positions(links, nodes)
    weight = links["weight"].to_numpy(dtype=np.float64)
    alpha_a, alpha_b = disparity(a, b, weight, n)
    return Backbone((alpha_a < level) | (alpha_b < level), strongest(a, b, weight, n), level)
