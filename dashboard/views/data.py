"""Data: which dataset is in use; bring your own (validated, kept in this session only) or files downloaded from
CORDIS or keep.eu (converted, with the import's report shown before the dataset is used); template and column
guide."""

from __future__ import annotations

import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from analysis import i18n, importers
from analysis.dataset import Dataset
from analysis.export import dataset_zip
from analysis.i18n import N_, _, ngettext
from analysis.importing.report import FIRST_ROWS, Count, ImportReport, counted, first_row
from analysis.load import MAX_UNCOMPRESSED_BYTES, MAX_UPLOAD_BYTES, MAX_ZIP_FILES, MB
from analysis.problems import SEVERITIES, Problem
from analysis.schema import contract
from analysis.template import guide, tables_guide, template_xlsx, template_zip
from analysis.upload import ACCEPTED, load_upload_apart, report_frame, upload_name
from analysis.words import plural
from charts.files import csv_bytes
from dashboard import state
from dashboard.language import later
from dashboard.safe import md

BACK = N_("Back to the curated data")  # the button, and the message that names it
ROUND = "_uploader_round"  # bumped to give the uploader a new key, which empties it
PENDING = "_upload_pending"  # files received, not yet checked
REPORT = state.UPLOAD_REPORT_KEY
CONVERTED = "_import_converted"  # the last imported upload: its import report and, until used, its dataset
FIRST_ROWS_SHOWN = 3  # of each reason, in the page; the report's CSV has the first five
SHOWN_PER_TABLE = 300  # st.table draws every row: beyond this, the CSV download has the rest
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The headers of the tables shown (the downloads keep the codes as their column names).
HEADERS = {
    "severity": N_("severity"),
    "table": N_("table"),
    "row": N_("row"),
    "rows": N_("rows"),
    "column": N_("column"),
    "value": N_("value"),
    "problem and fix": N_("problem and fix"),
    "of": N_("of"),
    "reason": N_("reason"),
    "first rows": N_("first rows"),
    "file": N_("file"),
    "read as": N_("read as"),
    "note": N_("note"),
    "type": N_("type"),
    "required": N_("required"),
    "meaning": N_("meaning"),
    "rules": N_("rules"),
    "example": N_("example"),
}


@dataclass(frozen=True)
class Report:
    """The outcome of the last upload of this session."""

    name: str
    problems: tuple[Problem, ...]
    loaded: bool


@dataclass(frozen=True)
class Converted:
    """An upload of a portal's files (CORDIS, keep.eu) converted to the contract: the import's report, and the
    dataset if it validated. Once used, the session's upload holds the dataset and this only a weak reference to it,
    so that going back to the curated data lets its memory go."""

    name: str
    report: ImportReport
    dataset: Dataset | None
    problems: tuple[Problem, ...]
    used: weakref.ref[Dataset] | None = None

    def held(self) -> Dataset | None:
        """The converted dataset, if this session still holds it."""
        return self.dataset if self.used is None else self.used()


def _headed(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as shown: its headers in the language spoken."""
    return frame.rename(columns={c: _(HEADERS[c]) for c in frame.columns if c in HEADERS})


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
    name = upload_name([n for n, __ in files])
    with st.status(_("Checking {name}…").format(name=name), expanded=True) as status:
        result = load_upload_apart(files, name, lambda step: status.write(md(step) + "…"))
        status.update(
            label=_("Checked {name}").format(name=name), state="complete" if result.ok else "error", expanded=False
        )
    del files  # the bytes go as soon as they are read; only the typed tables stay, in this session
    st.session_state.pop(CONVERTED, None)
    if result.imported is not None:
        # Converted from a portal's files: the analyst reads the import's report first, and uses the dataset by choice.
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
    st.subheader(_("Dataset in use"))
    mine = state.upload()
    data = state.dataset()
    with st.container(key="in-use"):
        if mine is None:
            st.markdown(_("**The curated dataset:** {name}. Every session starts with it.").format(name=md(data.name)))
        else:
            st.markdown(
                _(
                    "**Your upload:** {name} · uploaded {day}, {time} · used by every page of this browser session "
                    "only; nobody else sees it, and it is gone when the tab is closed or reloaded."
                ).format(name=md(data.name), day=i18n.day(mine.uploaded_at.date()), time=f"{mine.uploaded_at:%H:%M}")
            )
        names = [contract()[n].filename for n in data.sizes()]
        sizes = [i18n.integer(n) for n in data.sizes().values()]
        st.table(_headed(pd.DataFrame({"table": names, "rows": sizes})), hide_index=True, width="content")
    if mine is not None:
        st.button(_(BACK), on_click=state.drop_upload, key="back_to_curated_page", type="primary")


def _escaped(frame: pd.DataFrame) -> pd.DataFrame:
    """st.table reads its cells as Markdown: dataset text goes in escaped, so it shows literally."""
    return frame.astype(object).map(lambda v: "" if v is None or v is pd.NA else md(v))


def _report(report: Report) -> None:
    errors = [p for p in report.problems if p.blocking]
    warnings = [p for p in report.problems if not p.blocking]
    if report.loaded:
        said = _(
            "{name} passed validation and is now this session's dataset: every page, filter and download uses it."
        ).format(name=md(report.name))
        if warnings:
            said += " " + ngettext(
                "It loaded with {count} warning, listed below.",
                "It loaded with {count} warnings, listed below.",
                len(warnings),
            ).format(count=i18n.integer(len(warnings)))
        st.success(said)
    else:
        said = ngettext(
            "{name} has {count} blocking problem, so nothing was changed: the pages still show {dataset}. Fix the "
            "rows below and upload the files again.",
            "{name} has {count} blocking problems, so nothing was changed: the pages still show {dataset}. Fix the "
            "rows below and upload the files again.",
            len(errors),
        ).format(name=md(report.name), count=i18n.integer(len(errors)), dataset=md(state.dataset().name))
        if warnings:
            said += " " + ngettext(
                "There is also {count} warning, which does not block.",
                "There are also {count} warnings, which do not block.",
                len(warnings),
            ).format(count=i18n.integer(len(warnings)))
        st.error(said)
    _problems(report.problems)


def _problems(problems: Sequence[Problem]) -> None:
    """Every problem, table by table, in the language spoken (each is put into words as it is shown), and the whole
    list as a CSV download (its column names and severities stay codes)."""
    if not problems:
        return
    st.download_button(
        _("Download the problems as CSV"),
        data=later(lambda: csv_bytes(report_frame(problems))),
        file_name="clusternet-problems.csv",
        mime="text/csv",
        on_click="ignore",
        key="problems_csv",
    )
    frame = report_frame(problems)
    places = {p.place: p.table for p in problems}  # the container's key stays the table's code
    for place, rows in frame.groupby("table", sort=False):
        n_errors = int((rows["severity"] == "error").sum())
        n_warnings = len(rows) - n_errors
        counts = ", ".join(
            [plural(n_errors, "{count} error", "{count} errors")] * bool(n_errors)
            + [plural(n_warnings, "{count} warning", "{count} warnings")] * bool(n_warnings)
        )
        table = places.get(str(place), str(place))
        title = contract()[table].filename if table in contract() else str(place)
        with st.container(key=f"report-{table}"):
            st.markdown(f"**{md(title)}** · {counts}")
            shown = rows.drop(columns="table").head(SHOWN_PER_TABLE)
            shown["severity"] = shown["severity"].map(lambda code: _(SEVERITIES.get(code, code)))
            st.table(_headed(_escaped(shown)), hide_index=True)
            if len(rows) > SHOWN_PER_TABLE:
                st.caption(
                    _("The first {shown} of {total} are shown; the CSV download holds them all.").format(
                        shown=i18n.integer(SHOWN_PER_TABLE), total=i18n.integer(len(rows))
                    )
                )


def _counts_frame(counts: Sequence[Count], shown: int) -> pd.DataFrame:
    """Counts of dropped rows or emptied values: how many, of what, why, and the first rows (file, row, values)."""
    return pd.DataFrame(
        {
            "rows": [i18n.integer(c.rows) for c in counts],
            "of": [c.what for c in counts],
            "reason": [c.reason for c in counts],
            "first rows": [
                " · ".join(first_row(file, row, text) for file, row, text in c.first[:shown]) for c in counts
            ],
        }
    )


def _report_csv(report: ImportReport) -> bytes:
    """The import's report as one table: what was read and kept, then each reason with its first rows."""
    rows = [("read", what, "", n, "") for what, n in report.read.items()]
    rows += [("kept", what, "", n, "") for what, n in report.kept.items()]
    for verdict, counts in (("dropped", report.dropped), ("merged", report.merged), ("left empty", report.emptied)):
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
    with st.container(key="import-report"):
        st.markdown("#### " + _("{source} import: {name}").format(source=report.source, name=md(converted.name)))
        st.markdown("**" + _("Files read") + "**")
        files = pd.DataFrame(
            {
                "file": [f.name for f in report.files],
                "read as": [
                    _("{source} {kind} file").format(source=report.source, kind=f.kind) if f.kind else _("ignored")
                    for f in report.files
                ],
                "rows": [i18n.integer(f.rows) if f.kind else None for f in report.files],
                "note": [f.note for f in report.files],
            }
        )
        st.table(_headed(_escaped(files)), hide_index=True)
        errors = [p for p in converted.problems if p.blocking]
        if errors or (converted.dataset is None and converted.used is None):
            st.error(
                ngettext(
                    "{name} could not be converted ({count} blocking problem), so nothing was changed: the pages "
                    "still show {dataset}.",
                    "{name} could not be converted ({count} blocking problems), so nothing was changed: the pages "
                    "still show {dataset}.",
                    len(errors),
                ).format(name=md(converted.name), count=i18n.integer(len(errors)), dataset=md(state.dataset().name))
            )
            _problems(converted.problems)
            return
        st.markdown(
            _("**Read:** {counts}.").format(counts=md(counted(report.read)))
            + "  \n"
            + _("**Kept:** {counts}.").format(counts=md(counted(report.kept)))
        )
        # The amounts' totals and what to check, as the CLI prints them (ImportReport.money_lines)
        st.markdown("  \n".join(md(line.strip()) for line in report.money_lines()))
        if report.narrowing:
            st.markdown(_("**Narrowed to:** {what}.").format(what=md("; ".join(report.narrowing))))
        if report.dropped:
            rows = report.dropped_rows
            st.markdown(
                ngettext(
                    "**Dropped: {count} row**, for these reasons", "**Dropped: {count} rows**, for these reasons", rows
                ).format(count=i18n.integer(rows))
            )
            st.table(_headed(_escaped(_counts_frame(report.dropped, FIRST_ROWS_SHOWN))), hide_index=True)
        else:
            st.markdown(_("**Dropped: no row.**"))
        if report.merged:
            st.markdown(_("**Merged, and near misses left apart**"))
            st.table(_headed(_escaped(_counts_frame(report.merged, FIRST_ROWS_SHOWN))), hide_index=True)
        if report.emptied:
            st.markdown(_("**Left empty or mapped to the nearest value** (the rows are kept)"))
            st.table(_headed(_escaped(_counts_frame(report.emptied, FIRST_ROWS_SHOWN))), hide_index=True)
        importer = importers.by_source(report.source)
        if importer is not None:
            st.caption(
                importer.caption(report)
                + " "
                + _("The whole mapping is in the README and in `clusternet import {command} --help`.").format(
                    command=importer.command
                )
            )
        warnings = [p for p in converted.problems if not p.blocking]
        held = converted.held()
        if held is None:
            st.info(
                _("This converted dataset was let go with *{button}*: upload the files again to use it.").format(
                    button=_(BACK)
                )
            )
            return
        left, middle, right = st.columns(3)
        if _converted_in_use(converted):
            left.success(_("In use: every page of this session shows it."))
        else:
            left.button(_("Use the converted dataset"), on_click=_use_converted, type="primary", key="use_converted")
        folder = re.sub(r"[^A-Za-z0-9._-]+", "-", converted.name).strip("-") or "import"
        tables = {n: f for n, f in held.tables.items() if n != "countries"}
        middle.download_button(
            _("Converted dataset (.zip of CSV files)"),
            data=later(lambda: dataset_zip(tables, f"{folder}-contract")),
            file_name=f"{folder}-contract.zip",
            mime="application/zip",
            on_click="ignore",
            key="converted_zip",
        )
        right.download_button(
            _("Import report (CSV)"),
            data=later(lambda: _report_csv(report)),
            file_name=f"{folder}-import-report.csv",
            mime="text/csv",
            on_click="ignore",
            key="import_report_csv",
        )
        if warnings:
            st.markdown(
                ngettext(
                    "The converted dataset passes validation with {count} warning:",
                    "The converted dataset passes validation with {count} warnings:",
                    len(warnings),
                ).format(count=i18n.integer(len(warnings)))
            )
            _problems(warnings)


# Gives the uploader's button (and its hidden file input) the name its ::after shows, as an aria-label: a screen
# reader reads the pseudo-element's text in Chromium, but axe-core and other tools do not count it. The name is read
# from the CSS itself, so it follows the language (no CSS, English: the label is removed again), and a watcher puts
# it back on the button of each new uploader (the page empties the uploader after every upload by making a new one).
_NAME_THE_BUTTON = """<script>
(() => {
  const box = ".st-key-upload-box [data-testid=stFileUploaderDropzone]";
  const name = () => {
    for (const button of document.querySelectorAll(box + " button")) {
      const text = button.querySelector("[data-testid=stMarkdownContainer]");
      const shown = text ? getComputedStyle(text, "::after").content : "none";
      const label = shown && shown.startsWith('"') ? JSON.parse(shown) : null;
      const input = button.closest(box).querySelector("[data-testid=stFileUploaderDropzoneInput]");
      for (const element of [button, input]) {
        if (!element) continue;
        if (label && element.getAttribute("aria-label") !== label) element.setAttribute("aria-label", label);
        if (!label && element === button && element.hasAttribute("aria-label")) element.removeAttribute("aria-label");
      }
    }
  };
  name();
  if (!window.clusternetUploaderNamed) {
    window.clusternetUploaderNamed = new MutationObserver(name);
    window.clusternetUploaderNamed.observe(document.body, {childList: true, subtree: true});
  }
})();
</script>"""


def _uploader_words() -> None:
    """Streamlit's file uploader writes its own words in English (its button `Upload`, the limit `50MB per file`
    and, while files are dragged over it, `Drag and drop files here`), and no parameter changes them. In another
    language this CSS puts the page's words in their place, inside the uploader of this page only (the container
    `upload-box`), found by Streamlit's `data-testid` attributes: the English text is taken out with
    `display: none`, which removes it for screen readers too, and the translation is shown by `::after`. The
    button keeps a name a screen reader reads: the pseudo-element's text, and an aria-label with the same words
    (`_NAME_THE_BUTTON`); the drop zone keeps the widget's label as its own. In English nothing is added."""
    if i18n.language() == i18n.ENGLISH:
        return
    words = {
        "button": _("Upload"),
        "limit": _("{size} MB per file • {types}").format(
            size=i18n.integer(MAX_UPLOAD_BYTES // MB), types=", ".join(t.upper() for t in ACCEPTED)
        ),
        "drop": _("Drag and drop files here"),
    }
    css = {name: '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"' for name, text in words.items()}
    box = ".st-key-upload-box [data-testid=stFileUploaderDropzone]"
    st.html(
        "<style>"
        f"{box} button [data-testid=stMarkdownContainer] p,"
        f"{box} [data-testid=stFileUploaderDropzoneInstructions] span,"
        f"{box} > div:not([data-testid]) > span {{display: none;}}"
        f"{box} button [data-testid=stMarkdownContainer]::after {{content: {css['button']};}}"
        f"{box} [data-testid=stFileUploaderDropzoneInstructions] > div::after"
        f" {{content: {css['limit']}; font-size: 0.875rem; white-space: nowrap;}}"
        f"{box} > div:not([data-testid])::after {{content: {css['drop']}; font-weight: 800;}}"
        "</style>"
    )
    st.html(_NAME_THE_BUTTON, unsafe_allow_javascript=True)


def _upload() -> None:
    st.subheader(_("Bring your own data"))
    st.markdown(
        _(
            "Upload a **.zip** of the CSV files, **several CSV files** at once, or an **.xlsx** workbook with one "
            "sheet per table, in the shape of the template below. The files are checked first: a dataset with "
            "blocking problems changes nothing. A valid one becomes the dataset of this browser session only."
        )
        + "  \n"
        + _(
            "Or bring **CORDIS or keep.eu files as downloaded**: CORDIS's `project.csv` and `organization.csv` "
            "(comma- or semicolon-separated, their .xlsx versions, or a .zip of them), keep.eu's export workbook "
            "of Interreg projects and partners (with its partnership CSV, if you have it). They are recognised by "
            "their columns and converted to the contract, and the import's report (what was kept, merged, dropped "
            "and why) is shown before you use the result."
        )
    )
    _uploader_words()
    with st.container(key="upload-box"):
        st.file_uploader(
            _("Your dataset (.zip, .csv or .xlsx)"),
            type=list(ACCEPTED),
            accept_multiple_files=True,
            key=_uploader_key(),
            on_change=_received,
            max_upload_size=MAX_UPLOAD_BYTES // MB,
            help=_(
                "Up to {upload} MB in all. A .zip may hold at most {files} files and unpack to at most {unpacked} MB. "
                "CSV files: UTF-8, comma-separated, header on row 1."
            ).format(
                upload=i18n.integer(MAX_UPLOAD_BYTES // MB),
                files=i18n.integer(MAX_ZIP_FILES),
                unpacked=i18n.integer(MAX_UNCOMPRESSED_BYTES // MB),
            ),
        )
    _check_pending()
    converted = st.session_state.get(CONVERTED)
    if converted is not None:
        _converted(converted)
    report = st.session_state.get(REPORT)
    if report is not None:
        _report(report)


def _template() -> None:
    st.subheader(_("Template"))
    st.markdown(
        _(
            "Every table of the contract with its column names and two example rows that pass validation. "
            "Replace the examples with your rows; keep the file and column names."
        )
    )
    left, right = st.columns(2)
    left.download_button(
        _("Template as .zip of CSV files"),
        data=later(template_zip),
        file_name="clusternet-template.zip",
        mime="application/zip",
        on_click="ignore",
        key="template_zip",
    )
    right.download_button(
        _("Template as .xlsx workbook"),
        data=later(template_xlsx),
        file_name="clusternet-template.xlsx",
        mime=XLSX,
        on_click="ignore",
        key="template_xlsx",
    )


def _guide() -> None:
    st.subheader(_("The columns"))
    st.caption(
        _("Generated from the same contract the validator checks against. Extra columns are kept, with a warning.")
    )
    columns = guide()
    for table, holds in zip(contract().values(), tables_guide()["holds"], strict=True):
        label = _("{file} (required)") if table.required else _("{file} (optional)")
        with st.expander(label.format(file=table.filename)):
            st.markdown(md(holds))
            rows = columns[columns["table"] == table.filename].drop(columns="table")
            st.table(_headed(_escaped(rows)), hide_index=True)


def render() -> None:
    st.title(_("Data"))
    st.caption(_("Which dataset the pages show, and how to bring your own."))
    _in_use()
    _upload()
    _template()
    _guide()
