"""One organisation's numbers (analysis.organisation) on tests/small.py, worked by hand (see its docstring), and on an
unseen synthetic dataset against plain pandas on the raw tables."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import i18n, load_dataset, synthetic
from analysis.filters import Filters
from analysis.insights import Insights
from analysis.organisation import Rank, known, money, organisation, ranks, reading
from tests import small


def test_the_partners_of_a_with_the_items_behind_each_tie(small_insights):
    org = organisation(small_insights, "a")
    assert org.status == "in_view"
    # a: ag1 with c, d, e; ag2 and ac1 with b. b shares two items, the others one each (ties by name).
    partners = org.partners
    assert list(partners["org_id"]) == ["b", "c", "d", "e"]
    assert list(partners["shared"]) == [2, 1, 1, 1]
    assert list(partners["items"]) == ["agreement:ag2;action:ac1", "agreement:ag1", "agreement:ag1", "agreement:ag1"]
    assert list(partners["titles"]) == ["Memo; Call", "Protocol", "Protocol", "Protocol"]
    assert dict(zip(org.countries["country"], org.countries["partners"], strict=True)) == {
        "DE": 1,
        "IT": 1,
        "PL": 1,
        "PT": 1,
    }
    assert list(org.regions["nuts2"]) == ["DE11", "ITF4", "PL91", "PT11"]
    assert list(org.regions["name"])[1] == "Puglia"
    assert org.items_in_dataset == 3
    assert list(org.items["item"]) == ["agreement:ag1", "action:ac1", "agreement:ag2"]  # by start: 2014, 2015, 2016
    assert list(org.items["role"].fillna("")) == ["signatory", "", "signatory"]
    assert org.item_counts() == {"agreement": 2, "action": 1}
    assert org.identity is not None and (org.identity.name, org.identity.country) == ("Org A", "IT")
    assert (org.identity.nuts2, org.identity.region) == ("ITF4", "Puglia")
    assert list(org.identity.sources["title"]) == ["Made up for tests"]
    assert org.source_ids == ("s",)


def test_a_partner_without_a_region_is_counted_apart(small_insights):
    org = organisation(small_insights, "c")
    # c: ag1 with a, d, e; ac2 with e and f (DE, no region).
    assert list(zip(org.partners["org_id"], org.partners["shared"], strict=True)) == [
        ("e", 2),
        ("a", 1),
        ("d", 1),
        ("f", 1),
    ]
    assert org.partners["items"].iloc[0] == "agreement:ag1;action:ac2"
    assert list(zip(org.countries["country"], org.countries["partners"], strict=True)) == [
        ("DE", 2),
        ("IT", 1),
        ("PT", 1),
    ]
    assert list(org.regions["nuts2"]) == ["DE11", "ITF4", "PT11"]
    assert org.partners_without_region == 1


def test_unknown_outside_and_in_view(small_data):
    whole = Insights(small_data, Filters())
    assert organisation(whole, "no-such-org").status == "unknown"
    assert organisation(whole, "no-such-org").identity is None
    assert (known(whole.view, "no-such-org"), known(whole.view, "g"), known(whole.view, "a")) == (False, True, True)
    idle = organisation(whole, "g")  # in the dataset, in no agreement and no action
    assert (idle.status, idle.items_in_dataset, idle.identity.name) == ("outside", 0, "Org G")
    poland = Insights(small_data, Filters(countries=("PL",)))  # ag1 and ac2 involve c
    b = organisation(poland, "b")
    assert (b.status, b.items_in_dataset, b.partners.empty) == ("outside", 2, True)
    a = organisation(poland, "a")
    assert a.status == "in_view"
    assert list(a.partners["org_id"]) == ["c", "d", "e"]  # through ag1 only: ag2 and ac1 are out of view
    assert list(a.items["item"]) == ["agreement:ag1"]


def test_ranks_share_the_best_place_on_ties(small_insights):
    metrics = small_insights.metrics("org")
    # Degrees: a, c, e 4; d 3; f 2; b 1. Betweenness (normalised by 2/(5*4)): a 0.4 (b's only way out), c and e
    # 0.15 each (half of a-f, b-f, d-f). Brokerage: a, c, d, e reach 3 other countries, f 1 (PL), b none.
    assert ranks(metrics, "a") == [
        Rank("degree", 4, 1, 6),
        Rank("betweenness", pytest.approx(0.4), 1, 6),
        Rank("brokerage", 3, 1, 6),
    ]
    assert ranks(metrics, "e") == [
        Rank("degree", 4, 1, 6),
        Rank("betweenness", pytest.approx(0.15), 2, 6),
        Rank("brokerage", 3, 1, 6),
    ]
    assert [r.rank for r in ranks(metrics, "d")] == [4, 4, 1]
    assert [r.rank for r in ranks(metrics, "b")] == [6, 4, 6]


def test_a_metric_still_being_computed_has_no_rank(small_insights):
    quick = small_insights.quick_metrics("org")  # betweenness missing, as on a large network before it is done
    degree, betweenness, _brokerage = ranks(quick, "f")
    assert (degree.value, degree.rank) == (2, 5)
    assert (betweenness.value, betweenness.rank, betweenness.ranked) == (None, None, 6)


def test_the_reading_in_english_and_italian(small_data, small_insights):
    names = small_data.country_names()
    assert reading(organisation(small_insights, "c"), names) == [
        "Org C worked with 4 organisations in 3 countries, most often with Org E (2 shared agreements and actions).",
        "It took part in 1 agreement and 1 action in view.",
        "Its partners are most often from Germany (2 partners); 4 from outside Poland.",
    ]
    assert reading(organisation(small_insights, "d"), names)[0] == (
        "Org D worked with 3 organisations in 3 countries, most often with Org A, Org C and Org E "
        "(1 shared agreement or action each)."
    )
    assert reading(organisation(small_insights, "b"), names)[2] == "All its partners are from Italy."
    assert reading(organisation(small_insights, "g"), names) == []
    with i18n.speaking("it"):
        said = reading(organisation(small_insights, "c"), small_data.country_names())
    assert said == [
        "Org C ha lavorato con 4 organizzazioni in 3 paesi, più spesso con Org E (2 accordi e azioni in comune).",
        "Ha preso parte a 1 accordo e 1 azione in vista.",
        "Paese con più partner: Germania (2 partner); partner fuori dal suo paese (Polonia): 4.",
    ]


@pytest.fixture(scope="module")
def funded(tmp_path_factory):
    result = load_dataset(small.write_funded(tmp_path_factory.mktemp("funded")))
    assert result.dataset is not None
    return Insights(result.dataset, Filters())


def test_money_by_year_as_the_funding_measure_says(funded):
    c = money(funded, "c", spread=True)  # ac2 2018-03 to 2019-06: 3000 over two calendar years
    assert (c.contribution_eur, c.participations, c.without_amount) == (3000.0, 1, 0)
    assert c.by_year.to_dict("list") == {"year": [2018, 2019], "contribution_eur": [1500.0, 1500.0]}
    assert money(funded, "c").by_year.to_dict("list") == {"year": [2018], "contribution_eur": [3000.0]}
    f = money(funded, "f")  # in ac2 without an amount: unknown, not zero
    assert (f.contribution_eur, f.participations, f.without_amount) == (None, 1, 1)
    e = money(funded, "e")
    totals = funded.funding("org").set_index("id")
    assert e.contribution_eur == pytest.approx(totals.loc["e", "contribution_eur"]) == pytest.approx(1500.30)
    assert money(funded, "a").by_year.to_dict("list") == {"year": [2015], "contribution_eur": [1000.0]}
    assert reading(organisation(funded, "f"), {}, money(funded, "f"))[-1] == (
        "None of its 1 participation in actions in view carries an amount."
    )
    assert reading(organisation(funded, "a"), {}, money(funded, "a"))[-1] == (
        "It received 1,000 EUR of EU contribution in view."
    )


def test_no_money_without_amounts(small_insights):
    assert money(small_insights, "a") is None


# --- An unseen dataset against plain pandas --------------------------------------------------------------------------


def memberships(folder) -> pd.DataFrame:
    """item, org_id: every party to an agreement and participant in an action, read from the raw CSV files."""
    parties = pd.read_csv(folder / "agreement_parties.csv", dtype=str)
    participants = pd.read_csv(folder / "action_participants.csv", dtype=str)
    return pd.concat(
        [
            pd.DataFrame({"item": "agreement:" + parties["agreement_id"], "org_id": parties["org_id"]}),
            pd.DataFrame({"item": "action:" + participants["action_id"], "org_id": participants["org_id"]}),
        ],
        ignore_index=True,
    )


def most_connected(folder) -> tuple[str, pd.DataFrame]:
    """The organisation with the most distinct partners (ties: the smallest id) and its partners with the number of
    items shared, computed independently: partners are other organisations sharing an agreement or action."""
    members = memberships(folder)
    pairs = members.merge(members, on="item", suffixes=("", "_partner"))
    pairs = pairs[pairs["org_id"] != pairs["org_id_partner"]]
    degree = pairs.groupby("org_id")["org_id_partner"].nunique()
    top = degree[degree == degree.max()].index.min()
    shared = pairs[pairs["org_id"] == top].groupby("org_id_partner")["item"].nunique()
    return top, shared.rename("shared").rename_axis("org_id").reset_index()


@pytest.fixture(scope="module")
def unseen(tmp_path_factory):
    folder = synthetic.write(tmp_path_factory.mktemp("unseen"), synthetic.generate(300, 50, 160, seed=4711))
    result = load_dataset(folder)
    assert result.dataset is not None
    return folder, Insights(result.dataset, Filters())


def test_the_most_connected_organisation_of_an_unseen_dataset(unseen):
    folder, insights = unseen
    top, expected = most_connected(folder)
    org = organisation(insights, top)
    assert org.status == "in_view"
    assert len(org.partners) == len(expected) > 20
    found = org.partners.set_index("org_id")["shared"].sort_index()
    assert found.to_dict() == expected.set_index("org_id")["shared"].sort_index().to_dict()
    members = memberships(folder)
    assert len(org.items) == members.loc[members["org_id"] == top, "item"].nunique()
    countries = pd.read_csv(folder / "organisations.csv", dtype=str, keep_default_na=False).set_index("org_id")
    partner_countries = countries.loc[expected["org_id"], "country"].value_counts()
    assert org.countries.set_index("country")["partners"].to_dict() == partner_countries.to_dict()
    words = reading(org, insights.dataset.country_names())[0]
    assert words.startswith(
        f"{org.identity.name} worked with {len(expected)} organisations in {partner_countries.size} countries, "
    )
    # The organisation network in view agrees: its degree is the number of partners.
    assert ranks(insights.quick_metrics("org"), top)[0].value == len(expected)
    assert ranks(insights.quick_metrics("org"), top)[0].rank == 1
