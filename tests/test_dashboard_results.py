"""The dashboard and stored results (issue 17.2): it writes them back once per data version, and a cold start on
an unchanged store serves the pages from them without recomputing."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analysis.results import results_params
from graph.sqlite_store import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "dashboard" / "app_pages"
#: What the stored results replace: none of it may run on a cold start once they are stored.
COMPUTING = [("analysis.centrality", "_actor_centrality"), ("analysis.communities", "_louvain"),
             ("analysis.results", "compute_results"), ("analysis.export", "actor_metrics")]


@pytest.fixture
def seed_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from ingest import ingest

    path = tmp_path / "seed.db"
    with SQLiteStore(path) as s:
        ingest(ROOT / "data" / "seed", s)
    monkeypatch.setenv("PARTNET_STORE", "sqlite")
    monkeypatch.setenv("PARTNET_DB", str(path))
    monkeypatch.delenv("PARTNET_READ_ONLY", raising=False)
    monkeypatch.setenv("PARTNET_WARMUP", "0")
    return path


def _cold() -> None:
    """A fresh process as far as the caches go."""
    st.cache_data.clear()
    st.cache_resource.clear()


def _forbid(monkeypatch: pytest.MonkeyPatch) -> None:
    for module, name in COMPUTING:
        def boom(*a, _n=f"{module}.{name}", **k):
            raise AssertionError(f"{_n} recomputed although the results are stored")
        monkeypatch.setattr(importlib.import_module(module), name, boom)


def _text(at: AppTest) -> str:
    return " ".join(str(e.value) for kind in ("caption", "info", "error", "exception", "markdown")
                    for e in getattr(at, kind))


def test_first_visit_writes_back_and_a_cold_start_recomputes_nothing(seed_db: Path, monkeypatch) -> None:
    _cold()
    at = AppTest.from_file(str(PAGES / "actors.py"), default_timeout=120).run()
    assert not at.exception, _text(at)
    with SQLiteStore(seed_db) as s:
        version = s.data_version()
        stored = s.read_results(results_params())
    assert stored is not None and stored.data_version == version  # written back by the dashboard
    _cold()
    _forbid(monkeypatch)
    for page in ("actors.py", "overview.py", "network.py", "crossborder.py"):
        at = AppTest.from_file(str(PAGES / page), default_timeout=120).run()
        assert not at.exception and not at.error, f"{page}: {_text(at)}"
    with SQLiteStore(seed_db) as s:
        assert s.data_version() == version  # reading and writing results never changed the data version


def test_read_only_dashboard_does_not_write_back(seed_db: Path, monkeypatch) -> None:
    _cold()
    monkeypatch.setenv("PARTNET_READ_ONLY", "1")
    at = AppTest.from_file(str(PAGES / "actors.py"), default_timeout=120).run()
    assert not at.exception, _text(at)
    with SQLiteStore(seed_db) as s:
        assert s.read_results(results_params()) is None
