"""Candidate introductions for each gap: pairs of actors two steps apart whose tie would close it.

- ``union``: a member of a union-less partnership and a union two steps away (`_union_candidates`);
- ``bridge``: two actors of different communities with a common neighbour (`_bridge_candidates`);
- ``cross_border``: an actor of a country without a tie abroad and an actor abroad reached through a
  country-less intermediary (`_cross_border_candidates`).

Each generator returns `analysis._link_prediction._Cand` records scored with the `_Context`'s fast
scores; `analysis.introductions.suggest_introductions` keeps the best of them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping

import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis._link_prediction import _Cand, _Context
from analysis._tables import memberships_frame, partnerships_frame
from analysis.composition import partnerships_without_union
from analysis.projection import adjacency

#: Candidate pairs kept per pair of communities (see `_bridge_candidates`).
_PER_COMMUNITY_PAIR = 10
#: Levels of partnership whose union candidates come from the partnership's own country.
DOMESTIC_LEVELS = frozenset({"local", "regional", "national"})


def partnership_countries(ctx: _Context, pids: Iterable[str]) -> dict[str, str]:
    """Each partnership's country: the country of most of its members (ties: alphabetical; "" when none)."""
    wanted = set(pids)
    counts: dict[str, Counter] = defaultdict(Counter)
    mem = memberships_frame(ctx.g)
    for a, p in zip(mem["actor_id"].tolist(), mem["partnership_id"].tolist(), strict=True):
        c = ctx.country.get(a, "")
        if p in wanted and c:
            counts[p][c] += 1
    return {p: min(cnt.items(), key=lambda kv: (-kv[1], kv[0]))[0] for p, cnt in counts.items()}


def _union_candidates(ctx: _Context, fallback: bool, top: int, cross_border: bool = False) -> list[_Cand]:
    """Member of a union-less partnership x union two steps away, best score first.

    A local, regional or national partnership (`DOMESTIC_LEVELS`) with a country (`partnership_countries`)
    only gets unions of that country, unless ``cross_border``.

    All scores at once as a sparse product: ``S = A[members] · diag(w) · A[:, unions]`` (``w`` the
    per-neighbour weight of the method) with already-tied pairs removed. A member of a union-less
    partnership is never a union, so every non-zero of ``S`` is a candidate. Taken best first (then the
    better-connected member, then ids), each introduction serves the union-less partnerships of its
    member that no earlier one served: one introduction per partnership.
    """
    proj = ctx.proj
    nou = partnerships_without_union(ctx.g)
    if nou.empty:
        return []
    order = {p: i for i, p in enumerate(nou["partnership_id"])}  # largest partnerships first
    pinfo = dict(zip(nou["partnership_id"], zip(nou["name"], nou["members"], strict=True), strict=True))
    pcountry = partnership_countries(ctx, order)
    levels = partnerships_frame(ctx.g).set_index("id")["level"]
    home = {p: pcountry[p] for p in order if not cross_border and levels.get(p) in DOMESTIC_LEVELS
            and pcountry.get(p)}  # partnership -> the only country its union may come from

    def fits(p: str, u: str) -> bool:
        return p not in home or ctx.country.get(u, "") == home[p]

    mem = memberships_frame(ctx.g)
    mem = mem[[p in order and m in proj for p, m in zip(mem["partnership_id"].tolist(), mem["actor_id"].tolist(),
                                                         strict=True)]]
    mem = mem.assign(_o=mem["partnership_id"].map(order)).sort_values(["actor_id", "_o"], kind="stable")
    parts_of: dict[str, list[str]] = defaultdict(list)  # member -> its union-less partnerships, largest first
    for m, p in zip(mem["actor_id"].tolist(), mem["partnership_id"].tolist(), strict=True):
        parts_of[m].append(p)
    unions = sorted(a for a, f in ctx.family.items() if f == "trade_unions" and a in proj)
    members = sorted(parts_of)
    out: list[_Cand] = []
    used: set[str] = set()
    if unions and members:
        ctx.fast_scores([])  # builds the adjacency
        idx = ctx._index
        a_rows = ctx._csr[[idx[m] for m in members]]
        a_unions = ctx._csr[:, [idx[u] for u in unions]]
        s_mat = (a_rows @ ctx._wdiag @ a_unions).tocsr()
        tied = a_rows[:, [idx[u] for u in unions]]
        s_mat = (s_mat - s_mat.multiply(tied)).tocoo()
        s_mat.eliminate_zeros()
        deg = np.array([ctx.degree[m] for m in members])
        for k in _ranked(s_mat, deg, top):
            m, u = members[s_mat.row[k]], unions[s_mat.col[k]]
            fresh = [p for p in parts_of[m] if p not in used and fits(p, u)]
            if not fresh:
                continue
            used.update(fresh)
            out.append(_Cand(float(s_mat.data[k]), m, u, fresh[0], ctx.method,
                             _union_reason(fresh, pinfo, m, u, pcountry.get(fresh[0], ""))))
            if len(out) >= top:
                break
    if fallback and len(out) < top:
        # partnerships none of whose members has a union two steps away: the best-connected union of
        # their country, score 0
        served = {c.context for c in out}
        best_in: dict[str, str] = {}
        for u in ctx.best(unions):
            best_in.setdefault(ctx.country.get(u, ""), u)
        by_part = mem.groupby("partnership_id")["actor_id"].agg(sorted).to_dict()
        for pid in nou["partnership_id"]:
            ms = by_part.get(pid, [])
            if not ms or pid in served or used.intersection([pid]):
                continue
            m = ctx.best(ms)[0]
            # the partnership's own country first, then its members' other countries (unless domestic)
            options = [pcountry.get(pid, "")] + ([] if pid in home else sorted({ctx.country.get(x, "") for x in ms}))
            country = next((c for c in options if c and c in best_in), None)
            if country is not None:
                out.append(_Cand(0.0, m, best_in[country], pid, "fallback",
                                 _union_fallback_reason(pid, *pinfo[pid], m, best_in[country],
                                                        pcountry.get(pid, ""))))
                if len(out) >= top:
                    break
    return out


def _ranked(s_mat: sp.coo_matrix, deg: np.ndarray, top: int) -> Iterator[int]:
    """Entries of ``s_mat`` best first (score, then member degree, then row and column): the best few
    hundred sorted first, the rest only if they are needed."""
    n = s_mat.nnz
    head = min(n, max(50 * top, 1000))
    cut = np.argpartition(-s_mat.data, head - 1)[:head] if head < n else np.arange(n)
    threshold = s_mat.data[cut].min() if head < n else -np.inf
    # every entry scoring strictly above the threshold is in ``cut``; ties at it are sorted with the rest
    sure = cut[s_mat.data[cut] > threshold]
    for block in (sure, np.flatnonzero(s_mat.data <= threshold)):
        order = np.lexsort((s_mat.col[block], s_mat.row[block], -deg[s_mat.row[block]], -s_mat.data[block]))
        yield from block[order].tolist()


def _fit(ctx: _Context, u: str, pcountry: str) -> str:
    """Why union ``u`` fits a partnership of country ``pcountry``, in words."""
    cu = ctx.country.get(u, "")
    if cu and cu == pcountry:
        return f"a union from {cu}, the partnership's country"
    if cu:
        return f"a union from {cu}" + (f", not the partnership's country {pcountry}" if pcountry else "")
    return "a union without a country (European or international)"


def _union_reason(parts: list[str], pinfo: dict, m: str, u: str, pcountry: str) -> Callable[[_Context], str]:
    def make(ctx: _Context) -> str:
        pid = parts[0]
        name, n = pinfo[pid]
        text = (f"{name} ({pid}) has no trade union among {_members(n)} (family missing: trade unions); "
                f"{ctx.label(u)}, {_fit(ctx, u, pcountry)}, could join through {ctx.label(m)}, shared partners: "
                f"{ctx.via(m, u)}.")
        if len(parts) > 1:
            others = ", ".join(f"{pinfo[p][0]} ({p})" for p in parts[1:4])
            more = f" and {len(parts) - 4} more" if len(parts) > 4 else ""
            text += f" {ctx.name.get(m, m)} is also in union-less {others}{more}."
        return text
    return make


def _union_fallback_reason(pid: str, pname: str, n: int, m: str, u: str, pcountry: str
                           ) -> Callable[[_Context], str]:
    return lambda ctx: (f"{pname} ({pid}) has no trade union among {_members(n)} (family missing: trade unions) "
                        f"and no union is two steps away that fits (no shared partners); {ctx.label(u)}, "
                        f"{_fit(ctx, u, pcountry)}, is the best-connected union in {ctx.country.get(u)}, to meet "
                        f"{ctx.label(m)}, the partnership's best-connected member.")


def _bridge_candidates(ctx: _Context, comm: pd.Series) -> list[_Cand]:
    """Pairs of actors of two different communities with a common neighbour, best per community pair.

    Intermediaries are visited best-connected first (they contribute most shared neighbours); at each,
    the 6 largest neighbouring communities and their 2 best-connected members are paired, and at most
    ``_PER_COMMUNITY_PAIR`` untied pairs are kept per community pair, so the work stays linear in the
    number of ties even around hubs that touch hundreds of communities.
    """
    proj, deg = ctx.proj, ctx.degree
    cm = {a: c for a, c in comm.items() if a in proj}
    labels = sorted(set(cm.values()), key=str)  # community codes in the order of str(label), as _pair compares
    nodes, a = adjacency(proj, None)
    code_of = {c: k for k, c in enumerate(labels)}
    cidx = np.array([code_of[cm[v]] if v in cm else -1 for v in nodes], dtype=np.int64)
    degv = np.diff(a.indptr)
    picks_of = {nodes[w]: v for w, v in _community_picks(a, cidx, degv, groups=6, members=2).items()}
    adj = proj._adj
    pairs: set[tuple[str, str]] = set()
    per_key: dict[tuple, int] = defaultdict(int)
    for w in ctx.best(proj.nodes):
        if deg[w] < 2:
            break
        picks = picks_of.get(w)
        if picks is None:
            continue
        picks = [(labels[c], [nodes[x] for x in xs]) for c, xs in picks]
        for i, (c1, xs) in enumerate(picks):
            for c2, ys in picks[i + 1:]:
                key = _pair(c1, c2)
                for x in xs:
                    for y in ys:
                        if per_key[key] < _PER_COMMUNITY_PAIR and y not in adj[x]:
                            pair = (x, y) if x < y else (y, x)
                            if pair not in pairs:
                                pairs.add(pair)
                                per_key[key] += 1
    ordered = sorted(pairs)
    scores = ctx.fast_scores(ordered)
    best: dict[tuple, tuple[float, str, str]] = {}
    for (x, y), sc in zip(ordered, scores.tolist(), strict=True):
        key = _pair(cm[x], cm[y])
        if key not in best or sc > best[key][0]:
            best[key] = (sc, x, y)
    up = sp.triu(a, k=1).tocoo()
    cu, cv = cidx[up.row], cidx[up.col]
    cross = (cu >= 0) & (cv >= 0) & (cu != cv)
    lo, hi = np.minimum(cu[cross], cv[cross]), np.maximum(cu[cross], cv[cross])
    found, counts = np.unique(lo * max(len(labels), 1) + hi, return_counts=True)
    between: dict[tuple, int] = defaultdict(int)
    for k, cnt in zip(found.tolist(), counts.tolist(), strict=True):
        between[(labels[k // len(labels)], labels[k % len(labels)])] = cnt
    desc: dict = {}

    def reason(c1, c2, x: str, y: str) -> Callable[[_Context], str]:
        def make(ctx: _Context) -> str:
            if not desc:
                desc.update(_community_descriptions(cm, ctx))
            n = between[(c1, c2)]
            return (f"Bridges community {c1} ({desc[c1]}) and community {c2} ({desc[c2]}), which have {n} direct "
                    f"tie{'s' if n != 1 else ''}; {ctx.label(x)} and {ctx.label(y)} are not tied but have "
                    f"{ctx.via(x, y)}.")
        return make

    return [_Cand(sc, x, y, f"{c1}-{c2}", ctx.method, reason(c1, c2, x, y))
            for (c1, c2), (sc, x, y) in best.items()]


def _community_picks(a: sp.csr_array, cidx: np.ndarray, degv: np.ndarray, *, groups: int, members: int
                     ) -> dict[int, list[tuple[int, list[int]]]]:
    """For every node ``w`` with neighbours in two communities or more: its ``groups`` largest neighbouring
    communities (ties by code) with the ``members`` best-connected neighbours in each (ties by index).

    ``a`` is the adjacency matrix (rows in sorted id order), ``cidx`` each node's community code (-1:
    none), ``degv`` each node's degree. Counting and ranking are sorts over all ties at once; only the
    picks, a few per node, reach Python.
    """
    n = a.shape[0]
    coo = a.tocoo()
    c_all = cidx[coo.col]
    keep = c_all >= 0
    w_all, x_all, c_all = coo.row[keep].astype(np.int64), coo.col[keep].astype(np.int64), c_all[keep]
    k = int(cidx.max()) + 1 if len(cidx) else 1
    key = w_all * k + c_all
    uniq, cnt = np.unique(key, return_counts=True)
    uw, uc = uniq // k, uniq % k
    n_comm = np.bincount(uw, minlength=n)
    top_cnt = int(cnt.max()) + 1 if len(cnt) else 1
    order = np.argsort((uw * top_cnt + (top_cnt - 1 - cnt)) * k + uc)  # per node: largest community, then code
    first = np.searchsorted(uw[order], np.arange(n))
    rank = np.empty(len(uniq), dtype=np.int64)
    rank[order] = np.arange(len(order)) - first[uw[order]]
    group_of = np.searchsorted(uniq, key)
    sel = (rank[group_of] < groups) & (n_comm[w_all] >= 2)
    g_sel, x_sel = group_of[sel], x_all[sel]
    top_deg = int(degv.max()) + 1 if len(degv) else 1
    o = np.argsort((g_sel * top_deg + (top_deg - 1 - degv[x_sel])) * n + x_sel)  # per group: best-connected first
    g_o = g_sel[o]
    within = np.arange(len(o)) - np.searchsorted(g_o, g_o)
    top = o[within < members]
    g_top, x_top = g_sel[top], x_sel[top]
    o = np.lexsort((np.arange(len(top)), rank[g_top], uw[g_top]))  # by node, group rank, member order
    out: dict[int, list[tuple[int, list[int]]]] = {}
    g_o = g_top[o]
    for w, c, x in zip(uw[g_o].tolist(), uc[g_o].tolist(), x_top[o].tolist(), strict=True):
        picks = out.get(w)
        if picks is None:
            picks = out[w] = []
        if not picks or picks[-1][0] != c:
            picks.append((c, []))
        picks[-1][1].append(x)
    return out


def _cross_border_candidates(ctx: _Context, fallback: bool) -> list[_Cand]:
    from analysis.crossborder import countries_without_cross_border

    proj, ctry = ctx.proj, ctx.country
    lonely = countries_without_cross_border(ctx.g, proj)["country"].tolist()
    out: list[_Cand] = []
    if not lonely:
        return out
    also: dict[frozenset, list[str]] = {}
    abroad_active = {a for a in proj.nodes if ctry.get(a) and any(
        ctry.get(v) and ctry.get(v) != ctry.get(a) for v in proj.adj[a])}
    by_country: dict[str, list[str]] = defaultdict(list)
    for a in proj.nodes:
        if ctry.get(a):
            by_country[ctry[a]].append(a)
    for c in lonely:
        locals_ = by_country.get(c, [])
        pairs = sorted({(a, b) for a in locals_ for w in proj.adj[a] if not ctry.get(w)
                        for b in proj.adj[w] if ctry.get(b) and ctry.get(b) != c})
        scores = ctx.fast_scores(pairs)
        best_per_country: dict[str, tuple[float, str, str]] = {}
        for (a, b), sc in zip(pairs, scores.tolist(), strict=True):
            key = ctry[b]
            if key not in best_per_country or sc > best_per_country[key][0]:
                best_per_country[key] = (sc, a, b)
        for other, (sc, a, b) in sorted(best_per_country.items()):
            pair = frozenset((a, b))
            if pair in also:  # the same tie is also the first abroad for the other country
                also[pair].append(c)
                continue
            also[pair] = []
            out.append(_Cand(sc, a, b, c, ctx.method, _cross_reason(c, other, a, b, also[pair])))
        if not best_per_country and fallback and locals_:
            a = ctx.best(locals_)[0]
            pool = [b for b in abroad_active if ctx.family.get(b) == ctx.family.get(a)] or sorted(abroad_active)
            if pool:
                b = ctx.best(pool)[0]
                out.append(_Cand(0.0, a, b, c, "fallback", _cross_fallback_reason(c, a, b)))
    return out


def _cross_reason(c: str, other: str, a: str, b: str, also: list[str]) -> Callable[[_Context], str]:
    return lambda ctx: (f"{c} has actors but no tie abroad; {ctx.label(a)} and {ctx.label(b)} ({other}) have "
                        f"{ctx.via(a, b)}." + "".join(f" It is also {x}'s first tie abroad." for x in also))


def _cross_fallback_reason(c: str, a: str, b: str) -> Callable[[_Context], str]:
    return lambda ctx: (f"{c} has actors but no tie abroad and no foreign actor is two steps away; {ctx.label(a)} "
                        f"is its best-connected actor and {ctx.label(b)} ({ctx.country.get(b)}) the best-connected "
                        f"{ctx.family.get(b)} actor with ties abroad.")


def _members(n: int) -> str:
    return "its only member" if n == 1 else f"its {n} members"


def _pair(c1, c2) -> tuple:
    return (c1, c2) if str(c1) <= str(c2) else (c2, c1)


def _top(values: Iterable[str], k: int = 2) -> str:
    counts = Counter(v for v in values if v)
    return ", ".join(v for v, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k])


def _community_descriptions(cm: Mapping[str, object], ctx: _Context) -> dict:
    members: dict = defaultdict(list)
    for a, c in cm.items():
        members[c].append(a)
    out = {}
    for c, xs in members.items():
        top_c = _top(ctx.country.get(a, "") for a in xs)
        top_f = _top(ctx.family.get(a, "") for a in xs)
        out[c] = f"{len(xs)} actors; {top_c or 'no country'}; {top_f}"
    return out
