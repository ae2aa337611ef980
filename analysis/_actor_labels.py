"""Text of an actor node's attributes, for the rows of the broker tables.

Private helpers shared by `analysis.fragility`, `analysis.holes` and `analysis.brokers`.
"""

from __future__ import annotations

import math
from collections.abc import Hashable

import networkx as nx


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _describe(g: nx.Graph, v: Hashable) -> tuple[str, str, str]:
    d = g._node[v]  # the raw attribute dict (g.nodes[v] builds a view first)
    return _text(d.get("name")) or str(v), _text(d.get("family")), _text(d.get("country"))
