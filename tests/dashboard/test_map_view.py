"""The Map page's words without a browser: English as before, Italian when the URL says `lang=it` (tests/e2e/test_map.py
draws the map itself)."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest


def _page() -> None:
    import streamlit as st

    from analysis.filters import Filters
    from dashboard import language, state
    from dashboard.views import map

    language.speak()  # English unless the URL says `lang`, as dashboard/app.py does before any page
    state.use_filters(Filters())
    st.session_state.setdefault(map.PLACE_KEY, "ITF4")  # Puglia chosen, as a click on the map would
    map.render()


def _headers(table) -> list[str]:
    """The column headers the page shows (column_config labels), in order."""
    return [column["label"] for column in json.loads(table.proto.columns).values() if "label" in column]


def test_the_page_in_english():
    page = AppTest.from_function(_page, default_timeout=60).run()
    assert not page.exception
    assert page.title[0].value == "Map"
    chooser = page.selectbox[0]
    assert chooser.label == "Organisations of region"
    assert "Puglia (ITF4, Italy)" in chooser.options  # the dataset's own country name
    assert page.caption[1].value.startswith("Drawn: all ")
    assert page.dataframe[2].value["kind"].iloc[0] == "cluster"  # the region's organisations: kinds in words


def test_the_page_in_italian():
    page = AppTest.from_function(_page, default_timeout=60)
    page.query_params["lang"] = "it"
    page.run()
    assert not page.exception
    assert page.title[0].value == "Mappa"
    assert [h.value for h in page.subheader] == ["Organizzazioni di una regione", "La mappa in tabelle"]
    chooser = page.selectbox[0]
    assert chooser.label == "Organizzazioni della regione"
    assert "Puglia (ITF4, Italia)" in chooser.options  # ISO's Italian name
    assert any(option.endswith(" (intero paese)") for option in chooser.options)
    assert page.caption[1].value.startswith("Sulla mappa: tutte le ")
    assert page.caption[2].value.startswith("Collocate al centroide: ")
    legend, shading, organisations, regions = page.dataframe[:4]
    assert _headers(shading) == ["Tonalità", "Accordi e azioni"]
    assert "Italia" in set(legend.value["country"])
    assert _headers(legend) == ["Colore", "Paese", "Organizzazioni in vista"]
    assert _headers(regions)[:3] == ["Regione", "Nome", "Paese"]
    assert list(regions.value.columns)[:3] == ["region", "name", "country"]  # the downloads' names stay
    kinds = set(organisations.value["kind"])
    assert "impresa" in kinds or "cluster" in kinds
    assert "company" not in kinds
    markdown = [m.value for m in page.markdown]
    assert "**Come leggerla**" in markdown and "**Organizzazioni, colorate per paese**" in markdown
    assert any(m.startswith("**") and m.endswith(" regioni (NUTS 2)**") for m in markdown)


def _funded_page() -> None:
    from analysis.filters import Filters
    from dashboard import language, state
    from dashboard.views import map

    language.speak()
    state.use_filters(Filters())
    map.render()


def _funded(tmp_path, monkeypatch, measure: str | None = None, lang: str = "en") -> AppTest:
    from analysis.dataset import DATA_ENV
    from tests import small

    monkeypatch.setenv(DATA_ENV, str(small.write_funded(tmp_path)))
    page = AppTest.from_function(_funded_page, default_timeout=60)
    page.query_params["lang"] = lang
    if measure:
        page.query_params["measure"] = measure
    return page.run()


def test_a_link_with_measure_contribution_shades_regions_by_eu_contribution(tmp_path, monkeypatch):
    page = _funded(tmp_path, monkeypatch, "contribution")
    assert not page.exception
    control = page.get("button_group")[0]
    assert control.label == "Shade regions by"
    assert control.value == "contribution"
    shading = page.dataframe[1].value
    assert list(shading["contribution_eur"]) == ["188 EUR", "750 EUR", "1,500 EUR", "3,000 EUR"]  # top / 16 .. top
    regions = page.dataframe[2].value.set_index("region")
    assert regions.loc["PL91", "contribution_eur"] == 3000
    assert regions.loc["DE11", "contribution_eur"] == 1500.30
    assert any("is shaded by its EU contribution: sum of contribution_eur" in m.value for m in page.markdown)


def test_per_inhabitant_divides_by_eurostat_population_and_counts_what_it_cannot(tmp_path, monkeypatch):
    from analysis.geography import population

    page = _funded(tmp_path, monkeypatch, "contribution_per_inhabitant", "it")
    assert not page.exception
    regions = page.dataframe[2].value.set_index("region")
    people = population("region")
    assert regions.loc["ITF4", "population"] == people["ITF4"]
    assert regions.loc["ITF4", "contribution_per_inhabitant_eur"] == 1500 / people["ITF4"]
    assert page.get("button_group")[0].label == "Ombreggia le regioni per"
    assert page.query_params["measure"] == "contribution_per_inhabitant"


def test_a_money_measure_on_a_dataset_without_amounts_is_named_and_ignored(monkeypatch):
    page = AppTest.from_function(_page, default_timeout=60)
    page.query_params["measure"] = "contribution"
    page.run()
    assert not page.exception
    assert page.warning[0].value == (
        "The link's measure contribution is ignored: this dataset carries no amounts (contribution_eur)."
    )
    control = page.get("button_group")[0]  # no money to shade by: counts only
    assert (control.options, control.value) == (["Agreements and actions", "Organisations"], "items")
    assert "measure" not in page.query_params


def test_a_links_measure_is_said_as_text_never_as_markdown():
    from dashboard.safe import md

    page = AppTest.from_function(_page, default_timeout=60)
    page.query_params["measure"] = "**x**[a](https://evil.example)"
    page.run()
    assert not page.exception
    assert page.warning[0].value == (
        f"The link's measure {md('**x**[a](https://evil.example)')} is ignored: not a measure of this page."
    )
