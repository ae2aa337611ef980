"""The actor -> community assignment a caller passes in, read from any shape ``analysis.communities`` returns.

A frame with a ``community`` column, a Series indexed by actor id, or a mapping. It sits below
`analysis._tables` and the gap, planner and export modules, which all accept such an assignment, and
imports none of them.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from graph.errors import PartnetError

__all__ = ["community_series"]


def community_series(communities: pd.DataFrame | pd.Series | Mapping) -> pd.Series:
    """Actor id -> community as a Series, from the shapes ``analysis.communities`` may return."""
    if isinstance(communities, pd.Series):
        return communities
    if isinstance(communities, Mapping):
        return pd.Series(dict(communities))
    if isinstance(communities, pd.DataFrame):
        if "community" not in communities.columns:
            raise PartnetError("the communities frame has no 'community' column",
                               hint="pass the actor -> community frame of analysis.communities")
        for key in ("actor_id", "actor", "id"):
            if key in communities.columns:
                return communities.set_index(key)["community"]
        return communities["community"]
    raise PartnetError(f"cannot read communities from a {type(communities).__name__}",
                       hint="pass a DataFrame with a 'community' column, a Series or a dict")
