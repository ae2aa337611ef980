"""Hostile data in everything partnet produces: exports, the HTML report, the analysis printout.

The store holds `tests/hostile.py`'s dataset (script tags, event handlers, javascript: URLs,
entities, Cypher and SQL fragments, formulas, bidi overrides, emoji, control characters).
- XLSX: openpyxl finds no formula cell, and every text cell still carries its payload;
- CSV: no cell starts with a formula trigger (= + - @ tab CR) unless it is a plain number;
- GEXF and GraphML: well-formed XML, parsed with defusedxml, holding the names as text;
- the HTML report: no element, attribute or URL that the data brought in (parsed, compared
  with the report of a harmless dataset), every payload shown as text;
- nothing printed carries a raw terminal escape sequence.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hostile import PAYLOADS, hostile_dataset
from safety import TRACEBACK, run_cli

from graph.sqlite_store import SQLiteStore

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")


def _xml_text(s: str) -> str:
    """XML 1.0 cannot hold most control characters: exports may drop or replace them (U+FFFD), and XML
    parsers normalise line ends; compare texts without them."""
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in s if c in "\t\n" or (unicodedata.category(c) != "Cc" and c != "\ufffd"))


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("hostile") / "h.db"
    with SQLiteStore(db) as st:
        st.write(hostile_dataset())
    return db


@pytest.fixture(scope="module")
def harmless_db(tmp_path_factory) -> Path:
    """A store with a small dataset free of payloads: the report's own structure to compare with."""
    from graph.model import Actor, Dataset, Funding, Membership, Partnership

    db = tmp_path_factory.mktemp("harmless") / "s.db"
    ds = Dataset(actors=[Actor(id="a", name="Union A", type="trade_union", country="FR"),
                         Actor(id="b", name="City B", type="local_authority", country="DE"),
                         Actor(id="c", name="NGO C", type="ngo", country="IT"),
                         Actor(id="ec", name="European Commission", type="eu_institution", scope="european")],
                 partnerships=[Partnership(id="p", name="P", kind="project"),
                               Partnership(id="q", name="Q", kind="pact", parent_id="p")],
                 memberships=[Membership("a", "p"), Membership("b", "p"), Membership("c", "q")],
                 funding=[Funding("ec", "p", "AMIF", 1000.0, "EUR")])
    with SQLiteStore(db) as st:
        st.write(ds)
    return db


def _export(db: Path, out: Path, fmt: str) -> Path:
    r = run_cli("export", "--format", fmt, str(out), "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert TRACEBACK not in r.stderr
    return out


def test_xlsx_export_has_no_formula_cell(hostile_db, tmp_path):
    import openpyxl

    path = _export(hostile_db, tmp_path / "out.xlsx", "xlsx")
    wb = openpyxl.load_workbook(path)
    cells = [c for ws in wb for row in ws.iter_rows() for c in row]
    assert len(cells) > 500
    formulas = [(c.parent.title, c.coordinate, c.value) for c in cells if c.data_type == "f"]
    assert formulas == []
    texts = {str(c.value) for c in cells if c.value is not None}
    for payload in PAYLOADS["formula"]:
        assert any(payload.strip() in t for t in texts), payload
    for payload in PAYLOADS["script_tag"] + PAYLOADS["cypher"]:
        assert payload in texts, payload


def test_csv_export_neutralises_formulas(hostile_db, tmp_path):
    folder = _export(hostile_db, tmp_path / "out", "csv")
    files = sorted(folder.glob("*.csv"))
    assert {f.name for f in files} >= {"actors.csv", "partnerships.csv", "actor_metrics.csv"}
    seen = 0
    for f in files:
        with open(f, newline="", encoding="utf-8-sig") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    seen += 1
                    if cell.startswith(FORMULA_START) and not NUMBER.fullmatch(cell):
                        pytest.fail(f"{f.name}: cell would run as a formula: {cell!r}")
    assert seen > 500
    names = (folder / "actors.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in names and "<script>alert('xss-script')</script>" in names


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_graph_exports_are_valid_xml_holding_the_text(hostile_db, tmp_path, fmt):
    from defusedxml import ElementTree

    path = _export(hostile_db, tmp_path / f"out.{fmt}", fmt)
    root = ElementTree.parse(path).getroot()  # raises on malformed XML
    texts = set()
    for el in root.iter():
        texts |= {_xml_text(v) for v in el.attrib.values()}
        if el.text:
            texts.add(_xml_text(el.text))
    for a in hostile_dataset().actors:
        assert _xml_text(a.name) in texts, a.name


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[tuple[str, str | None], ...]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, tuple(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(html: str) -> _Tags:
    p = _Tags()
    p.feed(html)
    return p


def test_html_report_shows_hostile_data_as_text(hostile_db, harmless_db, tmp_path):
    r = run_cli("report", str(tmp_path / "h.html"), "--db", str(hostile_db), "--title", "<script>alert('t')</script>")
    assert r.returncode == 0, r.stderr
    r = run_cli("report", str(tmp_path / "s.html"), "--db", str(harmless_db))
    assert r.returncode == 0, r.stderr
    hostile = _parse((tmp_path / "h.html").read_text(encoding="utf-8"))
    harmless = _parse((tmp_path / "s.html").read_text(encoding="utf-8"))
    allowed_tags = {t for t, _ in harmless.tags} | {"tr", "td", "th", "li", "span", "div", "p", "tbody", "thead"}
    injected = {"img", "svg", "body", "iframe", "object", "embed", "a", "form", "input", "base", "meta", "link"}
    for tag, attrs in hostile.tags:
        assert tag in allowed_tags or tag not in injected | {"script"}, (tag, attrs)
        for name, value in attrs:
            assert not name.lower().startswith("on"), (tag, name, value)
            v = (value or "").strip().lower()
            assert not v.startswith(("javascript:", "data:text/html", "vbscript:")), (tag, name, value)
            assert "evil.example" not in v, (tag, name, value)
    scripts_h = sum(1 for t, _ in hostile.tags if t == "script")
    scripts_s = sum(1 for t, _ in harmless.tags if t == "script")
    assert scripts_h == scripts_s, "the data must not bring a script element"
    text = "".join(hostile.text)
    shown = [p for kind in ("script_tag", "event_handler", "javascript_url", "html_entity")
             for p in PAYLOADS[kind] if p in text]
    assert len(shown) >= 8, shown  # the ranked tables show most of them - as text
    assert "<script>alert('xss-script')</script>" in text and "'}) DETACH DELETE n //" in text
    assert "<script>alert('t')</script>" in text


def test_analysis_printout_has_no_terminal_escapes(hostile_db):
    r = run_cli("analyse", "--db", str(hostile_db))
    assert r.returncode == 0, r.stderr
    assert TRACEBACK not in r.stderr
    assert "\x1b" not in r.stdout + r.stderr, "an ESC from the data could drive the user's terminal"
