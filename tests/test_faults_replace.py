"""A large ``--replace`` killed with SIGKILL inside its transaction leaves the SQLite store as it was."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

from safety import PYTHON, cli_env, sqlite_fingerprint

from graph.sqlite_store import SQLiteStore
from ingest.update import plan_and_apply, store_state

CHILD = str(Path(__file__).with_name("fault_child.py"))


def test_sigkill_during_a_large_replace_leaves_the_previous_state(tmp_path, small_dataset):
    from safety import big_dataset

    db = tmp_path / "store" / "partnet.db"
    with SQLiteStore(db) as st:
        plan_and_apply("-", small_dataset, [], st, store_state(st), dataset="seed")
        plan_and_apply("-", big_dataset(5000, prefix="pre"), [], st, store_state(st), dataset="big")
        before_state = st.read_state()[1], st.read_history()
    before = sqlite_fingerprint(db)
    marker = tmp_path / "paused"
    proc = subprocess.Popen([PYTHON, CHILD, "replace", "--db", str(db), "--actors", "100000", "--prefix", "new",
                             "--pause-after", "4000", "--marker", str(marker)],
                            env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while not marker.exists():
        assert proc.poll() is None, f"child ended before the marker: {proc.communicate()}"
        assert time.monotonic() < deadline, "child never reached the marker"
        time.sleep(0.01)
    proc.kill()
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert sqlite_fingerprint(db) == before  # integrity_check ok, same content
    with SQLiteStore(db) as st:
        assert (st.read_state()[1], st.read_history()) == before_state
        out = plan_and_apply("-", big_dataset(300, prefix="after"), [], st, store_state(st), dataset="big",
                             replace=True)
        assert out.plan.totals()["deleted"] > 5000
        assert st.dataset_counts()["big"]["actors"] == 300 and st.dataset_counts()["seed"]["actors"] == 4
