"""Benchmark of issue 12 in a real browser: ClusterNet on programme-scale data beside a trivial one-widget Streamlit
app in the same run. Run on demand:

    .venv/bin/python benchmarks/programme_scale.py --data /tmp/h2020 [--data /tmp/syn10k] [--curated]

For each dataset (`clusternet run --data PATH`): the first Overview after the server is up (until its metrics show),
a country change in the sidebar until the KPIs change (median), the Network page's first drawn chart, the Map page's
first drawn map, the Compare page's first drawn networks (its default periods), and the server's memory after that
walk; then 8 browser sessions changing countries on the same
server at the same time, against the same 8 run one after another. Ratios are to the trivial app's cold load and
rerun, measured in the same run. Make a dataset with `clusternet synthetic OUT --orgs 40000 --actions 35000
--agreements 600 --shape programme`.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pandas as pd
from playwright.async_api import Page as AsyncPage
from playwright.async_api import async_playwright
from playwright.sync_api import Browser, Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.ui_speed import Trivial, cold_load, country_change, measure
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, IDLE
from tests.servers import App

COUNTRIES = ["Poland", "Italy", "Germany", "Portugal"]
SESSIONS = 8
METRIC = "[data-testid=stMetricValue]"
NETWORK_DRAWN = "[data-testid=stPlotlyChart] .scatterlayer .point"
MAP_DRAWN = "[data-testid=stDeckGlJsonChart] canvas"
# The busiest organisation's pages: each URL up to its id, and what shows when the page is drawn.
HUB_PAGES = {
    "hub_organisation_page": ("organisation?id=", "[data-testid=stMetricValue]"),
    "hub_network_details": ("network?node=", "text=direct partners"),
    "hub_partners_page": ("partners?org=", "[data-testid=stPlotlyChart] .scatterlayer .point"),
}


def rss_mb(pid: int) -> tuple[float, float]:
    """Resident memory now and at its peak (MB) of a process and its children (the image engine's)."""
    now = peak = 0.0
    for proc in [pid, *children(pid)]:
        try:
            status = Path(f"/proc/{proc}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        now += int(fields.get("VmRSS", "0 kB").split()[0]) / 1024
        peak += int(fields.get("VmHWM", "0 kB").split()[0]) / 1024
    return now, peak


def children(pid: int) -> list[int]:
    found = []
    for path in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = path.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            child = int(path.parent.name)
            found += [child, *children(child)]
    return found


def timed_page(browser: Browser, url: str, drawn: str, whole: bool = False) -> float:
    """Seconds from opening a page in a fresh session to `drawn` being on it (`whole`: and its run finished)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(drawn, timeout=300_000)
    if whole:
        page.wait_for_selector(IDLE, timeout=300_000)
    elapsed = time.perf_counter() - start
    context.close()
    return elapsed


def changes(page: Page, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        out += [country_change(page, country) for country in COUNTRIES]
    return out


def busiest(folder: Path) -> tuple[str, int] | None:
    """The organisation in the most agreements and actions of a dataset folder, and how many (read with pandas)."""
    tables = [
        folder / name for name in ("agreement_parties.csv", "action_participants.csv") if (folder / name).exists()
    ]
    if not tables:
        return None
    counts = pd.concat([pd.read_csv(t, usecols=["org_id"], dtype=str) for t in tables])["org_id"].value_counts()
    return str(counts.index[0]), int(counts.iloc[0])


def walk(browser: Browser, app: App, floor_load: float, floor_change: float, hub: str | None) -> dict[str, float]:
    """The analyst's first minutes on a fresh server: Overview, country changes, Network, Map, Compare, the busiest
    organisation's pages; then memory."""
    figures: dict[str, float] = {}
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    figures["first_overview"] = cold_load(page, app.url)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    figures["country_change"] = statistics.median(changes(page, 2))
    context.close()
    figures["network_first_draw"] = timed_page(browser, f"{app.url}/network", NETWORK_DRAWN)
    figures["map_first_draw"] = timed_page(browser, f"{app.url}/map", MAP_DRAWN)
    figures["compare_first_draw"] = timed_page(browser, f"{app.url}/compare", NETWORK_DRAWN)  # default halves
    if hub is not None:  # the pages of the organisation with the most agreements and actions
        for name, (path, drawn) in HUB_PAGES.items():
            figures[name] = timed_page(browser, f"{app.url}/{path}{quote(hub)}", drawn, whole=True)
    figures["rss_mb"], figures["peak_rss_mb"] = rss_mb(app.process.pid)
    f = figures
    lines = [
        f"first Overview {f['first_overview']:.2f} s ({f['first_overview'] / floor_load:.1f}x cold load)",
        f"country change -> KPIs, median {f['country_change'] * 1000:.0f} ms ({f['country_change'] / floor_change:.2f}x"
        " rerun)",
        f"Network first drawn {f['network_first_draw']:.2f} s ({f['network_first_draw'] / floor_load:.1f}x cold load)",
        f"Map first drawn {f['map_first_draw']:.2f} s ({f['map_first_draw'] / floor_load:.1f}x cold load)",
        f"Compare first drawn {f['compare_first_draw']:.2f} s ({f['compare_first_draw'] / floor_load:.1f}x cold load)",
        *(
            f"{name.replace('_', ' ')} {f[name]:.2f} s ({f[name] / floor_load:.1f}x cold load)"
            for name in HUB_PAGES
            if name in f
        ),
        f"server memory after the walk {f['rss_mb']:.0f} MB (peak {f['peak_rss_mb']:.0f} MB)",
    ]
    print("\n".join(f"  {line}" for line in lines), flush=True)
    return figures


async def _session(browser, url: str) -> None:
    """One analyst: open the Overview, then make each of COUNTRIES the selected one in turn, each reaching the KPIs."""
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    page: AsyncPage = await context.new_page()
    await page.goto(url)
    await page.wait_for_selector(IDLE, timeout=300_000)
    await page.wait_for_selector(METRIC, timeout=300_000)
    await page.wait_for_load_state("networkidle")
    for country in COUNTRIES:
        clear = page.get_by_role("button", name="Clear all")
        if await clear.count():
            await clear.first.click()
            await page.wait_for_timeout(300)
            await page.wait_for_selector(IDLE, timeout=300_000)
        before = await page.locator(METRIC).first.inner_text()
        box = page.get_by_label("Countries", exact=True)
        await box.click()
        await box.fill(country)
        await box.press("Enter")
        await page.wait_for_function(
            "before => document.querySelector('[data-testid=stMetricValue]').innerText !== before",
            arg=before,
            timeout=300_000,
            polling=20,
        )
        await page.keyboard.press("Escape")
        await page.wait_for_timeout(300)
        await page.wait_for_selector(IDLE, timeout=300_000)
    errors = await page.locator("[data-testid=stException], [data-testid=stAlertContentError]").count()
    await context.close()
    if errors:
        raise AssertionError(f"a session saw {errors} error(s) on the page")


async def _sessions(url: str, together: bool) -> float:
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        start = time.perf_counter()
        if together:
            await asyncio.gather(*(_session(browser, url) for _ in range(SESSIONS)))
        else:
            for _ in range(SESSIONS):
                await _session(browser, url)
        elapsed = time.perf_counter() - start
        await browser.close()
    return elapsed


def _run(url: str, together: bool) -> float:
    """asyncio.run on a thread of its own: sync Playwright keeps an event loop running on this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _sessions(url, together)).result()


def concurrency(app: App) -> tuple[float, float]:
    """Seconds for SESSIONS sessions one after another, and all at once (every filter state seen before: warm)."""
    _run(app.url, together=False)  # warm: the states the sessions visit are computed once
    apart = _run(app.url, together=False)
    together = _run(app.url, together=True)
    print(
        f"  {SESSIONS} sessions changing countries: one after another {apart:.1f} s, at once {together:.1f} s "
        f"({together / apart:.2f}x), no error",
        flush=True,
    )
    return apart, together


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", action="append", default=[], help="a dataset folder to serve (repeat for several)")
    parser.add_argument("--curated", action="store_true", help="also the curated dataset (the 8 sessions always are)")
    parser.add_argument("--no-sessions", action="store_true", help="leave out the 8 sessions (the walk only)")
    args = parser.parse_args()
    trivial = Trivial()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            measure(browser, trivial.url, ["Poland"], 1)  # warm-up
            floor_load, floor_change = measure(browser, trivial.url, ["Poland", "Italy", "Germany"])
            print(f"trivial app: cold load {floor_load * 1000:.0f} ms, rerun {floor_change * 1000:.0f} ms", flush=True)
            for name in [*args.data, *(["curated"] if args.curated else [])]:
                started = time.perf_counter()
                app = App.start(None if name == "curated" else Path(name), timeout=600)
                print(f"{name}: server up in {time.perf_counter() - started:.1f} s", flush=True)
                found = None if name == "curated" else busiest(Path(name))
                if found:
                    print(f"  busiest organisation: {found[0]} in {found[1]:,} agreements and actions", flush=True)
                try:
                    walk(browser, app, floor_load, floor_change, found[0] if found else None)
                    if not args.no_sessions:
                        concurrency(app)
                finally:
                    app.stop()
            browser.close()
        if not args.curated and not args.no_sessions:  # the 8 sessions are always measured on the curated data too
            print("curated data, 8 sessions:", flush=True)
            app = App.start(None)
            try:
                concurrency(app)
            finally:
                app.stop()
    finally:
        trivial.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
