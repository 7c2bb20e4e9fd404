"""A hub's long tables without a browser: its page and the Network page's details of it show the first rows
(dashboard.downloads.SHOWN_ROWS), say how many there are, and offer every row as CSV."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.downloads import SHOWN_ROWS
from tests import factory

MEMBERS = SHOWN_ROWS + 200  # each in an action of its own with the hub: as many partners, actions and sources


@pytest.fixture(scope="module")
def hub_data(tmp_path_factory):
    tables = factory.tables()
    for n in range(MEMBERS):
        org, action = f"member-{n:04d}", f"meeting-{n:04d}"
        tables["organisations"].append(
            {"org_id": org, "name": f"Member {n:04d}", "kind": "company", "country": "PL", "nuts2": "", "city": "",
             "lat": "", "lon": "", "sectors": "", "website": "", "source_ids": "src-a"}
        )  # fmt: skip
        tables["actions"].append(
            {"action_id": action, "title": f"Meeting {n:04d}", "kind": "event", "start": "2018", "end": "",
             "status": "completed", "agreement_id": "", "city": "", "country": "", "participants_count": "",
             "budget_eur": "", "summary": "", "source_ids": "src-a;src-b"}
        )  # fmt: skip
        tables["action_participants"] += [
            {"action_id": action, "org_id": "klaster-lodz", "role": "organiser"},
            {"action_id": action, "org_id": org, "role": "participant"},
        ]
    return factory.write(tmp_path_factory.mktemp("hub") / "data", tables)


def _organisation() -> None:
    from dashboard import language
    from dashboard.views import organisation

    language.speak()
    organisation.render()


def _network() -> None:
    from dashboard import language
    from dashboard.views import network

    language.speak()
    network.render()


def _open(monkeypatch, data, page, **query: str) -> AppTest:
    from analysis.dataset import DATA_ENV

    monkeypatch.setenv(DATA_ENV, str(data))
    test = AppTest.from_function(page, default_timeout=60)
    for key, value in query.items():
        test.query_params[key] = value
    return test.run()


def _said(total: int) -> str:
    return f"The first {SHOWN_ROWS:,} of {total:,} rows; the CSV holds them all."


def _downloads(page: AppTest) -> list[str]:
    return [button.proto.label for button in page.get("download_button")]


def test_the_page_of_a_hub_shows_its_first_partners_and_offers_them_all(monkeypatch, hub_data):
    page = _open(monkeypatch, hub_data, _organisation, id="klaster-lodz")
    assert not page.exception
    partners = MEMBERS + 2  # and porto-design (an agreement) and tokyo-content (an action)
    assert _said(partners) in [c.value for c in page.caption]
    table = next(frame.value for frame in page.dataframe if "shared" in frame.value.columns)
    assert len(table) == SHOWN_ROWS
    assert {"Every partner (CSV)", "Every partner (XLSX)"} <= set(_downloads(page))


def test_the_network_details_of_a_hub_show_their_first_rows_and_offer_them_all(monkeypatch, hub_data):
    page = _open(monkeypatch, hub_data, _network, node="klaster-lodz")
    assert not page.exception
    captions = [c.value for c in page.caption]
    items, partners, sources = MEMBERS + 2, MEMBERS + 2, 2 * MEMBERS + 2  # two sources for each meeting
    assert {_said(items), _said(sources)} <= set(captions)
    assert _said(partners) in captions
    shown = [len(frame.value) for frame in page.dataframe]
    assert shown.count(SHOWN_ROWS) == 3
    assert {"Its agreements and actions (CSV)", "Every partner (CSV)", "Sources (CSV)"} <= set(_downloads(page))
