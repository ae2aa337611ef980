"""The import history a store keeps: one entry per ingest, replace, removal or migration.

An entry is a plain dict (stored as a row in SQLite, a ``PartnetHistory`` node in Neo4j):
``seq`` (given by the store), ``at`` (UTC, ISO 8601, seconds), ``action`` (``ingest``,
``replace``, ``remove``, ``migrate``), ``dataset``, ``files`` (``[{"name", "sha256"}]``),
``counts`` (``new``, ``changed``, ``deleted``, ``kept_shared``, ``conflicts_resolved``) and
``version`` (partnet's).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = ["COUNT_FIELDS", "dataset_lines", "entry", "file_hashes", "format_entry", "partnet_version", "utc_now"]

#: The counts every entry carries, in the order they are printed.
COUNT_FIELDS: tuple[str, ...] = ("new", "changed", "deleted", "kept_shared", "conflicts_resolved")
_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")


def utc_now() -> str:
    """The current UTC time as ``YYYY-MM-DDTHH:MM:SSZ``."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def partnet_version() -> str:
    """The installed partnet's version (``unknown`` when it is not installed)."""
    try:
        return metadata.version("partnet")
    except metadata.PackageNotFoundError:
        return "unknown"


def file_hashes(path: str | Path) -> list[dict[str, str]]:
    """Name and SHA-256 of each file an import reads: the file itself, or a folder's data files (sorted)."""
    p = Path(path)
    files = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in _SUFFIXES
                   and not f.name.startswith(".")) if p.is_dir() else [p]
    out = []
    for f in files:
        h = hashlib.sha256()
        with f.open("rb") as fh:
            for block in iter(lambda fh=fh: fh.read(1 << 20), b""):
                h.update(block)
        out.append({"name": f.name, "sha256": h.hexdigest()})
    return out


def entry(action: str, dataset: str, *, files: Iterable[dict[str, str]] = (), counts: dict[str, int] | None = None,
          at: str | None = None) -> dict[str, Any]:
    """A history entry (without ``seq``, which the store assigns)."""
    c = counts or {}
    return {"at": at or utc_now(), "action": action, "dataset": dataset, "files": list(files),
            "counts": {k: int(c.get(k, 0)) for k in COUNT_FIELDS}, "version": partnet_version()}


def format_entry(e: dict[str, Any]) -> str:
    """One line: ``#seq time action dataset: new N, ...; files name (sha256, 12 hex digits); partnet V``."""
    c = e.get("counts") or {}
    counts = ", ".join(f"{k.replace('_', ' ')} {int(c.get(k, 0)):,}" for k in COUNT_FIELDS)
    files = ", ".join(f"{f['name']} ({f['sha256'][:12]})" for f in e.get("files") or ()) or "no files"
    return (f"#{e.get('seq', '?')} {e['at']} {e['action']} {e['dataset']}: {counts}; {files}; "
            f"partnet {e.get('version', 'unknown')}")


def dataset_lines(store: Any) -> list[str]:
    """One line per dataset: records per table, last import, source documents."""
    counts = store.dataset_counts()
    history = store.read_history()
    sources: dict[str, list[str]] = {}
    for s in store.read_sources():
        sources.setdefault(s["dataset"], []).append(s["id"])
    names = sorted(set(counts) | set(sources))
    if not names:
        return ["no datasets (the store is empty)"]
    lines = []
    for name in names:
        c = counts.get(name, {})
        last = next((e for e in reversed(history) if e["dataset"] == name and e["action"] != "remove"), None)
        when = f"last {last['action']} {last['at']}" if last else "no import recorded"
        recs = ", ".join(f"{t} {n:,}" for t, n in c.items())
        docs = ", ".join(sources.get(name, [])) or "none"
        lines.append(f"{name}: {recs or 'no records'}; {when}; sources: {docs}")
    return lines
