"""The filters in the sidebar, shared by every page and kept in the URL so a link reproduces the view.

URL keys: country (comma-separated ISO codes), from, to (contract dates), only=1, agreement_kind, action_kind,
org_kind (comma-separated). Widgets are seeded from the URL on a session's first run; after that the widgets
lead and the URL follows, on every page.
"""

from __future__ import annotations

import streamlit as st

from analysis.dataset import Dataset
from analysis.dates import DateError, parse_date
from analysis.filters import Filters, all_items
from analysis.schema import contract
from dashboard import state
from dashboard.safe import md

SEEDED = state.SEEDED_KEY
KIND_FIELDS = {
    "agreement_kind": ("agreements", "Agreement kinds"),
    "action_kind": ("actions", "Action kinds"),
    "org_kind": ("organisations", "Organisation kinds"),
}


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _kind_label(kind: str) -> str:
    return kind.replace("_", " ")


def _years(data: Dataset) -> tuple[int, int]:
    items = all_items(data)
    if items.empty:
        return 2000, 2030
    years = [d.year for d in items["first"]] + [d.year for d in items["last"] if d.year < 9999]
    return min(years), max(years)


@st.cache_data(show_spinner=False, hash_funcs={Dataset: lambda d: d.fingerprint})
def _shared_years(data: Dataset) -> tuple[int, int]:
    return _years(data)


def _year_range(data: Dataset) -> tuple[int, int]:
    """The years the Period slider spans; an upload's are kept in its session, not in the shared cache."""
    if state.upload() is None:
        return _shared_years(data)
    return state.per_session("year_range", lambda: _years(data))


def _seed_from_url(data: Dataset, countries: list[str]) -> list[str]:
    """Put the URL's filters into the widgets' state; return what had to be ignored, in words."""
    params = st.query_params
    ignored = []
    wanted = [c.upper() for c in _split(params.get("country"))]
    st.session_state["f_countries"] = [c for c in wanted if c in countries]
    ignored += [f"country {c}" for c in wanted if c not in countries]
    st.session_state["f_only"] = params.get("only") == "1"
    low, high = _year_range(data)
    for key, label in (("from", "period start"), ("to", "period end")):
        value = params.get(key)
        if value is None:
            st.session_state[f"f_{key}"] = None
            continue
        try:
            parse_date(value)
            st.session_state[f"f_{key}"] = value
        except DateError:
            st.session_state[f"f_{key}"] = None
            ignored.append(f"{label} {value}")
    first = int(st.session_state["f_from"][:4]) if st.session_state["f_from"] else low
    last = int(st.session_state["f_to"][:4]) if st.session_state["f_to"] else high
    st.session_state["f_years"] = (max(low, min(first, high)), min(high, max(last, low)))
    for key, (table, _) in KIND_FIELDS.items():
        allowed = contract()[table].field("kind").enum
        wanted = _split(params.get(key))
        st.session_state[f"f_{key}"] = [k for k in wanted if k in allowed]
        ignored += [f"{_kind_label(key)} {k}" for k in wanted if k not in allowed]
    st.session_state[SEEDED] = True
    return ignored


def _years_changed() -> None:
    """The slider speaks in years: moving it replaces any finer URL date."""
    low, high = _year_range(state.dataset())
    first, last = st.session_state["f_years"]
    st.session_state["f_from"] = None if first == low else str(first)
    st.session_state["f_to"] = None if last == high else str(last)


def _reset() -> None:
    for key in ("f_countries", *(f"f_{k}" for k in KIND_FIELDS)):
        st.session_state[key] = []
    st.session_state["f_only"] = False
    st.session_state["f_from"] = st.session_state["f_to"] = None
    st.session_state["f_years"] = _year_range(state.dataset())


def _to_url(filters: Filters) -> None:
    wanted = {}
    if filters.countries:
        wanted["country"] = ",".join(filters.countries)
    if filters.date_from:
        wanted["from"] = filters.date_from
    if filters.date_to:
        wanted["to"] = filters.date_to
    if filters.only_selected:
        wanted["only"] = "1"
    for key, chosen in (
        ("agreement_kind", filters.agreement_kinds),
        ("action_kind", filters.action_kinds),
        ("org_kind", filters.org_kinds),
    ):
        if chosen:
            wanted[key] = ",".join(chosen)
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)


def _filters() -> Filters:
    return Filters(
        countries=tuple(st.session_state["f_countries"]),
        only_selected=bool(st.session_state["f_only"]) and bool(st.session_state["f_countries"]),
        date_from=st.session_state["f_from"],
        date_to=st.session_state["f_to"],
        agreement_kinds=tuple(st.session_state["f_agreement_kind"]),
        action_kinds=tuple(st.session_state["f_action_kind"]),
        org_kinds=tuple(st.session_state["f_org_kind"]),
    )


def sidebar(data: Dataset) -> Filters:
    """Draw the filters and return them; the URL is kept in step."""
    names = data.countries.set_index("country")["name"].to_dict()
    countries = sorted(data.organisations["country"].dropna().unique(), key=lambda c: names.get(c, c))
    ignored = [] if st.session_state.get(SEEDED) else _seed_from_url(data, countries)
    low, high = _year_range(data)
    with st.sidebar:
        if (mine := state.upload()) is not None:
            st.info(f"**Your upload:** {md(mine.dataset.name)}, in this browser session only.")
            st.button("Back to the curated data", on_click=state.drop_upload, key="back_to_curated_sidebar")
        st.header("Filters")
        st.multiselect("Countries", countries, format_func=lambda c: names.get(c, c), key="f_countries")
        st.checkbox(
            "Only selected countries",
            key="f_only",
            help="Leave out partners from other countries, and every link to them.",
        )
        if low < high:
            st.slider("Period", low, high, key="f_years", on_change=_years_changed)
        for key, (table, label) in KIND_FIELDS.items():
            st.multiselect(label, contract()[table].field("kind").enum, format_func=_kind_label, key=f"f_{key}")
        st.button("Reset filters", on_click=_reset, width="stretch")
        try:
            filters = _filters()
        except ValueError as exc:  # a link whose period ends before it starts
            ignored.append(f"period ({exc})")
            st.session_state["f_from"] = st.session_state["f_to"] = None
            st.session_state["f_years"] = (low, high)
            filters = _filters()
        if ignored:
            st.warning("The link held filters this dataset cannot use, ignored: " + md(", ".join(ignored)))
    _to_url(filters)
    state.use_filters(filters)
    return filters
