"""Papercuts of the command line (issue 18): serve stops its dashboard on SIGTERM, commands on an
empty store, store info creates nothing, export's format, --excel and --force."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.slow
def test_sigterm_to_serve_stops_the_dashboard_and_frees_the_port(tmp_path):
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "partnet", "serve", "--db", str(tmp_path / "s.db"),
                             "--port", str(port)], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    children: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 90
        while not _answers(port):
            assert proc.poll() is None, "partnet serve ended before the dashboard answered"
            assert time.monotonic() < deadline, "the dashboard never answered"
            time.sleep(0.5)
        children = psutil.Process(proc.pid).children(recursive=True)
        assert children, "the dashboard runs in a child process"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        gone, alive = psutil.wait_procs(children, timeout=5)
        assert not alive, f"still running after SIGTERM: {[c.pid for c in alive]}"
        assert not _answers(port)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for c in children:  # whatever the test found, even if partnet serve left it behind
            if c.is_running():
                c.kill()


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory):
    """A store that held data and was cleared (what `store clear` leaves)."""
    from graph.model import Actor, Dataset
    from graph.sqlite_store import SQLiteStore

    db = tmp_path_factory.mktemp("empty") / "e.db"
    with SQLiteStore(db) as st:
        st.write(Dataset(actors=[Actor(id="a", name="A", type="ngo")]))
        st.delete_all()
    return db


@pytest.mark.parametrize("args", [
    ["analyse"], ["report", "OUT.html"], ["export", "--format", "csv", "OUT"],
    ["export", "--format", "xlsx", "OUT.xlsx"],
    ["export", "--format", "gexf", "OUT.gexf"], ["export", "--format", "graphml", "OUT.graphml"],
    ["plan"], ["introductions"], ["funding"],
])
def test_every_command_on_an_empty_store_says_so_and_exits_1(empty_db, tmp_path, args):
    from click.testing import CliRunner

    from partnet.cli import cli

    args = [a.replace("OUT", str(tmp_path / "out")) for a in args]
    r = CliRunner().invoke(cli, [*args, "--db", str(empty_db)])
    assert r.exit_code == 1, r.output
    assert "the store is empty" in r.output and "partnet ingest" in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert "Traceback" not in r.output and not list(tmp_path.iterdir())
