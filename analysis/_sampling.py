"""How large a sample the path-based centralities draw: exact up to `EXACT_MAX_NODES` nodes, above
it `sample_size` sources (betweenness) or pivots (closeness), bounded by the work they cost.

Private module shared by `analysis.betweenness`, `analysis.closeness` and `analysis.centrality`;
the names are public through `analysis.centrality`.
"""

from __future__ import annotations

__all__ = [
    "DEFAULT_SAMPLE_SIZE",
    "EXACT_MAX_NODES",
    "MIN_SAMPLE_SIZE",
    "SAMPLE_WORK",
    "sample_size",
]

#: Betweenness and closeness are exact up to this many nodes, sampled above.
EXACT_MAX_NODES = 2000
#: Largest number of sampled sources (betweenness) or pivots (closeness) above the threshold.
DEFAULT_SAMPLE_SIZE = 1000
#: Fewest sources or pivots a sample may shrink to on a very large network.
MIN_SAMPLE_SIZE = 50
#: Work allowed to a default sample, in (sources x stored adjacency entries): one breadth-first
#: search touches every tie, so a network of a million ties gets 200 sources, one of 3 million 66.
SAMPLE_WORK = 200_000_000


def sample_size(entries: int) -> int:
    """Default number of sampled sources or pivots for an adjacency matrix with ``entries`` stored entries.

    `DEFAULT_SAMPLE_SIZE` while the work ``k · entries`` fits `SAMPLE_WORK`, shrinking in
    proportion above (never below `MIN_SAMPLE_SIZE`), so that the cost of a sampled estimate
    stays bounded as the network grows; the size used is always reported with the result.

    >>> sample_size(10_000), sample_size(1_000_000), sample_size(3_200_000), sample_size(10**9)
    (1000, 200, 62, 50)
    """
    return int(min(DEFAULT_SAMPLE_SIZE, max(MIN_SAMPLE_SIZE, SAMPLE_WORK // max(entries, 1))))
