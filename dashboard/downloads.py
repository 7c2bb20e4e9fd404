"""Download buttons beside every chart, the share link and the report bundle.

Files are made only when a button is clicked (deferred `data`, no rerun); images and bundles are kept in the view's
bounded file cache (charts.report.Charts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from analysis import i18n
from analysis.i18n import N_, _
from charts import engine
from charts.files import csv_bytes
from charts.report import Chart, Exports
from dashboard.language import later

MIME = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "html": "text/html",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}


@dataclass(frozen=True)
class Format:
    """One download of a chart: its file extension, its button, and how the file is made."""

    extension: str
    label: str  # a catalogue message: the button says it with `_()`
    icon: str
    make: Callable[[Exports, Chart], bytes]
    image: bool = False  # needs the image engine


FORMATS = (
    Format("png", N_("PNG image"), ":material/image:", lambda c, chart: c.image(chart, "png"), image=True),
    Format("svg", N_("SVG image"), ":material/image:", lambda c, chart: c.image(chart, "svg"), image=True),
    Format("html", N_("Interactive HTML"), ":material/web:", Exports.html),
    Format("csv", N_("Data (CSV)"), ":material/table:", Exports.csv),
    Format("xlsx", N_("Data (XLSX)"), ":material/table:", Exports.xlsx),
)


def chart_downloads(charts: Exports, chart: Chart, key: str) -> None:
    """PNG, SVG and interactive HTML of the chart, and the rows it shows as CSV and XLSX (made when clicked, with
    no rerun). An image that cannot be made is said at its button by Streamlit; why, and that images are off for a
    while, is said under the buttons from the next run on."""
    problem = engine.image_engine_problem()
    with st.container(key=f"downloads_{key}", horizontal=True):
        for fmt in FORMATS:
            st.download_button(
                _(fmt.label),
                data=later(lambda fmt=fmt: fmt.make(charts, chart)),
                file_name=charts.file_name(chart.name, fmt.extension),
                mime=MIME[fmt.extension],
                on_click="ignore",
                disabled=problem is not None and fmt.image,
                icon=fmt.icon,
                key=f"{key}_{fmt.extension}",
            )
    if problem:
        st.caption(problem)


def chart_with_downloads(charts: Exports, chart: Chart, key: str, alt: str, caption: str | None = None) -> None:
    """A chart as the pages draw it (its text alternative `alt`), what it shows in words, and its downloads."""
    st.plotly_chart(chart.figure, key=key, config={"displaylogo": False}, alt=alt)
    if caption:
        st.caption(caption)
    chart_downloads(charts, chart, key)


SHOWN_ROWS = 1_000  # of a long table on a page: a hub's 47,000 partners sent to the browser took seconds


def first_rows(table: pd.DataFrame) -> pd.DataFrame:
    """A long table's first SHOWN_ROWS rows, to show beside its CSV; a caption says so when some are left out."""
    if len(table) > SHOWN_ROWS:
        st.caption(
            _("The first {shown} of {total} rows; the CSV holds them all.").format(
                shown=i18n.integer(SHOWN_ROWS), total=i18n.integer(len(table))
            )
        )
    return table.head(SHOWN_ROWS)


def table_download(charts: Exports, label: str, table: Callable[[], pd.DataFrame], what: str, key: str) -> None:
    """One CSV of a table (formulas neutralised), named for what it holds and the filters; `label` is said already."""
    st.download_button(
        label,
        data=later(lambda: csv_bytes(table())),
        file_name=charts.file_name(what, "csv"),
        mime=MIME["csv"],
        on_click="ignore",
        icon=":material/table:",
        key=key,
    )


def xlsx_download(charts: Exports, label: str, workbook: Callable[[], bytes], what: str, key: str) -> None:
    """One XLSX of a table (its definitions and sources in the About sheet: `workbook` makes it when clicked), named
    for what it holds and the filters; `label` is said already."""
    st.download_button(
        label,
        data=later(workbook),
        file_name=charts.file_name(what, "xlsx"),
        mime=MIME["xlsx"],
        on_click="ignore",
        icon=":material/table:",
        key=key,
    )


def share_url(url_path: str) -> str:
    """This page's address with the filters in force: the link that reopens the same view."""
    base = (st.context.url or "").rstrip("/")
    # The browser's URL may still hold the page's path (st.context.url does not always trim it).
    page = base.rsplit("/", 1)[-1]
    if page in (url_path, "overview") and page:
        base = base[: -len(page) - 1]
    query = urlencode({k: st.query_params.get_all(k) for k in st.query_params}, safe=",", doseq=True)  # repeated keys
    return f"{base}/{url_path}".rstrip("/") + (f"?{query}" if query else "")


def share_and_bundle(charts: Exports, url_path: str) -> None:
    """ "Share this view" (the URL, ready to copy) and the one-click report bundle of the view."""
    with st.expander(_("Share this view and download a report"), icon=":material/share:"):
        st.markdown(_("**Share this view**: this link opens the same page with the same filters."))
        st.code(share_url(url_path), language=None, wrap_lines=True)
        st.download_button(
            _("Report bundle (.zip)"),
            data=later(charts.bundle),
            file_name=charts.file_name("clusternet-report", "zip"),
            mime=MIME["zip"],
            on_click="ignore",
            icon=":material/folder_zip:",
            key="report_bundle",
            help=_(
                "Every chart of this view (PNG and SVG) and its table (CSV), the sources, and a README listing "
                "the filters and the dataset. Takes a few seconds."
            ),
        )
