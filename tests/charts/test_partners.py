"""The Partners page's chart on tests/small.py: organisation a, its partners and the partners suggested for it, and
its files, in English and in Italian."""

from __future__ import annotations

import io
import zipfile

import pandas as pd

from analysis import i18n
from analysis.cache import MB, FileCache
from analysis.filters import Filters
from analysis.insights import Insights
from charts.partners import PartnerCharts
from charts.report import Charts


def partners(data, org: str = "a") -> PartnerCharts:
    files = FileCache(64 * MB)
    return PartnerCharts(Charts(Insights(data, Filters()), files), org, (), files)


def roles(chart) -> dict[str, list[str]]:
    """Hover texts of the drawn organisations by legend name."""
    return {t.name: list(t.hovertext) for t in chart.figure.data if t.mode == "markers+text"}


def test_the_ego_network_names_its_parts(small_data):
    chart = partners(small_data).ego()
    assert chart.title == "Suggested partners of Org A"
    assert [t.name for t in chart.figure.data if t.mode == "lines"] == [
        "Tied in view",
        "Shared partner's tie",
        "Suggested partner (not yet tied)",
    ]
    drawn = roles(chart)
    assert list(drawn) == ["The organisation", "Partner", "Suggested"]
    assert drawn["The organisation"] == ["<b>Org A</b><br>Italy<br>the organisation"]
    assert "<b>Org B</b><br>Italy<br>partner<br>2 shared items" in drawn["Partner"]
    assert all("<br>suggested partner<br>score " in h for h in drawn["Suggested"])


def test_the_ego_network_and_its_files_in_italian(small_data, monkeypatch):
    monkeypatch.setenv("CLUSTERNET_CHROMIUM", "/nonexistent/chromium")  # the bundle's tables and README only
    with i18n.speaking("it"):
        view = partners(small_data)
        chart = view.ego()
        archive = zipfile.ZipFile(io.BytesIO(view.bundle()))
    assert chart.title == "Partner suggeriti per Org A"
    drawn = roles(chart)
    assert list(drawn) == ["L'organizzazione", "Partner", "Suggeriti"]
    assert drawn["L'organizzazione"] == ["<b>Org A</b><br>Italia<br>l'organizzazione"]
    assert "<b>Org B</b><br>Italia<br>partner<br>2 accordi e azioni in comune" in drawn["Partner"]
    assert all("<br>partner suggerito<br>punteggio " in h for h in drawn["Suggeriti"])
    assert any("," in h.rsplit("punteggio ", 1)[1] for h in drawn["Suggeriti"])  # 0,910: the decimal comma
    readme = archive.read("README.txt").decode().splitlines()
    assert readme[0] == "Titolo: Suggerimenti di partner per a"
    assert (
        "Colonna Score: punteggio Adamic-Adar: la somma, sui partner in comune, di 1 / ln(il loro numero di "
        "partner), sulla rete delle organizzazioni con i filtri attivi" in readme
    )
    assert "partners-a-suggestions_all.csv" in archive.namelist()  # file names stay as they are


def test_a_hubs_suggestions_draw_their_first_shared_partners_and_its_strongest(tmp_path):
    """An organisation whose suggestions share many partners with it: the chart draws each suggestion's first
    SHARED_DRAWN shared partners and the organisation's PARTNERS_DRAWN strongest, no other partner."""
    from analysis.dataset import load_dataset
    from analysis.networks import ego
    from analysis.synthetic import generate, write
    from charts.partners import PARTNERS_DRAWN, SHARED_DRAWN

    data = load_dataset(write(tmp_path / "d", generate(300, 60, 150, seed=23))).dataset
    insights = Insights(data, Filters())
    links = insights.network("org").links
    hub = str(pd.concat([links["a"], links["b"]]).value_counts().index[0])
    view = partners(data, hub)
    found = view.suggestions()
    assert max(len(s.shared) for s in found) > SHARED_DRAWN  # else the test says nothing
    ties = ego(insights.network("org"), hub)
    strongest = set(ties.sort_values(["weight", "node"], ascending=[False, True])["node"].head(PARTNERS_DRAWN))
    expected = strongest | {w for s in found for w in s.shared[:SHARED_DRAWN]}
    table = view.ego().table
    assert set(table.loc[table["role"] == "partner", "node"]) == expected
    assert len(expected) < len(strongest | {w for s in found for w in s.shared})
