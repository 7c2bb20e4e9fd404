"""keep.eu exports as they are downloaded, converted to the contract: the real workbook and partnership CSV of five
Interreg programmes, counted here from the raw files with plain pandas; and workbooks in keep.eu's search-export
layout written here to try the joins, the merges and every reason a row is dropped."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import unicodedata
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from analysis import cordis, i18n, importers, keep
from analysis.importing.narrow import narrowing
from analysis.importing.report import ImportReport
from analysis.keep.values import amount
from tests import cordis_files as cf

AS_OF = date(2025, 6, 1)
ROOT = Path(__file__).resolve().parent.parent.parent
KEEP_RAW = ROOT.parent / "shared" / "realworld" / "keep-raw"
WORKBOOK = KEEP_RAW / "pgourdongeo_keep_closed_1420_5programmes.xlsx"
PARTNERSHIP = KEEP_RAW / "pgourdongeo_keep_closed_1420_Partnership_5programmes.csv"
MISSING = [str(p) for p in (WORKBOOK, PARTNERSHIP) if not p.exists()]
needs_samples = pytest.mark.skipif(
    bool(MISSING), reason=f"the real keep.eu samples are not here, not found: {', '.join(MISSING)}"
)


# --- Counting the raw files, independently of the importer. ---


def folded(text: object) -> str:
    """Words of a text with accents, case and punctuation dropped."""
    if not isinstance(text, str):
        return ""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()
    return " ".join(re.findall(r"\w+", plain))


def raw_counts() -> dict[str, int]:
    """Projects (programme + acronym), organisations (name, country, town) and participations of the workbook."""
    sheets = pd.read_excel(WORKBOOK, sheet_name=["Projects (lead partners)", "Partners"], dtype=str)
    projects, partners = sheets["Projects (lead partners)"], sheets["Partners"]
    country = partners["Country code"].str[:2].replace({"EL": "GR", "UK": "GB"})
    organisation = partners["Project Partner"].map(folded) + "|" + country + "|" + partners["Town"].map(folded)
    return {
        "projects": len(projects[["Programme", "Acronym"]].drop_duplicates()),
        "organisations": organisation.nunique(),
        "participations": len(
            pd.DataFrame({"p": partners["Programme"] + "|" + partners["Acronym"], "o": organisation}).drop_duplicates()
        ),
        "partner rows": len(partners),
        "lead rows": int((partners["Lead Partner"] == "Yes").sum()),
    }


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "analysis.cli", *args], capture_output=True, text=True, cwd=ROOT, check=False
    )


def dropped(report: ImportReport) -> dict[str, int]:
    return {f"{c.what}: {c.reason}": c.rows for c in report.dropped}


def read_tables(folder: Path) -> dict[str, pd.DataFrame]:
    return {
        name: pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)
        for name in ("organisations", "actions", "action_participants", "sources")
    }


@needs_samples
def test_the_workbook_imports_to_a_valid_dataset_whose_counts_are_the_raw_files(tmp_path):
    out = tmp_path / "keep"
    done = cli("import", "keep", str(WORKBOOK), "--out", str(out), "--as-of", "2025-06-01")
    assert done.returncode == 0, done.stderr + done.stdout
    assert cli("validate", str(out)).returncode == 0
    tables = read_tables(out)
    raw = raw_counts()
    assert len(tables["actions"]) == raw["projects"] == 177
    assert len(tables["organisations"]) == raw["organisations"]
    assert len(tables["action_participants"]) == raw["participations"]
    assert (tables["action_participants"]["role"] == "lead").sum() == raw["lead rows"]
    # Every partner row is a participation or reported with its reason.
    report = keep.convert([(WORKBOOK.name, WORKBOOK.read_bytes())], as_of=AS_OF).report
    partner_rows_dropped = sum(c.rows for c in report.dropped if c.what == "partner rows")
    assert raw["partner rows"] == len(tables["action_participants"]) + partner_rows_dropped
    project_rows_dropped = sum(c.rows for c in report.dropped if c.what == "project rows")
    assert report.read["project rows"] == len(tables["actions"]) + project_rows_dropped
    assert f"Kept: 177 actions (projects), {i18n.integer(raw['organisations'])} organisations" in done.stdout


@needs_samples
def test_the_workbook_s_values_reach_the_contract_cleaned(tmp_path):
    done = keep.convert([(WORKBOOK.name, WORKBOOK.read_bytes())], as_of=AS_OF)
    assert done.tables is not None
    orgs, actions = done.tables["organisations"], done.tables["actions"]
    sheets = pd.read_excel(WORKBOOK, sheet_name=["Projects (lead partners)", "Partners"], dtype=str)
    projects, partners = sheets["Projects (lead partners)"], sheets["Partners"]
    codes = set(partners["Country code"].str[:2].replace({"EL": "GR", "UK": "GB"}))
    assert set(orgs["country"]) == codes and "EL" not in codes | set(orgs["country"])
    thuringia = orgs[orgs["name"] == "Association for Rural Development Thuringia, Erfurt"].iloc[0]
    assert (thuringia["country"], thuringia["nuts2"], thuringia["city"]) == ("DE", "DEG0", "Erfurt")
    # Non-EU partners (Albania) have no NUTS and keep their country.
    albanian = orgs[orgs["country"] == "AL"]
    assert len(albanian) > 0 and (albanian["nuts2"] == "").all()
    # Each action keeps its programme; budget_eur is the EU Funding of its project.
    by_title = actions.set_index(actions["title"].str.split(": ", n=1).str[0])
    for __, project in projects.head(20).iterrows():
        action = by_title.loc[project["Acronym"]]
        assert action["programme"] == project["Programme"]
        assert float(action["budget_eur"]) == pytest.approx(float(project["EU Funding"]), abs=0.005)
        start = project["Project start"].replace("/", "-")
        assert action["start"] == start and action["kind"] == "project"
    # Closed projects: completed by their dates, unknown where the end was before the start (and left empty).
    assert actions.loc[actions["end"] != "", "status"].eq("completed").all()
    assert actions.loc[actions["end"] == "", "status"].eq("").all() and (actions["end"] == "").sum() == 2


@needs_samples
def test_the_workbook_with_its_partnership_csv_gives_the_same_dataset():
    alone = keep.convert([(WORKBOOK.name, WORKBOOK.read_bytes())], as_of=AS_OF)
    both = keep.convert(
        [(WORKBOOK.name, WORKBOOK.read_bytes()), (PARTNERSHIP.name, PARTNERSHIP.read_bytes())], as_of=AS_OF
    )
    assert alone.tables is not None and both.tables is not None
    for table in ("actions", "organisations", "action_participants"):
        # The same values; only the source names the partners file apart (keep-eu-partners-1 of two).
        facts = [c for c in alone.tables[table].columns if c != "source_ids"]
        assert both.tables[table][facts].equals(alone.tables[table][facts]), table
    csv_rows = len(PARTNERSHIP.read_text(encoding="utf-8").splitlines()) - 1
    again = "partner rows: the same partner row again (in this file or another): counted once"
    assert dropped(both.report) == {again: csv_rows}
    # Rows of the CSV cut short by a line break inside a value: an odd quote and fewer cells than the header.
    lines = PARTNERSHIP.read_text(encoding="utf-8").splitlines()
    width = len(lines[0].split(";"))
    short = [
        i + 1
        for i, line in enumerate(lines[1:], start=1)
        if line.count('"') % 2 and len(next(csv.reader([line], delimiter=";"))) < width
    ]
    cut = next(c for c in both.report.emptied if c.reason.startswith("cut short"))
    assert cut.rows == len(short) == 7
    assert [row for __, row, __ in cut.first] == short[:5]


@needs_samples
def test_the_report_speaks_italian(tmp_path):
    done = cli("import", "keep", str(WORKBOOK), "--out", str(tmp_path / "it"), "--lang", "it")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Letti:")
    assert "file keep.eu project, 177 righe" in done.stdout
    assert "Conservati: 177 azioni (progetti)" in done.stdout


# --- Workbooks in the layout of keep.eu's search export, written here. ---

PROJECT_HEADER = [
    *("Period", "Programme", "Project acronym", "Project ID (2021-2027 only)", "Project name in English"),
    *("Project start", "Project end", "Project's total budget / expenditure", "Project's EU funding", "Theme 1"),
]
PARTNER_HEADER = [
    *("Programme", "Project acronym", "Project ID (2021-2027 only)", "Organisation in English", "Lead partner"),
    *("Country code", "Participant Identification Code", "Type of Organisation", "NUTS2 code (or equivalent)", "Town"),
    *("Partner's total eligible budget / expenditure", "ERDF contribution (2014-2020 only)"),
    "Partner's programme co-financing (EUR) (2021-2027 only)",
]
CENTRAL = "2014 - 2020 INTERREG VB Central Europe"
ADRION = "2014 - 2020 INTERREG VB Adriatic - Ionian"
NORTH = "2021 - 2027 Interreg North Sea"


def project(programme: str, acronym: str, **values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "Period": "2014-2020",
        "Programme": programme,
        "Project acronym": acronym,
        "Project name in English": f"The {acronym} project",
        "Project start": datetime(2017, 3, 1),
        "Project end": datetime(2020, 2, 28),
        "Project's EU funding": 850000.0,
        "Project's total budget / expenditure": 1000000.0,
    }
    return row | values


def partner(programme: str, acronym: str, name: str, country: str, **values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "Programme": programme,
        "Project acronym": acronym,
        "Organisation in English": name,
        "Country code": country,
        "Lead partner": "No",
        "Town": "Bari",
    }
    return row | values


def workbook(projects: list[dict[str, object]], partners: list[dict[str, object]]) -> bytes:
    book = Workbook()
    first = book.active
    first.title = "Search results, projects"
    for sheet, header, rows in (
        (first, PROJECT_HEADER, projects),
        (book.create_sheet("Search results, partners"), PARTNER_HEADER, partners),
    ):
        sheet.append(header)
        for row in rows:
            sheet.append([row.get(column) for column in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def converted(projects, partners, **options):
    done = keep.convert([("Project_search_results.xlsx", workbook(projects, partners))], as_of=AS_OF, **options)
    assert done.tables is not None, done.report.lines()
    return done


def test_partners_join_their_project_by_id_else_by_acronym_within_its_programme():
    projects = [
        project(CENTRAL, "CREATE"),
        project(ADRION, "CREATE", **{"Project's EU funding": 400000.0}),  # the same acronym, another programme
        project(NORTH, "NSEA", **{"Period": "2021-2027", "Project ID (2021-2027 only)": "NS-0042"}),
    ]
    partners = [
        partner(CENTRAL, "CREATE", "Puglia Creativa", "IT", **{"Lead partner": "Yes"}),
        partner(ADRION, "CREATE", "Puglia Creativa", "IT"),
        partner(NORTH, "NSEA", "Aarhus Kommune", "DK", **{"Project ID (2021-2027 only)": "NS-0042", "Town": "Aarhus"}),
        partner(NORTH, "NSEA", "Hamburg Port", "DE", Town="Hamburg"),  # no id: found by its acronym
    ]
    done = converted(projects, partners)
    actions = done.tables["actions"].set_index("programme")
    participants = done.tables["action_participants"]
    assert len(actions) == 3 and len(participants) == 4
    assert float(actions.loc[ADRION, "budget_eur"]) == 400000
    north = actions.loc[NORTH, "action_id"]
    assert (participants["action_id"] == north).sum() == 2
    assert participants.loc[participants["role"] == "lead", "action_id"].tolist() == [actions.loc[CENTRAL, "action_id"]]
    puglia = done.tables["organisations"]
    assert (puglia["name"] == "Puglia Creativa").sum() == 1  # one organisation in two projects


def test_organisations_merge_by_pic_else_by_name_country_and_town_and_near_misses_are_reported():
    projects = [project(CENTRAL, "A"), project(CENTRAL, "B"), project(CENTRAL, "C")]
    partners = [
        partner(CENTRAL, "A", "Politecnico di Bari", "IT", **{"Participant Identification Code": "999880001"}),
        partner(CENTRAL, "B", "POLITECNICO DI BARI ", "IT", **{"Participant Identification Code": "999880001"}),
        partner(CENTRAL, "C", "Politécnico di Bari", "IT"),  # no PIC: the same name, country and town
        partner(CENTRAL, "A", "Regione Puglia", "IT"),
        partner(CENTRAL, "B", "Regione Puglia", "IT", Town="Bari (BA)"),  # another town: left apart
        partner(CENTRAL, "C", "Thessaloniki Port", "EL Greece / ΕΛΛΑΔΑ (ELLADA)", Town="Thessaloniki"),
    ]
    done = converted(projects, partners)
    orgs = done.tables["organisations"]
    poliba = orgs[orgs["org_id"].str.endswith("999880001")]
    assert len(poliba) == 1 and poliba.iloc[0]["name"] == "Politecnico di Bari"
    assert (done.tables["action_participants"]["org_id"] == poliba.iloc[0]["org_id"]).sum() == 3
    assert (orgs["name"] == "Regione Puglia").sum() == 2
    assert orgs.loc[orgs["name"] == "Thessaloniki Port", "country"].tolist() == ["GR"]
    merged = {c.reason: c for c in done.report.merged}
    spellings = next(c for reason, c in merged.items() if "spelled apart" in reason)
    assert spellings.rows == 3 and "of 1 organisation" in spellings.reason
    near = next(c for reason, c in merged.items() if "another town" in reason)
    assert near.rows == 2 and [text.split(",")[0] for __, __, text in near.first] == ["name Regione Puglia"] * 2


def test_amounts_roles_kinds_nuts_and_dates_map_as_the_registry_says():
    projects = [project(CENTRAL, "A", **{"Project end": "N.a."}), project(CENTRAL, "B")]
    partners = [
        partner(
            CENTRAL,
            "A",
            "Comune di Bari",
            "IT",
            **{
                "Lead partner": "Yes",
                "Type of Organisation": "Local public authority",
                "NUTS2 code (or equivalent)": "ITF4",
                "ERDF contribution (2014-2020 only)": "212,500.50",
                "Partner's total eligible budget / expenditure": 250000.59,
            },
        ),
        partner(CENTRAL, "A", "Tirana Municipality", "AL", Town="Tirana", **{"Type of Organisation": "Brewery"}),
        # NUTS 2013 codes: PACA renamed since (its label names FRL0), Közép-Magyarország split (no region of its name)
        partner(
            CENTRAL,
            "A",
            "Ville de Nice",
            "FR",
            Town="Nice",
            **{"NUTS2 code (or equivalent)": "FR82  / Provence-Alpes-Côte d'Azur"},
        ),
        partner(
            CENTRAL,
            "B",
            "Budapest XII",
            "HU",
            Town="Budapest",
            **{"NUTS2 code (or equivalent)": "HU10  / Közép-Magyarország"},
        ),
        partner(
            CENTRAL,
            "B",
            "Uni Lodz",
            "PL",
            Town="Łódź",
            **{
                "Type of Organisation": "Higher education and research organisations",
                "NUTS2 code (or equivalent)": "PL71  / Łódzkie",
                "ERDF contribution (2014-2020 only)": "-5",
            },
        ),
    ]
    done = converted(projects, partners)
    orgs = done.tables["organisations"].set_index("name")
    assert orgs.loc["Comune di Bari", ["kind", "nuts2"]].tolist() == ["public_authority", "ITF4"]
    assert orgs.loc["Tirana Municipality", ["kind", "country", "nuts2"]].tolist() == ["other", "AL", ""]
    assert orgs.loc["Uni Lodz", ["kind", "nuts2", "city"]].tolist() == ["university", "PL71", "Łódź"]
    assert orgs.loc["Ville de Nice", "nuts2"] == "FRL0" and orgs.loc["Budapest XII", "nuts2"] == ""
    p = done.tables["action_participants"].set_index("org_id")
    bari = orgs.loc["Comune di Bari", "org_id"]
    assert p.loc[bari, ["role", "contribution_eur", "cost_eur"]].tolist() == ["lead", "212500.5", "250000.59"]
    assert p.loc[orgs.loc["Uni Lodz", "org_id"], "contribution_eur"] == ""  # negative: no amount, never 0
    emptied = {c.reason: c.rows for c in done.report.emptied}
    assert emptied["erdf is not an amount (unreadable or negative): left empty"] == 1
    assert emptied["Project end missing or unreadable: end left empty"] == 1
    older = "the NUTS2 code is of an older NUTS version, its label the name of a NUTS 2021 region: read as it"
    assert emptied[older] == 1
    assert emptied["the NUTS2 code is not a NUTS 2021 code (keep.eu may give an older version): nuts2 left empty"] == 1
    actions = done.tables["actions"].set_index("title")
    assert actions.loc["A: The A project", ["start", "end"]].tolist() == ["2017-03-01", ""]
    assert actions.loc["B: The B project", ["end", "status", "participants_count"]].tolist() == [
        "2020-02-28",
        "completed",
        "2",
    ]
    assert done.report.contribution_total == pytest.approx(212500.5)


def test_rows_that_cannot_be_mapped_are_dropped_and_counted_with_their_reason():
    projects = [
        project(CENTRAL, "KEPT"),
        project(CENTRAL, "KEPT", **{"Project name in English": "listed again"}),
        project(CENTRAL, "UNDATED", **{"Project start": "soon"}),
    ]
    partners = [
        partner(CENTRAL, "KEPT", "Regione Puglia", "IT"),
        partner(CENTRAL, "KEPT", "Regione Puglia", "IT"),  # the same row again
        partner(CENTRAL, "GHOST", "Nobody", "IT"),
        partner(CENTRAL, "UNDATED", "Comune di Lecce", "IT"),
        partner(CENTRAL, "KEPT", "", "IT"),
        partner(CENTRAL, "KEPT", "Narnia Council", "Narnia"),
    ]
    done = converted(projects, partners)
    assert dropped(done.report) == {
        "project rows: no readable Project start": 1,
        "project rows: the project is listed again (once per lead-partner row): its first row kept": 1,
        "partner rows: no organisation name": 1,
        "partner rows: its project is not in the projects sheet": 1,
        "partner rows: its project was dropped (see the project rows)": 1,
        "partner rows: no ISO 3166-1 country (Country code, Country)": 1,
        "partner rows: the same partner row again (in this file or another): counted once": 1,
    }
    assert len(done.tables["action_participants"]) == 1
    assert done.tables["actions"]["title"].tolist() == ["KEPT: The KEPT project"]


def test_narrowing_keeps_the_programmes_countries_and_period_asked():
    projects = [
        project(CENTRAL, "A"),
        project(ADRION, "B", **{"Project start": datetime(2019, 1, 1)}),
        project(ADRION, "C", **{"Project start": datetime(2016, 1, 1)}),
    ]
    partners = [
        partner(CENTRAL, "A", "Regione Puglia", "IT"),
        partner(ADRION, "B", "Regione Puglia", "IT"),
        partner(ADRION, "B", "Zagreb City", "HR", Town="Zagreb"),
        partner(ADRION, "C", "Zagreb City", "HR", Town="Zagreb"),
    ]
    only, refused = narrowing(programmes=["adriatic-ionian"], countries=["IT"], start_from="2018")
    assert refused == []
    done = converted(projects, partners, only=only)
    assert done.tables["actions"]["title"].tolist() == ["B: The B project"]
    assert len(done.tables["action_participants"]) == 2  # all of B's partners, Croatian too


def test_amounts_as_keep_eu_writes_them():
    values = pd.Series(["892,228.58", "892228.58", "1.234,50", "12,5", "1,000", "-5", "n/a", "", "1 500,00 €"])
    read = amount(values)
    assert read.tolist()[:5] == [892228.58, 892228.58, 1234.5, 12.5, 1000.0]
    assert read[5:8].isna().all() and read[8] == 1500.0


def test_keep_eu_files_are_recognised_as_keep_eu_and_cordis_files_as_cordis():
    book = workbook([project(CENTRAL, "A")], [partner(CENTRAL, "A", "Regione Puglia", "IT")])
    assert importers.recognised([("Project_search_results.xlsx", book)]) is keep.IMPORTER
    assert importers.recognised(cf.files(*cf_small())) is cordis.IMPORTER
    assert importers.recognised([("organisations.csv", b"org_id,name,kind,country\n")]) is None


def cf_small():
    return [cf.project("101", "doe")], [cf.participant("101", "900000001")]


def test_the_mapping_in_help_and_readme_is_the_registry_in_words():
    text = keep.mapping_text()
    words = " ".join(text.split())
    for m in keep.KINDS:
        assert f"{m.given} {m.contract}" in words
    assert "Yes lead, No partner" in words and "EL read as GR, UK read as GB" in words
    assert text in (ROOT / "README.md").read_text(encoding="utf-8")
    assert text in cli("import", "keep", "--help").stdout
