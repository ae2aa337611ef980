"""Exports: GEXF/GraphML parse whatever the names hold; CSV/XLSX carry no live formula."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from hostile import all_payloads, hostile_dataset
from toy_partnerships import toy_dataset, toy_graph

from analysis import export
from analysis.export import neutralise
from graph.convert import dataset_to_graph
from graph.errors import PartnetError
from graph.model import Actor, Dataset, Membership, Partnership

HOSTILE_NAMES = ['=HYPERLINK("https://evil.example","click")', "+1", "@SUM(A1:A9)", "-2+3", "\t=1+1", "\r=1+1",
                 "<img src=x onerror=alert(1)>", "a\x01b\x0bc", "-12.5"]
COMM = {"fr-union": 0, "fr-city": 0, "de-ngo": 1}


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("-12.5", "-12.5"), ("-3", "-3"), ("-.5", "-.5"), ("-1e5", "-1e5"), ("-", "'-"),
    ("- bullet", "'- bullet"), ("Caritas", "Caritas"), ("", ""), (" =1", " =1"),
    (-3, -3), (2.5, 2.5), (None, None), (True, True),
])
def test_neutralise(value, expected):
    assert neutralise(value) == expected


@pytest.fixture(scope="module")
def hostile_graph():
    ds = toy_dataset()
    extra = [Actor(f"x{i}", name, "ngo", country="FR", city=name, aliases=(name,))
             for i, name in enumerate(HOSTILE_NAMES)]
    ds.actors.extend(extra)
    ds.partnerships.append(Partnership("hp", "=cmd|' /C calc'!A0", "project", theme="<script>alert(1)</script>"))
    ds.memberships.extend(Membership(a.id, "hp") for a in extra)
    return dataset_to_graph(ds)


def test_xlsx_has_no_formula_cell(tmp_path, hostile_graph):
    from openpyxl import load_workbook

    path = export.export_xlsx(hostile_graph, tmp_path / "out.xlsx", communities=COMM)
    wb = load_workbook(path)
    assert {"actors", "partnerships", "memberships", "funding", "links", "actor_metrics",
            "partnership_gaps"} <= set(wb.sheetnames)
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "@", "\t", "\r")), cell.value
                    seen.add(cell.value)
    assert "'=HYPERLINK(\"https://evil.example\",\"click\")" in seen and "'+1" in seen and "'@SUM(A1:A9)" in seen
    assert "-12.5" in seen  # a plain negative number is left alone
    names = {r[1] for r in wb["actors"].iter_rows(values_only=True)}
    assert "a\ufffdb\ufffdc" in names  # control characters XLSX cannot hold are replaced
    # numbers stay numbers
    amounts = [r[3] for r in wb["funding"].iter_rows(min_row=2, values_only=True)]
    assert 100_000.0 in amounts and None in amounts


def test_csv_folder_is_neutralised(tmp_path, hostile_graph):
    files = export.export_csv(hostile_graph, tmp_path / "csv", communities=COMM)
    assert {f.name for f in files} == {"actors.csv", "partnerships.csv", "memberships.csv", "funding.csv",
                                       "links.csv", "actor_metrics.csv", "partnership_gaps.csv", "sources.csv"}
    with (tmp_path / "csv" / "actors.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["id", "name", "aliases", "type", "country", "city", "scope", "website", "source",
                             "section", "dataset"]  # the import format, then the record's dataset
    for r in rows:
        for v in r.values():
            assert not v.startswith(("=", "+", "@", "\t", "\r")), v
            assert not v.startswith("-") or v == "-12.5", v
    with (tmp_path / "csv" / "funding.csv").open(encoding="utf-8", newline="") as f:
        amounts = [r["amount"] for r in csv.DictReader(f)]
    assert "100000.0" in amounts
    with (tmp_path / "csv" / "actor_metrics.csv").open(encoding="utf-8", newline="") as f:
        m = {r["id"]: r for r in csv.DictReader(f)}
    assert m["fr-union"]["distance_to_union"] == "0" and m["fr-union"]["community"] == "0"


@pytest.mark.parametrize("kind", ["full", "actors"])
def test_gexf_and_graphml_parse_with_hostile_strings(tmp_path, kind):
    g = dataset_to_graph(hostile_dataset())
    gexf = export.export_gexf(g, tmp_path / "h.gexf", kind=kind, communities={})
    graphml = export.export_graphml(g, tmp_path / "h.graphml", kind=kind, communities={})
    ET.parse(gexf)
    ET.parse(graphml)
    h1 = nx.read_gexf(gexf)
    h2 = nx.read_graphml(graphml)
    n_expected = g.number_of_nodes() if kind == "full" else sum(1 for _, d in g.nodes(data=True)
                                                                 if d["label"] == "Actor")
    assert h1.number_of_nodes() == h2.number_of_nodes() == n_expected
    labels = {d.get("label") for _, d in h1.nodes(data=True)}
    # an HTML payload arrives as text, intact
    assert "<script>alert('xss-script')</script>" in labels


def test_gexf_attributes_are_clean_and_carry_metrics(tmp_path):
    g = toy_graph()
    path = export.export_gexf(g, tmp_path / "toy.gexf", communities=COMM)
    h = nx.read_gexf(path)
    u = h.nodes["fr-union"]
    assert u["label"] == "CGT Paris" and u["family"] == "trade_unions" and u["node_type"] == "Actor"
    assert u["community"] == 0 and u["distance_to_union"] == 0
    assert isinstance(u["betweenness"], float) and isinstance(u["degree"], int)
    assert h.nodes["dp-full"]["node_type"] == "Partnership"
    relations = {d["relation"] for *_, d in h.edges(data=True)}
    assert relations == {"MEMBER_OF", "FUNDS", "LINKED_TO"}
    # GEXF declares one type per attribute: nothing None, nothing a list
    root = ET.parse(path).getroot()
    ns = {"g": "http://www.gexf.net/1.2draft"}
    types = {a.get("title"): a.get("type") for a in root.iterfind(".//g:attributes[@class='node']/g:attribute", ns)}
    assert types["betweenness"] == "double" and types["aliases"] == "string" and types["community"] in ("long",
                                                                                                        "integer")
    for v in root.iterfind(".//g:attvalue", ns):
        assert v.get("value") not in ("None", "nan", "[]")


def test_graphml_actor_projection_keeps_weights(tmp_path):
    path = export.export_graphml(toy_graph(), tmp_path / "a.graphml", kind="actors", communities=COMM)
    h = nx.read_graphml(path)
    assert h.edges["fr-ngo", "de-ngo"]["shared"] == 1
    assert h.edges["fr-union", "it-union"]["links"] == 1


def test_export_dispatch_and_errors(tmp_path):
    g = dataset_to_graph(Dataset(actors=[Actor("a", "A", "ngo")]))
    assert export.export(g, "gexf", tmp_path / "a.gexf", communities={})[0].exists()
    with pytest.raises(PartnetError, match="unknown export format"):
        export.export(g, "pdf", tmp_path / "a.pdf")
    with pytest.raises(PartnetError, match="is a folder"):
        export.export(g, "xlsx", tmp_path, communities={})
    (tmp_path / "file").write_text("x")
    with pytest.raises(PartnetError, match="not a folder"):
        export.export(g, "csv", tmp_path / "file", communities={})


def test_all_payloads_survive_xlsx_as_text(tmp_path):
    from openpyxl import load_workbook

    g = dataset_to_graph(hostile_dataset())
    path = export.export_xlsx(g, tmp_path / "h.xlsx", communities={})
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
    assert len(all_payloads()) > 10


def test_xlsx_refuses_tables_longer_than_a_sheet(tmp_path, monkeypatch):
    monkeypatch.setattr(export, "_XLSX_MAX_ROWS", 5)
    with pytest.raises(PartnetError, match="export as CSV instead"):
        export.export_xlsx(toy_graph(), tmp_path / "big.xlsx", communities=COMM)
    assert not (tmp_path / "big.xlsx").exists()
