"""A partnership's `status` and `members_complete`: import format, synonyms, both stores, frames, migration."""

from __future__ import annotations

import dataclasses

import pytest
from ingest_support import valid_tables, write_csvs
from legacy_stores import make_sqlite_store

from graph.convert import dataset_from_frames, dataset_to_frames, dataset_to_graph
from graph.model import STATUSES, Partnership
from graph.sqlite_store import SCHEMA_VERSION, SQLiteStore
from ingest import load, write_import_files
from ingest.normalise import CellError, parse_flag, vocab_value


@pytest.mark.parametrize("text, value", [
    ("active", "active"), ("Ongoing", "active"), ("en cours", "active"), ("Actif", "active"),
    ("proposal", "proposed"), ("proposé", "proposed"), ("Projet", "proposed"), ("planned", "proposed"),
    ("terminé", "ended"), ("closed", "ended"), ("Completed", "ended"), ("ended", "ended"),
    ("unknown", "unknown"), ("inconnu", "unknown"),
])
def test_status_synonyms(text, value):
    assert vocab_value("status", text) == value


@pytest.mark.parametrize("text, value", [("yes", True), ("Oui", True), ("TRUE", True), ("1", True),
                                         ("no", False), ("non", False), ("false", False), ("0", False),
                                         ("", None), (None, None), (1, True), (0, False)])
def test_members_complete_values(text, value):
    assert parse_flag(text, lambda *a: None) == value


def test_members_complete_refuses_other_text():
    with pytest.raises(CellError):
        parse_flag("maybe", lambda *a: None)


def test_model_checks_status():
    assert Partnership("p", "P", "project").status == "unknown"
    with pytest.raises(ValueError):
        Partnership("p", "P", "project", status="dormant")
    with pytest.raises(ValueError):
        Partnership("p", "P", "project", members_complete="yes")  # type: ignore[arg-type]
    assert set(STATUSES) == {"active", "proposed", "ended", "unknown"}


def _with_status_columns(rows: list[list[str]]) -> list[list[str]]:
    header, *body = rows
    values = [("en cours", "oui"), ("", ""), ("terminé", "non"), ("proposal", "yes")]
    return [header + ["status", "members_complete"]] + [r + list(values[i % len(values)]) for i, r in
                                                          enumerate(body)]


def test_import_reads_status_and_members_complete(tmp_path):
    tables = valid_tables()
    tables["partnerships"] = _with_status_columns(tables["partnerships"])
    result = load(write_csvs(tmp_path / "in", tables))
    assert result.report.ok, result.report.format_text()
    got = [(p.status, p.members_complete) for p in result.dataset.partnerships]
    expected = [("active", True), ("unknown", None), ("ended", False), ("proposed", True)]
    assert got == expected[:len(got)]


def test_import_without_the_columns_gives_unknown(tmp_path):
    result = load(write_csvs(tmp_path / "in"))
    assert result.report.ok
    assert {(p.status, p.members_complete) for p in result.dataset.partnerships} == {("unknown", None)}


def test_bad_status_is_a_cell_error(tmp_path):
    tables = valid_tables()
    header, first, *rest = tables["partnerships"]
    tables["partnerships"] = [header + ["status"], first + ["dormant"]] + [r + [""] for r in rest]
    result = load(write_csvs(tmp_path / "in", tables))
    assert not result.report.ok
    assert any(p.column == "status" and p.value == "dormant" for p in result.report.errors)


def _statused(ds):
    values = [("active", True), ("ended", False), ("proposed", None)]
    parts = [dataclasses.replace(p, status=values[i % 3][0], members_complete=values[i % 3][1])
             for i, p in enumerate(ds.partnerships)]
    return dataclasses.replace(ds, partnerships=parts)


def test_both_stores_keep_the_fields(store, small_dataset):
    ds = _statused(small_dataset)
    store.write(ds)
    assert store.read_dataset().sorted() == ds.sorted()
    g = store.read_graph()
    assert g.nodes["ntn-fr"]["status"] == "active" and g.nodes["ntn-fr"]["members_complete"] is True


def test_frames_and_import_files_round_trip(tmp_path, small_dataset):
    ds = _statused(small_dataset)
    frames = dataset_to_frames(ds)
    assert str(frames["partnerships"]["members_complete"].dtype) == "boolean"
    assert dataset_from_frames(frames).sorted() == ds.sorted()
    assert dataset_to_graph(ds).nodes["fr-nat-2001-10456"]["members_complete"] is False
    back = load(write_import_files(ds, tmp_path / "out"))
    assert back.report.ok
    assert sorted((p.id, p.status, p.members_complete) for p in back.dataset.partnerships) == sorted(
        (p.id, p.status, p.members_complete) for p in ds.partnerships)


def test_a_schema_2_sqlite_file_migrates_to_unknown_status(tmp_path, small_dataset):
    path = make_sqlite_store(tmp_path / "v2.db", small_dataset, version=2)
    with SQLiteStore(path) as st:
        assert st.schema_version() == SCHEMA_VERSION >= 3
        assert st.read_dataset().sorted() == small_dataset.sorted()
        assert {p.status for p in st.read_dataset().partnerships} == {"unknown"}
