"""A dense network is drawn by its backbone, and the drawing and its files say what they leave out; a small one is
drawn in full, as before."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis import i18n, load_curated, load_dataset, synthetic
from analysis.backbone import backbone
from analysis.cache import FileCache
from analysis.filters import Filters
from analysis.insights import Insights
from charts import files
from charts.network import NOTE_NAME, READABLE, without_note
from charts.report import Charts

SEGMENT = re.compile(r"M-?[\d.]+,-?[\d.]+L-?[\d.]+,-?[\d.]+")


@pytest.fixture(scope="module")
def dense(tmp_path_factory: pytest.TempPathFactory) -> Charts:
    """A programme-shaped synthetic dataset of its own (seed 2613): its best-connected organisations nearly all tied."""
    folder = synthetic.write(
        tmp_path_factory.mktemp("dense"), synthetic.generate(1500, 40, 600, seed=2613, shape="programme")
    )
    dataset = load_dataset(Path(folder)).dataset
    assert dataset is not None
    return Charts(Insights(dataset, Filters()), FileCache(0))


def segments(fig) -> int:
    """The link segments drawn: every move-and-line of the figure's link shapes."""
    return sum(len(SEGMENT.findall(shape.path)) for shape in fig.layout.shapes)


def note_of(fig) -> str | None:
    found = [a.text for a in fig.layout.annotations if a.name == NOTE_NAME]
    return found[0] if found else None


def test_a_dense_network_draws_its_backbone_and_says_so(dense):
    part, _where = dense.drawn("org", 200)
    kept = int(backbone(part.links, list(part.nodes["node"])).kept.sum())
    assert len(part.nodes) == 200 and len(part.links) > READABLE * 200  # too many links among them to read
    assert kept < len(part.links) / 10
    fig = dense.network("org", complete=False).figure
    assert segments(fig) == kept
    note = note_of(fig).replace("<br>", " ")
    assert note.startswith(
        f"Drawn: the 200 most connected of {i18n.integer(part.total_nodes)} organisations and the "
        f"{i18n.integer(kept)} strongest of the {i18n.integer(len(part.links))} links among them (the disparity "
        "filter at 0.05, and each organisation's strongest link)"
    )
    # weighed by money: the same links, grouped by width
    assert segments(dense.network("org", complete=False, measure="contribution").figure) == kept


def test_the_files_of_a_dense_network_carry_the_note_the_page_shows_in_its_caption(dense):
    chart = dense.network("org", complete=False)
    note = note_of(chart.figure)
    stamped = files.stamped(chart.figure, dense.provenance(chart))
    assert note_of(stamped) == note  # PNG and SVG are drawn from the stamped figure
    page = dense.html(chart).decode()
    assert all(line in page for line in note.split("<br>"))
    shown = without_note(chart.figure)
    assert note_of(shown) is None and segments(shown) == segments(chart.figure)
    assert note_of(chart.figure) == note  # the chart's own figure keeps it


def test_the_note_in_italian(dense):
    with i18n.speaking("it"):
        note = note_of(dense.network("org", complete=False).figure).replace("<br>", " ")
    assert note.startswith("Disegnate: le 200 più connesse su ")
    assert "(il filtro di disparità a 0,05, e il legame più forte di ogni organizzazione)" in note


def test_a_small_network_is_drawn_in_full_without_a_note(small_insights):
    charts = Charts(small_insights, FileCache(0))
    part, _where = charts.drawn("org", 50)
    fig = charts.network("org").figure
    assert not part.thinned and segments(fig) == len(part.links) == 9
    assert note_of(fig) is None and without_note(fig) is fig


@pytest.mark.parametrize(("level", "links"), [("org", 500), ("country", 122), ("region", 52)])
def test_the_curated_networks_are_drawn_in_full(level, links):
    """The curated dataset's 103 organisations and 500 links, 20 countries and 122 links: small enough to read."""
    dataset = load_curated()
    charts = Charts(Insights(dataset, Filters()), FileCache(0))
    part, _where = charts.drawn(level, 200)
    fig = charts.network(level, complete=False).figure
    assert segments(fig) == len(part.links) == links and note_of(fig) is None
