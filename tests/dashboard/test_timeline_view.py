"""The Timeline page without a browser, in Italian (`?lang=it`): its headings, controls, captions, table headers,
download buttons and share controls say the catalogue's Italian; the controls' values stay the same."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Dataframe

from analysis import i18n, load_curated
from analysis.filters import Filters
from analysis.insights import Insights


def _page() -> None:
    from analysis.filters import Filters
    from dashboard import language, state
    from dashboard.views import timeline

    language.speak()
    state.use_filters(Filters(countries=("PL",)))
    timeline.render()


def headers(table: Dataframe) -> dict[str, str]:
    """A shown table's column headers, by column."""
    return {column: c["label"] for column, c in json.loads(table.proto.columns).items() if "label" in c}


def _italian() -> AppTest:
    page = AppTest.from_function(_page, default_timeout=120)
    page.query_params["lang"] = "it"
    return page.run()


def test_the_timeline_in_italian():
    page = _italian()
    assert not page.exception
    assert page.title[0].value == "Cronologia"
    assert [h.value for h in page.subheader] == ["Anno per anno", "Crescita anno per anno"]
    order, limit = page.selectbox
    assert (order.label, limit.label) == ("Ordine", "Disegna al massimo")
    assert order.value == "Start, earliest first"  # the value every language shares
    assert order.options[:2] == ["Data di inizio, dalla meno recente", "Data di inizio, dalla più recente"]
    items = len(Insights(load_curated(), Filters(countries=("PL",))).view.items)
    captions = [c.value for c in page.caption]
    with i18n.speaking("it"):
        expected = f"Il grafico mostra tutti i {i18n.integer(items)} accordi e azioni in vista, ordinati per data di"
    assert any(c.startswith(expected) and "◆ segna la firma di un accordo" in c for c in captions)
    assert any(c.startswith("Quell'anno: le organizzazioni e i legami") for c in captions)
    assert "**Le stesse righe in tabella**" in [m.value for m in page.markdown]
    table = page.dataframe[0].value
    assert list(table.columns)[:3] == ["title", "type", "kind"]  # headed in Italian at display only
    assert set(table["type"]) <= {"accordo", "azione"}


def test_the_timeline_table_headers_and_the_growth_scope_in_italian():
    page = _italian()
    rows, yearly, growth = page.dataframe[:3]
    assert headers(rows) == {
        "title": "Titolo",
        "type": "Categoria",
        "kind": "Tipo",
        "status": "Stato",
        "start": "Inizio",
        "end": "Fine",
        "precision": "Precisione",
        "organisations": "Organizzazioni",
        "drawn_from": "Disegnato dal",
        "drawn_to": "Disegnato fino al",
    }
    assert headers(yearly)["New partner countries"] == "Nuovi paesi partner"
    assert list(headers(growth).values()) == [
        "Anno",
        "Ambito",
        "Organizzazioni",
        "Legami",
        "Paesi",
        "Componenti",
        "Quota della componente più grande",
    ]
    assert set(growth.value["Scope"]) == {"quell'anno", "fino a quell'anno"}  # the values said; the column kept


def test_downloads_and_sharing_in_italian():
    page = _italian()
    labels = [b.proto.label for b in page.get("download_button")]
    assert labels[:5] == ["Immagine PNG", "Immagine SVG", "HTML interattivo", "Dati (CSV)", "Dati (XLSX)"]
    assert labels[-1] == "Pacchetto del rapporto (.zip)"
    assert page.expander[-1].label == "Condividi questa vista e scarica un rapporto"
    assert page.markdown[-1].value.startswith("**Condividi questa vista**: questo link apre la stessa pagina")


def test_english_stays_as_it_was():
    page = AppTest.from_function(_page, default_timeout=120).run()
    assert not page.exception
    assert page.title[0].value == "Timeline"
    labels = [b.proto.label for b in page.get("download_button")]
    assert labels[:5] == ["PNG image", "SVG image", "Interactive HTML", "Data (CSV)", "Data (XLSX)"]
    assert page.selectbox[0].options[0] == "Start, earliest first"


def _funded_page() -> None:
    from analysis.filters import Filters
    from dashboard import language, state
    from dashboard.views import timeline

    language.speak()
    state.use_filters(Filters())
    timeline.render()


def test_eu_contribution_per_year_by_start_or_spread(tmp_path, monkeypatch):
    from analysis.dataset import DATA_ENV
    from tests import small

    monkeypatch.setenv(DATA_ENV, str(small.write_funded(tmp_path)))
    page = AppTest.from_function(_funded_page, default_timeout=120).run()
    assert not page.exception
    assert "EU contribution per year" in [h.value for h in page.subheader]
    control = next(b for b in page.get("button_group") if b.key == "timeline_spread")
    table = next(d.value for d in page.dataframe if "contribution_eur" in d.value.columns)
    assert dict(zip(table["year"], table["contribution_eur"], strict=True)) == {
        2015: 1500,
        2018: 4500.30,
        2020: 200,
    }
    assert any(
        c.value.startswith("Each participation's amount is counted in the year its action starts.")
        for c in page.caption
    )
    control.set_value(True).run()
    table = next(d.value for d in page.dataframe if "contribution_eur" in d.value.columns)
    assert dict(zip(table["year"], table["contribution_eur"], strict=True)) == {
        2015: 1500,
        2018: 2250.15,  # ac2 runs 2018-03 to 2019-06: half of c's 3,000 and e's 1,500.30 in each year
        2019: 2250.15,
        2020: 200,
    }
    assert any("spread evenly over the calendar years" in c.value for c in page.caption)


def test_no_money_section_without_amounts():
    page = AppTest.from_function(_page, default_timeout=120).run()
    assert "EU contribution per year" not in [h.value for h in page.subheader]
