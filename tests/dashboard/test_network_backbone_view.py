"""The Network page on a dense dataset draws the backbone and its caption says what is left out; on the curated
dataset every link among the drawn nodes is drawn, with no such caption."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis import i18n, load_dataset, synthetic
from analysis.backbone import backbone
from analysis.dataset import DATA_ENV
from analysis.filters import Filters
from analysis.insights import Insights
from analysis.metrics import degree
from charts.network import READABLE

SEGMENT = re.compile(r"M-?[\d.]+,-?[\d.]+L-?[\d.]+,-?[\d.]+")


@pytest.fixture(scope="module")
def dense(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A programme-shaped synthetic dataset of its own (seed 2614)."""
    tables = synthetic.generate(1500, 40, 600, seed=2614, shape="programme")
    return synthetic.write(tmp_path_factory.mktemp("dense-view"), tables)


def _page() -> None:
    from analysis.filters import Filters
    from dashboard import language, state
    from dashboard.views import network

    language.speak()
    state.use_filters(Filters())
    network.render()


def _drawn_segments(page: AppTest) -> tuple[int, list[dict]]:
    """The link segments the page's chart draws, and its annotations."""
    (chart,) = page.get("plotly_chart")
    spec = json.loads(chart.proto.spec)
    shapes = spec["layout"].get("shapes", [])
    return sum(len(SEGMENT.findall(s["path"])) for s in shapes), spec["layout"].get("annotations", [])


def _expected(data: Path, limit: int = 200) -> tuple[int, int, int, int]:
    """An independent reading: the organisations in view, the `limit` of highest degree (then weighted degree, then
    name), the links among them and their backbone's size."""
    dataset = load_dataset(data).dataset
    assert dataset is not None
    net = Insights(dataset, Filters()).network("org")
    links = net.links
    weighted = links.groupby("a")["weight"].sum().add(links.groupby("b")["weight"].sum(), fill_value=0)
    nodes = net.nodes.assign(
        degree=degree(net), weighted=net.nodes["node"].map(weighted).fillna(0).to_numpy()
    ).sort_values(["degree", "weighted", "label"], ascending=[False, False, True])
    top = list(nodes["node"].head(limit))
    among = links[links["a"].isin(top) & links["b"].isin(top)].reset_index(drop=True)
    return len(net.nodes), len(top), len(among), int(backbone(among, top).kept.sum())


def test_a_dense_network_page_draws_the_backbone_and_says_what_it_left_out(dense, monkeypatch):
    monkeypatch.setenv(DATA_ENV, str(dense))
    nodes, drawn, among, kept = _expected(dense)
    assert among > READABLE * drawn and kept < among / 10
    page = AppTest.from_function(_page, default_timeout=120).run()
    assert not page.exception, page.exception
    count, annotations = _drawn_segments(page)
    assert count == kept
    assert not annotations  # the note is the caption under the chart here, not in the chart
    captions = [c.value for c in page.caption]
    said = (
        f"Drawn: the {drawn} most connected of {i18n.integer(nodes)} organisations and the {i18n.integer(kept)} "
        f"strongest of the {i18n.integer(among)} links among them (the disparity filter at 0.05, and each "
        "organisation's strongest link); every link is in the organisations' details and in the download of every "
        "link. Click a node for its details."
    )
    assert said in captions, captions
    assert any(b.key == "net_links_csv" for b in page.get("download_button"))


def test_the_curated_network_is_drawn_in_full_with_no_caption_about_left_out_links():
    page = AppTest.from_function(_page, default_timeout=120).run()
    assert not page.exception, page.exception
    from dashboard import state

    part = state.server_data().charts(Filters()).drawn("org", 200)[0]
    count, annotations = _drawn_segments(page)
    assert count == len(part.links) > 0 and not annotations
    captions = [c.value for c in page.caption]
    assert not any(c.startswith("Drawn:") for c in captions)
    assert any(
        c.startswith(f"Showing all {i18n.integer(part.total_nodes)} nodes and {i18n.integer(len(part.links))} of ")
        for c in captions
    ), captions
