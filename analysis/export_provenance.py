"""Provenance in the exports and the report: each record's dataset, the source documents, file metadata.

The analysis layer never opens a store. The provenance reaches it through the graph that
`graph.store.Store.read_graph` builds (`graph.convert.dataset_to_graph`): every node and edge
carries ``dataset`` (the named import it belongs to) and ``g.graph["sources"]`` lists the stored
source documents (``dataset, id, title, file, description``). A graph built without them (an
in-memory dataset) gives an empty ``dataset`` column and an empty ``sources`` table.

- CSV/XLSX: a ``dataset`` column on the five import-format tables and on ``actor_metrics``, and
  a ``sources`` table; the cells go through `analysis.export.neutralise` like every other cell.
- GraphML: ``dataset`` on every node and edge, and graph-level ``<data>`` keys ``description``,
  ``creator``, ``datasets`` and ``sources``; GEXF: ``dataset`` on nodes and edges, and the
  ``<meta>`` element's ``<creator>`` and ``<description>``. The XML writer escapes every value
  and `analysis.export.xml_safe` drops the characters XML 1.0 cannot hold.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

__all__ = ["SOURCE_COLUMNS", "add_dataset_columns", "dataset_record_counts", "datasets_frame", "graph_metadata",
           "sources_frame", "write_gexf_with_meta"]

#: The columns of the ``sources`` table, as the stores keep them.
SOURCE_COLUMNS: tuple[str, ...] = ("dataset", "id", "title", "file", "description")
_NODE_TABLE = {"Actor": "actors", "Partnership": "partnerships"}
_EDGE_TABLE = {"MEMBER_OF": "memberships", "FUNDS": "funding", "LINKED_TO": "links"}


def sources_frame(g: nx.MultiDiGraph) -> pd.DataFrame:
    """The source documents the graph carries (``g.graph["sources"]``), one row each.

    Returns
    -------
    pandas.DataFrame
        Columns `SOURCE_COLUMNS` (then any further key a store keeps, in first-seen order), all
        text, sorted by dataset and id; empty with these columns when the graph has no sources.
    """
    rows = [dict(s) for s in g.graph.get("sources") or ()]
    extra = [k for r in rows for k in r if k not in SOURCE_COLUMNS]
    cols = list(SOURCE_COLUMNS) + list(dict.fromkeys(extra))
    df = pd.DataFrame(rows, columns=cols)
    df = df.astype(object).where(df.notna(), "").astype(str) if len(df) else df.astype(str)
    return df.sort_values(["dataset", "id"], kind="stable").reset_index(drop=True)


def _edge_datasets(g: nx.MultiDiGraph) -> dict[str, dict[tuple[Any, ...], str]]:
    out: dict[str, dict[tuple[Any, ...], str]] = {t: {} for t in _EDGE_TABLE.values()}
    for u, v, d in g.edges(data=True):
        t = _EDGE_TABLE.get(d.get("type", ""))
        if t is None or "dataset" not in d:
            continue
        key = (u, v) if t == "memberships" else (u, v, d.get("programme" if t == "funding" else "kind", ""))
        out[t][key] = d["dataset"]
    return out


def add_dataset_columns(g: nx.MultiDiGraph, frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Add a ``dataset`` column (the dataset each record belongs to, ``""`` when unknown) to the tables.

    ``actors``, ``partnerships`` and ``actor_metrics`` are looked up by ``id`` among the nodes;
    ``memberships`` by ``(actor_id, partnership_id)``, ``funding`` by ``(funder_id, recipient_id,
    programme)`` and ``links`` by ``(source_id, target_id, kind)`` among the edges — the record
    keys of `graph.model`, one dictionary lookup per row. Other tables are returned unchanged.
    """
    node_ds = {n: d["dataset"] for n, d in g.nodes(data=True) if "dataset" in d}
    edge_ds = _edge_datasets(g)
    key_cols = {"memberships": ("actor_id", "partnership_id"), "funding": ("funder_id", "recipient_id", "programme"),
                "links": ("source_id", "target_id", "kind")}
    out = dict(frames)
    for name, df in frames.items():
        if name in ("actors", "partnerships", "actor_metrics") and "id" in df.columns:
            col = pd.Series([node_ds.get(i, "") for i in df["id"].tolist()], index=df.index, dtype=object)
        elif name in key_cols and all(c in df.columns for c in key_cols[name]):
            lookup = edge_ds[name]
            keys = zip(*(df[c].tolist() for c in key_cols[name]), strict=True)
            col = pd.Series([lookup.get(k, "") for k in keys], index=df.index, dtype=object)
        else:
            continue
        out[name] = df.assign(dataset=col)
    return out


def dataset_record_counts(g: nx.MultiDiGraph) -> dict[str, dict[str, int]]:
    """Dataset -> records per table (``actors, partnerships, memberships, funding, links``), from the graph's tags.

    Counts nodes by ``label`` and edges by ``type`` (``PART_OF`` is a partnership's field, not a
    record); empty when the graph carries no ``dataset`` tags. Equals `Store.dataset_counts`
    for a graph read from a store.
    """
    tables = ("actors", "partnerships", "memberships", "funding", "links")
    c: Counter[tuple[str, str]] = Counter()
    for _, d in g.nodes(data=True):
        if "dataset" in d and d.get("label") in _NODE_TABLE:
            c[(d["dataset"], _NODE_TABLE[d["label"]])] += 1
    for _, _, d in g.edges(data=True):
        if "dataset" in d and d.get("type") in _EDGE_TABLE:
            c[(d["dataset"], _EDGE_TABLE[d["type"]])] += 1
    out: dict[str, dict[str, int]] = {}
    for (name, table), n in c.items():
        out.setdefault(name, dict.fromkeys(tables, 0))[table] = n
    return dict(sorted(out.items()))


def datasets_frame(g: nx.MultiDiGraph) -> pd.DataFrame:
    """`dataset_record_counts` as a table: one row per dataset, columns ``dataset, actors, partnerships,
    memberships, funding, links, sources`` (source documents of that dataset in ``g.graph["sources"]``)."""
    counts = dataset_record_counts(g)
    docs = Counter(str(s.get("dataset", "")) for s in g.graph.get("sources") or ())
    names = sorted(set(counts) | set(docs))
    tables = ("actors", "partnerships", "memberships", "funding", "links")
    rows = [{"dataset": n, **{t: counts.get(n, {}).get(t, 0) for t in tables}, "sources": docs.get(n, 0)}
            for n in names]
    return pd.DataFrame(rows, columns=["dataset", *tables, "sources"])


def graph_metadata(g: nx.MultiDiGraph) -> dict[str, str]:
    """File-level metadata for the graph exports: ``creator``, ``description``, ``datasets``, ``sources``.

    ``description`` says what the file holds (actors, partnerships, datasets); ``datasets`` is
    ``name (N actors, M partnerships, ...)`` joined with ``"; "``; ``sources`` is
    ``dataset/id: title`` per document joined with ``" | "``. Plain text (escaped by the XML writer).
    """
    from graph.history import partnet_version

    counts = dataset_record_counts(g)
    n_actors = sum(1 for _, d in g.nodes(data=True) if d.get("label") == "Actor")
    n_parts = sum(1 for _, d in g.nodes(data=True) if d.get("label") == "Partnership")
    datasets = "; ".join(f"{name} ({', '.join(f'{n:,} {t}' for t, n in c.items())})" for name, c in counts.items())
    src = sources_frame(g)
    sources = " | ".join(f"{r.dataset}/{r.id}: {r.title}" for r in src.itertuples(index=False))
    desc = (f"partnership network exported by partnet: {n_actors:,} actors, {n_parts:,} partnerships"
            + (f"; datasets: {', '.join(counts)}" if counts else "")
            + (f"; {len(src):,} source documents" if len(src) else ""))
    return {"creator": f"partnet {partnet_version()}", "description": desc, "datasets": datasets,
            "sources": sources}


def write_gexf_with_meta(h: nx.Graph, path: str | Path, meta: dict[str, str]) -> Path:
    """Write ``h`` as GEXF 1.2 (networkx's writer) with ``<meta>`` ``creator``, ``keywords`` (the datasets) and
    ``description`` from ``meta`` (text already passed through `analysis.export.xml_safe`)."""
    writer = nx.readwrite.gexf.GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta_el = writer.xml.find("meta")
    if meta_el is not None:
        creator = meta_el.find("creator")
        if creator is not None:
            creator.text = meta.get("creator", "") + f" (NetworkX {nx.__version__})"
        keywords = meta.get("datasets", "")
        if keywords:
            nx.readwrite.gexf.SubElement(meta_el, "keywords").text = keywords
        desc = meta.get("description", "") + (f". Sources: {meta['sources']}" if meta.get("sources") else "")
        nx.readwrite.gexf.SubElement(meta_el, "description").text = desc
    writer.add_graph(h)
    path = Path(path)
    writer.write(path)
    return path
