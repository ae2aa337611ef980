"""Exports: GEXF (Gephi), GraphML, a CSV folder and an XLSX workbook, safe against hostile strings.

Spreadsheet exports (CSV, XLSX) neutralise formula injection with `neutralise`: a text cell
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
apostrophe, so Excel, LibreOffice and Google Sheets show it as text instead of running it
(OWASP, "CSV Injection"). Numbers stay numbers, and so does text that is a plain negative
number such as ``-12.5``. XML exports (GEXF, GraphML) drop the characters XML 1.0 cannot hold
and have every value escaped by the XML writer, so the files parse whatever the names contain.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from analysis._tables import actors_frame, with_table_cache
from graph.convert import dataset_to_frames, graph_to_dataset
from graph.errors import PartnetError

__all__ = [
    "FORMATS",
    "actor_metrics",
    "export",
    "export_csv",
    "export_gexf",
    "export_graphml",
    "export_tables",
    "export_xlsx",
    "graph_for_export",
    "neutralise",
    "xml_safe",
]

#: The formats `export` writes.
FORMATS: tuple[str, ...] = ("gexf", "graphml", "csv", "xlsx")

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NEGATIVE_NUMBER = re.compile(r"-(?:\d+(?:[.,]\d+)?|[.,]\d+)(?:[eE][-+]?\d+)?")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_XLSX_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_XLSX_MAX_ROWS = 1_048_576  # rows per sheet, the header included


def neutralise(value: Any) -> Any:
    """Make a spreadsheet cell value inert: text that a spreadsheet would read as a formula gets a leading ``'``.

    Parameters
    ----------
    value : any
        A cell value.

    Returns
    -------
    any
        ``"'" + value`` when ``value`` is a string starting with ``=``, ``+``, ``-``, ``@``, a
        tab or a carriage return — except a plain negative number such as ``"-12.5"``, which
        stays as it is; every other value (numbers, booleans, None, other text) unchanged.

    Notes
    -----
    The defence recommended by OWASP against CSV/formula injection: a leading apostrophe makes
    the cell a text literal in Excel, LibreOffice Calc and Google Sheets. Applied to every text
    cell of the CSV and XLSX exports (a re-import therefore keeps the apostrophe).

    References
    ----------
    .. [1] OWASP Foundation, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection

    Examples
    --------
    >>> neutralise('=HYPERLINK("http://x","y")')
    '\\'=HYPERLINK("http://x","y")'
    >>> neutralise("@SUM(A1)"), neutralise("+1"), neutralise("-2+3")
    ("'@SUM(A1)", "'+1", "'-2+3")
    >>> neutralise("-12.5"), neutralise(-3), neutralise("Caritas")
    ('-12.5', -3, 'Caritas')
    """
    if isinstance(value, str) and value.startswith(_TRIGGERS) and not _NEGATIVE_NUMBER.fullmatch(value):
        return "'" + value
    return value


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (controls other than tab/LF/CR, lone surrogates)."""
    return _XML_ILLEGAL.sub("\ufffd", text)


# ----------------------------------------------------------------------------------------------
# Metrics per actor
# ----------------------------------------------------------------------------------------------
@with_table_cache
def actor_metrics(
    g: nx.MultiDiGraph,
    *,
    communities: pd.DataFrame | pd.Series | Mapping | None = None,
    projection: nx.Graph | None = None,
    centrality: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every actor with its family, centralities, community, distance to a union and cross-border ties.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    communities : DataFrame, Series or mapping, optional
        Actor -> community (default: ``analysis.communities`` with its fixed seed, when available).
    projection : networkx.Graph, optional
        The actor projection (computed when omitted).
    centrality : DataFrame, optional
        ``analysis.centrality.actor_centrality`` of the projection (computed when omitted).

    Returns
    -------
    pandas.DataFrame
        One row per actor, sorted by id: ``id, name, type, family, country, city, scope,
        community`` (nullable integer or text; missing when unknown), ``degree,
        weighted_degree, betweenness, closeness, eigenvector, pagerank, distance_to_union``
        (nullable integer), ``cross_border_ties``, ``isolated`` and ``funder_outside_partnerships``
        (`analysis.isolation.isolation_summary`: the flags the headline figures count).
        ``df.attrs["betweenness_method"]`` says whether betweenness is exact or sampled.

    Notes
    -----
    Collects the measures of `analysis.centrality`, `analysis.communities`,
    `analysis.gaps.distance_to_union` and `analysis.crossborder.cross_border_actors`; see them
    for the methods and references.
    """
    from analysis._tables import default_communities
    from analysis.centrality import actor_centrality
    from analysis.crossborder import cross_border_actors
    from analysis.gaps import community_series, distance_to_union
    from analysis.isolation import isolation_summary
    from analysis.projection import actor_projection

    proj = projection if projection is not None else actor_projection(g)
    cent = centrality if centrality is not None else actor_centrality(proj)
    comm = community_series(communities) if communities is not None else default_communities(g, proj)
    out = actors_frame(g)
    if comm is not None:
        out["community"] = out["id"].map(comm)
        if out["community"].notna().all() or pd.api.types.is_numeric_dtype(out["community"]):
            out["community"] = out["community"].astype("Int64") if _all_int(out["community"]) else out["community"]
    cols = ["degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "pagerank"]
    c = cent.set_index("id")[cols]
    out = out.join(c, on="id")
    out["degree"] = out["degree"].fillna(0).astype(np.int64)
    dist = distance_to_union(g, proj).set_index("actor_id")["distance"]
    out["distance_to_union"] = out["id"].map(dist).astype("Int64")
    xb = cross_border_actors(g, proj).set_index("actor_id")["cross_border_ties"]
    out["cross_border_ties"] = out["id"].map(xb).fillna(0).astype(np.int64)
    iso = isolation_summary(g, projection=proj).set_index("id")
    for flag in ("isolated", "funder_outside_partnerships"):
        out[flag] = out["id"].map(iso[flag]).fillna(False).astype(bool)
    out.attrs["betweenness_method"] = cent.attrs.get("betweenness_method", "")
    return out.reset_index(drop=True)


def _all_int(s: pd.Series) -> bool:
    vals = s.dropna()
    return all(isinstance(v, (int, np.integer)) or (isinstance(v, float) and v.is_integer()) for v in vals)


# ----------------------------------------------------------------------------------------------
# Graph exports
# ----------------------------------------------------------------------------------------------
@with_table_cache
def graph_for_export(
    g: nx.MultiDiGraph,
    *,
    kind: str = "full",
    metrics: pd.DataFrame | None = None,
    communities: pd.DataFrame | pd.Series | Mapping | None = None,
    include_proposed: bool = False,
    projection: nx.Graph | None = None,
) -> nx.Graph:
    """A copy of the graph with clean attribute types for GEXF/GraphML, metrics added to the actors.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    kind : {"full", "actors"}
        ``"full"``: actors and partnerships with every relationship (a ``MultiDiGraph``, edge
        attribute ``relation`` = MEMBER_OF/FUNDS/LINKED_TO/PART_OF, and ``data_source`` for the
        record's ``source``, a name Gephi keeps for the edge's end); ``"actors"``: the actor
        projection (an undirected ``Graph`` with ``weight, shared, newman, links``).
    metrics : DataFrame, optional
        `actor_metrics` (computed when omitted).
    communities : optional
        Passed to `actor_metrics`.
    include_proposed : bool, default False
        Measure the actors with the proposed partnerships (`analysis.status`); the ``"full"`` graph
        holds them either way (with their ``status``), the ``"actors"`` projection only if included.
    projection : networkx.Graph, optional
        The actor graph to use instead of `actor_projection` (e.g. a re-weighted projection or its
        backbone, `analysis.tie_weights`, `analysis.backbone`): the ``"actors"`` graph and the metrics.

    Returns
    -------
    networkx.Graph or networkx.MultiDiGraph
        Node attributes: ``label`` (the name, what Gephi shows), ``node_type`` (Actor or
        Partnership), the record's properties, and for actors the columns of `actor_metrics`.
        Every value is a ``str``, ``int``, ``float`` or ``bool`` — no None (left out), no lists
        (joined with ``"; "``), no NaN (left out) — with a single type per attribute, and text
        holds only characters XML can carry.
    """
    if kind not in ("full", "actors"):
        raise PartnetError(f"unknown graph kind {kind!r}", hint="choose 'full' or 'actors'")
    from analysis.projection import actor_projection
    from analysis.status import analysed_graph

    h = analysed_graph(g, include_proposed=include_proposed)
    proj = projection if projection is not None else (
        actor_projection(h) if kind == "actors" or metrics is None else None)
    if metrics is None:
        metrics = actor_metrics(h, communities=communities, projection=proj)
    per_actor = {r["id"]: r for r in metrics.drop(columns=[c for c in ("name", "type", "family", "country", "city",
                                                                       "scope") if c in metrics.columns])
                 .to_dict("records")}
    src = g if kind == "full" else proj
    out: nx.Graph = nx.MultiDiGraph() if kind == "full" else nx.Graph()
    ids = _clean_ids(src.nodes)
    for n, d in src.nodes(data=True):
        attrs = {k: v for k, v in d.items() if k not in ("label", "id")}
        attrs["node_type"] = d.get("label", "")
        if d.get("label") == "Actor":
            attrs.update({k: v for k, v in per_actor.get(n, {}).items() if k != "id"})
        attrs["label"] = d.get("name") or str(n)
        out.add_node(ids[n], **_clean_attrs(attrs))
    if kind == "full":
        for u, v, k, d in src.edges(keys=True, data=True):
            attrs = {key: val for key, val in d.items() if key not in ("type", "id", "label", "source")}
            attrs["relation"] = d.get("type", "")
            if "source" in d:  # Gephi's edge table has its own Source column
                attrs["data_source"] = d["source"]
            out.add_edge(ids[u], ids[v], key=xml_safe(str(k)), **_clean_attrs(attrs))
    else:
        for u, v, d in src.edges(data=True):
            out.add_edge(ids[u], ids[v], **_clean_attrs(d))
    _unify_types(out)
    return out


def export_gexf(g: nx.MultiDiGraph, path: str | Path, *, kind: str = "full", **kw: Any) -> Path:
    """Write the graph (`graph_for_export`) as GEXF 1.2, the format Gephi opens, with the provenance in
    ``<meta>`` (`analysis.export_provenance.graph_metadata`); return the path."""
    from analysis.export_provenance import graph_metadata, write_gexf_with_meta

    h = graph_for_export(g, kind=kind, **kw)
    path = Path(path)
    _parent(path)
    return write_gexf_with_meta(h, path, {k: xml_safe(v) for k, v in graph_metadata(g).items()})


def export_graphml(g: nx.MultiDiGraph, path: str | Path, *, kind: str = "full", **kw: Any) -> Path:
    """Write the graph (`graph_for_export`) as GraphML with the provenance as graph-level data keys
    (`analysis.export_provenance.graph_metadata`); return the path."""
    from analysis.export_provenance import graph_metadata

    h = graph_for_export(g, kind=kind, **kw)
    h.graph.update({k: xml_safe(v) for k, v in graph_metadata(g).items()})
    path = Path(path)
    _parent(path)
    nx.write_graphml(h, path)
    return path


# ----------------------------------------------------------------------------------------------
# Table exports
# ----------------------------------------------------------------------------------------------
@with_table_cache
def export_tables(g: nx.MultiDiGraph, *, metrics: pd.DataFrame | None = None, include_proposed: bool = False,
                  min_members: int = 2, **kw: Any) -> dict[str, pd.DataFrame]:
    """The tables the CSV and XLSX exports write: the five import-format tables (the whole data,
    proposals included), ``actor_metrics`` (of `analysis.status.analysed_graph`),
    ``partnership_gaps`` (`analysis.composition.partnership_gaps`: which partnerships the headline
    shares count) and ``sources``; the record tables and ``actor_metrics`` carry a ``dataset``
    column (`analysis.export_provenance`)."""
    from analysis.composition import partnership_gaps
    from analysis.export_provenance import add_dataset_columns, sources_frame
    from analysis.status import analysed_graph

    frames = dataset_to_frames(graph_to_dataset(g))
    frames["actors"] = frames["actors"].drop(columns=["family"])  # derived; not an import column
    h = analysed_graph(g, include_proposed=include_proposed)
    frames["actor_metrics"] = metrics if metrics is not None else actor_metrics(h, **kw)
    frames["partnership_gaps"] = partnership_gaps(g, include_proposed=include_proposed, min_members=min_members)
    frames = add_dataset_columns(g, frames)
    frames["sources"] = sources_frame(g)
    return frames


def export_csv(g: nx.MultiDiGraph, folder: str | Path, *, excel: bool = False, **kw: Any) -> list[Path]:
    """Write a folder of UTF-8 CSV files: the import-format tables, ``actor_metrics.csv``,
    ``partnership_gaps.csv`` and ``sources.csv`` (`export_tables`), every text cell passed
    through `neutralise`; return the files.

    ``excel=True`` writes them for a double-click in a French, German or Italian Excel: UTF-8
    with a byte-order mark (so accents are read as UTF-8) and ``;`` between the fields (the list
    separator where the decimal separator is a comma)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise PartnetError(f"{folder} exists and is not a folder", hint="give a folder path for the CSV export")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in export_tables(g, **kw).items():
        p = folder / f"{name}.csv"
        # CRLF line ends (RFC 4180) so that a field holding a lone CR is quoted too
        _neutralised(df).to_csv(p, index=False, encoding="utf-8-sig" if excel else "utf-8",
                                sep=";" if excel else ",", lineterminator="\r\n")
        written.append(p)
    return written


def export_xlsx(g: nx.MultiDiGraph, path: str | Path, **kw: Any) -> Path:
    """Write an XLSX workbook, one sheet per table of the CSV export, every text cell passed
    through `neutralise` and stripped of the control characters XLSX cannot hold; return the path."""
    from openpyxl import Workbook

    path = Path(path)
    _parent(path)
    tables = export_tables(g, **kw)
    too_long = [(name, len(df)) for name, df in tables.items() if len(df) >= _XLSX_MAX_ROWS]
    if too_long:
        name, n = too_long[0]
        raise PartnetError(f"the {name} table has {n:,} rows; an XLSX sheet holds at most {_XLSX_MAX_ROWS - 1:,}",
                           hint="export as CSV instead: partnet export --format csv OUT")
    wb = Workbook(write_only=True)
    for name, df in tables.items():
        ws = wb.create_sheet(title=name[:31])
        ws.append([str(c) for c in df.columns])
        for row in _neutralised(df).itertuples(index=False, name=None):
            ws.append([_xlsx_value(v) for v in row])
    wb.save(path)
    return path


def export(g: nx.MultiDiGraph, fmt: str, out: str | Path, **kw: Any) -> list[Path]:
    """Export ``g`` in format ``fmt`` (one of `FORMATS`) to ``out`` (a file, or a folder for CSV)."""
    if fmt not in FORMATS:
        raise PartnetError(f"unknown export format {fmt!r}", hint=f"choose one of {', '.join(FORMATS)}")
    if fmt == "csv":
        return export_csv(g, out, **kw)
    if fmt in ("gexf", "graphml"):
        kw.pop("min_members", None)  # a graph export has no composition shares
    writer = {"gexf": export_gexf, "graphml": export_graphml, "xlsx": export_xlsx}[fmt]
    return [writer(g, out, **kw)]


# ----------------------------------------------------------------------------------------------
def _parent(path: Path) -> None:
    if path.exists() and path.is_dir():
        raise PartnetError(f"{path} is a folder", hint="give a file name, e.g. network.gexf")
    path.parent.mkdir(parents=True, exist_ok=True)


def _neutralised(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[c]) or pd.api.types.is_bool_dtype(out[c])):
            out[c] = out[c].astype(object).map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def _xlsx_value(v: Any) -> Any:
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and math.isinf(v):
        return str(v)
    if isinstance(v, str):
        return _XLSX_ILLEGAL.sub("\ufffd", v)
    if isinstance(v, (list, tuple)):
        return neutralise("; ".join(map(str, v)))
    return v


def _clean_ids(nodes) -> dict:
    out, used = {}, set()
    for n in sorted(nodes, key=str):
        cid = xml_safe(str(n))
        base, i = cid, 1
        while cid in used:
            i += 1
            cid = f"{base}~{i}"
        used.add(cid)
        out[n] = cid
    return out


def _clean_attrs(d: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in d.items():
        if v is None or v is pd.NA:
            continue
        if isinstance(v, np.generic):
            v = v.item()
        if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
            continue
        if isinstance(v, (list, tuple, set, frozenset)):
            v = "; ".join(str(x) for x in v)
        if not isinstance(v, (str, int, float, bool)):
            v = str(v)
        if isinstance(v, str):
            v = xml_safe(v)
        out[xml_safe(str(k))] = v
    return out


def _unify_types(h: nx.Graph) -> None:
    """Give every attribute one type across nodes (and across edges): int+float -> float, else str."""
    for items in (list(h.nodes(data=True)), [d for *_, d in h.edges(data=True)]):
        dicts = [d for _, d in items] if items and isinstance(items[0], tuple) else items
        kinds: dict[str, set[type]] = {}
        for d in dicts:
            for k, v in d.items():
                kinds.setdefault(k, set()).add(type(v))
        for k, ts in kinds.items():
            if len(ts) <= 1:
                continue
            target = float if ts <= {int, float} else str
            for d in dicts:
                if k in d:
                    d[k] = target(d[k])
