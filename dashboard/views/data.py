"""Data: which dataset is in use; bring your own (validated, kept in this session only) or CORDIS files (converted,
with the import's report shown before the dataset is used); template and column guide."""

from __future__ import annotations

import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from analysis.cordis import BUDGET_COLUMN, FIRST_ROWS, Count, ImportReport
from analysis.dataset import Dataset
from analysis.export import dataset_zip
from analysis.load import MAX_UNCOMPRESSED_BYTES, MAX_UPLOAD_BYTES, MAX_ZIP_FILES, MB
from analysis.problems import Problem
from analysis.schema import contract
from analysis.template import guide, tables_guide, template_xlsx, template_zip
from analysis.upload import ACCEPTED, load_upload_apart, report_frame, upload_name
from charts.files import csv_bytes
from dashboard import state
from dashboard.safe import md

ROUND = "_uploader_round"  # bumped to give the uploader a new key, which empties it
PENDING = "_upload_pending"  # files received, not yet checked
REPORT = state.UPLOAD_REPORT_KEY
CONVERTED = "_cordis_converted"  # the last CORDIS upload: its import report and, until used, its dataset
FIRST_ROWS_SHOWN = 3  # of each reason, in the page; the report's CSV has the first five
SHOWN_PER_TABLE = 300  # st.table draws every row: beyond this, the CSV download has the rest
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Report:
    """The outcome of the last upload of this session."""

    name: str
    problems: tuple[Problem, ...]
    loaded: bool


@dataclass(frozen=True)
class Converted:
    """A CORDIS upload converted to the contract: the import's report, and the dataset if it validated. Once used,
    the session's upload holds the dataset and this only a weak reference to it, so that going back to the curated
    data lets its memory go."""

    name: str
    report: ImportReport
    dataset: Dataset | None
    problems: tuple[Problem, ...]
    used: weakref.ref[Dataset] | None = None

    def held(self) -> Dataset | None:
        """The converted dataset, if this session still holds it."""
        return self.dataset if self.used is None else self.used()


def _uploader_key() -> str:
    return f"upload_files_{st.session_state.get(ROUND, 0)}"


def _received() -> None:
    """The uploader's callback: keep the files for the page to check (where it can show how far it got)."""
    files = st.session_state.get(_uploader_key()) or []
    if files:
        st.session_state[PENDING] = [(f.name, f.getvalue()) for f in files]


def _check_pending() -> None:
    """Read and check the files just uploaded, in a process of their own, showing each step; then start the run
    again, so that every element of the page (the sidebar's countries and years too) shows the new dataset."""
    files = st.session_state.pop(PENDING, None)
    if not files:
        return
    name = upload_name([n for n, _ in files])
    with st.status(f"Checking {name}…", expanded=True) as status:
        result = load_upload_apart(files, name, lambda step: status.write(md(step) + "…"))
        status.update(label=f"Checked {name}", state="complete" if result.ok else "error", expanded=False)
    del files  # the bytes go as soon as they are read; only the typed tables stay, in this session
    st.session_state.pop(CONVERTED, None)
    if result.imported is not None:
        # Converted from CORDIS: the analyst reads the import's report first, and uses the dataset by choice.
        st.session_state[CONVERTED] = Converted(name, result.imported, result.dataset, result.problems)
        st.session_state.pop(REPORT, None)
    else:
        st.session_state[REPORT] = Report(name, result.problems, result.ok)
        if result.dataset is not None:
            state.use_upload(result.dataset)
    # A fresh, empty uploader: Streamlit adds newly chosen files to those already held, and a corrected file
    # uploaded next to the refused one would then count twice.
    st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1
    st.rerun()


def _in_use() -> None:
    st.subheader("Dataset in use")
    mine = state.upload()
    data = state.dataset()
    with st.container(key="in-use"):
        if mine is None:
            st.markdown(f"**The curated dataset:** {md(data.name)}. Every session starts with it.")
        else:
            st.markdown(
                f"**Your upload:** {md(data.name)} · uploaded {mine.uploaded_at:%Y-%m-%d %H:%M} · "
                "used by every page of this browser session only; nobody else sees it, and it is gone when the "
                "tab is closed or reloaded."
            )
        names = [contract()[n].filename for n in data.sizes()]
        st.table(pd.DataFrame({"table": names, "rows": list(data.sizes().values())}), hide_index=True, width="content")
    if mine is not None:
        st.button("Back to the curated data", on_click=state.drop_upload, key="back_to_curated_page", type="primary")


def _escaped(frame: pd.DataFrame) -> pd.DataFrame:
    """st.table reads its cells as Markdown: dataset text goes in escaped, so it shows literally."""
    return frame.astype(object).map(lambda v: "" if v is None or v is pd.NA else md(v))


def _report(report: Report) -> None:
    errors = [p for p in report.problems if p.blocking]
    warnings = [p for p in report.problems if not p.blocking]
    if report.loaded:
        st.success(
            f"{md(report.name)} passed validation and is now this session's dataset: every page, filter and "
            "download uses it." + (f" It loaded with {len(warnings)} warning(s), listed below." if warnings else "")
        )
    else:
        st.error(
            f"{md(report.name)} has {len(errors)} blocking problem(s), so nothing was changed: the pages still "
            f"show {md(state.dataset().name)}. Fix the rows below and upload the files again."
            + (f" There are also {len(warnings)} warning(s), which do not block." if warnings else "")
        )
    _problems(report.problems)


def _problems(problems: Sequence[Problem]) -> None:
    """Every problem, table by table, and the whole list as a CSV download."""
    if not problems:
        return
    st.download_button(
        "Download the problems as CSV",
        data=lambda: csv_bytes(report_frame(problems)),
        file_name="clusternet-problems.csv",
        mime="text/csv",
        on_click="ignore",
        key="problems_csv",
    )
    frame = report_frame(problems)
    for table, rows in frame.groupby("table", sort=False):
        n_errors = int((rows["severity"] == "error").sum())
        n_warnings = len(rows) - n_errors
        counts = ", ".join(
            f"{n} {word}{'' if n == 1 else 's'}" for n, word in ((n_errors, "error"), (n_warnings, "warning")) if n
        )
        title = contract()[table].filename if table in contract() else str(table)
        with st.container(key=f"report-{table}"):
            st.markdown(f"**{md(title)}** · {counts}")
            shown = rows.drop(columns="table").head(SHOWN_PER_TABLE)
            st.table(_escaped(shown), hide_index=True)
            if len(rows) > SHOWN_PER_TABLE:
                st.caption(f"The first {SHOWN_PER_TABLE} of {len(rows):,} are shown; the CSV download holds them all.")


def _counts_frame(counts: Sequence[Count], shown: int) -> pd.DataFrame:
    """Counts of dropped rows or emptied values: how many, of what, why, and the first rows (file, row, values)."""
    return pd.DataFrame(
        {
            "rows": [f"{c.rows:,}" for c in counts],
            "of": [c.what for c in counts],
            "reason": [c.reason for c in counts],
            "first rows": [
                " · ".join(f"{file} row {row}: {text}" for file, row, text in c.first[:shown]) for c in counts
            ],
        }
    )


def _report_csv(report: ImportReport) -> bytes:
    """The import's report as one table: what was read and kept, then each reason with its first rows."""
    rows = [("read", what, "", n, "") for what, n in report.read.items()]
    rows += [("kept", what, "", n, "") for what, n in report.kept.items()]
    for verdict, counts in (("dropped", report.dropped), ("left empty", report.emptied)):
        first = _counts_frame(counts, FIRST_ROWS)["first rows"]
        rows += [(verdict, c.what, c.reason, c.rows, f) for c, f in zip(counts, first, strict=True)]
    return csv_bytes(pd.DataFrame(rows, columns=["what", "of", "reason", "rows", "first rows"]))


def _use_converted() -> None:
    converted: Converted | None = st.session_state.get(CONVERTED)
    if converted is None or converted.dataset is None:
        return
    state.use_upload(converted.dataset)
    mine = state.upload()
    if mine is not None:
        st.session_state[CONVERTED] = replace(converted, dataset=None, used=weakref.ref(mine.dataset))


def _converted_in_use(converted: Converted) -> bool:
    mine, held = state.upload(), converted.held()
    return mine is not None and held is not None and mine.dataset is held


def _converted(converted: Converted) -> None:
    """The import's report: files read, what was kept, dropped and left empty; then the choice to use the dataset."""
    report = converted.report
    with st.container(key="cordis-import"):
        st.markdown(f"#### CORDIS import: {md(converted.name)}")
        st.markdown("**Files read**")
        files = pd.DataFrame(
            {
                "file": [f.name for f in report.files],
                "read as": [f"CORDIS {f.kind} file" if f.kind else "ignored" for f in report.files],
                "rows": [f.rows if f.kind else None for f in report.files],
                "note": [f.note for f in report.files],
            }
        )
        st.table(_escaped(files), hide_index=True)
        errors = [p for p in converted.problems if p.blocking]
        if errors or (converted.dataset is None and converted.used is None):
            st.error(
                f"{md(converted.name)} could not be converted ({len(errors)} blocking problem(s)), so nothing was "
                f"changed: the pages still show {md(state.dataset().name)}."
            )
            _problems(converted.problems)
            return
        read = ", ".join(f"{n:,} {what}" for what, n in report.read.items())
        kept = ", ".join(f"{n:,} {what}" for what, n in report.kept.items())
        st.markdown(f"**Read:** {md(read)}.  \n**Kept:** {md(kept)}.")
        if report.narrowing:
            st.markdown(f"**Narrowed to:** {md('; '.join(report.narrowing))}.")
        if report.dropped:
            st.markdown(f"**Dropped: {report.dropped_rows:,} rows**, for these reasons")
            st.table(_escaped(_counts_frame(report.dropped, FIRST_ROWS_SHOWN)), hide_index=True)
        else:
            st.markdown("**Dropped: no row.**")
        if report.emptied:
            st.markdown("**Left empty or mapped to the nearest value** (the rows are kept)")
            st.table(_escaped(_counts_frame(report.emptied, FIRST_ROWS_SHOWN)), hide_index=True)
        st.caption(
            f"budget_eur is CORDIS's {BUDGET_COLUMN} (the EU's maximum contribution); the status of SIGNED projects "
            f"is read by their dates on {report.as_of}. The whole mapping is in the README and in "
            "`clusternet import cordis --help`."
        )
        warnings = [p for p in converted.problems if not p.blocking]
        held = converted.held()
        if held is None:
            st.info(
                "This converted dataset was let go with *Back to the curated data*: upload the files again to use it."
            )
            return
        left, middle, right = st.columns(3)
        if _converted_in_use(converted):
            left.success("In use: every page of this session shows it.")
        else:
            left.button("Use the converted dataset", on_click=_use_converted, type="primary", key="use_cordis")
        folder = re.sub(r"[^A-Za-z0-9._-]+", "-", converted.name).strip("-") or "cordis"
        tables = {n: f for n, f in held.tables.items() if n != "countries"}
        middle.download_button(
            "Converted dataset (.zip of CSV files)",
            data=lambda: dataset_zip(tables, f"{folder}-contract"),
            file_name=f"{folder}-contract.zip",
            mime="application/zip",
            on_click="ignore",
            key="cordis_zip",
        )
        right.download_button(
            "Import report (CSV)",
            data=lambda: _report_csv(report),
            file_name=f"{folder}-import-report.csv",
            mime="text/csv",
            on_click="ignore",
            key="cordis_report_csv",
        )
        if warnings:
            st.markdown(f"The converted dataset passes validation with {len(warnings)} warning(s):")
            _problems(warnings)


def _upload() -> None:
    st.subheader("Bring your own data")
    st.markdown(
        "Upload a **.zip** of the CSV files, **several CSV files** at once, or an **.xlsx** workbook with one sheet "
        "per table, in the shape of the template below. The files are checked first: a dataset with blocking "
        "problems changes nothing. A valid one becomes the dataset of this browser session only.  \n"
        "Or bring **CORDIS files as downloaded** (`project.csv` and `organization.csv`, comma- or "
        "semicolon-separated, their .xlsx versions, or a .zip of them): they are recognised by their columns and "
        "converted to the contract, and the import's report (what was kept, dropped and why) is shown before you "
        "use the result."
    )
    st.file_uploader(
        "Your dataset (.zip, .csv or .xlsx)",
        type=list(ACCEPTED),
        accept_multiple_files=True,
        key=_uploader_key(),
        on_change=_received,
        max_upload_size=MAX_UPLOAD_BYTES // MB,
        help=f"Up to {MAX_UPLOAD_BYTES // MB} MB in all. A .zip may hold at most {MAX_ZIP_FILES} files and unpack "
        f"to at most {MAX_UNCOMPRESSED_BYTES // MB} MB. CSV files: UTF-8, comma-separated, header on row 1.",
    )
    _check_pending()
    converted = st.session_state.get(CONVERTED)
    if converted is not None:
        _converted(converted)
    report = st.session_state.get(REPORT)
    if report is not None:
        _report(report)


def _template() -> None:
    st.subheader("Template")
    st.markdown(
        "Every table of the contract with its column names and two example rows that pass validation. "
        "Replace the examples with your rows; keep the file and column names."
    )
    left, right = st.columns(2)
    left.download_button(
        "Template as .zip of CSV files",
        data=template_zip,
        file_name="clusternet-template.zip",
        mime="application/zip",
        on_click="ignore",
        key="template_zip",
    )
    right.download_button(
        "Template as .xlsx workbook",
        data=template_xlsx,
        file_name="clusternet-template.xlsx",
        mime=XLSX,
        on_click="ignore",
        key="template_xlsx",
    )


def _guide() -> None:
    st.subheader("The columns")
    st.caption("Generated from the same contract the validator checks against. Extra columns are kept, with a warning.")
    columns = guide()
    for _, table in tables_guide().iterrows():
        with st.expander(f"{table['table']} ({'required' if table['required'] == 'yes' else 'optional'})"):
            st.markdown(md(table["holds"]))
            rows = columns[columns["table"] == table["table"]].drop(columns="table")
            st.table(_escaped(rows), hide_index=True)


def render() -> None:
    st.title("Data")
    st.caption("Which dataset the pages show, and how to bring your own.")
    _in_use()
    _upload()
    _template()
    _guide()
