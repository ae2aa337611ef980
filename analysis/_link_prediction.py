"""Link-prediction scores for suggested introductions, and the candidate record they rank.

`_Context` holds what every gap's candidate generator (`analysis._intro_candidates`) needs: the
actor projection, the actors' names, families and countries, and the Adamic–Adar or resource
allocation score of a pair — exact through networkx, or for many pairs at once as a sparse product.
`_Cand` is one candidate introduction, whose sentence is written only if it makes the final list.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp

from analysis._tables import actors_frame
from analysis.projection import adjacency

_SCORERS = {"adamic_adar": nx.adamic_adar_index, "resource_allocation": nx.resource_allocation_index}


@dataclass
class _Cand:
    """A candidate introduction; its sentence is written only if it makes the final list."""

    score: float
    a: str
    b: str
    context: str
    method: str
    reason: Callable[[_Context], str]


class _Context:
    """What every gap's candidate generator needs: the projection, names, families, scores."""

    def __init__(self, g: nx.MultiDiGraph, proj: nx.Graph, method: str) -> None:
        self.g, self.proj, self.method = g, proj, method
        actors = actors_frame(g)
        ids = actors["id"].tolist()
        self.name = dict(zip(ids, actors["name"].tolist(), strict=True))
        self.family = dict(zip(ids, actors["family"].tolist(), strict=True))
        self.country = dict(zip(ids, actors["country"].tolist(), strict=True))
        self.degree = dict(proj.degree())
        # the weight a common neighbour z adds to a pair's score
        if method == "adamic_adar":
            self.weight = {z: (1.0 / math.log(d) if d > 1 else 0.0) for z, d in self.degree.items()}
        else:
            self.weight = {z: (1.0 / d if d > 0 else 0.0) for z, d in self.degree.items()}
        self._csr: sp.csr_matrix | None = None

    def label(self, a: str) -> str:
        return f"{self.name.get(a, a)} ({a})"

    def score(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], float]:
        """The networkx score (``adamic_adar_index``/``resource_allocation_index``) of ``pairs``."""
        ebunch = sorted({(u, v) for u, v in pairs if u in self.proj and v in self.proj and u != v})
        if not ebunch:
            return {}
        return {(u, v): float(s) for u, v, s in _SCORERS[self.method](self.proj, ebunch)}

    def fast_scores(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """The same scores for many candidate pairs at once: ``Σ_z A[x,z] w(z) A[y,z]`` with sparse rows."""
        if self._csr is None:
            self._nodes, a = adjacency(self.proj, None)
            self._index = {n: i for i, n in enumerate(self._nodes)}
            a.setdiag(0)  # a self-loop makes no common neighbour
            a.eliminate_zeros()
            self._csr = sp.csr_matrix(a)
            self._wdiag = sp.diags(np.array([self.weight[n] for n in self._nodes]))
        out = np.zeros(len(pairs))
        for start in range(0, len(pairs), 100_000):
            chunk = pairs[start:start + 100_000]
            xi = np.fromiter((self._index[x] for x, _ in chunk), dtype=np.int64, count=len(chunk))
            yi = np.fromiter((self._index[y] for _, y in chunk), dtype=np.int64, count=len(chunk))
            prod = self._csr[xi].multiply(self._csr[yi] @ self._wdiag)
            out[start:start + len(chunk)] = np.asarray(prod.sum(axis=1)).ravel()
        return out

    def common(self, u: str, v: str) -> list[str]:
        return sorted(set(self.proj.adj[u]) & set(self.proj.adj[v]),
                      key=lambda z: (-self.degree.get(z, 0), z))

    def via(self, u: str, v: str) -> str:
        shared = self.common(u, v)
        names = ", ".join(self.name.get(z, z) for z in shared[:3])
        more = f" and {len(shared) - 3} more" if len(shared) > 3 else ""
        return f"{len(shared)} common partner{'s' if len(shared) != 1 else ''} ({names}{more})"

    def best(self, ids: Iterable[str]) -> list[str]:
        return sorted(ids, key=lambda a: (-self.degree.get(a, 0), a))
