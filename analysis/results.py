"""Analysis results to keep in the store, and reading them back instead of recomputing.

`compute_results` gathers the per-actor measures (`analysis.export.actor_metrics`, plus cut vertices
from `analysis.fragility` and Burt's constraint from `analysis.holes`) and the per-partnership
composition (`analysis.composition.partnership_gaps`) into a `graph.results.StoredResults` keyed by
the store's data version and the run's parameters (`results_params`). `cached_results` returns the
stored run when one matches, else computes it (and writes it back when asked); `stored_metrics`
turns stored results into the `actor_metrics` frame the pages and exports use.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from graph.results import StoredResults
from graph.store import Store

__all__ = ["cached_results", "compute_results", "prime", "read_with_results", "results_params", "stored_metrics"]

#: Version of what `compute_results` computes: part of the key, so a change of method invalidates old runs.
RESULTS_FORMAT = 1


def results_params(*, include_proposed: bool = False, min_members: int = 2) -> dict[str, Any]:
    """The parameters a stored run is keyed by (with the data version).

    ``include_proposed`` (proposed partnerships analysed, `analysis.status`) and ``min_members``
    (the evidence basis, `analysis.basis`), plus the fixed settings of the methods (betweenness
    exact up to `analysis.centrality.EXACT_MAX_NODES` nodes, Louvain's seed) and `RESULTS_FORMAT`.
    """
    from analysis._sampling import EXACT_MAX_NODES
    from analysis.communities import DEFAULT_SEED

    return {"include_proposed": bool(include_proposed), "min_members": int(min_members),
            "exact_max_nodes": EXACT_MAX_NODES, "louvain_seed": DEFAULT_SEED, "format": RESULTS_FORMAT}


def compute_results(g: nx.MultiDiGraph, data_version: str, *, include_proposed: bool = False,
                    min_members: int = 2) -> StoredResults:
    """Every result a store keeps, computed on ``g`` (the store's whole graph at ``data_version``).

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The whole property graph (proposals included; they are left out here unless ``include_proposed``).
    data_version : str
        The store's ``data_version()`` when ``g`` was read.
    include_proposed, min_members
        As for ``partnet analyse`` (`results_params`).

    Returns
    -------
    graph.results.StoredResults
        ``actors``: ``id`` and `graph.results.ACTOR_RESULTS` (degree, weighted degree, betweenness,
        closeness, eigenvector, PageRank, community, isolated, articulation point, constraint, distance to a
        union, cross-border ties, funder outside partnerships) for every actor of the analysed graph;
        ``partnerships``: ``id`` and families ``present``/``missing``, ``completeness``, ``in_basis`` and
        ``no_union`` (in the evidence basis and no trade-union member) for every partnership of ``g``.

    Notes
    -----
    No new method: the values are those of `analysis.export.actor_metrics` (see it for the methods and
    references), `analysis.fragility.articulation_points` (Hopcroft & Tarjan), `analysis.holes.structural_holes`
    (Burt 1992) and `analysis.composition.partnership_gaps`.
    """
    from analysis.centrality import actor_centrality
    from analysis.communities import louvain
    from analysis.composition import UNIONS, partnership_gaps
    from analysis.export import actor_metrics
    from analysis.fragility import articulation_points
    from analysis.holes import structural_holes
    from analysis.projection import actor_projection
    from analysis.status import analysed_graph

    h = analysed_graph(g, include_proposed=include_proposed)
    proj = actor_projection(h)
    cent, comm = actor_centrality(proj), louvain(proj)
    actors = actor_metrics(h, projection=proj, centrality=cent, communities=comm)
    method = actors.attrs.get("betweenness_method", "")
    cuts = set(articulation_points(proj, max_listed=0)["id"])
    holes = structural_holes(proj)
    actors["articulation_point"] = actors["id"].isin(cuts)
    actors["constraint"] = actors["id"].map(holes.set_index("id")["constraint"]).astype(float)
    if "community" not in actors.columns:
        actors["community"] = pd.array([pd.NA] * len(actors), dtype="Int64")
    gaps = partnership_gaps(g, include_proposed=include_proposed, min_members=min_members)
    parts = gaps.rename(columns={"partnership_id": "id"})
    parts["in_basis"] = parts["in_basis"].astype(bool)
    parts["no_union"] = parts["in_basis"].to_numpy() & (parts[UNIONS].to_numpy() == 0)
    return StoredResults(
        data_version=data_version, params=results_params(include_proposed=include_proposed, min_members=min_members),
        actors=actors, partnerships=parts,
        methods={"betweenness": method, "closeness": "exact up to exact_max_nodes, sampled above",
                 "communities": "louvain", "constraint": holes.attrs.get("method", "burt"),
                 "articulation_points": "hopcroft-tarjan", "completeness": "five families present / 5",
                 "centrality_attrs": dict(cent.attrs), "louvain_attrs": dict(comm.attrs)},
        created_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"), partnet_version=_version())


def cached_results(store: Store, g: nx.MultiDiGraph | None = None, *, include_proposed: bool = False,
                   min_members: int = 2, write_back: bool = False) -> tuple[StoredResults, bool]:
    """The store's results for these parameters at its current data version, and whether they were stored.

    Reads them from ``store`` when a run with the same data version and parameters is there;
    otherwise computes them with `compute_results` on ``g`` (read from the store when None) and,
    with ``write_back``, keeps them in the store (`graph.store.Store.write_results`).
    """
    version = store.data_version()
    params = results_params(include_proposed=include_proposed, min_members=min_members)
    stored = store.read_results(params)
    if stored is not None:
        return stored, True
    if g is None:
        g = store.read_graph()
    res = compute_results(g, version, include_proposed=include_proposed, min_members=min_members)
    if write_back:
        store.write_results(res)
    return res, False


def read_with_results(store: Store, *, include_proposed: bool = False, min_members: int = 2,
                      write_back: bool = False) -> tuple[nx.MultiDiGraph, StoredResults | None, str]:
    """The store's graph (shared, `analysis.memo.share`) primed with its stored results when they match.

    Returns the graph, the results (None when none match and ``write_back`` is off) and what happened:
    ``"stored"`` (read from the store, nothing recomputed by the analyses `prime` covers),
    ``"written"`` (computed now and written back) or ``"none"``.
    """
    from analysis.memo import share

    version = store.data_version()  # before the read: a write in between makes the write-back refuse
    g = share(store.read_graph())
    params = results_params(include_proposed=include_proposed, min_members=min_members)
    res, state = store.read_results(params), "stored"
    if res is None and write_back:
        res, state = compute_results(g, version, include_proposed=include_proposed, min_members=min_members), \
            "written"
        store.write_results(res)
    if res is None:
        return g, None, "none"
    prime(g, res)
    return g, res, state


def prime(g: nx.MultiDiGraph, stored: StoredResults) -> None:
    """Seed ``g``'s memo (`analysis.memo.remember`) with the centralities and communities of ``stored``.

    ``g`` is the whole shared (frozen) graph; afterwards `analysis.centrality.actor_centrality` and
    `analysis.communities.louvain` of the analysed graph's projection (`analysis.status.analysed_graph`
    with the run's ``include_proposed``) return the stored values instead of recomputing them, so the
    headline, the report, the exports and the dashboard pages read the stored run. Only the betweenness,
    closeness, eigenvector, PageRank and community values are taken; ranks, degree centrality and
    community labels are derived exactly as those functions derive them.
    """
    from analysis._sampling import EXACT_MAX_NODES
    from analysis.centrality import _MEASURES, _rank
    from analysis.communities import DEFAULT_SEED, _describe, _groups, community_label
    from analysis.memo import is_stable, peek, remember
    from analysis.projection import actor_projection, adjacency
    from analysis.status import analysed_graph

    h = analysed_graph(g, include_proposed=bool(stored.params.get("include_proposed")))
    if not (is_stable(g) and is_stable(h)):
        return
    proj = peek(h, ("actor_projection", True))  # the projection the pages use, when already built
    if proj is None:
        proj = actor_projection(h)
    key = ("actor_centrality", "weight", EXACT_MAX_NODES, None, 0)
    if peek(proj, key) is not None:
        return  # already computed or primed
    vals = stored.actors.set_index("id")
    nodes = adjacency(proj, "weight")[0]
    ids = [str(v) for v in nodes]
    if set(ids) != set(vals.index):
        return  # not the graph these results were computed on
    n = len(ids)
    meta = [_describe(proj, v) for v in nodes]
    cent = pd.DataFrame({"id": ids, "name": [m[0] for m in meta], "family": [m[1] for m in meta],
                         "country": [m[2] for m in meta]})
    v = vals.loc[ids]
    cent["degree"] = v["degree"].to_numpy(dtype=np.int64)
    cent["degree_centrality"] = cent["degree"] / (n - 1) if n > 1 else 0.0
    for m in _MEASURES[1:]:
        cent[m] = v[m].to_numpy(dtype=float)
    for m in _MEASURES:
        cent[f"rank_{m}"] = _rank(cent[m])
    ca = stored.methods.get("centrality_attrs") or {}
    b = ca.get("betweenness_method", "exact")
    cent["betweenness_method"] = b if b == "exact" else f"sampled (k={ca.get('betweenness_k')}, seed={ca.get('seed')})"
    cent.attrs.update(ca)
    remember(proj, key, cent)
    if vals["community"].isna().any():
        return
    order = sorted(proj, key=str)
    community = vals.loc[[str(x) for x in order], "community"].to_numpy(dtype=np.int64)
    sizes = np.bincount(community)
    lmeta = [_describe(proj, x) for x in order]
    comm = pd.DataFrame({"id": [str(x) for x in order], "name": [m[0] for m in lmeta],
                         "family": [m[1] for m in lmeta], "country": [m[2] for m in lmeta], "community": community})
    comm["community_size"] = sizes[community]
    labels = [community_label([lmeta[i][2] for i in idx], [lmeta[i][1] for i in idx])
              for idx in _groups(community, len(sizes))]
    comm["label"] = [labels[c] for c in community.tolist()]
    comm.attrs.update(stored.methods.get("louvain_attrs") or {})
    remember(proj, ("louvain", "weight", 1.0, DEFAULT_SEED), comm)


def stored_metrics(g: nx.MultiDiGraph, stored: StoredResults) -> pd.DataFrame:
    """The `analysis.export.actor_metrics` frame of ``g``'s actors from stored results (nothing recomputed).

    The actors' properties come from ``g`` (`analysis._tables.actors_frame`), the measures from
    ``stored``; ``attrs["betweenness_method"]`` is the stored method.
    """
    from analysis._tables import actors_frame

    out = actors_frame(g)
    out = out[out["id"].isin(stored.actors["id"])].reset_index(drop=True)
    vals = stored.actors.set_index("id")
    cols = ["community", "degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "pagerank",
            "distance_to_union", "cross_border_ties", "isolated", "funder_outside_partnerships"]
    out = out.join(vals[cols], on="id")
    if out["community"].isna().all():
        out = out.drop(columns="community")
    out["degree"] = out["degree"].astype(np.int64)
    out.attrs["betweenness_method"] = stored.methods.get("betweenness", "")
    return out.sort_values("id", kind="stable").reset_index(drop=True)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("partnet")
    except PackageNotFoundError:
        return ""
