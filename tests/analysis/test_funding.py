"""EU contribution and its attribution to partners: hand-worked amounts on the small dataset, and the adds-up
property on an unseen synthetic dataset at every level."""

from __future__ import annotations

import io
import json
import math
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import load_dataset
from analysis.filters import Filters, apply
from analysis.funding import (
    LEVEL_COLUMNS,
    UNKNOWN,
    by_partner,
    by_year,
    cents,
    coordination,
    link_money,
    per_inhabitant,
    place_money,
    summary,
    totals,
)
from analysis.geography import population
from analysis.synthetic import generate
from analysis.synthetic import write as write_synthetic
from tests import cordis_files as cf
from tests import factory, small
from tests.cli_run import run_cli


def funded(tmp_path: Path):
    result = load_dataset(small.write_funded(tmp_path))
    assert result.dataset is not None, [p.line() for p in result.errors]
    return result.dataset


@pytest.fixture
def view(tmp_path: Path):
    return apply(funded(tmp_path), Filters())


def rows(table: pd.DataFrame, *columns: str) -> dict:
    return {tuple(r[:-1]) if len(r) > 2 else r[0]: r[-1] for r in table[list(columns)].itertuples(index=False)}


def test_an_organisations_contribution_sums_its_participations_and_counts_those_without_amount(view) -> None:
    table = totals(view, "org").set_index("id")
    assert table.loc[["a", "b", "c", "d", "e"], "contribution_eur"].tolist() == [1000, 500, 3000, 200, 1500.30]
    assert math.isnan(table.loc["f", "contribution_eur"])  # no amount: unknown, not zero
    assert table.loc["f", "participations_without_amount"] == 1
    assert table.loc["d", "alone_eur"] == 200 and table.loc["d", "with_partners_eur"] == 0
    assert "g" not in table.index  # in nothing
    money = summary(view)
    assert (money.contribution_eur, money.participations, money.without_amount) == (pytest.approx(6200.30), 6, 1)


def test_money_on_links_is_spread_evenly_over_partners(view) -> None:
    flows = rows(by_partner(view, "org"), "id", "partner", "contribution_eur")
    assert flows == {
        ("a", "b"): 1000,
        ("b", "a"): 500,
        ("c", "e"): 1500,
        ("c", "f"): 1500,
        ("e", "c"): pytest.approx(750.15),
        ("e", "f"): pytest.approx(750.15),
        ("d", None): 200,
    }


def test_regions_keep_money_within_apart_and_name_partners_without_a_region(view) -> None:
    flows = rows(by_partner(view, "region"), "id", "partner", "contribution_eur")
    assert flows == {
        ("ITF4", "ITF4"): 1500,  # a and b share ac1 within Puglia
        ("PL91", "DE11"): 1500,
        ("PL91", UNKNOWN): 1500,  # f gives no region
        ("DE11", "PL91"): pytest.approx(750.15),
        ("DE11", UNKNOWN): pytest.approx(750.15),
        ("PT11", None): 200,
    }
    countries = rows(by_partner(view, "country"), "id", "partner", "contribution_eur")
    assert countries[("PL", "DE")] == 3000 and countries[("DE", "DE")] == pytest.approx(750.15)
    links = rows(link_money(view, "country"), "a", "b", "contribution_eur")
    assert links == {("DE", "DE"): pytest.approx(750.15), ("DE", "PL"): pytest.approx(3750.15), ("IT", "IT"): 1500}


def test_money_by_start_year_or_spread_over_the_years_of_the_action(view) -> None:
    start = rows(by_year(view, "country"), "id", "year", "contribution_eur")
    assert start == {("DE", 2018): 1500.30, ("IT", 2015): 1500, ("PL", 2018): 3000, ("PT", 2020): 200}
    spread = rows(by_year(view, "country", spread=True), "id", "year", "contribution_eur")
    assert spread[("PL", 2018)] == spread[("PL", 2019)] == 1500  # ac2 runs 2018-03 to 2019-06
    assert spread[("DE", 2019)] == pytest.approx(750.15)


def test_money_in_actions_coordinated_here_elsewhere_or_by_no_one_named(view) -> None:
    table = coordination(view, "country").set_index("id")
    assert table.loc["PL"].tolist() == [3000, 0, 0]
    assert table.loc["DE"].tolist() == [0, pytest.approx(1500.30), 0]
    assert table.loc["IT"].tolist() == [0, 0, 1500]  # ac1 names no lead


def test_a_lead_without_a_region_says_nothing_of_where_an_action_is_led_from(tmp_path: Path) -> None:
    tables = small.funded_tables()
    for row in tables["action_participants"]:
        if row["action_id"] == "ac2":
            row["role"] = "lead" if row["org_id"] == "f" else ""  # f gives no region
    view = apply(load_dataset(factory.write(tmp_path / "f-leads", tables)).dataset, Filters())
    regions = coordination(view, "region").set_index("id")
    assert regions.loc["PL91"].tolist() == [0, 0, 3000]  # not given, not "elsewhere"
    assert coordination(view, "country").set_index("id").loc["PL"].tolist() == [0, 3000, 0]  # f is in DE


def test_a_place_in_view_through_agreements_only_received_nothing() -> None:
    places = pd.DataFrame({"region": ["ITF4", "PL91", "DE11"], "items": [2, 1, 1]})
    totals = pd.DataFrame(
        {"id": ["ITF4", "PL91"], "contribution_eur": [1500.0, np.nan], "participations_without_amount": [0, 1]}
    )
    money = place_money(places, totals, "region").set_index("region")
    assert money.loc["ITF4", "contribution_eur"] == 1500
    assert math.isnan(money.loc["PL91", "contribution_eur"])  # it took part; no amount given: unknown
    assert money.loc["DE11", "contribution_eur"] == 0  # no action participation in view: nothing received


def test_filters_change_who_is_a_partner(tmp_path: Path) -> None:
    """With only Poland in view, c has no partner left in ac2: its money is shown apart."""
    view = apply(funded(tmp_path), Filters(countries=("PL",), only_selected=True))
    assert rows(by_partner(view, "org"), "id", "partner", "contribution_eur") == {("c", None): 3000}


def test_per_inhabitant_leaves_unknown_and_zero_populations_undivided() -> None:
    table = pd.DataFrame({"id": ["ITF4", "NO0B", "XX99"], "contribution_eur": [3_900_000.0, 5.0, 7.0]})
    shares = per_inhabitant(table, {"ITF4": 3_900_000, "NO0B": 0})
    assert shares[0] == 1.0 and shares[1:].isna().all()


def test_cents_add_up_within_each_group() -> None:
    values = pd.Series([100 / 3] * 3 + [0.005, 0.005])
    rounded = cents(values, pd.Series(["x", "x", "x", "y", "y"]))
    assert rounded.tolist() == [33.34, 33.33, 33.33, 0.01, 0.0]


@pytest.fixture(scope="module")
def unseen(tmp_path_factory: pytest.TempPathFactory):
    """A synthetic dataset no test above was written for: programme-shaped consortia, a seed of its own."""
    tables = generate(orgs=600, agreements=30, actions=400, seed=7, shape="programme", max_consortium=40)
    result = load_dataset(write_synthetic(tmp_path_factory.mktemp("unseen"), tables))
    assert result.dataset is not None
    return result.dataset


@pytest.mark.parametrize("level", ["org", "region", "country"])
@pytest.mark.parametrize("filters", [Filters(), Filters(countries=("DE", "IT"), only_selected=True)])
def test_money_on_links_adds_up_to_each_contribution_to_the_cent(unseen, level: str, filters: Filters) -> None:
    view = apply(unseen, filters)
    flows = by_partner(view, level)
    flows["rounded"] = cents(flows["contribution_eur"], flows["id"])
    table = totals(view, level).set_index("id")
    shared = flows[flows["partner"].notna()].groupby("id")["rounded"].sum().round(2)
    wanted = table["with_partners_eur"].dropna()
    wanted = wanted[wanted > 0].round(2)
    assert len(wanted) >= (2 if level == "country" else 10)
    pd.testing.assert_series_equal(shared.loc[wanted.index], wanted, check_names=False, rtol=0, atol=1e-9)
    everything = flows.groupby("id")["rounded"].sum().round(2)
    expected = table["contribution_eur"].dropna().round(2)
    pd.testing.assert_series_equal(everything.loc[expected.index], expected, check_names=False, rtol=0, atol=1e-9)
    # And the measure itself is a plain sum of the amounts of the participations in view whose organisation has a
    # key at this level (an organisation without a region is in no region's total).
    inc = unseen.incidence
    placed = inc.codes[LEVEL_COLUMNS[level]].codes[inc.member_org[view.member_rows]] >= 0
    plain = np.nansum(inc.amounts[view.member_rows][placed])
    assert round(plain, 2) == round(table["contribution_eur"].sum(), 2)


def cli(*args: str) -> subprocess.CompletedProcess:
    return run_cli(*args)


def test_the_funding_command_writes_each_region_as_json(tmp_path: Path) -> None:
    funded(tmp_path)
    done = cli("funding", str(tmp_path / "funded"), "--level", "region", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [
        {"id": i, "name": n, "contribution_eur": c, "participations": p, "participations_without_amount": 0}
        for i, n, c, p in [
            ("PL91", "Warszawski stołeczny", 3000, 1),
            ("DE11", "Stuttgart", 1500.3, 1),
            ("ITF4", "Puglia", 1500, 2),
            ("PT11", "Norte", 200, 1),
        ]
    ]
    assert "EU contribution 6,200.30 EUR in 6 participations; 1 without an amount" in done.stderr


def test_the_funding_command_by_partner_adds_up_per_id_to_the_cent(tmp_path: Path) -> None:
    funded(tmp_path)
    done = cli("funding", str(tmp_path / "funded"), "--level", "country", "--by", "partner", "--format", "json")
    assert done.returncode == 0, done.stderr
    got = {(r["id"], r["partner"]): r["contribution_eur"] for r in json.loads(done.stdout)}
    assert got == {
        ("DE", "PL"): 750.15,
        ("DE", "DE"): 750.15,
        ("IT", "IT"): 1500,
        ("PL", "DE"): 3000,
        ("PT", None): 200,
    }


def test_the_funding_command_per_inhabitant_and_by_year_as_csv(tmp_path: Path) -> None:
    funded(tmp_path)
    path = str(tmp_path / "funded")
    done = cli("funding", path, "--level", "country", "--per-inhabitant")
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(io.StringIO(done.stdout)).set_index("id")
    people = population("country")
    assert table.loc["PL", "population"] == people["PL"]
    assert table.loc["PL", "contribution_per_inhabitant_eur"] == pytest.approx(3000 / people["PL"], abs=1e-4)
    spread = cli("funding", path, "--level", "org", "--by", "year", "--spread")
    assert spread.returncode == 0, spread.stderr
    assert spread.stdout.splitlines() == [
        "id,name,year,contribution_eur",
        "a,Org A,2015,1000.0",
        "b,Org B,2015,500.0",
        "c,Org C,2018,1500.0",  # ac2 runs 2018-03 to 2019-06: half in each year
        "c,Org C,2019,1500.0",
        "d,Org D,2020,200.0",
        "e,Org E,2018,750.15",
        "e,Org E,2019,750.15",
    ]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--level", "org", "--per-inhabitant"], "--per-inhabitant needs --level region or country"),
        (["--spread"], "--spread needs --by year"),
    ],
)
def test_the_funding_command_refuses_options_that_mean_nothing(tmp_path: Path, args: list[str], said: str) -> None:
    done = cli("funding", str(small.write(tmp_path)), *args)
    assert done.returncode == 2
    assert said in done.stderr


def test_money_among_some_keys_is_the_same_as_in_the_whole_network(unseen) -> None:
    """The Network page asks only for its drawn nodes' links: they must weigh what they weigh in the whole."""
    view = apply(unseen, Filters())
    whole = link_money(view, "org").set_index(["a", "b"])["contribution_eur"]
    some = np.array(sorted(totals(view, "org")["id"].head(40)), dtype=object)
    part = link_money(view, "org", among=some).set_index(["a", "b"])["contribution_eur"]
    inside = whole[whole.index.get_level_values("a").isin(some) & whole.index.get_level_values("b").isin(some)]
    assert len(part) == len(inside) > 20
    pd.testing.assert_series_equal(part.sort_index(), inside.sort_index(), rtol=1e-12)


@cf.needs_samples
def test_the_horizon_europe_sample_imported_gives_each_countrys_plain_sum(tmp_path: Path) -> None:
    """Issue 23's check: `clusternet import cordis` on the real sample, then `clusternet funding --level country`,
    equals a plain sum of the raw file's netEcContribution per country (Greece written EL there)."""
    out = tmp_path / "he"
    done = cli("import", "cordis", str(cf.HE_PROJECTS), str(cf.HE_ORGANIZATIONS), "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    money = cli("funding", str(out), "--level", "country", "--format", "json")
    assert money.returncode == 0, money.stderr
    got = {row["id"]: row["contribution_eur"] for row in json.loads(money.stdout)}
    raw = pd.read_csv(cf.HE_ORGANIZATIONS, dtype=str, keep_default_na=False)
    projects = set(pd.read_csv(cf.HE_PROJECTS, dtype=str, keep_default_na=False)["id"])
    raw = raw[raw["projectID"].isin(projects)]  # the import keeps each participation of a listed project
    amount = pd.to_numeric(raw["netEcContribution"].str.replace(",", ".", regex=False))
    plain = amount.groupby(raw["country"].replace({"EL": "GR", "UK": "GB"})).sum().round(2)
    assert len(plain) == 25 and "GR" in plain.index
    assert got == plain.to_dict()
    assert sum(got.values()) == pytest.approx(121_059_384.01, abs=0.005)
