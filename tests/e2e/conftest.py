"""The real app (`clusternet run`) in a real headless Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from charts.engine import CHROMIUM_ENV, chromium

CHROMIUM = chromium() or os.environ.get(CHROMIUM_ENV, "/usr/bin/chromium")  # the image engine's, one setting
# No internet here: stop Chromium from calling its vendor's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
IDLE = "[data-testid=stApp][data-test-script-state=notRunning][data-test-connection-state=CONNECTED]"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class App:
    """A running `clusternet run` server."""

    def __init__(
        self, data: Path | None, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 60
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = [sys.executable, "-m", "analysis.cli", "run", "--port", str(self.port), "--address", "127.0.0.1"]
        if data is not None:
            args += ["--data", str(data)]
        self.log = ARTIFACTS / f"server-{self.port}.log"
        ARTIFACTS.mkdir(exist_ok=True)
        self.process = subprocess.Popen(
            args, stdout=self.log.open("w"), stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}, cwd=cwd
        )
        self._wait_healthy(timeout)

    def _wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"clusternet run exited: {self.log.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"clusternet run did not answer in {timeout}s: {self.log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make test` (it installs Debian's chromium) or set {CHROMIUM_ENV}"
        )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def curated_app() -> Iterator[App]:
    app = App(None)
    yield app
    app.stop()


@pytest.fixture(scope="module")
def navigation_known(curated_app: App, browser: Browser) -> None:
    """Open the curated app's root once before a module's deep links: a deep link to a fresh server that has never
    served its root must work too, and test_timeline checks that on its own server."""
    context = browser.new_context()
    open_app(context.new_page(), curated_app.url)
    context.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    yield page
    context.close()


# The browser draws a run's elements after the server reports the run finished; on a busy machine that lags by a
# second or more (seen with the code before and after the refactor alike). Wait until Streamlit's elements (those
# with a data-testid; not the insides of a chart, which draws on) stop coming.
SETTLED_JS = """([quiet]) => {
    const now = document.querySelectorAll("[data-testid]").length;
    const seen = window.__clusternetSettle || (window.__clusternetSettle = {value: null, since: 0});
    if (seen.value !== now) { seen.value = now; seen.since = performance.now(); return false; }
    return performance.now() - seen.since >= quiet;
}"""


def settled(page: Page, quiet_ms: int = 300) -> None:
    """Wait until no Streamlit element has come or gone for `quiet_ms`."""
    page.evaluate("window.__clusternetSettle = null")
    page.wait_for_function(SETTLED_JS, arg=[quiet_ms], polling=100, timeout=60_000)


def open_app(page: Page, url: str) -> Page:
    """Open a URL of the app and wait until its script run has finished and the page is drawn."""
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=60_000)
    # Streamlit loads element code lazily: skeletons stand in until their scripts have arrived.
    page.wait_for_load_state("networkidle")
    settled(page)
    return page


def rerun_done(page: Page) -> None:
    """After an interaction: give the rerun a moment to start, then wait until it has finished and is drawn."""
    page.wait_for_timeout(400)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_load_state("networkidle")
    settled(page)


def metrics(page: Page, steady_reads: int = 3) -> dict[str, str]:
    """The st.metric tiles on the page, label -> value as shown, once the same tiles were read `steady_reads` times
    in a row half a second apart (a busy browser draws the tiles one by one, seconds after the run)."""
    page.wait_for_selector("[data-testid=stMetricValue]", timeout=30_000)
    deadline = time.monotonic() + 30
    reads: list[dict[str, str]] = []
    while time.monotonic() < deadline:
        labels = [t.strip() for t in page.locator("[data-testid=stMetricLabel]").all_inner_texts()]
        values = [t.strip() for t in page.locator("[data-testid=stMetricValue]").all_inner_texts()]
        if len(labels) == len(values):
            reads.append(dict(zip(labels, values, strict=True)))
            if len(reads) >= steady_reads and all(r == reads[-1] for r in reads[-steady_reads:]):
                return reads[-1]
        page.wait_for_timeout(500)
    raise AssertionError(f"the metric tiles did not settle in 30 s: {reads[-3:]}")
