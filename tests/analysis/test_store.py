"""The cache of checked datasets: what it reads back equals what the files give, a change or a damage is never
read, `--no-cache` writes nothing, and the data folder is never written in."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pandas as pd
import pytest

from analysis import cli, i18n, load_dataset, store, synthetic
from analysis.load import path_sources
from analysis.store import Store
from dashboard import serve
from tests import factory

SEED = 2605  # this file's own synthetic dataset


def with_warnings(folder: Path) -> Path:
    """The factory's dataset with four warnings: a column not in the contract, organisations separated by
    semicolons, coordinates 2532 km outside their region, and contributions of 30,000.75 EUR over a budget of
    25,000.50 (a number said in the language spoken)."""
    tables = factory.tables()
    for org in tables["organisations"]:
        org["internal_ref"] = "ref-" + org["org_id"]
    tables["organisations"][0].update(lat="38.7", lon="-9.1")
    for participant, amount in zip(tables["action_participants"][:2], ("20000.25", "10000.50"), strict=True):
        participant["contribution_eur"] = amount
    data = factory.write(folder, tables)
    organisations = data / "organisations.csv"
    rows = list(csv.reader(io.StringIO(organisations.read_text(encoding="utf-8"))))
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    organisations.write_text(out.getvalue(), encoding="utf-8")
    return data


def synthetic_data(folder: Path) -> Path:
    return synthetic.write(folder, synthetic.generate(300, 20, 200, seed=SEED, shape="programme"))


def assert_same(cached, read) -> None:
    """Every table equal, dtypes, column order and index included; the same warnings, said alike in each language."""
    assert list(cached.tables) == list(read.tables)
    for name in read.tables:
        pd.testing.assert_frame_equal(cached.tables[name], read.tables[name], check_exact=True)
    assert (cached.name, cached.fingerprint) == (read.name, read.fingerprint)
    assert cached.warnings == read.warnings
    for language in i18n.LANGUAGES:
        with i18n.speaking(language):
            assert [p.line() for p in cached.warnings] == [p.line() for p in read.warnings]


@pytest.mark.parametrize("make", [with_warnings, synthetic_data])
def test_a_dataset_read_from_the_cache_equals_the_one_read_from_the_files(tmp_path, make):
    data = make(tmp_path / "data")
    said: list[str] = []
    kept = Store(tmp_path / "cache", say=said.append)
    first = load_dataset(data, kept)
    again = load_dataset(data, kept)
    assert (first.from_cache, again.from_cache) == (False, True)
    assert len(kept.entries()) == 1
    assert said == []
    plain = load_dataset(data)
    assert_same(again.dataset, plain.dataset)
    assert again.problems == plain.problems
    if make is with_warnings:
        assert len(plain.warnings) == 4
        with i18n.speaking("it"):
            assert "30.000,75 EUR" in again.warnings[-1].message
        assert "30,000.75 EUR" in again.warnings[-1].message
        assert again.dataset.organisations["internal_ref"].tolist() == [
            "ref-" + o["org_id"] for o in factory.tables()["organisations"]
        ]
    else:
        assert again.dataset.sizes() == plain.dataset.sizes()
        assert str(again.dataset.actions["participants_count"].dtype) == "Int64"


def test_a_changed_file_changes_the_key_and_the_dataset_is_read_again(tmp_path):
    data = factory.write(tmp_path / "data")
    kept = Store(tmp_path / "cache")
    before = store.key(path_sources(data))
    assert load_dataset(data, kept).from_cache is False
    organisations = data / "organisations.csv"
    organisations.write_text(
        organisations.read_text(encoding="utf-8").replace("Tokyo Content Agency", "Tokyo Content Bureau"),
        encoding="utf-8",
    )
    assert store.key(path_sources(data)) != before
    changed = load_dataset(data, kept)
    assert changed.from_cache is False
    assert "Tokyo Content Bureau" in changed.dataset.organisations["name"].tolist()
    assert "Tokyo Content Agency" not in changed.dataset.organisations["name"].tolist()
    assert len(kept.entries()) == 2
    assert load_dataset(data, kept).from_cache is True


def test_the_key_is_the_same_for_the_same_bytes_and_changes_with_a_file_added(tmp_path):
    data = factory.write(tmp_path / "data")
    key = store.key(path_sources(data))
    os.utime(data / "actions.csv", (0, 0))  # a touched file with the same bytes is the same dataset
    assert store.key(path_sources(data)) == key
    (data / "countries.csv").write_text("country,name,eu_member\nPL,Polska,true\n", encoding="utf-8")
    assert store.key(path_sources(data)) != key


def damage_a_table(entry: Path) -> None:
    table = entry / "action_participants.parquet"
    table.write_bytes(table.read_bytes()[: table.stat().st_size // 2])


def delete_the_manifest(entry: Path) -> None:
    (entry / store.MANIFEST).unlink()


@pytest.mark.parametrize("damage", [damage_a_table, delete_the_manifest])
def test_a_damaged_entry_is_deleted_and_rebuilt_never_read(tmp_path, damage):
    data = synthetic_data(tmp_path / "data")
    said: list[str] = []
    kept = Store(tmp_path / "cache", say=said.append)
    first = load_dataset(data, kept)
    [entry] = kept.entries()
    damage(entry)
    rebuilt = load_dataset(data, kept)
    assert rebuilt.from_cache is False
    assert len(said) == 1 and f"The cache entry {entry} is damaged" in said[0] and "deleted" in said[0]
    assert_same(rebuilt.dataset, first.dataset)
    assert load_dataset(data, kept).from_cache is True  # written again, whole
    assert not list(kept.folder.glob(f"{store.TEMPORARY}*"))


def test_only_the_most_recently_used_entries_are_kept(tmp_path):
    kept = Store(tmp_path / "cache", keep=2)
    folders = []
    for name in ("a", "b", "c"):
        folders.append(factory.write(tmp_path / name))
        load_dataset(folders[-1], kept)
    assert len(kept.entries()) == 2
    assert load_dataset(folders[0], kept).from_cache is False  # the oldest was deleted
    assert load_dataset(folders[2], kept).from_cache is True  # c is now the most recently used, then a
    load_dataset(factory.write(tmp_path / "d"), kept)
    assert load_dataset(folders[2], kept).from_cache is True
    assert load_dataset(folders[1], kept).from_cache is False


def test_a_second_writer_of_the_same_entry_leaves_the_first_one(tmp_path):
    data = factory.write(tmp_path / "data")
    kept = Store(tmp_path / "cache")
    dataset = load_dataset(data, kept).dataset
    key = store.key(path_sources(data))
    [entry] = kept.entries()
    written = (entry / store.MANIFEST).read_bytes()
    again = store.Entry(dataset.name, dataset.fingerprint, dataset.tables, dataset.warnings)
    assert kept.write(key, again) == entry
    assert (entry / store.MANIFEST).read_bytes() == written
    assert sorted(p.name for p in kept.folder.iterdir()) == [entry.name]


def test_the_cache_folder_follows_the_variable_then_the_xdg_rule(tmp_path, monkeypatch):
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv(store.CACHE_ENV, raising=False)
    assert store.cache_dir() == tmp_path / "home" / ".cache" / "clusternet"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # not absolute: ignored, as XDG says
    assert store.cache_dir() == tmp_path / "home" / ".cache" / "clusternet"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert store.cache_dir() == tmp_path / "xdg" / "clusternet"
    monkeypatch.setenv(store.CACHE_ENV, str(tmp_path / "mine"))
    assert store.cache_dir() == tmp_path / "mine"


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}


def test_the_server_never_writes_in_a_read_only_data_folder(tmp_path, monkeypatch, capsys):
    data = with_warnings(tmp_path / "data")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv(store.CACHE_ENV, raising=False)
    for path in [*data.iterdir(), data]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    before = snapshot(data)
    try:
        assert serve.load(str(data), cached=True).from_cache is False
        assert serve.load(str(data), cached=True).from_cache is True
    finally:
        data.chmod(0o755)
    assert snapshot(data) == before
    assert len(Store(tmp_path / "home" / ".cache" / "clusternet").entries()) == 1
    log = capsys.readouterr().err
    assert "Dataset read and checked from the files in" in log and "Dataset read from the cache in" in log


def test_a_cache_folder_inside_the_data_folder_is_not_used(tmp_path, monkeypatch, capsys):
    data = factory.write(tmp_path / "data")
    monkeypatch.setenv(store.CACHE_ENV, str(data / "cache"))
    before = snapshot(data)
    assert serve.load(str(data), cached=True).from_cache is False
    assert serve.load(str(data), cached=True).from_cache is False
    assert snapshot(data) == before
    assert "is inside the dataset's folder: the cache is not used" in capsys.readouterr().err


def test_no_cache_reads_the_files_and_writes_nothing(tmp_path, monkeypatch, capsys):
    data = factory.write(tmp_path / "data")
    cache = tmp_path / "cache"
    monkeypatch.setenv(store.CACHE_ENV, str(cache))
    assert serve.load(str(data), cached=False).from_cache is False
    assert not cache.exists()
    assert "Dataset read and checked from the files in" in capsys.readouterr().err
    serve.load(str(data), cached=True)
    assert len(Store(cache).entries()) == 1  # the same start with the cache keeps the dataset


def test_clusternet_run_no_cache_hands_the_flag_to_the_server(tmp_path, monkeypatch):
    started: list[list[str]] = []
    monkeypatch.setattr(cli, "_port_problem", lambda address, port: None)
    monkeypatch.setattr(cli.os, "execve", lambda program, argv, env: started.append(argv))
    for flags in ([], ["--no-cache"]):
        args = cli.parser().parse_args(["run", "--data", str(tmp_path), *flags])
        cli.cmd_run(args)
    plain, uncached = started
    assert plain[2:4] == ["dashboard.serve", str(cli.APP)]
    assert uncached[2:5] == ["dashboard.serve", serve.NO_CACHE, str(cli.APP)]
