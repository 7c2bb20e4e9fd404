"""The Data page speaks the session's language: headings, buttons, the upload guide, the report of an upload and
the words of Streamlit's own file uploader; in English it is as it was."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script() -> None:
    import streamlit as st

    from analysis import i18n
    from analysis.load import read_files
    from analysis.validate import validate
    from dashboard.views import data
    from tests import factory

    i18n.set_language(st.session_state.get("lang", "en"))
    if data.REPORT not in st.session_state:
        tables = factory.tables()
        tables["organisations"][3]["country"] = "XX"
        tables["actions"][0]["end"] = "2017-02-30"
        files = {f"{name}.csv": factory.csv_text(rows).encode() for name, rows in tables.items()}
        problems = tuple(validate(read_files(files, "broken.zip")))
        st.session_state[data.REPORT] = data.Report("broken.zip", problems, loaded=False)
    data.render()


def _page(language: str) -> AppTest:
    app = AppTest.from_function(_script, default_timeout=60)
    app.session_state["lang"] = language
    app.run()
    assert not app.exception, app.exception
    return app


def _text(app: AppTest) -> str:
    parts = [e.value for kind in ("title", "subheader", "markdown", "caption", "error") for e in getattr(app, kind)]
    parts += [e.label for e in app.expander] + [b.label for b in app.button]
    return "\n".join(str(p) for p in parts)


def test_the_data_page_in_italian():
    app = _page("it")
    text = _text(app)
    assert app.title[0].value == "Dati"
    assert [s.value for s in app.subheader] == ["Dataset in uso", "Usa i tuoi dati", "Modello", "Le colonne"]
    assert "**Il dataset curato:**" in text
    assert (
        "broken\\.zip ha 2 problemi bloccanti, quindi non è cambiato nulla: le pagine mostrano ancora"
        in app.error[0].value
    )
    assert "organisations.csv (obbligatoria)" in text and "countries.csv (facoltativa)" in text
    assert "cluster, autorità pubbliche, agenzie, università" in text  # the contract's description of organisations.csv
    # the report: Italian headers, severities and messages; the contract's column names and the values as given
    tables = [t.value for t in app.table]
    report = next(t for t in tables if "problema e correzione" in t.columns)
    assert list(report.columns) == ["gravità", "riga", "colonna", "valore", "problema e correzione"]
    assert report.iloc[0].tolist()[:4] == ["errore", "5", "country", "XX"]
    assert report.iloc[0, 4] == r"paese sconosciuto\: usare un codice ISO 3166\-1 alpha\-2 come IT, DE, GR o GB"
    guide = next(t for t in tables if "significato" in t.columns)
    assert list(guide.columns) == ["colonna", "tipo", "obbligatoria", "significato", "regole", "esempio"]
    assert guide.iloc[0].tolist()[:3] == ["org\\_id", "identificatore", "sì"]
    # the uploader: its label and help in Italian, and the CSS that replaces Streamlit's own English words
    uploader = app.get("file_uploader")[0]
    assert uploader.proto.label == "Il tuo dataset (.zip, .csv o .xlsx)"
    assert uploader.proto.help.startswith("Fino a 50 MB in tutto.")
    css = "".join(e.proto.body for e in app.get("html"))
    assert 'content: "Carica"' in css and 'content: "Fino a 50 MB per file • ZIP, CSV, XLSX"' in css
    assert [b.proto.label for b in app.get("download_button")] == [
        "Scarica i problemi in CSV",
        "Modello come .zip di file CSV",
        "Modello come cartella di lavoro .xlsx",
    ]


def test_the_data_page_in_english_is_as_it_was():
    app = _page("en")
    text = _text(app)
    assert app.title[0].value == "Data"
    assert "**The curated dataset:**" in text and "organisations.csv (required)" in text
    assert "broken\\.zip has 2 blocking problems, so nothing was changed" in app.error[0].value
    report = next(t.value for t in app.table if "problem and fix" in t.value.columns)
    assert list(report.columns) == ["severity", "row", "column", "value", "problem and fix"]
    assert report.iloc[0].tolist()[:4] == ["error", "5", "country", "XX"]
    assert not app.get("html")  # no CSS over the uploader in English
