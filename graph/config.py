"""Where the stores live: the SQLite file and the Neo4j connection settings.

Settings come from the environment, or from a ``.env`` file in the working directory
(environment variables win). The Neo4j password is held but never shown: `Neo4jSettings`
prints as ``bolt://host:7687 (user neo4j)``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_dir

__all__ = ["Neo4jSettings", "default_sqlite_path", "load_dotenv_once", "store_kind"]

_dotenv_loaded = False


def load_dotenv_once() -> None:
    """Read ``.env`` from the working directory into the environment (never overriding it)."""
    global _dotenv_loaded
    if _dotenv_loaded:
        return
    _dotenv_loaded = True
    from dotenv import load_dotenv

    load_dotenv(Path.cwd() / ".env", override=False)


def store_kind(explicit: str | None = None) -> str:
    """``sqlite`` (the default) or ``neo4j``: the flag, else ``PARTNET_STORE``."""
    load_dotenv_once()
    kind = (explicit or os.environ.get("PARTNET_STORE") or "sqlite").strip().lower()
    if kind not in ("sqlite", "neo4j"):
        from graph.errors import StoreError

        raise StoreError(f"unknown store {kind!r}", hint="use --store sqlite or --store neo4j (or PARTNET_STORE)")
    return kind


def default_sqlite_path() -> Path:
    """``PARTNET_DB`` if set, else ``partnet.db`` in the per-user data folder."""
    load_dotenv_once()
    env = os.environ.get("PARTNET_DB")
    if env:
        return Path(env).expanduser()
    return Path(user_data_dir("partnet", appauthor=False)) / "partnet.db"


def _positive(name: str, default: float, kind: type) -> float:
    """The environment variable ``name`` as a positive ``kind`` (int or float), ``default`` when unset."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        value = None
    if value is None or value <= 0:
        from graph.errors import StoreError

        raise StoreError(f"{name}={raw!r} is not a positive {'whole ' if kind is int else ''}number",
                         hint=f"set {name} to e.g. {default:g}, or unset it")
    return value


@dataclass(frozen=True)
class Neo4jSettings:
    """Connection settings for a Neo4j server; the password never appears in ``repr``/``str``."""

    uri: str = "bolt://127.0.0.1:7687"
    user: str = "neo4j"
    password: str = field(default="", repr=False)
    database: str | None = None
    #: Most connections the driver's pool holds (``NEO4J_MAX_POOL_SIZE``; the driver's default is 100).
    max_pool_size: int = 100
    #: Seconds to open a connection, and to wait for a free one from the pool (``NEO4J_CONNECTION_TIMEOUT``).
    connection_timeout: float = 10.0
    #: Seconds a failed transaction is retried for (``NEO4J_MAX_RETRY_TIME``; leader changes, deadlocks).
    max_retry_time: float = 15.0

    @classmethod
    def from_env(cls) -> Neo4jSettings:
        """Read ``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE`` and the connection
        settings ``NEO4J_MAX_POOL_SIZE``, ``NEO4J_CONNECTION_TIMEOUT``, ``NEO4J_MAX_RETRY_TIME`` (env or ``.env``).

        Raises `graph.errors.StoreError` naming the variable when a number is malformed or not positive.
        """
        load_dotenv_once()
        return cls(
            uri=os.environ.get("NEO4J_URI", cls.uri),
            user=os.environ.get("NEO4J_USER", cls.user),
            password=os.environ.get("NEO4J_PASSWORD", ""),
            database=os.environ.get("NEO4J_DATABASE") or None,
            max_pool_size=int(_positive("NEO4J_MAX_POOL_SIZE", cls.max_pool_size, int)),
            connection_timeout=_positive("NEO4J_CONNECTION_TIMEOUT", cls.connection_timeout, float),
            max_retry_time=_positive("NEO4J_MAX_RETRY_TIME", cls.max_retry_time, float),
        )

    @property
    def display_uri(self) -> str:
        """The URI without any ``user:password@`` part (credentials belong in NEO4J_USER/NEO4J_PASSWORD)."""
        scheme, sep, rest = self.uri.partition("://")
        authority, slash, path = rest.partition("/")
        return f"{scheme}{sep}{authority.rpartition('@')[2]}{slash}{path}"

    def __str__(self) -> str:
        db = f", database {self.database}" if self.database else ""
        return f"{self.display_uri} (user {self.user}{db})"
