"""`clusternet metrics` against an independent, plain-Python reading of the contract on a synthetic dataset."""

from __future__ import annotations

import calendar
import csv
import io
import itertools
from collections import defaultdict
from datetime import date
from pathlib import Path

import networkx as nx
import pytest

from analysis import synthetic
from tests.cli_run import run_cli


def interval(start: str, end: str, open_ended: bool) -> tuple[date, date]:
    def bounds(text: str) -> tuple[date, date]:
        parts = [int(p) for p in text.split("-")]
        if len(parts) == 1:
            return date(parts[0], 1, 1), date(parts[0], 12, 31)
        if len(parts) == 2:
            return date(parts[0], parts[1], 1), date(parts[0], parts[1], calendar.monthrange(*parts)[1])
        return date(*parts), date(*parts)

    first = bounds(start)[0]
    if end:
        return first, bounds(end)[1]
    return first, date(9999, 12, 31) if open_ended else bounds(start)[1]


def reference(folder: Path, level: str, date_from: str | None, date_to: str | None, countries: set[str], only: bool):
    def rows(name: str) -> list[dict[str, str]]:
        return list(csv.DictReader((folder / f"{name}.csv").open(encoding="utf-8")))

    orgs = {r["org_id"]: r for r in rows("organisations")}
    lo = interval(date_from, "", False)[0] if date_from else date.min
    hi = interval(date_to, "", False)[1] if date_to else date(9999, 12, 31)
    members: dict[str, set[str]] = defaultdict(set)
    for r in rows("agreements"):
        a, b = interval(r["signed_on"], r["ends_on"], True)
        if a <= hi and b >= lo:
            members["ag:" + r["agreement_id"]]
    for r in rows("actions"):
        a, b = interval(r["start"], r["end"], False)
        if a <= hi and b >= lo:
            members["ac:" + r["action_id"]]
    for r in rows("agreement_parties"):
        if "ag:" + r["agreement_id"] in members:
            members["ag:" + r["agreement_id"]].add(r["org_id"])
    for r in rows("action_participants"):
        if "ac:" + r["action_id"] in members:
            members["ac:" + r["action_id"]].add(r["org_id"])
    if countries:
        members = {i: m for i, m in members.items() if any(orgs[o]["country"] in countries for o in m)}
        if only:
            members = {i: {o for o in m if orgs[o]["country"] in countries} for i, m in members.items()}
    key = (lambda o: o) if level == "org" else (lambda o: orgs[o]["country"])
    weights: dict[tuple[str, str], int] = defaultdict(int)
    nodes: set[str] = set()
    for m in members.values():
        keys = [key(o) for o in m]
        nodes |= set(keys)
        for a, b in {tuple(sorted(p)) for p in itertools.combinations(keys, 2)}:
            weights[(a, b)] += 1
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_weighted_edges_from((a, b, w) for (a, b), w in weights.items() if a != b)
    country = {n: (orgs[n]["country"] if level == "org" else n) for n in nodes}
    broker = {n: len({country[m] for m in graph[n]} - {country[n]}) for n in nodes}
    return weights, graph, broker


CASES = [
    ("org", None, None, set(), False),
    ("org", "2012", "2016-06", set(), False),
    ("org", None, None, {"PL", "DE"}, False),
    ("org", "2015", None, {"IT"}, True),
    ("country", None, None, set(), False),
    ("country", "2010-03", "2019", {"FR", "ES"}, False),
]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return synthetic.write(tmp_path_factory.mktemp("syn") / "d", synthetic.generate(400, 80, 200, seed=7))


def cli(folder: Path, level: str, date_from, date_to, countries, only, edges: bool) -> list[dict[str, str]]:
    args = ["metrics", str(folder), "--level", level]
    args += ["--from", date_from] if date_from else []
    args += ["--to", date_to] if date_to else []
    for c in sorted(countries):
        args += ["--country", c]
    args += ["--only-selected"] if only else []
    args += ["--edges"] if edges else []
    done = run_cli(*args)
    assert done.returncode == 0, done.stderr
    return list(csv.DictReader(io.StringIO(done.stdout)))


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}-{'+'.join(sorted(c[3]))}-{c[4]}" for c in CASES])
def test_metrics_agree_with_an_independent_reading(folder, case):
    weights, graph, broker = reference(folder, *case)
    nodes = {r["node"]: r for r in cli(folder, *case, edges=False)}
    assert set(nodes) == set(graph.nodes)
    assert graph.number_of_nodes() > 5
    between = nx.betweenness_centrality(graph)
    rank = nx.pagerank(graph, weight="weight")
    for n, row in nodes.items():
        assert int(row["degree"]) == graph.degree(n)
        assert int(row["weighted_degree"]) == graph.degree(n, weight="weight")
        assert int(row["brokerage"]) == broker[n]
        assert float(row["betweenness"]) == pytest.approx(between[n], abs=1e-4)
        assert float(row["pagerank"]) == pytest.approx(rank[n], abs=1e-3)
    links = {(r["a"], r["b"]): int(r["weight"]) for r in cli(folder, *case, edges=True)}
    assert links == dict(weights)
