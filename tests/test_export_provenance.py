"""Provenance in the exports: every record's dataset, the sources table, GEXF/GraphML file metadata.

The expected values come from the store itself (`Store.read_state`, `Store.dataset_counts`,
`Store.read_sources`: SQL GROUP BY and plain selects), independent of the graph the exports read.
"""

from __future__ import annotations

import csv
import html
import xml.etree.ElementTree as ET
from collections import Counter

import networkx as nx
import pytest
from toy_partnerships import toy_dataset

from analysis import export
from analysis.export_provenance import SOURCE_COLUMNS, add_dataset_columns, dataset_record_counts, sources_frame
from graph.convert import dataset_to_graph
from graph.sqlite_store import SQLiteStore
from ingest.update import plan_and_apply, store_state

HOSTILE_TITLE = '=HYPERLINK("http://evil.example","click")'
HOSTILE_DESC = "<script>alert(1)</script> & \x01 'quoted' \"double\""
SOURCES = {
    "seed": [{"id": "EQUAL-NTN", "title": HOSTILE_TITLE, "file": "001.txt", "description": HOSTILE_DESC},
             {"id": "CLIP-2011", "title": "Pact for Integration", "file": "", "description": "Stuttgart"}],
    "toy": [{"id": "TOY-1", "title": "Toy notes", "file": "toy.txt", "description": ""}],
}


@pytest.fixture
def two_datasets(tmp_path, small_dataset):
    """A store holding the conftest's small dataset as ``seed`` and the toy network as ``toy``, with sources."""
    with SQLiteStore(tmp_path / "p.db") as st:
        plan_and_apply("-", small_dataset, SOURCES["seed"], st, store_state(st), dataset="seed")
        plan_and_apply("-", toy_dataset(), SOURCES["toy"], st, store_state(st), dataset="toy")
        yield {"graph": st.read_graph(), "owners": st.read_state()[1], "counts": st.dataset_counts(),
               "sources": st.read_sources()}


def test_graph_carries_each_records_dataset_and_the_sources(two_datasets):
    g, owners = two_datasets["graph"], two_datasets["owners"]
    for n, d in g.nodes(data=True):
        table = "actors" if d["label"] == "Actor" else "partnerships"
        assert d["dataset"] == owners[table][(n,)]
    assert dataset_record_counts(g) == two_datasets["counts"]
    assert g.graph["sources"] == two_datasets["sources"]


def test_csv_has_a_dataset_column_and_a_sources_table(tmp_path, two_datasets):
    g, owners = two_datasets["graph"], two_datasets["owners"]
    export.export_csv(g, tmp_path / "csv")
    keys = {"actors": ("id",), "partnerships": ("id",), "memberships": ("actor_id", "partnership_id"),
            "funding": ("funder_id", "recipient_id", "programme"), "links": ("source_id", "target_id", "kind")}
    per_dataset: dict[str, Counter] = {}
    for table, cols in keys.items():
        with (tmp_path / "csv" / f"{table}.csv").open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        assert rows and list(rows[0])[-1] == "dataset"
        for r in rows:
            assert r["dataset"] == owners[table][tuple(r[c] for c in cols)], (table, r)
            per_dataset.setdefault(r["dataset"], Counter())[table] += 1
    assert {k: dict(v) for k, v in per_dataset.items()} == \
        {k: {t: n for t, n in v.items() if n} for k, v in two_datasets["counts"].items()}
    with (tmp_path / "csv" / "actor_metrics.csv").open(encoding="utf-8", newline="") as f:
        assert all(r["dataset"] in ("seed", "toy") for r in csv.DictReader(f))
    with (tmp_path / "csv" / "sources.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == list(SOURCE_COLUMNS)
    assert [(r["dataset"], r["id"]) for r in rows] == [("seed", "CLIP-2011"), ("seed", "EQUAL-NTN"), ("toy", "TOY-1")]
    hostile = next(r for r in rows if r["id"] == "EQUAL-NTN")
    assert hostile["title"] == "'" + HOSTILE_TITLE  # neutralised like every text cell
    assert hostile["description"] == HOSTILE_DESC


def test_xlsx_has_the_sources_sheet_and_no_formula(tmp_path, two_datasets):
    from openpyxl import load_workbook

    p = export.export_xlsx(two_datasets["graph"], tmp_path / "p.xlsx")
    wb = load_workbook(p)
    assert "sources" in wb.sheetnames
    ws = wb["sources"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == SOURCE_COLUMNS
    assert ("seed", "EQUAL-NTN", "'" + HOSTILE_TITLE, "001.txt", HOSTILE_DESC.replace("\x01", "\ufffd")) in rows
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f", (sheet.title, c.coordinate, c.value)
    header = [c.value for c in wb["memberships"][1]]
    assert header[-1] == "dataset"


def test_graphml_carries_datasets_and_file_metadata(tmp_path, two_datasets):
    g, owners = two_datasets["graph"], two_datasets["owners"]
    p = export.export_graphml(g, tmp_path / "p.graphml")
    h = nx.read_graphml(p)
    for n, d in h.nodes(data=True):
        table = "actors" if d["node_type"] == "Actor" else "partnerships"
        assert d["dataset"] == owners[table][(n,)]
    member = [d for *_, d in h.edges(data=True) if d["relation"] == "MEMBER_OF"]
    assert member and all(d["dataset"] in ("seed", "toy") for d in member)
    assert h.graph["creator"].startswith("partnet ")
    assert "datasets: seed, toy" in h.graph["description"]
    assert "seed (4 actors" in h.graph["datasets"] and "toy (" in h.graph["datasets"]
    assert "seed/EQUAL-NTN: " + HOSTILE_TITLE in h.graph["sources"]  # text, escaped by the XML writer


def test_gexf_meta_describes_the_provenance(tmp_path, two_datasets):
    p = export.export_gexf(two_datasets["graph"], tmp_path / "p.gexf")
    ns = {"g": "http://www.gexf.net/1.2draft"}
    root = ET.parse(p).getroot()
    meta = root.find("g:meta", ns)
    assert meta.find("g:creator", ns).text.startswith("partnet ")
    desc = meta.find("g:description", ns).text
    assert "3 source documents" in desc and HOSTILE_TITLE in desc
    assert "<script>" not in p.read_text(encoding="utf-8")  # escaped, never raw markup
    assert "seed (" in meta.find("g:keywords", ns).text
    h = nx.read_gexf(p)
    assert {d["dataset"] for _, d in h.nodes(data=True)} == {"seed", "toy"}


def test_a_graph_without_provenance_gives_empty_columns():
    g = dataset_to_graph(toy_dataset())
    assert sources_frame(g).columns.tolist() == list(SOURCE_COLUMNS) and sources_frame(g).empty
    frames = add_dataset_columns(g, {"actors": export.export_tables(g)["actors"]})
    assert set(frames["actors"]["dataset"]) == {""}
    assert dataset_record_counts(g) == {}


def test_report_lists_the_sources_and_dataset_counts_escaped(two_datasets):
    from analysis.report import build_report

    page = build_report(two_datasets["graph"], top=3, generated="2024-01-01")
    about = page[page.index('<section id="method">'):]
    assert "<h3>Datasets</h3>" in about and "<h3>Sources</h3>" in about
    c = two_datasets["counts"]["seed"]
    row = "".join(f'<td class="num">{c[t]}</td>' for t in ("actors", "partnerships", "memberships", "funding",
                                                            "links"))
    assert f"<tr><td>seed</td>{row}" in about
    assert "<script>alert(1)</script>" not in page
    assert html.escape(HOSTILE_DESC, quote=True) in about
    assert "<td>TOY-1</td><td>Toy notes</td>" in about
