"""Fixtures shared by the unit tests: the hand-computed small dataset, the factory's unseen one, the curated one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis import Dataset, load_curated, load_dataset
from analysis.filters import Filters, View, apply
from analysis.insights import Insights
from tests import factory, servers, small

E2E = Path(__file__).resolve().parent / "e2e"
SERVERS = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    """The process that begins the run (not an xdist worker) makes the folder where the shared servers are noted."""
    if not hasattr(config, "workerinput"):
        config.stash[SERVERS] = servers.begin()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/e2e drives the real app in Chromium: marked `e2e`, so `-m "not e2e"` is the fast loop."""
    for item in items:
        if E2E in item.path.parents:
            item.add_marker(pytest.mark.e2e)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the shared servers the selected tests use now, without waiting: they load while the first tests run."""
    used = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    for name in servers.DATASETS:
        if servers.fixture_name(name) in used and servers.available(name):
            servers.launch(name)


def pytest_unconfigure(config: pytest.Config) -> None:
    if (folder := config.stash.get(SERVERS, None)) is not None:
        used = servers.stop_all(folder)
        shutil.rmtree(folder, ignore_errors=True)
        if used:
            print("Shared servers' CPU time: " + ", ".join(f"{name} {s:.0f} s" for name, s in sorted(used.items())))


@pytest.fixture(scope="session")
def small_data(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """tests/small.py: a network small enough to compute by hand."""
    return small.dataset(tmp_path_factory.mktemp("small"))


@pytest.fixture(scope="session")
def small_view(small_data: Dataset) -> View:
    return apply(small_data, Filters())


@pytest.fixture(scope="session")
def small_insights(small_data: Dataset) -> Insights:
    return Insights(small_data, Filters())


@pytest.fixture(scope="session")
def factory_data(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """tests/factory.py: Polish, Portuguese and Greek names, partial dates, Porto unplaced, Tokyo in Japan."""
    result = load_dataset(factory.write(tmp_path_factory.mktemp("factory")))
    assert result.dataset is not None, [p.line() for p in result.errors]
    return result.dataset


@pytest.fixture(scope="session")
def curated() -> Dataset:
    return load_curated()
