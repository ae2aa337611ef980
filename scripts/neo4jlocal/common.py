"""What every part of neo4j-local shares: the pinned Neo4j version and server constants, user-facing
messages (`Fail`, `info`, `warn`), the state folder's layout (`Paths`) and the lock on it."""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
from pathlib import Path

NEO4J_VERSION = "5.26.30"  # pinned; 5.26 is the LTS line and runs on Java 17
ARTIFACTS = (
    ("org.neo4j.app", "neo4j-server"),
    ("org.neo4j", "neo4j"),
    ("org.neo4j", "neo4j-bootcheck"),
)
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
USER = "neo4j"
DATABASE = "neo4j"
MIN_JAVA = 17

REPO_ROOT = Path(__file__).resolve().parents[2]  # scripts/neo4jlocal/common.py -> the repository
EXIT_NOT_RUNNING = 3
EXIT_NOT_ANSWERING = 1
CONSOLE_LOG = "console.log"  # the JVM's stdout/stderr, under logs/


class Fail(Exception):
    """A user-facing error: printed without a traceback, exit status 1."""


def info(msg: str) -> None:
    print(msg, flush=True)


def warn(msg: str) -> None:
    print(f"neo4j-local: {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- paths


class Paths:
    def __init__(self) -> None:
        env_home = os.environ.get("PARTNET_NEO4J_HOME")
        self.state = Path(env_home).expanduser().resolve() if env_home else REPO_ROOT / ".neo4j"
        env_cache = os.environ.get("PARTNET_NEO4J_CACHE")
        self.cache_root = Path(env_cache).expanduser().resolve() if env_cache else self.state / "lib"
        self.lib = self.cache_root / NEO4J_VERSION
        self.marker = self.lib / ".complete"
        self.home = self.state
        self.conf_dir = self.home / "conf"
        self.conf = self.conf_dir / "neo4j.conf"
        self.data = self.home / "data"
        self.logs = self.home / "logs"
        self.console_log = self.logs / CONSOLE_LOG
        self.password = self.state / "password"
        self.state_file = self.state / "state.json"
        self.pid_file = self.state / "neo4j.pid"
        self.lock_file = self.state / ".lock"

    def subdirs(self) -> list[Path]:
        return [self.home / d for d in ("conf", "data", "logs", "run", "plugins", "import")]


def ensure_state_dir(p: Paths) -> None:
    p.state.mkdir(parents=True, exist_ok=True)
    # The state folder is runtime-only (jars, store, logs, password): make it ignore itself,
    # so nothing in it can be committed even where the project's .gitignore does not reach.
    gi = p.state / ".gitignore"
    if not gi.exists():
        gi.write_text("# runtime state of scripts/neo4j-local; never commit\n*\n")


@contextlib.contextmanager
def file_lock(path: Path, what: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            warn(f"waiting for another neo4j-local ({what}) to finish ...")
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)

