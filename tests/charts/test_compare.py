"""The Compare page's charts on the small network of tests/small.py: one layout for both panels, what is marked
new and lost, escaped names, the map's ties, and the files."""

from __future__ import annotations

import copy
import io
import zipfile

from analysis import i18n, load_dataset
from analysis.cache import FileCache
from analysis.comparison import Periods
from analysis.filters import Filters
from analysis.insights import Insights
from charts.compare import LOST, NEW, CompareCharts
from charts.map_figure import LAYER
from charts.report import Charts
from tests import factory, small
from tests.analysis.test_comparison import funded_tables

PERIODS = Periods("2014", "2015", "2016", "2019")  # see tests/analysis/test_comparison.py for the numbers


def compared(data, periods: Periods = PERIODS, filters: Filters | None = None) -> CompareCharts:
    files = FileCache(50_000_000)
    a, b = periods.of(filters or Filters())
    return CompareCharts(periods, Charts(Insights(data, a), files), Charts(Insights(data, b), files), files)


def traces(fig, name: str) -> list:
    return [t for t in fig.data if t.name == name]


def test_both_panels_share_one_layout_and_mark_what_changed(tmp_path):
    chart = compared(small.dataset(tmp_path)).networks()
    fig = chart.figure
    assert [a.text for a in fig.layout.annotations] == ["A: 2014-2015", "B: 2016-2019"]
    where: dict[str, dict[str, tuple[float, float]]] = {"x": {}, "x2": {}}
    for trace in fig.data:
        if trace.mode == "markers+text":
            for node, x, y in zip(trace.customdata, trace.x, trace.y, strict=True):
                where[trace.xaxis][node] = (x, y)
    assert set(where["x"]) == {"a", "b", "c", "d", "e"}  # A: f had not joined
    assert set(where["x2"]) == {"a", "b", "c", "d", "e", "f"}
    assert all(where["x"][n] == where["x2"][n] for n in where["x"])  # a node stands in the same place
    (joined,) = traces(fig, "Joined (B only)")
    assert (list(joined.customdata), joined.marker.line.color, joined.xaxis) == (["f"], NEW, "x2")
    (new,) = traces(fig, "New link (B only)")
    assert new.xaxis == "x2" and new.line.color == NEW
    assert len([x for x in new.x if x is None]) == 2  # c-f and e-f
    assert traces(fig, "Lost link (A only)") == [] and traces(fig, "Left (A only)") == []
    assert fig.layout.xaxis.range == fig.layout.xaxis2.range and fig.layout.yaxis.range == fig.layout.yaxis2.range
    table = chart.table.set_index("node")
    assert table.loc["f", ["status", "degree_a", "degree_b"]].tolist() == ["joined", 0, 2]
    assert table.loc["c", ["status", "degree_a", "degree_b"]].tolist() == ["stayed", 3, 4]


def test_what_left_is_marked_in_a(tmp_path):
    fig = compared(small.dataset(tmp_path), Periods("2014", "2015", "2020", "2020")).networks().figure
    (left,) = traces(fig, "Left (A only)")
    assert (list(left.customdata), left.marker.line.color, left.xaxis) == (["b"], LOST, "x")
    (lost,) = traces(fig, "Lost link (A only)")
    assert lost.xaxis == "x" and lost.line.dash == "dot"


def test_names_are_escaped_in_the_hover_and_labels(tmp_path):
    tables = copy.deepcopy(small.TABLES)
    tables["organisations"][0]["name"] = "<b>Bold</b> & Co"  # organisation a, in both periods
    data = load_dataset(factory.write(tmp_path / "d", tables)).dataset
    fig = compared(data).networks().figure
    shown = " ".join(str(t.hovertext) + str(t.text) for t in fig.data if t.mode == "markers+text")
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in shown
    assert "<b>Bold</b>" not in shown


def test_the_map_draws_ties_won_and_lost_between_country_centres(tmp_path):
    chart = compared(small.dataset(tmp_path), Periods("2014", "2015", "2020", "2020")).country_links()
    # From 2014-2015 (ag1: IT PL PT DE; ac1: IT only) to 2020 (ag1 still, ac3: PT alone): every tie kept.
    assert set(chart.table["status"]) == {"kept"}
    assert len(chart.table) == 6
    arcs = [t for t in chart.figure.data if t.mode == "lines" and not (t.meta and t.meta.get(LAYER) == "land")]
    assert [t.name for t in arcs] == ["Kept link: 6"]
    chart = compared(small.dataset(tmp_path), Periods("2018", "2019", "2016", "2017")).country_links()
    # 2018-2019: ag1 and ac2 (PL DE); 2016-2017: ag1 and ag2 (IT only): no tie won or lost either.
    assert chart.table["status"].tolist() == ["kept"] * 6
    assert chart.table.set_index(["a", "b"]).loc[("DE", "PL"), "weight_a"] == 2


def test_the_bundle_holds_the_comparison(tmp_path):
    archive = zipfile.ZipFile(io.BytesIO(compared(small.dataset(tmp_path)).bundle()))
    stem = "all_2014-2015_vs_2016-2019"
    assert {
        f"compare-networks_{stem}.png",
        f"compare-networks_{stem}.svg",
        f"compare-networks_{stem}.csv",
        f"compare-country-links_{stem}.png",
        f"compare-organisations_{stem}.csv",
        f"compare-links_{stem}.csv",
        f"compare-movers_{stem}.csv",
        "summary.txt",
        "README.txt",
    } <= set(archive.namelist())
    assert archive.read("summary.txt").decode().splitlines()[0] == (
        "Between 2014-2015 and 2016-2019, 1 organisation joined, 0 left and 5 stayed."
    )
    assert "Filters: All countries, 2014-2015 compared with 2016-2019, all kinds" in archive.read("README.txt").decode()
    links = archive.read(f"compare-links_{stem}.csv").decode("utf-8-sig").splitlines()
    assert links[0] == "a,b,weight_a,weight_b,status"
    assert "c,e,1,2,kept" in links and "c,f,0,1,new" in links
    assert not [name for name in archive.namelist() if "contribution" in name]  # no amounts, no money files


def funded(tmp_path, name: str | None = None):
    tables = funded_tables()  # amounts worked by hand in tests/analysis/test_comparison.py
    if name:
        tables["organisations"][0]["name"] = name  # organisation a, a mover by contribution
    return load_dataset(factory.write(tmp_path / "funded", tables)).dataset


def test_the_movers_by_contribution_as_bars_largest_first(tmp_path):
    view = compared(funded(tmp_path, "<b>Bold</b> & Co"))
    chart = view.contribution_movers("org")
    # A 2014-2015 to B 2016-2019: c +3000, e +1500.30, a 1000 -> 400.456, b 500 -> 0; f's B unknown, no bar.
    assert chart.table["id"].tolist() == ["c", "e", "a", "b"]
    (bars,) = chart.figure.data
    assert list(bars.y) == ["c", "e", "a", "b"] and chart.figure.layout.yaxis.autorange == "reversed"
    assert [round(x, 3) for x in bars.x] == [3000, 1500.3, -599.544, -500]
    assert list(bars.marker.color) == [NEW, NEW, LOST, LOST]
    labels = list(chart.figure.layout.yaxis.ticktext)
    assert labels[2] == "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" and "<b>Bold</b>" not in " ".join(labels)
    assert bars.hovertext[2].split("<br>") == [
        "<b>&lt;b&gt;Bold&lt;/b&gt; &amp; Co</b>",
        "in A: 1,000 EUR",
        "in B: 400 EUR",
        "change: -600 EUR",
    ]
    assert bars.hovertext[0].split("<br>")[1:] == ["in A: 0 EUR", "in B: 3,000 EUR", "change: +3,000 EUR"]
    assert chart.title == "Organisations whose EU contribution changed most, 2014-2015 compared with 2016-2019"
    countries = view.contribution_movers("country")
    assert countries.table["name"].tolist() == ["Poland", "Germany", "Italy"]
    assert [round(x, 3) for x in countries.figure.data[0].x] == [3000, 1500.3, -1099.544]
    csv = view.csv(countries).decode("utf-8-sig").splitlines()
    assert csv[0] == (
        "id,name,contribution_eur_a,contribution_eur_b,change_eur,participations_without_amount_a,"
        "participations_without_amount_b"
    )


def test_the_bundle_holds_the_money_when_the_dataset_has_amounts(tmp_path):
    archive = zipfile.ZipFile(io.BytesIO(compared(funded(tmp_path)).bundle()))
    stem = "all_2014-2015_vs_2016-2019"
    assert {
        f"compare-contribution-movers_{stem}.png",
        f"compare-contribution-movers_{stem}.csv",
        f"compare-country-contribution-movers_{stem}.svg",
        f"compare-contribution_{stem}.csv",
        f"compare-country-contribution_{stem}.csv",
    } <= set(archive.namelist())
    every = archive.read(f"compare-contribution_{stem}.csv").decode("utf-8-sig").splitlines()
    assert every[0].startswith("id,name,country,contribution_eur_a,contribution_eur_b,change_eur")
    assert every[-1] == "f,Org F,DE,0.0,,,0,1"  # unknown in B: empty, never 0; listed after every known change
    readme = archive.read("README.txt").decode()
    assert "EU contribution in B minus in A" in readme


def test_the_movers_by_contribution_in_italian(tmp_path):
    with i18n.speaking("it"):
        view = compared(funded(tmp_path))
        orgs, countries = view.contribution_movers("org"), view.contribution_movers("country")
    assert orgs.title.startswith("Organizzazioni il cui contributo UE è cambiato di più, ")
    assert orgs.figure.data[0].hovertext[2].split("<br>")[1:] == [
        "in A: 1.000 EUR",
        "in B: 400 EUR",
        "variazione: -600 EUR",
    ]
    assert countries.table["name"].tolist() == ["Polonia", "Germania", "Italia"]
    assert countries.figure.layout.xaxis.title.text == "Variazione del contributo UE da A a B (EUR)"


def test_the_comparison_in_italian(tmp_path):
    with i18n.speaking("it"):
        view = compared(small.dataset(tmp_path))
        networks, countries = view.networks(), view.country_links()
        about = dict(view.provenance(networks).about_rows())
    assert networks.title.startswith("Rete delle organizzazioni, ")
    legend = [t.name for t in networks.figure.data if t.showlegend is not False]
    assert legend == ["Legame mantenuto", "Rimaste", "Nuovo legame (solo B)", "Entrate (solo B)"]
    (joined,) = traces(networks.figure, "Entrate (solo B)")
    assert joined.hovertext[0].split("<br>")[1:] == ["Germania", "partner: 0 in A, 2 in B (entrata)"]
    assert countries.title.startswith("Legami tra paesi acquisiti e persi, ")
    assert [t.name for t in countries.figure.data if t.showlegend is not False and t.name] == ["Legame mantenuto: 6"]
    assert countries.table["name_a"].tolist()[:2] == ["Germania", "Germania"]  # named as the chart names them
    assert countries.table["status"].unique().tolist() == ["kept"]  # codes stay as the files write them
    assert about["Colonna status"] == (
        "joined (entrata: un nodo solo in B), left (uscita: solo in A) o stayed (rimasta: in entrambi)"
    )
