"""Every page after `dashboard.prefetch`, in a "restarted" process: the in-memory caches emptied, the graph
unreadable and every analysis forbidden. Each page must then be served from the views kept on disk under the
store's stored run (`dashboard.page_cache`) — what a first visit after a restart on an unchanged store does."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from graph.sqlite_store import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["overview", "network", "actors", "partnerships", "gaps", "crossborder", "funding", "planner", "change"]


@pytest.fixture
def seed_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from ingest import ingest

    path = tmp_path / "seed.db"
    with SQLiteStore(path) as s:
        ingest(ROOT / "data" / "seed", s)
    monkeypatch.setenv("PARTNET_STORE", "sqlite")
    monkeypatch.setenv("PARTNET_DB", str(path))
    monkeypatch.setenv("PARTNET_CACHE_DIR", str(tmp_path / "views"))
    monkeypatch.setenv("PARTNET_WARMUP", "0")  # the test prefetches itself
    monkeypatch.delenv("PARTNET_READ_ONLY", raising=False)
    monkeypatch.delenv("PARTNET_VIEW_CACHE", raising=False)
    return path


def _prefetch_in_a_script() -> None:
    import streamlit as st

    from dashboard import prefetch, state

    took = prefetch.prefetch(state.open_ctx(state.store_choice()))
    st.write(f"prefetched {sorted(took)}")


def _restart(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Empty every in-memory cache (what a new process starts with) and forbid reading the graph or computing."""
    import dashboard.context as context

    st.cache_data.clear()
    st.cache_resource.clear()
    calls: list[str] = []

    def forbidden(*args, **kwargs):
        calls.append(repr(args[:1]))
        raise AssertionError("computed after a restart")

    monkeypatch.setattr(SQLiteStore, "read_graph", forbidden)
    monkeypatch.setattr(context, "_resolve", lambda target: (calls.append(target), forbidden)[1])
    return calls


def _texts(at: AppTest) -> str:
    kinds = ("title", "caption", "info", "markdown", "error")
    return " ".join(str(e.value) for kind in kinds for e in getattr(at, kind))


@pytest.mark.parametrize("max_nodes", [None, 40], ids=["actors-view", "network-map"])
def test_every_page_after_a_restart_reads_its_views_from_disk(seed_copy: Path, monkeypatch: pytest.MonkeyPatch,
                                                              max_nodes: int | None):
    if max_nodes is not None:  # the seed's 251 actors drawn as the network map of their communities
        import dashboard.network_view

        monkeypatch.setattr(dashboard.network_view, "MAX_NODES", max_nodes)
    warm = AppTest.from_function(_prefetch_in_a_script, default_timeout=300).run()
    assert not warm.exception, [e.message for e in warm.exception]
    assert "prefetched ['actors', 'change', 'crossborder', 'funding', 'gaps', 'network', 'overview', 'partnerships', " \
           "'planner']" in _texts(warm)
    first = {p: AppTest.from_file(str(ROOT / "dashboard" / "app_pages" / f"{p}.py"), default_timeout=120).run()
             for p in PAGES}  # before the restart, for comparison
    calls = _restart(monkeypatch)
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "dashboard" / "app_pages" / f"{page}.py"), default_timeout=120).run()
        assert not at.exception, (page, calls, [e.message for e in at.exception])
        assert not calls, (page, calls)
        assert _texts(at) == _texts(first[page]), page  # the same page, read instead of computed
        assert len(at.dataframe) == len(first[page].dataframe), page


def test_a_write_to_the_store_is_never_served_from_disk(seed_copy: Path, monkeypatch: pytest.MonkeyPatch):
    from graph.model import Actor, Dataset

    AppTest.from_function(_prefetch_in_a_script, default_timeout=300).run()
    with SQLiteStore(seed_copy) as s:
        s.write(Dataset(actors=[Actor("zz-new-actor", "Zz New Actor", "ngo", country="FR")]))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "dashboard" / "app_pages" / "actors.py"), default_timeout=120).run()
    assert not at.exception
    assert "Zz New Actor" in at.dataframe[0].value["name"].tolist()


def test_views_are_kept_per_stored_run_in_a_private_directory(seed_copy: Path):
    import os
    import stat

    from dashboard import page_cache

    AppTest.from_function(_prefetch_in_a_script, default_timeout=300).run()
    root = page_cache.cache_dir()
    runs = [p for p in root.iterdir() if p.is_dir()]
    assert len(runs) == 1 and any(runs[0].glob("*.pkl"))
    assert stat.S_IMODE(os.stat(root).st_mode) & 0o077 == 0 and stat.S_IMODE(os.stat(runs[0]).st_mode) & 0o077 == 0


def test_a_shared_cache_directory_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from dashboard import page_cache

    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("PARTNET_CACHE_DIR", str(shared))
    monkeypatch.delenv("PARTNET_VIEW_CACHE", raising=False)
    assert page_cache.run_for("sqlite:/x.db:1", {"created_at": "t", "params_key": "k"}) is None
    monkeypatch.setenv("PARTNET_CACHE_DIR", str(tmp_path / "private"))
    assert page_cache.run_for("sqlite:/x.db:1", {"created_at": "t", "params_key": "k"}) is not None
    assert page_cache.run_for("sqlite:/x.db:1", None) is None  # no stored results: no disk cache
    monkeypatch.setenv("PARTNET_VIEW_CACHE", "0")
    assert page_cache.run_for("sqlite:/x.db:1", {"created_at": "t", "params_key": "k"}) is None


def test_an_unreadable_view_is_recomputed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from dashboard import page_cache

    monkeypatch.setenv("PARTNET_CACHE_DIR", str(tmp_path / "views"))
    run = page_cache.run_for("sqlite:/x.db:1", {"created_at": "t", "params_key": "k"})
    assert page_cache.fetch(run, ("data", "a"), lambda: {"v": 1}) == {"v": 1}
    assert page_cache.fetch(run, ("data", "a"), lambda: {"v": 2}) == {"v": 1}  # read back, not recomputed
    run.file(("data", "a")).write_bytes(b"\x80\x05truncated")
    assert page_cache.fetch(run, ("data", "a"), lambda: {"v": 3}) == {"v": 3}
    assert page_cache.fetch(run, ("data", "a"), lambda: {"v": 4}) == {"v": 3}
    other = page_cache.run_for("sqlite:/x.db:1", {"created_at": "t2", "params_key": "k"})  # a new write-back
    assert other != run and page_cache.fetch(other, ("data", "a"), lambda: {"v": 5}) == {"v": 5}


def _warm_in_a_script() -> None:
    from dashboard import state, warmup

    warmup.warm(state.open_ctx(state.store_choice()))


def test_a_restart_after_a_complete_warm_up_skips_it(seed_copy: Path, monkeypatch: pytest.MonkeyPatch):
    import dashboard.network_page
    import dashboard.prefetch
    from dashboard import warmup

    monkeypatch.setattr(warmup, "PREFETCH_ALL_ACTORS", 1)  # every page, as on a large store
    first = AppTest.from_function(_warm_in_a_script, default_timeout=300).run()
    assert not first.exception, [e.message for e in first.exception]
    calls = _restart(monkeypatch)

    def forbidden(*args, **kwargs):
        raise AssertionError("warmed again")

    monkeypatch.setattr(dashboard.network_page, "prepare", forbidden)
    monkeypatch.setattr(dashboard.prefetch, "prefetch", forbidden)
    again = AppTest.from_function(_warm_in_a_script, default_timeout=120).run()
    assert not again.exception, [e.message for e in again.exception]
    assert not calls
    at = AppTest.from_file(str(ROOT / "dashboard" / "app_pages" / "planner.py"), default_timeout=120).run()
    assert not at.exception and not calls  # a page the warm-up prefetched is read from disk
