"""A large ``--replace`` on Neo4j whose server is SIGKILLed inside the transaction leaves the previous state.

Like tests/test_faults_neo4j.py, against a server of the test's own (`OwnNeo4j`, never the
shared one): the replace (`ingest.update.plan_and_apply`, what `partnet ingest --replace` runs)
is ONE write transaction holding the deletions, the upserts with their dataset, the sources and
the history entry. The server is killed while that transaction is writing memberships (after its
deletions and node upserts), restarted, and must hold exactly the records, datasets, sources and
history of before (Neo4j's recovery drops the uncommitted transaction).
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from safety import PYTHON, TRACEBACK, big_dataset

from graph.backup import dataset_fingerprint
from ingest.update import plan_and_apply, store_state

CHILD = str(Path(__file__).with_name("fault_child.py"))

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


@pytest.fixture
def neo(own_neo4j):
    """The own server, answering, with no records, sources or history."""
    if own_neo4j.script("status").returncode != 0:
        own_neo4j.start()
    with own_neo4j.store() as st:
        st.delete_all()
        st._driver.execute_query("MATCH (n) WHERE n:PartnetHistory OR n:PartnetSource DETACH DELETE n")
        st._driver.execute_query("MATCH (m:PartnetMeta {key: 'meta'}) REMOVE m.history_seq")
    return own_neo4j


def _state(st) -> dict:
    ds, owners = st.read_state()
    return {"fp": dataset_fingerprint(ds), "owners": owners, "sources": st.read_sources(),
            "history": st.read_history(), "datasets": st.dataset_counts(), "counts": st.counts()}


def _open_write_transactions(st) -> list[dict]:
    recs, _, _ = st._driver.execute_query(
        "SHOW TRANSACTIONS YIELD transactionId, currentQuery "
        "WHERE NOT currentQuery CONTAINS 'SHOW TRANSACTIONS' RETURN transactionId, currentQuery")
    return [r.data() for r in recs]


def test_sigkill_during_a_large_replace_then_restart_leaves_the_previous_state(neo, small_dataset):
    with neo.store() as st:
        plan_and_apply("-", small_dataset, [{"id": "EQUAL-NTN", "title": "EQUAL", "file": "", "description": ""}],
                       st, store_state(st), dataset="seed")
        plan_and_apply("-", big_dataset(5000, prefix="pre"), [], st, store_state(st), dataset="big")
        before = _state(st)
    assert before["datasets"]["big"]["actors"] == 5000 and len(before["history"]) == 2

    n = 30_000
    proc = subprocess.Popen([PYTHON, CHILD, "replace", "--store", "neo4j", "--actors", str(n), "--prefix", "new",
                             "--batch-size", "1000"],
                            env=neo.child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen: set[str] = set()
    with neo.store(read_only=True) as watcher:
        deadline = time.monotonic() + 300
        while proc.poll() is None and time.monotonic() < deadline:
            txs = [t for t in _open_write_transactions(watcher) if "UNWIND $rows" in t["currentQuery"]]
            seen |= {t["transactionId"] for t in txs}
            # deletions and nodes done: memberships are being written (CREATE for new ones, MERGE for changed)
            if any("(a)-[r:MEMBER_OF" in t["currentQuery"] for t in txs):
                break
            time.sleep(0.02)
    assert proc.poll() is None, f"the replace ended before the kill: {proc.communicate()}"
    assert len(seen) == 1, f"a replace must be one transaction, saw {sorted(seen)}"
    t_kill = time.monotonic()
    assert neo.script("kill").returncode == 0
    out, err = proc.communicate(timeout=120)
    took = time.monotonic() - t_kill
    assert proc.returncode == 2, (proc.returncode, out, err)
    assert "cannot reach Neo4j" in err and TRACEBACK not in out + err
    assert "replaced" not in out
    print(f"\nserver SIGKILLed mid-replace: the replace exited 2 after {took:.1f} s")

    neo.start()  # recovery drops the open transaction
    with neo.store() as st:
        assert _state(st) == before  # records, datasets, sources, history and counts as before
        # the same replace, run again on the recovered server, completes
        out2 = plan_and_apply("-", big_dataset(300, prefix="after"), [], st, store_state(st), dataset="big",
                              replace=True)
        assert out2.plan.totals()["deleted"] > 5000
        assert st.dataset_counts()["big"]["actors"] == 300
        assert st.dataset_counts()["seed"] == before["datasets"]["seed"]
        assert [e["action"] for e in st.read_history()] == ["ingest", "ingest", "replace"]
