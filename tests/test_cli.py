"""`clusternet validate` as an analyst runs it: exit codes and one line per problem."""

from __future__ import annotations

import json
import subprocess
import sys

from tests import factory

CLI = [sys.executable, "-m", "analysis.cli"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120)


def test_curated_data_validates():
    done = run("validate", "data")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("data: valid (organisations ")


def test_valid_unseen_dataset_exits_0_with_sizes(tmp_path):
    done = run("validate", str(factory.write(tmp_path / "ds")))
    assert done.returncode == 0
    assert "valid (organisations 5, agreements 2, agreement_parties 4, actions 2, action_participants 4" in done.stdout


def test_broken_dataset_exits_1_with_one_line_per_problem(tmp_path):
    data = factory.tables()
    data["organisations"][3]["country"] = "XX"
    data["actions"][0]["end"] = "2017-02-30"
    done = run("validate", str(factory.write(tmp_path / "ds", data)))
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert (
        "organisations:5:country: unknown country: use an ISO 3166-1 alpha-2 code such as IT, DE, GR or GB [XX]"
        in lines
    )
    assert any(line.startswith("actions:2:end: has day 30, but February 2017 has 28 days") for line in lines)
    assert lines[0].endswith("2 blocking problem(s); nothing was loaded")


def test_json_format(tmp_path):
    data = factory.tables()
    data["agreement_parties"][0]["org_id"] = "ghost"
    done = run("validate", "--format", "json", str(factory.write(tmp_path / "ds", data)))
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["valid"] is False
    assert [(e["table"], e["row"], e["column"], e["value"]) for e in report["errors"]] == [
        ("agreement_parties", 2, "org_id", "ghost")
    ]
    assert report["warnings"] == []


def test_missing_path_exits_1(tmp_path):
    done = run("validate", str(tmp_path / "nowhere"))
    assert done.returncode == 1
    assert "no such file or folder" in done.stdout
