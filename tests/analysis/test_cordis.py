"""CORDIS files as they are downloaded, converted to the contract: the real Horizon Europe samples, and files in
CORDIS's layout written here to try every rule of the mapping and every reason a row is dropped."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from analysis import cordis, i18n, importers
from analysis.dataset import load_dataset
from analysis.export import dataset_files
from analysis.importing.frame import Conversion
from analysis.importing.narrow import narrowing
from analysis.importing.read import files_from_paths
from analysis.importing.report import Differing, ImportReport
from analysis.schema import contract
from analysis.upload import load_upload
from tests import cordis_files as cf

AS_OF = date(2025, 6, 1)


def convert(projects, participants, separator=",", **options) -> Conversion:
    done = cordis.convert(cf.files(projects, participants, separator), as_of=AS_OF, **options)
    assert done.tables is not None, done.report.problems
    return done


def loaded(files, **options):
    result = cordis.load(files, "test", as_of=AS_OF, **options)
    assert result.dataset is not None, [p.line() for p in result.problems]
    assert result.errors == []
    return result


def dropped(report: ImportReport) -> dict[str, int]:
    return {c.reason: c.rows for c in report.dropped}


def emptied(report: ImportReport) -> dict[str, int]:
    return {c.reason: c.rows for c in report.emptied}


def by(frame: pd.DataFrame, column: str) -> dict[str, dict]:
    return {row[column]: row for row in frame.to_dict("records")}


# --- The real Horizon Europe samples. ---


def distinct_in_samples() -> tuple[set[str], set[str], set[tuple[str, str]]]:
    """Projects, organisations and (project, organisation) pairs of the sample files, read with csv alone."""
    with cf.HE_PROJECTS.open(encoding="utf-8") as f:
        projects = {row["id"] for row in csv.DictReader(f)}
    with cf.HE_ORGANIZATIONS.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return projects, {r["organisationID"] for r in rows}, {(r["projectID"], r["organisationID"]) for r in rows}


@pytest.fixture(scope="module")
def he():
    files = [(p.name, p.read_bytes()) for p in (cf.HE_PROJECTS, cf.HE_ORGANIZATIONS)]
    return loaded(files)


@cf.needs_samples
def test_the_horizon_europe_samples_become_exactly_their_projects_organisations_and_pairs(he):
    projects, organisations, pairs = distinct_in_samples()
    assert (len(projects), len(organisations), len(pairs)) == (42, 92, 100)
    data = he.dataset
    assert data.sizes()["actions"] == len(projects)
    assert data.sizes()["organisations"] == len(organisations)
    assert data.sizes()["action_participants"] == len(pairs)
    assert {a.split("-")[1] for a in data.actions["action_id"]} == projects
    assert {o.rsplit("-", 1)[1] for o in data.organisations["org_id"]} == organisations
    links = data.action_participants
    got = {(a.split("-")[1], o.rsplit("-", 1)[1]) for a, o in zip(links["action_id"], links["org_id"], strict=True)}
    assert got == pairs
    report = he.imported
    assert report.dropped == ()
    assert report.kept == {"actions (projects)": 42, "organisations": 92, "participations": 100}
    assert report.read == {
        "project rows": 42,
        "projects": 42,
        "organization rows": 100,
        "organisations": 92,
        "(project, organisation) pairs": 100,
    }
    assert data.warnings == ()
    assert set(data.actions["kind"]) == {"project"}


@cf.needs_samples
def test_the_samples_map_countries_regions_coordinates_kinds_and_roles(he):
    orgs = by(he.dataset.organisations, "org_id")
    forth = orgs["idryma-technologias-kai-erevnas-999995893"]  # CORDIS: EL, EL431
    assert (forth["country"], forth["nuts2"], forth["lat"], forth["lon"]) == ("GR", "EL43", 35.335976, 25.126581)
    assert forth["kind"] == "research_centre"
    london = orgs["eit-digital-uk-897714437"]  # CORDIS: UK, UKI31
    assert (london["country"], london["nuts2"], london["kind"]) == ("GB", "UKI3", "other")
    mpg = orgs["max-planck-gesellschaft-zur-forderung-de-999990267"]
    assert (mpg["nuts2"], mpg["city"], mpg["website"]) == ("DE21", "Munchen", "http://www.mpg.de")
    berkeley = orgs["the-regents-of-the-university-of-califor-999467340"]  # nutsCode US: the country only
    assert (berkeley["country"], berkeley["nuts2"]) == ("US", None)
    assert "nutsCode US is only the country level: nuts2 left empty" in berkeley["notes"]
    kinds = he.dataset.organisations["kind"].value_counts().to_dict()
    assert kinds == {"other": 46, "company": 20, "university": 13, "research_centre": 10, "public_authority": 3}
    roles = he.dataset.action_participants["role"].value_counts().to_dict()
    assert roles == {"partner": 44, "lead": 41, "participant": 15}  # thirdParty 14 + associatedPartner 1
    assert emptied(he.imported) == {
        "nutsCode is only the country level: nuts2 left empty": 13,
        "geolocation empty: lat and lon left empty": 1,
    }
    status = he.dataset.actions.set_index("action_id")["status"]
    assert status["cordis-101116741-doe"] == "ongoing"  # SIGNED, 2024-02-01..2029-01-31, on 2025-06-01
    assert status["cordis-101052410-eucys2022"] == "completed"  # CLOSED
    assert he.dataset.actions.set_index("action_id")["budget_eur"]["cordis-101124648-resaver-2023"] == 2499638.25


@cf.needs_samples
def test_the_samples_agree_with_the_hand_conversion_on_countries_regions_websites_and_places(he):
    """An independent conversion of some of the same organisations (../shared/realworld/cordis-sample)."""
    hand = pd.read_csv(cf.HAND_CONVERSION / "organisations.csv", dtype=str, keep_default_na=False)
    hand["pic"] = hand["org_id"].str.rsplit("-", n=1).str[1]
    ours = he.dataset.organisations.assign(pic=he.dataset.organisations["org_id"].str.rsplit("-", n=1).str[1])
    both = ours.merge(hand, on="pic", suffixes=("", "_hand"))
    assert len(both) == 71
    for column in ("country", "nuts2", "website"):
        assert (both[column].fillna("") == both[f"{column}_hand"]).all(), column
    placed = both[both["lat_hand"] != ""]
    assert (placed["lat"] - placed["lat_hand"].astype(float)).abs().max() < 1e-6


@cf.needs_samples
def test_every_row_cites_a_source_and_every_project_its_cordis_page(he):
    data = he.dataset
    for table in ("organisations", "actions", "action_participants"):
        assert data.tables[table]["source_ids"].notna().all(), table
    sources = by(data.sources, "source_id")
    assert sources["cordis-project-101116741"]["url"] == "https://cordis.europa.eu/project/id/101116741"
    assert sources["cordis-organization-file"]["published_on"] == "2025-02-24"
    assert sources["cordis-organization-file"]["title"] == (
        "CORDIS organization file voteveto2_he_organization_head100.csv, records updated up to 2025-02-24; "
        "imported 2025-06-01"
    )
    doe = by(data.actions, "action_id")["cordis-101116741-doe"]
    assert doe["source_ids"] == "cordis-project-101116741;cordis-project-file"
    assert doe["title"] == "DOE: Digitizing Other Economies: A Comparative Approach"
    assert doe["summary"] == (
        "Horizon Europe (HORIZON) project, topic ERC-2023-STG, funding scheme HORIZON-ERC, legal basis HORIZON.1.1. "
        "CORDIS status SIGNED: ongoing by its dates on 2025-06-01. budget_eur is CORDIS's ecMaxContribution (the "
        "EU's maximum contribution). Total cost EUR 1499998."
    )


@cf.needs_samples
def test_the_samples_contributions_sum_per_country_as_the_raw_file_says(he):
    """contribution_eur per country against a plain pandas sum of the raw file's netEcContribution."""
    raw = pd.read_csv(cf.HE_ORGANIZATIONS, dtype=str, keep_default_na=False)
    project_ids = pd.read_csv(cf.HE_PROJECTS, dtype=str, keep_default_na=False)["id"]
    # The importer drops no row of this sample (its report says so): every row whose project is in the project file
    # counts. No pair is listed twice (nothing merged) and no net amount is empty (no ecContribution used instead),
    # so the plain sum needs neither rule.
    assert he.imported.dropped == ()
    rows = raw[raw["projectID"].isin(project_ids)]
    assert len(rows) == 100
    assert not rows.duplicated(["projectID", "organisationID"]).any()
    assert (rows["netEcContribution"] != "").all()

    def euros(column: str) -> pd.Series:  # as written: a decimal comma or point
        return pd.to_numeric(rows[column].str.replace(",", ".", regex=False))

    country = rows["country"].replace({"EL": "GR", "UK": "GB"})
    expected = euros("netEcContribution").groupby(country).sum().round(2).to_dict()
    data = he.dataset
    joined = data.action_participants.merge(data.organisations[["org_id", "country"]], on="org_id", how="left")
    assert joined["country"].notna().all()
    got = joined.groupby("country")["contribution_eur"].sum().round(2).to_dict()
    assert got == expected
    assert (got["BE"], got["DE"], got["GR"], got["GB"], got["LV"]) == (
        32336109.25,
        20736123.75,
        3851685.0,
        1375000.0,
        19005.0,
    )
    report = he.imported
    assert round(report.contribution_total, 2) == round(sum(expected.values()), 2) == 121059384.01
    assert round(report.cost_total, 2) == round(euros("totalCost").sum(), 2) == 118993689.0  # decimal commas there
    assert report.without_contribution == 0
    # the head of 100 rows cuts the last project short: its one listed participant (a third party) gets 19,005 EUR
    assert report.differing_projects == 1
    assert report.differing_first == (Differing("cordis-101095910-craft", 19005.0, 575789.0),)
    thirds = data.action_participants[data.action_participants["notes"] == "CORDIS role thirdParty"]
    assert len(thirds) == 14 and thirds["contribution_eur"].gt(0).all()  # their ecContribution is 0: net is theirs


# --- Files written here, in CORDIS's layout. ---


def small() -> tuple[list[cf.Row], list[cf.Row]]:
    projects = [cf.project("101", "ALPHA"), cf.project("102", "BETA", status="CLOSED", endDate="2024-12-31")]
    participants = [
        cf.participant("101", "900000001", role="coordinator"),
        cf.participant("101", "900000002", country="EL", nutsCode="EL301", geolocation="37.98,23.72", city="Athens"),
        cf.participant("102", "900000001", role="coordinator"),
        cf.participant("102", "900000003", country="UK", nutsCode="UKI31", activityType="PRC", role="thirdParty"),
    ]
    return projects, participants


def test_comma_semicolon_zip_folder_and_xlsx_give_the_same_dataset(tmp_path):
    projects, participants = small()
    expected = convert(projects, participants).tables
    semicolon = cf.files(projects, participants, ";")
    assert b'"id";"acronym"' in semicolon[0][1]
    zipped = [("cordis-h2020projects-csv.zip", cf.zip_bytes({f"csv/{n}": d for n, d in semicolon}))]
    workbooks = [
        ("project.xlsx", cf.xlsx_bytes(projects, cf.PROJECT_COLUMNS, "project")),
        ("organization.xlsx", cf.xlsx_bytes(participants, cf.ORGANIZATION_COLUMNS, "organization")),
    ]
    for name, data in semicolon:
        (tmp_path / name).write_bytes(data)
    folder, missing = files_from_paths([tmp_path])
    assert missing == []
    for files in (semicolon, zipped, workbooks, folder):
        done = cordis.convert(files, as_of=AS_OF)
        assert done.tables is not None, done.report.problems
        for name, frame in expected.items():
            if files is workbooks and name == "sources":  # the file sources name the workbook's sheets
                frame, got = frame.drop(columns="title"), done.tables[name].drop(columns="title")
            else:
                got = done.tables[name]
            pd.testing.assert_frame_equal(got, frame, obj=name)
    zipped_report = cordis.convert(zipped, as_of=AS_OF).report
    assert [(f.name, f.kind, f.rows, f.note) for f in zipped_report.files] == [
        ("cordis-h2020projects-csv.zip/csv/project.csv", "project", 2, "semicolon-separated"),
        ("cordis-h2020projects-csv.zip/csv/organization.csv", "organization", 4, "semicolon-separated"),
    ]


def test_files_are_recognised_by_their_columns_not_their_names():
    projects, participants = small()
    files = [
        ("export (2).csv", cf.csv_bytes(participants, cf.ORGANIZATION_COLUMNS)),
        ("topics.csv", b"topic;title\nHORIZON-CL2;Culture\n"),
        ("projects-2025.csv", cf.csv_bytes(projects, cf.PROJECT_COLUMNS)),
    ]
    done = cordis.convert(files, as_of=AS_OF)
    assert [(f.name, f.kind) for f in done.report.files] == [
        ("export (2).csv", "organization"),
        ("topics.csv", ""),
        ("projects-2025.csv", "project"),
    ]
    assert done.report.files[1].note.startswith("not a CORDIS project or organization file (a project file has id")
    assert len(done.tables["action_participants"]) == 4
    assert importers.recognised(files) is cordis.IMPORTER
    assert not importers.recognised([("organisations.csv", b"org_id,name,kind,country\n")])


def test_countries_el_uk_regions_and_ids_of_the_small_files():
    done = convert(*small())
    orgs = by(done.tables["organisations"], "org_id")
    assert list(orgs) == [
        "universitaet-900000001-900000001",
        "universitaet-900000002-900000002",
        "universitaet-900000003-900000003",
    ]
    athens, london = orgs["universitaet-900000002-900000002"], orgs["universitaet-900000003-900000003"]
    assert (athens["country"], athens["nuts2"], athens["lat"], athens["lon"]) == ("GR", "EL30", "37.98", "23.72")
    assert (london["country"], london["nuts2"], london["kind"]) == ("GB", "UKI3", "company")
    actions = by(done.tables["actions"], "action_id")
    assert list(actions) == ["cordis-101-alpha", "cordis-102-beta"]
    assert actions["cordis-102-beta"]["status"] == "completed"
    assert actions["cordis-101-alpha"]["budget_eur"] == "1000000.5"
    assert actions["cordis-101-alpha"]["participants_count"] == "2"
    rows = done.tables["action_participants"]
    assert rows[["action_id", "org_id", "role", "notes"]].values.tolist() == [
        ["cordis-101-alpha", "universitaet-900000001-900000001", "lead", "CORDIS role coordinator"],
        ["cordis-101-alpha", "universitaet-900000002-900000002", "partner", "CORDIS role participant"],
        ["cordis-102-beta", "universitaet-900000001-900000001", "lead", "CORDIS role coordinator"],
        ["cordis-102-beta", "universitaet-900000003-900000003", "participant", "CORDIS role thirdParty"],
    ]


def test_nuts_codes_are_reduced_to_nuts_2_only_when_valid_in_the_organisations_country():
    codes = {
        "900000001": ("DE", "DE212", "DE21", ""),
        "900000002": ("BE", "BE100", "BE10", ""),
        "900000003": ("NL", "NL", "", "is only the country level"),
        "900000004": ("FR", "FR711", "", "is not a NUTS 2021 code"),  # Rhône-Alpes, NUTS 2013
        "900000005": ("FR", "DE212", "", "lies in another country"),
        "900000006": ("EL", "EL431", "EL43", ""),
        "900000007": ("UK", "UKI31", "UKI3", ""),
        "900000008": ("IT", "ITZZZ", "", "is not a NUTS 2021 code"),  # extra-regio
        "900000009": ("IT", "", "", ""),
        "900000010": ("ES", "es300", "ES30", ""),
    }
    rows = [
        cf.participant("101", pic, country=c, nutsCode=code, geolocation="") for pic, (c, code, _, _) in codes.items()
    ]
    done = convert([cf.project("101")], rows)
    orgs = done.tables["organisations"]
    assert dict(zip(orgs["org_id"].str[-9:], orgs["nuts2"], strict=True)) == {p: v[2] for p, v in codes.items()}
    assert {k: n for k, n in emptied(done.report).items() if k.startswith("nutsCode")} == {
        "nutsCode is only the country level: nuts2 left empty": 1,
        "nutsCode is not a NUTS 2021 code: nuts2 left empty": 2,
        "nutsCode lies in another country: nuts2 left empty": 1,
    }
    french = by(orgs, "org_id")["universitaet-900000005-900000005"]
    assert french["notes"] == (
        "CORDIS organisationID 900000005; activityType HES; nutsCode DE212 lies in another country: nuts2 left empty"
    )


def test_geolocation_is_parsed_to_lat_lon_or_left_empty_and_counted():
    places = {
        "900000001": ("48.1411687,11.5822929", "48.1411687", "11.5822929"),
        "900000002": ("(52.4, -1.9)", "52.4", "-1.9"),
        "900000003": ("91.0,10.0", "", ""),
        "900000004": ("somewhere", "", ""),
        "900000005": ("", "", ""),
    }
    rows = [cf.participant("101", pic, geolocation=g, nutsCode="") for pic, (g, _, _) in places.items()]
    done = convert([cf.project("101")], rows)
    orgs = done.tables["organisations"]
    assert list(zip(orgs["lat"], orgs["lon"], strict=True)) == [(v[1], v[2]) for v in places.values()]
    assert emptied(done.report) == {
        "geolocation is not 'lat,lon' within range: lat and lon left empty": 2,
        "geolocation empty: lat and lon left empty": 1,
    }


def test_only_http_addresses_become_websites():
    urls = ["https://www.example.eu/a", "www.cnr.it", "ftp://files.example.org", "http://[broken", "HTTP://UPPER.EU"]
    rows = [cf.participant("101", f"90000000{i}", organizationURL=u) for i, u in enumerate(urls, start=1)]
    done = convert([cf.project("101")], rows)
    assert done.tables["organisations"]["website"].tolist() == [urls[0], "", "", "", urls[4]]
    count = [c for c in done.report.emptied if c.reason.startswith("organizationURL")]
    assert [(c.rows, [row for _, row, _ in c.first]) for c in count] == [(3, [3, 4, 5])]


def test_roles_kinds_and_statuses_follow_the_registries_and_the_unknown_is_counted():
    assert {m.contract for m in cordis.ROLES} <= set(contract()["action_participants"].field("role").enum)
    assert {m.contract for m in cordis.KINDS} <= set(contract()["organisations"].field("kind").enum)
    statuses = {m.contract for m in cordis.STATUSES if "/" not in m.contract} | {"planned", "ongoing"}
    assert statuses <= set(contract()["actions"].field("status").enum)
    roles = [m.given for m in cordis.ROLES] + ["observer", ""]
    kinds = [m.given for m in cordis.KINDS] + ["XYZ", ""]
    rows = [
        cf.participant("101", f"9000000{i:02d}", role=role, activityType=kinds[i % len(kinds)])
        for i, role in enumerate(roles)
    ]
    done = convert([cf.project("101")], rows)
    got = done.tables["action_participants"]["role"].tolist()
    assert got == [m.contract for m in cordis.ROLES] + ["", ""]
    assert got[:3] == ["lead", "partner", "partner"]  # coordinator, participant, beneficiary
    assert set(got[3:7]) == {"participant"}  # associatedPartner, thirdParty, internationalPartner, partner
    assert done.tables["organisations"]["kind"].tolist()[:7] == [
        "university",
        "research_centre",
        "company",
        "public_authority",
        "other",
        "other",
        "other",
    ]
    assert emptied(done.report) == {
        "activityType empty or unknown: kind other": 2,
        "role empty or not coordinator, participant, beneficiary, associatedPartner, thirdParty, "
        "internationalPartner, partner: role left empty": 2,
    }


def test_status_comes_from_cordis_and_signed_projects_from_their_dates():
    projects = [
        cf.project("101", status="CLOSED"),
        cf.project("102", status="TERMINATED"),
        cf.project("103", status="SIGNED", startDate="2025-09-01", endDate="2027-08-31"),
        cf.project("104", status="SIGNED", startDate="2024-01-01", endDate="2026-12-31"),
        cf.project("105", status="SIGNED", startDate="2022-01-01", endDate="2025-05-31"),
        cf.project("106", status="ONG"),
        cf.project("107", status="SIGNED", endDate=""),
    ]
    done = convert(projects, [cf.participant(p["id"], "900000001") for p in projects])
    assert done.tables["actions"]["status"].tolist() == [
        "completed",
        "cancelled",
        "planned",
        "ongoing",
        "completed",
        "",
        "ongoing",
    ]
    assert emptied(done.report)["status empty or not CLOSED, TERMINATED, SIGNED: status left empty"] == 1
    assert emptied(done.report)["endDate missing or unreadable: end left empty"] == 1


def test_budget_is_the_eu_maximum_contribution_with_a_decimal_comma_read():
    projects = [
        cf.project("101", ecMaxContribution="2499638,25", totalCost="3709149,25"),
        cf.project("102", ecMaxContribution="75000", totalCost="0"),
        cf.project("103", ecMaxContribution=""),
        cf.project("104", ecMaxContribution="-5"),
    ]
    done = convert(projects, [cf.participant(p["id"], "900000001") for p in projects])
    assert done.tables["actions"]["budget_eur"].tolist() == ["2499638.25", "75000", "", ""]
    assert emptied(done.report)["ecMaxContribution empty or not an amount: budget_eur left empty"] == 2
    assert done.tables["actions"]["summary"][2].endswith(
        "budget_eur is CORDIS's ecMaxContribution (the EU's maximum contribution). Total cost EUR 3709149.25."
    )


def test_rows_that_cannot_be_mapped_are_dropped_and_counted_with_their_first_rows():
    projects = [
        cf.project("101"),
        cf.project("102", startDate=""),  # no start: the action cannot be dated
        cf.project("101", acronym="AGAIN"),  # the id again
        cf.project("A-7"),
    ]
    participants = [
        cf.participant("101", "900000001", role="coordinator"),
        cf.participant("999", "900000002"),  # no such project
        cf.participant("101", ""),  # no organisation id
        cf.participant("102", "900000003"),  # its project was dropped
        cf.participant("101", "900000004", country="XK"),  # Kosovo: no ISO 3166-1 code
        cf.participant("101", "900000005", name=""),
        cf.participant("101", "900000001", role="thirdParty"),  # the pair again
    ]
    done = convert(projects, participants)
    report = done.report
    assert dropped(report) == {
        "no numeric CORDIS id": 1,
        "no readable startDate (YYYY-MM-DD)": 1,
        "the id is repeated: the first row was kept": 1,
        "no numeric organisationID": 1,
        "its project is not in the project file": 1,
        "its project was dropped (see the project rows)": 1,
        "its organisation has no name": 1,
        "its organisation has no ISO 3166-1 country": 1,
        "the (project, organisation) pair is listed again: one participation kept, with the leading role": 1,
    }
    assert report.read["project rows"] + report.read["organization rows"] == 11
    assert report.kept == {"actions (projects)": 1, "organisations": 1, "participations": 1}
    assert report.dropped_rows == 3 + 6
    assert done.tables["action_participants"]["role"].tolist() == ["lead"]
    lines = report.lines()
    assert "Dropped: 9 rows" in lines
    assert "  1 organization rows: its project is not in the project file" in lines
    assert "      organization.csv row 3: projectID 999, organisationID 900000002" in lines
    assert "      project.csv row 3: id 102, acronym P102, startDate (empty)" in lines
    assert "      organization.csv row 6: organisationID 900000004, name UNIVERSITAET 900000004, country XK" in lines


def test_narrowing_by_programme_topic_country_and_start():
    projects = [
        cf.project("101", frameworkProgramme="H2020", topics="SC6-CULT-COOP-2016", startDate="2017-01-01"),
        cf.project("102", topics="HORIZON-CL2-2023-HERITAGE-01-02", startDate="2023-03-01"),
        cf.project("103", topics="HORIZON-CL4-2023-DIGITAL", startDate="2024-05-01"),
    ]
    participants = [
        cf.participant("101", "900000001"),
        cf.participant("102", "900000002", country="IT", nutsCode="ITF47"),
        cf.participant("102", "900000003"),
        cf.participant("103", "900000003"),
    ]

    def kept(**words) -> tuple[list[str], list[str]]:
        only, refused = narrowing(**words)
        assert refused == []
        done = convert(projects, participants, only=only)
        return done.tables["actions"]["action_id"].str[7:10].tolist(), done.tables["organisations"]["org_id"].str[
            -9:
        ].tolist()

    assert kept(programmes=["horizon"]) == (["102", "103"], ["900000002", "900000003"])
    assert kept(topics=["HORIZON-CL2,SC6"]) == (["101", "102"], ["900000001", "900000002", "900000003"])
    assert kept(countries=["IT"]) == (["102"], ["900000002", "900000003"])  # with its German partner
    assert kept(start_from="2018", start_to="2023-12") == (["102"], ["900000002", "900000003"])
    only, refused = narrowing(countries=["EL", "XX"], start_from="2020", start_to="2019")
    assert only.countries == ("GR",)
    assert refused == ["--country XX (not an ISO 3166-1 alpha-2 code)", "--to 2019 is before --from 2020"]
    done = convert(projects, participants, only=narrowing(programmes=["H2020"])[0])
    assert dropped(done.report) == {"not of --programme H2020": 2, "its project was dropped (see the project rows)": 3}
    assert done.report.narrowing == ("programme H2020",)


def test_files_that_cannot_be_imported_are_explained():
    projects, participants = small()
    only_projects = cordis.convert([("project.csv", cf.csv_bytes(projects, cf.PROJECT_COLUMNS))])
    assert only_projects.tables is None
    [problem] = only_projects.report.problems
    assert problem.message.startswith(
        "no CORDIS organization file was found: add organization.csv (its header has "
        "projectID, organisationID, name, country)"
    )
    broken = cf.csv_bytes(participants, cf.ORGANIZATION_COLUMNS).replace(b"Munchen", b'Mun"chen', 1) + b'"x\n'
    done = cordis.convert([("project.csv", cf.csv_bytes(projects, cf.PROJECT_COLUMNS)), ("organization.csv", broken)])
    [problem] = done.report.problems
    assert (problem.table, problem.value) == ("organization", "organization.csv")
    assert "cannot be read as comma-separated CSV" in problem.message
    semicolons = cf.csv_bytes(participants, cf.ORGANIZATION_COLUMNS, ";")
    first, second = semicolons.replace(b'"Munchen"', b"Mun;chen", 1), semicolons.replace(b'"Munchen"', b"Mun;chen", 2)
    second = second.replace(b"Mun;chen", b'"Munchen"', 1)
    messages = [
        cordis.convert([("project.csv", cf.csv_bytes(projects, cf.PROJECT_COLUMNS)), ("organization.csv", data)])
        .report.problems[0]
        .message
        for data in (first, second)
    ]
    assert messages == [
        "row 2 has more cells than the header has columns (24): a value probably holds an unquoted semicolon; put "
        "quotes around it, or download the file again",
        "the file cannot be read as semicolon-separated CSV (Error tokenizing data. C error: Expected 24 fields in "
        "line 4, saw 25): a value probably holds an unquoted semicolon or an unclosed quote near that line; put quotes "
        "around it, or download the file again",
    ]
    trailing = semicolons.replace(b'"\n', b'";\n')  # a separator at the end of every line: read as it is
    done = cordis.convert([("project.csv", cf.csv_bytes(projects, cf.PROJECT_COLUMNS)), ("organization.csv", trailing)])
    assert done.tables is not None and len(done.tables["action_participants"]) == 4
    latin = cf.csv_bytes(participants, cf.ORGANIZATION_COLUMNS).replace(b"Munchen", "München".encode("latin-1"))
    done = cordis.convert([("project.csv", cf.csv_bytes(projects, cf.PROJECT_COLUMNS)), ("organization.csv", latin)])
    assert "is not UTF-8 text" in done.report.problems[0].message
    old = b"rcn\treference\tacronym\tstatus\n194144\t644051\t3D-Tune-In\tSIGNED\n"
    report = cordis.convert([("projects.tsv", old)]).report
    assert report.files[0].note == "the 2016 CORDIS layout (reference, not id): download the current files from CORDIS"


def test_an_upload_of_cordis_files_is_converted_and_a_contract_upload_is_not():
    projects, participants = small()
    archive = cf.zip_bytes(dict(cf.files(projects, participants, ";")))
    result = load_upload([("cordis.zip", archive)])
    assert result.ok and result.imported is not None
    assert result.dataset.sizes()["action_participants"] == 4
    assert result.imported.kept["organisations"] == 3
    workbooks = load_upload(
        [
            ("project.xlsx", cf.xlsx_bytes(projects, cf.PROJECT_COLUMNS, "Sheet1")),
            ("organization.xlsx", cf.xlsx_bytes(participants, cf.ORGANIZATION_COLUMNS, "Sheet1")),
        ]
    )
    assert workbooks.ok and workbooks.imported is not None
    assert [(f.name, f.kind) for f in workbooks.imported.files] == [
        ("project.xlsx [Sheet1]", "project"),
        ("organization.xlsx [Sheet1]", "organization"),
    ]
    from tests import factory
    from tests.analysis.test_load import csv_files, workbook, zipped

    for upload in ([("region.zip", zipped(csv_files()))], [("region.xlsx", workbook(factory.tables()))]):
        contract_upload = load_upload(upload)
        assert contract_upload.ok and contract_upload.imported is None


def test_the_written_dataset_validates_and_neutralises_formulas(tmp_path):
    projects, participants = small()
    participants[1]["name"] = '=HYPERLINK("http://evil.example","x")'
    participants[1]["geolocation"] = "-33.9,-70.6"
    participants[1]["country"] = "CL"
    participants[1]["nutsCode"] = "CL"
    result = loaded(cf.files(projects, participants))
    written = dataset_files({n: f for n, f in result.dataset.tables.items() if n != "countries"})
    for name, data in written.items():
        (tmp_path / name).write_bytes(data)
    again = load_dataset(tmp_path)
    assert again.ok, [p.line() for p in again.errors]
    assert written["organisations.csv"].startswith(b'\xef\xbb\xbf"org_id","name","kind"')
    rows = list(csv.DictReader(io.StringIO(written["organisations.csv"].decode("utf-8-sig"), newline="")))
    chile = next(r for r in rows if r["country"] == "CL")
    assert (chile["name"], chile["lat"], chile["lon"]) == ('\'=HYPERLINK("http://evil.example","x")', "-33.9", "-70.6")
    actions = list(csv.DictReader(io.StringIO(written["actions.csv"].decode("utf-8-sig"), newline="")))
    assert [(a["budget_eur"], a["participants_count"], a["end"]) for a in actions] == [
        ("1000000.5", "2", "2026-12-31"),
        ("1000000.5", "2", "2024-12-31"),
    ]


def test_the_mapping_in_help_and_readme_is_the_registry_in_words():
    text = cordis.mapping_text()
    words = " ".join(text.split())
    for m in (*cordis.ROLES, *cordis.KINDS):
        assert f"{m.given} {m.contract}" in words
    assert "CLOSED completed, TERMINATED cancelled, SIGNED planned/ongoing/completed" in words
    assert "contribution_eur netEcContribution," in words and "where it is empty, ecContribution (counted)" in words
    assert "cost_eur totalCost of organization.csv" in words
    readme = (Path(__file__).resolve().parent.parent.parent / "README.md").read_text(encoding="utf-8")
    assert text in readme


def test_a_zip_member_is_unpacked_only_if_its_header_is_cordis():
    projects, participants = small()
    big_other = b"a,b\n" + b"1,2\n" * 1000
    archive = cf.zip_bytes({**dict(cf.files(projects, participants)), "euroSciVoc.csv": big_other, "notes.txt": b"x"})
    done = cordis.convert([("bulk.zip", archive)], as_of=AS_OF)
    assert [(f.name, f.kind, f.note[:20]) for f in done.report.files] == [
        ("bulk.zip/euroSciVoc.csv", "", "not a CORDIS project"),
        ("bulk.zip/notes.txt", "", "not a .csv or .xlsx "),
        ("bulk.zip/project.csv", "project", ""),
        ("bulk.zip/organization.csv", "organization", ""),
    ]
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        assert {i.filename for i in z.infolist()} == {"project.csv", "organization.csv", "euroSciVoc.csv", "notes.txt"}


def test_two_programmes_imported_together_keep_each_file_as_its_own_source(tmp_path):
    h2020, horizon = tmp_path / "h2020", tmp_path / "horizon"
    for folder, first, programme in ((h2020, "700001", "H2020"), (horizon, "101000001", "HORIZON")):
        folder.mkdir()
        files = cf.files([cf.project(first, frameworkProgramme=programme)], [cf.participant(first, "900000001")])
        for name, data in files:
            (folder / name).write_bytes(data)
    files, missing = files_from_paths([h2020, horizon])
    assert missing == []
    result = loaded(files)
    sources = result.dataset.sources
    assert sources["source_id"].tolist()[:4] == [
        "cordis-project-file-1",
        "cordis-project-file-2",
        "cordis-organization-file-1",
        "cordis-organization-file-2",
    ]
    assert sources["title"][1].startswith("CORDIS project file project (2).csv, records updated up to 2025-02-24")
    assert result.dataset.action_participants["source_ids"].tolist() == [
        "cordis-project-700001;cordis-organization-file-1",
        "cordis-project-101000001;cordis-organization-file-2",
    ]
    assert result.dataset.sizes()["organisations"] == 1  # one organisation, in both programmes


def test_the_import_speaks_italian_its_problems_when_read_and_its_report_when_made():
    projects = [cf.project("101"), cf.project("102", startDate="")]
    participants = [
        cf.participant("101", "900000001", role="coordinator"),
        cf.participant("999", "900000002"),  # no such project
    ]
    with i18n.speaking("it"):
        report = convert(projects, participants).report
        lines = report.lines()
    assert lines[0] == "Letti:"
    assert "  project.csv: file CORDIS project, 2 righe" in lines
    assert "Scartate: 2 righe" in lines
    assert "  1 righe di organization: il suo progetto non è nel file project" in lines
    assert "      project.csv riga 3: id 102, acronym P102, startDate (vuoto)" in lines
    assert dropped(report)["nessuna startDate leggibile (AAAA-MM-GG)"] == 1
    # a problem of the import is put into words when read: the same problem in either language
    only_projects = cordis.convert([("project.csv", cf.csv_bytes(*small()[:1], cf.PROJECT_COLUMNS))])
    [problem] = only_projects.report.problems
    assert problem.message.startswith("no CORDIS organization file was found")
    with i18n.speaking("it"):
        assert problem.message.startswith(
            "non è stato trovato alcun file CORDIS organization: aggiungere organization.csv"
        )
        assert problem.line().startswith("organization::: non è stato trovato")


# --- Each participation's amounts. ---


def amounts(done: Conversion) -> list[tuple[str, str, str]]:
    rows = done.tables["action_participants"]
    return list(zip(rows["role"], rows["contribution_eur"], rows["cost_eur"], strict=True))


def test_amounts_are_read_with_a_decimal_comma_or_point_and_a_third_party_keeps_its_own():
    participants = [
        # a beneficiary's net amount leaves out what it passes on to its third party, which has a row of its own
        cf.participant(
            "101", "900000001", role="coordinator", ecContribution="700000,25", netEcContribution="400000,25"
        )
        | {"totalCost": "500000,5"},
        cf.participant("101", "900000002", role="thirdParty", ecContribution="0.0", netEcContribution="300000.25")
        | {"totalCost": "0"},
        cf.participant("101", "900000003", ecContribution="300000", netEcContribution="300000", totalCost="450000.75"),
    ]
    result = loaded(cf.files([cf.project("101", ecMaxContribution="1000000,5")], participants, ";"))
    done = convert([cf.project("101", ecMaxContribution="1000000,5")], participants, ";")
    assert amounts(done) == [
        ("lead", "400000.25", "500000.5"),
        ("participant", "300000.25", "0"),
        ("partner", "300000", "450000.75"),
    ]
    links = result.dataset.action_participants
    assert links["contribution_eur"].tolist() == [400000.25, 300000.25, 300000.0]
    assert result.dataset.warnings == ()  # the net amounts add up to the budget: nothing counted twice
    report = done.report
    assert (report.contribution_total, report.cost_total) == (1000000.5, 950001.25)
    assert (report.without_contribution, report.differing_projects) == (0, 0)
    assert emptied(report) == {}
    lines = report.lines()
    assert "Amounts: contribution_eur 1,000,000.50 EUR, cost_eur 950,001.25 EUR in total" in lines
    assert "  0 participations without contribution_eur" in lines


def test_an_empty_net_contribution_falls_back_to_ec_contribution_and_is_counted():
    participants = [
        cf.participant("101", "900000001", netEcContribution="", ecContribution="250000"),
        cf.participant("101", "900000002", netEcContribution="", ecContribution=""),  # no amount at all
        cf.participant("101", "900000003", netEcContribution="0.0", ecContribution="330000"),  # a stated 0 is kept
    ]
    done = convert([cf.project("101")], participants)
    assert [c for __, c, __ in amounts(done)] == ["250000", "", "0"]
    report = done.report
    assert emptied(report) == {"ecContribution used, netEcContribution empty": 1}
    assert (report.contribution_total, report.without_contribution) == (250000.0, 1)
    lines = report.lines()
    assert "  1 participations: ecContribution used, netEcContribution empty" in lines
    assert "      organization.csv row 2: projectID 101, organisationID 900000001, ecContribution 250000" in lines
    assert "  1 participation without contribution_eur" in lines


def test_an_unreadable_or_negative_amount_is_left_empty_and_reported_by_row():
    participants = [
        cf.participant("101", "900000001", netEcContribution="n/a"),
        cf.participant("101", "900000002", netEcContribution="-5"),
        cf.participant("101", "900000003", netEcContribution="inf"),
        cf.participant("101", "900000004", netEcContribution="", ecContribution="n/a"),
        cf.participant("101", "900000005", netEcContribution="1234,5", totalCost="-5"),
        cf.participant("101", "900000006", netEcContribution="1.234,56"),  # thousands separators: not CORDIS's
    ]
    done = convert([cf.project("101")], participants)
    assert amounts(done) == [
        ("partner", "", "100000"),
        ("partner", "", "100000"),
        ("partner", "", "100000"),
        ("partner", "", "100000"),
        ("partner", "1234.5", ""),
        ("partner", "", "100000"),
    ]
    report = done.report
    assert emptied(report) == {
        "netEcContribution is not an amount (unreadable or negative): contribution_eur left empty": 4,
        "ecContribution is not an amount (unreadable or negative): contribution_eur left empty": 1,
        "totalCost is not an amount (unreadable or negative): cost_eur left empty": 1,
    }
    assert (report.contribution_total, report.cost_total, report.without_contribution) == (1234.5, 500000.0, 5)
    lines = report.lines()
    for row, pic, value in ((2, 1, "n/a"), (3, 2, "-5"), (4, 3, "inf"), (7, 6, "1.234,56")):
        assert (
            f"      organization.csv row {row}: projectID 101, organisationID 90000000{pic}, netEcContribution {value}"
        ) in lines
    assert "      organization.csv row 5: projectID 101, organisationID 900000004, ecContribution n/a" in lines
    assert "      organization.csv row 6: projectID 101, organisationID 900000005, totalCost -5" in lines
    assert "  5 participations without contribution_eur" in lines
    # empty, never 0: the dataset validates with them unknown
    links = loaded(cf.files([cf.project("101")], participants)).dataset.action_participants
    assert links["contribution_eur"].isna().sum() == 5


def test_a_pair_listed_twice_gets_the_sum_of_its_rows_amounts():
    participants = [
        cf.participant("101", "900000001", role="coordinator", netEcContribution="100000.1", totalCost="150000"),
        cf.participant("101", "900000002", netEcContribution="", ecContribution="", totalCost=""),
        cf.participant("101", "900000001", role="thirdParty", netEcContribution="200000,2", totalCost=""),
        cf.participant("101", "900000002", role="thirdParty", netEcContribution="", ecContribution="", totalCost=""),
        cf.participant("101", "900000003", netEcContribution="", ecContribution="", totalCost="20"),
        cf.participant("101", "900000003", netEcContribution="7", totalCost=""),
    ]
    done = convert([cf.project("101")], participants)
    assert amounts(done) == [
        ("lead", "300000.3", "150000"),  # 100000.1 + 200000.2, not 300000.30000000005
        ("partner", "", ""),  # empty only because every row of the pair is
        ("partner", "7", "20"),
    ]
    report = done.report
    assert dropped(report) == {
        "the (project, organisation) pair is listed again: one participation kept, with the leading role": 3
    }
    assert (report.contribution_total, report.cost_total, report.without_contribution) == (300007.3, 150020.0, 1)
    assert "Amounts: contribution_eur 300,007.30 EUR, cost_eur 150,020.00 EUR in total" in report.lines()


def test_the_report_counts_projects_whose_contributions_differ_from_the_budget_by_more_than_one_percent():
    projects = [
        cf.project("101", ecMaxContribution="1000000"),  # 1,010,000: exactly 1% above, not more
        cf.project("102", ecMaxContribution="1000000"),  # 1,010,000.01: above by more than 1%
        cf.project("103", ecMaxContribution="500000"),  # 100,000: below
        cf.project("104", ecMaxContribution=""),  # no budget: not compared
        cf.project("105", ecMaxContribution="200000"),  # no contribution: not compared
    ]
    participants = [
        cf.participant("101", "900000001", netEcContribution="600000"),
        cf.participant("101", "900000002", netEcContribution="410000"),
        cf.participant("102", "900000001", netEcContribution="600000"),
        cf.participant("102", "900000002", netEcContribution="410000,01"),
        cf.participant("103", "900000001", netEcContribution="100000"),
        cf.participant("104", "900000001", netEcContribution="100"),
        cf.participant("105", "900000001", netEcContribution="", ecContribution=""),
    ]
    done = convert(projects, participants)
    report = done.report
    assert report.differing_projects == 2
    assert report.differing_first == (
        Differing("cordis-102-p102", 1010000.01, 1000000.0),
        Differing("cordis-103-p103", 100000.0, 500000.0),
    )
    assert (round(report.contribution_total, 2), report.cost_total) == (2120100.01, 700000.0)
    assert report.without_contribution == 1
    lines = report.lines()
    assert "Amounts: contribution_eur 2,120,100.01 EUR, cost_eur 700,000.00 EUR in total" in lines
    assert "  1 participation without contribution_eur" in lines
    assert (
        "  2 projects whose participants' contribution_eur sums differ by more than 1% from their ecMaxContribution"
        in lines
    )
    assert "      cordis-102-p102: contributions 1,010,000.01 EUR, ecMaxContribution 1,000,000.00 EUR" in lines
    assert "      cordis-103-p103: contributions 100,000.00 EUR, ecMaxContribution 500,000.00 EUR" in lines
    with i18n.speaking("it"):
        italian = report.lines()
    assert "Importi: contribution_eur 2.120.100,01 EUR, cost_eur 700.000,00 EUR in totale" in italian
    assert (
        "  2 progetti in cui la somma dei contribution_eur dei partecipanti si discosta di oltre l'1% dal loro "
        "ecMaxContribution"
    ) in italian


def test_three_programmes_in_one_import_keep_their_programme_and_report_what_they_share():
    """FP7, H2020 and Horizon Europe files, in any order: one org_id per organisationID across programmes, the
    organisations found in several programmes and those written otherwise between files reported, a project listed
    in two files counted once, and each action's programme kept."""
    programmes = {"FP7": "300001", "H2020": "700001", "HORIZON": "101000001"}
    files = []
    for programme, project_id in programmes.items():
        projects = [cf.project(project_id, frameworkProgramme=programme)]
        rows = [cf.participant(project_id, "900000001", name=f"UNIVERSITA DI BARI {programme}")]
        rows.append(cf.participant(project_id, f"90000010{len(files)}", country="IT" if programme == "FP7" else "DE"))
        if programme == "HORIZON":
            projects.append(cf.project("700001", frameworkProgramme="H2020"))  # listed again, in another file
            rows.append(cf.participant("700001", "900000102", country="FR"))  # the same organisation, another country
        files += [(f"{programme}/{name}", data) for name, data in cf.files(projects, rows)]
    done = cordis.convert(files[::-1], as_of=AS_OF)  # order does not matter
    actions = done.tables["actions"].set_index("action_id")
    assert sorted(actions["programme"]) == ["FP7", "H2020", "HORIZON"]
    assert actions.filter(like="cordis-700001", axis=0)["programme"].tolist() == ["H2020"]
    assert dropped(done.report) == {
        "the id is repeated: the first row was kept": 1,
        "the (project, organisation) pair is listed again: one participation kept, with the leading role": 1,
    }
    orgs = done.tables["organisations"]
    assert orgs["org_id"].str.endswith("-900000001").sum() == 1
    merged = {c.reason: c for c in done.report.merged}
    several = merged["in projects of several programmes: one org_id each (CORDIS organisationID)"]
    assert several.rows == 1 and "organisationID 900000001" in several.first[0][2]
    named = merged["named otherwise in another file: the latest row's name kept"]
    assert named.rows == 3  # three spellings of organisation 900000001
    country = merged["of another country in another file: the latest row's country kept"]
    assert country.rows == 2 and {text.split("country ")[-1] for __, __, text in country.first} == {"DE", "FR"}
