"""Benchmark of issue 23's money features at Horizon 2020 size. Run on demand (about 10 minutes here):

    .venv/bin/python benchmarks/funding_speed.py [--seed 2027] [--rounds 7] [--work DIR] [--no-browser] [--profile]

(`--small` runs the same on a twentieth of the size, to try the script out: its figures mean nothing.)

The data is SYNTHETIC. Two sets of CORDIS-layout files written by benchmarks/cordis_import.py's generator (35,000
projects, about 180,000 organization rows, each with its totalCost, ecContribution and netEcContribution in decimal
commas, about 1 % of net amounts empty), in its two shapes: `skewed` (many single-beneficiary grants, a long tail up
to 150 partners, a few organisations in thousands of projects) and `flat` (mid-size consortia). And, as a second
shape of data for the pages, `clusternet synthetic OUT --orgs 40000 --actions 35000 --agreements 600 --shape
programme` (with contribution_eur).

What it measures, each command a subprocess timed from outside (its wall time, CPU time and peak memory):
1. `clusternet import cordis FILES --out DIR`, for both shapes;
2. `clusternet funding DIR --level country --format json`, `--level region --by partner --format csv` and
   `--level org --by partner --format csv` on both imports, with the rows each writes; the skewed dataset's
   per-country EU contribution (top 10 and the sum) checked against a plain pandas sum of the generated
   organization file's netEcContribution (ecContribution where net is empty) per country, EL read as GR and UK as
   GB: whether they agree to the cent;
3. in headless Chromium, against `clusternet run --data DIR` (the skewed import, then the synthetic programme) and a
   trivial one-widget Streamlit app (benchmarks/trivial_app.py) started in the same run: switching the Map's
   "Shade regions by" between "Agreements and actions" and "EU contribution", the Network's "Weigh links and size
   nodes by" likewise, and the trivial app's rerun (its multiselect), in rounds that alternate the three so that
   drift hits them alike. A switch is timed from the click until the server reports the run finished on the page's
   websocket and the page reads idle (`run`, which includes Playwright's own round trip of a few tens of ms), and, in
   the page's own clock, from the press to the document's last change (`drawn`: waited for as 500 ms without
   change; a map's canvas redrawn later is not seen). The first switch to EU contribution on a fresh server
   computes the measure (one sample, reported apart); the median is over the later rounds, when it is cached. The
   Network is measured once its costly metrics are in (the page reruns itself while they are computed).
4. A table of every figure, with the ratio of each switch to the trivial rerun.

`--profile` adds cProfile, in this process, of `Charts(...).map_data("contribution")`, `.map("contribution")` and
`.network("org", measure="contribution")` on the skewed import (what the first switch computes), their top functions
by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import json
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from playwright.sync_api import Browser, Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.cordis_import import generate, measured
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, IDLE, VIEWPORT, run_finished, runs, settled
from tests.servers import ARTIFACTS, App, free_port

CLI = [sys.executable, "-m", "analysis.cli"]
SHAPES = ("skewed", "flat")
SIZES = {  # --small or not: (CORDIS projects, organisations drawn from), and the synthetic programme's arguments
    False: ((35_000, 42_000), ["--orgs", "40000", "--actions", "35000", "--agreements", "600"]),
    True: ((1_750, 2_100), ["--orgs", "2000", "--actions", "1750", "--agreements", "30"]),
}
FUNDING = {  # name -> the arguments after `clusternet funding DIR`
    "country json": ["--level", "country", "--format", "json"],
    "region by partner csv": ["--level", "region", "--by", "partner", "--format", "csv"],
    "org by partner csv": ["--level", "org", "--by", "partner", "--format", "csv"],
}
PAGES = {  # page -> (its path, the control's label)
    "Map": ("map", "Shade regions by"),
    "Network": ("network", "Weigh links and size nodes by"),
}
ITEMS, MONEY = "Agreements and actions", "EU contribution"
WAIT_MS = 600_000  # a first computation at this size may take minutes: a timeout only guards against a hang
QUIET_MS = 500  # the document unchanged this long: drawn
# The page's clock at the last pointer or key press: `drawn` is measured from it (tests' CHANGES_JS gives the end).
PRESSED_JS = """(() => {
    const note = () => { window.__benchPressed = performance.now(); };
    document.addEventListener("pointerdown", note, true);
    document.addEventListener("keydown", note, true);
})();"""
# The Network drawn with every metric: its chart, no progress of the costly metrics, the run over.
NETWORK_COMPLETE_JS = f"""() => document.querySelector('[data-testid=stPlotlyChart] .main-svg')
    && !document.querySelector('[data-testid=stProgress]') && document.querySelector('{IDLE}')"""


@dataclass
class Table:
    """Every figure of the run, printed at the end: (what, figure, command)."""

    rows: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, what: str, figure: str, command: str) -> None:
        self.rows.append((what, figure, command))
        print(f"  {what}: {figure}", flush=True)

    def print(self) -> None:
        widths = [max(len(row[i]) for row in self.rows) for i in range(2)]
        print("\nSUMMARY (synthetic data; times from this run, this machine)")
        for what, figure, command in self.rows:
            print(f"{what:<{widths[0]}}  {figure:<{widths[1]}}  {command}")


def shell(command: list[str]) -> str:
    """A command as it would be typed (the interpreter as `clusternet`, temporary folders kept)."""
    words = ["clusternet", *command[3:]] if command[:3] == CLI else command
    return " ".join(words)


# --- 1. CORDIS-layout files and their import ---


def make_files(folder: Path, shape: str, seed: int, size: tuple[int, int], table: Table) -> tuple[Path, Path]:
    started = time.perf_counter()
    print(f"{shape}: writing SYNTHETIC CORDIS files (seed {seed}) in {folder}", flush=True)
    folder.mkdir(parents=True, exist_ok=True)
    files = generate(folder, seed, shape, *size)
    rows = sum(1 for _ in csv.reader(files[1].open(encoding="utf-8"), delimiter=";")) - 1
    sizes = ", ".join(f"{p.name} {p.stat().st_size / 2**20:.0f} MB" for p in files)
    table.add(
        f"{shape}: CORDIS-layout files",
        f"{size[0]:,} projects, {rows:,} organization rows ({sizes}), written in {time.perf_counter() - started:.0f} s",
        f"benchmarks/cordis_import.py generate(seed={seed}, shape={shape!r})",
    )
    return files


def import_cordis(files: tuple[Path, Path], out: Path, shape: str, table: Table) -> None:
    command = [*CLI, "import", "cordis", *map(str, files), "--out", str(out)]
    seconds, cpu, peak, report = measured(command)
    kept = next((line for line in report.splitlines() if line.startswith("Kept:")), "")
    table.add(
        f"{shape}: import cordis",
        f"{seconds:.1f} s ({cpu:.1f} s CPU, peak {peak:.0f} MB); {kept.removeprefix('Kept: ')}",
        "clusternet import cordis project.csv organization.csv --out DIR",
    )


# --- 2. clusternet funding ---


def rows_written(out: str, form: str) -> int:
    if form == "json":
        return len(json.loads(out))
    return sum(1 for _ in csv.reader(io.StringIO(out))) - 1


def funding(data: Path, shape: str, table: Table) -> str:
    """Time the three funding commands on a dataset; the country JSON's output."""
    country_json = ""
    for name, arguments in FUNDING.items():
        command = [*CLI, "funding", str(data), *arguments]
        seconds, cpu, peak, out = measured(command)
        country_json = out if name == "country json" else country_json
        table.add(
            f"{shape}: funding {name}",
            f"{seconds:.1f} s ({cpu:.1f} s CPU, peak {peak:.0f} MB), {rows_written(out, arguments[-1]):,} rows",
            f"clusternet funding DIR {' '.join(arguments)}",
        )
    return country_json


def euros(text: pd.Series) -> pd.Series:
    """CORDIS amounts (decimal commas) as floats, NaN when empty."""
    return pd.to_numeric(text.str.replace(",", ".", regex=False).replace("", None), errors="coerce")


def plain_sums(organization_file: Path) -> pd.Series:
    """EU contribution per ISO country by a plain pandas sum of the generated organization file: netEcContribution,
    ecContribution where net is empty; EL read as GR, UK as GB; in euros rounded to the cent."""
    rows = pd.read_csv(organization_file, sep=";", dtype=str, keep_default_na=False)
    net, gross = euros(rows["netEcContribution"]), euros(rows["ecContribution"])
    amount = net.where(rows["netEcContribution"] != "", gross)
    country = rows["country"].replace({"EL": "GR", "UK": "GB"})
    return amount.groupby(country).sum().round(2)


def check_countries(country_json: str, organization_file: Path, table: Table) -> None:
    """The skewed import's per-country totals (clusternet funding) beside the plain sum of the file it came from."""
    shown = pd.DataFrame(json.loads(country_json)).set_index("id")
    mine = shown["contribution_eur"].astype(float)
    plain = plain_sums(organization_file)
    print("skewed: EU contribution per country, clusternet funding --level country (top 10)", flush=True)
    for code, row in shown.sort_values("contribution_eur", ascending=False).head(10).iterrows():
        print(
            f"  {code} {row['name']:<16} {row['contribution_eur']:>20,.2f} EUR  plain sum {plain.get(code, 0):>20,.2f}"
        )
    both = mine.index.intersection(plain.index)
    apart = (mine[both] - plain[both]).abs()
    agree = int((apart < 0.005).sum())
    only_file = plain.drop(both)
    only_import = mine.drop(both)
    print(
        f"  sum over {len(mine)} countries {mine.sum():,.2f} EUR; plain sum over the file's {len(plain)} "
        f"{plain.sum():,.2f} EUR",
        flush=True,
    )
    verdict = f"{agree} of {len(both)} countries agree to the cent (largest difference {apart.max():.2f} EUR)"
    if len(only_file):
        verdict += "; only in the file: " + ", ".join(f"{c} {v:,.2f} EUR" for c, v in only_file.items())
    if len(only_import):
        verdict += "; only in the import: " + ", ".join(only_import.index)
    table.add(
        "skewed: per-country totals vs plain pandas sum",
        f"total {mine.sum():,.2f} EUR; {verdict}",
        "clusternet funding DIR --level country --format json; pandas on organization.csv",
    )


# --- 3. The pages in Chromium ---


def trivial_app() -> App:
    """benchmarks/trivial_app.py served by Streamlit, as the tests' App (the same health wait and stop). (The same
    app as benchmarks/ui_speed.py's Trivial, which waits a fixed 4 s for the server instead.)"""
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / f"trivial-{port}.log"
    script = Path(__file__).with_name("trivial_app.py")
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless=true"]
    command += [f"--server.port={port}", "--server.address=127.0.0.1", "--browser.gatherUsageStats=false"]
    process = subprocess.Popen(command, stdout=log.open("w"), stderr=subprocess.STDOUT)
    app = App(f"http://127.0.0.1:{port}", log, None, process.pid, process)
    app.wait_healthy(60)
    return app


def open_page(browser: Browser, url: str) -> Page:
    """A fresh session on `url`, its first run finished and the page drawn."""
    page = browser.new_context(viewport=VIEWPORT).new_page()
    page.add_init_script(PRESSED_JS)
    runs(page)  # listens to the websocket from the first document on
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=WAIT_MS)
    page.wait_for_load_state("networkidle")
    settled(page, QUIET_MS)
    runs(page).seen = runs(page).finished
    return page


def timed(page: Page, act: Callable[[], None]) -> tuple[float, float]:
    """Seconds from `act` (a click or key press) until the run it started has finished and the page reads idle;
    and, in the page's clock, from the press to the document's last change."""
    seen = runs(page)
    seen.seen = seen.finished
    start = time.perf_counter()
    act()
    if seen.finished <= seen.seen:
        assert seen.socket is not None, "the page has no Streamlit connection"
        seen.socket.wait_for_event("framereceived", predicate=run_finished, timeout=WAIT_MS)
    page.wait_for_selector(IDLE, timeout=WAIT_MS)
    run = time.perf_counter() - start
    seen.seen = seen.finished
    page.wait_for_function(
        "([quiet]) => performance.now() - window.__clusternetChanged >= quiet",
        arg=[QUIET_MS],
        polling=50,
        timeout=WAIT_MS,
    )
    drawn = page.evaluate("() => window.__clusternetChanged - window.__benchPressed") / 1000
    errors = page.locator("[data-testid=stException], [data-testid=stAlertContentError]").count()
    assert not errors, f"{page.url}: {errors} error(s) on the page"
    return run, max(drawn, 0.0)


def switch(page: Page, label: str, option: str) -> tuple[float, float]:
    control = page.get_by_role("radiogroup", name=label).get_by_role("radio", name=option, exact=True)
    times = timed(page, control.click)
    wanted = "measure=contribution" in page.url
    assert wanted == (option == MONEY), f"after choosing {option!r} the URL reads {page.url}"
    return times


def trivial_reruns(page: Page, country: str) -> list[tuple[float, float]]:
    """Two reruns of the trivial app's one widget: a country chosen (Enter), then the choice cleared."""
    box = page.get_by_label("Countries", exact=True)
    box.click()
    box.fill(country)
    chosen = timed(page, lambda: box.press("Enter"))
    page.keyboard.press("Escape")
    settled(page, QUIET_MS)
    cleared = timed(page, page.get_by_role("button", name="Clear all").first.click)
    return [chosen, cleared]


def median(samples: list[tuple[float, float]], i: int) -> float:
    return statistics.median(s[i] for s in samples)


def pages(browser: Browser, trivial: App, data: Path, name: str, rounds: int, table: Table) -> None:
    """Serve `data`, open the Network (until its metrics are in), the Map and the trivial app, then alternate."""
    started = time.perf_counter()
    app = App.start(data, timeout=1800)
    table.add(
        f"{name}: clusternet run up (warmed)", f"{time.perf_counter() - started:.1f} s", "clusternet run --data DIR"
    )
    try:
        started = time.perf_counter()
        network = open_page(browser, f"{app.url}/{PAGES['Network'][0]}")
        network.wait_for_function(NETWORK_COMPLETE_JS, polling=1000, timeout=3_600_000)
        network.wait_for_selector(IDLE, timeout=WAIT_MS)
        settled(network, QUIET_MS)
        runs(network).seen = runs(network).finished
        table.add(
            f"{name}: Network open until its metrics are in",
            f"{time.perf_counter() - started:.1f} s",
            "browser: /network",
        )
        opened = {"Network": network, "Map": open_page(browser, f"{app.url}/{PAGES['Map'][0]}")}
        floor = open_page(browser, trivial.url)
        first: dict[str, tuple[float, float]] = {}
        later: dict[str, dict[str, list[tuple[float, float]]]] = {p: {ITEMS: [], MONEY: []} for p in PAGES}
        reruns: list[tuple[float, float]] = []
        countries = ["Poland", "Italy", "Germany", "Portugal"]
        for round_ in range(rounds + 1):  # round 0: the first switch to EU contribution, computed then
            reruns += trivial_reruns(floor, countries[round_ % len(countries)])
            for page_name, page in opened.items():
                label = PAGES[page_name][1]
                to_money = switch(page, label, MONEY)
                back = switch(page, label, ITEMS)
                if round_ == 0:
                    first[page_name] = to_money
                    continue
                later[page_name][MONEY].append(to_money)
                later[page_name][ITEMS].append(back)
            print(f"  round {round_} done", flush=True)
        reruns = reruns[2:]  # round 0's, as the pages' first switches are apart
        run_floor, drawn_floor = median(reruns, 0), median(reruns, 1)
        table.add(
            f"{name}: trivial app rerun, median of {len(reruns)}",
            f"run {run_floor * 1000:.0f} ms, drawn {drawn_floor * 1000:.0f} ms",
            "browser: benchmarks/trivial_app.py, choose / clear a country",
        )
        for page_name in PAGES:
            label = PAGES[page_name][1]
            run, drawn = first[page_name]
            table.add(
                f"{name}: {page_name} first switch to {MONEY} (1 sample)",
                f"run {run * 1000:.0f} ms ({run / run_floor:.1f}x), drawn {drawn * 1000:.0f} ms "
                f"({drawn / drawn_floor:.1f}x)",
                f'browser: /{PAGES[page_name][0]}, "{label}" -> {MONEY}, fresh server',
            )
            for option in (MONEY, ITEMS):
                samples = later[page_name][option]
                run, drawn = median(samples, 0), median(samples, 1)
                table.add(
                    f"{name}: {page_name} switch to {option}, median of {len(samples)}",
                    f"run {run * 1000:.0f} ms ({run / run_floor:.1f}x), drawn {drawn * 1000:.0f} ms "
                    f"({drawn / drawn_floor:.1f}x)",
                    f'browser: /{PAGES[page_name][0]}, "{label}" -> {option}, cached',
                )
        for page in [*opened.values(), floor]:
            page.context.close()
    finally:
        app.stop()


# --- Where the first switch's time goes ---


def profile(data: Path) -> None:
    """cProfile of what the first switch to EU contribution computes, in this process (dataset loaded, view and the
    items' map and drawn network made first, as the pages would have)."""
    from analysis.cache import SHARED_FILE_BYTES, FileCache
    from analysis.dataset import load_dataset
    from analysis.filters import Filters
    from analysis.insights import Insights
    from charts.report import Charts

    dataset = load_dataset(data).dataset
    dataset.incidence  # noqa: B018 - as the server does before it answers
    charts = Charts(Insights(dataset, Filters()), FileCache(SHARED_FILE_BYTES))
    charts.map_data()
    charts.map()
    charts.insights.metrics("org")
    charts.network("org")
    for what, call in (
        ('map_data("contribution")', lambda: charts.map_data("contribution")),
        ('map("contribution") (the figure for the downloads)', lambda: charts.map("contribution")),
        ('network("org", measure="contribution")', lambda: charts.network("org", measure="contribution")),
    ):
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.runcall(call)
        print(f"\nPROFILE Charts(...).{what}: {time.perf_counter() - started:.2f} s", flush=True)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        print(out.getvalue(), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--rounds", type=int, default=7, help="switches timed after the first (median)")
    parser.add_argument("--work", help="folder for the files and datasets (default: a new temporary one)")
    parser.add_argument("--no-browser", action="store_true", help="files, imports and funding commands only")
    parser.add_argument("--profile", action="store_true", help="also cProfile the first switch's computations")
    parser.add_argument("--small", action="store_true", help="a twentieth of the size, to try the script out")
    args = parser.parse_args()
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="funding-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    table = Table()
    imported: dict[str, Path] = {}
    for shape in SHAPES:
        files = make_files(work / f"cordis-{shape}", shape, args.seed, SIZES[args.small][0], table)
        imported[shape] = work / f"dataset-{shape}"
        import_cordis(files, imported[shape], shape, table)
        country_json = funding(imported[shape], shape, table)
        if shape == "skewed":
            check_countries(country_json, files[1], table)
    programme = work / "dataset-programme"
    command = [*CLI, "synthetic", str(programme), *SIZES[args.small][1], "--shape", "programme"]
    seconds, _, peak, _ = measured(command)
    table.add("programme: clusternet synthetic", f"{seconds:.1f} s (peak {peak:.0f} MB)", shell(command))
    funding(programme, "programme", table)
    if not args.no_browser:
        trivial = trivial_app()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                warm = open_page(browser, trivial.url)  # the browser's first Streamlit page compiles its scripts
                trivial_reruns(warm, "Poland")
                warm.context.close()
                for name, data in (("skewed", imported["skewed"]), ("programme", programme)):
                    print(f"{name}: the pages in Chromium", flush=True)
                    pages(browser, trivial, data, name, args.rounds, table)
                browser.close()
        finally:
            trivial.stop()
    if args.profile:
        profile(imported["skewed"])
    table.print()
    print(f"\nfiles and datasets in {work}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
