"""Shape figures of a dataset: sizes, memberships per actor, isolation, cross-border and funding shares,
and the actor network's figures (ties, components, degrees) that a profile is calibrated to."""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from graph.model import Dataset

__all__ = ["describe", "network_figures"]


def describe(ds: Dataset) -> dict[str, float]:
    """Shape figures of a dataset (for checks and the generate command's summary).

    Returns counts per table plus: mean and max memberships per actor, share of isolated actors
    (in no partnership), median/90th percentile/max partnership size, share of cross-border
    partnerships (members from 2+ countries), share of trade unions, share of funding records
    without an amount.
    """
    m = pd.DataFrame({"a": [x.actor_id for x in ds.memberships], "p": [x.partnership_id for x in ds.memberships]})
    country = {a.id: a.country for a in ds.actors}
    sizes = m.groupby("p").size()
    per_actor = m.groupby("a").size().reindex([a.id for a in ds.actors], fill_value=0)
    m["c"] = m["a"].map(country)
    n_countries = m[m["c"] != ""].groupby("p")["c"].nunique()
    return {
        **{k: float(v) for k, v in ds.counts().items()},
        "memberships_per_actor_mean": float(per_actor.mean()),
        "memberships_per_actor_max": float(per_actor.max()),
        "isolated_share": float((per_actor == 0).mean()),
        "size_median": float(sizes.median()),
        "size_p90": float(sizes.quantile(0.9)),
        "size_max": float(sizes.max()),
        "cross_border_share": float((n_countries >= 2).mean()),
        "trade_union_share": float(np.mean([a.type == "trade_union" for a in ds.actors])),
        "unknown_amount_share": float(np.mean([f.amount is None for f in ds.funding])) if ds.funding else 0.0,
    }


def network_figures(frames: dict[str, pd.DataFrame]) -> dict[str, float]:
    """The actor network's figures of a dataset given as import-format frames (`generate_frames`).

    Parameters
    ----------
    frames : dict of str to pandas.DataFrame
        At least ``actors`` and ``memberships``; ``partnerships`` and ``links`` when present.

    Returns
    -------
    dict of str to float
        ``actors``, ``partnerships``, ``memberships``; ``single_member_share`` (share of
        partnerships with exactly one member) and ``size_max``; ``ties`` (distinct actor pairs
        sharing a partnership or joined by a link: the edges of
        `analysis.projection.actor_projection`); ``no_tie_share`` (share of all actors with no
        tie); ``components`` (connected components of the actor graph, every actor counted, one
        without a tie is a component of its own) and ``giant_share`` (the largest one's share of
        all actors); ``degree_median``, ``degree_p99`` and ``degree_max`` (distinct partners per
        actor, over all actors).

    Notes
    -----
    The actor graph is :math:`B B^T` of the actor-by-partnership incidence matrix ``B`` (plus the
    links), off its diagonal; components by `scipy.sparse.csgraph.connected_components`. These are
    the figures issue 18 measured on all of Horizon 2020 (CORDIS), the targets of the
    ``horizon2020`` profile (`synthetic.params.PROFILES`).
    """
    actors = frames["actors"]["id"].astype(str).to_numpy()
    idx = pd.Index(actors)
    m = frames["memberships"]
    a = idx.get_indexer(m["actor_id"].astype(str))
    p_codes, p_uniques = pd.factorize(m["partnership_id"].astype(str))
    n, n_p = len(actors), len(frames["partnerships"]) if "partnerships" in frames else len(p_uniques)
    b = sp.csr_matrix((np.ones(len(a)), (a, p_codes)), shape=(n, len(p_uniques)))
    b.data[:] = 1.0
    adj = (b @ b.T).tocsr()
    links = frames.get("links")
    if links is not None and len(links):
        s = idx.get_indexer(links["source_id"].astype(str))
        t = idx.get_indexer(links["target_id"].astype(str))
        adj = adj + sp.csr_matrix((np.ones(len(s)), (s, t)), shape=(n, n)) + \
            sp.csr_matrix((np.ones(len(s)), (t, s)), shape=(n, n))
    adj.setdiag(0)
    adj.eliminate_zeros()
    degree = np.diff(adj.indptr)
    n_comp, labels = connected_components(adj, directed=False)
    sizes = np.bincount(p_codes, minlength=len(p_uniques))
    return {
        "actors": float(n), "partnerships": float(n_p), "memberships": float(len(m)),
        "single_member_share": float((sizes == 1).sum() / max(n_p, 1)),
        "size_max": float(sizes.max()) if len(sizes) else 0.0,
        "ties": float(adj.nnz // 2),
        "no_tie_share": float((degree == 0).mean()),
        "components": float(n_comp),
        "giant_share": float(np.bincount(labels).max() / n),
        "degree_median": float(np.median(degree)),
        "degree_p99": float(np.percentile(degree, 99)),
        "degree_max": float(degree.max()),
    }
