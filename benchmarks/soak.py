"""Soak benchmark: one server, many filter states, image exports with the engine killed under them, heavy uploads
beside another analyst's page, and uploads in tabs that are then closed; the server's memory and latency sampled.
Run on demand: `.venv/bin/python benchmarks/soak.py [--states 150] [--upload-rows 200000]`.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from analysis import load_curated, synthetic
from benchmarks.ui_speed import cold_load as load  # open a URL, wait for its first tile; seconds
from charts.engine_worker import descendants
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, IDLE
from tests.e2e.test_downloads import buttons, check_png, fetch
from tests.servers import App

SESSION_TTL_S = 5  # how soon the server drops a closed tab's session (Streamlit's default is 120 s)


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    return kb / 1024


def engine_mb(pid: int) -> float:
    total = 0.0
    for child in descendants(pid):
        with contextlib.suppress(OSError, StopIteration):  # a process may end while it is read
            total += rss_mb(child)
    return total


def filter_states(count: int) -> list[str]:
    """`count` distinct query strings: one or two countries of the curated data, with periods and 'only'."""
    data = load_curated()
    countries = sorted(data.organisations["country"].dropna().unique())
    periods = ["", "&from=2014", "&to=2016", "&from=2015&to=2020", "&from=2019"]
    states = []
    for first, second in itertools.chain(((c, None) for c in countries), itertools.combinations(countries, 2)):
        for period in periods:
            for only in ("", "&only=1"):
                codes = first if second is None else f"{first},{second}"
                states.append(f"?country={codes}{period}{only}")
    return states[:count]


def soak_states(browser: Browser, app: App, count: int) -> dict[str, float]:
    page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    out: dict[str, float] = {"start_mb": rss_mb(app.process.pid)}
    times = []
    for i, query in enumerate(filter_states(count), start=1):
        times.append(load(page, f"{app.url}/{query}"))
        if i in (50, count):
            out[f"after_{i}_mb"] = rss_mb(app.process.pid)
    page.context.close()
    out["load_median_s"] = statistics.median(times)
    out["load_p90_s"] = statistics.quantiles(times, n=10)[-1]
    return out


def soak_exports(browser: Browser, app: App) -> dict[str, float]:
    page = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True).new_page()
    page.goto(f"{app.url}/timeline")
    page.wait_for_selector(IDLE, timeout=120_000)
    out = {}
    start = time.perf_counter()
    check_png(fetch(page, buttons(page, "timeline")["PNG image"])[1])
    out["first_png_s"] = time.perf_counter() - start
    for pid in descendants(app.process.pid):
        os.kill(pid, signal.SIGKILL)
    start = time.perf_counter()
    check_png(fetch(page, buttons(page, "yearly")["PNG image"])[1])
    out["png_after_engine_killed_s"] = time.perf_counter() - start
    start = time.perf_counter()
    fetch(page, buttons(page, "yearly")["SVG image"])
    out["next_svg_s"] = time.perf_counter() - start
    out["engine_rss_sum_mb"] = engine_mb(app.process.pid)  # Chromium's processes share pages: an upper bound
    page.context.close()
    return out


def upload(page: Page, files: list[Path]) -> None:
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files([str(f) for f in files])


def upload_done(page: Page) -> bool:
    """The Data page's verdict on the upload is shown (and the run that shows it has finished)."""
    verdict = page.locator("[data-testid=stAlert]").filter(has_text="passed validation and is now")
    refusal = page.locator("[data-testid=stAlert]").filter(has_text="so nothing was changed")
    return (verdict.count() + refusal.count()) > 0 and page.locator(IDLE).count() > 0


def soak_uploads(browser: Browser, app: App, files: list[Path]) -> dict[str, float]:
    other = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    alone = [load(other, app.url) for _ in range(5)]
    mine = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    mine.goto(f"{app.url}/data")
    mine.wait_for_selector(IDLE, timeout=120_000)
    before = rss_mb(app.process.pid)
    start = time.perf_counter()
    upload(mine, files)
    beside, when = [], []
    while not upload_done(mine) and time.perf_counter() - start < 600:
        when.append(time.perf_counter() - start)
        beside.append(load(other, app.url))
    took = time.perf_counter() - start
    slow = [f"{t:.0f}s:{d:.1f}" for t, d in zip(when, beside, strict=True) if d > 2 * statistics.median(alone)]
    print(f"  reloads over twice the median alone (started at: took): {' '.join(slow) or 'none'}", flush=True)
    out = {
        "reload_alone_median_s": statistics.median(alone),
        "reload_beside_upload_median_s": statistics.median(beside) if beside else float("nan"),
        "reload_beside_upload_max_s": max(beside) if beside else float("nan"),
        "reloads_during_upload": len(beside),
        "upload_checked_s": took,
        "server_before_upload_mb": before,
        "server_after_upload_mb": rss_mb(app.process.pid),
    }
    out["ratio_median"] = out["reload_beside_upload_median_s"] / out["reload_alone_median_s"]
    out["ratio_max"] = out["reload_beside_upload_max_s"] / out["reload_alone_median_s"]
    mine.context.close()
    other.context.close()
    return out


def soak_closed_tabs(browser: Browser, app: App, files: list[Path], tabs: int) -> dict[str, float]:
    out = {"before_mb": rss_mb(app.process.pid)}
    for _ in range(tabs):
        page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
        page.goto(f"{app.url}/data")
        page.wait_for_selector(IDLE, timeout=120_000)
        upload(page, files)
        deadline = time.perf_counter() + 600
        while not upload_done(page) and time.perf_counter() < deadline:
            page.wait_for_timeout(500)
        page.context.close()
    out["tabs_closed_mb"] = rss_mb(app.process.pid)
    time.sleep(SESSION_TTL_S + 25)  # the sessions expire, then Streamlit cleans them up
    # A new session's page load runs the cleanup of expired sessions' files and state, if it has not yet run.
    page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    load(page, app.url)
    page.context.close()
    time.sleep(3)
    out["after_sessions_expired_mb"] = rss_mb(app.process.pid)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--states", type=int, default=150)
    parser.add_argument(
        "--upload-rows", type=int, default=260_000, help="organisations uploaded (260,000: a 20 MB organisations.csv)"
    )
    parser.add_argument("--tabs", type=int, default=4, help="uploads in tabs closed afterwards")
    parser.add_argument(
        "--phases", nargs="+", default=["states", "exports", "upload", "tabs"], help="which parts to run, in order"
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="soak-"))
    tables = synthetic.generate(args.upload_rows, 200, 500)
    synthetic.write(folder, tables)
    files = sorted(folder.glob("*.csv"))
    size = (folder / "organisations.csv").stat().st_size / 1024 / 1024
    print(f"upload: {len(files)} CSV files, organisations.csv {size:.1f} MB ({args.upload_rows:,} rows)")
    app = App.start(None, env={"STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(SESSION_TTL_S)})
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            phases = {
                "states": ("filter states", lambda: soak_states(browser, app, args.states)),
                "exports": ("exports", lambda: soak_exports(browser, app)),
                "upload": ("upload beside another session", lambda: soak_uploads(browser, app, files)),
                "tabs": ("uploads in closed tabs", lambda: soak_closed_tabs(browser, app, files, args.tabs)),
            }
            for phase in args.phases:
                name, run = phases[phase]
                result = run()
                print(f"{name}: " + ", ".join(f"{k} {v:.2f}" for k, v in result.items()), flush=True)
            browser.close()
        stopping = time.perf_counter()
        app.process.send_signal(signal.SIGTERM)
        app.process.wait(60)
        print(f"SIGTERM to exit: {time.perf_counter() - stopping:.2f} s")
    finally:
        if app.process.poll() is None:
            app.process.kill()


if __name__ == "__main__":
    main()
