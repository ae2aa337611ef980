"""Injection: hostile values round-trip exactly through both stores and never change a query's structure.

- every payload kind of `tests/hostile.py` is written and read back exactly, by both stores;
- query text is never built from values: an AST scan of every package finds each call that
  runs SQL or Cypher, and any query text that is not a constant may only interpolate names
  from a short reviewed list of fixed identifiers (table and column names from the schema);
- every Cypher statement names only allow-listed labels, relationship types and properties;
- labels, relationship types and property keys a user can choose go through
  `graph.model.check_label` / `check_relationship_type` / `check_property`, which refuse others.
"""

from __future__ import annotations

import ast
import re
import subprocess

import pytest
from hostile import INJECTION_KINDS, PAYLOADS, all_payloads, hostile_dataset
from safety import ROOT, big_dataset, fingerprint

from graph import cypher
from graph.backup import dataset_fingerprint
from graph.convert import COLUMNS
from graph.model import (
    NODE_LABELS,
    PROPERTY_KEYS,
    RELATIONSHIP_TYPES,
    Dataset,
    check_label,
    check_property,
    check_relationship_type,
)
from graph.store import COUNT_KEYS

PACKAGES = ("graph", "ingest", "analysis", "dashboard", "partnet")


def test_every_injection_kind_is_in_the_hostile_dataset():
    ds = hostile_dataset()
    texts = {a.name for a in ds.actors} | {p.name for p in ds.partnerships}
    assert len(INJECTION_KINDS) >= 10
    for kind, payloads in PAYLOADS.items():
        assert any(p in texts for p in payloads), kind
    assert not any("\x00" in p for p in all_payloads())


def test_hostile_dataset_round_trips_exactly(store, small_dataset):
    store.write(small_dataset)
    before_small = {a.id: a for a in store.read_dataset().actors}
    hostile = hostile_dataset()
    store.write(hostile)
    back = store.read_dataset()
    expected = Dataset(**{t: getattr(small_dataset, t) + getattr(hostile, t) for t in Dataset.TABLES})
    assert back.sorted() == expected.sorted()
    assert fingerprint(store) == dataset_fingerprint(expected)
    assert {a.id: a for a in back.actors if a.id in before_small} == before_small, "nothing else was touched"
    counts = store.counts()
    assert counts["Actor"] == len(expected.actors) and counts["MEMBER_OF"] == len(expected.memberships)
    store.write(hostile)  # idempotent with hostile keys too (MERGE on the exact id)
    assert store.counts() == counts


def test_hostile_values_in_graph_and_frames_views(store):
    hostile = hostile_dataset()
    store.write(hostile)
    g = store.read_graph()
    for a in hostile.actors:
        node = g.nodes[a.id]
        assert (node["name"], node["city"], node["website"], tuple(node["aliases"])) == (
            a.name, a.city, a.website, a.aliases)
    frames = store.read_frames()
    names = set(frames["actors"]["name"]) | set(frames["partnerships"]["name"])
    assert set(all_payloads()) <= names


# -- query text is never built from values -------------------------------------------------------

_QUERY_METHODS = {"execute", "executemany", "executescript", "run", "execute_query", "execute_read", "execute_write"}
#: Names that may be interpolated into query text: fixed table/column names of the schema, never values.
_SAFE_NAMES = {
    ("graph/sqlite_store.py", "table"),  # loops over the fixed tuple of table names / _COLS keys
    ("graph/sqlite_store.py", "_COLS"),
    ("graph/sqlite_store.py", "_TABLE_OF"),
    ("graph/sqlite_store.py", "key"),  # COUNT_KEYS, a constant
    ("graph/backup.py", "page_size"),  # int() of PRAGMA page_size's own answer
    ("graph/backup.py", "int"),
    ("graph/sqlite_datasets.py", "t"),  # loops over the fixed tuple _RECORD_TABLES
    ("graph/sqlite_datasets.py", "select"),  # the fixed column names of that table (_COLS)
    # stored results (graph.results_sqlite): the two fixed result tables, their key columns and the
    # column names of the constant specs ACTOR_RESULTS / PARTNERSHIP_RESULTS / _RUN_COLS
    ("graph/results_sqlite.py", "t"),
    ("graph/results_sqlite.py", "table"),
    ("graph/results_sqlite.py", "key"),
    ("graph/results_sqlite.py", "k"),
    ("graph/results_sqlite.py", "spec"),
    ("graph/results_sqlite.py", "cols"),
    ("graph/results_sqlite.py", "len"),
    ("graph/results_sqlite.py", "_RUN_COLS"),
}


def _python_files():
    for pkg in PACKAGES:
        yield from sorted((ROOT / pkg).rglob("*.py"))


def _interpolated_names(node: ast.AST) -> set[str]:
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.FormattedValue):
            names |= {n.id for n in ast.walk(sub.value) if isinstance(n, ast.Name)}
    return names


def _query_text_problems(path) -> list[str]:
    rel = path.relative_to(ROOT).as_posix()
    tree = ast.parse(path.read_text(), filename=rel)
    problems = []
    for call in ast.walk(tree):
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                and call.func.attr in _QUERY_METHODS and call.args):
            continue
        q = call.args[0]
        where = f"{rel}:{call.lineno}"
        if isinstance(q, ast.JoinedStr):
            bad = {n for n in _interpolated_names(q) if (rel, n) not in _SAFE_NAMES}
            if bad:
                problems.append(f"{where}: query text interpolates {sorted(bad)}")
        elif isinstance(q, ast.BinOp) or (isinstance(q, ast.Call) and isinstance(q.func, ast.Attribute)
                                          and q.func.attr in ("format", "join", "replace")):
            problems.append(f"{where}: query text built with {ast.unparse(q)[:60]}")
    return problems


def test_no_query_text_is_built_from_values():
    files = list(_python_files())
    assert len(files) > 20
    problems = [p for f in files for p in _query_text_problems(f)]
    assert problems == []


def test_the_scan_catches_a_string_built_query(tmp_path):
    """The scanner itself: it flags f-strings with values, concatenation and .format()."""
    bad = ROOT / "graph" / "_scan_probe_tmp.py"
    bad.write_text(
        "def f(con, tx, name):\n"
        "    con.execute(f\"SELECT * FROM actors WHERE name = '{name}'\")\n"
        "    tx.run(\"MATCH (a:Actor {name: '\" + name + \"'}) RETURN a\")\n"
        "    con.execute(\"DELETE FROM {}\".format(name))\n"
        "    con.execute('SELECT * FROM actors WHERE name = ?', (name,))\n")
    try:
        problems = _query_text_problems(bad)
    finally:
        bad.unlink()
    assert len(problems) == 3, problems


def test_sqlite_store_sql_is_parameterised():
    from graph import sqlite_store

    for sql in sqlite_store._UPSERT.values():
        assert "?" in sql and "'" not in sql
        assert set(re.findall(r"INSERT INTO (\w+)", sql)) <= set(sqlite_store._COLS)


# -- Cypher names only allow-listed labels, types and properties ----------------------------------

_META = {"PartnetMeta", "PartnetSource", "PartnetHistory"}
_META_KEYS = {"key", "schema_version", "data_version", "history_seq", "lock",
              # datasets (graph.cypher_datasets): the records' dataset, source documents, history entries
              "dataset", "title", "file", "description", "seq", "at", "action", "files", "counts", "version"}


def _cypher_constants() -> dict[str, str]:
    from graph import cypher_datasets

    out = {}
    for module, name in [(cypher, n) for n in cypher.__all__] + [(cypher_datasets, n)
                                                                  for n in cypher_datasets.__all__]:
        value = getattr(module, name)
        if isinstance(value, str):
            out[name] = value
        elif isinstance(value, dict):
            out |= {f"{name}[{k}]": v for k, v in value.items()}
        else:
            out |= {f"{name}[{i}]": v for i, v in enumerate(value)}
    return out


def _strip_literals(q: str) -> str:
    return re.sub(r"'[^']*'", "''", q)


def test_cypher_uses_only_allow_listed_labels_and_types():
    allowed = set(NODE_LABELS) | set(RELATIONSHIP_TYPES) | _META
    consts = _cypher_constants()
    assert len(consts) >= 20
    for name, q in consts.items():
        used = set(re.findall(r"(?<![\w'\"]):([A-Za-z_]\w*)", _strip_literals(q)))
        assert used <= allowed, (name, used - allowed)
        assert "`" not in q, name


def test_cypher_uses_only_known_property_keys():
    keys = {k for ks in PROPERTY_KEYS.values() for k in ks} | _META_KEYS
    for name, q in _cypher_constants().items():
        text = _strip_literals(q)
        props = set(re.findall(r"\b(?:a|p|n|m|r|x|f|s|t|rp|ra|parent|old)\.(\w+)", text))
        props |= set(re.findall(r"\brow\.(\w+)", text))
        assert props <= keys | {"funder_id", "recipient_id", "actor_id", "partnership_id", "source_id",
                                "target_id"}, (name, props - keys)


def test_cypher_values_only_as_parameters():
    """Cypher constants carry no placeholders a value could be formatted into; values are $parameters."""
    for name, q in _cypher_constants().items():
        assert not re.search(r"\{\d*\}|%[sdr(]|\{[a-z_]+\}", q), name
        assert all(re.fullmatch(r"[a-z_]+", p) for p in re.findall(r"\$(\S+?)\b", q)), name


def test_property_allow_list_matches_the_data_model():
    assert set(PROPERTY_KEYS["Actor"]) == set(COLUMNS["actors"])
    assert set(PROPERTY_KEYS["Partnership"]) == set(COLUMNS["partnerships"])
    assert set(PROPERTY_KEYS["FUNDS"]) == set(COLUMNS["funding"]) - {"funder_id", "recipient_id"}
    assert set(PROPERTY_KEYS["LINKED_TO"]) == set(COLUMNS["links"]) - {"source_id", "target_id"}
    assert set(PROPERTY_KEYS) == set(COUNT_KEYS)


@pytest.mark.parametrize("label", ["Actor", "Partnership"])
def test_allow_listed_labels_pass(label):
    assert check_label(label) == label


@pytest.mark.parametrize("bad", ["actor", "Actor`) DETACH DELETE n //", "PartnetMeta", "", None, 1,
                                 "Actor:Partnership", "Actor\u200b", "ACTOR"])
def test_labels_outside_the_allow_list_are_refused(bad):
    with pytest.raises(ValueError, match="not allowed"):
        check_label(bad)


@pytest.mark.parametrize("bad", ["member_of", "MEMBER_OF]->() DETACH DELETE n //", "KNOWS", ""])
def test_relationship_types_outside_the_allow_list_are_refused(bad):
    assert check_relationship_type("FUNDS") == "FUNDS"
    with pytest.raises(ValueError, match="not allowed"):
        check_relationship_type(bad)


@pytest.mark.parametrize(("owner", "key"), [("Actor", "password"), ("Actor", "name; DROP TABLE actors"),
                                            ("FUNDS", "name"), ("Nope", "id"), ("Partnership", "__class__")])
def test_property_keys_outside_the_allow_list_are_refused(owner, key):
    assert check_property("Actor", "country") == "country"
    with pytest.raises(ValueError, match="not allowed"):
        check_property(owner, key)


# -- secrets stay out of the repository ---------------------------------------------------------------

@pytest.mark.parametrize("path", [".env", "sub/.env", ".neo4j/password", "partnet.db", "partnet.db-wal"])
def test_secrets_and_local_state_are_git_ignored(path):
    r = subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT)
    assert r.returncode == 0, f"{path} is not git-ignored"


def test_no_env_file_is_tracked():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert not [f for f in tracked.splitlines() if f.rsplit("/", 1)[-1] == ".env"]


# -- read-only is enforced where data is written ----------------------------------------------------


def test_read_only_store_refuses_the_dashboard_upload_write_path(store, small_dataset, tmp_path):
    """The Data page's ingest goes through the store's write path: a read-only store refuses it."""
    import io
    import zipfile

    from dashboard.upload import _check, ingest_into
    from graph.neo4j_store import Neo4jStore
    from graph.sqlite_store import SQLiteStore
    from ingest import write_import_files

    store.write(small_dataset)
    before = fingerprint(store)
    folder = tmp_path / "csv"
    write_import_files(big_dataset(30, prefix="up"), folder)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for f in folder.glob("*.csv"):
            z.write(f, f.name)
    work = tmp_path / "work"
    work.mkdir()
    checked = _check("upload.zip", buf.getvalue(), work)
    assert checked.error == "" and checked.path is not None
    ro = SQLiteStore(store.path, read_only=True) if isinstance(store, SQLiteStore) else Neo4jStore(
        store.settings, read_only=True)
    try:
        done = ingest_into(checked, ro)
    finally:
        ro.close()
    assert done.written == {} and "read-only" in done.error
    assert fingerprint(store) == before


def test_neo4j_reads_never_open_a_write_transaction(neo4j_store, small_dataset, monkeypatch):
    """Everything the dashboard and the analyses call on a store runs in read transactions."""
    import neo4j

    neo4j_store.write(small_dataset)
    ro = type(neo4j_store)(neo4j_store.settings, read_only=True)

    def refuse(*args, **kwargs):
        raise AssertionError("a read opened a write transaction")

    monkeypatch.setattr(neo4j.Session, "execute_write", refuse)
    monkeypatch.setattr(neo4j.Session, "begin_transaction", refuse)
    try:
        assert len(ro.read_dataset()) == len(small_dataset)
        ro.read_graph()
        ro.read_frames()
        ro.counts()
        ro.data_version()
        ro.info()
    finally:
        ro.close()
