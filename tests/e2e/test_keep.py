"""keep.eu exports uploaded on the Data page as they are downloaded: the import's report says what the command line
says, and the converted dataset, once used, gives the Overview the tiles of the dataset `clusternet import keep`
writes from the same files."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page

from analysis import Dataset, keep, load_curated, load_dataset
from analysis.importing.report import Count, ImportReport
from analysis.upload import upload_name
from dashboard.views.data import FIRST_ROWS_SHOWN
from tests.cordis_files import REALWORLD
from tests.e2e.conftest import expect_metrics, open_app, rerun_done
from tests.e2e.test_cordis import table_rows
from tests.e2e.test_data import UPLOADER, go, kpis

ROOT = Path(__file__).resolve().parent.parent.parent
KEEP_RAW = REALWORLD / "keep-raw"
WORKBOOK = KEEP_RAW / "pgourdongeo_keep_closed_1420_5programmes.xlsx"
PARTNERSHIP = KEEP_RAW / "pgourdongeo_keep_closed_1420_Partnership_5programmes.csv"
# The tests on the real samples, skipped with this reason (printed by -ra) where ../shared/realworld lacks them.
MISSING_SAMPLES = [str(p) for p in (WORKBOOK, PARTNERSHIP) if not p.exists()]
needs_samples = pytest.mark.skipif(
    bool(MISSING_SAMPLES), reason=f"the real keep.eu samples are not here, not found: {', '.join(MISSING_SAMPLES)}"
)
REPORT = ".st-key-import-report"
MARKUP = f"{REPORT} b, {REPORT} em, {REPORT} i"  # what dataset text would become if read as HTML or Markdown


class Imported:
    """What `clusternet import keep` printed for some files, and the dataset it wrote."""

    def __init__(self, stdout: str, dataset: Dataset) -> None:
        self.stdout = stdout
        self.lines = stdout.splitlines()
        self.dataset = dataset

    def kept_line(self) -> str:
        """`177 actions (projects), ...` as printed after `Kept: `."""
        return next(line.removeprefix("Kept: ") for line in self.lines if line.startswith("Kept: "))

    def read_line(self) -> str:
        """The counts of what was read: the line printed just before `Kept:` (no narrowing asked)."""
        return self.lines[next(i for i, line in enumerate(self.lines) if line.startswith("Kept: ")) - 1].strip()

    def kept(self) -> dict[str, int]:
        """The kept counts as numbers: `1,165 organisations` -> {"organisations": 1165}."""
        pairs = (part.split(" ", 1) for part in self.kept_line().split(", "))
        return {what: int(number.replace(",", "")) for number, what in pairs}

    def counts(self, heading: str) -> list[list[str]]:
        """The reasons printed under `heading` as the page's table shows them: rows, of what, reason, first rows."""
        start = self.lines.index(heading) + 1
        rows: list[list[str]] = []
        for line in self.lines[start:]:
            if not line.startswith(" "):
                break
            if line.startswith("      "):
                rows[-1][3].append(line.strip())
            else:
                number, rest = line.strip().split(" ", 1)
                what, reason = rest.split(": ", 1)
                rows.append([number, what, reason, []])
        return [
            [spaced(n), spaced(what), spaced(reason), spaced(" · ".join(first[:FIRST_ROWS_SHOWN]))]
            for n, what, reason, first in rows
        ]


def spaced(text: str) -> str:
    """Whitespace as table_rows reads a cell: runs of spaces as one."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def cli_import(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Sequence[Path]], Imported]:
    """`clusternet import keep FILES --out DIR` as an analyst runs it, once per set of files in this module."""
    done: dict[tuple[Path, ...], Imported] = {}

    def run(files: Sequence[Path]) -> Imported:
        if tuple(files) not in done:
            out = tmp_path_factory.mktemp("keep-import") / "dataset"
            command = [sys.executable, "-m", "analysis.cli", "import", "keep", *map(str, files), "--out", str(out)]
            ran = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT)
            assert ran.returncode == 0, ran.stdout + ran.stderr
            loaded = load_dataset(out)
            assert loaded.ok and loaded.dataset is not None, [p.line() for p in loaded.errors]
            done[tuple(files)] = Imported(ran.stdout, loaded.dataset)
        return done[tuple(files)]

    return run


def conversion(files: Sequence[Path]) -> ImportReport:
    """The report of analysis.keep.convert on the files, as the page and the command line make it."""
    return keep.convert([(f.name, f.read_bytes()) for f in files]).report


def shown(count: Count) -> list[str]:
    """A reason of the report as the page's table shows it."""
    first = " · ".join(f"{file} row {row}: {text}" for file, row, text in count.first[:FIRST_ROWS_SHOWN])
    return [spaced(cell) for cell in (f"{count.rows:,}", count.what, count.reason, first)]


def upload_keep(page: Page, files: Sequence[Path]) -> str:
    """Upload on the Data page, wait for the import's report, and return the page's text."""
    go(page, "Data")
    page.locator(UPLOADER).set_input_files([str(f) for f in files])
    page.get_by_text("keep.eu import:").first.wait_for(timeout=90_000)
    rerun_done(page)
    assert page.locator("[data-testid=stException]").count() == 0
    body = page.inner_text("body")
    assert f"keep.eu import: {upload_name([f.name for f in files])}" in body
    return body


def use_and_read_overview(page: Page, expected: dict[str, str], name: str) -> None:
    """Use the converted dataset, then find the Overview's tiles reading `expected` and the upload named."""
    page.get_by_role("button", name="Use the converted dataset").click()
    rerun_done(page)
    assert "In use: every page of this session shows it." in page.inner_text("body")
    go(page, "Overview")
    expect_metrics(page, expected)
    assert f"your upload {name}" in page.inner_text("body")
    assert page.locator("[data-testid=stException]").count() == 0


@needs_samples
def test_the_workbook_shows_the_clis_report_then_the_overview_has_the_imported_counts(curated_app, page, cli_import):
    imported = cli_import([WORKBOOK])
    sizes = imported.dataset.sizes()
    kept = imported.kept()
    assert kept == {
        "actions (projects)": sizes["actions"],
        "organisations": sizes["organisations"],
        "participations": sizes["action_participants"],
    }
    mine = kpis(imported.dataset)
    # The Done when of issue 25: the tiles are the imported dataset's counts (keep.eu gives no agreements).
    assert mine["Organisations"] == f"{sizes['organisations']:,}"
    assert mine["Actions"] == f"{sizes['actions']:,}"
    assert mine["Agreements"] == "0"
    assert mine["Countries"] == f"{imported.dataset.organisations['country'].nunique():,}"
    assert mine != kpis(load_curated())  # the tiles change when the converted dataset is used
    merged = imported.counts("Merged, and near misses left apart:")
    assert merged, imported.stdout  # the sample spells organisations apart: the report must show merges

    open_app(page, f"{curated_app.url}/data")
    body = upload_keep(page, [WORKBOOK])
    assert f"Read: {imported.read_line()}." in body
    assert f"Kept: {imported.kept_line()}." in body
    assert "Dropped: 0 rows (none)" in imported.lines and "Dropped: no row." in body
    assert "Merged, and near misses left apart" in body
    assert table_rows(page, "Merged, and near misses left apart") == merged
    assert table_rows(page, "Left empty or mapped") == imported.counts(
        "Left empty or mapped to the nearest value (the rows are kept):"
    )
    for button in ("Use the converted dataset", "Converted dataset (.zip of CSV files)", "Import report (CSV)"):
        assert page.get_by_role("button", name=button).count() == 1, button
    assert page.locator(MARKUP).count() == 0  # dataset text stays text

    use_and_read_overview(page, mine, WORKBOOK.name)


def short_lines(path: Path) -> list[int]:
    """The lines of a `;`-separated file with fewer cells than its header (a value's line break cut them short)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [n for n, line in enumerate(lines, start=1) if line and line.count(";") < lines[0].count(";")]


@needs_samples
def test_the_partnership_csv_beside_the_workbook_is_the_same_partners_again(curated_app, page, cli_import):
    files = [WORKBOOK, PARTNERSHIP]
    both, alone = conversion(files), conversion([WORKBOOK])
    csv_read = next(f for f in both.files if f.name == PARTNERSHIP.name)
    again = next(c for c in both.dropped if "the same partner row again" in c.reason)
    cut = next(c for c in both.emptied if "cut short by a line break" in c.reason)
    # The report's numbers, checked against the raw files: every row of the CSV repeats a row of the workbook's
    # Partners sheet, and the rows cut short are the CSV's lines with fewer cells than its header.
    assert again.rows == csv_read.rows and {file for file, __, __ in again.first} == {PARTNERSHIP.name}
    assert both.dropped == (again,)
    short = short_lines(PARTNERSHIP)
    assert cut.rows == len(short) > 0
    assert [row for __, row, __ in cut.first] == short[: len(cut.first)]
    assert both.kept == alone.kept
    assert cli_import(files).kept_line() == cli_import([WORKBOOK]).kept_line()

    open_app(page, f"{curated_app.url}/data")
    body = upload_keep(page, files)
    assert f"Kept: {cli_import([WORKBOOK]).kept_line()}." in body
    assert f"Dropped: {again.rows:,} rows, for these reasons" in body
    assert table_rows(page, "Dropped") == [shown(again)]
    assert shown(cut) in table_rows(page, "Left empty or mapped")
    files_read = {row[0]: row for row in table_rows(page, "Files read")}
    assert files_read[PARTNERSHIP.name] == [
        PARTNERSHIP.name,
        "keep.eu partner file",
        f"{csv_read.rows:,}",
        spaced(csv_read.note),
    ]
    assert f"{cut.rows:,} rows cut short by a line break inside a value" in csv_read.note
    assert page.locator(MARKUP).count() == 0  # dataset text stays text

    # The same partners read twice change nothing: the Overview has the workbook's own tiles.
    mine = kpis(cli_import(files).dataset)
    assert mine == kpis(cli_import([WORKBOOK]).dataset)
    use_and_read_overview(page, mine, upload_name([f.name for f in files]))


HOSTILE = "<b>Association</b> for *Rural* _Development_ <em>Thuringia</em>, Erfurt"


@needs_samples
def test_markup_in_the_workbooks_names_shows_as_text(curated_app, page, tmp_path):
    """The workbook with its first partner renamed in HTML and Markdown, its file name too: the report shows both as
    written."""
    book = load_workbook(WORKBOOK)
    partners = book["Partners"]
    column = [c.value for c in partners[1]].index("Project Partner") + 1
    partners.cell(row=2, column=column, value=HOSTILE)
    hostile = tmp_path / "keep <i>export<i> *5*.xlsx"  # a file name has no slash: no closing tag
    book.save(hostile)
    report = conversion([hostile])
    named = [c for c in report.emptied if any(HOSTILE in text for __, __, text in c.first[:FIRST_ROWS_SHOWN])]
    assert named, report.emptied  # the renamed partner is among the first rows the page shows

    open_app(page, f"{curated_app.url}/data")
    upload_keep(page, [hostile])
    left_empty = table_rows(page, "Left empty or mapped")
    for count in named:
        assert shown(count) in left_empty
    assert page.locator(MARKUP).count() == 0
    assert page.locator(".st-key-import-report h4").inner_text() == f"keep.eu import: {hostile.name}"
