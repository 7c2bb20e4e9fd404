"""Benchmark of issue 24 at Horizon 2020 size: the sidebar's Search and the page of one organisation. Run on demand
(about 10 minutes here):

    .venv/bin/python benchmarks/search_speed.py [--seed 2424] [--rounds 7] [--work DIR] [--small]

(`--small` runs the same on a twentieth of the size, to try the script out: its figures mean nothing.)

The data is SYNTHETIC, in two shapes: `clusternet synthetic OUT --orgs 40000 --actions 35000 --agreements 600
--shape programme`, and the `skewed` CORDIS-layout files of benchmarks/cordis_import.py (35,000 projects, a few
organisations in thousands of projects, a long tail of consortia up to 150 partners) through `clusternet import
cordis`.

What it measures, on each dataset:
1. in this process: building the search index (analysis.search.index), then, for the most connected organisation
   and 199 others drawn at random, its first three letters and its rarest three (the three-letter run of its name
   that fewest names share: what an analyst who knows the name types): the median and the slowest answer, and how
   many are listed within the first 10 (synthetic names share their first letters: there only the most involved
   can be);
2. in headless Chromium, against `clusternet run --data DIR` and a trivial one-widget Streamlit app
   (benchmarks/trivial_app.py) in the same run:
   - the trivial app's cold load (a fresh session until its metric shows) and rerun (its multiselect);
   - a keystroke in the sidebar's Search: two letters of an organisation's name typed (each run waited for), then
     the third timed from the key press until its run is over (the results are on the page); `rounds` names;
   - the page of the most connected organisation, /organisation?id=ID, first drawn: a fresh session from `goto` until
     the run is over and the page's reading is shown (the first time on a fresh server apart, then the median of the
     later ones);
3. a table of every figure, with each one's ratio to the trivial app (the issue asks: a keystroke within 2x its
   rerun, the page within 5x its cold load).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from analysis import load_dataset
from analysis.filters import Filters
from analysis.insights import Insights
from analysis.metrics import degree
from analysis.search import fold, index, key
from benchmarks.cordis_import import generate, measured
from benchmarks.funding_speed import Table, open_page, timed, trivial_app, trivial_reruns
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, IDLE, VIEWPORT
from tests.servers import App

CLI = [sys.executable, "-m", "analysis.cli"]
SIZES = {  # --small or not: (CORDIS projects, organisations drawn from), and the synthetic programme's arguments
    False: ((35_000, 42_000), ["--orgs", "40000", "--actions", "35000", "--agreements", "600"]),
    True: ((1_750, 2_100), ["--orgs", "2000", "--actions", "1750", "--agreements", "30"]),
}
WAIT_MS = 600_000
SEARCH_LABEL = "Search"
READING = "[data-testid=stMarkdownContainer]"  # the organisation page's first words


def make_data(work: Path, seed: int, small: bool, table: Table) -> dict[str, Path]:
    (projects, orgs), programme = SIZES[small]
    out = work / "programme"
    if not (out / "organisations.csv").exists():
        command = [*CLI, "synthetic", str(out), *programme, "--shape", "programme", "--seed", str(seed)]
        seconds, _cpu, _peak, _ = measured(command)
        table.add("programme: clusternet synthetic", f"{seconds:.1f} s", " ".join(["clusternet", *command[3:]]))
    skewed = work / "skewed"
    if not (skewed / "organisations.csv").exists():
        (work / "cordis-skewed").mkdir(parents=True, exist_ok=True)
        files = generate(work / "cordis-skewed", seed, "skewed", projects, orgs)
        seconds, _cpu, _peak, _ = measured([*CLI, "import", "cordis", *map(str, files), "--out", str(skewed)])
        table.add("skewed: import cordis", f"{seconds:.1f} s", "clusternet import cordis FILES --out DIR")
    return {"programme": out, "skewed": skewed}


def most_involved(data: Path, count: int, seed: int) -> list[tuple[str, str]]:
    """(id, name) of the most connected organisation, then `count - 1` others drawn at random."""
    dataset = load_dataset(data).dataset
    assert dataset is not None
    net = Insights(dataset, Filters()).network("org")
    ranked = net.nodes.assign(partners=degree(net)).sort_values(["partners", "node"], ascending=[False, True])
    pairs = list(zip(ranked["node"].astype(str), ranked["label"].astype(str), strict=True))
    return [pairs[0], *random.Random(seed).sample(pairs[1:], count - 1)]


def trigrams(name: str) -> set[str]:
    """The three-letter runs within the words of a name as the index reads it (folded, punctuation a break)."""
    return {word[i : i + 3] for word in key(name).split() for i in range(len(word) - 2)}


def in_process(data: Path, name: str, chosen: list[tuple[str, str]], table: Table) -> None:
    """The index's build, and three letters of each chosen name: its first three, and its rarest three (the letters
    an analyst who knows the name would type) - how fast, and how many are listed within the first 10."""
    dataset = load_dataset(data).dataset
    assert dataset is not None
    started = time.perf_counter()
    found = index(dataset)
    built = time.perf_counter() - started
    seen = Counter(t for label in dataset.organisations["name"].astype(str) for t in trigrams(label))
    for how, letters in (
        ("first three letters", lambda label: fold(label)[:3]),
        ("rarest three letters", lambda label: min(sorted(trigrams(label)), key=seen.__getitem__)),
    ):
        answers, listed, first = [], 0, False
        for rank, (org_id, label) in enumerate(chosen):
            started = time.perf_counter()
            hits = found.find(letters(label))
            answers.append(time.perf_counter() - started)
            listed += any(h.id == org_id for h in hits)
            first = first or (rank == 0 and any(h.id == org_id for h in hits))
        table.add(
            f"{name}: search, {how} of {len(chosen)} names",
            f"answers median {statistics.median(answers) * 1000:.1f} ms, slowest {max(answers) * 1000:.1f} ms; "
            f"{listed} of {len(chosen)} listed within the first 10 (the most connected: {'yes' if first else 'no'})",
            "analysis.search.index(dataset).find(letters)",
        )
    table.add(f"{name}: search index built", f"{built:.2f} s", "analysis.search.index(dataset)")


def keystroke(page: Page, label: str) -> tuple[float, float]:
    """Clear the sidebar's Search, type two letters of `label` (each run waited for), then time the third until the
    run is over and the results list `label` (when three letters put it among the first 10) or change."""
    box = page.get_by_role("searchbox", name=SEARCH_LABEL, exact=True)
    if box.input_value():
        timed(page, lambda: box.fill(""))
    box.click()
    for letter in label[:2]:
        timed(page, lambda letter=letter: box.press(letter))
    times = timed(page, lambda: box.press(label[2]))
    return times


def first_drawn(browser: Browser, url: str, name: str) -> float:
    """Seconds from opening `url` in a fresh session until its first run is over and `name` is on the page."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=WAIT_MS)
    page.get_by_text(name[:40]).first.wait_for(timeout=WAIT_MS)
    elapsed = time.perf_counter() - started
    context.close()
    return elapsed


def trivial_cold(browser: Browser, url: str) -> float:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=WAIT_MS)
    page.wait_for_selector("[data-testid=stMetricValue]", timeout=WAIT_MS)
    elapsed = time.perf_counter() - started
    context.close()
    return elapsed


def in_browser(browser: Browser, trivial: App, data: Path, name: str, chosen, rounds: int, table: Table) -> None:
    started = time.perf_counter()
    app = App.start(data, timeout=1800)
    table.add(f"{name}: clusternet run up (warmed)", f"{time.perf_counter() - started:.1f} s", "clusternet run")
    try:
        org_id, org_name = chosen[0]
        page_url = f"{app.url}/organisation?id={org_id}"
        first = first_drawn(browser, page_url, org_name)
        overview = open_page(browser, app.url)
        floor = open_page(browser, trivial.url)
        colds, reruns, keys, pages = [], [], [], []
        countries = ["Poland", "Italy", "Germany", "Portugal"]
        for round_ in range(rounds):
            colds.append(trivial_cold(browser, trivial.url))
            reruns += trivial_reruns(floor, countries[round_ % len(countries)])
            keys.append(keystroke(overview, chosen[round_ % len(chosen)][1]))
            pages.append(first_drawn(browser, page_url, org_name))
        cold, rerun = statistics.median(colds), statistics.median(r for r, _ in reruns)
        key = statistics.median(k for k, _ in keys)
        later = statistics.median(pages)
        table.add(f"{name}: trivial app", f"cold load {cold * 1000:.0f} ms, rerun {rerun * 1000:.0f} ms", "trivial")
        table.add(
            f"{name}: Search keystroke (3rd letter) to its result, median of {len(keys)}",
            f"{key * 1000:.0f} ms ({key / rerun:.1f}x the trivial rerun; slowest {max(k for k, _ in keys) * 1000:.0f}"
            " ms)",
            "browser: type 3 letters of a name in the sidebar's Search",
        )
        table.add(
            f"{name}: /organisation of the most connected ({org_id}), first drawn",
            f"fresh server {first:.2f} s ({first / cold:.1f}x the trivial cold load); then median {later:.2f} s "
            f"({later / cold:.1f}x)",
            f"browser: /organisation?id={org_id}",
        )
    finally:
        app.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2424)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--work", type=Path)
    parser.add_argument("--small", action="store_true")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="clusternet-search-"))
    work.mkdir(parents=True, exist_ok=True)
    table = Table()
    datasets = make_data(work, args.seed, args.small, table)
    chosen = {name: most_involved(data, 200, args.seed) for name, data in datasets.items()}
    for name, data in datasets.items():
        in_process(data, name, chosen[name], table)
    trivial = trivial_app()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, data in datasets.items():
                in_browser(browser, trivial, data, name, chosen[name], args.rounds, table)
            browser.close()
    finally:
        trivial.stop()
    table.print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
