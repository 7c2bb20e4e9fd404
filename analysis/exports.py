"""Everything an analyst downloads: tables safe for spreadsheets, charts stamped with filters and sources,
file names that say what they hold, and a zipped report bundle."""

from __future__ import annotations

import copy
import html
import io
import os
import shutil
import threading
import time
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from analysis.filters import Filters

# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PNG_WIDTH, PNG_HEIGHT = 1800, 1000
STAMP_PX = 120  # room above a stamped chart for its title, filters and source lines
_ENGINE = threading.Lock()  # kaleido serves one page at a time: concurrent exports swap images
ENGINE_WAIT_S = 120
FAILURE_KEPT_S = 60  # after a failed export, images stay off this long, then the engine is tried again
_failure: tuple[str, float] | None = None  # why the last export failed: download threads cannot tell the page


class ImageEngineUnavailable(RuntimeError):
    """Static images cannot be made here (no kaleido or no Chromium); HTML and data downloads still work."""


@dataclass(frozen=True)
class Provenance:
    """What travels with every export: what it shows, under which filters, from which dataset and sources."""

    title: str
    filters: Filters
    dataset: str
    sources: pd.DataFrame = field(repr=False)  # source_id, title, publisher, published_on, url
    definitions: dict[str, str] = field(default_factory=dict)
    made_on: date = field(default_factory=date.today)

    def source_line(self, limit: int = 4) -> str:
        """`Sources: Publisher A, Publisher B and 12 more (103 in all)` for a chart's foot."""
        names = [str(p) for p in self.sources.get("publisher", pd.Series(dtype=str)).dropna().unique()]
        if not names:
            names = [str(t) for t in self.sources.get("title", pd.Series(dtype=str)).dropna().head(limit)]
        shown = ", ".join(names[:limit])
        more = f" and {len(names) - limit} more publishers" if len(names) > limit else ""
        return f"Sources: {shown}{more} ({len(self.sources)} sources in all)" if shown else "Sources: none cited"


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as formulas get a leading apostrophe; numbers stay numbers."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_numeric_dtype(out[column]) or pd.api.types.is_bool_dtype(out[column]):
            continue
        out[column] = out[column].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v)
    return out


def file_name(what: str, filters: Filters, extension: str) -> str:
    """`network_PL-PT_2014-2019.png`: what it holds and the filters, safe on every file system."""
    return f"{what}_{filters.slug()}.{extension}"


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel reads accents right; formulas neutralised.

    RFC 4180 line ends (CRLF) also make the writer quote any cell holding a lone carriage return.
    """
    return neutralise(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def about_rows(prov: Provenance) -> list[tuple[str, str]]:
    rows = [
        ("Title", prov.title),
        ("Filters", prov.filters.describe()),
        ("Dataset", prov.dataset),
        ("Made on", prov.made_on.isoformat()),
        ("Made with", "ClusterNet"),
    ]
    rows += [(f"Column {name}", text) for name, text in prov.definitions.items()]
    return rows


def xlsx_bytes(frame: pd.DataFrame, prov: Provenance) -> bytes:
    """Sheet `Data` with the rows; sheet `About` with filters, column definitions and sources. No live formulas."""
    out = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(out, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        neutralise(frame).to_excel(writer, sheet_name="Data", index=False)
        about = pd.DataFrame(about_rows(prov), columns=["What", "Value"])
        neutralise(about).to_excel(writer, sheet_name="About", index=False)
        start = len(about) + 3
        columns = [c for c in ("source_id", "title", "publisher", "published_on", "url") if c in prov.sources]
        neutralise(prov.sources[columns]).to_excel(writer, sheet_name="About", index=False, startrow=start)
    return out.getvalue()


def stamped(fig: go.Figure, prov: Provenance) -> go.Figure:
    """A copy of the chart with its title, and under it the filters in words, the dataset, the date and a source line.

    Both lines sit in the title's subtitle, above the plot, so they never collide with a chart's own axes or legend.
    """
    out = go.Figure(copy.deepcopy(fig))
    height = (out.layout.height or PNG_HEIGHT - STAMP_PX) + STAMP_PX
    legend = out.layout.legend
    if legend.yref == "container" and legend.y is not None:  # a legend pinned to the top moves down under the stamp
        out.update_layout(legend={"y": legend.y - STAMP_PX / height})
    made = f"{prov.filters.describe()} · {prov.dataset} · made with ClusterNet on {prov.made_on.isoformat()}"
    top = out.layout.margin.t if out.layout.margin.t is not None else 40
    out.update_layout(
        title={
            "text": html.escape(prov.title),  # plotly reads a few HTML tags in titles: dataset text stays text
            "subtitle": {"text": f"{html.escape(made)}<br>{html.escape(prov.source_line())}", "font": {"size": 13}},
            "x": 0.01,
            "xanchor": "left",
            "yref": "container",
            "y": 0.99,
            "yanchor": "top",
            "font": {"size": 22},
        },
        margin={"t": top + STAMP_PX},
        height=height,
        paper_bgcolor="white",
    )
    return out


def image_engine_problem() -> str | None:
    """Why static images cannot be made here, or None when kaleido and a Chromium are at hand (and the last
    export did not fail)."""
    if _failure and time.monotonic() - _failure[1] < FAILURE_KEPT_S:
        return _failure[0]
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return "The image engine (kaleido) is not installed: PNG and SVG downloads are off; HTML and data still work."
    browser = os.environ.get("BROWSER_PATH") or next(
        (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
    )
    if not browser or not os.access(browser, os.X_OK):
        return (
            "No Chromium was found for the image engine: PNG and SVG downloads are off; HTML and data still work. "
            "Install Debian's chromium (`make test` does) or set BROWSER_PATH."
        )
    return None


def image_bytes(fig: go.Figure, fmt: str, width: int = PNG_WIDTH, height: int | None = None) -> bytes:
    """PNG or SVG of a (stamped) figure, one export at a time; ImageEngineUnavailable if it cannot be made.

    The height is the figure's own (a long timeline stays readable), else PNG_HEIGHT.
    """
    global _failure
    height = height or fig.layout.height or PNG_HEIGHT
    if not _ENGINE.acquire(timeout=ENGINE_WAIT_S):  # a hung Chromium must not hold every later export forever
        raise ImageEngineUnavailable(f"The image engine is busy (waited {ENGINE_WAIT_S} s): try again shortly.")
    try:
        import kaleido

        kaleido.start_sync_server(silence_warnings=True)  # once per process; later calls are no-ops
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # plotly notes that a running server ignores kopts
            image = fig.to_image(format=fmt, width=width, height=height)
        _failure = None
        return image
    except Exception as exc:  # kaleido reports a missing browser in several ways
        message = (
            f"The image engine could not draw the last chart ({type(exc).__name__}: {exc}). "
            "PNG and SVG downloads are off for a minute; HTML and data downloads still work."
        )
        _failure = (message, time.monotonic())
        raise ImageEngineUnavailable(message) from exc
    finally:
        _ENGINE.release()


def html_bytes(fig: go.Figure) -> bytes:
    """A self-contained interactive page (plotly.js inlined: opens offline)."""
    return fig.to_html(include_plotlyjs=True, full_html=True).encode("utf-8")


def bundle(files: dict[str, bytes], prov: Provenance, note: str | None = None) -> bytes:
    """A .zip of the given files plus README.txt with the filters, the dataset, its sources and any `note`."""
    lines = [f"{what}: {value}" for what, value in about_rows(prov)]
    if note:
        lines += ["", f"Note: {note}"]
    lines += ["", "Files:", *(f"- {name}" for name in files), "", "Sources:"]
    for row in prov.sources.itertuples(index=False):
        parts = [str(getattr(row, c)) for c in ("title", "publisher", "published_on", "url") if hasattr(row, c)]
        lines.append("- " + " · ".join(p for p in parts if p not in ("", "None", "nan", "<NA>")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        archive.writestr("README.txt", "\n".join(lines) + "\n")
    return out.getvalue()
