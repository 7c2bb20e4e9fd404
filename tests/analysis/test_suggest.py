"""Partner suggestions on the small network of tests/small.py (plus one organisation), every score worked out by hand;
and `clusternet suggest` against an independent networkx reading of a synthetic dataset."""

from __future__ import annotations

import copy
import csv
import json
import math
import subprocess
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from analysis import i18n, load_dataset, synthetic
from analysis.filters import Filters
from analysis.suggest import UnknownNode, auc, backtest, partners_for, precision_at
from tests import factory, small
from tests.analysis.test_independent import reference
from tests.cli_run import run_cli
from tests.small import org

# The small network plus h (ES, ES51, a company) in a 2021 workshop with e. Links: ag1 ties a c d e pairwise, ag2 and
# ac1 tie a-b, ac2 ties c e f, ac4 ties e-h. Degrees: a 4 (b c d e), b 1, c 4 (a d e f), d 3, e 5 (a c d f h), f 2,
# h 1; g takes part in nothing.
TABLES = copy.deepcopy(small.TABLES)
TABLES["organisations"].append(org("h", "ES", "ES51", kind="company"))
TABLES["actions"].append(
    {
        "action_id": "ac4",
        "title": "Workshop",
        "kind": "workshop",
        "start": "2021",
        "end": "",
        "status": "completed",
        "source_ids": "s",
    }
)
TABLES["action_participants"] += [{"action_id": "ac4", "org_id": o, "role": ""} for o in "eh"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return factory.write(tmp_path_factory.mktemp("suggest") / "small", TABLES)


@pytest.fixture(scope="module")
def data(folder):
    result = load_dataset(folder)
    assert result.dataset is not None, [p.line() for p in result.errors]
    return result.dataset


def scored(found) -> list[tuple[str, float]]:
    return [(s.node, s.score) for s in found]


def test_scores_are_the_adamic_adar_index_worked_out_by_hand(data):
    partners = partners_for(data, Filters())
    # a is tied to b c d e; f shares c (degree 4) and e (degree 5), h shares e.
    found = partners.suggest("a")
    assert [s.node for s in found] == ["f", "h"]
    assert found[0].score == pytest.approx(1 / math.log(4) + 1 / math.log(5), abs=1e-12)
    assert found[1].score == pytest.approx(1 / math.log(5), abs=1e-12)
    assert found[0].shared == ("c", "e")  # c (1/ln 4) tells more than e (1/ln 5)
    assert found[0].shared_labels == ("Org C", "Org E")
    # b's only partner a (degree 4) is shared with c, d and e: equal scores, ordered by id.
    assert scored(partners.suggest("b")) == [("c", 1 / math.log(4)), ("d", 1 / math.log(4)), ("e", 1 / math.log(4))]
    # h's only partner e (degree 5) is shared with a, c, d and f; never h itself or e, its partner.
    assert [s.node for s in partners.suggest("h")] == ["a", "c", "d", "f"]
    assert all(s.score == pytest.approx(1 / math.log(5)) for s in partners.suggest("h"))


def test_the_reasons_in_words(data):
    partners = partners_for(data, Filters())
    f_for_a, h_for_a = partners.suggest("a")
    assert f_for_a.reasons == (
        "Org C works with both: with Org A in 'Protocol', with Org F in 'Project'.",
        "Org E works with both: with Org A in 'Protocol', with Org F in 'Project'.",
    )
    # h: a company, in ES51, which no item in view ties to Puglia (ITF4); in ac4 (2021), the latest start in view.
    assert h_for_a.reasons == (
        "Org E works with both: with Org A in 'Protocol', with Org H in 'Workshop'.",
        "Its region, Cataluña (ES51), has no tie yet with Puglia (ITF4).",
        "Active recently: 1 agreement or action starting in 2020-2021.",
    )
    by_node = {s.node: s for s in partners.suggest("h")}
    assert "Same kind of organisation: company." in by_node["f"].reasons
    assert (
        by_node["c"].reasons[0]
        == "Org E works with both: with Org H in 'Workshop', with Org C in 'Protocol' and 'Project'."
    )
    # d's region PT11 is tied to ES51 through nobody either; d is in ac3 (2020).
    assert by_node["d"].reasons[1:] == (
        "Its region, Norte (PT11), has no tie yet with Cataluña (ES51).",
        "Active recently: 1 agreement or action starting in 2020-2021.",
    )
    b_for_c = partners.suggest("b")[0]
    assert b_for_c.reasons == ("Org A works with both: with Org B in 'Memo' and 'Call', with Org C in 'Protocol'.",)


def test_the_reasons_in_italian(data):
    with i18n.speaking("it"):
        partners = partners_for(data, Filters())
        h_for_a = partners.suggest("a")[1]
        f_for_h = {s.node: s for s in partners.suggest("h")}["f"]
        b_for_c = partners.suggest("b")[0]
        germany = partners_for(data, Filters(), "country").suggest("IT")[0]
    assert h_for_a.reasons == (
        "Org E lavora sia con Org A, in 'Protocol', sia con Org H, in 'Workshop'.",
        "La sua regione, Cataluña (ES51), non ha ancora legami con Puglia (ITF4).",
        "Attività recente: 1 accordo o azione con inizio tra il 2020 e il 2021.",
    )
    assert "Stesso tipo di organizzazione: impresa." in f_for_h.reasons
    assert b_for_c.reasons == ("Org A lavora sia con Org B, in 'Memo' e 'Call', sia con Org C, in 'Protocol'.",)
    # A country network names its countries in the language spoken (the dataset's names in English).
    assert (germany.label, germany.shared_labels) == ("Spagna", ("Germania",))
    assert germany.reasons[0] == (
        "Germania ha legami sia con Italia, tramite 1 accordo o azione, sia con Spagna, tramite 1 accordo o azione."
    )


def test_candidate_countries_narrow_the_candidates_not_the_degrees(data):
    partners = partners_for(data, Filters())
    # Only Germany: f alone, still scored with e's degree in the whole network (5, with h from Spain).
    assert scored(partners.suggest("h", countries=("DE",))) == [("f", pytest.approx(1 / math.log(5)))]
    assert scored(partners.suggest("b", countries=("PT", "PL"))) == [
        ("c", pytest.approx(1 / math.log(4))),
        ("d", pytest.approx(1 / math.log(4))),
    ]
    assert [s.node for s in partners.suggest("h", kinds=("company",))] == ["f"]
    assert partners.suggest("h", countries=("FR",)) == []


def test_a_country_filter_changes_the_network(data):
    # Items touching Poland: ag1 (a c d e) and ac2 (c e f). a's partners c d e; e now has degree 4 (a c d f).
    partners = partners_for(data, Filters(countries=("PL",)))
    assert scored(partners.suggest("f")) == [
        ("a", pytest.approx(2 / math.log(4))),
        ("d", pytest.approx(2 / math.log(4))),
    ]
    only = partners_for(data, Filters(countries=("PL",), only_selected=True))  # c alone: no partner, no candidate
    assert only.suggest("c") == []
    with pytest.raises(UnknownNode):
        only.suggest("f")


def test_places_the_same_way(data):
    # Countries: ag1 ties IT PL PT DE pairwise, ac2 is DE and PL only (f, c, e), ac4 ties DE-ES. Only ES is not yet
    # tied to IT; their one common partner, DE, has degree 4 (IT PL PT ES).
    partners = partners_for(data, Filters(), "country")
    found = partners.suggest("IT")
    assert scored(found) == [("ES", pytest.approx(1 / math.log(4)))]
    assert (
        found[0].reasons[0]
        == "Germany is tied to both: to Italy through 1 agreement or action, to Spain through 1 agreement or action."
    )


def test_backtest_by_hand(data):
    # Up to 2016: ag1 (a c d e), ac1 and ag2 (a b). After: ac2 ties c-f and e-f (f is new: not counted), ac4 e-h (h is
    # new), so no pair of the five organisations present before gets tied: nothing hidden.
    found = backtest(data, Filters(), "2016")
    assert (found.organisations, found.links_before, found.pairs, found.hidden) == (5, 7, 3, 0)
    assert math.isnan(found.auc["adamic_adar"]) and found.precision["adamic_adar"] == 0.0
    assert found.as_dict()["auc"]["adamic_adar"] is None
    assert found.lines() == [
        "Split 2016: 5 organisations and 7 links before it; 3 pairs not yet tied, 0 of them tied after it (0.00%).",
        "Adamic-Adar: AUC n/a, precision at 10 0.00",
        "common neighbours: AUC n/a, precision at 10 0.00",
        "random (seeded): AUC n/a, precision at 10 0.00",
    ]
    with i18n.speaking("it"):
        assert found.lines()[:2] == [
            "Taglio al 2016: 5 organizzazioni e 7 legami prima del taglio; 3 coppie non ancora legate, di cui 0 legate "
            "dopo il taglio (0,00%).",
            "Adamic-Adar: AUC n.d., precisione sui primi 10: 0,00",
        ]


def test_auc_and_precision_by_hand():
    scores = np.array([3.0, 2.0, 2.0, 1.0, 0.0])
    hidden = np.array([False, True, False, True, False])
    # Untied pairs 3.0, 2.0, 0.0. Hidden 2.0 beats 0.0 and ties 2.0 (1.5 of 3); hidden 1.0 beats 0.0 (1 of 3).
    assert auc(scores, hidden) == pytest.approx(2.5 / 6)
    a, b = np.array([0, 0, 1, 1, 2]), np.array([1, 2, 2, 3, 3])
    assert precision_at(scores, hidden, a, b, 2) == 0.5  # 3.0 (not hidden), then the first 2.0 by ids: (0, 2), hidden
    assert precision_at(scores, hidden, a, b, 4) == 0.5


def cli(*args: str) -> subprocess.CompletedProcess:
    return run_cli("suggest", *args)


def test_clusternet_suggest_prints_json_csv_and_refuses_unknown_names(folder):
    done = cli(str(folder), "--org", "a")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert [(s["org_id"], s["name"], s["country"], s["common_partners"]) for s in out] == [
        ("f", "Org F", "DE", ["c", "e"]),
        ("h", "Org H", "ES", ["e"]),
    ]
    assert out[0]["score"] == pytest.approx(1 / math.log(4) + 1 / math.log(5), abs=1e-12)
    rows = cli(str(folder), "--org", "h", "--in", "DE,PL", "--format", "csv").stdout.splitlines()
    assert rows[0] == "org_id,name,country,score,common_partners,reasons"
    assert [row.split(",")[0] for row in rows[1:]] == ["c", "f"]
    places = json.loads(cli(str(folder), "--level", "country", "--place", "IT").stdout)
    assert [(p["place"], p["common_partners"]) for p in places] == [("ES", ["DE"])]
    for args, message in (
        (["--org", "zz"], "clusternet suggest: no organisation 'zz' in view in"),
        (["--level", "region", "--place", "XX99"], "clusternet suggest: no region (place) 'XX99' in view in"),
        (["--org", "a", "--in", "XX"], "clusternet suggest: cannot use --in XX (not an ISO 3166-1 alpha-2 code)"),
        (["--backtest", "2016-13"], "clusternet suggest: "),
    ):
        wrong = cli(str(folder), *args)
        assert wrong.returncode == 2, args
        assert wrong.stderr.startswith(message) and len(wrong.stderr.strip().splitlines()) == 1, wrong.stderr
    figures = json.loads(cli(str(folder), "--backtest", "2016").stdout)
    assert (figures["organisations"], figures["hidden"]) == (5, 0)


# An unseen synthetic dataset against an independent reading: networkx's Adamic-Adar on the contract's network.
CASES = [
    (None, None, set(), ()),
    (None, None, set(), ("DE", "FR")),
    ("2013", "2019", set(), ()),
    (None, None, {"PL", "IT"}, ("ES",)),
]


@pytest.fixture(scope="module")
def unseen(tmp_path_factory) -> Path:
    return synthetic.write(tmp_path_factory.mktemp("syn") / "d", synthetic.generate(300, 60, 150, seed=23))


def expected(graph: nx.Graph, node: str, within: tuple[str, ...], country: dict[str, str]) -> list[tuple[str, float]]:
    """Every candidate by the definition: not the node, not a partner, a common partner; best first, ties by id."""
    mine = set(graph[node])
    others = [n for n in graph if n != node and n not in mine and mine & set(graph[n])]
    others = [n for n in others if not within or country[n] in within]
    scores = {v: s for _, v, s in nx.adamic_adar_index(graph, [(node, n) for n in others])}
    return sorted(scores.items(), key=lambda p: (-round(p[1], 10), p[0]))


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{c[0]}-{c[1]}-{'+'.join(sorted(c[2]))}-in-{'+'.join(c[3])}" for c in CASES]
)
def test_suggest_agrees_with_networkx_on_an_unseen_dataset(unseen, case):
    date_from, date_to, countries, within = case
    _, graph, _ = reference(unseen, "org", date_from, date_to, countries, False)
    with (unseen / "organisations.csv").open(encoding="utf-8") as rows:
        country = {r["org_id"]: r["country"] for r in csv.DictReader(rows)}
    # Several organisations: the most connected, one in the middle, and a small one with candidates.
    ranked = sorted(graph, key=lambda n: (-graph.degree(n), n))
    chosen = [ranked[0], ranked[len(ranked) // 2], next(n for n in reversed(ranked) if expected(graph, n, (), country))]
    args = ["--from", date_from] if date_from else []
    args += ["--to", date_to] if date_to else []
    args += [arg for c in sorted(countries) for arg in ("--country", c)]
    args += [arg for c in within for arg in ("--in", c)]
    for node in chosen:
        done = cli(str(unseen), "--org", node, "--top", "0", *args)
        assert done.returncode == 0, done.stderr
        out = json.loads(done.stdout)
        want = expected(graph, node, within, country)
        assert [s["org_id"] for s in out] == [n for n, _ in want]
        assert all(abs(s["score"] - score) < 1e-9 for s, (_, score) in zip(out, want, strict=True))
        assert not {s["org_id"] for s in out} & (set(graph[node]) | {node})
        for s in out:
            assert set(s["common_partners"]) == set(graph[node]) & set(graph[s["org_id"]])
    assert any(expected(graph, n, within, country) for n in chosen), "a case without candidates proves little"
