"""An upload is this session's alone: its own key for every cache, its Insights kept in its session state."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script() -> None:
    import streamlit as st

    from analysis.filters import Filters
    from analysis.upload import load_upload
    from dashboard import state
    from tests import factory

    if "uploaded" not in st.session_state:
        files = [(f"{name}.csv", factory.csv_text(rows).encode()) for name, rows in factory.tables().items()]
        state.use_upload(load_upload(files).dataset)
        st.session_state.uploaded = True
    state.use_filters(Filters(countries=("PL",)) if st.session_state.get("poland") else Filters())
    insights = state.current()
    assert insights is state.current()  # the second call is answered by this session's own cache
    st.text(insights.dataset.fingerprint)
    st.text(str(insights.kpis()["Organisations"]))
    st.text(" ".join(sorted(key[0] for _, key in st.session_state[state.UPLOAD_CACHE_KEY])))
    if st.session_state.get("back"):
        state.drop_upload()
        st.text(state.dataset().name)


def test_the_same_bytes_in_two_sessions_get_different_keys_and_a_private_cache():
    first, second = AppTest.from_function(_script).run(), AppTest.from_function(_script).run()
    assert not first.exception and not second.exception
    fingerprint = first.text[0].value
    assert fingerprint.startswith("upload-") and fingerprint != second.text[0].value
    assert first.text[1].value == "5"
    first.session_state["poland"] = True
    first.run()
    assert first.text[0].value == fingerprint  # a rerun keeps the upload
    assert first.text[1].value == "3"  # Poland and its partners
    assert first.text[2].value == "view view"  # one entry per filters used, in this session's state
    first.session_state["back"] = True
    first.run()
    assert first.text[3].value.startswith("ClusterNet")
