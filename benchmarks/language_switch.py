"""Benchmark: what a page's first draw costs in a second language once the first is warm (issue 16). The view's
networks, metrics and layouts are kept once for both languages (`@memoised(words=False)`); only words (readings,
figures' titles and hovers, tables said in words) are made again. Run on demand:
`python benchmarks/language_switch.py /tmp/h2020b data` (datasets from `clusternet synthetic`, or the curated one)."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from analysis import i18n
from analysis.cache import FileCache
from analysis.dataset import load_dataset
from analysis.filters import Filters
from analysis.insights import Insights
from charts.report import NETWORK_LIMIT, TIMELINE_LIMIT, Charts


def pages(charts: Charts) -> dict[str, Callable[[], object]]:
    """What each page draws first, as the pages ask for it (the Network by degree: no costly metric)."""
    insights = charts.insights
    return {
        "Overview": lambda: (insights.kpis(), insights.reading(), insights.coverage(), charts.countries()),
        "Map": lambda: (charts.map_data(), charts.map()),
        "Network": lambda: charts.network("org", "degree", "country", NETWORK_LIMIT, complete=False),
        "Timeline": lambda: (charts.timeline(limit=TIMELINE_LIMIT), charts.yearly()),
    }


def timed(make: Callable[[], object]) -> float:
    started = time.perf_counter()
    make()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    for path in args.paths:
        data = load_dataset(path).dataset
        assert data is not None, path
        data.incidence  # noqa: B018 - built once per dataset before any page: not timed
        charts = Charts(Insights(data, Filters()), FileCache(64 * 1024 * 1024))
        print(f"{path}: {len(data.organisations):,} organisations")
        for page, make in pages(charts).items():
            with i18n.speaking("en"):
                english = timed(make)
            with i18n.speaking("it"):
                italian = timed(make)
            with i18n.speaking("en"):
                again = timed(make)
            print(f"  {page}: English first {english:.2f} s, then Italian {italian:.2f} s, English again {again:.3f} s")


if __name__ == "__main__":
    main()
