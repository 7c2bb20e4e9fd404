"""Benchmark: analysis.growth.growth() (every year's organisation network in both scopes) on a dataset folder, for
the unfiltered view and one country with its partners. Run on demand:
`python benchmarks/growth_speed.py /tmp/h2020b /tmp/syn10k` (datasets from `clusternet synthetic`)."""

from __future__ import annotations

import argparse
import time

from analysis.dataset import load_dataset
from analysis.filters import Filters
from analysis.growth import growth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--country", default="PL")
    args = parser.parse_args()
    for path in args.paths:
        data = load_dataset(path).dataset
        assert data is not None, path
        data.incidence  # noqa: B018 - built once per dataset, before the pages ask for anything: not timed
        for filters in (Filters(), Filters(countries=(args.country,))):
            started = time.perf_counter()
            table = growth(data, filters)
            seconds = time.perf_counter() - started
            last = table.iloc[-1]
            print(
                f"{path} [{filters.describe()}]: {seconds:.2f} s, {len(table) // 2} years, "
                f"last year up to it: {last['organisations']:,} organisations, {last['links']:,} links"
            )


if __name__ == "__main__":
    main()
