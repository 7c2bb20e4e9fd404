"""Download buttons beside every chart, the share link and the report bundle.

Files are made only when a button is clicked (deferred `data`, no rerun), and kept with the view's Insights.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from urllib.parse import urlencode

import streamlit as st

from analysis import exports, report
from analysis.insights import Insights
from analysis.report import Chart

MIME = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "html": "text/html",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}


def _image(insights: Insights, chart: Chart, fmt: str) -> Callable[[], bytes]:
    """A deferred image, kept with the view (keyed by the figure itself and today's date): images are slow."""

    def deferred() -> bytes:
        digest = hashlib.sha1(chart.figure.to_json().encode(), usedforsecurity=False).hexdigest()
        return insights.memo(
            ("image", chart.name, fmt, digest, date.today()),
            lambda: exports.image_bytes(exports.stamped(chart.figure, _prov(insights, chart)), fmt),
        )

    return deferred


def _prov(insights: Insights, chart: Chart) -> exports.Provenance:
    return report.provenance(insights, chart.title, chart.definitions)


def chart_downloads(insights: Insights, chart: Chart, key: str) -> None:
    """PNG, SVG and interactive HTML of the chart, and the rows it shows as CSV and XLSX (made when clicked)."""
    filters = insights.filters
    problem = exports.image_engine_problem()
    files: list[tuple[str, str, Callable[[], bytes], str]] = [
        ("png", "PNG image", _image(insights, chart, "png"), ":material/image:"),
        ("svg", "SVG image", _image(insights, chart, "svg"), ":material/image:"),
        (
            "html",
            "Interactive HTML",
            lambda: exports.html_bytes(exports.stamped(chart.figure, _prov(insights, chart))),
            ":material/web:",
        ),
        ("csv", "Data (CSV)", lambda: exports.csv_bytes(chart.table), ":material/table:"),
        ("xlsx", "Data (XLSX)", lambda: exports.xlsx_bytes(chart.table, _prov(insights, chart)), ":material/table:"),
    ]
    with st.container(key=f"downloads_{key}", horizontal=True):
        for fmt, label, data, icon in files:
            st.download_button(
                label,
                data=data,
                file_name=exports.file_name(chart.name, filters, fmt),
                mime=MIME[fmt],
                on_click="ignore",
                disabled=problem is not None and fmt in ("png", "svg"),
                icon=icon,
                key=f"{key}_{fmt}",
            )
    if problem:
        st.caption(problem)


def share_url(url_path: str) -> str:
    """This page's address with the filters in force: the link that reopens the same view."""
    base = (st.context.url or "").rstrip("/")
    # The browser's URL may still hold the page's path (st.context.url does not always trim it).
    page = base.rsplit("/", 1)[-1]
    if page in (url_path, "overview") and page:
        base = base[: -len(page) - 1]
    query = urlencode({k: st.query_params[k] for k in st.query_params}, safe=",")
    return f"{base}/{url_path}".rstrip("/") + (f"?{query}" if query else "")


def share_and_bundle(insights: Insights, url_path: str) -> None:
    """ "Share this view" (the URL, ready to copy) and the one-click report bundle of the view."""
    with st.expander("Share this view and download a report", icon=":material/share:"):
        st.markdown("**Share this view**: this link opens the same page with the same filters.")
        st.code(share_url(url_path), language=None, wrap_lines=True)
        st.download_button(
            "Report bundle (.zip)",
            data=lambda: insights.memo(("bundle", date.today()), lambda: report.report_bundle(insights)),
            file_name=exports.file_name("clusternet-report", insights.filters, "zip"),
            mime=MIME["zip"],
            on_click="ignore",
            icon=":material/folder_zip:",
            key="report_bundle",
            help="Every chart of this view (PNG and SVG) and its table (CSV), the sources, and a README listing "
            "the filters and the dataset. Takes a few seconds.",
        )
