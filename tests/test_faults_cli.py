"""Faults around the real `partnet ingest` command: killed (SIGKILL) or interrupted (Ctrl-C) while it
writes into SQLite, and two ingests at once into each store.

The data comes from `partnet generate` (a realistic synthetic network). Each kill happens once
the ingest's write transaction has started (its write-ahead log is growing).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from safety import PYTHON, TRACEBACK, cli_env, fingerprint, run_cli, sqlite_fingerprint

from graph.sqlite_store import SQLiteStore


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("generated")
    out = {}
    for name, n, seed in (("big", 40_000, 1), ("small", 2_000, 2), ("other", 1_500, 3)):
        r = run_cli("generate", "--actors", str(n), "--seed", str(seed), str(root / name))
        assert r.returncode == 0, r.stderr
        out[name] = root / name
    return out


def _wal(db: Path) -> int:
    wal = Path(f"{db}-wal")
    return wal.stat().st_size if wal.exists() else 0


@pytest.mark.parametrize("how", ["SIGKILL", "Ctrl-C"])
def test_partnet_ingest_killed_while_writing_sqlite(generated, tmp_path, small_dataset, how):
    db = tmp_path / "partnet.db"
    with SQLiteStore(db) as st:
        st.write(small_dataset)
    SQLiteStore(db).close()
    before = sqlite_fingerprint(db)
    base = _wal(db)
    proc = subprocess.Popen([PYTHON, "-m", "partnet", "ingest", str(generated["big"]), "--db", str(db),
                             "--no-progress"], env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    deadline = time.monotonic() + 600
    while proc.poll() is None and _wal(db) < base + 2_000_000 and time.monotonic() < deadline:
        time.sleep(0.002)
    assert proc.poll() is None, f"the ingest ended before it could be interrupted: {proc.communicate()}"
    if how == "SIGKILL":
        proc.kill()
    else:
        os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    if how == "SIGKILL":
        assert proc.returncode == -signal.SIGKILL
    else:
        assert proc.returncode not in (0, None)
        assert TRACEBACK not in err, err[-2000:]
        assert "written to" not in out
    assert sqlite_fingerprint(db) == before
    r = run_cli("ingest", str(generated["small"]), "--db", str(db), "--no-progress")  # the store works on
    assert r.returncode == 0, r.stderr


#: the folders are two datasets sharing ids with different values: without a resolution the second
#: ingest stops on the conflicts; with `update` each takes the other's values, so the order matters
_UPDATE = ("--on-conflict", "update")


def _serial_fingerprints(folders: list[Path], tmp: Path, small_dataset) -> set[str]:
    """Content fingerprints of ingesting ``folders`` one after the other, in every order.

    The generated folders share ids with different values, so the order matters: running them
    at once must give the result of one of these orders (serialisability), never a mix.
    """
    out = set()
    for k, order in enumerate((folders, folders[::-1])):
        db = tmp / f"serial-{k}.db"
        with SQLiteStore(db) as st:
            st.write(small_dataset)
        for f in order:
            r = run_cli("ingest", str(f), "--db", str(db), "--no-progress", *_UPDATE)
            assert r.returncode == 0, r.stderr
        out.add(sqlite_fingerprint(db))
    assert len(out) == 2, "the two folders should conflict, or the test proves nothing"
    return out


def _at_once(folders: list[Path], store_args: list[str]) -> None:
    procs = [subprocess.Popen([PYTHON, "-m", "partnet", "ingest", str(f), *store_args, "--no-progress", *_UPDATE],
                              env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for f in folders]
    for p in procs:
        out, err = p.communicate(timeout=900)
        assert p.returncode == 0, err
        assert TRACEBACK not in err


def test_two_ingests_at_once_into_sqlite_equal_a_serial_order(generated, tmp_path, small_dataset):
    folders = [generated["small"], generated["other"]]
    serial = _serial_fingerprints(folders, tmp_path, small_dataset)
    for trial in range(2):
        db = tmp_path / f"concurrent-{trial}.db"
        with SQLiteStore(db) as st:
            st.write(small_dataset)
        _at_once(folders, ["--db", str(db)])
        assert sqlite_fingerprint(db) in serial


def test_two_ingests_at_once_into_neo4j_equal_a_serial_order(generated, tmp_path, neo4j_store, small_dataset):
    folders = [generated["small"], generated["other"]]
    serial = _serial_fingerprints(folders, tmp_path, small_dataset)
    neo4j_store.write(small_dataset)
    _at_once(folders, ["--store", "neo4j"])
    assert fingerprint(neo4j_store) in serial
