"""Cross-border ties: partnerships spanning several countries, the country × country tie matrix,
countries left without any cross-border tie, and the actors who carry the cross-border ties.

A country is an actor's ``country`` (ISO 3166-1 alpha-2). Actors without a country — European
and international bodies (``scope = european|international``) such as the European Commission —
belong to no country: they neither make a partnership cross-border nor count as the foreign end
of a tie. A tie between two actors is cross-border when both have a country and the countries
differ. Ties are the edges of the actor projection (``analysis.projection.actor_projection``):
co-membership of a partnership and explicit LINKED_TO links.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis._tables import actors_frame, joined, memberships_frame, memoised, partnerships_frame
from analysis.memo import peek
from analysis.projection import adjacency
from graph.errors import PartnetError

__all__ = [
    "MATRIX_MEASURES",
    "TIE_SOURCES",
    "country_matrix",
    "country_summary",
    "country_tie_matrix",
    "countries_without_cross_border",
    "cross_border_actors",
    "cross_border_share",
    "partnership_countries",
]

#: Which projection ties `country_tie_matrix` counts.
TIE_SOURCES: tuple[str, ...] = ("both", "membership", "links")
#: What a cell of `country_matrix` counts, with the words a page shows.
MATRIX_MEASURES: dict[str, str] = {
    "newman": "Newman-weighted ties: every pair of members of a partnership of n members adds 1/(n − 1), so a "
              "large consortium weighs little per pair",
    "pairs": "distinct actor pairs (one in each country) that share at least one partnership",
    "partnerships": "partnerships with members in both countries (on the diagonal: with two or more members "
                    "in the country)",
}


def partnership_countries(g: nx.MultiDiGraph) -> pd.DataFrame:
    """The countries of each partnership's members.

    Returns
    -------
    pandas.DataFrame
        One row per partnership (sorted by id): ``partnership_id, name, kind, members,
        countries`` (sorted ISO codes joined with ``", "``), ``n_countries`` and
        ``cross_border`` (``n_countries > 1``). Members without a country are not counted as a
        country (see the module notes).

    Examples
    --------
    >>> from graph.model import Actor, Dataset, Membership, Partnership
    >>> from graph.convert import dataset_to_graph
    >>> ds = Dataset(actors=[Actor("a", "A", "ngo", country="FR"), Actor("b", "B", "ngo", country="BE"),
    ...                      Actor("ec", "EC", "eu_institution", scope="european")],
    ...              partnerships=[Partnership("p", "P", "project")],
    ...              memberships=[Membership("a", "p"), Membership("b", "p"), Membership("ec", "p")])
    >>> partnership_countries(dataset_to_graph(ds))[["countries", "n_countries", "cross_border"]].values.tolist()
    [['BE, FR', 2, True]]
    """
    return memoised(("partnership_countries",), g, lambda: _partnership_countries(g))


def _partnership_countries(g: nx.MultiDiGraph) -> pd.DataFrame:
    parts = partnerships_frame(g)
    actors = actors_frame(g)
    mem = memberships_frame(g).merge(actors[["id", "country"]], left_on="actor_id", right_on="id")
    known = mem[mem["country"] != ""].drop_duplicates(["partnership_id", "country"])
    known = known.sort_values(["partnership_id", "country"], kind="stable")
    ctry = joined(known["partnership_id"], known["country"])
    n_ctry = known.groupby("partnership_id").size()
    out = parts[["id", "name", "kind"]].rename(columns={"id": "partnership_id"})
    out["members"] = out["partnership_id"].map(mem.groupby("partnership_id").size()).fillna(0).astype(np.int64)
    out["countries"] = out["partnership_id"].map(ctry).astype(object).fillna("").astype(str)
    out["n_countries"] = out["partnership_id"].map(n_ctry).fillna(0).astype(np.int64)
    out["cross_border"] = out["n_countries"] > 1
    return out.reset_index(drop=True)


def cross_border_share(g: nx.MultiDiGraph) -> pd.DataFrame:
    """Share of partnerships whose members come from more than one country, overall and per kind.

    Returns
    -------
    pandas.DataFrame
        One row per partnership kind, then a last row ``kind = "all"``: ``partnerships``,
        ``with_country`` (partnerships with at least one member that has a country),
        ``cross_border`` (members from two or more countries) and ``share`` =
        ``cross_border / with_country`` (NaN when no partnership has a country).

    Notes
    -----
    The denominator leaves out partnerships whose country cannot be told (no members, or only
    European bodies): they are neither national nor cross-border on the data at hand.
    """
    pc = partnership_countries(g)
    pc["with_country"] = pc["n_countries"] > 0
    grouped = pc.groupby("kind", sort=True)
    out = pd.DataFrame({
        "partnerships": grouped.size(),
        "with_country": grouped["with_country"].sum(),
        "cross_border": grouped["cross_border"].sum(),
    }).reset_index()
    total = pd.DataFrame([{"kind": "all", "partnerships": len(pc), "with_country": int(pc["with_country"].sum()),
                           "cross_border": int(pc["cross_border"].sum())}])
    out = pd.concat([out, total], ignore_index=True) if not out.empty else total
    for c in ("partnerships", "with_country", "cross_border"):
        out[c] = out[c].astype(np.int64)
    out["share"] = out["cross_border"] / out["with_country"].where(out["with_country"] > 0)
    return out


def country_tie_matrix(g: nx.MultiDiGraph, projection: nx.Graph | None = None, *, source: str = "both") -> pd.DataFrame:
    """Country × country matrix of ties between actors.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    projection : networkx.Graph, optional
        The actor projection (``analysis.projection.actor_projection(g)`` when omitted); its
        edges carry ``shared`` (partnerships in common) and ``links`` (explicit links).
    source : {"both", "membership", "links"}
        Count ties from co-membership (``shared > 0``), explicit links (``links > 0``) or
        either.

    Returns
    -------
    pandas.DataFrame
        Square, symmetric, indexed and columned by every country that has an actor (sorted).
        Entry ``[A, B]`` (A ≠ B) is the number of tied actor pairs with one actor in A and one
        in B; the diagonal ``[A, A]`` the number of tied pairs inside A. Actors without a
        country are left out.

    Notes
    -----
    Counts pairs of actors, not partnerships: a partnership of three French and two German
    members adds 3 × 2 = 6 to ``[FR, DE]``. Vectorised with ``numpy.add.at`` over the edges.
    """
    if source not in TIE_SOURCES:
        raise PartnetError(f"unknown tie source {source!r}", hint=f"choose one of {', '.join(TIE_SOURCES)}")
    if projection is not None and projection is not peek(g, ("actor_projection", True)):
        return _country_tie_matrix(g, projection, source)  # not the graph's own projection: no memo by id
    return memoised(("country_tie_matrix", source), g, lambda: _country_tie_matrix(g, projection, source))


def _country_tie_matrix(g: nx.MultiDiGraph, projection: nx.Graph | None, source: str) -> pd.DataFrame:
    codes, _, ia, ib = _tie_countries(g, _projection(g, projection), source)
    m = np.zeros((len(codes), len(codes)), dtype=np.int64)
    if len(ia):
        np.add.at(m, (ia, ib), 1)
        off = ia != ib
        np.add.at(m, (ib[off], ia[off]), 1)
    return pd.DataFrame(m, index=pd.Index(codes, name="country"), columns=pd.Index(codes, name="country"))


def country_matrix(g: nx.MultiDiGraph, *, measure: str = "newman", max_members: int | None = None) -> pd.DataFrame:
    """Country × country matrix of co-membership, counted one of three ways, large partnerships optionally left out.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph (explicit links are not counted here; see `country_tie_matrix`).
    measure : {"newman", "pairs", "partnerships"}, default "newman"
        What a cell counts (`MATRIX_MEASURES`): Newman-weighted ties ``Σ_p k_A k_B / (n_p − 1)``,
        distinct actor pairs sharing a partnership, or shared partnerships.
    max_members : int, optional
        Leave out partnerships with more members (an umbrella network of 49 members ties every
        pair of its countries). ``df.attrs["left_out"]`` lists the ids left out.

    Returns
    -------
    pandas.DataFrame
        Square and symmetric over every country with an actor (sorted); ``[A, B]`` as ``measure``
        says, the diagonal counts the same inside one country. Float for ``"newman"``, integer
        otherwise. ``df.attrs["measure"]`` is the words of `MATRIX_MEASURES`.

    Notes
    -----
    With ``K`` the country × partnership matrix of member counts (``k_Ap``; members without a
    country count in ``n_p`` but in no row): shared partnerships are ``[K > 0][K > 0]ᵀ``, Newman's
    weights ``K D Kᵀ`` with ``D = diag(1/(n_p − 1))`` (diagonal ``Σ_p k_Ap (k_Ap − 1) / 2 /
    (n_p − 1)``), and distinct pairs are counted on the binarised actor co-membership matrix.
    Sparse products throughout.

    References
    ----------
    .. [1] M. E. J. Newman, "Scientific collaboration networks. II. Shortest paths, weighted
       networks, and centrality", Phys. Rev. E 64, 016132 (2001).

    Examples
    --------
    >>> from graph.model import Actor, Dataset, Membership, Partnership
    >>> from graph.convert import dataset_to_graph
    >>> ds = Dataset(actors=[Actor("f", "F", "ngo", country="FR"), Actor("d", "D", "ngo", country="DE"),
    ...                      Actor("e", "E", "ngo", country="DE")],
    ...              partnerships=[Partnership("p", "P", "project")],
    ...              memberships=[Membership(x, "p") for x in "fde"])
    >>> country_matrix(dataset_to_graph(ds)).loc["DE"].tolist()
    [0.5, 1.0]
    """
    if measure not in MATRIX_MEASURES:
        raise PartnetError(f"unknown matrix measure {measure!r}", hint=f"choose one of {', '.join(MATRIX_MEASURES)}")
    if max_members is not None and max_members < 2:
        raise PartnetError(f"max_members = {max_members}", hint="keep partnerships of at least 2 members")
    return memoised(("country_matrix", measure, max_members), g, lambda: _country_matrix(g, measure, max_members))


def _country_matrix(g: nx.MultiDiGraph, measure: str, max_members: int | None) -> pd.DataFrame:
    actors, mem = actors_frame(g), memberships_frame(g)
    codes = sorted(set(actors["country"]) - {""})
    aidx = {a: i for i, a in enumerate(actors["id"])}
    pids = sorted(set(mem["partnership_id"]))
    pidx = {p: j for j, p in enumerate(pids)}
    rows = mem["actor_id"].map(aidx).to_numpy()
    cols = mem["partnership_id"].map(pidx).to_numpy()
    b = sp.csr_matrix((np.ones(len(mem)), (rows, cols)), shape=(len(actors), len(pids)))
    n_p = np.asarray(b.sum(axis=0)).ravel()
    big = n_p > max_members if max_members is not None else np.zeros(len(pids), dtype=bool)
    b = b @ sp.diags((~big).astype(float))
    cidx = {c: i for i, c in enumerate(codes)}
    has = actors["country"].to_numpy() != ""
    ci = np.array([cidx[c] for c in actors.loc[has, "country"]], dtype=np.int64)
    c = sp.csr_matrix((np.ones(int(has.sum())), (ci, np.flatnonzero(has))), shape=(len(codes), len(actors)))
    k = (c @ b).toarray()  # country × partnership member counts
    if measure == "partnerships":
        present = (k > 0).astype(np.int64)
        m = present @ present.T
        np.fill_diagonal(m, (k >= 2).sum(axis=1))
    elif measure == "newman":
        w = np.where(n_p > 1, 1.0 / np.maximum(n_p - 1, 1), 0.0)
        m = (k * w) @ k.T
        np.fill_diagonal(m, ((k * (k - 1) / 2) * w).sum(axis=1))
    else:
        co = (b @ b.T).tocsr()
        co.setdiag(0)
        co.eliminate_zeros()
        co.data[:] = 1
        m = (c @ co @ c.T).toarray().astype(np.int64)
        np.fill_diagonal(m, np.diag(m) // 2)
    out = pd.DataFrame(m, index=pd.Index(codes, name="country"), columns=pd.Index(codes, name="country"))
    out.attrs.update(measure=MATRIX_MEASURES[measure], left_out=[p for p, x in zip(pids, big, strict=True) if x])
    return out


def country_summary(g: nx.MultiDiGraph, projection: nx.Graph | None = None) -> pd.DataFrame:
    """Per country: actors, domestic and cross-border ties, partner countries.

    Returns
    -------
    pandas.DataFrame
        ``country, actors, domestic_ties, cross_border_ties`` (tied actor pairs with the other
        actor abroad), ``partner_countries`` (number) and ``partners`` (their codes, most ties
        first); sorted by country. Built on `country_tie_matrix`.
    """
    mat = country_tie_matrix(g, projection)
    actors = actors_frame(g)
    n_actors = actors[actors["country"] != ""].groupby("country").size()
    rows = []
    for c in mat.index:
        row = mat.loc[c]
        abroad = row.drop(c)
        abroad = abroad[abroad > 0]
        partners = sorted(abroad.items(), key=lambda kv: (-kv[1], kv[0]))
        rows.append({"country": c, "actors": int(n_actors.get(c, 0)), "domestic_ties": int(row[c]),
                     "cross_border_ties": int(abroad.sum()), "partner_countries": len(partners),
                     "partners": ", ".join(k for k, _ in partners)})
    cols = ["country", "actors", "domestic_ties", "cross_border_ties", "partner_countries", "partners"]
    return pd.DataFrame(rows, columns=cols)


def countries_without_cross_border(g: nx.MultiDiGraph, projection: nx.Graph | None = None) -> pd.DataFrame:
    """Countries that have actors but no tie to an actor of another country (rows of `country_summary`)."""
    s = country_summary(g, projection)
    return s[s["cross_border_ties"] == 0].reset_index(drop=True)


def cross_border_actors(g: nx.MultiDiGraph, projection: nx.Graph | None = None, *, top: int | None = None
                        ) -> pd.DataFrame:
    """The actors who carry the most cross-border ties.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    projection : networkx.Graph, optional
        The actor projection (computed when omitted).
    top : int, optional
        Keep the first ``top`` rows.

    Returns
    -------
    pandas.DataFrame
        ``actor_id, name, family, country, cross_border_ties`` (neighbours in another country),
        ``countries_reached`` (their distinct countries, count) and ``reached`` (the codes),
        ``ties`` (all neighbours); actors with at least one cross-border tie, sorted by
        cross-border ties (most first), countries reached, then id.
    """
    proj = _projection(g, projection)
    nodes, a = adjacency(proj, None)
    codes, of, _, _ = _tie_countries(g, proj, "all")
    coo = a.tocoo()
    ci, cj = of[coo.row], of[coo.col]
    abroad = (ci >= 0) & (cj >= 0) & (ci != cj)  # each tie seen from both ends
    rows_i, reached_c = coo.row[abroad], cj[abroad]
    n = len(nodes)
    ties_abroad = np.bincount(rows_i, minlength=n)
    pairs = pd.DataFrame({"i": rows_i, "code": np.asarray(codes, dtype=object)[reached_c] if len(codes) else []})
    pairs = pairs.drop_duplicates().sort_values(["i", "code"], kind="stable")
    reached = joined(pairs["i"], pairs["code"])
    n_reached = pairs.groupby("i").size()
    keep = np.flatnonzero(ties_abroad > 0)
    names = {v: d.get("name") or v for v, d in g.nodes(data=True)}
    fams = {v: d.get("family") or "" for v, d in g.nodes(data=True)}
    degree = np.diff(a.indptr) + (a.diagonal() != 0)
    rows = [{"actor_id": nodes[i], "name": names.get(nodes[i], nodes[i]), "family": fams.get(nodes[i], ""),
             "country": codes[of[i]], "cross_border_ties": int(ties_abroad[i]),
             "countries_reached": int(n_reached[i]), "reached": reached[i], "ties": int(degree[i])}
            for i in keep.tolist()]
    cols = ["actor_id", "name", "family", "country", "cross_border_ties", "countries_reached", "reached", "ties"]
    out = pd.DataFrame(rows, columns=cols)
    out = out.sort_values(["cross_border_ties", "countries_reached", "actor_id"], ascending=[False, False, True],
                          kind="stable").reset_index(drop=True)
    return out.head(top) if top is not None else out


# ----------------------------------------------------------------------------------------------
def _countries(g: nx.Graph) -> dict[str, str]:
    """actor id -> country for actors that have one."""
    return {n: str(d["country"]) for n, d in g.nodes(data=True)
            if d.get("label", "Actor") == "Actor" and d.get("country")}


def _projection(g: nx.MultiDiGraph, projection: nx.Graph | None) -> nx.Graph:
    if projection is not None:
        return projection
    from analysis.projection import actor_projection

    return actor_projection(g)


def _tie_countries(g: nx.MultiDiGraph, proj: nx.Graph, source: str
                   ) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Country codes (sorted), each projection node's code index (-1: none), and the code indices of
    the two ends of every tie (each once) of ``source`` whose two actors both have a country."""
    ctry = _countries(g)
    codes = sorted(set(ctry.values()))
    idx = {c: i for i, c in enumerate(codes)}
    weight = {"membership": "shared", "links": "links"}.get(source)
    nodes, a = adjacency(proj, weight)
    of = np.array([idx.get(ctry.get(v, ""), -1) for v in nodes], dtype=np.int64)
    up = sp.triu(a, k=0).tocoo()  # each tie once
    keep = (of[up.row] >= 0) & (of[up.col] >= 0)
    if weight is not None:
        keep &= up.data > 0
    return codes, of, of[up.row[keep]], of[up.col[keep]]
