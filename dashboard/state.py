"""The dataset this session works on and what the pages compute from it, cached outside the rerun path.

The server's dataset (the curated one by default) and what is computed from it live in Streamlit's shared
caches. An analyst's upload lives in this session's state only, and so does everything computed from it.
Every cache's size is set in analysis.cache.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import secrets
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import astuple, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import streamlit as st

from analysis import search
from analysis.cache import (
    SESSION_FILE_BYTES,
    SESSION_VIEWS,
    SHARED_FILE_BYTES,
    SHARED_VIEW_BYTES,
    SHARED_VIEWS,
    FileCache,
    Memo,
)
from analysis.comparison import Periods
from analysis.dataset import CURATED_DIR, DATA_ENV, Dataset, load_dataset
from analysis.filters import WIDGET_PREFIX, Filters
from analysis.i18n import _
from analysis.insights import Insights
from charts.compare import CompareCharts
from charts.map import base_outlines
from charts.partners import PartnerCharts
from charts.report import NETWORK_LIMIT, Charts

FILTERS_KEY = "_filters"
UPLOAD_KEY = "_upload"
UPLOAD_CACHE_KEY = "_upload_cache"
UPLOAD_FILES_KEY = "_upload_files"
UPLOAD_REPORT_KEY = "_upload_report"  # the Data page's report of the last upload
SEEDED_KEY = "_filters_seeded"  # set once the sidebar has read the URL into its widgets
T = TypeVar("T")


@dataclass(frozen=True)
class Upload:
    """An analyst's dataset, in use in this browser session only."""

    dataset: Dataset
    uploaded_at: datetime


@dataclass
class ServerData:
    """The server's dataset and what every session computes from it, held once per server process: its views
    (filters -> Charts, bounded in number and bytes) and its files (images, bundles)."""

    dataset: Dataset
    views: Memo = field(default_factory=lambda: Memo(SHARED_VIEWS, SHARED_VIEW_BYTES, lambda charts: charts.weight()))
    files: FileCache = field(default_factory=lambda: FileCache(SHARED_FILE_BYTES))

    def warm(self) -> None:
        """Compute what the first analyst sees of the unfiltered view, the Overview, before the server answers."""
        charts = self.charts(Filters())
        insights = charts.insights
        for make in (insights.kpis, insights.reading, insights.coverage, charts.countries):
            make()

    def warm_rest(self) -> threading.Thread:
        """Compute the rest of the unfiltered view (the Map's numbers and outlines, the timeline, the Network drawn
        by degree) and the Search's index on a thread of their own, while the server starts and answers: 4-5 s of a
        restart at three-programme size. A page asking for one of them first waits for that one computation (the
        memos hold a lock per value), never for two."""

        def rest() -> None:
            search.index(self.dataset)  # 1.2-1.7 s at 40,000-100,000 organisations: not on the first keystroke
            base_outlines()  # the maps' grey outlines (about 1 s, once per process): not on the first map drawn
            charts = self.charts(Filters())
            charts.insights.places()
            charts.insights.timeline_rows()
            charts.drawn("org", NETWORK_LIMIT)

        thread = threading.Thread(target=rest, daemon=True)
        thread.start()
        return thread

    def charts(self, filters: Filters) -> Charts:
        """The view of these filters: made once, whoever asks first; two sessions asking at once wait for one."""
        return self.views.get(astuple(filters), lambda: Charts(Insights(self.dataset, filters), self.files))


_servers: dict[str, ServerData] = {}
_loading = threading.RLock()  # held only while a server dataset loads and is indexed: every page needs it first


def server_path() -> str:
    return str(Path(os.environ.get(DATA_ENV, CURATED_DIR)).resolve())


def serve(path: str, data: Dataset) -> ServerData:
    """Hold a loaded dataset as the server's (dashboard.serve calls it before the server answers)."""
    data.incidence  # noqa: B018 - built now, not on the first page
    with _loading:
        return _servers.setdefault(path, ServerData(data))


def load_server_data(path: str) -> ServerData:
    """Load, check and index the server's dataset once per process; ValueError with the problems if it fails."""
    with _loading:
        if path in _servers:
            return _servers[path]
        result = load_dataset(path)
        if result.dataset is None:
            raise ValueError("\n".join(p.line() for p in result.errors))
        return serve(path, result.dataset)


def server_data() -> ServerData:
    path = server_path()
    if path in _servers:
        return _servers[path]
    with st.spinner(_("Loading the dataset…")):
        return load_server_data(path)


def server_dataset() -> Dataset:
    """The dataset the server was started on (the curated one by default)."""
    return server_data().dataset


def upload() -> Upload | None:
    """This session's uploaded dataset, if the analyst brought one."""
    return st.session_state.get(UPLOAD_KEY)


def dataset() -> Dataset:
    """The dataset in use: this session's upload if there is one, else the server's."""
    mine = upload()
    return mine.dataset if mine is not None else server_dataset()


def _restart_filters() -> None:
    """A new dataset has other countries and years: the sidebar seeds its widgets again (from the URL)."""
    for key in [k for k in st.session_state if k.startswith(WIDGET_PREFIX)] + [SEEDED_KEY, FILTERS_KEY]:
        st.session_state.pop(key, None)


def _forget_upload_work() -> None:
    for key in (UPLOAD_CACHE_KEY, UPLOAD_FILES_KEY):
        st.session_state.pop(key, None)


def give_back_memory() -> None:
    """Hand memory freed by a dropped upload back to the system: Arrow's pool and glibc's heap keep it otherwise,
    and a server that lives for weeks would grow with every upload."""
    with contextlib.suppress(Exception):  # both are optimisations; neither must ever break a page
        import pyarrow

        pyarrow.default_memory_pool().release_unused()
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def use_upload(data: Dataset) -> None:
    """Make an uploaded dataset this session's own."""
    # A secret, random fingerprint: the pages keep nothing of an upload in shared caches (its views and files live
    # in this session), and should one ever key a cache by fingerprint, no other session could hit its entries.
    private = replace(data, fingerprint=f"upload-{secrets.token_hex(16)}")
    # When the session ends (the tab closed, then Streamlit's disconnected-session TTL), or the analyst goes back
    # to the curated data, the dataset is dropped: its memory then goes back.
    weakref.finalize(private, give_back_memory)
    st.session_state[UPLOAD_KEY] = Upload(private, datetime.now().astimezone())
    _forget_upload_work()
    _restart_filters()


def drop_upload() -> None:
    """Back to the server's dataset."""
    st.session_state.pop(UPLOAD_KEY, None)
    st.session_state.pop(UPLOAD_REPORT_KEY, None)
    _forget_upload_work()
    _restart_filters()


def per_session(key: Hashable, compute: Callable[[], T]) -> T:
    """Memoise `compute` for this session's upload: in its session state, never in a shared cache; at most
    SESSION_VIEWS values, the least recently used dropped first."""
    mine = upload()
    full_key = (mine.dataset.fingerprint if mine else "", key)
    cache: OrderedDict = st.session_state.setdefault(UPLOAD_CACHE_KEY, OrderedDict())
    if full_key in cache:
        cache.move_to_end(full_key)
    else:
        cache[full_key] = compute()
        while len(cache) > SESSION_VIEWS:
            cache.popitem(last=False)
    return cache[full_key]


def _session_files() -> FileCache:
    return st.session_state.setdefault(UPLOAD_FILES_KEY, FileCache(SESSION_FILE_BYTES))


def use_filters(filters: Filters) -> None:
    """Called once a run by the sidebar: the filters every page of this run works under."""
    st.session_state[FILTERS_KEY] = filters


def filters() -> Filters:
    """The sidebar's filters in this run."""
    return st.session_state.get(FILTERS_KEY, Filters())


def charts_for(chosen: Filters) -> Charts:
    """The charts of the dataset in use seen through some filters: kept with the server's dataset for every
    session, or in this session for an upload."""
    mine = upload()
    if mine is None:
        return server_data().charts(chosen)
    return per_session(("view", astuple(chosen)), lambda: Charts(Insights(mine.dataset, chosen), _session_files()))


def charts() -> Charts:
    """The charts of the dataset in use seen through the sidebar's filters (their numbers: `.insights`)."""
    return charts_for(filters())


def comparison(periods: Periods) -> CompareCharts:
    """Two periods of the dataset in use under the sidebar's other filters; each period's view is the one every
    other page would use for it, so its networks and metrics are computed once. A side set by programme (see
    Periods.resolved) is compared under its own programmes."""
    periods = periods.resolved(filters())
    a, b = periods.of(filters())
    key = ("compare", astuple(a), astuple(b), astuple(periods))  # the same two views may be named otherwise
    mine = upload()
    if mine is None:
        data = server_data()
        return data.views.get(key, lambda: CompareCharts(periods, charts_for(a), charts_for(b), data.files))
    return per_session(key, lambda: CompareCharts(periods, charts_for(a), charts_for(b), _session_files()))


def partners(org: str, within: tuple[str, ...]) -> PartnerCharts:
    """Partner suggestions for one organisation under the sidebar's filters, narrowed to candidate countries; kept
    with the view's other charts (the shared views, or this session's for an upload)."""
    chosen = filters()
    key = ("partners", astuple(chosen), org, within)
    mine = upload()
    if mine is None:
        data = server_data()
        return data.views.get(key, lambda: PartnerCharts(charts_for(chosen), org, within, data.files))
    return per_session(key, lambda: PartnerCharts(charts_for(chosen), org, within, _session_files()))


def with_view(key: tuple[Hashable, ...], make: Callable[[Charts, FileCache], T]) -> T:
    """Something made from the view of the sidebar's filters (the page of one organisation or one place), kept with
    the view's other charts: the shared views, or this session's for an upload. What `make` returns is weighed by
    its `weight()`, as every kept view is."""
    chosen = filters()
    full = (*key, astuple(chosen))
    mine = upload()
    if mine is None:
        data = server_data()
        return data.views.get(full, lambda: make(charts_for(chosen), data.files))
    return per_session(full, lambda: make(charts_for(chosen), _session_files()))


def current() -> Insights:
    """The numbers of the dataset in use, seen through the sidebar's filters."""
    return charts().insights
