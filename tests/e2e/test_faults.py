"""A server that survives its faults: an image engine killed under it, hostile links, and a stop at any moment."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time

import pytest
from playwright.sync_api import Page

from analysis import load_curated
from analysis.filters import Filters
from analysis.insights import Insights
from charts.engine_worker import descendants
from tests.e2e.conftest import App, expect_metrics, open_app
from tests.e2e.test_downloads import buttons, check_png, fetch
from tests.servers import gone_within


def test_an_export_after_the_engine_was_killed_succeeds_and_the_server_stops_clean(page: Page):
    app = App.start(None)
    try:
        open_app(page, f"{app.url}/timeline")
        _, first = fetch(page, buttons(page, "timeline")["PNG image"])
        check_png(first)
        engine = descendants(app.process.pid)  # the worker and its Chromium: all the server has started
        assert len(engine) >= 2
        for pid in engine:
            # Killing the worker can take a Chromium helper down before its turn: gone is what is wanted.
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        # Another chart: a file of its own, so the engine must draw it (a kept image would prove nothing).
        name, again = fetch(page, buttons(page, "yearly")["PNG image"])
        assert name == "yearly_all.png"
        check_png(again)
        assert page.locator("[data-testid=stDownloadButtonError]").count() == 0
        started = descendants(app.process.pid)
        assert started and not set(started) & set(engine)  # a new worker and Chromium
        stopping = time.monotonic()
        app.process.send_signal(signal.SIGTERM)
        app.process.wait(20)
        assert time.monotonic() - stopping < 20
        assert gone_within(started, 1) == []  # no browser outlives the server
    finally:
        if app.process.poll() is None:
            app.process.kill()


def test_a_stop_while_an_export_is_drawing_is_still_quick(page: Page):
    """SIGTERM while the engine is busy: the export in flight fails, the server still stops within seconds."""
    app = App.start(None)
    try:
        open_app(page, f"{app.url}/map")
        buttons(page, "map")["PNG image"].click()  # the map: the largest figure, seconds to draw
        deadline = time.monotonic() + 30
        while len(descendants(app.process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)  # a process starting is seen only in /proc: look again
        engine = descendants(app.process.pid)
        assert engine
        stopping = time.monotonic()
        app.process.send_signal(signal.SIGTERM)
        try:
            app.process.wait(20)
        except subprocess.TimeoutExpired:
            pytest.fail("the server did not stop within 20 s of SIGTERM during an export")
        assert time.monotonic() - stopping < 20
        assert gone_within(engine, 1) == []
    finally:
        if app.process.poll() is None:
            app.process.kill()


@pytest.mark.parametrize("path", ["", "network", "timeline"])
def test_a_reversed_period_in_a_link_shows_the_page_with_a_note(curated_app, page, path):
    open_app(page, f"{curated_app.url}/{path}?from=2020&to=2015")
    assert page.locator("[data-testid=stException]").count() == 0
    text = page.inner_text("body")
    assert "ignored: period 2020 to 2015 (it ends before it starts)" in text
    assert "Filters in force: All countries, all years" in text
    if path == "":
        expected = Insights(load_curated(), Filters()).kpis()
        expect_metrics(page, {label: f"{value:,}" for label, value in expected.items()})


def test_repeated_and_impossible_link_values_are_read_or_named(curated_app, page):
    open_app(page, f"{curated_app.url}/?country=IT&country=PL&to=2019-02-30&org_kind=castle")
    assert page.locator("[data-testid=stException]").count() == 0
    text = page.inner_text("body")
    assert "Filters in force: Italy and Poland and partners, all years" in text  # both countries kept
    assert "period end 2019-02-30" in text and "org kind castle" in text
