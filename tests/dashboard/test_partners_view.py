"""The Partners page's logic without a browser: the URL sets the organisation and the candidates' countries, the
table has its columns, best first, and an organisation out of view is said, not raised."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from analysis import load_curated
from analysis.filters import Filters
from analysis.insights import Insights
from dashboard.safe import md


def _page() -> None:
    import streamlit as st

    from analysis.filters import Filters
    from dashboard import state
    from dashboard.views import partners

    state.use_filters(Filters(countries=tuple(st.session_state.get("countries", ()))))
    partners.render()


def test_the_url_chooses_the_organisation_and_the_candidates():
    page = AppTest.from_function(_page, default_timeout=60)
    page.query_params["org"] = "puglia-creativa"
    page.query_params["in"] = "PL,DE"
    page.run()
    assert not page.exception
    table = page.dataframe[0].value
    assert list(table.columns) == ["Organisation", "Country", "Score", "Shared partners", "Reasons"]
    found = Insights(load_curated(), Filters()).partners("org").suggest("puglia-creativa", ("PL", "DE"))
    assert list(table["Organisation"]) == [s.label for s in found]
    assert set(table["Country"]) <= {"PL", "DE"}
    assert table["Score"].is_monotonic_decreasing
    assert table["Reasons"].iloc[0].startswith(found[0].reasons[0])


def test_an_organisation_out_of_view_is_said():
    page = AppTest.from_function(_page, default_timeout=60)
    page.session_state["countries"] = ("PL",)
    page.query_params["org"] = "no-such-org"
    page.run()
    assert not page.exception
    assert page.warning[0].value.endswith("ignored: " + md("organisation no-such-org (not in view)"))
    assert page.info[-1].value == "Choose an organisation to see who it might work with next."
