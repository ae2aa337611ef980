"""Helpers shared by the hardening tests: run the real CLI in a subprocess, fingerprint stores."""

from __future__ import annotations

import ctypes
import os
import shlex
import subprocess
import sys
from pathlib import Path

from graph.backup import dataset_fingerprint
from graph.model import Dataset

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
TRACEBACK = "Traceback (most recent call last)"


def cli_env(**extra: str) -> dict[str, str]:
    """The environment for a ``partnet`` subprocess: the repo importable, no colour, no ``.env`` surprises."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("PYTHONIOENCODING", "utf-8")
    env.update(extra)
    return env


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 300, cwd: str | Path | None = None,
            preexec_fn=None) -> subprocess.CompletedProcess:
    """Run ``python -m partnet ARGS`` and return the finished process (text output)."""
    return subprocess.run([PYTHON, "-m", "partnet", *args], capture_output=True, text=True, timeout=timeout,
                          env=env or cli_env(), cwd=cwd or ROOT, preexec_fn=preexec_fn)


def fingerprint(store) -> str:
    """The content fingerprint of a store (`graph.backup.dataset_fingerprint` of everything it holds)."""
    return dataset_fingerprint(store.read_dataset())


def sqlite_fingerprint(path: str | Path) -> str:
    """Open the SQLite file read-only, check its integrity and return its content fingerprint."""
    import sqlite3

    from graph.sqlite_store import SQLiteStore

    con = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        con.close()
    with SQLiteStore(path, read_only=True) as st:
        return fingerprint(st)


def big_dataset(n_actors: int, *, prefix: str = "a", per_partnership: int = 10) -> Dataset:
    """A synthetic dataset of ``n_actors`` actors, one membership each, PART_OF trees, a few links and funding rows."""
    from graph.model import Actor, Funding, Link, Membership, Partnership

    n_p = max(1, n_actors // per_partnership)
    return Dataset(
        actors=[Actor(id=f"{prefix}{i}", name=f"Organisation n° {i} — {prefix}", type="ngo", country="FR",
                      city="Lyon", aliases=(f"O{i}",)) for i in range(n_actors)],
        partnerships=[Partnership(id=f"{prefix}p{i}", name=f"Partnership {i}", kind="project", start_year=2010,
                                  parent_id=f"{prefix}p{i // 10}" if i % 10 else "")  # a PART_OF forest
                      for i in range(n_p)],
        memberships=[Membership(f"{prefix}{i}", f"{prefix}p{i % n_p}", "member") for i in range(n_actors)],
        links=[Link(f"{prefix}{i}", f"{prefix}{i + 1}", "exchange", 2015) for i in range(0, n_actors - 1, 50)],
        funding=[Funding(f"{prefix}0", f"{prefix}p{i}", "AMIF", 1000.0 + i, "EUR") for i in range(0, n_p, 5)],
    )


_PR_CAPBSET_DROP = 24
_CAPS_THAT_BYPASS_PERMISSIONS = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER


def drop_permission_bypass() -> None:
    """``preexec_fn`` making a root child obey file permissions like any user (a no-op when not root).

    Drops CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH and CAP_FOWNER from the bounding set before
    ``exec``, so the new program runs without them: a 0444 file or a 0555 folder is really
    read-only to it. Tests can thus prove the read-only behaviour whether CI runs as root or not.
    """
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in _CAPS_THAT_BYPASS_PERMISSIONS:
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


class OwnNeo4j:
    """A Neo4j server of the tests' own, started by scripts/neo4j-local in a private state folder.

    Fault tests kill, stop and restart it; secrets tests give it a user whose password is a
    sentinel. The shared server (NEO4J_URI of the test run) is never touched.
    """

    SCRIPT = ROOT / "scripts" / "neo4j-local"

    def __init__(self, home: Path) -> None:
        cache = os.environ.get("PARTNET_NEO4J_CACHE") or str(ROOT / ".neo4j" / "lib")
        self.env = {**os.environ, "PARTNET_NEO4J_HOME": str(home), "PARTNET_NEO4J_CACHE": cache}
        for k in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
            self.env.pop(k, None)
        self.home = home
        self.neo4j_env: dict[str, str] = {}

    def script(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        """Run ``scripts/neo4j-local ARGS`` on this server's state folder."""
        return subprocess.run([str(self.SCRIPT), *args], env=self.env, capture_output=True, text=True,
                              timeout=timeout)

    def start(self) -> None:
        """Start (or find running) and wait until a query answers; read its URI and credentials."""
        r = self.script("start", "--timeout", "240")
        if r.returncode != 0:
            raise RuntimeError(f"own Neo4j did not start: {r.stdout}\n{r.stderr}")
        out = self.script("env").stdout
        self.neo4j_env = {}
        for line in out.splitlines():
            key, _, value = line.removeprefix("export ").partition("=")
            self.neo4j_env[key] = shlex.split(value)[0]

    @property
    def settings(self):
        """`graph.config.Neo4jSettings` of the admin user."""
        from graph.config import Neo4jSettings

        e = self.neo4j_env
        return Neo4jSettings(uri=e["NEO4J_URI"], user=e["NEO4J_USER"], password=e["NEO4J_PASSWORD"])

    def child_env(self, **extra: str) -> dict[str, str]:
        """Environment for a partnet subprocess using this server."""
        return cli_env(**{**self.neo4j_env, "PARTNET_STORE": "neo4j", **extra})

    def store(self, **kw):
        """A `graph.neo4j_store.Neo4jStore` on this server."""
        from graph.neo4j_store import Neo4jStore

        return Neo4jStore(self.settings, **kw)
