"""Fixtures shared by the unit tests: the hand-computed small dataset, the factory's unseen one, the curated one."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import Dataset, load_curated, load_dataset
from analysis.filters import Filters, View, apply
from analysis.insights import Insights
from tests import factory, small

E2E = Path(__file__).resolve().parent / "e2e"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/e2e drives the real app in Chromium: marked `e2e`, so `-m "not e2e"` is the fast loop."""
    for item in items:
        if E2E in item.path.parents:
            item.add_marker(pytest.mark.e2e)


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
