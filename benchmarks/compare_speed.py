"""Benchmark: the Compare page's work for the default periods (the dataset's years in two halves), step by step,
outside the browser: both periods' views and networks, the comparison, its summary, both drawings and the JSON of
`clusternet compare`. Run on demand:
`python benchmarks/compare_speed.py /tmp/h2020b /tmp/syn10k` (datasets from `clusternet synthetic`)."""

from __future__ import annotations

import argparse
import functools
import json
import time
from collections.abc import Callable
from typing import TypeVar

from analysis.cache import FileCache
from analysis.comparison import Periods, halves
from analysis.dataset import Dataset, load_dataset
from analysis.filters import Filters
from analysis.insights import Insights
from charts.compare import CompareCharts
from charts.report import Charts

T = TypeVar("T")


def timed(what: str, work: Callable[[], T]) -> T:
    started = time.perf_counter()
    value = work()
    print(f"  {what}: {time.perf_counter() - started:.2f} s", flush=True)
    return value


def period_views(data: Dataset, periods: Periods, filters: Filters, files: FileCache) -> tuple[Charts, Charts]:
    """Each period's view with what the Compare page asks of it first: both networks and the quick metrics."""
    made = [Charts(Insights(data, f), files) for f in periods.of(filters)]
    for charts in made:
        for level in ("org", "country"):
            charts.insights.network(level)
        charts.insights.quick_metrics("org")
    return made[0], made[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--country", action="append", default=[], help="compare under this country filter too")
    args = parser.parse_args()
    for path in args.paths:
        data = load_dataset(path).dataset
        assert data is not None, path
        data.incidence  # noqa: B018 - built once per dataset, before the pages ask for anything: not timed
        periods = halves(data.incidence.years())
        for filters in [Filters(), *(Filters(countries=(c,)) for c in args.country)]:
            print(f"{path} [{filters.describe(period=periods.words)}]", flush=True)
            files = FileCache(10**9)
            views = functools.partial(period_views, data, periods, filters, files)
            a, b = timed("both periods' views, networks and quick metrics", views)
            compared = CompareCharts(periods, a, b, files)
            found = timed("comparison (joined, left, new, lost, movers)", compared.comparison)
            print(f"  tiles {found.tiles()}; waiting for {found.pending or 'nothing'}", flush=True)
            timed("summary in words", found.story)
            timed("both networks on one layout", compared.networks)
            timed("map of country ties", compared.country_links)
            timed("JSON of clusternet compare", lambda found=found: json.dumps(found.as_dict()))


if __name__ == "__main__":
    main()
