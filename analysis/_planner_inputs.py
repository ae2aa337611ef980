"""What the meeting planner computes when the caller leaves it out: the actor projection and the
default (Louvain) communities. Shared by `analysis.invites` and `analysis.introductions`."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from analysis._tables import default_communities
from graph.errors import PartnetError


def _projection(g: nx.MultiDiGraph) -> nx.Graph:
    from analysis.projection import actor_projection

    return actor_projection(g)


def _default_communities(g: nx.MultiDiGraph, projection: nx.Graph | None) -> pd.Series:
    comm = default_communities(g, projection)
    if comm is None:  # pragma: no cover - analysis.communities not installed
        raise PartnetError("no communities given and analysis.communities is not available",
                           hint="pass communities= (actor -> community)")
    return comm
