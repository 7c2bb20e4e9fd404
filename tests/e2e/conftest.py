"""The real app (`clusternet run`) in a real headless Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, WebSocket, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from charts.engine import CHROMIUM_ENV, chromium
from tests import servers
from tests.servers import ARTIFACTS, App

__all__ = ["ARTIFACTS", "App"]  # the tests' own servers: App.start(data)

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
VIEWPORT = {"width": 1400, "height": 900}
IDLE = "[data-testid=stApp][data-test-script-state=notRunning][data-test-connection-state=CONNECTED]"
# Notes when the document last changed (settled).
CHANGES_JS = """(() => {
    window.__clusternetChanged = performance.now();
    new MutationObserver(() => { window.__clusternetChanged = performance.now(); })
        .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
})();"""
FINISHED = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)


def run_finished(payload: bytes | str) -> bool:
    """Whether a message of Streamlit's websocket says a script run finished (not one cut short by a rerun)."""
    if not isinstance(payload, bytes):
        return False
    message = ForwardMsg()
    message.ParseFromString(payload)
    return message.WhichOneof("type") == "script_finished" and message.script_finished in FINISHED


class Runs:
    """The script runs the server has reported finished to a page, read off its websocket: a wait after a click ends
    when the click's run has finished, however quick (a run can start and end between two paints of the page)."""

    def __init__(self, page: Page) -> None:
        self.finished = self.seen = 0
        self.socket: WebSocket | None = None
        page.add_init_script(CHANGES_JS)
        page.on("websocket", self._opened)

    def _opened(self, socket: WebSocket) -> None:
        if socket.url.endswith("/_stcore/stream"):
            self.socket = socket
            socket.on("framereceived", self._received)

    def _received(self, payload: bytes | str) -> None:
        self.finished += run_finished(payload)

    def wait(self) -> None:
        """Until a run has finished since the last one seen."""
        if self.finished <= self.seen:
            assert self.socket is not None, "the page has no Streamlit connection"
            self.socket.wait_for_event("framereceived", predicate=run_finished, timeout=60_000)


def runs(page: Page) -> Runs:
    if not hasattr(page, "_clusternet_runs"):
        page._clusternet_runs = Runs(page)  # type: ignore[attr-defined]
    return page._clusternet_runs  # type: ignore[attr-defined]


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


# One server per dataset for every read-only test, whatever the worker (tests/servers.py); a test that stops, breaks
# or reconfigures a server starts its own with App.start.
@pytest.fixture(scope="session")
def curated_app() -> App:
    return servers.shared("curated")


@pytest.fixture(scope="session")
def formula_app() -> App:
    """The factory's dataset with an organisation named by a spreadsheet formula."""
    return servers.shared("formula")


@pytest.fixture(scope="session")
def hostile_app() -> App:
    """The factory's dataset with names that are HTML and deck.gl accessors."""
    return servers.shared("hostile")


@pytest.fixture(scope="session")
def html_app() -> App:
    """The factory's dataset with HTML in names, titles and its folder's name."""
    return servers.shared("html")


@pytest.fixture(scope="session")
def synthetic_app() -> App:
    """A synthetic dataset the pages were not made for."""
    return servers.shared("synthetic")


@pytest.fixture(scope="session")
def cordis_he_app() -> App:
    """The real Horizon Europe sample imported by `clusternet import cordis`: amounts as CORDIS gives them. Its tests
    carry tests.cordis_files.needs_samples, which skips them, naming the missing files, where the samples are absent."""
    assert servers.available("cordis_he"), "a test of the cordis_he server lacks the needs_samples mark"
    return servers.shared("cordis_he")


@pytest.fixture(scope="session")
def navigation_known(curated_app: App, context: BrowserContext) -> None:
    """Open the curated app's root once before the deep links of a worker's tests: a deep link to a fresh server that
    has never served its root must work too, and test_timeline checks that on its own server."""
    page = context.new_page()
    open_app(page, curated_app.url)
    page.close()


@pytest.fixture(scope="session")
def context(browser: Browser) -> Iterator[BrowserContext]:
    """One browser profile for a worker's tests: its cache keeps Streamlit's scripts, compiled, from page to page
    (a profile per test loaded and compiled them anew: a third of the browser's time). A test that needs a profile
    of its own (another language, a second analyst) makes one."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True, reduced_motion="reduce")
    yield context
    context.close()


@pytest.fixture(scope="session")
def tab(context: BrowserContext) -> Iterator[Page]:
    """One browser tab for a worker's tests: a tab of its own per test started a renderer process per test."""
    tab = context.new_page()
    yield tab
    tab.close()


@pytest.fixture
def page(tab: Page) -> Iterator[Page]:
    """The worker's tab at the usual size: each test opens its URL (open_app), a new Streamlit session with no state
    of an earlier test's. A test that listens to the page's events (dialogs, requests) takes a `new_page`."""
    tab.set_viewport_size(VIEWPORT)
    yield tab
    tab.goto("about:blank")  # the test's Streamlit session ends with it


@pytest.fixture
def new_page(context: BrowserContext) -> Iterator[Page]:
    """A tab of the test's own, closed after it with whatever it listened for."""
    page = context.new_page()
    yield page
    page.close()


@pytest.fixture
def dialogs(new_page: Page) -> list[str]:
    """The messages of every dialog the test's own tab opens (each dismissed): a script from dataset text would."""
    opened: list[str] = []
    new_page.on("dialog", lambda d: (opened.append(d.message), d.dismiss()))
    return opened


# The browser draws a run's elements after the server reports the run finished, and charts draw on after that; on a
# busy machine that lags by a second or more. No event says "drawing is over": wait until the document has not
# changed for a quiet spell (CHANGES_JS notes the time of the last change).
SETTLED_JS = "([quiet]) => performance.now() - window.__clusternetChanged >= quiet"


def settled(page: Page, quiet_ms: int = 300) -> None:
    """Wait until nothing in the document has changed for `quiet_ms`."""
    page.wait_for_function(SETTLED_JS, arg=[quiet_ms], polling=50, timeout=60_000)


CHARTS_DRAWN_JS = """() => {
    const every = (id, inside) => [...document.querySelectorAll(`[data-testid=${id}]`)]
        .every((chart) => chart.querySelector(inside));
    return every("stPlotlyChart", ".main-svg") && every("stDeckGlJsonChart", "canvas");
}"""


def charts_drawn(page: Page) -> None:
    """Wait until every plotly chart has drawn its SVG and every map its canvas, and the document is quiet again."""
    page.wait_for_function(CHARTS_DRAWN_JS, polling=100, timeout=60_000)
    settled(page)


def open_app(page: Page, url: str) -> Page:
    """Open a URL of the app and wait until its script run has finished and the page is drawn."""
    runs(page)  # from the first document on
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=60_000)
    drawn(page)
    return page


def drawn(page: Page) -> None:
    # Streamlit loads element code lazily: skeletons stand in until their scripts have arrived.
    page.wait_for_load_state("networkidle")
    settled(page)
    runs(page).seen = runs(page).finished


def rerun_done(page: Page) -> None:
    """After an interaction: wait until the run it started has finished, and the page is drawn."""
    runs(page).wait()
    page.wait_for_selector(IDLE, timeout=60_000)
    drawn(page)


def read_metrics(page: Page) -> dict[str, str]:
    labels = [t.strip() for t in page.locator("[data-testid=stMetricLabel]").all_inner_texts()]
    values = [t.strip() for t in page.locator("[data-testid=stMetricValue]").all_inner_texts()]
    return dict(zip(labels, values, strict=False)) if len(labels) == len(values) else {}


def expect_metrics(page: Page, expected: dict[str, str], timeout_ms: int = 30_000) -> None:
    """The st.metric tiles on the page read `expected` (label -> value as shown): waits until they do, since a busy
    browser draws the tiles one by one after the run, and fails with the tiles last read."""
    page.wait_for_selector("[data-testid=stMetricValue]", timeout=timeout_ms)
    try:
        # Playwright has no event for "these texts"; its own expect polls too, here on every animation frame.
        page.wait_for_function(
            """(expected) => {
                const read = (id) => [...document.querySelectorAll(`[data-testid=${id}]`)]
                    .map((e) => e.innerText.trim());
                const labels = read("stMetricLabel"), values = read("stMetricValue");
                if (labels.length !== values.length) return false;
                const shown = Object.fromEntries(labels.map((l, i) => [l, values[i]]));
                return JSON.stringify(Object.entries(shown).sort()) === JSON.stringify(Object.entries(expected).sort());
            }""",
            arg=expected,
            polling=100,
            timeout=timeout_ms,
        )
    except PlaywrightTimeout:
        assert read_metrics(page) == expected


SERIOUS = ("serious", "critical")  # the axe-core impacts a page may not have (WCAG 2.1 AA, issue 16)


def violations(page: Page) -> list[str]:
    """The serious and critical axe-core violations of the page as drawn: rule, impact, and the first element."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in found if v["impact"] in SERIOUS]
