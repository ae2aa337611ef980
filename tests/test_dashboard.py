"""The dashboard through Streamlit's AppTest: every page on the seed data, an empty store and a hostile
dataset; widget interactions change what is shown; read-only mode; unreachable store; the pyvis view."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph.sqlite_store import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]
DASH = ROOT / "dashboard"
PAGES = ["overview", "network", "actors", "partnerships", "gaps", "crossborder", "funding", "planner", "change", "data"]
HOSTILE_NAME = "<img src=x onerror=alert(1)>"


# -- stores -------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed dataset (data/seed) ingested into an SQLite file, plus one actor with a hostile name."""
    from graph.model import Actor, Dataset, Membership
    from ingest import ingest

    path = tmp_path_factory.mktemp("seed") / "seed.db"
    with SQLiteStore(path) as st:
        ingest(ROOT / "data" / "seed", st)
        part = st.read_dataset().partnerships[0].id
        st.write(Dataset(actors=[Actor("hostile-img", HOSTILE_NAME, "ngo", country="FR", city="Paris")],
                         memberships=[Membership("hostile-img", part, "partner")]))
    return path


@pytest.fixture(scope="session")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The security suite's hostile dataset (every text field an injection payload)."""
    from tests.hostile import hostile_dataset

    path = tmp_path_factory.mktemp("hostile") / "hostile.db"
    with SQLiteStore(path) as st:
        st.write(hostile_dataset())
    return path


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    path = tmp_path / "empty.db"
    SQLiteStore(path).close()
    return path


@pytest.fixture
def use_db(monkeypatch: pytest.MonkeyPatch):
    """Point the dashboard at an SQLite file (env vars, as `partnet serve` does)."""

    def use(path: Path, *, read_only: bool = False) -> None:
        monkeypatch.setenv("PARTNET_STORE", "sqlite")
        monkeypatch.setenv("PARTNET_DB", str(path))
        if read_only:
            monkeypatch.setenv("PARTNET_READ_ONLY", "1")
        else:
            monkeypatch.delenv("PARTNET_READ_ONLY", raising=False)

    return use


def run_page(name: str, timeout: float = 120) -> AppTest:
    return AppTest.from_file(str(DASH / "app_pages" / f"{name}.py"), default_timeout=timeout).run()


def texts(at: AppTest) -> str:
    """Every text a user sees on the page (markdown, captions, titles, alerts, metrics), one blob."""
    out = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "error", "info", "warning", "success",
                 "text"):
        out += [str(e.value) for e in getattr(at, kind)]
    out += [f"{m.label} {m.value}" for m in at.metric]
    return "\n".join(out)


def srcdoc(at: AppTest) -> str:
    frames = at.get("iframe")
    assert frames, "no network iframe on the page"
    return frames[0].proto.srcdoc


def assert_ok(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


# -- every page, three datasets --------------------------------------------------------------------------
@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_seed(page: str, seed_db: Path, use_db) -> None:
    use_db(seed_db)
    at = run_page(page)
    assert_ok(at)
    assert not at.error, [e.value for e in at.error]
    assert "Welcome to partnet" not in texts(at)
    assert str(seed_db) in "\n".join(str(t.value) for t in at.sidebar.text)


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_empty_store(page: str, empty_db: Path, use_db) -> None:
    use_db(empty_db)
    at = run_page(page)
    assert_ok(at)
    if page == "data":
        assert at.get("file_uploader"), "the Data page must offer the upload on an empty store"
    else:
        assert "Welcome to partnet" in texts(at)
        assert any(b.proto.label.startswith("Download the import template") for b in at.get("download_button"))


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_hostile_data(page: str, hostile_db: Path, use_db) -> None:
    use_db(hostile_db)
    at = run_page(page)
    assert_ok(at)
    if page == "network":
        html = srcdoc(at)
        for raw in ("<script>alert(", "<img src=x onerror", "<svg onload", "<body onload"):
            assert raw not in html


# -- interactions ----------------------------------------------------------------------------------------
def _caption_with(at: AppTest, pattern: str) -> str:
    for c in at.caption:
        if re.search(pattern, str(c.value)):
            return str(c.value)
    raise AssertionError(f"no caption matching {pattern!r}: {[c.value for c in at.caption]}")


def _counts(caption: str) -> tuple[int, int]:
    m = re.search(r"([\d,]+) actors, ([\d,]+) ties", caption)
    assert m, caption
    return int(m.group(1).replace(",", "")), int(m.group(2).replace(",", ""))


def test_network_filters_and_ego(seed_db: Path, use_db) -> None:
    use_db(seed_db)
    at = run_page("network")
    assert_ok(at)
    actors, ties = _counts(_caption_with(at, r"actors, .* ties"))
    assert actors > 200 and ties > 100
    legend = re.findall(r'<span class="swatch"[^>]*></span>([^<]*)</li>', srcdoc(at))
    assert "trade unions" in legend and "ngos" in legend

    at.multiselect(key="net_families").set_value(["trade_unions"]).run()
    assert_ok(at)
    fewer, _ = _counts(_caption_with(at, r"actors, .* ties"))
    assert 0 < fewer < actors
    assert re.findall(r'<span class="swatch"[^>]*></span>([^<]*)</li>', srcdoc(at)) == ["trade unions"]
    at.multiselect(key="net_families").set_value([]).run()

    at.number_input(key="net_minw").set_value(2).run()
    _, strong = _counts(_caption_with(at, r"actors, .* ties"))
    assert strong < ties
    at.number_input(key="net_minw").set_value(1).run()

    box = at.selectbox(key="net_ego")
    union = next(o for o in box.options if o.startswith("European Trade Union Confederation"))
    box.set_value(union).run()
    assert_ok(at)
    cap = _caption_with(at, "ego network of European Trade Union Confederation at 1 hop")
    one_hop, _ = _counts(cap)
    assert 1 < one_hop < actors
    assert "European Trade Union Confederation" in texts(at)  # the details beside the graph
    assert '"european-trade-union-confederation"' in srcdoc(at)
    at.radio(key="net_hops").set_value(2).run()
    two_hops, _ = _counts(_caption_with(at, "at 2 hops"))
    assert two_hops > one_hop


def test_network_colour_by_community(seed_db: Path, use_db) -> None:
    use_db(seed_db)
    at = run_page("network")
    at.radio(key="net_color").set_value("community").run()
    assert_ok(at)
    legend = re.findall(r'<span class="swatch"[^>]*></span>([^<]*)</li>', srcdoc(at))
    assert legend and all(x != "trade unions" for x in legend)
    assert any(re.match(r"\d+: |community \d+", x) for x in legend), legend


def test_network_hostile_name_is_escaped(seed_db: Path, use_db) -> None:
    use_db(seed_db)
    at = run_page("network")
    html = srcdoc(at)
    assert HOSTILE_NAME not in html
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in html  # the label, inert inside the JSON
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in html  # the tooltip, HTML-escaped
    box = at.selectbox(key="net_ego")
    box.set_value(next(o for o in box.options if o.startswith(HOSTILE_NAME))).run()
    assert_ok(at)
    md = [str(m.value) for m in at.markdown]
    assert any("\\<img src=x onerror=alert\\(1\\)\\>" in m for m in md), md


def test_actors_search_filters_the_table(seed_db: Path, use_db) -> None:
    use_db(seed_db)
    at = run_page("actors")
    full = len(at.dataframe[0].value)
    at.text_input(key="actors_q").set_value("union").run()
    shown = at.dataframe[0].value
    assert 0 < len(shown) < full
    assert shown["name"].str.contains("union", case=False).all() or shown["id"].str.contains("union").all()
    at.multiselect(key="actors_family").set_value(["trade_unions"]).run()
    assert set(at.dataframe[0].value["family"]) == {"trade_unions"}


def test_actors_views_switch(seed_db: Path, use_db) -> None:
    use_db(seed_db)
    at = run_page("actors")
    assert "distance_to_union" in at.dataframe[0].value.columns
    at.segmented_control(key="actors_view").set_value("brokers").run()
    assert_ok(at)
    assert "n_dependents" in at.dataframe[0].value.columns and "constraint" in at.dataframe[1].value.columns
    at.segmented_control(key="actors_view").set_value("roles").run()
    assert "liaison" in at.dataframe[0].value.columns
    at.segmented_control(key="actors_view").set_value("isolated").run()
    iso = at.dataframe[0].value
    assert "no_partnership" in iso.columns and iso["no_partnership"].any()


def test_funding_totals_switch(seed_db: Path, use_db) -> None:
    use_db(seed_db)
    at = run_page("funding")
    assert_ok(at)
    at.radio(key="fund_by").set_value("programme").run()
    frames = [d.value for d in at.dataframe]
    assert any("programme" in f.columns and "funder" not in f.columns for f in frames)


def test_planner_must_invite_leads_the_list(seed_db: Path, use_db) -> None:
    use_db(seed_db)
    at = run_page("planner")
    assert_ok(at)
    at.multiselect(key="plan_goals").set_value(["countries", "families"]).run()
    at.multiselect(key="plan_must").set_value(["hostile-img"]).run()
    assert_ok(at)
    plan = at.dataframe[0].value
    assert plan["actor_id"].iloc[0] == "hostile-img"
    assert plan["adds"].str.len().gt(0).all() and len(plan) <= 12  # the default seat cap


def test_crossborder_diagonal_toggle(seed_db: Path, use_db) -> None:
    use_db(seed_db)
    at = run_page("crossborder")
    assert_ok(at)
    assert "Countries with no cross-border tie" in texts(at)
    at.checkbox(key="xb_diag").uncheck().run()
    assert_ok(at)


def test_crossborder_matrix_says_what_a_cell_counts(seed_db: Path, use_db) -> None:
    use_db(seed_db)
    at = run_page("crossborder")
    assert "Newman-weighted ties" in texts(at) and "left out" in texts(at)
    for measure, words in (("pairs", "distinct actor pairs"), ("partnerships", "partnerships with members in both")):
        at.radio(key="xb_measure").set_value(measure).run()
        assert_ok(at)
        assert words in texts(at)


def test_gaps_page_states_the_basis_and_the_proposals_toggle(seed_db: Path, use_db) -> None:
    use_db(seed_db)
    at = run_page("gaps")
    assert_ok(at)
    assert "partnerships with at least two recorded members" in texts(at)
    assert "Membership not known well enough" in texts(at)
    at.toggle(key="include_proposed").set_value(True).run()
    assert_ok(at)
    assert "Proposed partnerships included" in texts(at)


# -- read-only mode, unreachable store ------------------------------------------------------------------
def test_read_only_hides_upload_and_store_refuses_writes(seed_db: Path, use_db, tmp_path: Path) -> None:
    from dashboard import upload
    from graph.errors import ReadOnlyError
    from graph.model import Actor, Dataset

    use_db(seed_db, read_only=True)
    at = run_page("data")
    assert_ok(at)
    assert not at.get("file_uploader")
    assert "read-only mode" in texts(at)
    assert "Read-only mode" in "\n".join(str(c.value) for c in at.sidebar.caption)

    store = SQLiteStore(seed_db, read_only=True)  # what the dashboard opens in this mode
    before = store.counts()
    with pytest.raises(ReadOnlyError):
        store.write(Dataset(actors=[Actor("x", "X", "ngo")]))
    checked = upload.Checked(name="seed.zip", sha256="", path=ROOT / "data" / "seed")
    done = upload.ingest_into(checked, store)
    assert "read-only" in done.error and not done.written
    assert store.counts() == before
    store.close()


def test_unreachable_neo4j_names_uri_not_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARTNET_STORE", "neo4j")
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:9")
    monkeypatch.setenv("NEO4J_USER", "neo4j")
    monkeypatch.setenv("NEO4J_PASSWORD", "s3ntinel-Pa55word")
    at = run_page("overview", timeout=60)
    assert_ok(at)
    shown = texts(at) + "\n".join(str(t.value) for t in at.sidebar.text)
    assert "bolt://127.0.0.1:9" in shown
    assert "s3ntinel-Pa55word" not in shown
    assert at.error


def test_read_only_missing_sqlite_file_is_a_message(tmp_path: Path, use_db) -> None:
    use_db(tmp_path / "nowhere.db", read_only=True)
    at = run_page("network")
    assert_ok(at)
    assert "does not exist" in texts(at)


# -- upload path -----------------------------------------------------------------------------------------
def _zip(entries: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in entries.items():
            zf.writestr(name, text)
    return buf.getvalue()


def test_upload_zip_validates_then_ingests(tmp_path: Path) -> None:
    from dashboard import upload

    seed = ROOT / "data" / "seed"
    data = _zip({f"seed/{p.name}": p.read_text(encoding="utf-8") for p in seed.glob("*.csv")})
    checked = upload._check("seed.zip", data, tmp_path)
    assert not checked.error and checked.report.ok
    assert checked.counts["actors"] == 251
    with SQLiteStore(tmp_path / "x.db") as st:
        done = upload.ingest_into(checked, st)
        assert done.written["actors"] == 251 and st.counts()["Actor"] == 251


def test_upload_with_errors_reports_and_writes_nothing(tmp_path: Path) -> None:
    from dashboard import upload

    data = _zip({"actors.csv": "id,name,type\na,A,not-a-type\n",
                 "memberships.csv": "actor_id,partnership_id,role\na,nowhere,partner\n"})
    checked = upload._check("bad.zip", data, tmp_path)
    assert not checked.error
    assert not checked.report.ok and checked.report.errors
    with SQLiteStore(tmp_path / "x.db") as st:
        done = upload.ingest_into(checked, st)
        assert done.error and st.counts()["Actor"] == 0


def test_upload_over_the_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dashboard import upload

    monkeypatch.setattr(upload, "MAX_UPLOAD_MB", 1)
    checked = upload._check("big.xlsx", b"0" * (1024**2 + 1), tmp_path)
    assert "over the 1 MB upload limit" in checked.error
    assert not any(tmp_path.iterdir())


def test_upload_unsafe_zip_is_refused_before_extraction(tmp_path: Path) -> None:
    from dashboard import upload

    checked = upload._check("evil.zip", _zip({"../actors.csv": "id,name,type\n"}), tmp_path)
    assert "'..'" in checked.error and "nothing was extracted" in checked.error
    assert not any(tmp_path.rglob("*.csv"))


# -- the pyvis view --------------------------------------------------------------------------------------
def test_network_html_is_offline_and_escaped() -> None:
    import networkx as nx

    from dashboard.network_view import layout, render_network

    g = nx.Graph()
    g.add_node("a", name=HOSTILE_NAME, family="ngos", country="FR", type="ngo")
    g.add_node("b", name="</script><script>alert(2)</script>", family="trade_unions", country="<b>BE</b>")
    g.add_edge("a", "b", weight=2, shared=2, links=0)
    html = render_network(g, layout(g), note="<i>note</i>", community_names={0: "<u>c</u>"})
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", html, re.I)
    assert "cdn" not in html.lower().replace("cdnjs", "")  # no CDN host named anywhere
    assert html.count('<script nonce="') == 2 and "sourceMappingURL" not in html
    assert HOSTILE_NAME not in html and "</script><script>alert(2)" not in html
    assert "&lt;i&gt;note&lt;/i&gt;" in html  # the note, escaped by the template
    assert "\\u0026lt;b\\u0026gt;BE" in html  # a tooltip value, escaped then JSON-encoded


def test_layout_is_deterministic_and_fast() -> None:
    import time

    import networkx as nx

    from dashboard.network_view import layout

    g = nx.barabasi_albert_graph(3000, 2, seed=3)
    t = time.perf_counter()
    a = layout(g)
    took = time.perf_counter() - t
    assert a == layout(g)
    assert took < 10
    xs = [p[0] for p in a.values()]
    assert max(xs) - min(xs) > 100  # spread out, not collapsed


def test_community_aggregation_above_the_limit(tmp_path: Path, use_db, monkeypatch: pytest.MonkeyPatch) -> None:
    from synthetic import generate

    path = tmp_path / "synthetic.db"
    with SQLiteStore(path) as st:
        st.write(generate(2000, seed=1))
    use_db(path)
    at = run_page("network", timeout=300)
    assert_ok(at)
    assert any("each node is a community" in str(i.value) for i in at.info)
    assert "not connected (" in srcdoc(at) and "largest of" in at.info[0].value  # the network map


# -- the serve command -----------------------------------------------------------------------------------
def test_serve_command_is_headless_without_usage_stats() -> None:
    from partnet.commands_dashboard import serve_command, serve_env

    cmd = serve_command("127.0.0.1", 8600)
    joined = " ".join(cmd)
    assert "--server.headless true" in joined and "--browser.gatherUsageStats false" in joined
    assert "--server.address 127.0.0.1" in joined and "--server.port 8600" in joined
    env = serve_env("sqlite", "/tmp/x.db", True)
    assert env["PARTNET_STORE"] == "sqlite" and env["PARTNET_DB"] == "/tmp/x.db" and env["PARTNET_READ_ONLY"] == "1"


def test_serve_help() -> None:
    from click.testing import CliRunner

    from partnet.cli import cli

    out = CliRunner().invoke(cli, ["serve", "--help"])
    assert out.exit_code == 0
    for flag in ("--store", "--db", "--host", "--port", "--read-only"):
        assert flag in out.output


def test_data_page_downloads_build_on_click(seed_db: Path) -> None:
    from dashboard import state, upload

    store = SQLiteStore(seed_db, read_only=True)
    ctx = state.Ctx(store=store, choice=state.StoreChoice("sqlite", str(seed_db), True),
                    version=store.data_version(), counts=store.counts())
    with zipfile.ZipFile(io.BytesIO(ctx.export_file("csv")())) as zf:
        names = set(zf.namelist())
        assert {"actors.csv", "memberships.csv", "actor_metrics.csv"} <= names
        assert "hostile-img" in zf.read("actors.csv").decode("utf-8")
    assert ctx.export_file("gexf")().lstrip().startswith(b"<?xml")
    html = upload.report_html(ctx)().decode("utf-8")
    assert "<html" in html.lower() and HOSTILE_NAME not in html
    store.close()


def test_change_over_time_figures_and_period_selector(seed_db: Path, use_db) -> None:
    from analysis.change import compare_periods

    use_db(seed_db)
    at = run_page("change")
    assert_ok(at)
    assert "Change over time" in texts(at) and "active in a period" in texts(at)
    at.number_input(key="chg_width").set_value(5).run()
    at.multiselect(key="chg_periods").set_value(["2000-2004", "2005-2009"]).run()
    assert_ok(at)
    figures = at.dataframe[0].value
    with SQLiteStore(seed_db) as st:
        want = compare_periods(st.read_graph(), [(2000, 2004), (2005, 2009)])["periods"]
    assert figures["period"].tolist() == ["2000-2004", "2005-2009"]
    assert figures["actors"].tolist() == want["actors"].tolist() and figures["ties"].tolist() == want["ties"].tolist()
    counts = at.dataframe[1].value
    assert counts["n_entering"].iloc[0] == want["actors"].iloc[1] - counts["n_persisting"].iloc[0]
    people = at.dataframe[2].value  # who entered, left and stayed in the first (only) step
    assert (people["status"] == "entering").sum() == counts["n_entering"].iloc[0]
    assert (people["status"] == "persisting").sum() == counts["n_persisting"].iloc[0]
    charts = at.get("plotly_chart")
    assert charts, "the small multiples are drawn"
    import json

    spec = json.loads(charts[-1].proto.spec)
    markers = [t for t in spec["data"] if t.get("mode") == "markers"]
    assert len(markers) == 2
    def values(v):  # plotly sends numpy arrays as typed base64 ({"dtype", "bdata"})
        import base64

        import numpy as np

        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"]).tolist() if isinstance(v, dict) else v

    where = [dict(zip(t["text"], zip(values(t["x"]), values(t["y"]), strict=True), strict=True)) for t in markers]
    both = set(where[0]) & set(where[1])
    assert both and all(where[0][k] == where[1][k] for k in both)  # positions fixed between periods
