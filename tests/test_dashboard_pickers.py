"""Long lists on the network page: above `dashboard.pickers.LIST_LIMIT` options the actor and partnership
pickers search first (in Python) and list only the matches; the ego view and the filter work through them."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph.sqlite_store import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]
NETWORK_PAGE = ROOT / "dashboard" / "app_pages" / "network.py"
ETUC = "European Trade Union Confederation"


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ingest import ingest

    path = tmp_path_factory.mktemp("pickers") / "seed.db"
    with SQLiteStore(path) as st:
        ingest(ROOT / "data" / "seed", st)
    return path


@pytest.fixture
def small_limit(seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """The seed's 250 actors and its partnerships count as a long list."""
    import dashboard.pickers

    monkeypatch.setenv("PARTNET_STORE", "sqlite")
    monkeypatch.setenv("PARTNET_DB", str(seed_db))
    monkeypatch.delenv("PARTNET_READ_ONLY", raising=False)
    monkeypatch.setattr(dashboard.pickers, "LIST_LIMIT", 20)
    return 20


def _texts(at: AppTest) -> str:
    return " ".join(str(e.value) for kind in ("caption", "info", "error") for e in getattr(at, kind))


def test_matches_ignore_case_and_spaces_and_stop_at_the_limit() -> None:
    from dashboard.pickers import matches

    names = {"a": "Trade  Union A", "b": "trade union b", "c": "Employers C", "d": "TRADE UNION D"}
    assert matches(list(names), names.get, "trade union") == ["a", "b", "d"]
    assert matches(list(names), names.get, "  UNION   b ") == ["b"]
    assert matches(list(names), names.get, "trade union", limit=2) == ["a", "b"]
    assert matches(list(names), names.get, "   ") == []
    assert matches(list(names), names.get, "nobody") == []


def test_ego_view_through_the_actor_search(small_limit: int) -> None:
    at = AppTest.from_file(str(NETWORK_PAGE), default_timeout=120).run()
    assert not at.exception
    assert not [s for s in at.selectbox if s.key == "net_ego" and len(s.options) > small_limit]
    search = at.text_input(key="net_ego_search")
    assert search.label == "Search an actor"
    assert at.selectbox(key="net_ego").options == []  # nothing listed before a search
    search.set_value("european trade union").run()
    box = at.selectbox(key="net_ego")
    assert 0 < len(box.options) <= small_limit
    assert all("european trade union" in o.casefold() for o in box.options)
    at.selectbox(key="net_ego").select_index(next(i for i, o in enumerate(box.options) if o.startswith(ETUC))).run()
    assert not at.exception
    assert f"ego network of {ETUC} at 1 hop" in _texts(at)
    # a new search keeps the chosen actor listed (and chosen) until another is picked
    at.text_input(key="net_ego_search").set_value("migrant").run()
    box = at.selectbox(key="net_ego")
    assert box.options[0].startswith(ETUC) and box.value is not None
    assert f"ego network of {ETUC}" in _texts(at)


def test_partnership_filter_through_the_search_keeps_earlier_choices(seed_db: Path, small_limit: int) -> None:
    from analysis.views import graph_facets

    with SQLiteStore(seed_db, read_only=True) as store:
        parts = graph_facets(store.read_graph())["partnerships"]
    assert len(parts) > small_limit
    first, second = list(parts.items())[0], list(parts.items())[-1]
    at = AppTest.from_file(str(NETWORK_PAGE), default_timeout=120).run()
    assert at.multiselect(key="net_parts").options == []
    at.text_input(key="net_parts_search").set_value(first[1]).run()
    ms = at.multiselect(key="net_parts")
    assert first[1] in ms.options and len(ms.options) <= small_limit
    ms.select(first[0]).run()
    assert not at.exception
    at.text_input(key="net_parts_search").set_value(second[1]).run()
    ms = at.multiselect(key="net_parts")
    assert ms.options[0] == first[1] and second[1] in ms.options  # the earlier choice stays listed and chosen
    assert ms.value == [first[0]]
    ms.select(second[0]).run()
    assert not at.exception
    assert sorted(at.multiselect(key="net_parts").value) == sorted([first[0], second[0]])
