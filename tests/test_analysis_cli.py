"""`partnet analyse`, `partnet export`, `partnet report` through click's CliRunner, and the seed dataset end to end."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from toy_partnerships import toy_dataset

from graph.model import Actor
from partnet.cli import cli

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "seed"


@pytest.fixture
def db(tmp_path):
    """A SQLite store holding the toy dataset plus one actor with a terminal escape in its name."""
    from graph.sqlite_store import SQLiteStore

    ds = toy_dataset()
    ds.actors.append(Actor("esc", "Evil\x1b[31mRed\x1b[0m <b>", "ngo", country="PT"))
    path = tmp_path / "toy.db"
    st = SQLiteStore(path)
    st.write(ds)
    st.close()
    return path


def test_analyse_prints_readable_tables(db):
    res = CliRunner().invoke(cli, ["analyse", "--db", str(db), "--top", "3"])
    assert res.exit_code == 0, res.output
    out = res.output
    for title in ("Key figures", "Partnerships without a trade union", "Top brokers", "Isolated actors",
                  "Funded partnerships that depend on a single funder", "Composition rules not met"):
        assert title in out
    assert "share of partnerships without a trade union:" in out and "60%" in out
    assert "NO UNION" in out and "dp-needs-union" in out
    assert "\x1b" not in out  # no terminal escape sequence from the data reaches the terminal


def test_analyse_bad_rules_file_is_a_clear_error(db, tmp_path):
    bad = tmp_path / "r.toml"
    bad.write_text('[[rule]]\nrule = "kind=project requires wizards"\n', encoding="utf-8")
    res = CliRunner().invoke(cli, ["analyse", "--db", str(db), "--rules", str(bad)])
    assert res.exit_code == 1
    assert "r.toml: rule 1" in res.output and "wizards" in res.output
    assert "Traceback" not in res.output


def test_analyse_empty_or_missing_store(tmp_path):
    from graph.sqlite_store import SQLiteStore

    SQLiteStore(tmp_path / "empty.db").close()
    res = CliRunner().invoke(cli, ["analyse", "--db", str(tmp_path / "empty.db")])
    assert res.exit_code == 1  # issue 18: an empty store is bad input for every command that reads it
    assert "store is empty" in res.output and "partnet ingest" in res.output
    res = CliRunner().invoke(cli, ["analyse", "--db", str(tmp_path / "missing.db")])
    assert res.exit_code == 2 and "does not exist" in res.output and "Traceback" not in res.output


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "xlsx", "csv"])
def test_export_formats(db, tmp_path, fmt):
    out = tmp_path / ("csvdir" if fmt == "csv" else f"net.{fmt}")
    res = CliRunner().invoke(cli, ["export", "--format", fmt, "--db", str(db), str(out)])
    assert res.exit_code == 0, res.output
    assert "wrote" in res.output
    if fmt in ("gexf", "graphml"):
        ET.parse(out)
    elif fmt == "csv":
        assert (out / "actor_metrics.csv").exists() and (out / "actors.csv").exists()
    else:
        assert out.stat().st_size > 0


def test_export_actor_network(db, tmp_path):
    import networkx as nx

    out = tmp_path / "actors.gexf"
    res = CliRunner().invoke(cli, ["export", "--format", "gexf", "--graph", "actors", "--db", str(db), str(out)])
    assert res.exit_code == 0, res.output
    h = nx.read_gexf(out)
    assert "dp-full" not in h and h.nodes["fr-union"]["family"] == "trade_unions"


def test_report_command(db, tmp_path):
    out = tmp_path / "brief.html"
    res = CliRunner().invoke(cli, ["report", str(out), "--db", str(db), "--title", "<b>Brief</b>"])
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    assert "&lt;b&gt;Brief&lt;/b&gt;" in page and "<b>" not in page
    assert "Partnerships without a trade union" in page
    res = CliRunner().invoke(cli, ["report", str(tmp_path), "--db", str(db)])
    assert res.exit_code != 0 and "Traceback" not in res.output


# ----------------------------------------------------------------------------------------------
# The seed dataset, end to end
# ----------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def seed_graph():
    if not (SEED / "actors.csv").exists():
        pytest.fail(f"the seed dataset is expected in {SEED}")
    from graph.convert import dataset_to_graph
    from ingest import load

    res = load(SEED)
    assert res.report.ok, res.report.format_text()
    return dataset_to_graph(res.dataset)


NO_UNION_DPS = {"fr-nat-2001-10039": "LATITUDE", "fr-nat-2004-41892": "ELMER"}
UNION_DPS = {"fr-ral-2001-11139": "LUCIDITE", "fr-ral-2004-42044": "AVERROES"}


def test_seed_french_dps_without_union(seed_graph):
    from analysis.gaps import check_rules, partnerships_without_union

    nou = partnerships_without_union(seed_graph)
    ids = set(nou["partnership_id"])
    for pid, name in NO_UNION_DPS.items():
        assert pid in ids, name
        assert name in set(nou["name"])
    for pid, name in UNION_DPS.items():
        assert pid not in ids, name
    broken = check_rules(seed_graph)
    dp_union = set(broken.loc[broken["rule_id"] == "dp-needs-union", "partnership_id"])
    assert set(NO_UNION_DPS) <= dp_union and not set(UNION_DPS) & dp_union


def test_seed_headline_report_and_planner(seed_graph):
    from analysis.headline import headline
    from analysis.planner import plan_meeting, suggest_introductions
    from analysis.report import build_report

    h = headline(seed_graph, top=10)
    assert set(NO_UNION_DPS) & set(h["no_union"]["partnership_id"]) or len(h["no_union"]) == 10
    intro = suggest_introductions(seed_graph, top=5)
    assert not intro.empty and (intro["reason"].str.len() > 0).all()
    plan = plan_meeting(seed_graph, ["country", "family"])
    assert (plan["reason"].str.len() > 0).all()
    countries = {seed_graph.nodes[a]["country"] for a in plan["actor_id"]} - {""}
    all_countries = {d["country"] for _, d in seed_graph.nodes(data=True) if d.get("label") == "Actor"} - {""}
    assert countries == all_countries
    page = build_report(seed_graph, findings=h, introductions=intro, generated="seed")
    assert "LATITUDE" in page or "ELMER" in page
