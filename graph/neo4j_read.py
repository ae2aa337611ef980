"""The Neo4j store's read path: the whole graph in one statement per table, column-wise.

Each table is read by one ``MATCH ... RETURN collect(x.a) AS a, collect(x.b) AS b, ...`` statement
(`graph.cypher.READ_COLUMNS`): the server sends a single record holding one list per column, so the
driver decodes plain lists (in its Rust extension when installed) instead of building one
``Record`` and one ``dict`` per row. The records are then made by zipping the columns. Measured on
the 100,000-actor synthetic network (507,000 records) on a 2-core machine: the per-row
``RETURN x {.*}`` / ``record.data()`` read took 17.3 s, this one about 4 s (bench/stores.py reports
it beside SQLite's read). Every list is aggregated in the server's transaction memory: about
100 MB at that size, well inside the default 3 GB heap of ``scripts/neo4j-local``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
from collections.abc import Iterator
from typing import Any

import networkx as nx

from graph import cypher
from graph.datasets import DEFAULT_DATASET, Owners
from graph.model import ACTOR_TYPES, Actor, Dataset, Funding, Link, Membership, Partnership

Neo4jStore = Any  # graph.neo4j_store.Neo4jStore (which imports this module)

_PARTNERSHIP_COLUMNS = ("id", "name", "kind", "code", "theme", "level", "start_year", "end_year", "parent_id",
                        "source", "section", "status", "members_complete")

__all__ = ["columns_to_graph", "read_columns", "read_graph", "read_state", "records_from_columns"]


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a read builds millions of acyclic containers.

    Every allocation of a tracked container (list, dict, dataclass) counts towards a collection, and
    each collection walks the ever-growing heap: at 100,000 actors that was half the build time
    (3.5 s against 1.8 s for `columns_to_graph`). Nothing built here forms a cycle; the collector is
    re-enabled (if it was enabled) however the block exits.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def read_columns(tx: Any) -> dict[str, dict[str, list]]:
    """Table -> column -> values, one ``collect`` statement per table (run inside one read transaction)."""
    out: dict[str, dict[str, list]] = {}
    for table, query in cypher.READ_COLUMNS.items():
        record = tx.run(query).single()
        out[table] = dict(zip(record.keys(), record.values(), strict=True)) if record else {}
    return out


def records_from_columns(cols: dict[str, dict[str, list]]) -> tuple[Dataset, Owners]:
    """Typed records and the dataset owning each, from the columns of `read_columns`.

    The statements already read a missing text as ``""`` and a missing number as ``None`` (as the
    SQLite store stores them); aliases become tuples.
    """
    ds, owners = Dataset(), {}
    a = cols["actors"]
    ds.actors = [Actor(id=i, name=n, type=t, aliases=tuple(al), country=c, city=ci, scope=sc, website=w, source=s,
                       section=se)
                 for i, n, t, al, c, ci, sc, w, s, se in zip(
                     a["id"], a["name"], a["type"], a["aliases"], a["country"], a["city"], a["scope"], a["website"],
                     a["source"], a["section"], strict=True)]
    p = cols["partnerships"]
    ds.partnerships = [Partnership(*r) for r in zip(*(p[c] for c in _PARTNERSHIP_COLUMNS), strict=True)]
    for table, cls in (("memberships", Membership), ("funding", Funding), ("links", Link)):
        c = cols[table]
        setattr(ds, table, [cls(*r) for r in zip(*(c[f.name] for f in dataclasses.fields(cls)), strict=True)])
    for table in Dataset.TABLES:
        owners[table] = dict(zip((r.key for r in getattr(ds, table)), cols[table]["dataset"], strict=True))
    return ds, owners


def read_state(store: Neo4jStore) -> tuple[Dataset, Owners]:
    """Every record and its dataset, in one read transaction (see the module docstring)."""
    with _gc_paused():
        return records_from_columns(store._run("read", read_columns))


def _rows(cols: dict[str, list], names: list[str]) -> list[dict[str, Any]]:
    """One property dict per row from the columns ``names`` (built by zipping the column lists)."""
    return [dict(zip(names, values, strict=True)) for values in zip(*(cols[n] for n in names), strict=True)]


def columns_to_graph(cols: dict[str, dict[str, list]],
                     sources: list[dict[str, Any]] | None = None) -> nx.MultiDiGraph:
    """The graph `graph.convert.dataset_to_graph` builds, made straight from the columns of `read_columns`.

    Same nodes, edges, keys and properties (tests/test_neo4j_speed.py compares the two), without the
    intermediate typed records: ``add_nodes_from`` / ``add_edges_from`` over zipped columns. Every
    node and edge carries its ``dataset`` (a ``PART_OF`` edge its partnership's) and, with ``sources``,
    ``g.graph["sources"]`` holds the stored source documents, as `graph.store.Store.read_graph` does.
    """
    g = nx.MultiDiGraph()
    if sources is not None:
        g.graph["sources"] = [dict(x) for x in sources]
    cols = {t: {**c, "dataset": [d or DEFAULT_DATASET for d in c.get("dataset", [])]} for t, c in cols.items()}
    a = dict(cols["actors"])
    a["aliases"] = [list(x) for x in a["aliases"]]
    a["family"] = [ACTOR_TYPES.get(t, "") for t in a["type"]]
    names = [f.name for f in dataclasses.fields(Actor)] + ["family", "dataset"]
    g.add_nodes_from((d["id"], {"label": "Actor", **d}) for d in _rows(a, names))
    p = cols["partnerships"]
    g.add_nodes_from((d["id"], {"label": "Partnership", **d})
                     for d in _rows(p, [*_PARTNERSHIP_COLUMNS, "dataset"]))
    g.add_edges_from((i, par, "PART_OF", {"type": "PART_OF", "dataset": ds})
                     for i, par, ds in zip(p["id"], p["parent_id"], p["dataset"], strict=True) if par)
    m = cols["memberships"]
    g.add_edges_from((u, v, "MEMBER_OF", {"type": "MEMBER_OF", "role": r, "source": s, "section": se, "dataset": ds})
                     for u, v, r, s, se, ds in zip(m["actor_id"], m["partnership_id"], m["role"], m["source"],
                                                   m["section"], m["dataset"], strict=True))
    f = cols["funding"]
    props = ["programme", "amount", "currency", "start_year", "end_year", "source", "section", "dataset"]
    g.add_edges_from((u, v, f"FUNDS:{d['programme']}", {"type": "FUNDS", **d})
                     for u, v, d in zip(f["funder_id"], f["recipient_id"], _rows(f, props), strict=True))
    k = cols["links"]
    g.add_edges_from((u, v, f"LINKED_TO:{d['kind']}", {"type": "LINKED_TO", **d})
                     for u, v, d in zip(k["source_id"], k["target_id"],
                                        _rows(k, ["kind", "year", "source", "section", "dataset"]), strict=True))
    return g


def read_graph(store: Neo4jStore) -> nx.MultiDiGraph:
    """The whole stored graph as `columns_to_graph` builds it, with the sources, read in one read transaction."""
    from graph.cypher_datasets import READ_SOURCES

    def tx_fn(tx: Any) -> tuple[dict[str, dict[str, list]], list[dict[str, Any]]]:
        return read_columns(tx), [r.data() for r in tx.run(READ_SOURCES)]

    with _gc_paused():
        cols, sources = store._run("read", tx_fn)
        return columns_to_graph(cols, sources)
