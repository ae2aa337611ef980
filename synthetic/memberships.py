"""Who is in which partnership: partnership sizes, cross-border partnerships, members and their roles.

`draw_memberships` is the generator's second stage (after `synthetic.actors.draw_population`):
a bipartite random graph with prescribed degrees on both sides (Newman, Strogatz and Watts
2001, see the package doc) in country blocks. `membership_frame` draws the roles and builds the
``memberships`` table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from synthetic._shared import NETWORK_KINDS, SOURCE, choice, sample_in_blocks
from synthetic.actors import Population
from synthetic.params import Params

__all__ = ["Memberships", "draw_memberships", "membership_frame"]

_ROLES_OTHER = ("partner", "associate", "observer", "facilitator", "member")
_ROLES_OTHER_P = np.array([0.80, 0.10, 0.03, 0.02, 0.05])


@dataclass
class Memberships:
    """The partnerships and memberships drawn by `draw_memberships`.

    Attributes
    ----------
    n_p : int
        Number of partnerships.
    cross, home : numpy.ndarray
        Per partnership: whether it is cross-border, and its home country index (the
        European pseudo-country for cross-border ones).
    by_c, grp_start, grp_end : numpy.ndarray
        Actor indexes grouped by country (random order inside), and each country's slice.
    m_p, m_a : numpy.ndarray
        Per membership (sorted by partnership, each pair once): partnership and actor index.
    first_of_p : numpy.ndarray
        Whether the membership is its partnership's first (the lead's).
    """

    n_p: int
    cross: np.ndarray
    home: np.ndarray
    by_c: np.ndarray
    grp_start: np.ndarray
    grp_end: np.ndarray
    m_p: np.ndarray
    m_a: np.ndarray
    first_of_p: np.ndarray


def draw_memberships(rng: np.random.Generator, people: Population, p: Params) -> Memberships:
    """Draw the partnerships' sizes and countries and fill their member slots with actors.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator's random source.
    people : Population
        The actors (`synthetic.actors.draw_population`).
    p : Params
        Shape parameters.

    Returns
    -------
    Memberships

    Notes
    -----
    Sizes: a discretised lognormal (``p.size_median``, ``p.size_sigma``) mixed with a Pareto
    tail (``p.network_share``, ``p.tail_alpha``, ``p.max_size``), drawn until about
    ``p.memberships_per_actor`` slots per actor. A partnership is cross-border with a
    probability growing with its size (about ``p.cross_border_share`` overall); its slots get
    a few countries (and sometimes a European body), the others' slots their home country.
    Every active actor first takes one slot of its country; the remaining slots are filled
    with actors of the slot's country drawn in proportion to their activity weight; repeated
    (partnership, actor) pairs are dropped.
    """
    n, n_c, eu = people.n, people.n_c, people.eu
    a_country, active, weight = people.a_country, people.active, people.weight
    # -- partnerships: sizes, cross-border, countries of the member slots ----------------------
    target = p.memberships_per_actor * n * 1.03  # a few drawn memberships are duplicates, dropped later
    mu = np.log(p.size_median)
    est = int(target / 3) + 100 if p.single_share <= 0 else int(target) + 100  # generous: enough sizes
    body = np.maximum(2, np.rint(rng.lognormal(mu, p.size_sigma, size=est))).astype(np.int64)
    tail = np.minimum(p.max_size, np.rint(15 * (rng.pareto(p.tail_alpha, size=est) + 1))).astype(np.int64)
    sizes = np.where(rng.random(est) < p.network_share, tail, body)
    if p.single_share > 0:  # individual grants: one member (drawn only then, so other profiles are unchanged)
        sizes = np.where(rng.random(est) < p.single_share, 1, sizes)
    cut = int(np.searchsorted(np.cumsum(sizes), target)) + 1
    sizes = sizes[:cut]
    n_p = len(sizes)
    actors_per_c = np.bincount(a_country[active], minlength=n_c + 1).astype(float)
    # bigger partnerships cross borders more often; calibrated so the overall share is about cross_border_share
    rel = np.where(sizes >= 40, 5.0, np.where(sizes >= 12, 2.0, 1.0))
    cb_prob = rel * p.cross_border_share / rel.mean()
    cross = (rng.random(n_p) < np.clip(cb_prob, 0, 1)) & (n_c >= 2) & (sizes >= 2)
    sizes = np.where(cross, np.maximum(sizes, 2), sizes)
    dom_w = actors_per_c[:n_c] / actors_per_c[:n_c].sum()
    home = np.where(cross, eu, rng.choice(n_c, size=n_p, p=dom_w))

    slot_p = np.repeat(np.arange(n_p), sizes)
    starts_p = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    slot_r = np.arange(len(slot_p)) - starts_p[slot_p]
    slot_c = home[slot_p].copy()
    cb_idx = np.flatnonzero(cross)
    if len(cb_idx):
        k = np.minimum(np.minimum(sizes[cb_idx], n_c), 2 + rng.poisson(sizes[cb_idx] / 8.0))
        gumbel = np.log(dom_w)[None, :] - np.log(-np.log(rng.random((len(cb_idx), n_c))))
        chosen = np.argsort(-gumbel, axis=1)  # a weighted random order of the countries per partnership
        row_of = np.full(n_p, -1)
        row_of[cb_idx] = np.arange(len(cb_idx))
        in_cb = cross[slot_p]
        rows = row_of[slot_p[in_cb]]
        r = slot_r[in_cb]
        pick = np.where(r < k[rows], r, (rng.random(len(r)) * k[rows]).astype(np.int64))
        cc = chosen[rows, pick]
        # a European body joins some cross-border partnerships (in the slot after the k countries)
        eu_join = rng.random(len(cb_idx)) < 0.3
        cc = np.where((r == k[rows]) & eu_join[rows], eu, cc)
        slot_c[in_cb] = cc

    # -- fill the slots with actors of the slot's country ----------------------------------------
    by_c = np.lexsort((rng.random(n), a_country))  # actors grouped by country, random order inside
    grp_start = np.searchsorted(a_country[by_c], np.arange(n_c + 1), side="left")
    grp_end = np.searchsorted(a_country[by_c], np.arange(n_c + 1), side="right")
    slot_actor = np.full(len(slot_p), -1, dtype=np.int64)
    step1 = active
    if p.solo_share > 0:
        # 0. "solo" actors (a share of the active ones) take a single-member partnership of their
        # country and are never drawn again: they end with no tie, like the holders of individual grants
        solo = active & (rng.random(n) < p.solo_share)
        single_slot = np.flatnonzero(sizes[slot_p] == 1)
        taken, _ = _one_slot_each(rng, by_c[solo[by_c]], a_country, single_slot, slot_c, n_c, slot_actor)
        weight = np.where(np.isin(np.arange(n), taken), 0.0, weight)
        step1 = active & (weight > 0)
    # 1. every active actor gets one slot of its own country (so at most isolated_share is isolated)
    free1 = np.flatnonzero(slot_actor < 0)
    _, (extra_a, extra_c, has_slot, slot_start, slot_count, s_order) = _one_slot_each(
        rng, by_c[step1[by_c]], a_country, free1, slot_c, n_c, slot_actor)
    pos = slot_start[extra_c] + (rng.random(len(extra_c)) * np.maximum(slot_count[extra_c], 1)).astype(np.int64)
    extra_p = np.where(has_slot, slot_p[s_order[np.minimum(pos, max(len(s_order) - 1, 0))]],
                       (cb_idx[rng.integers(0, len(cb_idx), len(extra_c))] if len(cb_idx)
                        else rng.integers(0, n_p, len(extra_c))))
    # 2. the remaining slots: actors of the slot's country drawn in proportion to their activity
    free = np.flatnonzero(slot_actor < 0)
    cum = np.cumsum(weight[by_c])
    blocks_ok = (cum[np.maximum(grp_end - 1, 0)] - np.where(grp_start > 0, cum[np.maximum(grp_start - 1, 0)], 0)) > 0
    fc = slot_c[free]
    ok = blocks_ok[fc] & (grp_end[fc] > grp_start[fc])
    slot_actor[free[ok]] = by_c[sample_in_blocks(rng, cum, grp_start, grp_end, fc[ok])]

    m_p = np.concatenate([slot_p, extra_p])
    m_a = np.concatenate([slot_actor, extra_a])
    m_r = np.concatenate([slot_r, np.full(len(extra_a), 10**6)])
    keep = m_a >= 0
    m_p, m_a, m_r = m_p[keep], m_a[keep], m_r[keep]
    order = np.lexsort((m_r, m_p))
    m_p, m_a, m_r = m_p[order], m_a[order], m_r[order]
    _, first = np.unique(m_p * np.int64(n) + m_a, return_index=True)
    first.sort()
    m_p, m_a, m_r = m_p[first], m_a[first], m_r[first]
    first_of_p = np.r_[True, m_p[1:] != m_p[:-1]]
    return Memberships(n_p=n_p, cross=cross, home=home, by_c=by_c, grp_start=grp_start, grp_end=grp_end,
                       m_p=m_p, m_a=m_a, first_of_p=first_of_p)


def _one_slot_each(rng: np.random.Generator, act_by_c: np.ndarray, a_country: np.ndarray, slots: np.ndarray,
                   slot_c: np.ndarray, n_c: int, slot_actor: np.ndarray) -> tuple[np.ndarray, tuple]:
    """Give each actor of ``act_by_c`` (grouped by country) one of ``slots`` of its country, in place.

    The slots of each country are taken in a random order; returns the actors placed and, for
    those of a country with fewer slots than actors, ``(extra actors, their countries, whether
    their country has any slot, each country's first and count of slots, the slots in that order)``.
    """
    act_c = a_country[act_by_c]
    act_start = np.searchsorted(act_c, np.arange(n_c + 1), side="left")
    act_rank = np.arange(len(act_by_c)) - act_start[act_c]
    order = slots[np.lexsort((rng.random(len(slots)), slot_c[slots]))]
    sc = slot_c[order]
    slot_start = np.searchsorted(sc, np.arange(n_c + 1), side="left")
    slot_count = np.bincount(sc, minlength=n_c + 1)
    s_rank = np.arange(len(sc)) - slot_start[sc]
    take = s_rank < np.bincount(act_c, minlength=n_c + 1)[sc]
    placed = act_by_c[act_start[sc[take]] + s_rank[take]]
    slot_actor[order[take]] = placed
    fits = act_rank < slot_count[act_c]
    extra_c = act_c[~fits]
    return placed, (act_by_c[~fits], extra_c, slot_count[extra_c] > 0, slot_start, slot_count, order)


def membership_frame(rng: np.random.Generator, mem: Memberships, kind: np.ndarray, aid: np.ndarray,
                     pid: np.ndarray) -> pd.DataFrame:
    """Draw the members' roles and build the ``memberships`` table.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator's random source.
    mem : Memberships
        The memberships (`draw_memberships`).
    kind : numpy.ndarray
        Each partnership's kind.
    aid, pid : numpy.ndarray
        The actors' and partnerships' ids.

    Returns
    -------
    pandas.DataFrame
        The ``memberships`` table of the import format.

    Notes
    -----
    The first member of a partnership leads it (``coordinator`` of a project, else ``lead``);
    the others of a network are ``member``, of other kinds mostly ``partner``.
    """
    m_p, m_a, first_of_p = mem.m_p, mem.m_a, mem.first_of_p
    kind_m = kind[m_p]
    lead_role = np.where(kind_m == "project", "coordinator", "lead")
    other = np.where(np.isin(kind_m, NETWORK_KINDS), "member", choice(rng, _ROLES_OTHER, _ROLES_OTHER_P, len(m_p)))
    memberships = pd.DataFrame({
        "actor_id": aid[m_a], "partnership_id": pid[m_p], "role": np.where(first_of_p, lead_role, other),
        "source": SOURCE, "section": "memberships",
    })
    return memberships
