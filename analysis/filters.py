"""Which part of the property graph an analysis looks at: `Filters`, `filter_graph`, `active_in`, and
the actor and partnership node ids.

The input is the property graph of ``graph.convert.dataset_to_graph`` (a ``networkx.MultiDiGraph``
whose nodes carry ``label`` "Actor"/"Partnership" and whose edges carry ``type`` MEMBER_OF, FUNDS,
LINKED_TO or PART_OF). Every projection (`analysis.projection`, `analysis.matrices`) applies these
filters first; import them from ``analysis.projection`` as before or from here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
import pandas as pd

from graph.errors import PartnetError

__all__ = ["Filters", "active_in", "actor_ids", "filter_graph", "partnership_ids"]


@dataclass(frozen=True)
class Filters:
    """What part of the graph an analysis looks at; an empty field means "no restriction".

    Attributes
    ----------
    kinds : tuple of str
        Keep only partnerships of these kinds (``development_partnership``, ``project``...).
    programmes : tuple of str
        Keep only partnerships funded under one of these programmes (a ``FUNDS`` edge with that
        ``programme`` into the partnership or into one of its ``PART_OF`` ancestors).
    countries : tuple of str
        Keep only actors of these countries (ISO alpha-2; ``""`` selects actors without a country,
        i.e. European and international bodies).
    period : (int or None, int or None) or None
        Keep only partnerships active at some time in ``[first, last]`` (inclusive; ``None`` on one
        side leaves it open). A partnership without an end year is read as still running (open
        end), one without a start year as running since an unknown time (open start); one with no
        year at all is dropped when a period is set.
    partnerships : tuple of str
        Keep only these partnership ids.

    Partnership filters and actor filters combine with AND; edges are kept when both ends are kept.
    """

    kinds: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    period: tuple[int | None, int | None] | None = None
    partnerships: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("kinds", "programmes", "countries", "partnerships"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, (value,))
            elif not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))
        if self.period is not None:
            if len(self.period) != 2:
                raise PartnetError(f"period {self.period!r} is not a pair (first year, last year)",
                                   hint="give two years, e.g. (2001, 2008), or None for an open side")
            lo, hi = self.period
            if lo is not None and hi is not None and lo > hi:
                raise PartnetError(f"period {lo}-{hi} ends before it starts",
                                   hint=f"swap the years: {hi}-{lo}")
            object.__setattr__(self, "period", (lo, hi))

    @property
    def is_empty(self) -> bool:
        """True when the filters keep the whole graph."""
        return not (self.kinds or self.programmes or self.countries or self.partnerships
                    or (self.period is not None and self.period != (None, None)))


def _is_actor(d: dict) -> bool:
    return d.get("label") == "Actor"


def _is_partnership(d: dict) -> bool:
    return d.get("label") == "Partnership"


def actor_ids(g: nx.Graph) -> list[str]:
    """Ids of the actor nodes of ``g`` (``label == "Actor"``), sorted."""
    return sorted(n for n, d in g.nodes(data=True) if _is_actor(d))


def partnership_ids(g: nx.Graph) -> list[str]:
    """Ids of the partnership nodes of ``g`` (``label == "Partnership"``), sorted."""
    return sorted(n for n, d in g.nodes(data=True) if _is_partnership(d))


def _year(value: object) -> int | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value)  # type: ignore[call-overload]


def active_in(d: dict, period: tuple[int | None, int | None] | None) -> bool:
    """Whether a partnership (its node attributes ``d``) overlaps ``period`` (see `Filters.period`).

    A missing ``start_year`` or ``end_year`` leaves that side open; a partnership with neither is
    not placed in any period.

    >>> active_in({"start_year": 2001, "end_year": 2004}, (2004, 2008))
    True
    >>> active_in({"start_year": 2001, "end_year": None}, (2010, None))
    True
    >>> active_in({"start_year": None, "end_year": None}, (2000, 2010))
    False
    """
    if period is None or period == (None, None):
        return True
    start, end = _year(d.get("start_year")), _year(d.get("end_year"))
    if start is None and end is None:
        return False
    lo, hi = period
    return (hi is None or start is None or start <= hi) and (lo is None or end is None or end >= lo)


def _funded_under(g: nx.MultiDiGraph, programmes: Iterable[str]) -> set[str]:
    """Partnerships funded under one of ``programmes``, directly or through a PART_OF ancestor."""
    wanted = set(programmes)
    direct = {v for _, v, d in g.edges(data=True) if d.get("type") == "FUNDS" and d.get("programme") in wanted}
    children: dict[str, list[str]] = {}
    for u, v, d in g.edges(data=True):
        if d.get("type") == "PART_OF":
            children.setdefault(v, []).append(u)
    out, stack = set(), list(direct)
    while stack:  # descend PART_OF from every directly funded node
        n = stack.pop()
        if n in out:
            continue
        out.add(n)
        stack.extend(children.get(n, ()))
    return out


def filter_graph(g: nx.MultiDiGraph, filters: Filters | None = None) -> nx.MultiDiGraph:
    """Return the part of the property graph selected by ``filters`` (a new graph; ``g`` is unchanged).

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph (``graph.convert.dataset_to_graph``).
    filters : Filters or None
        ``None`` or empty filters return a copy of the whole graph.

    Returns
    -------
    networkx.MultiDiGraph
        Partnerships kept by kind, programme (funded by), period overlap and id; actors kept by
        country; every edge whose two ends are kept, with its attributes.

    Notes
    -----
    Actors are not dropped because their partnerships were: an actor whose every partnership is
    filtered out stays in the graph (isolated), so that isolation analyses still see it.
    """
    if filters is None or filters.is_empty:
        return g.copy()
    funded = _funded_under(g, filters.programmes) if filters.programmes else None
    kinds, ids, countries = set(filters.kinds), set(filters.partnerships), set(filters.countries)
    keep = []
    for n, d in g.nodes(data=True):
        if _is_partnership(d):
            if kinds and d.get("kind") not in kinds:
                continue
            if ids and n not in ids:
                continue
            if funded is not None and n not in funded:
                continue
            if not active_in(d, filters.period):
                continue
        elif _is_actor(d) and countries and (d.get("country") or "") not in countries:
            continue
        keep.append(n)
    return g.subgraph(keep).copy()
