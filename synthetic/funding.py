"""Who funds what: programme grants to partnerships, national co-financing and operating grants.

`funding_frame` is the generator's fourth stage (after `synthetic.partnerships.draw_partnerships`):
it draws the funding records and builds the ``funding`` table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from synthetic._shared import SOURCE
from synthetic.actors import Population
from synthetic.memberships import Memberships
from synthetic.params import PROGRAMMES, Params
from synthetic.partnerships import Partnerships

__all__ = ["funding_frame"]

_PROG_NAMES = tuple(PROGRAMMES)
#: Programme mix of funded partnerships: cross-border, domestic.
_PROG_CROSS = np.array([0.30, 0.10, 0.35, 0.25, 0.00])
_PROG_DOMESTIC = np.array([0.25, 0.40, 0.00, 0.00, 0.35])


def funding_frame(rng: np.random.Generator, people: Population, mem: Memberships, pt: Partnerships, p: Params,
                  aid: np.ndarray) -> pd.DataFrame:
    """Draw the funding records and build the ``funding`` table.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator's random source.
    people : Population
        The actors, funders first (`synthetic.actors.draw_population`).
    mem : Memberships
        Which partnerships are cross-border and their home countries.
    pt : Partnerships
        The partnerships' sizes, years and ids.
    p : Params
        Shape parameters.
    aid : numpy.ndarray
        The actors' ids.

    Returns
    -------
    pandas.DataFrame
        The ``funding`` table of the import format, one record per (funder, recipient, programme).

    Notes
    -----
    A share ``p.funded_share`` of the partnerships is funded under a programme drawn from the
    cross-border or the domestic mix, by its funder (the Commission, an executive agency, the
    home country's ESF+ managing authority or ministry); a share ``p.cofunding_share`` of the
    funded domestic ones is co-financed by the ministry. Amounts are lognormal around the
    programme's median (`PROGRAMMES`), scaled by the square root of the partnership's size, a
    share ``p.unknown_amount_share`` unknown. About 1 % of the active national actors get an
    operating grant.
    """
    n, n_c, ministry_of, esf_of = people.n, people.n_c, people.ministry_of, people.esf_of
    a_country, active = people.a_country, people.active
    n_p, cross, home = mem.n_p, mem.cross, mem.home
    real_size, start, end, running, pid = pt.real_size, pt.start, pt.end, pt.running, pt.pid
    # -- funding ---------------------------------------------------------------------------------
    funded = rng.random(n_p) < p.funded_share
    prog = np.where(cross, rng.choice(5, size=n_p, p=_PROG_CROSS), rng.choice(5, size=n_p, p=_PROG_DOMESTIC))
    home_nat = np.where(cross, rng.integers(0, n_c, n_p), home)
    funder_of_prog = np.stack([np.zeros(n_p, dtype=np.int64), esf_of[home_nat], np.full(n_p, 1), np.full(n_p, 2),
                               ministry_of[home_nat]])
    f_funder = funder_of_prog[prog, np.arange(n_p)][funded]
    f_rec = np.flatnonzero(funded)
    f_prog = prog[funded]
    co = funded & ~cross & (prog != 4) & (rng.random(n_p) < p.cofunding_share)
    f_funder = np.concatenate([f_funder, ministry_of[home[co]]])
    f_rec = np.concatenate([f_rec, np.flatnonzero(co)])
    f_prog = np.concatenate([f_prog, np.full(int(co.sum()), 4)])
    med = np.array([PROGRAMMES[x][1] for x in _PROG_NAMES])
    sig = np.array([PROGRAMMES[x][2] for x in _PROG_NAMES])
    amount = np.rint(rng.lognormal(np.log(med[f_prog]), sig[f_prog])
                     * np.sqrt(np.maximum(real_size[f_rec], 1) / 5.0))
    amount = np.where(rng.random(len(amount)) < p.unknown_amount_share, np.nan, amount)
    # operating grants to a few active national actors
    grant_a = np.flatnonzero(active & (a_country < n_c) & (rng.random(n) < 0.01))
    grant_prog = rng.choice([0, 1, 4], size=len(grant_a), p=[0.3, 0.3, 0.4])
    grant_funder = np.where(grant_prog == 0, 0, np.where(grant_prog == 1, esf_of[a_country[grant_a]],
                                                         ministry_of[a_country[grant_a]]))
    grant_amount = np.rint(rng.lognormal(np.log(40_000.0), 0.8, size=len(grant_a)))
    prog_names = np.asarray(_PROG_NAMES, dtype=object)
    f_start = np.concatenate([start[f_rec], np.full(len(grant_a), -1)])
    f_end = np.concatenate([np.where(running[f_rec], -1, end[f_rec]), np.full(len(grant_a), -1)])
    all_amount = np.concatenate([amount, grant_amount])
    funding = pd.DataFrame({
        "funder_id": aid[np.concatenate([f_funder, grant_funder])],
        "recipient_id": np.concatenate([pid[f_rec], aid[grant_a]]),
        "programme": prog_names[np.concatenate([f_prog, grant_prog])],
        "amount": all_amount, "currency": np.where(np.isnan(all_amount), "", "EUR"),
        "start_year": pd.array(np.where(f_start < 0, None, f_start).tolist(), dtype="Int64"),
        "end_year": pd.array(np.where(f_end < 0, None, f_end).tolist(), dtype="Int64"),
        "source": SOURCE, "section": "funding",
    }).drop_duplicates(["funder_id", "recipient_id", "programme"], keep="first").reset_index(drop=True)
    return funding
