"""`partnet store info` through a real subprocess: the store named, errors without a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

SENTINEL = "sentinel-Pa55word-4f2c"


def run(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "partnet", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=timeout)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_help_lists_store_commands():
    out = run("--help")
    assert out.returncode == 0 and "store" in out.stdout
    out = run("store", "--help")
    assert out.returncode == 0 and "info" in out.stdout


def test_store_info_sqlite(tmp_path):
    db = tmp_path / "x.db"
    out = run("store", "info", "--db", str(db))
    assert out.returncode == 0, out.stderr
    assert "sqlite" in out.stdout and str(db) in out.stdout and "not created yet" in out.stdout
    assert not list(tmp_path.iterdir()), "store info must not create the database it inspects"
    from graph.sqlite_store import SQLiteStore

    SQLiteStore(db).close()
    out = run("store", "info", "--db", str(db))
    assert out.returncode == 0, out.stderr
    assert "sqlite" in out.stdout and str(db) in out.stdout and "Actor" in out.stdout


def test_unwritable_sqlite_path_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    out = run("store", "info", "--db", str(blocker / "sub" / "x.db"))
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and str(blocker / "sub" / "x.db") in out.stderr
    assert "PARTNET_DB" in out.stderr


def test_unreachable_neo4j_exits_2_naming_uri_not_password():
    uri = f"bolt://127.0.0.1:{free_port()}"
    out = run("store", "info", "--store", "neo4j", env={"NEO4J_URI": uri, "NEO4J_PASSWORD": SENTINEL})
    assert out.returncode == 2
    assert "Traceback" not in out.stderr + out.stdout
    assert uri in out.stderr and "scripts/neo4j-local status" in out.stderr
    assert SENTINEL not in out.stderr + out.stdout


def test_wrong_password_exits_2_without_showing_it(neo4j_settings):
    out = run("store", "info", "--store", "neo4j",
              env={"NEO4J_URI": neo4j_settings.uri, "NEO4J_USER": neo4j_settings.user, "NEO4J_PASSWORD": SENTINEL})
    assert out.returncode == 2
    assert "refused the credentials" in out.stderr and neo4j_settings.uri in out.stderr
    assert "Traceback" not in out.stderr and SENTINEL not in out.stderr + out.stdout


def test_store_info_neo4j_never_prints_password(neo4j_settings):
    out = run("store", "info", "--store", "neo4j")
    assert out.returncode == 0, out.stderr
    assert neo4j_settings.uri in out.stdout and "Neo4j/5." in out.stdout
    assert neo4j_settings.password not in out.stdout + out.stderr
