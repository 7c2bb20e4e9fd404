"""The first page, in a real browser: the dataset's sizes and no exception."""

from __future__ import annotations

from analysis import load_curated, load_dataset
from tests import factory
from tests.e2e.conftest import ARTIFACTS, App, metrics, open_app


def test_curated_sizes_on_the_first_page(curated_app, page):
    open_app(page, curated_app.url)
    assert page.locator("[data-testid=stException]").count() == 0
    data = load_curated()
    assert metrics(page) == {
        "Organisations": str(len(data.organisations)),
        "Countries": str(data.organisations["country"].nunique()),
        "Agreements": str(len(data.agreements)),
        "Actions": str(len(data.actions)),
        "Sources": str(len(data.sources)),
    }
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)


def test_another_dataset_with_html_in_its_name_is_shown_as_text(tmp_path, page):
    folder = factory.write(tmp_path / "<img src=x onerror=alert(1)>")
    app = App(folder)
    try:
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        open_app(page, app.url)
        assert page.locator("[data-testid=stException]").count() == 0
        assert metrics(page)["Organisations"] == str(len(load_dataset(folder).dataset.organisations))
        assert "<img src=x onerror=alert(1)>" in page.inner_text("body")
        assert page.locator("img[src=x]").count() == 0
        assert dialogs == []
    finally:
        app.stop()
