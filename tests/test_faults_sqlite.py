"""Faults provoked for real against the SQLite store: the writing process killed (SIGKILL, Ctrl-C),
read-only file and folder, a second writer holding the lock, two writers at once, a full disk.

Each test checks the file afterwards with ``PRAGMA integrity_check`` and compares its content
fingerprint with the state before the fault.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from safety import (
    PYTHON,
    TRACEBACK,
    big_dataset,
    cli_env,
    drop_permission_bypass,
    run_cli,
    sqlite_fingerprint,
)

from graph.backup import dataset_fingerprint
from graph.model import Dataset
from graph.sqlite_store import SQLiteStore

CHILD = str(Path(__file__).with_name("fault_child.py"))


def _child(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([PYTHON, CHILD, *args], env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **kw)


def _wait_for(path: Path, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            raise AssertionError(f"child ended before the marker: {proc.communicate()}")
        assert time.monotonic() < deadline, "child never reached the marker"
        time.sleep(0.01)


@pytest.fixture
def seeded(tmp_path, small_dataset) -> tuple[Path, str]:
    """A store holding the small dataset plus 2,000 actors, and its fingerprint."""
    db = tmp_path / "store" / "partnet.db"
    with SQLiteStore(db) as st:
        st.write(small_dataset)
        st.write(big_dataset(2000, prefix="pre"))
    fp = sqlite_fingerprint(db)
    SQLiteStore(db).close()  # the last writer to close checkpoints and removes -wal/-shm
    assert sorted(f.name for f in db.parent.iterdir()) == ["partnet.db"]
    return db, fp


def _wal_size(db: Path) -> int:
    wal = Path(f"{db}-wal")
    return wal.stat().st_size if wal.exists() else 0


# -- the writer killed -------------------------------------------------------------------------


def test_sigkill_inside_the_write_transaction(seeded, tmp_path):
    """Paused deep inside its transaction (pages already spilled to the WAL), the writer is SIGKILLed."""
    db, before = seeded
    marker = tmp_path / "paused"
    proc = _child("write", "--db", str(db), "--actors", "150000", "--prefix", "new",
                  "--pause-after", "4000", "--marker", str(marker))
    _wait_for(marker, proc)
    assert _wal_size(db) > 1_000_000, "the transaction should have spilled pages into the WAL"
    proc.kill()
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert sqlite_fingerprint(db) == before
    with SQLiteStore(db) as st:  # the store takes the same write afterwards
        st.write(big_dataset(100, prefix="after"))
        assert st.counts()["Actor"] == 4 + 2000 + 100


@pytest.mark.parametrize("trial", range(3))
def test_sigkill_at_a_random_point_of_a_large_write(seeded, tmp_path, trial):
    """No pause: the writer is killed as soon as its WAL has grown by 1 to 8 MB (a different point each trial)."""
    db, before = seeded
    threshold = _wal_size(db) + (1 + 3 * trial) * 1_000_000
    proc = _child("write", "--db", str(db), "--actors", "200000", "--prefix", "new")
    killed = False
    while proc.poll() is None:
        if _wal_size(db) > threshold:
            proc.kill()
            killed = True
            break
        time.sleep(0.001)
    out, err = proc.communicate(timeout=60)
    assert killed, f"the write finished before it could be killed: {out} {err}"
    assert sqlite_fingerprint(db) == before


def test_ctrl_c_during_a_large_write(seeded, tmp_path):
    """SIGINT to the writer's process group (what Ctrl-C does): rolled back, no traceback, non-zero exit."""
    db, before = seeded
    marker = tmp_path / "writing"
    proc = _child("write", "--db", str(db), "--actors", "200000", "--prefix", "new", "--marker", str(marker),
                  start_new_session=True)
    _wait_for(marker, proc)
    base = _wal_size(db)
    deadline = time.monotonic() + 60
    while _wal_size(db) <= base + 2_000_000 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    assert proc.poll() is None, "the write finished before Ctrl-C"
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode != 0 and "written" not in out
    assert "KeyboardInterrupt" in err or proc.returncode in (-signal.SIGINT, 130)
    assert sqlite_fingerprint(db) == before


# -- permissions -----------------------------------------------------------------------------------


def test_read_only_file_refuses_writes_clearly_and_still_reads(seeded):
    db, before = seeded
    os.chmod(db, 0o444)
    try:
        r = run_cli("store", "clear", "--yes", "--db", str(db), preexec_fn=drop_permission_bypass)
        assert r.returncode == 2, (r.stdout, r.stderr)
        assert "read-only" in r.stderr and str(db) in r.stderr and TRACEBACK not in r.stderr
        p = subprocess.run([PYTHON, CHILD, "write", "--db", str(db), "--actors", "50"], env=cli_env(),
                           capture_output=True, text=True, preexec_fn=drop_permission_bypass, timeout=120)
        assert p.returncode == 2 and "read-only" in p.stderr and TRACEBACK not in p.stderr
        r = run_cli("store", "info", "--db", str(db), preexec_fn=drop_permission_bypass)
        assert r.returncode == 0, r.stderr
        assert "2,004" in r.stdout
    finally:
        os.chmod(db, 0o644)
    assert sqlite_fingerprint(db) == before


def test_read_only_folder_refuses_writes_clearly_and_still_reads(seeded):
    """SQLite must create ``-wal``/``-shm`` beside the file to write: refused; reading still works."""
    db, before = seeded
    folder = db.parent
    os.chmod(folder, 0o555)
    try:
        p = subprocess.run([PYTHON, CHILD, "write", "--db", str(db), "--actors", "50"], env=cli_env(),
                           capture_output=True, text=True, preexec_fn=drop_permission_bypass, timeout=120)
        assert p.returncode == 2, (p.stdout, p.stderr)
        assert "read-only" in p.stderr and str(db) in p.stderr and TRACEBACK not in p.stderr
        code = ("from graph.backends import open_store; import sys\n"
                f"st = open_store('sqlite', path={str(db)!r}, read_only=True)\n"
                "print(st.counts()['Actor'], len(st.read_dataset()))")
        p = subprocess.run([PYTHON, "-c", code], env=cli_env(), capture_output=True, text=True,
                           preexec_fn=drop_permission_bypass, timeout=120)
        assert p.returncode == 0, p.stderr
        assert p.stdout.split()[0] == "2004"
        assert sorted(f.name for f in folder.iterdir()) == ["partnet.db"], "nothing may appear in the folder"
    finally:
        os.chmod(folder, 0o755)
    assert sqlite_fingerprint(db) == before


def test_missing_and_unwritable_paths_are_clear_errors(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    os.chmod(ro, 0o555)
    try:
        r = run_cli("store", "info", "--db", str(ro / "sub" / "x.db"), preexec_fn=drop_permission_bypass)
        assert r.returncode == 2 and TRACEBACK not in r.stderr
        assert str(ro / "sub" / "x.db") in r.stderr and "PARTNET_DB" in r.stderr
    finally:
        os.chmod(ro, 0o755)


# -- locks and concurrency -------------------------------------------------------------------------


def _hold_write_lock(db: Path, seconds: float) -> subprocess.Popen:
    """Another process opens a write transaction on ``db`` and keeps it ``seconds`` long."""
    code = (f"import sqlite3, sys, time\ncon = sqlite3.connect({str(db)!r}, isolation_level=None)\n"
            "con.execute('BEGIN IMMEDIATE')\nprint('locked', flush=True)\n"
            f"time.sleep({seconds})\ncon.execute('ROLLBACK')\n")
    proc = subprocess.Popen([PYTHON, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_second_writer_waits_for_the_lock_then_succeeds(seeded):
    db, _ = seeded
    holder = _hold_write_lock(db, 3)
    t0 = time.monotonic()
    p = subprocess.run([PYTHON, CHILD, "write", "--db", str(db), "--actors", "300", "--prefix", "late"],
                       env=cli_env(), capture_output=True, text=True, timeout=120)
    waited = time.monotonic() - t0
    holder.wait(timeout=30)
    assert p.returncode == 0, p.stderr
    assert waited >= 2.0, f"the writer should have waited for the lock, took {waited:.1f} s"
    with SQLiteStore(db) as st:
        assert st.counts()["Actor"] == 2004 + 300


def test_lock_held_too_long_gives_a_clear_error_within_the_bound(seeded):
    db, before = seeded
    holder = _hold_write_lock(db, 30)
    try:
        t0 = time.monotonic()
        p = subprocess.run([PYTHON, CHILD, "write", "--db", str(db), "--actors", "300", "--prefix", "late"],
                           env=cli_env(PARTNET_LOCK_TIMEOUT="2"), capture_output=True, text=True, timeout=120)
        took = time.monotonic() - t0
        assert p.returncode == 1, p.stderr
        assert "locked by another process" in p.stderr and "PARTNET_LOCK_TIMEOUT" in p.stderr
        assert TRACEBACK not in p.stderr
        assert took < 2 + 8, f"took {took:.1f} s for a 2 s lock timeout"
    finally:
        holder.kill()
        holder.wait()
    assert sqlite_fingerprint(db) == before


def test_two_writers_at_once_equal_sequential(tmp_path, small_dataset):
    """Two processes write overlapping datasets at the same moment: the result is the sequential one."""
    db = tmp_path / "c.db"
    with SQLiteStore(db) as st:
        st.write(small_dataset)
    a, b = big_dataset(20000, prefix="x"), big_dataset(30000, prefix="x")  # b extends a, identical overlap
    procs = [_child("write", "--db", str(db), "--actors", str(n), "--prefix", "x") for n in (20000, 30000)]
    procs += [_child("write", "--db", str(db), "--actors", "5000", "--prefix", "y")]
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    expected = Dataset(**{t: getattr(small_dataset, t) + getattr(a, t) + getattr(b, t)
                          + getattr(big_dataset(5000, prefix="y"), t) for t in Dataset.TABLES})
    assert sqlite_fingerprint(db) == dataset_fingerprint(expected)


# -- a full disk -------------------------------------------------------------------------------------


def _assert_disk_full_error(p: subprocess.CompletedProcess, db: Path) -> None:
    assert p.returncode == 1, (p.returncode, p.stdout, p.stderr)
    assert "nothing was written" in p.stderr and str(db) in p.stderr and TRACEBACK not in p.stderr
    assert "disk is full" in p.stderr


def test_size_limited_file_during_a_write(seeded):
    """RLIMIT_FSIZE (a per-process file size limit) hit in the middle of a write."""
    db, before = seeded
    limit = db.stat().st_size + _wal_size(db) + 3_000_000

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    p = subprocess.run([PYTHON, CHILD, "write", "--db", str(db), "--actors", "100000", "--prefix", "big"],
                       env=cli_env(), capture_output=True, text=True, preexec_fn=limit_file_size, timeout=300)
    _assert_disk_full_error(p, db)
    assert sqlite_fingerprint(db) == before
    with SQLiteStore(db) as st:
        st.write(big_dataset(10, prefix="after"))
        assert st.counts()["Actor"] == 2014


@contextlib.contextmanager
def _small_tmpfs(where: Path, size: str):
    """Mount a tmpfs of ``size`` at ``where`` (needs root; CI runs as root like this machine)."""
    where.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "partnet-test", str(where)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise AssertionError(f"cannot mount a tmpfs (the disk-full test needs root): {r.stderr}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_disk_full_during_a_write(tmp_path, small_dataset):
    """A real full file system (a 4 MB tmpfs): a clear error, the store unchanged and still usable."""
    with _small_tmpfs(tmp_path / "mnt", "4m") as mnt:
        db = mnt / "partnet.db"
        with SQLiteStore(db) as st:
            st.write(small_dataset)
            st.write(big_dataset(1000, prefix="pre"))
        before = sqlite_fingerprint(db)
        p = subprocess.run([PYTHON, CHILD, "write", "--db", str(db), "--actors", "100000", "--prefix", "big"],
                           env=cli_env(), capture_output=True, text=True, timeout=300)
        _assert_disk_full_error(p, db)
        assert sqlite_fingerprint(db) == before
        for f in mnt.iterdir():  # nothing else but the store's own files
            assert f.name.startswith("partnet.db"), f
        with SQLiteStore(db) as st:  # usable again at once (the failed write's WAL space is reused)
            st.write(big_dataset(10, prefix="after"))
            assert st.counts()["Actor"] == 4 + 1000 + 10
        con = sqlite3.connect(db)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.close()


def test_disk_full_during_backup_leaves_no_partial_file(tmp_path, small_dataset):
    db = tmp_path / "s.db"
    with SQLiteStore(db) as st:
        st.write(big_dataset(30000))
    with _small_tmpfs(tmp_path / "mnt", "1m") as mnt:
        r = run_cli("store", "backup", str(mnt / "b.db"), "--db", str(db))
        assert r.returncode == 1, (r.stdout, r.stderr)
        assert "full" in r.stderr and TRACEBACK not in r.stderr
        assert list(mnt.iterdir()) == []


if sys.platform != "linux":  # pragma: no cover - the suite runs on Linux (CI and this machine)
    pytestmark = pytest.mark.skip("fault tests use Linux signals, capabilities and tmpfs")
