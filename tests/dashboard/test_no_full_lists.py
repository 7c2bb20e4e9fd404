"""No widget on any page lists every organisation: at programme scale (40,000 organisations) such a list would be
sent to the browser on every run. An organisation is found with the sidebar's Search instead."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis import synthetic
from analysis.dataset import DATA_ENV

ORGANISATIONS = 2000  # more than all NUTS-2 regions and countries together (about 300)
PAGES = ["overview", "map", "network", "partners", "money", "timeline", "compare", "sources", "data"]
CHOICE_WIDGETS = ("selectbox", "multiselect", "radio", "select_slider", "button_group")


@pytest.fixture(scope="module")
def unseen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic dataset of its own (seed 2424), with far more organisations than countries or regions."""
    return synthetic.write(tmp_path_factory.mktemp("lists"), synthetic.generate(ORGANISATIONS, 30, 1200, seed=2424))


def _busiest(data: Path) -> dict[str, dict[str, str]]:
    """The URL of the pages about one thing: the most connected organisation, the region with most organisations."""
    from analysis import load_dataset
    from analysis.filters import Filters
    from analysis.insights import Insights
    from analysis.metrics import degree

    dataset = load_dataset(data).dataset
    assert dataset is not None
    net = Insights(dataset, Filters()).network("org")
    top = net.nodes.assign(partners=degree(net)).sort_values(["partners", "node"], ascending=[False, True])
    region = dataset.organisations["nuts2"].value_counts().index[0]
    return {"organisation": {"id": str(top["node"].iloc[0])}, "region": {"nuts2": str(region)}}


def _page(name: str) -> None:
    import importlib

    from analysis.filters import Filters
    from dashboard import language, state
    from dashboard.sidebar import sidebar

    language.speak()
    state.use_filters(Filters())
    sidebar(state.dataset())
    importlib.import_module(f"dashboard.views.{name}").render()


def _longest_list(page: AppTest) -> tuple[int, str]:
    """The most options any choice widget of the page offers, and its label."""
    found = [(0, "")]
    for kind in CHOICE_WIDGETS:
        for widget in page.get(kind):
            options = getattr(widget, "options", None) or []
            found.append((len(options), f"{kind} {getattr(widget, 'label', '')!r}"))
    return max(found)


@pytest.mark.parametrize("name", [*PAGES, "organisation", "region"])
def test_no_widget_lists_every_organisation(name, unseen, monkeypatch):
    monkeypatch.setenv(DATA_ENV, str(unseen))
    page = AppTest.from_function(_page, args=(name,), default_timeout=120)
    for key, value in _busiest(unseen).get(name, {}).items():
        page.query_params[key] = value
    page.run()
    assert not page.exception, page.exception
    assert not page.error and not page.warning, [e.value for e in [*page.error, *page.warning]]  # the page was drawn
    count, widget = _longest_list(page)
    assert count < ORGANISATIONS / 2, f"/{name}: {widget} offers {count} options (the dataset has {ORGANISATIONS})"
