"""What changed between periods: per period the active actors, partnerships, ties, components, union
coverage and cross-border share, and between consecutive periods the actors entering, leaving and
persisting, the ties formed and dissolved and the largest rank changes.

Definition of *active* (the one `partnet compare` and the dashboard's Change over time page state):
an actor is active in a period when it is a member of a partnership whose years overlap the period
(a partnership runs from ``start_year`` to ``end_year``, ``end_year`` defaulting to ``start_year``;
one with no ``start_year`` belongs to no period), or an end of a link whose ``year`` lies in it, or
the funder or recipient of a funding tie whose years overlap it (same rule on the tie's years).
The ties of a period are the actor pairs sharing an active partnership or joined by a link of the
period. This is stricter than `analysis.periods` (where an open end means still running).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph

from analysis._tables import (
    actors_frame,
    funding_frame,
    links_frame,
    memberships_frame,
    partnerships_frame,
    with_table_cache,
)
from analysis.periods import Period, default_periods, period_label
from graph.errors import PartnetError

__all__ = ["PERIOD_FIGURES", "active_sets", "compare_periods", "comparison_json", "parse_period", "period_drawing",
           "period_layout", "period_networks", "periods_every"]

#: Columns of ``compare_periods(...)["periods"]``.
PERIOD_FIGURES = ["period", "start", "end", "actors", "partnerships", "ties", "funding_ties", "components",
                  "union_coverage", "cross_border_share"]
_PERIOD_RE = re.compile(r"^\s*(\d{1,4})\s*[-–]\s*(\d{1,4})\s*$")


def parse_period(text: str) -> tuple[int, int]:
    """``"2002-2005"`` -> ``(2002, 2005)``; anything else is a `PartnetError` saying what to write.

    >>> parse_period("2002-2005")
    (2002, 2005)
    """
    m = _PERIOD_RE.match(str(text))
    if not m:
        raise PartnetError(f"period {text!r} is not FIRST-LAST", hint="write a period as two years, e.g. 2002-2005")
    lo, hi = int(m.group(1)), int(m.group(2))
    if lo > hi:
        raise PartnetError(f"period {text!r} ends before it starts", hint=f"write it as {hi}-{lo}")
    return lo, hi


def periods_every(g: nx.MultiDiGraph, width: int) -> list[tuple[int, int]]:
    """Consecutive periods of ``width`` years over the dated data (`analysis.periods.default_periods`)."""
    if width < 1:
        raise PartnetError(f"--every {width}", hint="give a number of years, at least 1, e.g. --every 5")
    return [(int(lo), int(hi)) for lo, hi in default_periods(g, width)]  # type: ignore[arg-type]


def _overlap(start: np.ndarray, end: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """Rows whose ``[start, end or start]`` overlaps ``[lo, hi]``; no start: never."""
    end = np.where(np.isnan(end), start, end)
    ok = ~np.isnan(start)
    return ok & (np.nan_to_num(start) <= hi) & (np.nan_to_num(end, nan=-np.inf) >= lo)


def _years(s: pd.Series) -> np.ndarray:
    return s.to_numpy(dtype=float, na_value=np.nan)


class _Tables:
    """The flat tables as integer-indexed arrays, built once for every period."""

    def __init__(self, g: nx.MultiDiGraph) -> None:
        self.actors = actors_frame(g)
        self.ids = self.actors["id"].tolist()
        idx = {a: i for i, a in enumerate(self.ids)}
        parts, mem = partnerships_frame(g), memberships_frame(g)
        pidx = {p: j for j, p in enumerate(parts["id"].tolist())}
        self.n, self.n_parts = len(self.ids), len(parts)
        self.m_actor = np.array([idx[a] for a in mem["actor_id"].tolist()], dtype=np.int64)
        self.m_part = np.array([pidx[p] for p in mem["partnership_id"].tolist()], dtype=np.int64)
        self.p_start, self.p_end = _years(parts["start_year"]), _years(parts["end_year"])
        links = links_frame(g)
        ok = np.array([u in idx and v in idx for u, v in zip(links["source_id"], links["target_id"], strict=True)],
                      dtype=bool)  # a boolean mask even when empty: links[[]] would select no columns
        links = links[ok]
        self.l_u = np.array([idx[a] for a in links["source_id"].tolist()], dtype=np.int64)
        self.l_v = np.array([idx[a] for a in links["target_id"].tolist()], dtype=np.int64)
        self.l_year = _years(links["year"])
        fund = funding_frame(g)
        self.f_start, self.f_end = _years(fund["start_year"]), _years(fund["end_year"])
        self.f_funder = np.array([idx.get(a, -1) for a in fund["funder_id"].tolist()], dtype=np.int64)
        self.f_recipient = np.array([idx.get(a, -1) for a in fund["recipient_id"].tolist()], dtype=np.int64)
        self.union = (self.actors["family"] == "trade_unions").to_numpy()
        self.country = self.actors["country"].to_numpy(dtype=object)

    def period(self, lo: int, hi: int) -> dict:
        live = _overlap(self.p_start, self.p_end, lo, hi)
        m_live = live[self.m_part]
        l_ok = ~np.isnan(self.l_year) & (np.nan_to_num(self.l_year) >= lo) & (np.nan_to_num(self.l_year) <= hi)
        f_ok = _overlap(self.f_start, self.f_end, lo, hi)
        active = np.zeros(self.n, dtype=bool)
        active[self.m_actor[m_live]] = True
        active[self.l_u[l_ok]] = True
        active[self.l_v[l_ok]] = True
        for ends in (self.f_funder[f_ok], self.f_recipient[f_ok]):
            active[ends[ends >= 0]] = True
        b = sp.csr_matrix((np.ones(int(m_live.sum())), (self.m_actor[m_live], self.m_part[m_live])),
                          shape=(self.n, self.n_parts))
        lk = sp.csr_matrix((np.ones(int(l_ok.sum())), (self.l_u[l_ok], self.l_v[l_ok])), shape=(self.n, self.n))
        tie = sp.triu(b @ b.T + lk + lk.T, k=1).tocoo()
        keep = tie.data > 0
        rows, cols = tie.row[keep].astype(np.int64), tie.col[keep].astype(np.int64)
        return {"live": live, "m_live": m_live, "active": active, "pairs": np.unique(rows * self.n + cols),
                "funding_ties": int(f_ok.sum())}


def active_sets(g: nx.MultiDiGraph, period: Period) -> set[str]:
    """The ids of the actors active in ``period`` (see the module docstring for the definition)."""
    lo, hi = period
    t = _Tables(g)
    return {t.ids[i] for i in np.flatnonzero(t.period(int(lo), int(hi))["active"])}  # type: ignore[arg-type]


@with_table_cache
def period_networks(g: nx.MultiDiGraph, periods: Sequence[Period]) -> dict[str, pd.DataFrame]:
    """The actor network of each period under the definition of this module, as two long tables.

    Returns
    -------
    dict of str -> pandas.DataFrame
        ``actors``: ``period, id, name, family, country`` (one row per active actor and period);
        ``ties``: ``period, actor_a, actor_b`` (``actor_a < actor_b`` in the id order of the actors
        table). The same sets as `compare_periods` counts, for drawing small multiples.
    """
    t = _Tables(g)
    acts, ties = [], []
    for lo, hi in periods:
        s = t.period(int(lo), int(hi))  # type: ignore[arg-type]
        label = period_label((lo, hi))
        acts.append(t.actors.loc[s["active"], ["id", "name", "family", "country"]].assign(period=label))
        ids = np.array(t.ids, dtype=object)
        ties.append(pd.DataFrame({"period": label, "actor_a": ids[s["pairs"] // t.n],
                                  "actor_b": ids[s["pairs"] % t.n]}))
    actors = pd.concat(acts, ignore_index=True) if acts else pd.DataFrame(columns=["id", "name", "family", "country",
                                                                                  "period"])
    tie_df = pd.concat(ties, ignore_index=True) if ties else pd.DataFrame(columns=["period", "actor_a", "actor_b"])
    return {"actors": actors[["period", "id", "name", "family", "country"]], "ties": tie_df}


def period_layout(g: nx.MultiDiGraph, periods: Sequence[Period], *, max_actors: int = 400,
                  seed: int = 7) -> pd.DataFrame:
    """One position per actor for drawing every period's network at the same place (small multiples).

    Returns
    -------
    pandas.DataFrame
        ``id, x, y`` for the ``max_actors`` actors with the most ties over all periods (then id);
        ``df.attrs["actors"]`` is how many actors are active in some period.

    Notes
    -----
    ``networkx.spring_layout`` (Fruchterman–Reingold, fixed ``seed``) of the union of the periods'
    networks, so an actor keeps its place and change shows as ties and dots appearing.

    References
    ----------
    .. [1] T. M. J. Fruchterman and E. M. Reingold, "Graph drawing by force-directed placement",
       Software: Practice and Experience 21(11), 1129–1164 (1991).
    """
    return _layout(period_networks(g, periods), max_actors, seed)


def _layout(nets: dict[str, pd.DataFrame], max_actors: int, seed: int) -> pd.DataFrame:
    ties = nets["ties"].drop_duplicates(["actor_a", "actor_b"])
    reach = pd.concat([ties["actor_a"], ties["actor_b"], nets["actors"]["id"].drop_duplicates()]).value_counts()
    reach = reach.rename_axis("id").reset_index(name="n").sort_values(["n", "id"], ascending=[False, True])
    keep = set(reach["id"].head(max_actors).tolist())
    h = nx.Graph()
    h.add_nodes_from(sorted(keep))
    h.add_edges_from((a, b) for a, b in zip(ties["actor_a"].tolist(), ties["actor_b"].tolist(), strict=True)
                     if a in keep and b in keep)
    pos = nx.spring_layout(h, seed=seed, iterations=60) if len(h) else {}
    out = pd.DataFrame([(k, float(x), float(y)) for k, (x, y) in sorted(pos.items())], columns=["id", "x", "y"])
    out.attrs["actors"] = len(reach)
    return out


def period_drawing(g: nx.MultiDiGraph, periods: Sequence[Period], *, max_actors: int = 400,
                   max_ties: int = 3000) -> dict[str, pd.DataFrame]:
    """What the small multiples of the periods draw: `period_layout` and, per period, its drawn actors and ties.

    Returns
    -------
    dict
        ``layout`` (`period_layout`); ``actors``: ``period, id, name`` of the drawn actors active in each period;
        ``ties``: ``period, actor_a, actor_b``, the ties among drawn actors, at most ``max_ties`` per period (those
        between the actors with the most ties over all periods first: ordered by the lower-placed end's rank);
        ``counts``: ``period, ties, drawn`` (ties among drawn actors, and how many are drawn).
    """
    nets = period_networks(g, periods)  # once: the layout is made from the same networks
    layout = _layout(nets, max_actors, seed=7)
    ties = nets["ties"]
    reach = pd.concat([ties["actor_a"], ties["actor_b"]]).value_counts()  # ties over all periods, with repeats
    order = sorted(layout["id"].tolist(), key=lambda a: (-int(reach.get(a, 0)), a))
    rank = {a: i for i, a in enumerate(order)}
    ra, rb = ties["actor_a"].map(rank), ties["actor_b"].map(rank)
    inside = ties[ra.notna().to_numpy() & rb.notna().to_numpy()].assign(
        _r=pd.concat([ra, rb], axis=1).max(axis=1))
    inside = inside.sort_values(["period", "_r", "actor_a", "actor_b"], kind="stable")
    drawn = inside.groupby("period", sort=False).head(max_ties)
    counts = pd.DataFrame({"ties": inside.groupby("period").size(), "drawn": drawn.groupby("period").size()})
    counts = counts.fillna(0).astype(int).rename_axis("period").reset_index()
    acts = nets["actors"]
    return {"layout": layout, "actors": acts[acts["id"].isin(rank)][["period", "id", "name"]].reset_index(drop=True),
            "ties": drawn[["period", "actor_a", "actor_b"]].reset_index(drop=True), "counts": counts}


@with_table_cache
def compare_periods(g: nx.MultiDiGraph, periods: Sequence[Period], *, top: int = 10,
                    progress: bool = False) -> dict[str, pd.DataFrame]:
    """Figures per period and the changes between consecutive periods.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    periods : sequence of (first, last)
        Inclusive years, compared in the given order.
    top : int, default 10
        Rank changes kept per pair of periods and measure.
    progress : bool
        Show a progress bar on stderr (tqdm, only in a terminal).

    Returns
    -------
    dict of str -> pandas.DataFrame
        ``periods``: one row per period, columns `PERIOD_FIGURES` — active ``actors`` and
        ``partnerships``, ``ties`` (actor pairs sharing an active partnership or a link of the
        period), active ``funding_ties``, ``components`` of the period's actor network (an active
        actor without tie is one), ``union_coverage`` (share of the active partnerships with members
        that have a trade union) and ``cross_border_share`` (share of those with a known country whose
        members come from two or more countries).
        ``changes``: one row per consecutive pair: ``from, to``, ``entering, leaving, persisting``
        (sorted id lists), ``ties_formed, ties_dissolved`` (lists of ``[a, b]`` with ``a < b``) and
        their counts ``n_entering`` …. ``rank_changes``: ``from, to, measure`` (degree or
        betweenness), ``id, name, rank_from, rank_to, change`` (positive: moved up) for persisting
        actors, the ``top`` largest absolute changes per measure. ``names``: ``id, name`` of every
        actor mentioned.

    Notes
    -----
    Each period is a cross-sectional snapshot ("panel" view of a dynamic network) compared with
    the one before. Ties come from one sparse product ``B Bᵀ`` per period (plus the links);
    components from ``scipy.sparse.csgraph``; ranks are competition ranks (1 = highest) among the
    period's active actors; betweenness from `analysis.betweenness.betweenness` (exact up to its
    size threshold, then sampled with a fixed seed).

    References
    ----------
    .. [1] T. A. B. Snijders, "The statistical evaluation of social network dynamics",
       Sociological Methodology 31, 361–395 (2001).
    """
    from analysis.betweenness import betweenness

    if not periods:
        raise PartnetError("no period to compare", hint="give --period FIRST-LAST twice or more, or --every N")
    if top < 1:
        raise PartnetError(f"top = {top}", hint="ask for at least one rank change, e.g. --top 10")
    t = _Tables(g)
    rows, states = [], []
    it: Iterable = periods
    if progress:
        from tqdm import tqdm

        it = tqdm(periods, desc="periods", unit=" period", leave=False, disable=None)
    for lo, hi in it:
        s = t.period(int(lo), int(hi))  # type: ignore[arg-type]
        idx = np.flatnonzero(s["active"])
        u, v = s["pairs"] // t.n, s["pairs"] % t.n
        adj = sp.csr_matrix((np.ones(len(u)), (u, v)), shape=(t.n, t.n))
        adj = (adj + adj.T).tocsr()
        sub = adj[idx][:, idx]
        n_comp = csgraph.connected_components(sub, directed=False)[0] if len(idx) else 0
        with_members = np.zeros(t.n_parts, dtype=bool)
        with_members[t.m_part[s["m_live"]]] = True
        has_union = np.zeros(t.n_parts, dtype=bool)
        um = s["m_live"] & t.union[t.m_actor]
        has_union[t.m_part[um]] = True
        pc = pd.DataFrame({"p": t.m_part[s["m_live"]], "c": t.country[t.m_actor[s["m_live"]]]})
        n_countries = pc[pc["c"] != ""].drop_duplicates().groupby("p").size()
        known = len(n_countries)
        rows.append({"period": period_label((lo, hi)), "start": int(lo), "end": int(hi), "actors": len(idx),
                     "partnerships": int(s["live"].sum()), "ties": len(s["pairs"]), "funding_ties": s["funding_ties"],
                     "components": int(n_comp),
                     "union_coverage": float(has_union.sum() / with_members.sum()) if with_members.any() else np.nan,
                     "cross_border_share": float((n_countries > 1).sum() / known) if known else np.nan})
        deg = np.asarray(adj.sum(axis=1)).ravel()
        h = nx.Graph()
        h.add_nodes_from(idx.tolist())
        h.add_edges_from(zip(u.tolist(), v.tolist(), strict=True))
        btw = betweenness(h)[0]
        states.append((s, idx, deg, btw))
    figures = pd.DataFrame(rows, columns=PERIOD_FIGURES)
    changes, ranks = [], []
    for (a_lbl, (sa, ia, da, ba)), (b_lbl, (sb, ib, db, bb)) in zip(
            zip(figures["period"], states, strict=True), list(zip(figures["period"], states, strict=True))[1:],
            strict=False):
        aa, ab = sa["active"], sb["active"]
        ids = np.array(t.ids, dtype=object)
        pair = lambda codes: [[t.ids[c // t.n], t.ids[c % t.n]] for c in codes.tolist()]  # noqa: E731
        entering, leaving, persisting = ids[ab & ~aa].tolist(), ids[aa & ~ab].tolist(), ids[aa & ab].tolist()
        formed, dissolved = np.setdiff1d(sb["pairs"], sa["pairs"]), np.setdiff1d(sa["pairs"], sb["pairs"])
        changes.append({"from": a_lbl, "to": b_lbl, "n_entering": len(entering), "n_leaving": len(leaving),
                        "n_persisting": len(persisting), "n_ties_formed": len(formed),
                        "n_ties_dissolved": len(dissolved), "entering": entering, "leaving": leaving,
                        "persisting": persisting, "ties_formed": pair(formed), "ties_dissolved": pair(dissolved)})
        both = np.flatnonzero(aa & ab)
        for measure, va, vb in (("degree", da, db), ("betweenness", ba, bb)):
            ra, rb = _ranks(va, ia), _ranks(vb, ib)
            ch = pd.DataFrame({"from": a_lbl, "to": b_lbl, "measure": measure, "id": ids[both],
                               "name": t.actors["name"].to_numpy(dtype=object)[both],
                               "rank_from": [ra[i] for i in both.tolist()], "rank_to": [rb[i] for i in both.tolist()]})
            ch["change"] = ch["rank_from"] - ch["rank_to"]
            ch = ch.assign(_abs=ch["change"].abs()).sort_values(["_abs", "id"], ascending=[False, True], kind="stable")
            ranks.append(ch[ch["change"] != 0].drop(columns="_abs").head(top))
    cols = ["from", "to", "measure", "id", "name", "rank_from", "rank_to", "change"]
    rank_df = pd.concat(ranks, ignore_index=True) if ranks else pd.DataFrame(columns=cols)
    for c in ("rank_from", "rank_to", "change"):
        rank_df[c] = rank_df[c].astype(np.int64)
    change_df = pd.DataFrame(changes, columns=["from", "to", "n_entering", "n_leaving", "n_persisting",
                                               "n_ties_formed", "n_ties_dissolved", "entering", "leaving",
                                               "persisting", "ties_formed", "ties_dissolved"])
    mentioned = sorted({a for c in changes for k in ("entering", "leaving", "persisting") for a in c[k]})
    names = t.actors.set_index("id").loc[mentioned, ["name"]].reset_index() if mentioned else \
        pd.DataFrame(columns=["id", "name"])
    return {"periods": figures, "changes": change_df, "rank_changes": rank_df[cols], "names": names}


def comparison_json(result: dict[str, pd.DataFrame]) -> dict:
    """The JSON shape of `compare_periods`: ``{"periods": [...], "changes": [{"from", "to", "entering",
    ..., "rank_changes": {"degree": [...], "betweenness": [...]}}], "names": {id: name}}``."""
    def plain(v: object) -> object:
        if isinstance(v, float) and np.isnan(v):
            return None
        return v.item() if isinstance(v, np.generic) else v

    periods = [{k: plain(v) for k, v in r.items()} for r in result["periods"].to_dict(orient="records")]
    rc = result["rank_changes"]
    changes = []
    for r in result["changes"].to_dict(orient="records"):
        r = {k: plain(v) for k, v in r.items()}
        sel = rc[(rc["from"] == r["from"]) & (rc["to"] == r["to"])]
        r["rank_changes"] = {m: [{k: plain(v) for k, v in x.items()} for x in
                                 sel[sel["measure"] == m][["id", "rank_from", "rank_to", "change"]]
                                 .to_dict(orient="records")] for m in ("degree", "betweenness")}
        changes.append(r)
    names = dict(zip(result["names"]["id"].tolist(), result["names"]["name"].tolist(), strict=True))
    return {"periods": periods, "changes": changes, "names": names}


def _ranks(values: np.ndarray, idx: np.ndarray) -> dict[int, int]:
    """Competition ranks (1 = highest value) of the actors ``idx``."""
    if isinstance(values, dict):
        vals = np.array([values.get(i, 0.0) for i in idx.tolist()], dtype=float)
    else:
        vals = np.asarray(values, dtype=float)[idx]
    r = pd.Series(vals).rank(method="min", ascending=False).astype(np.int64).tolist()
    return dict(zip(idx.tolist(), r, strict=True))
