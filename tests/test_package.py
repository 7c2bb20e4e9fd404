"""The wheel ships the code and the curated data, and an installed ClusterNet finds its own data (not a checkout's)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from analysis import load_curated

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CODE_PACKAGES = ("analysis", "charts", "dashboard")


def build_wheel(out: Path) -> Path:
    """`pip wheel . --no-deps` on a clean copy of the checkout (a reused build/ folder can ship stale modules)."""
    source = out / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".ruff_cache", "artifacts"
        ),
    )
    wheels = out / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--quiet", "-w", str(wheels)],
        cwd=source,
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("clusternet-*.whl")
    return wheel


def install_target(wheel: Path, target: Path) -> Path:
    """The wheel installed without dependencies into a plain folder, to be put on PYTHONPATH."""
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    return target


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("wheel"))


def test_wheel_ships_the_code_and_the_curated_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "clusternet_data/datapackage.json" in names
    for resource in json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))["resources"]:
        # countries.csv is optional and not curated; every table that is there (or required) ships.
        if resource.get("clusternet:required", True) or (DATA / resource["path"]).exists():
            assert f"clusternet_data/{resource['path']}" in names
    geojson = sorted(p.name for p in (DATA / "geo").glob("*.geojson"))
    assert geojson
    assert {f"clusternet_data/geo/{name}" for name in geojson} <= names
    assert "dashboard/app.py" in names
    # Every module of the code packages, and nothing else (no stale module of an earlier build).
    modules = {p.relative_to(ROOT).as_posix() for package in CODE_PACKAGES for p in (ROOT / package).rglob("*.py")}
    assert modules == {name for name in names if name.endswith(".py") and name.split("/")[0] in CODE_PACKAGES}


def test_installed_package_finds_its_own_curated_data(wheel, tmp_path):
    site = install_target(wheel, tmp_path / "site")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = (
        "import analysis, json; from analysis.schema import DATA_DIR; from analysis import load_curated; "
        "print(json.dumps([str(DATA_DIR), analysis.__file__, len(load_curated().organisations)]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=elsewhere,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        check=True,
    )
    data_dir, module, organisations = json.loads(result.stdout.strip().splitlines()[-1])
    assert Path(data_dir) == (site / "clusternet_data").resolve()
    assert Path(module).resolve().is_relative_to(site.resolve())
    assert organisations == len(load_curated().organisations) > 0
