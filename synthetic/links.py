"""Explicit bilateral ties between actors (``LINKED_TO``): exchanges, twinnings, cooperations...

`link_frame` is the generator's fifth stage (after `synthetic.funding.funding_frame`): it draws
the links and builds the ``links`` table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from synthetic._shared import SOURCE, sample_in_blocks
from synthetic.actors import Population
from synthetic.memberships import Memberships
from synthetic.params import Params

__all__ = ["link_frame"]

_LINK_KINDS = ("exchange", "twinning", "cooperation", "agreement", "other")
_LINK_KINDS_P = np.array([0.30, 0.15, 0.35, 0.15, 0.05])


def link_frame(rng: np.random.Generator, people: Population, mem: Memberships, p: Params,
               aid: np.ndarray) -> pd.DataFrame:
    """Draw the links between active actors and build the ``links`` table.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator's random source.
    people : Population
        The actors (`synthetic.actors.draw_population`).
    mem : Memberships
        The actors grouped by country (``by_c``, ``grp_start``, ``grp_end``).
    p : Params
        Shape parameters.
    aid : numpy.ndarray
        The actors' ids.

    Returns
    -------
    pandas.DataFrame
        The ``links`` table of the import format.

    Notes
    -----
    About ``p.links_per_actor * n`` links from a random active actor to another: 40 % to an
    active actor of the same country, the others to any active actor (many cross-border); a
    kind from a fixed mix and a year (2000-2024) for 80 %. Self-links and repeats are dropped.
    """
    n, a_country, active = people.n, people.a_country, people.active
    by_c, grp_start, grp_end = mem.by_c, mem.grp_start, mem.grp_end
    # -- links -----------------------------------------------------------------------------------
    n_l = int(round(p.links_per_actor * n))
    act_idx = np.flatnonzero(active)
    l_s = act_idx[rng.integers(0, len(act_idx), n_l)] if len(act_idx) else np.zeros(0, dtype=np.int64)
    same = rng.random(n_l) < 0.4
    l_t = act_idx[rng.integers(0, len(act_idx), n_l)] if len(act_idx) else np.zeros(0, dtype=np.int64)
    if same.any():
        act_cum = np.cumsum(active[by_c].astype(float))
        src_c = a_country[l_s[same]]
        l_t[same] = by_c[sample_in_blocks(rng, act_cum, grp_start, grp_end, src_c)]
    l_kind = rng.choice(len(_LINK_KINDS), size=n_l, p=_LINK_KINDS_P)
    l_year = np.where(rng.random(n_l) < 0.2, -1, rng.integers(2000, 2025, n_l))
    ok = (l_s != l_t) & active[l_t]
    l_s, l_t, l_kind, l_year = l_s[ok], l_t[ok], l_kind[ok], l_year[ok]
    _, firstl = np.unique((l_s * np.int64(n) + l_t) * 8 + l_kind, return_index=True)
    firstl.sort()
    l_s, l_t, l_kind, l_year = l_s[firstl], l_t[firstl], l_kind[firstl], l_year[firstl]
    links = pd.DataFrame({
        "source_id": aid[l_s], "target_id": aid[l_t], "kind": np.asarray(_LINK_KINDS, dtype=object)[l_kind],
        "year": pd.array(np.where(l_year < 0, None, l_year).tolist(), dtype="Int64"),
        "source": SOURCE, "section": "links",
    })
    return links
