"""The network page at scale through AppTest: the network map with its 'not connected (N)' node and the
most central actors named, the communities slider, the drill-down, the details panel and its highlight
in the Actors table, and the offline HTML download."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph.sqlite_store import SQLiteStore

DASH = Path(__file__).resolve().parents[1] / "dashboard"
N_ALONE = 600


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3,000 generated actors plus 600 without any partnership (above the 1,500 actors of the actors view)."""
    from graph.model import Actor
    from synthetic import generate

    ds = generate(3000, seed=1)
    ds.actors.extend(Actor(f"alone-{i}", f"Alone {i}", "ngo", country="IT") for i in range(N_ALONE))
    path = tmp_path_factory.mktemp("big") / "big.db"
    with SQLiteStore(path) as st:
        st.write(ds)
    return path


@pytest.fixture(scope="module")
def truth(big_db: Path) -> dict:
    """What the page should show, computed here from the store (projection, Louvain, degrees)."""
    from analysis.communities import louvain
    from analysis.gaps import community_series
    from analysis.projection import actor_projection
    from graph.convert import dataset_to_graph

    with SQLiteStore(big_db, read_only=True) as st:
        proj = actor_projection(dataset_to_graph(st.read_dataset()))
    membership = {k: int(v) for k, v in community_series(louvain(proj)).items() if v == v}
    sizes = Counter(membership.get(n, -1) for n in proj)
    alone = [n for n in proj if proj.degree(n) == 0 or sizes[membership.get(n, -1)] == 1]
    top30 = sorted(proj, key=lambda n: (-proj.degree(n), str(n)))[:30]
    return {"proj": proj, "membership": membership, "sizes": sizes, "alone": alone, "top30": top30}


@pytest.fixture
def page(big_db: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PARTNET_STORE", "sqlite")
    monkeypatch.setenv("PARTNET_DB", str(big_db))
    monkeypatch.delenv("PARTNET_READ_ONLY", raising=False)

    def run(name: str = "network", **state) -> AppTest:
        at = AppTest.from_file(str(DASH / "app_pages" / f"{name}.py"), default_timeout=300)
        for k, v in state.items():
            at.session_state[k] = v
        return at

    return run


def nodes_of(at: AppTest) -> list[dict]:
    """The nodes the drawing holds (the JSON list embedded in the iframe's page)."""
    src = at.get("iframe")[0].proto.srcdoc
    return json.loads(re.search(r"var nodeList = (.*?);\n", src).group(1))


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_map_groups_not_connected_and_names_the_central_actors(page, truth) -> None:
    at = ok(page().run())
    assert any("each node is a community" in str(i.value) for i in at.info)
    labels = [n["label"] for n in nodes_of(at)]
    n_alone = len(truth["alone"])
    assert n_alone >= N_ALONE
    assert labels.count(f"not connected ({n_alone:,})") == 1
    proj, membership = truth["proj"], truth["membership"]
    for actor in truth["top30"]:  # each central actor's community is drawn, named by its top member
        c = membership[actor]
        members = [n for n in proj if membership.get(n) == c]
        lead = sorted(members, key=lambda n: (-proj.degree(n), str(n)))[0]
        assert any(lab.startswith(f"{proj.nodes[lead]['name']}\n") and f"({len(members):,})" in lab
                   for lab in labels), (actor, lead)
    titles = " ".join(n["title"] for n in nodes_of(at))
    assert all(str(proj.nodes[a]["name"]) in titles for a in truth["top30"])  # and named in the tooltips
    assert all(n["scaling"]["label"]["drawThreshold"] == 0 for n in nodes_of(at))  # shown at any zoom


def test_slider_sets_how_many_communities(page, truth) -> None:
    at = ok(page().run())
    slider = at.slider(key="net_top")
    assert slider.value == 40
    n_default = sum(1 for n in nodes_of(at) if not n["label"].startswith(("not connected", "no community")))
    at = ok(slider.set_value(5).run())
    kept = [n for n in nodes_of(at) if not n["label"].startswith(("not connected", "no community"))]
    central_comms = {truth["membership"][a] for a in truth["top30"]}
    assert len(kept) < n_default
    assert len(kept) <= 5 + len(central_comms) + 1  # + the central actors' communities + "smaller communities"
    assert any("smaller communities" in n["label"] for n in kept)


def test_drill_down_into_a_community(page, truth) -> None:
    at = ok(page().run())
    box = at.selectbox(key="net_drill")
    biggest = max((c for c in truth["sizes"] if c >= 0), key=lambda c: truth["sizes"][c])
    at = ok(box.set_value(biggest).run())
    assert at.session_state["net_communities"] == [biggest]
    assert at.query_params["community"] == [str(biggest)] or at.query_params["community"] == str(biggest)
    assert len(nodes_of(at)) == truth["sizes"][biggest]  # its actors, one node each
    assert any(f"{truth['sizes'][biggest]:,} actors" in str(c.value) for c in at.caption)
    back = next(b for b in at.button if b.key == "net_back")
    at = ok(back.click().run())
    assert not at.session_state["net_communities"]
    assert any("not connected (" in n["label"] for n in nodes_of(at))


def test_actor_from_the_address_shows_its_details_and_is_highlighted(page, truth) -> None:
    proj = truth["proj"]
    actor = truth["top30"][0]
    at = page()
    at.query_params["actor"] = actor
    at = ok(at.run())
    assert "Actor" in [s.value for s in at.subheader]
    shown = "\n".join(str(c.value) for c in at.caption)
    assert f"Partners ({proj.degree(actor):,}, strongest tie first)" in shown
    assert "Metrics" in shown and "Partnerships (" in shown
    frames = [df.value for df in at.dataframe]
    partners = next(f for f in frames if "shared" in f.columns)
    assert set(partners["id"].head(200)) <= set(proj[actor])
    assert at.session_state["net_focus_actor"] == actor
    actors = ok(page("actors", net_focus_actor=actor).run())
    table = max((df.value for df in actors.dataframe), key=len)
    assert table["id"].iloc[0] == actor and table["chosen"].iloc[0].startswith("◀")
    assert (table["chosen"] != "").sum() == 1


def test_unknown_ids_in_the_address_are_a_message(page) -> None:
    at = page()
    at.query_params["community"] = "<b>99999</b>"
    at.query_params["actor"] = "nobody"
    at = ok(at.run())
    warnings = " ".join(str(w.value) for w in at.warning)
    assert "No community" in warnings and "No actor with id nobody" in warnings
    assert any("each node is a community" in str(i.value) for i in at.info)


def test_offline_html_download_fetches_nothing(page) -> None:
    at = ok(page().run())
    assert any(b.proto.label == "Download this view (offline HTML)" for b in at.get("download_button"))
    src = at.get("iframe")[0].proto.srcdoc  # the bytes the button offers (offline_download(page_html))
    assert "Content-Security-Policy" in src and "default-src 'none'" in src
    for tag in re.findall(r"<(?:script|link|img|iframe|a|source|object|embed)\b[^>]*>", src, re.I):
        assert not re.search(r"\b(src|href)\s*=\s*[\"']?(https?:)?//", tag, re.I), tag
    assert not re.search(r"@import|url\(\s*[\"']?(https?:)?//", src, re.I)
