"""The Partners page's chart on tests/small.py: organisation a, its partners and the partners suggested for it, and
its files, in English and in Italian."""

from __future__ import annotations

import io
import zipfile

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
