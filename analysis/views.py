"""Views of the actor–actor graph that the dashboard draws: a filtered selection, an ego network, a
community-aggregated (quotient) graph.

Each function takes an actor graph (usually `analysis.projection.actor_projection`) and returns a
new graph; the input is never modified. Costs grow with the number of nodes and edges kept, never
with the square of the number of actors.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis._tables import joined
from analysis.projection import adjacency
from graph.errors import PartnetError

__all__ = [
    "actor_measure",
    "actor_profile",
    "community_graph",
    "ego_network",
    "graph_facets",
    "partnership_overview",
    "restrict_actors",
    "select_actors",
]


def graph_facets(g: nx.MultiDiGraph) -> dict[str, object]:
    """The values a view of the property graph can be filtered on.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph (``graph.convert.dataset_to_graph``).

    Returns
    -------
    dict
        ``countries`` (sorted ISO codes of actors; ``""`` when some actor has none), ``families``,
        ``kinds`` and ``programmes`` (sorted distinct values), ``partnerships`` (id -> name, sorted by
        name), ``actors`` (id -> name, sorted by name) and ``years`` (``(first, last)`` over the
        partnerships' start and end years, or ``None`` when no year is known).

    Examples
    --------
    >>> from graph.model import Actor, Dataset, Partnership
    >>> from graph.convert import dataset_to_graph
    >>> ds = Dataset(actors=[Actor("a", "A", "ngo", country="FR")],
    ...              partnerships=[Partnership("p", "P", "project", start_year=2002, end_year=2005)])
    >>> f = graph_facets(dataset_to_graph(ds))
    >>> f["countries"], f["families"], f["years"]
    (['FR'], ['ngos'], (2002, 2005))
    """
    countries, families, kinds, programmes, years = set(), set(), set(), set(), []
    actors, parts = {}, {}
    for n, d in g.nodes(data=True):
        if d.get("label") == "Actor":
            countries.add(d.get("country") or "")
            families.add(d.get("family") or "other")
            actors[n] = d.get("name") or n
        elif d.get("label") == "Partnership":
            kinds.add(d.get("kind") or "")
            parts[n] = d.get("name") or n
            years += [y for y in (d.get("start_year"), d.get("end_year")) if y is not None and y == y]
    for _, _, d in g.edges(data=True):
        if d.get("type") == "FUNDS" and d.get("programme"):
            programmes.add(d["programme"])
    return {
        "countries": sorted(countries), "families": sorted(families), "kinds": sorted(k for k in kinds if k),
        "programmes": sorted(programmes),
        "partnerships": dict(sorted(parts.items(), key=lambda kv: (str(kv[1]).casefold(), kv[0]))),
        "actors": dict(sorted(actors.items(), key=lambda kv: (str(kv[1]).casefold(), kv[0]))),
        "years": (int(min(years)), int(max(years))) if years else None,
    }


def select_actors(
    proj: nx.Graph,
    *,
    families: Iterable[str] = (),
    countries: Iterable[str] = (),
    communities: Iterable[int] = (),
    membership: Mapping[str, int] | None = None,
    min_weight: float = 0,
    weight: str = "weight",
    drop_isolates: bool = False,
) -> nx.Graph:
    """The part of an actor graph kept by node and tie filters.

    Parameters
    ----------
    proj : networkx.Graph
        An actor graph whose nodes carry ``family`` and ``country`` (the actor projection).
    families, countries : iterable of str
        Keep only actors of these families / countries (empty: no restriction; ``""`` selects actors
        without a country).
    communities : iterable of int
        Keep only actors whose community in ``membership`` is one of these (empty: no restriction).
    membership : mapping actor -> community, optional
        Needed when ``communities`` is given.
    min_weight : float, default 0
        Drop ties whose ``weight`` attribute is below this (ties without it count as 1).
    drop_isolates : bool, default False
        Drop actors left without any tie.

    Returns
    -------
    networkx.Graph
        A new graph with the kept nodes and ties and all their attributes.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_nodes_from([("a", {"family": "ngos"}), ("b", {"family": "trade_unions"}), ("c", {"family": "ngos"})])
    >>> g.add_edge("a", "b", weight=1); g.add_edge("a", "c", weight=3)
    >>> sorted(select_actors(g, min_weight=2, drop_isolates=True).edges())
    [('a', 'c')]
    """
    fams, ctrs, comms = set(families), set(countries), set(communities)
    if comms and membership is None:
        raise PartnetError("a community filter needs the community membership",
                           hint="pass membership={actor: community} from analysis.communities")
    keep = [
        n for n, d in proj.nodes(data=True)
        if (not fams or d.get("family") in fams)
        and (not ctrs or (d.get("country") or "") in ctrs)
        and (not comms or membership.get(n) in comms)  # type: ignore[union-attr]
    ]
    h = proj.subgraph(keep)
    out = nx.Graph()
    out.add_nodes_from(h.nodes(data=True))
    out.add_edges_from((u, v, d) for u, v, d in h.edges(data=True) if d.get(weight, 1) >= min_weight)
    if drop_isolates:
        out.remove_nodes_from([n for n, deg in out.degree() if deg == 0])
    return out


def ego_network(proj: nx.Graph, actor: str, radius: int = 1) -> nx.Graph:
    """The ego network of ``actor``: every actor within ``radius`` ties of it, and the ties among them.

    Parameters
    ----------
    proj : networkx.Graph
        An actor graph.
    actor : str
        The ego's id.
    radius : int, default 1
        1 (the ego's direct partners) or 2 (their partners too).

    Returns
    -------
    networkx.Graph
        A new graph; each node has ``hops`` (0 for the ego, 1 or 2) besides its own attributes.

    Notes
    -----
    A breadth-first search of depth ``radius`` from the ego (``networkx.ego_graph``); the classical
    ego network of social network analysis [1]_.

    References
    ----------
    .. [1] S. P. Borgatti, M. G. Everett and J. C. Johnson, *Analyzing Social Networks*, ch. 15
       "Ego networks", SAGE (2013).

    Examples
    --------
    >>> g = nx.path_graph(["a", "b", "c", "d"])
    >>> sorted(ego_network(g, "b", 1)), ego_network(g, "a", 2).nodes["c"]["hops"]
    (['a', 'b', 'c'], 2)
    """
    if actor not in proj:
        raise PartnetError(f"actor {actor!r} is not in the graph",
                           hint="pick an actor from the list, or clear the filters that hide it")
    if radius < 1:
        raise PartnetError(f"ego radius {radius} must be 1 or more")
    hops = nx.single_source_shortest_path_length(proj, actor, cutoff=radius)
    out = nx.Graph()
    out.add_nodes_from((n, {**proj.nodes[n], "hops": h}) for n, h in hops.items())
    out.add_edges_from((u, v, d) for u, v, d in proj.subgraph(hops).edges(data=True))
    return out


def community_graph(proj: nx.Graph, membership: Mapping[str, int], *, weight: str = "weight") -> nx.Graph:
    """The quotient graph of ``proj`` by ``membership``: one node per community, ties summed.

    Parameters
    ----------
    proj : networkx.Graph
        An actor graph whose nodes carry ``family`` and ``country``.
    membership : mapping actor -> community id
        Actors missing from it are put in community ``-1``.
    weight : str, default "weight"
        Edge attribute summed (ties without it count as 1).

    Returns
    -------
    networkx.Graph
        Nodes are community ids with ``size`` (actors), ``internal`` (summed weight of the ties
        inside), ``top_countries`` and ``top_families`` (the three most frequent, as
        ``"FR 12, BE 5"``), and ``members`` (up to five member ids, the most connected first).
        Edges carry ``weight`` (summed weight of the ties between the two communities) and
        ``ties`` (their number).

    Notes
    -----
    The aggregation step of the Louvain method [1]_ (the "block" or quotient graph): computed with
    one pandas group-by over the edge list, linear in the number of ties.

    References
    ----------
    .. [1] V. D. Blondel, J.-L. Guillaume, R. Lambiotte and E. Lefebvre, "Fast unfolding of
       communities in large networks", J. Stat. Mech. P10008 (2008).

    Examples
    --------
    >>> g = nx.Graph([("a", "b", {"weight": 2}), ("b", "c", {"weight": 1}), ("c", "d", {"weight": 1})])
    >>> q = community_graph(g, {"a": 0, "b": 0, "c": 1, "d": 1})
    >>> q.nodes[0]["size"], q.nodes[0]["internal"], q.edges[0, 1]["weight"]
    (2, 2.0, 1.0)
    """
    ids, a = adjacency(proj, None)
    nodes = pd.DataFrame({"id": pd.Series(ids, dtype=object)})
    nodes["community"] = np.array([membership.get(n, -1) for n in ids], dtype=np.int64)
    nodes["country"] = pd.Series([proj.nodes[n].get("country") or "—" for n in ids], dtype=object)
    nodes["family"] = pd.Series([proj.nodes[n].get("family") or "—" for n in ids], dtype=object)
    nodes["degree"] = np.diff(a.indptr) + (a.diagonal() != 0)
    out = nx.Graph()
    if not len(nodes):
        return out
    best = nodes.sort_values(["community", "degree", "id"], ascending=[True, False, True], kind="stable")
    best = best[best.groupby("community").cumcount() < 5]
    top_members = best.groupby("community", sort=True)["id"].agg(list)
    sizes = nodes.groupby("community", sort=True).size()
    countries, families = _top_by(nodes, "country"), _top_by(nodes, "family")
    for c, size in sizes.items():
        out.add_node(int(c), size=int(size), internal=0.0, members=top_members[c],
                     top_countries=countries.get(c, ""), top_families=families.get(c, ""))
    _, w = adjacency(proj, weight)
    up = sp.triu(w, k=0).tocoo()  # each tie once (a self-loop too)
    if up.nnz:
        comm = nodes["community"].to_numpy()
        cu, cv = comm[up.row], comm[up.col]
        edges = pd.DataFrame({"a": np.minimum(cu, cv), "b": np.maximum(cu, cv), "w": up.data.astype(float)})
        agg = edges.groupby(["a", "b"], sort=True)["w"].agg(["sum", "count"]).reset_index()
        for a_, b_, s_, cnt in agg.itertuples(index=False, name=None):
            if a_ == b_:
                out.nodes[int(a_)]["internal"] = float(s_)
            else:
                out.add_edge(int(a_), int(b_), weight=float(s_), ties=int(cnt))
    return out


def _top_by(nodes: pd.DataFrame, col: str, k: int = 3) -> dict:
    """Per community: the ``k`` most frequent values of ``col`` as ``"FR 12, BE 5"`` (ties by value)."""
    counts = nodes.groupby(["community", col], sort=True).size().reset_index(name="n")
    counts = counts.sort_values(["community", "n", col], ascending=[True, False, True], kind="stable")
    counts = counts[counts.groupby("community").cumcount() < k]
    labels = counts[col].astype(str) + " " + counts["n"].astype(str)
    return joined(counts["community"], labels).to_dict()


def actor_profile(g: nx.MultiDiGraph, actor: str) -> dict[str, pd.DataFrame]:
    """What the property graph records about one actor.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    actor : str
        The actor's id.

    Returns
    -------
    dict of DataFrame
        ``properties``: ``field, value`` rows (name, aliases, type, family, country, city, scope,
        website, source, section; empty values left out); ``partnerships``: ``partnership_id, name,
        kind, role`` of its memberships (sorted by name); ``funding``: ``direction`` ("funds" or
        "funded by"), ``other_id``, ``other``, ``programme``, ``amount``; ``links``: ``other_id``,
        ``other``, ``kind``, ``year``.

    Examples
    --------
    >>> from graph.model import Actor, Dataset, Membership, Partnership
    >>> from graph.convert import dataset_to_graph
    >>> ds = Dataset(actors=[Actor("a", "A", "ngo", city="Gent")], partnerships=[Partnership("p", "P", "project")],
    ...              memberships=[Membership("a", "p", "lead")])
    >>> prof = actor_profile(dataset_to_graph(ds), "a")
    >>> prof["partnerships"][["name", "role"]].values.tolist()
    [['P', 'lead']]
    """
    if actor not in g or g.nodes[actor].get("label") != "Actor":
        raise PartnetError(f"actor {actor!r} is not in the graph", hint="pick an actor from the list")
    d = g.nodes[actor]
    fields = ("name", "aliases", "type", "family", "country", "city", "scope", "website", "source", "section")
    props = []
    for f in fields:
        v = d.get(f)
        if isinstance(v, list | tuple):
            v = "; ".join(map(str, v))
        if v not in (None, ""):
            props.append((f, str(v)))
    memberships, funding, links = [], [], []
    for _, p, e in g.out_edges(actor, data=True):
        t = e.get("type")
        if t == "MEMBER_OF":
            pd_ = g.nodes[p]
            memberships.append((p, pd_.get("name") or p, pd_.get("kind") or "", e.get("role") or ""))
        elif t == "FUNDS":
            funding.append(("funds", p, g.nodes[p].get("name") or p, e.get("programme") or "", e.get("amount")))
        elif t == "LINKED_TO":
            links.append((p, g.nodes[p].get("name") or p, e.get("kind") or "", e.get("year")))
    for u, _, e in g.in_edges(actor, data=True):
        t = e.get("type")
        if t == "FUNDS":
            funding.append(("funded by", u, g.nodes[u].get("name") or u, e.get("programme") or "", e.get("amount")))
        elif t == "LINKED_TO":
            links.append((u, g.nodes[u].get("name") or u, e.get("kind") or "", e.get("year")))
    parts = pd.DataFrame(memberships, columns=["partnership_id", "name", "kind", "role"])
    return {
        "properties": pd.DataFrame(props, columns=["field", "value"]),
        "partnerships": parts.sort_values(["name", "partnership_id"], key=lambda s: s.str.casefold(),
                                          ignore_index=True),
        "funding": pd.DataFrame(funding, columns=["direction", "other_id", "other", "programme", "amount"]),
        "links": pd.DataFrame(links, columns=["other_id", "other", "kind", "year"]),
    }


def restrict_actors(g: nx.MultiDiGraph, actors: Iterable[str]) -> nx.MultiDiGraph:
    """The property graph with only the given actors (every partnership kept), for exporting a view.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph (possibly already filtered with `analysis.projection.filter_graph`).
    actors : iterable of str
        The actor ids to keep; other actors and their relationships are dropped.

    Returns
    -------
    networkx.MultiDiGraph
        A new graph: the kept actors, every non-actor node, and the relationships among them;
        partnerships left without any kept member are dropped.

    Examples
    --------
    >>> from graph.model import Actor, Dataset, Membership, Partnership
    >>> from graph.convert import dataset_to_graph
    >>> ds = Dataset(actors=[Actor("a", "A", "ngo"), Actor("b", "B", "ngo")],
    ...              partnerships=[Partnership("p", "P", "project"), Partnership("q", "Q", "project")],
    ...              memberships=[Membership("a", "p"), Membership("b", "q")])
    >>> sorted(restrict_actors(dataset_to_graph(ds), ["a"]))
    ['a', 'p']
    """
    keep = set(actors)
    nodes = [n for n, d in g.nodes(data=True) if d.get("label") != "Actor" or n in keep]
    h = g.subgraph(nodes)
    with_members = {v for u, v, d in h.edges(data=True) if d.get("type") == "MEMBER_OF"}
    drop = [n for n, d in h.nodes(data=True) if d.get("label") == "Partnership" and n not in with_members]
    return g.subgraph([n for n in nodes if n not in set(drop)]).copy()


def partnership_overview(g: nx.MultiDiGraph) -> pd.DataFrame:
    """One row per partnership with its years, members' countries and families, and funding.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.

    Returns
    -------
    pandas.DataFrame
        ``partnership_id, name, kind, level, start_year, end_year, parent_id, members, countries,
        n_countries, cross_border`` (from `analysis.crossborder.partnership_countries`), ``present,
        missing, completeness, has_union`` (from `analysis.gaps.family_presence`), ``funders``
        (number), ``amount`` (known total), ``hhi`` and ``single_funder`` (from
        `analysis.funding.funding_concentration`; empty for unfunded partnerships); sorted by name.

    Notes
    -----
    A join on the partnership id of the three analyses named above; see them for the methods.
    """
    from analysis.crossborder import partnership_countries
    from analysis.funding import funding_concentration
    from analysis.gaps import family_presence

    rows = [(n, d.get("level") or "", d.get("start_year"), d.get("end_year"), d.get("parent_id") or "")
            for n, d in g.nodes(data=True) if d.get("label") == "Partnership"]
    base = pd.DataFrame(rows, columns=["partnership_id", "level", "start_year", "end_year", "parent_id"])
    for c in ("start_year", "end_year"):
        base[c] = pd.array([None if v is None or v != v else int(v) for v in base[c]], dtype="Int64")
    fam = family_presence(g)
    fam["has_union"] = fam["trade_unions"] > 0
    xb = partnership_countries(g)[["partnership_id", "countries", "n_countries", "cross_border"]]
    fund = funding_concentration(g)[["recipient_id", "funders", "amount", "hhi", "single_funder"]]
    out = (fam[["partnership_id", "name", "kind", "members", "present", "missing", "completeness", "has_union"]]
           .merge(base, on="partnership_id", how="left")
           .merge(xb, on="partnership_id", how="left")
           .merge(fund.rename(columns={"recipient_id": "partnership_id"}), on="partnership_id", how="left"))
    out["funders"] = out["funders"].fillna(0).astype("int64")
    cols = ["partnership_id", "name", "kind", "level", "start_year", "end_year", "parent_id", "members", "countries",
            "n_countries", "cross_border", "present", "missing", "completeness", "has_union", "funders", "amount",
            "hhi", "single_funder"]
    return out[cols].sort_values(["name", "partnership_id"], key=lambda s: s.astype(str).str.casefold(),
                                 ignore_index=True)


MEASURES: tuple[str, ...] = ("degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "pagerank")


def actor_measure(proj: nx.Graph, measure: str = "degree", *, weight: str = "weight", seed: int = 0) -> dict:
    """One centrality of every actor, computing only that one (to size the nodes of a drawing).

    Parameters
    ----------
    proj : networkx.Graph
        The actor projection.
    measure : str
        One of ``degree`` (contacts), ``weighted_degree``, ``betweenness``, ``closeness``,
        ``eigenvector``, ``pagerank``.
    weight : str
        The tie weight for the weighted measures.
    seed : int
        Seed of the sampled betweenness/closeness on large graphs.

    Returns
    -------
    dict
        Actor -> value, the same values as the column of `analysis.centrality.actor_centrality`.

    Notes
    -----
    Betweenness, closeness and eigenvector come from `analysis.centrality` (exact or sampled by the
    same size threshold; see there for methods and references); PageRank is
    ``networkx.pagerank`` with damping 0.85 [1]_. Degree costs O(n + m); the full table of
    `analysis.centrality.actor_centrality` costs seconds to minutes on large graphs, which a
    drawing sized by degree need not wait for.

    References
    ----------
    .. [1] S. Brin and L. Page, "The anatomy of a large-scale hypertextual Web search engine",
       Computer Networks and ISDN Systems 30, 107–117 (1998).

    Examples
    --------
    >>> actor_measure(nx.path_graph(["a", "b", "c"]), "degree")
    {'a': 1, 'b': 2, 'c': 1}
    """
    from analysis import centrality

    if measure == "degree":
        return dict(proj.degree())
    if measure == "weighted_degree":
        return dict(proj.degree(weight=weight))
    if measure == "betweenness":
        return centrality.betweenness(proj, seed=seed)[0]
    if measure == "closeness":
        return centrality.closeness(proj, seed=seed)[0]
    if measure == "eigenvector":
        return centrality.eigenvector(proj, weight=weight)
    if measure == "pagerank":
        return nx.pagerank(proj, weight=weight, tol=1e-10, max_iter=10_000) if len(proj) else {}
    raise PartnetError(f"unknown centrality measure {measure!r}", hint=f"choose one of {', '.join(MEASURES)}")
