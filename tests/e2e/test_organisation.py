"""The page of one organisation in a real browser, on a synthetic dataset the page was not made for: the most
connected organisation's partners, agreements and actions and partner countries equal a plain pandas reading of the
raw tables; a wrong id says so; an organisation outside the view links to its page on the whole dataset; Italian; no
serious axe-core violation."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from axe_playwright_python.sync_playwright import Axe

from analysis import i18n
from tests.e2e.conftest import App, charts_drawn, open_app, rerun_done

GRID = "[data-testid=stDataFrame] [role=grid]"
TILES_JS = """(expected) => {
    const read = (id) => [...document.querySelectorAll(`[data-testid=${id}]`)].map((e) => e.innerText.trim());
    const labels = read("stMetricLabel"), values = read("stMetricValue");
    const shown = Object.fromEntries(labels.map((l, i) => [l, values[i]]));
    return Object.entries(expected).every(([label, value]) => shown[label] === value);
}"""


def raw(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)


def memberships(folder: Path) -> pd.DataFrame:
    """item, org_id, contribution_eur: every party to an agreement and participant in an action, from the raw CSVs."""
    parties, participants = raw(folder, "agreement_parties"), raw(folder, "action_participants")
    return pd.concat(
        [
            pd.DataFrame({"item": "agreement:" + parties["agreement_id"], "org_id": parties["org_id"]}),
            pd.DataFrame(
                {
                    "item": "action:" + participants["action_id"],
                    "org_id": participants["org_id"],
                    "contribution_eur": pd.to_numeric(participants["contribution_eur"]),
                }
            ),
        ],
        ignore_index=True,
    )


@pytest.fixture(scope="module")
def unseen(synthetic_app: App) -> tuple[App, dict[str, object]]:
    """The shared synthetic server (seed 31) and its most connected organisation (most distinct partners, ties by the
    smallest id), read with plain pandas: partners are other organisations sharing an agreement or action."""
    folder = synthetic_app.data
    assert folder is not None
    members = memberships(folder)
    pairs = members[["item", "org_id"]].merge(members[["item", "org_id"]], on="item", suffixes=("", "_partner"))
    pairs = pairs[pairs["org_id"] != pairs["org_id_partner"]]
    degree = pairs.groupby("org_id")["org_id_partner"].nunique()
    top = str(degree[degree == degree.max()].index.min())
    countries = raw(folder, "organisations").set_index("org_id")["country"]
    partners = pairs.loc[pairs["org_id"] == top, "org_id_partner"].unique()
    mine = members[members["org_id"] == top]
    organisations_csv = raw(folder, "organisations")
    # Only actions, all over by 2027: outside the view of a period from 2030 on (open-ended agreements reach it).
    in_agreements = set(members.loc[members["item"].str.startswith("agreement:"), "org_id"])
    idle = sorted(set(members["org_id"]) - in_agreements)[0]
    return synthetic_app, {
        "id": top,
        "name": organisations_csv.set_index("org_id").loc[top, "name"],
        "partners": len(partners),
        "countries": countries.loc[partners].nunique(),
        "agreements": int(mine["item"].str.startswith("agreement:").sum()),
        "actions": int(mine["item"].str.startswith("action:").sum()),
        "contribution": float(mine["contribution_eur"].sum()),
        "idle": idle,
    }


SERVED: set[str] = set()


def visit(page, app: App, path: str) -> None:
    """Open a page of the app (its root first, once per server: a deep link then resolves) and wait until drawn."""
    if app.url not in SERVED:
        open_app(page, app.url)
        SERVED.add(app.url)
    open_app(page, f"{app.url}/{path}")
    assert page.locator("[data-testid=stException]").count() == 0


def wait_tiles(page, expected: dict[str, str]) -> None:
    """Until the tiles named read as expected (the browser draws them one by one after the run)."""
    page.wait_for_function(TILES_JS, arg=expected, polling=100, timeout=30_000)


def serious_violations(page) -> list[str]:
    found = Axe().run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in found if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.e2e
def test_the_most_connected_organisation_as_pandas_reads_it(unseen, page):
    app, top = unseen
    visit(page, app, f"organisation?id={top['id']}")
    with i18n.speaking("en"):
        expected = {
            "Partners": i18n.integer(top["partners"]),
            "Partner countries": i18n.integer(top["countries"]),
            "Agreements": i18n.integer(top["agreements"]),
            "Actions": i18n.integer(top["actions"]),
            "EU contribution": i18n.euros(top["contribution"]),
            "Degree": i18n.integer(top["partners"]),
        }
    wait_tiles(page, expected)
    body = page.inner_text("body")
    assert f"{top['name']} worked with {top['partners']} organisations in {top['countries']} countries" in body
    assert page.locator("h1").first.inner_text().strip() == top["name"]
    # The partners table lists every partner (the grid reports its rows to assistive technology).
    counts = [int(g.get_attribute("aria-rowcount")) - 1 for g in page.locator(GRID).all()]
    assert top["partners"] in counts
    charts_drawn(page)
    assert page.locator("[data-testid=stPlotlyChart]").count() >= 4  # timeline, partners, map, money by year
    assert serious_violations(page) == []


@pytest.mark.e2e
def test_a_wrong_id_says_so(unseen, page):
    app, _top = unseen
    visit(page, app, "organisation?id=no-such-organisation")
    body = page.inner_text("body")
    assert "Organisation not found" in body
    assert "No organisation of this dataset has the id no-such-organisation." in body
    assert "Search in the sidebar" in body


@pytest.mark.e2e
def test_outside_the_view_it_links_to_the_whole_dataset(unseen, page, context):
    app, top = unseen
    visit(page, app, f"organisation?id={top['idle']}&from=2030")
    body = page.inner_text("body")
    assert "is not in this view: none of its" in body
    link = page.get_by_role("link", name="Open its page with no filters")
    with context.expect_page() as opened:
        link.click()
    wider = opened.value
    try:
        wider.wait_for_selector("[data-testid=stMetricValue]", timeout=60_000)
        assert "from=" not in wider.url and f"id={top['idle']}" in wider.url
        assert "is not in this view" not in wider.inner_text("body")
        assert wider.locator("[data-testid=stException]").count() == 0
    finally:
        wider.close()


@pytest.mark.e2e
def test_the_page_in_italian(unseen, page):
    app, top = unseen
    visit(page, app, f"organisation?id={top['id']}&lang=it")
    with i18n.speaking("it"):
        wait_tiles(
            page,
            {
                "Partner": i18n.integer(top["partners"]),
                "Paesi partner": i18n.integer(top["countries"]),
                "Accordi": i18n.integer(top["agreements"]),
                "Azioni": i18n.integer(top["actions"]),
            },
        )
    body = page.inner_text("body")
    assert f"{top['name']} ha lavorato con {top['partners']} organizzazioni in {top['countries']} paesi" in body
    headings = [h.strip() for h in page.locator("h2, h3").all_inner_texts() if h.strip()]
    assert "I suoi partner" in headings and "Dove si trovano i suoi partner" in headings
    assert page.evaluate("document.documentElement.lang") == "it"
    charts_drawn(page)
    assert serious_violations(page) == []


# The focused link's text (the page's main section takes the focus too, and holds every text).
FOCUSED_JS = (
    "() => document.activeElement && document.activeElement.tagName === 'A' ? document.activeElement.innerText : ''"
)


@pytest.mark.e2e
def test_the_keyboard_reaches_the_partners_page(unseen, page):
    app, top = unseen
    visit(page, app, f"organisation?id={top['id']}")
    target = "More suggested partners, with the reasons: the Partners page"
    for _ in range(500):  # every focusable element of the page in turn, as an analyst without a mouse goes
        page.keyboard.press("Tab")
        if target in page.evaluate(FOCUSED_JS):
            break
    else:
        pytest.fail(f"Tab never reached {target!r}")
    page.keyboard.press("Enter")
    rerun_done(page)
    assert "/partners" in page.url and f"org={top['id']}" in page.url
    assert page.locator("[data-testid=stException]").count() == 0


@pytest.mark.e2e
def test_the_search_leads_from_one_organisation_to_another(unseen, page):
    app, top = unseen
    visit(page, app, f"organisation?id={top['id']}&from=2010")
    other = top["idle"]
    box = page.locator("[data-testid=stSidebar]").get_by_label("Search", exact=True)
    box.click()
    box.press_sequentially(other)  # an id typed whole comes first
    hit = page.locator("[data-testid=stSidebar] [data-testid=stPageLink] a").first
    hit.wait_for()
    rerun_done(page)  # the box's own run
    hit.click()
    rerun_done(page)
    # A link to the page it is on leaves the browser's address as it was: the page writes its id again.
    page.wait_for_url(re.compile(rf"[?&]id={other}(&|$)"))
    assert "from=2010" in page.url
    assert (
        page.locator("h1").first.inner_text().strip()
        == raw(app.data, "organisations").set_index("org_id").loc[other, "name"]
    )
    assert page.locator("[data-testid=stException]").count() == 0
