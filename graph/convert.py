"""Turn a `Dataset` into a NetworkX graph or data frames, and frames back into a `Dataset`.

These are the two views every store gives of its content (``Store.read_graph`` and
``Store.read_frames``); analyses start from the graph.
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import pandas as pd

from graph.datasets import DEFAULT_DATASET, Owners
from graph.model import Actor, Dataset, Funding, Link, Membership, Partnership

__all__ = ["COLUMNS", "dataset_from_frames", "dataset_to_frames", "dataset_to_graph", "graph_to_dataset"]

#: The columns of each table, in the import format's order (actors also carry `family`).
COLUMNS: dict[str, tuple[str, ...]] = {
    "actors": ("id", "name", "aliases", "type", "family", "country", "city", "scope", "website", "source", "section"),
    "partnerships": (
        "id", "name", "kind", "code", "theme", "level", "start_year", "end_year", "parent_id", "source", "section",
        "status", "members_complete",
    ),
    "memberships": ("actor_id", "partnership_id", "role", "source", "section"),
    "funding": (
        "funder_id", "recipient_id", "programme", "amount", "currency", "start_year", "end_year", "source", "section",
    ),
    "links": ("source_id", "target_id", "kind", "year", "source", "section"),
}
_INT_COLUMNS = {"start_year", "end_year", "year"}
_FLAG_COLUMNS = {"members_complete"}
_FLAG_TEXT = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}
_RECORD = {"actors": Actor, "partnerships": Partnership, "memberships": Membership, "funding": Funding, "links": Link}


def dataset_to_graph(ds: Dataset, *, owners: Owners | None = None,
                     sources: list[dict[str, Any]] | None = None) -> nx.MultiDiGraph:
    """Build the property graph of a dataset as a ``networkx.MultiDiGraph``.

    Nodes are keyed by record id and carry ``label`` (``"Actor"`` or ``"Partnership"``) and
    every property (``aliases`` as a list, actors also ``family``). Edges carry ``type``
    (``MEMBER_OF``, ``FUNDS``, ``LINKED_TO``, ``PART_OF``) and the relationship's
    properties; the edge key is the type, plus the programme for ``FUNDS`` and the kind for
    ``LINKED_TO`` so that parallel ties stay distinct.

    Provenance (what `graph.store.Store.read_graph` passes): with ``owners`` (table -> record key
    -> dataset, `Store.read_state`) every node and edge also carries ``dataset`` (a ``PART_OF``
    edge its partnership's); with ``sources`` (`Store.read_sources`) the graph carries them as
    ``g.graph["sources"]``. This is how exports and the report learn the provenance without
    importing a store: the graph is the only thing handed to the analysis layer.
    """
    g = nx.MultiDiGraph()
    if sources is not None:
        g.graph["sources"] = [dict(s) for s in sources]
    own = owners or {}

    def tag(table: str, key: tuple[Any, ...]) -> dict[str, str]:
        name = own.get(table, {}).get(key) if owners is not None else None
        return {"dataset": name or DEFAULT_DATASET} if owners is not None else {}

    for a in ds.actors:
        g.add_node(a.id, label="Actor", **a.as_dict(), **tag("actors", a.key))
    for p in ds.partnerships:
        g.add_node(p.id, label="Partnership", **p.as_dict(), **tag("partnerships", p.key))
    for p in ds.partnerships:
        if p.parent_id:
            g.add_edge(p.id, p.parent_id, key="PART_OF", type="PART_OF", **tag("partnerships", p.key))
    for m in ds.memberships:
        g.add_edge(m.actor_id, m.partnership_id, key="MEMBER_OF", type="MEMBER_OF",
                   role=m.role, source=m.source, section=m.section, **tag("memberships", m.key))
    for f in ds.funding:
        props = f.as_dict()
        del props["funder_id"], props["recipient_id"]
        g.add_edge(f.funder_id, f.recipient_id, key=f"FUNDS:{f.programme}", type="FUNDS", **props,
                   **tag("funding", f.key))
    for lk in ds.links:
        g.add_edge(lk.source_id, lk.target_id, key=f"LINKED_TO:{lk.kind}", type="LINKED_TO",
                   kind=lk.kind, year=lk.year, source=lk.source, section=lk.section, **tag("links", lk.key))
    return g


def graph_to_dataset(g: nx.MultiDiGraph) -> Dataset:
    """Inverse of `dataset_to_graph` (used by exports and tests); the ``dataset`` tags are left out."""
    ds = Dataset()
    for _, d in g.nodes(data=True):
        props = {k: v for k, v in d.items() if k not in ("label", "family", "dataset")}
        if d.get("label") == "Actor":
            ds.actors.append(Actor(**{**props, "aliases": tuple(props.get("aliases") or ())}))
        elif d.get("label") == "Partnership":
            ds.partnerships.append(Partnership(**props))
    for u, v, d in g.edges(data=True):
        props = {k: val for k, val in d.items() if k not in ("type", "dataset")}
        t = d.get("type")
        if t == "MEMBER_OF":
            ds.memberships.append(Membership(actor_id=u, partnership_id=v, **props))
        elif t == "FUNDS":
            ds.funding.append(Funding(funder_id=u, recipient_id=v, **props))
        elif t == "LINKED_TO":
            ds.links.append(Link(source_id=u, target_id=v, **props))
    return ds


def dataset_to_frames(ds: Dataset) -> dict[str, pd.DataFrame]:
    """One data frame per table with the import format's columns.

    ``aliases`` is joined with ``;``; years are nullable integers (``Int64``); ``amount``
    is a float (``NaN`` when unknown); ``members_complete`` is a nullable boolean; every other
    column is a string ("" when empty).
    """
    frames = {}
    for table, cols in COLUMNS.items():
        rows = []
        for rec in getattr(ds, table):
            d = rec.as_dict()
            if table == "actors":
                d["aliases"] = ";".join(d["aliases"])
            rows.append([d[c] for c in cols])
        df = pd.DataFrame(rows, columns=list(cols))
        for c in cols:
            if c in _INT_COLUMNS:
                df[c] = pd.array(df[c].tolist(), dtype="Int64")
            elif c == "amount":
                df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
            elif c in _FLAG_COLUMNS:
                df[c] = pd.array(df[c].tolist(), dtype="boolean")
            else:
                df[c] = df[c].astype(object).where(df[c].notna(), "").astype(str)
        frames[table] = df
    return frames


def _clean(value: Any, column: str) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None if column in _INT_COLUMNS or column in _FLAG_COLUMNS or column == "amount" else ""
    if column in _FLAG_COLUMNS:
        return _FLAG_TEXT.get(str(value).strip().lower()) if isinstance(value, str) else bool(value)
    if column in _INT_COLUMNS:
        return int(value)
    if column == "amount":
        return float(value)
    return str(value)


def dataset_from_frames(frames: dict[str, pd.DataFrame]) -> Dataset:
    """Inverse of `dataset_to_frames`: typed records from frames with the same columns."""
    ds = Dataset()
    for table, cls in _RECORD.items():
        df = frames.get(table)
        if df is None:
            continue
        cols = [c for c in COLUMNS[table] if c != "family" and c in df.columns]
        out = getattr(ds, table)
        for row in df[cols].itertuples(index=False, name=None):
            kw = {c: _clean(v, c) for c, v in zip(cols, row, strict=True)}
            if table == "actors":
                kw["aliases"] = tuple(a for a in kw.get("aliases", "").split(";") if a)
            out.append(cls(**kw))
    return ds
