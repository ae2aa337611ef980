"""Partnership status: the analysed view of the graph, without proposed partnerships.

A partnership carries a ``status`` (``active``, ``proposed``, ``ended``, ``unknown``; missing reads
as ``unknown``). A proposal is not a partnership: by default every network measure (the actor
projection and everything computed on it) and every gap share is computed on `analysed_graph`,
the property graph without the proposed partnerships and their MEMBER_OF, PART_OF and FUNDS edges.
The proposals are listed on their own (`proposed_partnerships`) and brought back with
``include_proposed=True`` (``--include-proposed`` on the command line, a toggle in the dashboard).
This module is the one place where that exclusion is made.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from analysis.memo import is_stable, per_graph
from graph.model import STATUSES

__all__ = ["PROPOSED", "STATUSES", "analysed_graph", "proposed_ids", "proposed_partnerships", "status_of"]

PROPOSED = "proposed"


def status_of(d: dict) -> str:
    """The status of a partnership node's attributes ``d``: one of `STATUSES` (missing or unrecognised -> unknown).

    >>> status_of({"status": "proposed"}), status_of({}), status_of({"status": None})
    ('proposed', 'unknown', 'unknown')
    """
    value = d.get("status")
    return value if isinstance(value, str) and value in STATUSES else "unknown"


def proposed_ids(g: nx.MultiDiGraph) -> list[str]:
    """Ids of the partnerships of ``g`` whose status is ``proposed``, sorted."""
    return per_graph(g, ("proposed_ids",), lambda: sorted(
        n for n, d in g.nodes(data=True) if d.get("label") == "Partnership" and status_of(d) == PROPOSED))


def analysed_graph(g: nx.MultiDiGraph, *, include_proposed: bool = False) -> nx.MultiDiGraph:
    """The property graph the findings are computed on: ``g`` without its proposed partnerships.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph (``graph.convert.dataset_to_graph``).
    include_proposed : bool, default False
        Keep the proposed partnerships (then ``g`` itself is returned).

    Returns
    -------
    networkx.MultiDiGraph
        ``g`` itself when nothing is left out (so that what is remembered per graph is shared);
        otherwise a copy without the proposed partnership nodes, and so without their MEMBER_OF,
        PART_OF (either direction) and FUNDS edges. Every actor stays: an actor tied to the
        network only through a proposal is then isolated. The copy of a frozen graph is frozen
        and remembered with it (`analysis.memo.per_graph`): every analysis of one graph shares
        one view, its projection and its tables.

    Notes
    -----
    A proposal (a pact put forward in a document, a consortium that applied) records who meant
    to take part, not who works together; counting it as a working partnership ties actors who
    never met. Removing the nodes is the induced subgraph on the other nodes (cost O(n + m)).

    Examples
    --------
    >>> from graph.model import Actor, Dataset, Membership, Partnership
    >>> from graph.convert import dataset_to_graph
    >>> g = dataset_to_graph(Dataset(actors=[Actor("a", "A", "ngo"), Actor("b", "B", "ngo")],
    ...                              partnerships=[Partnership("p", "P", "pact")],
    ...                              memberships=[Membership("a", "p"), Membership("b", "p")]))
    >>> nx.set_node_attributes(g, {"p": "proposed"}, "status")
    >>> sorted(analysed_graph(g)), sorted(analysed_graph(g, include_proposed=True))
    (['a', 'b'], ['a', 'b', 'p'])
    """
    if include_proposed:
        return g
    drop = proposed_ids(g)
    if not drop:
        return g
    return per_graph(g, ("analysed_graph",), lambda: _without(g, set(drop)))


def proposed_partnerships(g: nx.MultiDiGraph) -> pd.DataFrame:
    """The proposed partnerships of ``g``, listed on their own.

    Returns
    -------
    pandas.DataFrame
        Sorted by id: ``partnership_id, name, kind, start_year, members`` (recorded MEMBER_OF ties
        to distinct actors) and ``funders`` (distinct actors with a FUNDS edge into it). On an
        `analysed_graph` view, the proposals it left out.
    """
    left_out = g.graph.get(_LEFT_OUT)
    if left_out is not None:
        return left_out.copy()
    rows = []
    for p in proposed_ids(g):
        d = g.nodes[p]
        members = {u for u, _, t in g.in_edges(p, data="type") if t == "MEMBER_OF"}
        funders = {u for u, _, t in g.in_edges(p, data="type") if t == "FUNDS"}
        rows.append((p, str(d.get("name") or p), str(d.get("kind") or ""), d.get("start_year"), len(members),
                     len(funders)))
    df = pd.DataFrame(rows, columns=["partnership_id", "name", "kind", "start_year", "members", "funders"])
    df["start_year"] = df["start_year"].astype("Int64")
    return df.astype({"members": "int64", "funders": "int64"})


_LEFT_OUT = "partnet_proposed_left_out"  # graph attribute of a view: the proposals it left out


def _without(g: nx.MultiDiGraph, drop: set[str]) -> nx.MultiDiGraph:
    h = g.subgraph([n for n in g if n not in drop]).copy()
    h.graph[_LEFT_OUT] = proposed_partnerships(g)
    if is_stable(g):
        nx.freeze(h)
    return h
