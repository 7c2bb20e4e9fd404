"""Benchmark of issue 26's restart: a server's start to its first Overview, from the dataset's files and from the
cache of checked datasets (analysis.store), at three-programme size. Run on demand:

    .venv/bin/python benchmarks/restart.py [--data FOLDER] [--rounds 2]

Without --data it writes `clusternet synthetic OUT --orgs 100000 --actions 80000 --agreements 600 --shape programme`
to a temporary folder. First the load step in this process (files; files and keeping; cache), then real servers
(`clusternet run`, the cache in a temporary folder of its own): `--no-cache`, a first start that keeps the dataset,
and restarts from the cache, each timed from the command to the Overview's metrics in a fresh browser, beside the
load step the server's log states. The issue asks for a restart from the cache to the first Overview within 15 s.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from analysis.dataset import load_dataset
from analysis.store import CACHE_ENV, Store
from benchmarks.ui_speed import cold_load
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.servers import ARTIFACTS, App, free_port

GOAL = 15.0  # seconds from a restart to the first Overview (issue 26)
SIZE = ["--orgs", "100000", "--actions", "80000", "--agreements", "600", "--shape", "programme"]
LOADED = re.compile(r"Dataset (read from the cache|read and checked from the files) in ([\d.]+) s")


def synthetic(folder: Path) -> Path:
    subprocess.run([sys.executable, "-m", "analysis.cli", "synthetic", str(folder), *SIZE], check=True)
    return folder


def timed(what: str, load) -> float:
    start = time.perf_counter()
    result = load()
    elapsed = time.perf_counter() - start
    assert result.dataset is not None, f"{what}: the dataset does not load"
    print(f"  {what}: {elapsed:.2f} s", flush=True)
    return elapsed


def in_process(data: Path, cache: Path) -> None:
    """The load step alone: files, files then kept, the cache."""
    kept = Store(cache, say=print)
    print("Load step in process", flush=True)
    timed("from the files (read and checked)", lambda: load_dataset(data))
    timed("from the files, then kept in the cache", lambda: load_dataset(data, kept))
    timed("from the cache", lambda: load_dataset(data, kept))
    shutil.rmtree(cache)  # the servers start on an empty cache


def start(data: Path, cache: Path, flags: list[str]) -> tuple[App, float]:
    """A `clusternet run` server of this run's cache; the seconds from the command to its health answer."""
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / f"restart-{port}.log"
    args = [sys.executable, "-m", "analysis.cli", "run", "--data", str(data), "--port", str(port)]
    started = time.perf_counter()
    process = subprocess.Popen(
        [*args, "--address", "127.0.0.1", *flags],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        env={**os.environ, CACHE_ENV: str(cache)},
    )
    app = App(f"http://127.0.0.1:{port}", log, data, process.pid, process)
    app.wait_healthy(timeout=600)
    return app, time.perf_counter() - started


def restart(browser: Browser, data: Path, cache: Path, what: str, flags: list[str]) -> float:
    """One server from its command to the first Overview's metrics; prints the figures, returns the total."""
    app, up = start(data, cache, flags)
    try:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        overview = cold_load(context.new_page(), app.url)
        context.close()
    finally:
        app.stop()
    log = app.log.read_text()
    found = LOADED.search(log)
    step = f"{found.group(1)} in {found.group(2)} s" if found else "load step not found in the log"
    total = up + overview
    print(f"  {what}: {total:.1f} s to the first Overview (server up {up:.1f} s: {step}; Overview {overview:.1f} s)")
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, help="a dataset folder (default: a synthetic one of the issue's size)")
    parser.add_argument("--rounds", type=int, default=2, help="restarts from the cache")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="clusternet-restart-"))
    try:
        data = args.data or synthetic(work / "data")
        cache = work / "cache"
        in_process(data, cache)
        print("Server start to first Overview", flush=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            restart(browser, data, cache, "--no-cache (from the files)", ["--no-cache"])
            assert not cache.exists(), "--no-cache wrote in the cache"
            restart(browser, data, cache, "first start (from the files, then kept)", [])
            worst = max(restart(browser, data, cache, "restart from the cache", []) for _ in range(args.rounds))
            browser.close()
        verdict = "within" if worst <= GOAL else "NOT within"
        print(
            f"Restart from the cache to the first Overview: at most {worst:.1f} s, {verdict} the goal of {GOAL:.0f} s"
        )
        return 0 if worst <= GOAL else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
