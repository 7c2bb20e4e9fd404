"""The installed wheel, run from another folder, serves the Overview of its own curated data in a real browser."""

from __future__ import annotations

from analysis import load_curated
from analysis.filters import Filters
from analysis.insights import Insights
from tests.e2e.conftest import App, expect_metrics, open_app
from tests.test_package import build_wheel, install_target


def test_installed_wheel_serves_the_curated_overview(tmp_path, page):
    site = install_target(build_wheel(tmp_path / "wheel"), tmp_path / "site")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    app = App.start(None, env={"PYTHONPATH": str(site)}, cwd=elsewhere)  # the installed copy, not the checkout
    try:
        open_app(page, app.url)
        assert page.locator("[data-testid=stException]").count() == 0
        expect_metrics(
            page, {label: f"{value:,}" for label, value in Insights(load_curated(), Filters()).kpis().items()}
        )
        served = app.log.read_text()
        assert f"with {(site / 'clusternet_data').resolve()}" in served  # its own data, not the checkout's
        assert "datapackage.json" not in served and "Traceback" not in served
    finally:
        app.stop()
