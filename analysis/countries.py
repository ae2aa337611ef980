"""The country co-participation network: countries tied by the partnerships their actors share.

A country is an actor's ``country`` (ISO 3166-1 alpha-2; ``EL`` and ``UK``, as the EU writes them,
are read as ``GR`` and ``GB``). Actors without a country (European and international bodies) are
left out. With ``n[p, c]`` the number of memberships of partnership ``p`` held by actors of country
``c``, the co-participation weight of two countries is ``Σ_p n[p, i] · n[p, j]`` — the weighting of
the Framework-Programme literature (Balland, Boschma & Ravet 2019). It is computed as one sparse
product: with ``C`` the country × partnership count matrix, ``W = C Cᵀ`` without its diagonal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis._tables import actors_frame, memberships_frame, memoised
from graph.errors import PartnetError

__all__ = [
    "ALIASES",
    "COUNTRY_WEIGHTS",
    "country_edges",
    "country_network",
    "country_table",
    "normalise_codes",
]

#: Codes the EU writes that are not ISO 3166-1 alpha-2, and the ISO code they stand for.
ALIASES: dict[str, str] = {"EL": "GR", "UK": "GB"}

#: Tie weights of the country network: co-participations Σ n_i·n_j, distinct actor pairs, shared partnerships.
COUNTRY_WEIGHTS: tuple[str, ...] = ("participations", "actor-pairs", "partnerships")

_CODE = re.compile(r"^[A-Z]{2}$")


def normalise_codes(codes: str | Iterable[str] | None) -> tuple[str, ...] | None:
    """Country codes as sorted, unique ISO alpha-2 codes (``EL`` -> ``GR``, ``UK`` -> ``GB``); None for none.

    ``codes`` is a comma-separated string or an iterable of codes; case and spaces do not matter.
    A code that is not two letters raises `PartnetError` (exit code 1).

    >>> normalise_codes("de, el,UK")
    ('DE', 'GB', 'GR')
    """
    if codes is None:
        return None
    items = codes.split(",") if isinstance(codes, str) else list(codes)
    out = set()
    for raw in items:
        code = str(raw).strip().upper()
        if not code:
            continue
        if not _CODE.match(code):
            raise PartnetError(f"{raw!r} is not a country code",
                               hint="give ISO 3166-1 alpha-2 codes separated by commas, e.g. DE,FR,GR")
        out.add(ALIASES.get(code, code))
    if not out:
        raise PartnetError("no country code given", hint="give ISO 3166-1 alpha-2 codes, e.g. DE,FR,GR")
    return tuple(sorted(out))


def country_network(g: nx.MultiDiGraph, weight: str = "participations", *,
                    only: str | Iterable[str] | None = None) -> nx.Graph:
    """The weighted country co-participation network.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    weight : {"participations", "actor-pairs", "partnerships"}
        Which count becomes the edge's ``weight``: co-participations ``Σ_p n[p,i]·n[p,j]``, distinct
        pairs of actors (one in each country) sharing a partnership, or partnerships shared.
    only : str or iterable of str, optional
        Keep only these countries (the induced network): actors of other countries are left out
        before anything is computed, like actors without a country.

    Returns
    -------
    networkx.Graph
        One node per country with at least one membership, with ``actors``, ``memberships``,
        ``partnerships`` and ``cross_border`` (partnerships with members from more than one of the
        countries kept); one edge per pair of countries that share a partnership, with
        ``participations``, ``actor_pairs``, ``partnerships``, ``weight`` (the chosen one) and
        ``distance = 1 / weight``. No self-loops.

    References
    ----------
    .. [1] P.-A. Balland, R. Boschma and J. Ravet, "Network dynamics in collaborative research in
       the EU, 2003–2017", European Planning Studies 27(9), 1811–1837 (2019).

    Examples
    --------
    >>> from graph.model import Actor, Dataset, Membership, Partnership
    >>> from graph.convert import dataset_to_graph
    >>> ds = Dataset(actors=[Actor("a", "A", "ngo", country="DE"), Actor("b", "B", "ngo", country="DE"),
    ...                      Actor("c", "C", "ngo", country="EL")],
    ...              partnerships=[Partnership("p", "P", "project")],
    ...              memberships=[Membership(x, "p") for x in "abc"])
    >>> net = country_network(dataset_to_graph(ds))
    >>> net.edges["DE", "GR"]["participations"], net.edges["DE", "GR"]["actor_pairs"]
    (2, 2)
    """
    key = _weight_key(weight)
    codes = normalise_codes(only)
    nodes, edges = memoised(("country network", codes), g, lambda: _compute(g, codes))
    net = nx.Graph()
    net.add_nodes_from((row.country, {"actors": row.actors, "memberships": row.memberships,
                                      "partnerships": row.partnerships, "cross_border": row.cross_border})
                       for row in nodes.itertuples(index=False))
    for row in edges.itertuples(index=False):
        w = getattr(row, key)
        net.add_edge(row.country_a, row.country_b, participations=row.participations, actor_pairs=row.actor_pairs,
                     partnerships=row.partnerships, weight=w, distance=1.0 / w)
    net.graph.update(weight=weight, only=codes)
    return net


def country_edges(g: nx.MultiDiGraph, weight: str = "participations", *,
                  only: str | Iterable[str] | None = None) -> pd.DataFrame:
    """The weighted country pairs of `country_network`, heaviest first.

    Returns
    -------
    pandas.DataFrame
        ``country_a, country_b`` (``a < b``), ``participations`` (Σ_p n[p,a]·n[p,b]), ``actor_pairs``
        (distinct actor pairs sharing a partnership), ``partnerships`` (shared) and ``weight`` (the
        chosen one), sorted by weight descending, then by the pair.
    """
    key = _weight_key(weight)
    _, edges = memoised(("country network", normalise_codes(only)), g,
                        lambda: _compute(g, normalise_codes(only)))
    out = edges.copy()
    out["weight"] = out[key]
    out = out.sort_values(["weight", "country_a", "country_b"], ascending=[False, True, True], kind="stable")
    out.attrs.update(weight=weight, only=normalise_codes(only))
    return out.reset_index(drop=True)


def country_table(g: nx.MultiDiGraph, weight: str = "participations", *,
                  only: str | Iterable[str] | None = None) -> pd.DataFrame:
    """Per country of the co-participation network: activity, strength and weighted centralities.

    Parameters
    ----------
    g, weight, only
        As for `country_network`.

    Returns
    -------
    pandas.DataFrame
        One row per country, strongest first: ``country, actors, memberships, partnerships,
        cross_border`` (partnerships with members from more than one kept country), ``partners``
        (countries tied to it), ``strength`` (sum of its tie weights), ``eigenvector`` (weighted
        eigenvector centrality, largest = 1) and ``betweenness`` (weighted, normalised, distance =
        1 / weight).

    Notes
    -----
    The eigenvector centrality is the principal eigenvector of the symmetric weight matrix
    (dense ``numpy.linalg.eigh``: at most a few hundred countries), as
    ``networkx.eigenvector_centrality_numpy`` with ``weight``, scaled so that its largest entry is
    1; in a network of several components the countries outside the leading one get 0. The
    betweenness counts shortest paths with edge length ``1 / weight`` (strong ties are
    short), computed by igraph and normalised as ``networkx.betweenness_centrality`` does for an
    undirected graph, ``2 / ((n - 1)(n - 2))``.

    References
    ----------
    .. [1] P. Bonacich, "Power and centrality: a family of measures", American Journal of
       Sociology 92(5), 1170–1182 (1987).
    .. [2] U. Brandes, "A faster algorithm for betweenness centrality", Journal of Mathematical
       Sociology 25(2), 163–177 (2001).
    .. [3] M. E. J. Newman, "Scientific collaboration networks. II.", Phys. Rev. E 64, 016132 (2001).
    """
    key = _weight_key(weight)
    codes = normalise_codes(only)
    nodes, edges = memoised(("country network", codes), g, lambda: _compute(g, codes))
    out = nodes.copy()
    n = len(out)
    index = {c: k for k, c in enumerate(out["country"])}
    i = edges["country_a"].map(index).to_numpy(dtype=np.int64)
    j = edges["country_b"].map(index).to_numpy(dtype=np.int64)
    w = edges[key].to_numpy(dtype=float)
    out["partners"] = np.bincount(np.concatenate([i, j]), minlength=n).astype(np.int64)
    out["strength"] = np.bincount(np.concatenate([i, j]), weights=np.concatenate([w, w]), minlength=n)
    out["eigenvector"] = _eigenvector(n, i, j, w)
    out["betweenness"] = _betweenness(n, i, j, w)
    if out["strength"].eq(out["strength"].round()).all():
        out["strength"] = out["strength"].astype(np.int64)
    out = out.sort_values(["strength", "country"], ascending=[False, True], kind="stable").reset_index(drop=True)
    out.attrs.update(weight=weight, only=codes,
                     basis=f"country network, weight = {weight}; actors without a country left out")
    return out


# --- helpers -------------------------------------------------------------------------------------


def _weight_key(weight: str) -> str:
    if weight not in COUNTRY_WEIGHTS:
        raise PartnetError(f"unknown country tie weight {weight!r}", hint=f"use one of {', '.join(COUNTRY_WEIGHTS)}")
    return weight.replace("-", "_")


def _compute(g: nx.MultiDiGraph, only: tuple[str, ...] | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-country activity and the three pair weights, from the country × partnership count matrix."""
    actors = actors_frame(g)
    ids = actors["id"].to_numpy(dtype=object)
    ctry = actors["country"].astype(object).str.strip().str.upper().replace(ALIASES).to_numpy(dtype=object)
    keep = ctry != ""
    if only is not None:
        keep &= np.isin(ctry, np.asarray(only, dtype=object))
    mem = memberships_frame(g)
    row = pd.Index(ids[keep]).get_indexer(mem["actor_id"].to_numpy(dtype=object))  # -1: left out
    used = row >= 0
    row = row[used]
    part_codes, parts = pd.factorize(mem["partnership_id"].to_numpy(dtype=object)[used], sort=True)
    a_codes, act_rows = pd.factorize(row, sort=True)  # the actors with a kept membership
    country_codes, countries = pd.factorize(ctry[keep][act_rows], sort=True)
    countries = [str(c) for c in countries]
    actor_country = country_codes.astype(np.int64)
    na, npart, nc = len(act_rows), len(parts), len(countries)
    b = sp.csr_matrix((np.ones(len(a_codes)), (a_codes, part_codes)), shape=(na, npart))
    m = sp.csr_matrix((np.ones(na), (np.arange(na), actor_country)), shape=(na, nc))  # actor -> country
    c = (m.T @ b).tocsr()  # n[c, p]: memberships of p held by actors of country c
    present = c.copy()
    present.data[:] = 1.0
    participations = (c @ c.T).tocsr()
    shared_parts = (present @ present.T).tocsr()
    co = (b @ b.T).tocsr()  # actor pairs sharing a partnership
    co.setdiag(0)
    co.eliminate_zeros()
    co.data[:] = 1.0
    pairs = (m.T @ co @ m).tocsr()  # each cross-country pair counted from both ends: (i, j) and (j, i) entries
    up = sp.triu(participations, k=1).tocoo()
    ii, jj = up.row.astype(np.int64), up.col.astype(np.int64)
    order = np.lexsort((jj, ii))
    ii, jj = ii[order], jj[order]
    names = np.asarray(countries, dtype=object)
    edges = pd.DataFrame({
        "country_a": names[ii] if nc else [], "country_b": names[jj] if nc else [],
        "participations": np.rint(np.asarray(participations[ii, jj]).ravel()).astype(np.int64),
        "actor_pairs": np.rint(np.asarray(pairs[ii, jj]).ravel()).astype(np.int64),
        "partnerships": np.rint(np.asarray(shared_parts[ii, jj]).ravel()).astype(np.int64),
    })
    n_countries = np.asarray(present.sum(axis=0)).ravel()  # per partnership
    nodes = pd.DataFrame({
        "country": countries,
        "actors": np.bincount(actor_country, minlength=nc).astype(np.int64),
        "memberships": np.rint(np.asarray(c.sum(axis=1)).ravel()).astype(np.int64),
        "partnerships": np.rint(np.asarray(present.sum(axis=1)).ravel()).astype(np.int64),
        "cross_border": np.rint(present @ (n_countries > 1).astype(float)).astype(np.int64),
    })
    return nodes, edges


def _eigenvector(n: int, i: np.ndarray, j: np.ndarray, w: np.ndarray) -> np.ndarray:
    if n == 0:
        return np.zeros(0)
    a = np.zeros((n, n))
    a[i, j] = w
    a[j, i] = w
    if not len(w):
        return np.zeros(n)
    _, vecs = np.linalg.eigh(a)
    v = np.abs(vecs[:, -1])
    return v / v.max()


def _betweenness(n: int, i: np.ndarray, j: np.ndarray, w: np.ndarray) -> np.ndarray:
    if n < 3 or not len(w):
        return np.zeros(n)
    h = ig.Graph(n=n, edges=np.column_stack([i, j]), directed=False)
    raw = np.asarray(h.betweenness(directed=False, weights=(1.0 / w).tolist()), dtype=float)
    return raw * 2.0 / ((n - 1) * (n - 2))
