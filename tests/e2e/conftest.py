"""The real app (`clusternet run`) in a real headless Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = os.environ.get("CLUSTERNET_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
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

    def __init__(self, data: Path | None, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = [sys.executable, "-m", "analysis.cli", "run", "--port", str(self.port), "--address", "127.0.0.1"]
        if data is not None:
            args += ["--data", str(data)]
        self.log = ARTIFACTS / f"server-{self.port}.log"
        ARTIFACTS.mkdir(exist_ok=True)
        self.process = subprocess.Popen(
            args, stdout=self.log.open("w"), stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
        )
        self._wait_healthy()

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
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs Debian's chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def curated_app() -> Iterator[App]:
    app = App(None)
    yield app
    app.stop()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def open_app(page: Page, url: str) -> Page:
    """Open a URL of the app and wait until its script run has finished."""
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=60_000)
    # Streamlit loads element code lazily: skeletons stand in until their scripts have arrived.
    page.wait_for_load_state("networkidle")
    return page


def rerun_done(page: Page) -> None:
    """After an interaction: give the rerun a moment to start, then wait until it has finished."""
    page.wait_for_timeout(400)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_load_state("networkidle")


def metrics(page: Page) -> dict[str, str]:
    """The st.metric tiles on the page, label -> value as shown."""
    page.wait_for_selector("[data-testid=stMetricValue]", timeout=30_000)
    labels = page.locator("[data-testid=stMetricLabel]").all_inner_texts()
    values = page.locator("[data-testid=stMetricValue]").all_inner_texts()
    return dict(zip([label.strip() for label in labels], [v.strip() for v in values], strict=True))
