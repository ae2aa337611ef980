"""The partnerships' attributes: kind, level, years, theme and name, and the ``parent_id`` hierarchy.

`draw_partnerships` is the generator's third stage (after `synthetic.memberships.draw_memberships`,
whose sizes and countries it reads); `partnership_frame` builds the ``partnerships`` table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from synthetic._shared import NETWORK_KINDS, SOURCE, choice, pseudo_words
from synthetic.actors import Population
from synthetic.memberships import Memberships
from synthetic.params import Params

__all__ = ["Partnerships", "draw_partnerships", "partnership_frame"]

_KIND_SMALL = {"project": 0.45, "development_partnership": 0.15, "agreement": 0.10, "exchange": 0.10,
               "initiative": 0.10, "pact": 0.05, "thematic_network": 0.03, "city_network": 0.01,
               "union_network": 0.01}
_KIND_LARGE = {"thematic_network": 0.40, "city_network": 0.20, "union_network": 0.10, "initiative": 0.15,
               "pact": 0.05, "project": 0.10}
_THEMES = (
    "labour-market integration", "recognition of skills and qualifications", "language and vocational training",
    "anti-discrimination at work", "migrant entrepreneurship", "employment of refugees",
    "labour rights and undeclared work", "social economy and inclusion", "trade-union outreach to migrants",
    "reception and orientation", "women migrants and work", "youth and apprenticeships",
)


@dataclass
class Partnerships:
    """The partnerships' attributes drawn by `draw_partnerships` (index ``j`` is partnership ``j``).

    Attributes
    ----------
    n_p : int
        Number of partnerships.
    real_size : numpy.ndarray
        Members per partnership.
    kind, level : numpy.ndarray
        Kind and level.
    start, end, running : numpy.ndarray
        Start and end year, and whether it is still running (no end year).
    theme_i : numpy.ndarray
        Index of the theme.
    acronym, code_c : numpy.ndarray
        The acronym and home country code (``EU`` when cross-border) of the name.
    parent : numpy.ndarray
        Index of the network it is part of, ``-1`` for none.
    pid : numpy.ndarray
        The partnerships' ids.
    """

    n_p: int
    real_size: np.ndarray
    kind: np.ndarray
    level: np.ndarray
    start: np.ndarray
    end: np.ndarray
    running: np.ndarray
    theme_i: np.ndarray
    acronym: np.ndarray
    code_c: np.ndarray
    parent: np.ndarray
    pid: np.ndarray


def draw_partnerships(rng: np.random.Generator, people: Population, mem: Memberships, p: Params) -> Partnerships:
    """Draw each partnership's kind, level, years, theme, acronym and parent network.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator's random source.
    people : Population
        The actors (`synthetic.actors.draw_population`).
    mem : Memberships
        The partnerships' members (`synthetic.memberships.draw_memberships`).
    p : Params
        Shape parameters.

    Returns
    -------
    Partnerships

    Notes
    -----
    Partnerships of 30 members or more are mostly networks, smaller ones mostly projects;
    cross-border ones are European, others local, regional or national. Start years
    1995-2024 (later ones likelier), a lognormal duration of about three years, half of those
    ending from 2025 still running. A share ``p.parent_share`` of the non-networks is placed
    inside a network of the same home country (else any network).
    """
    n_c, codes = people.n_c, people.codes
    n_p, cross, home, m_p = mem.n_p, mem.cross, mem.home, mem.m_p
    # -- partnership attributes ------------------------------------------------------------------
    real_size = np.bincount(m_p, minlength=n_p)
    large = real_size >= 30
    kind = np.where(large, choice(rng, list(_KIND_LARGE), np.array(list(_KIND_LARGE.values())), n_p),
                    choice(rng, list(_KIND_SMALL), np.array(list(_KIND_SMALL.values())), n_p))
    level = np.where(cross, "european", choice(rng, ["local", "regional", "national"],
                                                np.array([0.4, 0.3, 0.3]), n_p))
    years = np.arange(1995, 2025)
    start = rng.choice(years, size=n_p, p=(w := np.linspace(1, 3, len(years))) / w.sum())
    end = start + np.maximum(1, np.rint(rng.lognormal(np.log(3), 0.4, size=n_p))).astype(np.int64)
    running = (end >= 2025) & (rng.random(n_p) < 0.5)
    theme_i = rng.integers(0, len(_THEMES), n_p)
    acronym = np.char.upper(pseudo_words(rng, n_p, 3))
    code_c = np.asarray(codes + ["EU"], dtype=object)[home]
    is_net = np.isin(kind, NETWORK_KINDS)
    # parent: a network of the same home country, else any network
    parent = np.full(n_p, -1, dtype=np.int64)
    nets = np.flatnonzero(is_net)
    if len(nets):
        kids = np.flatnonzero(~is_net & (rng.random(n_p) < p.parent_share))
        nets_by = nets[np.argsort(home[nets], kind="stable")]
        ns = np.searchsorted(home[nets_by], np.arange(n_c + 1), side="left")
        ne = np.searchsorted(home[nets_by], np.arange(n_c + 1), side="right")
        cnt = ne[home[kids]] - ns[home[kids]]
        local = ns[home[kids]] + (rng.random(len(kids)) * np.maximum(cnt, 1)).astype(np.int64)
        anyn = nets[rng.integers(0, len(nets), len(kids))]
        parent[kids] = np.where(cnt > 0, nets_by[np.minimum(local, len(nets_by) - 1)], anyn)

    pid = np.char.add("pp-", np.char.zfill(np.arange(n_p).astype(str), 6)).astype(object)
    return Partnerships(n_p=n_p, real_size=real_size, kind=kind, level=level, start=start, end=end, running=running,
                        theme_i=theme_i, acronym=acronym, code_c=code_c, parent=parent, pid=pid)


def partnership_frame(pt: Partnerships) -> pd.DataFrame:
    """Build the ``partnerships`` table (names, codes of development partnerships, parent ids).

    Parameters
    ----------
    pt : Partnerships
        The partnerships (`draw_partnerships`).

    Returns
    -------
    pandas.DataFrame
        The ``partnerships`` table of the import format. A partnership's name is its acronym,
        theme and home country; a development partnership gets a code ``CC-NAT-YEAR-NNNNN``.
    """
    n_p, kind, level, start, end, running = pt.n_p, pt.kind, pt.level, pt.start, pt.end, pt.running
    theme_i, acronym, code_c, parent, pid = pt.theme_i, pt.acronym, pt.code_c, pt.parent, pt.pid
    start_l, end_l = start.tolist(), end.tolist()
    pnames = [f"{a} — {_THEMES[t]} ({c})" for a, t, c in zip(acronym.tolist(), theme_i.tolist(),
                                                              code_c.tolist(), strict=True)]
    part_code = np.where(kind == "development_partnership",
                         np.char.add(np.char.add(code_c.astype(str), "-NAT-"),
                                     np.char.add(np.char.add(start.astype(str), "-"),
                                                 np.char.zfill(np.arange(n_p).astype(str), 5))),
                         "")
    partnerships = pd.DataFrame({
        "id": pid, "name": pnames, "kind": kind, "code": part_code, "theme": np.asarray(_THEMES, dtype=object)[theme_i],
        "level": level, "start_year": pd.array(start_l, dtype="Int64"),
        "end_year": pd.array([None if r else e for e, r in zip(end_l, running.tolist(), strict=True)], dtype="Int64"),
        "parent_id": np.where(parent >= 0, pid[np.maximum(parent, 0)], ""), "source": SOURCE,
        "section": "partnerships",
    })
    return partnerships
