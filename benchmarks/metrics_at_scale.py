"""Benchmark: `clusternet metrics --level org` on the 10,000-organisation SYNTHETIC dataset, beside igraph (C)
computing the same metrics exactly in the same run. Run on demand: `make benchmark` (needs python-igraph).

Reports wall time of both, their ratio, the CLI's peak memory, and how our values agree with igraph's.
"""

from __future__ import annotations

import argparse
import io
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import igraph as ig
import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from analysis import synthetic
from analysis.dataset import load_dataset
from analysis.filters import Filters, apply
from analysis.networks import network


def igraph_metrics(edges: pd.DataFrame, nodes: list[str]) -> tuple[pd.DataFrame, float]:
    """Exact betweenness, PageRank, degree, strength and Louvain with igraph; returns values and seconds."""
    start = time.perf_counter()
    index = {n: i for i, n in enumerate(nodes)}
    graph = ig.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in zip(edges["a"], edges["b"], strict=True)])
    graph.es["weight"] = edges["weight"].tolist()
    n = len(nodes)
    values = pd.DataFrame(
        {
            "node": nodes,
            "degree": graph.degree(),
            "weighted_degree": graph.strength(weights="weight"),
            "betweenness": np.array(graph.betweenness(directed=False)) * 2 / ((n - 1) * (n - 2)),
            "pagerank": graph.pagerank(damping=0.85, weights="weight"),
        }
    )
    values["community"] = graph.community_multilevel(weights="weight").membership
    seconds = time.perf_counter() - start
    modularity.graph = graph  # the same graph scores our communities (see `modularity`)
    return values, seconds


def modularity(membership: list[int]) -> float:
    """Weighted modularity of a partition of igraph_metrics' last graph (in its node order)."""
    return modularity.graph.modularity(membership, weights="weight")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", help="an existing dataset folder; default: generate the synthetic one")
    parser.add_argument("--orgs", type=int, default=10_000)
    args = parser.parse_args()
    folder = Path(args.data) if args.data else Path(tempfile.mkdtemp()) / "synthetic"
    if not args.data:
        synthetic.write(folder, synthetic.generate(orgs=args.orgs))

    command = [sys.executable, "-m", "analysis.cli", "metrics", str(folder), "--level", "org"]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    ours_seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    ours = pd.read_csv(io.StringIO(done.stdout))

    net = network(apply(load_dataset(folder).dataset, Filters()), "org")
    theirs, igraph_seconds = igraph_metrics(net.links, list(net.nodes["node"]))
    both = ours.merge(theirs, on="node", suffixes=("", "_ig"))
    rho = spearmanr(both["betweenness"], both["betweenness_ig"]).statistic

    print(f"dataset: {folder} ({len(net.nodes)} nodes, {len(net.links)} links)")
    print(f"clusternet metrics --level org: {ours_seconds:.1f} s, peak memory {peak_mb:.0f} MB")
    print(f"igraph exact (build + betweenness + PageRank + strength + Louvain): {igraph_seconds:.1f} s")
    print(f"ratio: {ours_seconds / igraph_seconds:.2f}x")
    print(
        f"betweenness: Spearman rank correlation {rho:.6f}, max abs diff "
        f"{(both['betweenness'] - both['betweenness_ig']).abs().max():.2e}"
    )
    top = 100
    ours_top = set(both.nlargest(top, "betweenness")["node"])
    exact_top = set(both.nlargest(top, "betweenness_ig")["node"])
    print(f"betweenness: {len(ours_top & exact_top)} of the exact top {top} in the estimate's top {top}")
    order = {node: i for i, node in enumerate(net.nodes["node"])}
    ranked = both.assign(at=both["node"].map(order)).sort_values("at")
    print(
        f"communities: modularity {modularity(list(ranked['community'])):.4f} (ours), "
        f"{modularity(list(ranked['community_ig'])):.4f} (igraph multilevel), "
        f"{ranked['community'].nunique()} and {ranked['community_ig'].nunique()} communities"
    )
    print(f"pagerank: max abs diff {(both['pagerank'] - both['pagerank_ig']).abs().max():.2e}")
    print(
        f"degree equal: {(both['degree'] == both['degree_ig']).all()}, "
        f"weighted degree equal: {(both['weighted_degree'] == both['weighted_degree_ig']).all()}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
