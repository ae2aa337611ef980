"""The dashboard's views of a stored run, kept on local disk so that a restart recomputes nothing.

The store keeps the analysis results of each data version (`graph.results`, written back once per
data version). What the pages show is derived from that run and the data (tables, key figures, the
network map and its drawing); `Ctx` (`dashboard.context`) caches each of those in memory for the
life of the process, and this module keeps them on disk too, under the identity of the stored run:

    <cache dir>/<run>/<key>.pkl        run = sha256(data version, run time, run parameters, code)

- A **run** (`Run`) is named by the store's data version, the ``created_at`` of the stored results
  it derives from, their parameters and a fingerprint of partnet's code (`code_fingerprint`).
  Every write to the data changes the data version and every new write-back the run time, a new
  partnet version or an edited analysis module the fingerprint: a view is never served for data,
  results or code it was not computed from. A store without stored results (read-only and never
  analysed) gets no run, and the pages compute as before.
- The **cache dir** is ``PARTNET_CACHE_DIR``, else ``$XDG_CACHE_HOME/partnet/views``, else
  ``~/.cache/partnet/views``, created private to the user (mode 0700; a directory another user
  owns or may write is refused): its files are pickles, which only the user running the dashboard
  writes and reads — never the shared store, which other people may write. ``PARTNET_VIEW_CACHE=0``
  turns the disk cache off.
- The 8 most recently used runs are kept; older run directories are removed when a new run starts.
  A file that cannot be read (truncated, from another Python) is recomputed and rewritten; writes
  go to a temporary file renamed into place, so a reader never sees half a file.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["KEEP_RUNS", "Run", "cache_dir", "code_fingerprint", "enabled", "fetch", "run_for"]

_WARMED = "warmed"

_LOG = logging.getLogger("partnet.dashboard.page_cache")
_OFF = {"0", "false", "no", "off"}
#: How many runs (data versions x stored results) keep their views on disk.
KEEP_RUNS = 8
_ROOT = Path(__file__).resolve().parents[1]
_CODE = ("analysis", "dashboard", "graph")


def enabled() -> bool:
    """False when ``PARTNET_VIEW_CACHE`` is 0/false/no/off."""
    return os.environ.get("PARTNET_VIEW_CACHE", "").strip().lower() not in _OFF


def cache_dir() -> Path:
    """Where the runs' views are kept (``PARTNET_CACHE_DIR``, else the user's cache dir + ``partnet/views``)."""
    env = os.environ.get("PARTNET_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "partnet" / "views"


@functools.cache
def code_fingerprint() -> str:
    """A hash of partnet's version and of the source of the packages a view is computed by
    (``analysis``, ``dashboard``, ``graph``: every ``.py`` and ``.toml`` file, path and content)."""
    from importlib.metadata import PackageNotFoundError, version

    h = hashlib.sha256()
    with contextlib.suppress(PackageNotFoundError):
        h.update(version("partnet").encode())
    for pkg in _CODE:
        for path in sorted((_ROOT / pkg).rglob("*")):
            if path.suffix in (".py", ".toml") and "__pycache__" not in path.parts:
                h.update(str(path.relative_to(_ROOT)).encode())
                h.update(path.read_bytes())
    return h.hexdigest()


@dataclass(frozen=True)
class Run:
    """The disk home of the views of one stored run: ``name`` (a hash, see the module) under ``root``."""

    name: str
    root: Path

    @property
    def path(self) -> Path:
        """The run's directory."""
        return self.root / self.name

    @property
    def warmed(self) -> bool:
        """True when a warm-up (`dashboard.warmup`) has kept every view it computes in this run's directory."""
        return (self.path / _WARMED).exists()

    def mark_warmed(self) -> None:
        """Record that the warm-up's views are all here (a restart then skips the warm-up)."""
        try:
            (self.path / _WARMED).touch()
        except OSError as e:
            _LOG.warning("the warm-up of %s was not recorded: %s", self.path, e)

    def file(self, parts: tuple[Any, ...]) -> Path:
        """The file of the view named by ``parts`` (strings: what is computed, on what, with which arguments)."""
        return self.path / (hashlib.sha256(repr(parts).encode()).hexdigest()[:32] + ".pkl")


def run_for(data_version: str, run_record: dict[str, Any] | None) -> Run | None:
    """The `Run` of the stored results ``run_record`` (`graph.store.Store.read_results_run`) at
    ``data_version``, or None when there are none or the disk cache is off or cannot be made."""
    if not run_record or not enabled():
        return None
    ident = "|".join((data_version, str(run_record.get("created_at", "")), str(run_record.get("params_key", "")),
                      code_fingerprint()))
    run = Run(hashlib.sha256(ident.encode()).hexdigest()[:32], cache_dir())
    try:
        run.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        st = run.root.stat()
        if st.st_uid != os.getuid() or st.st_mode & 0o022:
            _LOG.warning("no disk cache for the dashboard's views: %s must belong to this user and be writable by "
                         "no one else (set PARTNET_CACHE_DIR to a private directory)", run.root)
            return None
        fresh = not run.path.exists()
        run.path.mkdir(exist_ok=True, mode=0o700)
        os.utime(run.path)
        if fresh:
            _prune(run.root, keep=KEEP_RUNS)
    except OSError as e:
        _LOG.warning("no disk cache for the dashboard's views (%s): %s", run.root, e)
        return None
    return run


def _prune(root: Path, *, keep: int) -> None:
    runs = sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in runs[keep:]:
        shutil.rmtree(old, ignore_errors=True)


def fetch(run: Run | None, parts: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    """The view named by ``parts`` from ``run``'s directory, else ``compute()`` kept there.

    With no run (no stored results, or the cache off) this is ``compute()``. A file that cannot be
    read is recomputed; a failure to write is logged and the value returned all the same.
    """
    if run is None:
        return compute()
    path = run.file(parts)
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except FileNotFoundError:
        pass
    except Exception as e:  # noqa: BLE001 - any unreadable file (truncated, other version) is recomputed
        _LOG.warning("recomputing %s: the cached view %s could not be read (%s)", parts[:2], path.name, e)
    value = compute()
    t0 = time.perf_counter()
    try:
        fd, tmp = tempfile.mkstemp(dir=run.path, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as e:
        _LOG.warning("the view %s was not kept on disk: %s", parts[:2], e)
    else:
        _LOG.debug("kept %s in %.2f s", parts[:2], time.perf_counter() - t0)
    return value
