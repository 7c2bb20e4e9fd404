"""Two periods compared on the small network of tests/small.py, every number worked out by hand there."""

from __future__ import annotations

import copy
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from analysis import i18n, load_dataset, synthetic
from analysis.comparison import Periods, compare_dataset, halves, parse_periods, parse_span
from analysis.filters import Filters
from analysis.i18n import _
from tests import factory, small
from tests.analysis.test_independent import reference
from tests.cli_run import run_cli


def compared(data, periods: Periods, filters: Filters | None = None):
    filters = filters or Filters()
    return compare_dataset(data, periods, filters)


@pytest.fixture
def data(tmp_path):
    return small.dataset(tmp_path)


def test_a_node_in_both_periods_with_new_partners_and_a_link_kept_through_other_items(data):
    # A 2014-2015: ag1 (a c d e, open-ended) and ac1 (a b). B 2016-2019: ag1 still running, ag2 (a b), ac2 (c e f).
    found = compared(data, Periods("2014", "2015", "2016", "2019"))
    orgs = found.organisations
    assert (orgs.joined, orgs.left, orgs.stayed) == (["f"], [], ["a", "b", "c", "d", "e"])
    assert orgs.pairs("new") == [("c", "f"), ("e", "f")]
    assert orgs.pairs("lost") == []
    # a-b is tied by ac1 in A and by ag2 in B: kept, with weight 1 in each; ag1 keeps its six links in both.
    assert orgs.pairs("kept") == [("a", "b"), ("a", "c"), ("a", "d"), ("a", "e"), ("c", "d"), ("c", "e"), ("d", "e")]
    weights = orgs.links.set_index(["a", "b"])
    assert tuple(weights.loc[("a", "b"), ["weight_a", "weight_b"]]) == (1, 1)
    assert tuple(weights.loc[("c", "e"), ["weight_a", "weight_b"]]) == (1, 2)  # ag1, then ag1 and ac2
    assert (orgs.stronger, orgs.weaker) == (1, 0)
    assert found.tiles() == {"Joined": 1, "Left": 0, "New links": 2, "Lost links": 0}
    countries = found.countries
    assert (countries.joined, countries.left, countries.stayed) == ([], [], ["DE", "IT", "PL", "PT"])
    assert countries.pairs("new") == countries.pairs("lost") == []
    assert tuple(countries.links.set_index(["a", "b"]).loc[("DE", "PL"), ["weight_a", "weight_b"]]) == (1, 2)


def test_movers_are_the_largest_changes_with_both_values(data):
    found = compared(data, Periods("2014", "2015", "2016", "2019"))
    table = found.movers
    degree = table[table["metric"] == "degree"]
    # Degree A: a 4, b 1, c 3, d 3, e 3. B: a 4, b 1, c 4, d 3, e 4, f 2 (joined: 0 in A). Ties by id.
    assert list(zip(degree["node"], degree["value_a"], degree["value_b"], degree["status"], strict=True)) == [
        ("f", 0, 2, "joined"),
        ("c", 3, 4, "stayed"),
        ("e", 3, 4, "stayed"),
    ]
    weighted = table[table["metric"] == "weighted_degree"]
    assert list(zip(weighted["node"], weighted["value_a"], weighted["value_b"], strict=True)) == [
        ("c", 3, 5),
        ("e", 3, 5),
        ("f", 0, 2),
    ]
    between = table[table["metric"] == "betweenness"].set_index("node")
    graph_a = nx.Graph([("a", "c"), ("a", "d"), ("a", "e"), ("c", "d"), ("c", "e"), ("d", "e"), ("a", "b")])
    graph_b = nx.Graph([*graph_a.edges, ("c", "f"), ("e", "f")])
    before, after = nx.betweenness_centrality(graph_a), nx.betweenness_centrality(graph_b)
    assert len(between) > 0
    for node, row in between.iterrows():
        assert row["value_a"] == pytest.approx(before.get(node, 0.0))
        assert row["value_b"] == pytest.approx(after.get(node, 0.0))
    assert found.pending == ()


def test_an_organisation_that_left_and_its_lost_link(data):
    # B 2020: ag1 still runs (open-ended, a c d e) and ac3 has d alone; b's only ties (ac1, ag2) are over.
    found = compared(data, Periods("2014", "2015", "2020", "2020"))
    orgs = found.organisations
    assert (orgs.joined, orgs.left) == ([], ["b"])
    assert orgs.pairs("lost") == [("a", "b")]
    assert orgs.count("kept") == 6
    assert found.tiles() == {"Joined": 0, "Left": 1, "New links": 0, "Lost links": 1}


def test_the_other_filters_apply_to_both_periods(data):
    poland = compared(data, Periods("2014", "2015", "2016", "2019"), Filters(countries=("PL",)))
    # Items touching Poland: ag1 in both, ac2 in B; ac1 and ag2 (a b, Italy only) are out of view.
    assert (poland.organisations.joined, poland.organisations.stayed) == (["f"], ["a", "c", "d", "e"])
    assert poland.organisations.pairs("new") == [("c", "f"), ("e", "f")]
    assert ("a", "b") not in poland.organisations.pairs("kept")
    only = compared(data, Periods("2014", "2015", "2016", "2019"), Filters(countries=("PL",), only_selected=True))
    assert (only.organisations.stayed, only.organisations.links.empty) == (["c"], True)


def test_the_summary_says_the_numbers(data):
    found = compared(data, Periods("2014", "2015", "2016", "2019"))
    story = found.story()
    assert story[0] == "Between 2014-2015 and 2016-2019, 1 organisation joined, 0 left and 5 stayed."
    assert story[1] == "Links between organisations: 2 new, 0 lost and 7 kept, 1 of them stronger and 0 weaker."
    assert story[2] == "The same 4 countries took part in both."
    assert story[3] == "The largest gain in partners: Org F (DE), from 0 to 2."
    assert len(story) == 4


def test_the_summary_and_the_tiles_in_italian(data):
    with i18n.speaking("it"):
        found = compared(data, Periods("2014", "2015", "2016", "2019"))
        story, tiles = found.story(), [_(label) for label in found.tiles()]
        words = Periods("2011", "2014", "2015", None).words
        parsed = parse_periods({"a_from": "2016", "a_to": "2012"}, (2011, 2025))[1]
    assert story == [
        "Tra il periodo A (2014-2015) e il periodo B (2016-2019) è entrata 1 organizzazione, ne sono uscite 0 e ne "
        "sono rimaste 5.",
        "Legami tra organizzazioni: nuovi 2, persi 0, mantenuti 7 (di questi, più forti 1 e più deboli 0).",
        "Gli stessi 4 paesi hanno partecipato a entrambi i periodi.",
        "L'aumento di partner più grande: Org F (DE), da 0 a 2.",
    ]
    assert tiles == ["Entrate", "Uscite", "Nuovi legami", "Legami persi"]
    assert words == "2011-2014 a confronto con dal 2015"
    assert parsed == ["periodo A da 2016 a 2012 (finisce prima di iniziare)"]
    assert found.tiles() == {"Joined": 1, "Left": 0, "New links": 2, "Lost links": 0}  # the keys stay English


def test_countries_that_joined_in_both_languages(tmp_path):
    # Two Spanish organisations join e in a 2018 workshop: Spain joins, tied to Germany (e's country).
    tables = copy.deepcopy(small.TABLES)
    tables["organisations"] += [small.org(o, "ES", "ES51", kind="company") for o in "hi"]
    workshop = {"action_id": "ac4", "title": "Workshop", "kind": "workshop", "start": "2018", "end": ""}
    tables["actions"].append({**workshop, "status": "completed", "source_ids": "s"})
    tables["action_participants"] += [{"action_id": "ac4", "org_id": o, "role": ""} for o in "ehi"]
    data = load_dataset(factory.write(tmp_path / "spain", tables)).dataset
    periods = Periods("2014", "2015", "2016", "2019")
    english = compared(data, periods).story()
    with i18n.speaking("it"):
        italian = compared(data, periods).story()
    assert (
        english[0]
        == "Between 2014-2015 and 2016-2019, 3 organisations joined, 2 of them from Spain, 0 left and 5 stayed."
    )
    assert english[2:4] == [
        "Countries that joined: Spain. No country left.",
        "Ties between countries: 1 new and 0 lost (the strongest new: Germany-Spain).",
    ]
    assert italian[0] == (
        "Tra il periodo A (2014-2015) e il periodo B (2016-2019) sono entrate 3 organizzazioni, di cui 2 dallo stesso "
        "paese (Spagna), ne sono uscite 0 e ne sono rimaste 5."
    )
    assert italian[2:4] == [
        "Paesi entrati: Spagna. Nessun paese è uscito.",
        "Legami tra paesi: nuovi 1, persi 0 (i nuovi più forti: Germania-Spagna).",
    ]


def test_periods_from_the_url_and_their_defaults():
    assert halves((2011, 2025)) == Periods("2011", "2017", "2018", "2025")
    assert halves((2014, 2014)) == Periods("2014", "2014", "2014", "2014")
    periods, ignored = parse_periods({"a_from": "2011", "a_to": "2014-11", "b_from": ["2015"]}, (2011, 2025))
    assert periods == Periods("2011", "2014-11", "2015", "2025") and ignored == []
    # A bare URL: st.query_params.get_all gives [] for every key, which means the defaults, said to nobody.
    bare = {key: [] for key in ("a_from", "a_to", "b_from", "b_to")}
    assert parse_periods(bare, (2011, 2025)) == (halves((2011, 2025)), [])
    periods, ignored = parse_periods({"a_from": "2016", "a_to": "2012", "b_to": "20x"}, (2011, 2025))
    assert periods == halves((2011, 2025))
    assert ignored == [
        "b_to 20x (is not a date of the form YYYY-MM-DD, YYYY-MM or YYYY)",
        "period A 2016 to 2012 (it ends before it starts)",
    ]
    assert parse_span("2011:2014") == ("2011", "2014")
    assert parse_span(":2014-11") == (None, "2014-11")
    assert parse_span("2015:") == ("2015", None)
    with pytest.raises(ValueError, match="ends before it starts"):
        parse_span("2016:2012")


def cli(*args: str) -> subprocess.CompletedProcess:
    return run_cli("compare", *args)


def test_clusternet_compare_prints_the_comparison(tmp_path):
    folder = small.write(tmp_path)
    done = cli(str(folder), "--a", "2014:2015", "--b", "2016:2019", "--country", "PL")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["organisations"] == {"joined": ["f"], "left": [], "stayed": ["a", "c", "d", "e"]}
    assert out["links"]["new"] == [["c", "f"], ["e", "f"]]
    assert out["links"]["lost"] == []
    assert out["countries"] == {"joined": [], "left": [], "stayed": ["DE", "IT", "PL", "PT"]}
    assert {"org_id": "f", "name": "Org F", "status": "joined", "metric": "degree", "value_a": 0, "value_b": 2} in out[
        "movers"
    ]
    assert "contribution_eur" not in out and "contribution_movers" not in out  # no amounts: no money keys
    rows = cli(str(folder), "--a", "2014:2015", "--b", "2020:2020", "--format", "csv").stdout.splitlines()
    assert rows[0] == "what,status,a,b,value_a,value_b"
    assert "organisation,left,b,,," in rows
    assert "link,lost,a,b,1,0" in rows
    assert not [row for row in rows if "contribution" in row]
    wrong = cli(str(folder), "--a", "2015")
    assert wrong.returncode == 2
    assert wrong.stderr.strip() == "clusternet compare: '2015' is not FROM:TO (e.g. 2011:2014, or 2015: for no end)"


# Money, worked by hand: tests/small.py's amounts - ac1 (2015) a 1000, b 500 (IT); ac2 (2018-03..2019-06) c 3000
# (PL), e 1500.30 (DE), f no amount (DE); ac3 (2020) d 200 (PT) - and a 2016 pilot ac4: a 400.456, c no amount.


def funded_tables() -> dict[str, list[dict]]:
    """tests/small.py's funded tables and a 2016 pilot ac4 (a with 400.456 EUR, c without an amount)."""
    tables = small.funded_tables()
    pilot = {"action_id": "ac4", "title": "Pilot", "kind": "project", "start": "2016", "end": "2016"}
    tables["actions"].append({**pilot, "status": "completed", "source_ids": "s"})
    tables["action_participants"] += [
        {"action_id": "ac4", "org_id": "a", "role": "", "contribution_eur": "400.456"},
        {"action_id": "ac4", "org_id": "c", "role": "", "contribution_eur": ""},
    ]
    return tables


def write_funded(folder: Path) -> Path:
    return factory.write(folder, funded_tables())


@pytest.fixture
def funded(tmp_path):
    result = load_dataset(write_funded(tmp_path / "funded"))
    assert result.dataset is not None, [p.line() for p in result.errors]
    return result.dataset


def money_rows(table) -> list[tuple]:
    return [
        (r.id, r.contribution_eur_a, r.contribution_eur_b, r.change_eur)
        for r in table[["id", "contribution_eur_a", "contribution_eur_b", "change_eur"]].itertuples(index=False)
    ]


def test_the_eu_contribution_in_each_period_and_who_gained_or_lost_most(funded):
    # A 2014-2015: ac1 only (a 1000, b 500). B 2016-2019: ac4 (a 400.456, c none) and ac2 (c 3000, e 1500.30, f none).
    money = compared(funded, Periods("2014", "2015", "2016", "2019")).money
    assert money is not None
    assert (money.a_eur, money.b_eur) == (1500, pytest.approx(4900.756))
    assert money.change_eur == pytest.approx(3400.756)
    assert (money.without_amount_a, money.without_amount_b) == (0, 2)  # c in ac4, f in ac2
    # c and e took part in no action in A: 0 there. a kept some money, b none (no action in B). c's B is ac2's 3000:
    # its ac4 participation carries no amount and is counted apart, not as 0.
    assert money_rows(money.movers("org")) == [
        ("c", 0, 3000, 3000),
        ("e", 0, pytest.approx(1500.30), pytest.approx(1500.30)),
        ("a", 1000, pytest.approx(400.456), pytest.approx(-599.544)),
        ("b", 500, 0, -500),
    ]
    assert money.movers("org")["country"].tolist() == ["PL", "DE", "IT", "IT"]
    # f: no action in A (0), in ac2 without amount in B (unknown): no known change, listed last and no mover.
    f = money.org.iloc[-1]
    assert f["id"] == "f" and f["contribution_eur_a"] == 0
    assert math.isnan(f["contribution_eur_b"]) and math.isnan(f["change_eur"])
    assert f["participations_without_amount_b"] == 1
    assert money_rows(money.movers("country")) == [
        ("PL", 0, 3000, 3000),
        ("DE", 0, pytest.approx(1500.30), pytest.approx(1500.30)),  # e's; f's participation counted apart
        ("IT", 1500, pytest.approx(400.456), pytest.approx(-1099.544)),
    ]
    assert compared(funded, Periods("2014", "2015", "2016", "2019")).money.movers("org", top=2)["id"].tolist() == [
        "c",
        "e",
    ]


def test_a_participation_without_amount_is_unknown_never_zero(funded):
    # A 2018-2019: ac2 (c 3000, e 1500.30, f none). B 2020: ac3 (d 200).
    money = compared(funded, Periods("2018", "2019", "2020", "2020")).money
    assert (money.a_eur, money.b_eur) == (pytest.approx(4500.30), 200)
    assert money_rows(money.movers("org")) == [
        ("c", 3000, 0, -3000),
        ("e", pytest.approx(1500.30), 0, pytest.approx(-1500.30)),
        ("d", 0, 200, 200),
    ]
    f = money.org.set_index("id").loc["f"]  # unknown in A, nothing in B: its change is not known, not -0
    assert math.isnan(f["contribution_eur_a"]) and f["contribution_eur_b"] == 0 and math.isnan(f["change_eur"])
    # Poland alone (only_selected): no action in A, and in B only c's ac4 participation, without amount.
    only = compared(funded, Periods("2014", "2015", "2016", "2016"), Filters(countries=("PL",), only_selected=True))
    assert only.money.a_eur == 0 and math.isnan(only.money.b_eur) and math.isnan(only.money.change_eur)
    assert only.money.movers("org").empty
    out = only.as_dict()
    assert out["contribution_eur"] == {"a": 0.0, "b": None, "change": None}  # JSON has no NaN
    assert out["participations_without_amount"] == {"a": 0, "b": 1}


def test_clusternet_compare_carries_the_money_rounded_to_the_cent(tmp_path):
    folder = write_funded(tmp_path / "funded")
    done = cli(str(folder), "--a", "2014:2015", "--b", "2016:2019")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["contribution_eur"] == {"a": 1500.0, "b": 4900.76, "change": 3400.76}
    assert out["participations_without_amount"] == {"a": 0, "b": 2}
    assert out["contribution_movers"]["organisations"] == [
        {"org_id": "c", "name": "Org C", "contribution_eur_a": 0.0, "contribution_eur_b": 3000.0, "change_eur": 3000.0},
        {"org_id": "e", "name": "Org E", "contribution_eur_a": 0.0, "contribution_eur_b": 1500.3, "change_eur": 1500.3},
        {
            "org_id": "a",
            "name": "Org A",
            "contribution_eur_a": 1000.0,
            "contribution_eur_b": 400.46,
            "change_eur": -599.54,
        },
        {"org_id": "b", "name": "Org B", "contribution_eur_a": 500.0, "contribution_eur_b": 0.0, "change_eur": -500.0},
    ]
    countries = out["contribution_movers"]["countries"]
    assert [(c["country"], c["change_eur"]) for c in countries] == [("PL", 3000.0), ("DE", 1500.3), ("IT", -1099.54)]
    rows = cli(str(folder), "--a", "2014:2015", "--b", "2016:2019", "--format", "csv").stdout.splitlines()
    assert "contribution,,,,1500.0,4900.76" in rows
    assert "contribution mover,,a,,1000.0,400.46" in rows
    assert "country contribution mover,,IT,,1500.0,400.46" in rows


# Period pairs and filters on a synthetic dataset, against the contract read independently (test_independent).
CASES = [
    ("2010:2013", "2014:2019", set(), False),
    ("2012-06:2015", "2015:", set(), False),
    (":2014", "2016-03:2018-09", {"PL", "DE"}, False),
    ("2012:2016", "2017:2022", {"DE"}, True),
    (":2008", "2009:2010", set(), False),
    ("2011:2020", "2014:2015", {"FR"}, False),
]


@pytest.fixture(scope="module")
def unseen(tmp_path_factory) -> Path:
    return synthetic.write(tmp_path_factory.mktemp("syn") / "d", synthetic.generate(300, 60, 150, seed=11))


def expected(folder: Path, level: str, span: str, countries: set[str], only: bool):
    first, last = (part or None for part in span.split(":"))
    weights, graph, _ = reference(folder, level, first, last, countries, only)
    return set(graph.nodes), {pair for pair in weights if pair[0] != pair[1]}


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}-vs-{c[1]}-{'+'.join(sorted(c[2]))}-{c[3]}" for c in CASES])
def test_compare_agrees_with_an_independent_reading(unseen, case):
    a, b, countries, only = case
    args = [str(unseen), "--a", a, "--b", b, *[arg for c in sorted(countries) for arg in ("--country", c)]]
    done = cli(*args, *(["--only-selected"] if only else []))
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    for level, nodes_key, links_key in (("org", "organisations", "links"), ("country", "countries", "country_links")):
        nodes_a, links_a = expected(unseen, level, a, countries, only)
        nodes_b, links_b = expected(unseen, level, b, countries, only)
        assert out[nodes_key]["joined"] == sorted(nodes_b - nodes_a)
        assert out[nodes_key]["left"] == sorted(nodes_a - nodes_b)
        assert out[nodes_key]["stayed"] == sorted(nodes_a & nodes_b)
        assert out[links_key]["new"] == [list(p) for p in sorted(links_b - links_a)]
        assert out[links_key]["lost"] == [list(p) for p in sorted(links_a - links_b)]
        assert out[links_key]["kept"] == [list(p) for p in sorted(links_a & links_b)]
    changed = [len(out[what][status]) for what, status in (("organisations", "left"), ("links", "lost"))]
    changed += [len(out[what][status]) for what, status in (("organisations", "joined"), ("links", "new"))]
    assert sum(changed) > 0, "a case where nothing changes proves little"


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path):
    # `clusternet compare ... | head`: the reader has gone before the comparison is written (here, before it starts).
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "analysis.cli", "compare", str(small.write(tmp_path))],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr
    assert done.returncode == 0
