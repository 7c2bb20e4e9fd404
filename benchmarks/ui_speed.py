"""Benchmark in a real browser: cold page load and country change -> KPIs updated, for ClusterNet beside a
trivial one-widget Streamlit app in the same run (the floor of the stack). Run on demand:
`.venv/bin/python benchmarks/ui_speed.py [--synthetic /tmp/syn10k]`.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, IDLE
from tests.servers import App, free_port

ROUNDS = 7


class Trivial:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        app = Path(__file__).with_name("trivial_app.py")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(app),
                "--server.headless=true",
                f"--server.port={self.port}",
                "--server.address=127.0.0.1",
                "--browser.gatherUsageStats=false",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(4)

    def stop(self) -> None:
        self.process.terminate()


def first_metric(page: Page) -> str:
    return page.locator("[data-testid=stMetricValue]").first.inner_text()


def cold_load(page: Page, url: str) -> float:
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=120_000)
    page.wait_for_selector("[data-testid=stMetricValue]", timeout=120_000)
    return time.perf_counter() - start


def country_change(page: Page, country: str) -> float:
    """Make `country` the only one selected in the `Countries` multiselect; seconds from the choice to the first
    metric showing a new value. Clearing the previous choice is a rerun of its own, not timed."""
    clear = page.get_by_role("button", name="Clear all")
    if clear.count():
        clear.first.click()
        page.wait_for_timeout(300)
        page.wait_for_selector(IDLE, timeout=120_000)
        page.wait_for_timeout(300)
    before = first_metric(page)
    box = page.get_by_label("Countries", exact=True)
    box.click()
    box.fill(country)
    start = time.perf_counter()
    box.press("Enter")
    page.wait_for_function(
        "before => document.querySelector('[data-testid=stMetricValue]').innerText !== before",
        arg=before,
        timeout=120_000,
        polling=5,
    )
    elapsed = time.perf_counter() - start
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=120_000)
    return elapsed


def measure(browser, url: str, countries: list[str], rounds: int = ROUNDS) -> tuple[float, float]:
    """Median cold load and median country change over `rounds` fresh sessions, each adding every country in turn
    (so each session measures as many changes as there are countries)."""
    loads, changes = [], []
    for _ in range(rounds):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        loads.append(cold_load(page, url))
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)  # let the page settle: the analyst looks before clicking
        for country in countries:
            changes.append(country_change(page, country))
        context.close()
    return statistics.median(loads), statistics.median(changes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--synthetic", help="also measure on this (synthetic) dataset folder")
    args = parser.parse_args()
    trivial = Trivial()
    apps = {"curated": App.start(None)}
    if args.synthetic:
        apps["synthetic"] = App.start(Path(args.synthetic))
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            measure(browser, trivial.url, ["Poland"], 1)  # warm-up: first run compiles and caches
            floor_load, floor_change = measure(browser, trivial.url, ["Poland", "Italy", "Germany"])
            print(
                f"trivial app: cold load {floor_load * 1000:.0f} ms, "
                f"widget change -> metric {floor_change * 1000:.0f} ms"
            )
            for name, app in apps.items():
                # Warm the caches the way earlier visitors would: every filter state measured below has been seen.
                measure(browser, app.url, ["Poland", "Italy", "Germany"], 1)
                load, change = measure(browser, app.url, ["Poland", "Italy", "Germany"])
                print(
                    f"{name}: cold load {load * 1000:.0f} ms ({load / floor_load:.2f}x), "
                    f"country change -> KPIs {change * 1000:.0f} ms ({change / floor_change:.2f}x)"
                )
            browser.close()
    finally:
        trivial.stop()
        for app in apps.values():
            app.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
