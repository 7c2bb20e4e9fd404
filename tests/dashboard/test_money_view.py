"""The Money page without a browser: a place's money by partner adds up, in English and Italian, and a dataset
without amounts says how to give them."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from analysis import i18n


def _page() -> None:
    from analysis.filters import Filters
    from dashboard import language, state
    from dashboard.views import money

    language.speak()
    state.use_filters(Filters())
    money.render()


def _open(monkeypatch, path, lang: str = "en") -> AppTest:
    from analysis.dataset import DATA_ENV

    if path is not None:
        monkeypatch.setenv(DATA_ENV, str(path))
    page = AppTest.from_function(_page, default_timeout=60)
    page.query_params["lang"] = lang
    return page.run()


def test_the_place_that_received_most_is_shown_first_with_its_partners(tmp_path, monkeypatch):
    from tests import small

    page = _open(monkeypatch, small.write_funded(tmp_path))
    assert not page.exception
    assert page.title[0].value == "Money through partnerships"
    assert page.selectbox[0].value == "PL91"  # 3,000 EUR, the most
    tiles = {m.label: m.value for m in page.metric}
    assert tiles == {
        "EU contribution": "3,000 EUR",
        "In actions with partners": "3,000 EUR",
        "In actions without partners in view": "0 EUR",
        "Through actions coordinated elsewhere": "0.0%",  # c leads ac2
    }
    partners = page.dataframe[0].value
    assert list(partners["partner"]) == ["DE11", "unknown"]
    assert list(partners["partner_name"]) == ["Stuttgart", "partners without a region"]
    assert partners["contribution_eur"].sum() == 3000
    page.selectbox[0].set_value("DE11").run()
    tiles = {m.label: m.value for m in page.metric}
    assert tiles["EU contribution"] == "1,500 EUR" and tiles["Through actions coordinated elsewhere"] == "100.0%"


def test_countries_in_italian_keep_money_within_a_country_apart(tmp_path, monkeypatch):
    from tests import small

    page = _open(monkeypatch, small.write_funded(tmp_path), "it")
    assert not page.exception
    assert page.title[0].value == "Fondi attraverso i partenariati"
    with i18n.speaking("it"):  # AppTest names the choices with the page's format_func, here, outside the page's run
        page.get("button_group")[0].set_value("country").run()
        page.selectbox[0].set_value("DE").run()
    partners = page.dataframe[0].value
    assert list(partners["partner_name"]) == ["Germania (partner nello stesso luogo)", "Polonia"]
    assert list(partners["contribution_eur"]) == [750.15, 750.15]
    assert {m.label: m.value for m in page.metric}["Contributo UE"] == "1.500 EUR"


def test_a_dataset_without_amounts_says_how_to_give_them(monkeypatch):
    page = _open(monkeypatch, None)
    assert not page.exception
    assert "contribution_eur of action_participants.csv" in page.info[1].value
    assert not page.metric
