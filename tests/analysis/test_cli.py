"""`clusternet validate` as an analyst runs it: exit codes and one line per problem."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import pytest

from analysis import cordis
from tests import cordis_files, factory, small

CLI = [sys.executable, "-m", "analysis.cli"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120)


def test_curated_data_validates():
    done = run("validate", "data")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("data: valid (organisations ")


def test_valid_unseen_dataset_exits_0_with_sizes(tmp_path):
    done = run("validate", str(factory.write(tmp_path / "ds")))
    assert done.returncode == 0
    assert "valid (organisations 5, agreements 2, agreement_parties 4, actions 2, action_participants 4" in done.stdout


def test_broken_dataset_exits_1_with_one_line_per_problem(tmp_path):
    data = factory.tables()
    data["organisations"][3]["country"] = "XX"
    data["actions"][0]["end"] = "2017-02-30"
    done = run("validate", str(factory.write(tmp_path / "ds", data)))
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert (
        "organisations:5:country: unknown country: use an ISO 3166-1 alpha-2 code such as IT, DE, GR or GB [XX]"
        in lines
    )
    assert any(line.startswith("actions:2:end: has day 30, but February 2017 has 28 days") for line in lines)
    assert lines[0].endswith("2 blocking problems; nothing was loaded")


def test_validate_speaks_italian_with_lang_it_and_english_by_default(tmp_path):
    data = factory.tables()
    data["organisations"][3]["country"] = "XX"
    data["organisations"][1]["kind"] = "Public Authority"
    data["actions"][0]["end"] = "2017-02-30"
    folder = str(factory.write(tmp_path / "ds", data))
    italian = run("validate", folder, "--lang", "it")
    assert italian.returncode == 1
    lines = italian.stdout.splitlines()
    assert lines[0] == f"{folder}: 3 problemi bloccanti; non è stato caricato nulla"
    assert (
        "organisations:5:country: paese sconosciuto: usare un codice ISO 3166-1 alpha-2 come IT, DE, GR o GB [XX]"
        in lines
    )
    wrong_kind = "organisations:3:kind: 'Public Authority' non è un valore ammesso di kind: scrivere 'public_authority'"
    assert f"{wrong_kind} [Public Authority]" in lines
    assert any(
        line.startswith(
            "actions:2:end: ha il giorno 30, ma febbraio 2017 ha 28 giorni: scrivere la data come AAAA-MM-GG"
        )
        for line in lines
    )
    english = run("validate", folder, "--lang", "en")
    assert english.stdout == run("validate", folder).stdout
    assert english.stdout.splitlines()[0] == f"{folder}: 3 blocking problems; nothing was loaded"
    assert "organisations:5:country: unknown country: use an ISO 3166-1 alpha-2 code such as IT, DE, GR or GB [XX]" in (
        english.stdout.splitlines()
    )
    report = json.loads(run("validate", "--format", "json", "--lang", "it", folder).stdout)
    first = report["errors"][0]
    assert (first["table"], first["row"], first["column"]) == ("organisations", 3, "kind")
    assert any(e["message"].startswith("paese sconosciuto") and e["value"] == "XX" for e in report["errors"])
    missing = run("validate", str(tmp_path / "nowhere"), "--lang", "it")
    assert "dataset::: file o cartella inesistente" in missing.stdout


def test_json_format(tmp_path):
    data = factory.tables()
    data["agreement_parties"][0]["org_id"] = "ghost"
    done = run("validate", "--format", "json", str(factory.write(tmp_path / "ds", data)))
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["valid"] is False
    assert [(e["table"], e["row"], e["column"], e["value"]) for e in report["errors"]] == [
        ("agreement_parties", 2, "org_id", "ghost")
    ]
    assert report["warnings"] == []


def test_missing_path_exits_1(tmp_path):
    done = run("validate", str(tmp_path / "nowhere"))
    assert done.returncode == 1
    assert "no such file or folder" in done.stdout


def test_metrics_at_every_level(tmp_path):
    folder = str(small.write(tmp_path))
    regions = run("metrics", folder, "--level", "region")
    assert regions.returncode == 0, regions.stderr
    lines = regions.stdout.splitlines()
    assert lines[0] == "node,label,country,degree,weighted_degree,betweenness,pagerank,community,brokerage"
    assert sorted(line.split(",")[0] for line in lines[1:]) == ["DE11", "ITF4", "PL91", "PT11"]
    members = run("metrics", folder, "--level", "affiliation", "--edges", "--country", "PL")
    assert members.returncode == 0, members.stderr
    rows = members.stdout.splitlines()
    assert rows[0] == "a,b,weight,items"
    assert "org:c,agreement:ag1,1,agreement:ag1" in rows
    nodes = run("metrics", folder, "--level", "affiliation").stdout.splitlines()
    assert nodes[0] == "node,label,country,degree"  # two-mode: the one-mode metrics do not apply


def test_metrics_refuse_filters_they_cannot_use(tmp_path):
    folder = str(small.write(tmp_path))
    done = run("metrics", folder, "--country", "XX", "--org-kind", "castle")
    assert done.returncode == 2
    assert "org kind castle" in done.stderr and "country XX" in done.stderr and "Traceback" not in done.stderr
    absent = run("metrics", folder, "--country", "FR")
    assert absent.returncode == 0 and "warning: no organisation of FR" in absent.stderr


def test_a_megabyte_cell_validates_without_a_traceback(tmp_path):
    tables = factory.tables()
    tables["organisations"][0]["name"] = "Ł" * (1024 * 1024)
    done = run("validate", str(factory.write(tmp_path / "long", tables)))
    assert done.returncode == 0, done.stderr[-500:]
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["run", "--port", "99999"], "clusternet run: --port must be between 1 and 65535 (was 99999)"),
        (["run", "--port", "0"], "clusternet run: --port must be between 1 and 65535 (was 0)"),
        (["synthetic", "out", "--orgs", "-5"], "clusternet synthetic: --orgs must be at least 1 (was -5)"),
        (["synthetic", "out", "--actions", "-1"], "clusternet synthetic: --actions must be at least 0 (was -1)"),
    ],
)
def test_clumsy_commands_get_one_line_and_exit_2(tmp_path, args, line):
    done = subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", line + "\n")


def test_a_port_in_use_is_said_before_anything_starts():
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        done = run("run", "--port", str(port), "--address", "127.0.0.1")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(f"clusternet run: cannot listen on 127.0.0.1:{port}")


def test_run_on_a_broken_dataset_says_why_and_serves_nothing(tmp_path):
    data = factory.tables()
    data["organisations"][3]["country"] = "XX"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    done = run(
        "run", "--data", str(factory.write(tmp_path / "ds", data)), "--port", str(port), "--address", "127.0.0.1"
    )
    assert done.returncode == 1
    assert "1 blocking problem; nothing was loaded" in done.stderr
    assert "organisations:5:country: unknown country" in done.stderr and "[XX]" in done.stderr


def test_synthetic_data_of_a_few_organisations(tmp_path):
    done = run("synthetic", str(tmp_path / "tiny"), "--orgs", "3", "--agreements", "2", "--actions", "2")
    assert done.returncode == 0, done.stderr
    assert run("validate", str(tmp_path / "tiny")).returncode == 0


def imported(*args: str) -> tuple[list[str], str]:
    """`clusternet import cordis ARGS`, which must succeed: its report's lines, and its progress (stderr)."""
    done = run("import", "cordis", *args)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.splitlines(), done.stderr


@cordis_files.needs_samples
def test_import_cordis_on_the_horizon_europe_samples_writes_a_dataset_that_validates(tmp_path):
    out = tmp_path / "he"
    samples = [str(cordis_files.HE_PROJECTS), str(cordis_files.HE_ORGANIZATIONS)]
    lines, stderr = imported(*samples, "--out", str(out), "--as-of", "2025-06-01")
    assert "  voteveto2_he_organization_head100.csv: CORDIS organization file, 100 rows" in lines
    assert "Kept: 42 actions (projects), 92 organisations, 100 participations" in lines
    assert "Dropped: 0 rows (none)" in lines
    assert "  13 organisations: nutsCode is only the country level: nuts2 left empty" in lines
    assert "Reading voteveto2_he_project_head100.csv (0.1 MB, CORDIS project file)" in stderr
    check = run("validate", str(out))
    assert check.returncode == 0, check.stdout
    assert check.stdout.startswith(
        f"{out}: valid (organisations 92, agreements 0, agreement_parties 0, actions 42, action_participants 100, "
        "sources 44"
    )


def test_import_cordis_from_a_zip_of_semicolon_files_narrowed_to_a_country(tmp_path):
    projects = [cordis_files.project("101"), cordis_files.project("102"), cordis_files.project("103")]
    rows = [
        cordis_files.participant("101", "900000001", country="IT", nutsCode="ITF47", role="coordinator"),
        cordis_files.participant("101", "900000002"),
        cordis_files.participant("102", "900000002"),
        cordis_files.participant("103", "900000003", country="EL", nutsCode="EL632"),
        cordis_files.participant("404", "900000003"),
    ]
    archive = tmp_path / "cordis.zip"
    archive.write_bytes(cordis_files.zip_bytes(dict(cordis_files.files(projects, rows, ";"))))
    out = tmp_path / "puglia-and-patras"
    lines, _ = imported(str(archive), "--out", str(out), "--country", "IT", "--country", "el")
    assert "Narrowed to: a participant in IT, GR" in lines
    assert "Kept: 2 actions (projects), 3 organisations, 3 participations" in lines
    assert "  1 project rows: no participant in --country IT, GR" in lines
    assert "      cordis.zip/project.csv row 3: id 102, acronym P102" in lines
    assert "  1 organization rows: its project is not in the project file" in lines
    assert "      cordis.zip/organization.csv row 6: projectID 404, organisationID 900000003" in lines
    assert run("validate", str(out)).returncode == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--country", "XX"], "cannot use --country XX (not an ISO 3166-1 alpha-2 code)"),
        (["--from", "2020", "--to", "2019-06"], "cannot use --to 2019-06 is before --from 2020"),
        (["--out", "data"], "cannot use --out data (the curated dataset: choose another folder)"),
    ],
)
def test_import_cordis_refuses_what_it_cannot_use(tmp_path, args, message):
    done = run("import", "cordis", str(tmp_path), "--out", str(tmp_path / "out"), *args)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"clusternet import cordis: {message}\n"


def test_import_cordis_says_why_nothing_was_written(tmp_path):
    missing = run("import", "cordis", str(tmp_path / "nowhere.csv"), "--out", str(tmp_path / "out"))
    assert (missing.returncode, missing.stderr) == (
        2,
        f"clusternet import cordis: {tmp_path / 'nowhere.csv'}: no such file or folder\n",
    )
    (tmp_path / "organisations.csv").write_text("org_id,name,kind,country\n", encoding="utf-8")
    wrong = run("import", "cordis", str(tmp_path / "organisations.csv"), "--out", str(tmp_path / "out"))
    assert wrong.returncode == 1
    assert wrong.stdout.splitlines()[-4:] == [
        "Nothing could be imported:",
        "  no CORDIS project file was found: add project.csv (its header has id, acronym, title, startDate, endDate) "
        "as it is downloaded from CORDIS [organisations.csv]",
        "  no CORDIS organization file was found: add organization.csv (its header has projectID, organisationID, "
        "name, country) as it is downloaded from CORDIS [organisations.csv]",
        f"Nothing was written to {tmp_path / 'out'}.",
    ]
    assert not (tmp_path / "out").exists()


def test_import_cordis_help_states_the_whole_mapping():
    done = run("import", "cordis", "--help")
    assert done.returncode == 0
    assert " ".join(cordis.mapping_text().split()) in " ".join(done.stdout.split())
