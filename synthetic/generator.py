"""The synthetic generator's entry points: `generate_frames` (one frame per table) and `generate` (records).

The stages draw from one ``numpy.random.Generator`` in a fixed order, so the same
``(n_actors, seed, params)`` always gives the same records: the actors
(`synthetic.actors.draw_population`), the partnerships' members
(`synthetic.memberships.draw_memberships`), the partnerships' attributes
(`synthetic.partnerships.draw_partnerships`), funding (`synthetic.funding.funding_frame`),
links (`synthetic.links.link_frame`), the actors' attributes (`synthetic.actors.actor_frame`)
and the members' roles (`synthetic.memberships.membership_frame`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graph.model import Actor, Dataset, Funding, Link, Membership, Partnership
from synthetic.actors import actor_frame, draw_population
from synthetic.funding import funding_frame
from synthetic.links import link_frame
from synthetic.memberships import draw_memberships, membership_frame
from synthetic.params import Params
from synthetic.partnerships import draw_partnerships, partnership_frame

__all__ = ["generate", "generate_frames"]


def generate_frames(n_actors: int, seed: int = 0, params: Params | None = None) -> dict[str, pd.DataFrame]:
    """Generate a synthetic dataset as one data frame per import-format table.

    Parameters
    ----------
    n_actors : int
        Number of actors (funders and European bodies included); at least 20.
    seed : int
        Seed of the random generator: the same ``(n_actors, seed, params)`` gives identical frames.
    params : Params or None
        Shape parameters (defaults: `Params()`).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``actors``, ``partnerships``, ``memberships``, ``funding``, ``links`` with the import
        format's columns (see ``graph.convert.COLUMNS``; ``aliases`` joined with ``;``; years and
        amounts as nullable numbers). See the package doc (`synthetic`) for the distributions.
    """
    if n_actors < 20:
        raise ValueError("n_actors must be at least 20")
    p = params or Params()
    rng = np.random.default_rng(seed)
    n = int(n_actors)

    people = draw_population(rng, n, p)
    mem = draw_memberships(rng, people, p)
    pt = draw_partnerships(rng, people, mem, p)
    aid = np.char.add("org-", np.char.zfill(np.arange(n).astype(str), 6)).astype(object)
    funding = funding_frame(rng, people, mem, pt, p, aid)
    links = link_frame(rng, people, mem, p, aid)
    actors = actor_frame(rng, people, aid)
    partnerships = partnership_frame(pt)
    memberships = membership_frame(rng, mem, pt.kind, aid, pt.pid)
    frames = {"actors": actors, "partnerships": partnerships, "memberships": memberships, "funding": funding,
              "links": links}
    for df in frames.values():
        for col in df.columns:
            if df[col].dtype == object or str(df[col].dtype).startswith("str"):
                df[col] = df[col].astype(object)
    return frames


def _int_or_none(v: object) -> int | None:
    return None if v is None or v is pd.NA else int(v)  # type: ignore[call-overload]


def generate(n_actors: int, seed: int = 0, params: Params | None = None) -> Dataset:
    """Generate a synthetic dataset of ``n_actors`` actors as graph-level records.

    Parameters
    ----------
    n_actors : int
        Number of actors (funders and European bodies included); at least 20.
    seed : int
        Seed: the same arguments always give the same records, in the same order.
    params : Params or None
        Shape parameters (defaults: `Params()`).

    Returns
    -------
    graph.model.Dataset
        Actors, partnerships, memberships (about ``3 * n_actors``), funding and links, every
        record valid for the model (closed vocabularies, references resolvable). See
        `generate_frames` and the package doc (`synthetic`) for the distributions.

    Examples
    --------
    >>> ds = generate(1000, seed=1)
    >>> len(ds.actors), 2.7 < len(ds.memberships) / 1000 < 3.3
    (1000, True)
    """
    f = generate_frames(n_actors, seed, params)
    a, pt, m, fu, lk = (f[t] for t in ("actors", "partnerships", "memberships", "funding", "links"))
    ds = Dataset()
    ds.actors = [Actor(id=i, name=nm, type=t, aliases=(al,) if al else (), country=c, city=ct, scope=sc, website=w,
                       source=s, section=se)
                 for i, nm, al, t, c, ct, sc, w, s, se in zip(*(a[c].tolist() for c in a.columns), strict=True)]
    ds.partnerships = [
        Partnership(id=i, name=nm, kind=k, code=cd, theme=th, level=lv, start_year=_int_or_none(sy),
                    end_year=_int_or_none(ey), parent_id=par, source=s, section=se)
        for i, nm, k, cd, th, lv, sy, ey, par, s, se in zip(*(pt[c].tolist() for c in pt.columns), strict=True)]
    ds.memberships = [Membership(*r) for r in zip(*(m[c].tolist() for c in m.columns), strict=True)]
    ds.funding = [
        Funding(fi, ri, pr, None if am != am else float(am), cu, _int_or_none(sy), _int_or_none(ey), s, se)
        for fi, ri, pr, am, cu, sy, ey, s, se in zip(*(fu[c].tolist() for c in fu.columns), strict=True)]
    ds.links = [Link(si, ti, k, _int_or_none(y), s, se)
                for si, ti, k, y, s, se in zip(*(lk[c].tolist() for c in lk.columns), strict=True)]
    return ds
