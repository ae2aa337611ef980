"""``partnet ingest --dataset/--replace/--on-conflict/--dry-run`` and ``partnet store history|datasets|remove-dataset``,
and the migration of stores written before datasets existed (a schema-2 SQLite file, a schema-2 Neo4j graph)."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from ingest_support import valid_tables, write_csvs
from legacy_stores import make_sqlite_store

from graph.backup import dataset_fingerprint
from graph.sqlite_store import SCHEMA_VERSION, SQLiteStore
from partnet.cli import cli

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def _seed_copy(tmp_path: Path) -> Path:
    """data/seed with one actor (and its rows) deleted and another renamed."""
    import pandas as pd

    out = tmp_path / "seed"
    shutil.copytree(ROOT / "data" / "seed", out)
    actors = pd.read_csv(out / "actors.csv", dtype=str, keep_default_na=False)
    ms = pd.read_csv(out / "memberships.csv", dtype=str, keep_default_na=False)
    gone = next(a for a in actors["id"] if a not in set(ms["actor_id"]))  # an actor in no partnership
    renamed = actors["id"].iloc[0]
    actors = actors[actors["id"] != gone]
    actors.loc[actors["id"] == renamed, "name"] = "Renamed organisation"
    actors.to_csv(out / "actors.csv", index=False)
    for name in ("links", "funding"):
        t = pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False)
        cols = [c for c in t.columns if c.endswith("_id")]
        t[~t[cols].isin([gone]).any(axis=1)].to_csv(out / f"{name}.csv", index=False)
    return out, gone, renamed


def test_seed_then_edited_replace_then_a_colliding_dataset(tmp_path):
    db = tmp_path / "p.db"
    first = _run("ingest", ROOT / "data" / "seed", "--db", db, "--no-progress")
    assert first.exit_code == 0 and "-> dataset seed: written" in first.output
    edited, gone, renamed = _seed_copy(tmp_path)
    dry = _run("ingest", edited, "--db", db, "--replace", "--dry-run", "--no-progress")
    assert dry.exit_code == 0, dry.output
    assert f"would delete actors: {gone}" in dry.output
    assert f"changed actors {renamed}: name: " in dry.output and "-> 'Renamed organisation'" in dry.output
    real = _run("ingest", edited, "--db", db, "--replace", "--no-progress")
    assert real.exit_code == 0 and f"deleted actors: {gone}" in real.output
    with SQLiteStore(db) as st:
        ids = {a.id for a in st.read_dataset().actors}
        before = dataset_fingerprint(st.read_dataset())
    assert gone not in ids
    other = write_csvs(tmp_path / "analyst", _colliding(renamed))
    clash = _run("ingest", other, "--db", db, "--no-progress")
    assert clash.exit_code == 1
    assert f"actors {renamed} belongs to dataset 'seed'" in clash.output and "(analyst)" in clash.output
    with SQLiteStore(db) as st:
        assert dataset_fingerprint(st.read_dataset()) == before
    kept = _run("ingest", other, "--db", db, "--on-conflict", "keep", "--no-progress")
    assert kept.exit_code == 0, kept.output
    hist = _run("store", "history", "--db", db).output.splitlines()
    assert [line.split()[2:4] for line in hist] == [["ingest", "seed:"], ["replace", "seed:"],
                                                    ["ingest", "analyst:"]]
    assert "changed 1, deleted " in hist[1] and "deleted 0," not in hist[1]
    assert "conflicts resolved 1" in hist[2] and "actors.csv (" in hist[0]
    listing = _run("store", "datasets", "--db", db).output
    import pandas as pd

    n_seed = len(pd.read_csv(ROOT / "data" / "seed" / "actors.csv", dtype=str))
    assert listing.startswith("analyst: actors ") and f"\nseed: actors {n_seed - 1}," in listing
    assert "sources: CLIP-2011, EQUAL-NTN" in listing
    gone_out = _run("store", "remove-dataset", "analyst", "--db", db)
    assert gone_out.exit_code == 0 and "removed dataset analyst" in gone_out.output
    assert _run("store", "remove-dataset", "analyst", "--db", db).exit_code == 1


def _colliding(actor_id: str) -> dict[str, list[list[str]]]:
    tables = valid_tables()
    header = tables["actors"][0]
    row = [""] * len(header)
    row[header.index("id")], row[header.index("name")], row[header.index("type")] = actor_id, "Someone else", "ngo"
    tables["actors"].append(row)
    return tables


def test_dry_run_with_a_conflict_exits_1_and_writes_nothing(tmp_path):
    db = tmp_path / "p.db"
    _run("ingest", ROOT / "data" / "seed", "--db", db, "--no-progress")
    seed_actor = "cfdt"
    with SQLiteStore(db) as st:
        seed_actor = st.read_dataset().actors[0].id
        before = dataset_fingerprint(st.read_dataset())
    res = _run("ingest", write_csvs(tmp_path / "mine", _colliding(seed_actor)), "--db", db, "--dry-run",
               "--no-progress")
    assert res.exit_code == 1 and "conflict: actors" in res.output and "nothing was written" in res.output
    with SQLiteStore(db) as st:
        assert dataset_fingerprint(st.read_dataset()) == before


def test_a_schema_2_sqlite_file_migrates_into_the_named_dataset(tmp_path, small_dataset):
    db = make_sqlite_store(tmp_path / "v2.db", small_dataset, version=2)
    res = _run("ingest", write_csvs(tmp_path / "more"), "--db", db, "--dataset", "curated", "--no-progress")
    assert res.exit_code == 0, res.output
    with SQLiteStore(db) as st:
        assert st.schema_version() == SCHEMA_VERSION == 5
        owners = st.read_state()[1]
        assert owners["actors"][("cfdt",)] == "curated"
        assert [e["action"] for e in st.read_history()] == ["migrate", "ingest"]
        assert st.read_history()[0]["dataset"] == "curated"


def test_a_schema_2_sqlite_file_defaults_to_dataset_default(tmp_path, small_dataset):
    db = make_sqlite_store(tmp_path / "v2.db", small_dataset, version=2)
    assert _run("store", "info", "--db", db).exit_code == 0
    with SQLiteStore(db) as st:
        assert set(st.dataset_counts()) == {"default"}
        assert st.read_dataset().sorted() == small_dataset.sorted()


def test_a_schema_2_neo4j_graph_migrates(neo4j_store, small_dataset):
    from graph.neo4j_store import SCHEMA_VERSION as NEO4J_VERSION
    from graph.neo4j_store import Neo4jStore

    neo4j_store.write(small_dataset)
    drv, db = neo4j_store._driver, neo4j_store.settings.database
    # make it look as partnet wrote it before datasets: no dataset properties, schema version 2
    drv.execute_query("MATCH (n) WHERE n:Actor OR n:Partnership REMOVE n.dataset", database_=db)
    drv.execute_query("MATCH ()-[r]->() REMOVE r.dataset", database_=db)
    drv.execute_query("MATCH (m:PartnetMeta {key: 'meta'}) SET m.schema_version = 2", database_=db)
    with Neo4jStore(neo4j_store.settings, legacy_dataset="curated") as st:
        assert st.info().schema_version == NEO4J_VERSION == 4
        assert set(st.dataset_counts()) == {"curated"}
        assert st.read_dataset().sorted() == small_dataset.sorted()
        assert [(e["action"], e["dataset"]) for e in st.read_history()] == [("migrate", "curated")]
