"""The network page's warm-up: what it computes is what the page reads (nothing computed twice), it runs
at process start before the first visit, a failure only logs; and the page's shortcut for an unfiltered
view draws the same graph as the full selection."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import networkx as nx
import pytest
from streamlit.testing.v1 import AppTest

from graph.sqlite_store import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]
NETWORK_PAGE = ROOT / "dashboard" / "app_pages" / "network.py"

#: Everything the network page's first view computes; after a warm-up none of it may run again.
COMPUTING = [
    ("analysis.projection", "actor_projection"),
    ("analysis.communities", "louvain"),
    ("analysis.views", "graph_facets"),
    ("analysis.views", "select_actors"),
    ("analysis.views", "community_graph"),
    ("analysis.views", "actor_measure"),
    ("dashboard.network_view", "layout"),
    ("dashboard.network_view", "render_network"),
    ("analysis.network_map", "network_map"),
    ("dashboard.network_view", "render_map"),
    ("graph.sqlite_store", "SQLiteStore.read_graph"),
]


@pytest.fixture
def seed_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seed data in a fresh SQLite file (a data version no other test has cached), used by the dashboard."""
    from ingest import ingest

    path = tmp_path / "seed.db"
    with SQLiteStore(path) as st:
        ingest(ROOT / "data" / "seed", st)
    monkeypatch.setenv("PARTNET_STORE", "sqlite")
    monkeypatch.setenv("PARTNET_DB", str(path))
    monkeypatch.delenv("PARTNET_READ_ONLY", raising=False)
    monkeypatch.delenv("PARTNET_WARMUP", raising=False)
    return path


def _ctx():
    from dashboard import state

    return state.open_ctx(state.store_choice())


def _forbid_computing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every computation of the network page's first view fail loudly."""
    import importlib

    for module, name in COMPUTING:
        owner = importlib.import_module(module)
        attr = name
        if "." in name:
            cls, attr = name.split(".")
            owner = getattr(owner, cls)

        def boom(*args, _what=f"{module}.{name}", **kwargs):
            raise AssertionError(f"{_what} computed again after the warm-up")

        monkeypatch.setattr(owner, attr, boom)


def _warm_in_a_script() -> None:
    """An AppTest script: warm the network page of the store named by the environment."""
    from dashboard import state, warmup

    warmup.warm(state.open_ctx(state.store_choice()))


def _page_text(at: AppTest) -> str:
    return " ".join(str(e.value) for kind in ("caption", "info", "error", "exception") for e in getattr(at, kind))


def _srcdoc(at: AppTest) -> str:
    return "".join(e.proto.srcdoc for e in at.get("iframe"))


def test_page_after_warmup_computes_nothing(seed_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    warm = AppTest.from_function(_warm_in_a_script, default_timeout=120).run()
    assert not warm.exception
    _forbid_computing(monkeypatch)
    at = AppTest.from_file(str(NETWORK_PAGE), default_timeout=120).run()
    assert not at.exception, _page_text(at)
    assert "actors," in _page_text(at) and "ties" in _page_text(at)  # the actors' view of the seed data
    assert "European Trade Union Confederation" in _srcdoc(at)


def test_aggregated_page_after_warmup_computes_nothing(seed_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dashboard.network_view

    monkeypatch.setattr(dashboard.network_view, "MAX_NODES", 40)  # the seed's 250 actors become communities
    warm = AppTest.from_function(_warm_in_a_script, default_timeout=120).run()
    assert not warm.exception
    _forbid_computing(monkeypatch)
    at = AppTest.from_file(str(NETWORK_PAGE), default_timeout=120).run()
    assert not at.exception, _page_text(at)
    assert "each node is a community" in _page_text(at)
    assert "actors)" in _srcdoc(at)


def test_page_and_warmup_compute_each_result_once(seed_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page's first visit starts the warm-up; the two run at once and share every computation."""
    import analysis.communities
    import analysis.views
    from dashboard import warmup

    calls: dict[str, int] = {}
    lock = threading.Lock()

    def counted(fn):
        def wrapper(*args, **kwargs):
            with lock:
                calls[fn.__name__] = calls.get(fn.__name__, 0) + 1
            time.sleep(0.3)  # long enough for the other thread to ask for the same result meanwhile
            return fn(*args, **kwargs)

        return wrapper

    # the computation itself (`louvain` is also called by the stored-results write-back, a memo hit then)
    monkeypatch.setattr(analysis.communities, "_louvain", counted(analysis.communities._louvain))
    monkeypatch.setattr(analysis.views, "graph_facets", counted(analysis.views.graph_facets))
    at = AppTest.from_file(str(NETWORK_PAGE), default_timeout=120).run()
    assert not at.exception, _page_text(at)
    job = warmup.ensure(_ctx())  # the thread the page started (not a new one)
    assert job is not None and job.name == "partnet-warmup"
    job.join(60)
    assert not job.is_alive() and warmup.warmed(_ctx())
    assert calls == {"_louvain": 1, "graph_facets": 1}


def test_boot_warms_the_store_before_any_visit(seed_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`boot` (what `partnet serve` runs first) waits for Streamlit's runtime, then warms the network page."""
    from unittest.mock import MagicMock

    from streamlit.runtime import Runtime
    from streamlit.runtime.caching.storage.dummy_cache_storage import MemoryCacheStorageManager

    from dashboard import warmup

    monkeypatch.setattr(Runtime, "_instance", None)
    thread = warmup.boot()
    time.sleep(0.3)
    assert thread.is_alive()  # waiting for the runtime: no cache to fill yet
    assert not warmup.warmed(_ctx())
    runtime = MagicMock(spec=Runtime)
    runtime.cache_storage_manager = MemoryCacheStorageManager()
    monkeypatch.setattr(Runtime, "_instance", runtime)
    thread.join(120)
    assert not thread.is_alive() and warmup.warmed(_ctx())
    monkeypatch.setattr(Runtime, "_instance", None)
    _forbid_computing(monkeypatch)
    at = AppTest.from_file(str(NETWORK_PAGE), default_timeout=120).run()
    assert not at.exception, _page_text(at)
    assert "European Trade Union Confederation" in _srcdoc(at)


def test_failed_warmup_logs_and_the_page_still_draws(seed_copy: Path, monkeypatch: pytest.MonkeyPatch,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    import analysis.views
    from dashboard import warmup

    real = analysis.views.graph_facets
    failing = {"on": True}

    def flaky(*args, **kwargs):
        if failing["on"]:
            raise RuntimeError("facets unavailable")
        return real(*args, **kwargs)

    monkeypatch.setattr(analysis.views, "graph_facets", flaky)
    ctx = _ctx()
    with caplog.at_level(logging.WARNING, logger="partnet.dashboard.warmup"):
        job = warmup.ensure(ctx)
        assert job is not None
        job.join(60)
    assert not warmup.warmed(ctx)
    assert "warming the network page" in caplog.text and "facets unavailable" in caplog.text
    failing["on"] = False
    at = AppTest.from_file(str(NETWORK_PAGE), default_timeout=120).run()
    assert not at.exception, _page_text(at)
    assert "European Trade Union Confederation" in _srcdoc(at)


def test_warmup_can_be_turned_off(seed_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dashboard import warmup

    monkeypatch.setenv("PARTNET_WARMUP", "0")
    assert not warmup.enabled()
    assert warmup.ensure(_ctx()) is None


def test_unfiltered_view_is_the_shared_projection_and_equals_the_selection(seed_copy: Path) -> None:
    """The page skips filtering and selecting when nothing is chosen: the graph drawn must be the same."""
    from analysis.projection import Filters, actor_projection
    from analysis.views import select_actors
    from dashboard.network_page import NetworkChoice, selection

    ctx = _ctx()
    comm = ctx.communities()
    sel = selection(ctx, NetworkChoice(), comm)
    assert sel.key == ctx.projection.key
    full = select_actors(actor_projection(ctx.graph, filters=Filters()), min_weight=1, drop_isolates=False)
    assert nx.utils.graphs_equal(sel.value, full)
    assert list(sel.value.nodes) == list(full.nodes)
    # any real choice still goes through the selection
    picked = selection(ctx, NetworkChoice(families=("trade_unions",)), comm)
    assert picked.key != ctx.projection.key
    assert {d["family"] for _, d in picked.value.nodes(data=True)} == {"trade_unions"}
    heavier = selection(ctx, NetworkChoice(min_weight=2), comm)
    assert heavier.value.number_of_edges() < sel.value.number_of_edges()
    assert all(d["weight"] >= 2 for _, _, d in heavier.value.edges(data=True))


def test_serve_starts_streamlit_through_the_warmup_entry() -> None:
    import subprocess
    import sys

    from partnet.commands_dashboard import APP, serve_command

    cmd = serve_command("127.0.0.1", 8600)
    assert cmd[1:4] == ["-m", "dashboard.serve", str(APP)]
    out = subprocess.run([sys.executable, "-m", "dashboard.serve", "--help"], capture_output=True, text=True,
                         timeout=120, cwd=ROOT)
    assert out.returncode == 0 and "streamlit run" in out.stdout  # the rest goes to `streamlit run`
