"""`partnet store backup / restore / clear`: a round trip loses nothing, a bad backup touches nothing,
an interrupted restore leaves the old content, and clear needs --yes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from hostile import hostile_dataset
from safety import PYTHON, TRACEBACK, big_dataset, cli_env, fingerprint, run_cli, sqlite_fingerprint

from graph.backup import check_partnet_file, dataset_fingerprint
from graph.errors import StoreError
from graph.model import Dataset
from graph.sqlite_store import SQLiteStore


def _full(small_dataset: Dataset) -> Dataset:
    h = hostile_dataset()
    return Dataset(**{t: getattr(small_dataset, t) + getattr(h, t) for t in Dataset.TABLES})


def test_backup_restore_round_trip_loses_nothing(tmp_path, small_dataset):
    db, bak = tmp_path / "live.db", tmp_path / "backups" / "b1.db"
    ds = _full(small_dataset)
    with SQLiteStore(db) as st:
        st.write(ds)
        fp_before, counts_before, version_before = fingerprint(st), st.counts(), st.data_version()
    assert fp_before == dataset_fingerprint(ds)

    r = run_cli("store", "backup", str(bak), "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert fp_before in r.stdout and str(bak) in r.stdout
    assert bak.is_file() and not list(bak.parent.glob(".*staging*"))
    assert not Path(f"{bak}-wal").exists(), "a backup is one self-contained file"
    assert sqlite_fingerprint(bak) == fp_before

    with SQLiteStore(db) as st:  # the store moves on: more data, then everything deleted
        st.write(big_dataset(300))
        st.delete_all()
        assert st.counts()["Actor"] == 0

    r = run_cli("store", "restore", str(bak), "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert TRACEBACK not in r.stderr
    with SQLiteStore(db) as st:
        assert fingerprint(st) == fp_before
        assert st.read_dataset().sorted() == ds.deduplicated().sorted()
        assert st.counts() == counts_before
        assert st.data_version() != version_before, "a restore must invalidate cached analyses"
    assert not list(tmp_path.glob(".*staging*"))


def test_restore_creates_a_missing_store_in_wal_mode(tmp_path, small_dataset):
    src, bak, new = tmp_path / "src.db", tmp_path / "b.db", tmp_path / "sub" / "new.db"
    with SQLiteStore(src) as st:
        st.write(small_dataset)
    assert run_cli("store", "backup", str(bak), "--db", str(src)).returncode == 0
    r = run_cli("store", "restore", str(bak), "--db", str(new))
    assert r.returncode == 0, r.stderr
    assert sqlite_fingerprint(new) == dataset_fingerprint(small_dataset)
    con = sqlite3.connect(new)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


def test_backup_refuses_to_overwrite_without_force(tmp_path, small_dataset):
    db, bak = tmp_path / "s.db", tmp_path / "b.db"
    bak.write_text("precious")
    with SQLiteStore(db) as st:
        st.write(small_dataset)
    r = run_cli("store", "backup", str(bak), "--db", str(db))
    assert r.returncode == 1 and "already exists" in r.stderr and "--force" in r.stderr
    assert bak.read_text() == "precious"
    r = run_cli("store", "backup", str(bak), "--db", str(db), "--force")
    assert r.returncode == 0, r.stderr
    assert sqlite_fingerprint(bak) == dataset_fingerprint(small_dataset)


def test_backup_of_a_missing_store_exits_2(tmp_path):
    r = run_cli("store", "backup", str(tmp_path / "b.db"), "--db", str(tmp_path / "none.db"))
    assert r.returncode == 2 and "does not exist" in r.stderr and TRACEBACK not in r.stderr
    assert not (tmp_path / "b.db").exists()


def _bad_backups(tmp_path: Path, good: Path) -> dict[str, tuple[Path, str]]:
    """Files that must be refused, and a phrase the message must contain."""
    out: dict[str, tuple[Path, str]] = {}
    text = tmp_path / "notes.db"
    text.write_text("actor,name\nx,y\n")
    out["text-file"] = (text, "not an SQLite database")
    out["missing"] = (tmp_path / "nope.db", "does not exist")
    trunc = tmp_path / "truncated.db"
    data = good.read_bytes()
    trunc.write_bytes(data[: len(data) // 2])
    out["truncated"] = (trunc, "not a usable partnet backup")
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    out["not-partnet"] = (other, "not a partnet store")
    for name, sql, phrase in (
        ("bad-vocabulary", "UPDATE actors SET type = 'bogus' WHERE rowid = 1", "invalid record"),
        ("newer-schema", "INSERT INTO schema_version (version) VALUES (99)", "schema version 99"),
        ("dangling", "INSERT INTO memberships (actor_id, partnership_id, role, source, section) "
             "VALUES ('ghost', 'ntn-fr', 'member', '', '')", "refer to missing"),
        ("missing-table", "DROP TABLE links", "tables missing: links"),
    ):
        f = tmp_path / f"{name}.db"
        f.write_bytes(data)
        con = sqlite3.connect(f)
        con.execute("PRAGMA foreign_keys = OFF")
        con.execute(sql)
        con.commit()
        con.close()
        out[name] = (f, phrase)
    corrupt = tmp_path / "corrupt.db"
    blob = bytearray(data)
    page = 4096
    for i in range(2 * page + 100, min(len(blob), 3 * page), 7):  # scribble over a b-tree page
        blob[i] = 0xA5
    corrupt.write_bytes(bytes(blob))
    out["corrupt-page"] = (corrupt, "not a usable partnet backup")
    return out


def test_restore_refuses_bad_backups_and_touches_nothing(tmp_path, small_dataset):
    db, good = tmp_path / "live.db", tmp_path / "good.db"
    with SQLiteStore(good) as st:
        st.write(big_dataset(400, prefix="g"))
        st.write(small_dataset)
    con = sqlite3.connect(good)
    con.execute("PRAGMA journal_mode = DELETE")
    con.close()
    with SQLiteStore(db) as st:
        st.write(hostile_dataset())
    before = sqlite_fingerprint(db)
    cases = _bad_backups(tmp_path, good)
    for name, (path, phrase) in cases.items():
        r = run_cli("store", "restore", str(path), "--db", str(db))
        assert r.returncode == 1, (name, r.returncode, r.stdout, r.stderr)
        assert phrase in r.stderr, (name, r.stderr)
        assert str(path) in r.stderr, (name, r.stderr)
        assert TRACEBACK not in r.stderr, (name, r.stderr)
        assert sqlite_fingerprint(db) == before, name
        assert not list(tmp_path.glob(".*staging*")), name


def test_check_partnet_file_accepts_a_good_backup(tmp_path, small_dataset):
    db = tmp_path / "s.db"
    with SQLiteStore(db) as st:
        st.write(small_dataset)
    res = check_partnet_file(db)
    assert res.fingerprint == dataset_fingerprint(small_dataset)
    assert res.counts["MEMBER_OF"] == len(small_dataset.memberships)
    with pytest.raises(StoreError):
        check_partnet_file(tmp_path)


def test_backup_is_a_consistent_snapshot_while_another_process_writes(tmp_path):
    """A writer commits batches of 2,000 actors while backups run: every backup holds whole batches only."""
    db = tmp_path / "busy.db"
    with SQLiteStore(db) as st:
        st.write(big_dataset(10, prefix="seed"))
    writer = subprocess.Popen([PYTHON, "-c", f"""
import sys
sys.path.insert(0, {str(Path(__file__).parent)!r})
from safety import big_dataset
from graph.sqlite_store import SQLiteStore
st = SQLiteStore({str(db)!r})
for b in range(15):
    st.write(big_dataset(2000, prefix=f"b{{b}}-", per_partnership=2000))
"""], env=cli_env())
    sizes = []
    try:
        for k in range(6):
            bak = tmp_path / f"snap{k}.db"
            r = run_cli("store", "backup", str(bak), "--db", str(db))
            assert r.returncode == 0, r.stderr
            with SQLiteStore(bak, read_only=True) as st:
                n = st.counts()["Actor"]
                assert (n - 10) % 2000 == 0, f"backup {k} holds a partial batch: {n} actors"
                assert st.counts()["MEMBER_OF"] == n - 10 + 10
            sizes.append(n)
    finally:
        assert writer.wait(timeout=300) == 0
    assert sizes == sorted(sizes)


def test_restore_killed_midway_leaves_old_content(tmp_path):
    """SIGKILL while the backup is being copied into the store: the old content stays, undamaged."""
    db, bak = tmp_path / "live.db", tmp_path / "big.db"
    with SQLiteStore(bak) as st:
        st.write(big_dataset(120_000, prefix="new"))
    con = sqlite3.connect(bak)
    con.execute("PRAGMA journal_mode = DELETE")
    con.close()
    with SQLiteStore(db) as st:
        st.write(big_dataset(500, prefix="old"))
    old = sqlite_fingerprint(db)
    wal = Path(f"{db}-wal")
    base_wal = wal.stat().st_size if wal.exists() else 0
    killed_midway = False
    for _ in range(3):
        proc = subprocess.Popen([PYTHON, "-m", "partnet", "store", "restore", str(bak), "--db", str(db)],
                                env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            size = wal.stat().st_size if wal.exists() else 0
            if size > base_wal + 4 * 1024 * 1024:  # the copy into the store is under way
                os.kill(proc.pid, signal.SIGKILL)
                killed_midway = True
                break
            time.sleep(0.002)
        proc.wait(timeout=60)
        if killed_midway:
            break
    assert killed_midway, "the restore finished before it could be interrupted"
    assert sqlite_fingerprint(db) == old
    with SQLiteStore(db) as st:  # and the store still takes writes
        st.write(big_dataset(5, prefix="after"))
        assert st.counts()["Actor"] == 505
    for f in tmp_path.glob(".*staging*"):  # leftovers of the killed process are harmless
        f.unlink()
    r = run_cli("store", "restore", str(bak), "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert sqlite_fingerprint(db) == sqlite_fingerprint(bak)


def test_clear_needs_yes(tmp_path, small_dataset):
    db = tmp_path / "s.db"
    with SQLiteStore(db) as st:
        st.write(small_dataset)
    before = sqlite_fingerprint(db)
    r = run_cli("store", "clear", "--db", str(db))
    assert r.returncode == 1 and "--yes" in r.stderr and TRACEBACK not in r.stderr
    assert sqlite_fingerprint(db) == before
    r = run_cli("store", "clear", "--yes", "--db", str(db))
    assert r.returncode == 0, r.stderr
    with SQLiteStore(db) as st:
        assert sum(st.counts().values()) == 0


def test_neo4j_backup_restore_round_trip_loses_nothing(neo4j_store, small_dataset, tmp_path):
    ds = _full(small_dataset)
    neo4j_store.write(ds)
    before = fingerprint(neo4j_store)
    bak = tmp_path / "neo4j-backup.db"
    r = run_cli("store", "backup", str(bak), "--store", "neo4j")
    assert r.returncode == 0, r.stderr
    assert before in r.stdout
    assert sqlite_fingerprint(bak) == before
    neo4j_store.write(big_dataset(200, prefix="later"))  # the store moves on
    r = run_cli("store", "restore", str(bak), "--store", "neo4j")
    assert r.returncode == 0, r.stderr
    assert fingerprint(neo4j_store) == before == dataset_fingerprint(ds)
    assert neo4j_store.counts()["PART_OF"] == sum(1 for p in ds.partnerships if p.parent_id)
    assert neo4j_store.read_dataset().sorted() == ds.deduplicated().sorted()


def test_neo4j_restore_refuses_bad_backups_and_touches_nothing(neo4j_store, small_dataset, tmp_path):
    good = tmp_path / "good.db"
    with SQLiteStore(good) as st:
        st.write(small_dataset)
    con = sqlite3.connect(good)
    con.execute("PRAGMA journal_mode = DELETE")
    con.close()
    neo4j_store.write(hostile_dataset())
    before = fingerprint(neo4j_store)
    for name, (path, phrase) in _bad_backups(tmp_path, good).items():
        r = run_cli("store", "restore", str(path), "--store", "neo4j")
        assert r.returncode == 1, (name, r.stdout, r.stderr)
        assert phrase in r.stderr and TRACEBACK not in r.stderr, (name, r.stderr)
        assert fingerprint(neo4j_store) == before, name


def test_clear_neo4j_needs_yes(neo4j_store, small_dataset):
    neo4j_store.write(small_dataset)
    r = run_cli("store", "clear", "--store", "neo4j")
    assert r.returncode == 1 and TRACEBACK not in r.stderr
    assert fingerprint(neo4j_store) == dataset_fingerprint(small_dataset)
    r = run_cli("store", "clear", "--yes", "--store", "neo4j")
    assert r.returncode == 0, r.stderr
    assert sum(neo4j_store.counts().values()) == 0
