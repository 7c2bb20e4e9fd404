"""`clusternet metrics --programme` and `clusternet compare --a-programme --b-programme` as an analyst runs them, held
to an independent pandas reading of a dataset of four programmes (tests/programmes.py)."""

from __future__ import annotations

import io
import json
import subprocess

import pandas as pd
import pytest

from tests import programmes, small
from tests.cli_run import run_cli

KNOWN = "the dataset's programmes: FP7, H2020, HORIZON, Interreg V-A, Italy-Croatia"


def run(*args: str) -> subprocess.CompletedProcess:
    return run_cli(*args)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("programme-cli")
    programmes.write(folder)
    return folder


@pytest.fixture(scope="module")
def raw(folder):
    return programmes.raw(folder)


def degrees(raw: dict[str, pd.DataFrame], chosen: tuple[str, ...]) -> dict[str, int]:
    """Each organisation's number of partners in the network of every agreement and the actions of `chosen`."""
    nodes, links = programmes.linked_pairs(raw, chosen)
    counted = dict.fromkeys(nodes, 0)
    for a, b in links:
        counted[a] += 1
        counted[b] += 1
    return counted


def test_metrics_under_a_programme_equal_pandas(folder, raw):
    done = run("metrics", str(folder / "programmes"), "--programme", "H2020")
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(io.StringIO(done.stdout), dtype={"node": str})
    assert dict(zip(table["node"], table["degree"], strict=True)) == degrees(raw, ("H2020",))
    assert "All countries, all years, programmes: H2020, all kinds" in done.stderr
    # Two programmes together: their actions' union, not the same network as one of them.
    both = run("metrics", str(folder / "programmes"), "--programme", "H2020", "--programme", "FP7")
    table = pd.read_csv(io.StringIO(both.stdout), dtype={"node": str})
    assert dict(zip(table["node"], table["degree"], strict=True)) == degrees(raw, ("FP7", "H2020"))
    assert degrees(raw, ("FP7", "H2020")) != degrees(raw, ("H2020",))


def test_compare_by_programme_equals_pandas(folder, raw):
    done = run("compare", str(folder / "programmes"), "--a-programme", "FP7", "--b-programme", "H2020")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    nodes_a, links_a = programmes.linked_pairs(raw, ("FP7",))
    nodes_b, links_b = programmes.linked_pairs(raw, ("H2020",))
    assert found["programmes"] == {"a": ["FP7"], "b": ["H2020"]}
    assert found["periods"] == {"a": [None, None], "b": [None, None]}  # a side set by programme spans every year
    assert found["filters"] == "All countries, FP7 compared with H2020, all kinds"
    assert found["organisations"]["joined"] == sorted(nodes_b - nodes_a)
    assert found["organisations"]["left"] == sorted(nodes_a - nodes_b)
    assert found["organisations"]["stayed"] == sorted(nodes_a & nodes_b)
    assert {tuple(pair) for pair in found["links"]["new"]} == links_b - links_a
    assert {tuple(pair) for pair in found["links"]["lost"]} == links_a - links_b
    assert len(found["links"]["kept"]) == len(links_a & links_b)
    money = found["contribution_eur"]
    assert (money["a"], money["b"]) == pytest.approx(
        (programmes.amounts(raw, ("FP7",)), programmes.amounts(raw, ("H2020",))), abs=0.01
    )


def test_compare_by_programme_within_periods(folder, raw):
    done = run(
        "compare",
        str(folder / "programmes"),
        "--a-programme",
        "FP7",
        "--b-programme",
        "FP7",
        "--a",
        ":2015",
        "--b",
        "2016:",
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["periods"] == {"a": [None, "2015"], "b": ["2016", None]}
    assert found["filters"] == "All countries, FP7, until 2015 compared with FP7, from 2016, all kinds"


def test_an_unknown_programme_is_refused_with_the_datasets_programmes(folder, tmp_path):
    done = run("metrics", str(folder / "programmes"), "--programme", "H2021")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip() == f"clusternet metrics: cannot filter by programme H2021 ({KNOWN})"
    done = run("compare", str(folder / "programmes"), "--a-programme", "FP7", "--b-programme", "FP6")
    assert done.returncode == 2
    assert done.stderr.strip() == f"clusternet compare: cannot filter by B: programme FP6 ({KNOWN})"
    done = run("funding", str(small.write(tmp_path)), "--programme", "H2020")
    assert done.returncode == 2
    assert "programme H2020 (no action of the dataset names its programme)" in done.stderr
