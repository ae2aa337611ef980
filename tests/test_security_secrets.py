"""A sentinel Neo4j password never shows: not in CLI output, logs, exceptions, `store info`, exports,
the report, the dashboard pages or files written - whether it comes from the environment or .env.

The tests' own server (conftest ``own_neo4j``) gets a user ``partnet_sentinel`` whose password is
the sentinel, so every command runs for real with it; then everything produced is grepped.
"""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest
from safety import PYTHON, TRACEBACK, cli_env, run_cli

SENTINEL = "sentinel-Pw-7f3a9c-neverprint"
USER = "partnet_sentinel"

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def sentinel_env(own_neo4j) -> dict[str, str]:
    """Environment for partnet as the sentinel user on the tests' own server (with some data in it)."""
    own_neo4j.start()
    with own_neo4j.store() as st:
        st._driver.execute_query("CREATE OR REPLACE USER partnet_sentinel SET PLAINTEXT PASSWORD $pw "
                                 "CHANGE NOT REQUIRED", pw=SENTINEL, database_="system")
        st.delete_all()
    return cli_env(NEO4J_URI=own_neo4j.neo4j_env["NEO4J_URI"], NEO4J_USER=USER, NEO4J_PASSWORD=SENTINEL,
                   PARTNET_STORE="neo4j")


def _grep_tree(folder: Path) -> list[str]:
    hits = []
    for f in folder.rglob("*"):
        if f.is_file() and SENTINEL.encode() in f.read_bytes():
            hits.append(str(f))
    return hits


def test_every_command_keeps_the_password_out(sentinel_env, tmp_path):
    data = tmp_path / "data"
    out = tmp_path / "out"
    out.mkdir()
    runs = [
        ("generate", "--actors", "60", "--seed", "3", str(data)),
        ("store", "info"),
        ("ingest", str(data), "--dry-run"),
        ("ingest", str(data), "--report", str(out / "problems.csv")),
        ("ingest", str(data)),
        ("store", "info"),
        ("analyse",),
        ("export", "--format", "xlsx", str(out / "g.xlsx")),
        ("export", "--format", "csv", str(out / "csv")),
        ("export", "--format", "gexf", str(out / "g.gexf")),
        ("export", "--format", "graphml", str(out / "g.graphml")),
        ("report", str(out / "brief.html")),
        ("store", "backup", str(out / "b.db")),  # refused for Neo4j, with the hint
        ("store", "clear"),  # refused without --yes
        ("ingest", str(tmp_path / "missing-folder")),
    ]
    produced = []
    for args in runs:
        r = run_cli(*args, env=sentinel_env, cwd=tmp_path)
        produced.append((args, r.returncode, r.stdout + r.stderr))
        assert TRACEBACK not in r.stdout + r.stderr, (args, r.stderr[-2000:])
    rcs = {args[0] + (" " + args[1] if args[0] == "store" else ""): rc for args, rc, _ in produced}
    assert rcs["analyse"] == 0 and rcs["report"] == 0 and rcs["store info"] == 0
    for args, _, text in produced:
        assert SENTINEL not in text, args
        assert "sentinel-Pw" not in text, args
    info = next(text for args, _, text in produced if args == ("store", "info"))
    assert USER in info and "bolt://" in info
    assert _grep_tree(tmp_path) == []


def test_password_from_dotenv_is_not_shown(sentinel_env, tmp_path):
    env = {k: v for k, v in sentinel_env.items() if k not in ("NEO4J_PASSWORD", "NEO4J_USER", "NEO4J_URI")}
    (tmp_path / ".env").write_text(f"NEO4J_URI={sentinel_env['NEO4J_URI']}\nNEO4J_USER={USER}\n"
                                   f"NEO4J_PASSWORD={SENTINEL}\n")
    r = run_cli("store", "info", env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert SENTINEL not in r.stdout + r.stderr
    (tmp_path / ".env").write_text(f"NEO4J_URI=bolt://127.0.0.1:{_closed_port()}\nNEO4J_PASSWORD={SENTINEL}\n")
    r = run_cli("store", "info", env=env, cwd=tmp_path)
    assert r.returncode == 2 and SENTINEL not in r.stdout + r.stderr


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("failure", ["closed-port", "wrong-user", "bad-scheme", "password-in-uri"])
def test_failures_keep_the_password_out(sentinel_env, failure):
    env = dict(sentinel_env)
    if failure == "closed-port":
        env["NEO4J_URI"] = f"bolt://127.0.0.1:{_closed_port()}"
    elif failure == "wrong-user":
        env["NEO4J_USER"] = "nobody-here"
    elif failure == "bad-scheme":
        env["NEO4J_URI"] = env["NEO4J_URI"].replace("bolt://", "http://")
    else:
        env["NEO4J_URI"] = env["NEO4J_URI"].replace("bolt://", f"bolt://{USER}:{SENTINEL}@")
    for args in (("store", "info"), ("analyse",), ("ingest", "data/seed")):
        r = run_cli(*args, env=env)
        assert r.returncode == 2, (failure, args, r.stdout, r.stderr)
        assert SENTINEL not in r.stdout + r.stderr, (failure, args)
        assert TRACEBACK not in r.stderr


def test_debug_logs_and_exceptions_keep_the_password_out(sentinel_env, tmp_path):
    """With every logger at DEBUG (the driver's included), the logs, reprs and exception texts hold no password."""
    code = """
import logging, sys
logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)
from graph.config import Neo4jSettings
from graph.backends import open_store
from graph.errors import PartnetError
s = Neo4jSettings.from_env()
print(repr(s), str(s))
with open_store("neo4j") as st:
    print(st.info(), st.data_version(), repr(st.settings))
    st.read_dataset()
import os
os.environ["NEO4J_USER"] = "nobody-here"
try:
    open_store("neo4j")
except PartnetError as e:
    print(repr(e), str(e), e.args, e.__dict__)
"""
    r = subprocess.run([PYTHON, "-c", code], env=sentinel_env, capture_output=True, text=True, timeout=300,
                       cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "DEBUG" in r.stderr, "the driver's debug log should have been captured"
    assert SENTINEL not in r.stdout + r.stderr


def test_dashboard_pages_keep_the_password_out(sentinel_env, own_neo4j, monkeypatch):
    """Every dashboard page rendered (Streamlit AppTest) on the sentinel user's store, and on a refused login."""
    from streamlit.testing.v1 import AppTest

    root = Path(__file__).resolve().parents[1] / "dashboard"
    pages = sorted((root / "app_pages").glob("*.py"))
    assert pages
    with own_neo4j.store() as st:
        from hostile import hostile_dataset

        st.delete_all()
        st.write(hostile_dataset())
    for key in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "PARTNET_STORE"):
        monkeypatch.setenv(key, sentinel_env[key])
    monkeypatch.setenv("PARTNET_READ_ONLY", "1")
    for user in (USER, "nobody-here"):
        monkeypatch.setenv("NEO4J_USER", user)
        for page in pages:
            at = AppTest.from_file(str(page), default_timeout=180).run()
            dumped = repr(at._tree) + "".join(str(e.value) for e in at.exception)
            assert SENTINEL not in dumped, (user, page.name)
