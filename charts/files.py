"""Everything an analyst downloads: tables safe for spreadsheets, charts stamped with filters and sources,
file names that say what they hold, and a zipped report bundle."""

from __future__ import annotations

import copy
import html
import io
import re
import zipfile

import pandas as pd
import plotly.graph_objects as go

from analysis.export import FORMULA_STARTS as FORMULA_STARTS
from analysis.export import csv_bytes as csv_bytes
from analysis.export import neutralise
from analysis.filters import Filters
from analysis.i18n import _
from analysis.provenance import Provenance
from charts.engine import PNG_HEIGHT

STAMP_PX = 120  # room above a stamped chart for its title, filters and source lines


def file_name(what: str, filters: Filters, extension: str) -> str:
    """`network_PL-PT_2014-2019.png`: what it holds and the filters, safe on every file system (an id from the data,
    as in `organisation-<id>-all-partners`, may hold any character)."""
    return f"{re.sub(r'[^A-Za-z0-9._-]+', '-', what)}_{filters.slug()}.{extension}"


def xlsx_bytes(frame: pd.DataFrame, prov: Provenance) -> bytes:
    """Sheet `Data` with the rows; sheet `About` with filters, column definitions and sources, in the language spoken
    (the sheets' and the columns' names stay as they are). No live formulas."""
    out = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(out, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        neutralise(frame).to_excel(writer, sheet_name="Data", index=False)
        about = pd.DataFrame(prov.about_rows(), columns=[_("What"), _("Value")])
        neutralise(about).to_excel(writer, sheet_name="About", index=False)
        start = len(about) + 3
        columns = [c for c in ("source_id", "title", "publisher", "published_on", "url") if c in prov.sources]
        neutralise(prov.sources[columns]).to_excel(writer, sheet_name="About", index=False, startrow=start)
    return out.getvalue()


def stamped(fig: go.Figure, prov: Provenance) -> go.Figure:
    """A copy of the chart with its title, and under it the filters in words, the dataset, the date and a source line,
    in the language spoken.

    Both lines sit in the title's subtitle, above the plot, so they never collide with a chart's own axes or legend.
    """
    out = go.Figure(copy.deepcopy(fig))
    height = (out.layout.height or PNG_HEIGHT - STAMP_PX) + STAMP_PX
    legend = out.layout.legend
    if legend.yref == "container" and legend.y is not None:  # a legend pinned to the top moves down under the stamp
        out.update_layout(legend={"y": legend.y - STAMP_PX / height})
    top = out.layout.margin.t if out.layout.margin.t is not None else 40
    out.update_layout(
        title={
            "text": html.escape(prov.title),  # plotly reads a few HTML tags in titles: dataset text stays text
            "subtitle": {
                "text": f"{html.escape(prov.made_line)}<br>{html.escape(prov.source_line())}",
                "font": {"size": 13},
            },
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


def html_bytes(fig: go.Figure) -> bytes:
    """A self-contained interactive page (plotly.js inlined: opens offline)."""
    return fig.to_html(include_plotlyjs=True, full_html=True).encode("utf-8")


def bundle(files: dict[str, bytes], prov: Provenance, note: str | None = None) -> bytes:
    """A .zip of the given files plus README.txt with the filters, the dataset, its sources and any `note`, in the
    language spoken."""
    lines = [f"{what}: {value}" for what, value in prov.about_rows()]
    if note:
        lines += ["", _("Note: {note}").format(note=note)]
    lines += ["", _("Files:"), *(f"- {name}" for name in files), "", _("Sources:")]
    for row in prov.sources.itertuples(index=False):
        parts = [str(getattr(row, c)) for c in ("title", "publisher", "published_on", "url") if hasattr(row, c)]
        lines.append("- " + " · ".join(p for p in parts if p not in ("", "None", "nan", "<NA>")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        archive.writestr("README.txt", "\n".join(lines) + "\n")
    return out.getvalue()
