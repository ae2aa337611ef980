"""Analysis results kept in the store: what a write-back holds and the key it is kept under.

The analysis (`analysis.results`) computes the frames; a store keeps them as it is given them,
keyed by its own ``data_version()`` and the parameters of the run. Every write to the data changes
the data version, so results written before it no longer match and are never served. Writing
results never changes the data version. SQLite keeps them in tables (`graph.results_sqlite`),
Neo4j as ``partnet_*`` properties on the nodes and one ``PartnetRun`` node (`graph.results_neo4j`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

__all__ = ["ACTOR_RESULTS", "PARTNERSHIP_RESULTS", "StoredResults", "from_rows", "params_key"]

#: Per-actor result columns and their kind (int, float, bool, community: nullable int).
ACTOR_RESULTS: dict[str, str] = {
    "degree": "int", "weighted_degree": "float", "betweenness": "float", "closeness": "float",
    "eigenvector": "float", "pagerank": "float", "community": "nint", "isolated": "bool",
    "articulation_point": "bool", "constraint": "float", "distance_to_union": "nint",
    "cross_border_ties": "int", "funder_outside_partnerships": "bool",
}
#: Per-partnership result columns and their kind (``present``/``missing``: families joined with ", ").
PARTNERSHIP_RESULTS: dict[str, str] = {
    "members": "int", "present": "text", "missing": "text", "n_present": "int", "completeness": "float",
    "in_basis": "bool", "no_union": "bool",
}


def params_key(params: dict[str, Any]) -> str:
    """The canonical text of a run's parameters (sorted JSON): equal parameters, equal key."""
    return json.dumps(params, sort_keys=True, separators=(",", ":"), default=str)


@dataclass
class StoredResults:
    """One run's results: ``actors`` (``id`` + `ACTOR_RESULTS`), ``partnerships`` (``id`` +
    `PARTNERSHIP_RESULTS`), the ``data_version`` they were computed on, the ``params`` (the key),
    the ``methods`` used, ``created_at`` (UTC, ISO 8601) and ``partnet_version``."""

    data_version: str
    params: dict[str, Any]
    actors: pd.DataFrame
    partnerships: pd.DataFrame
    methods: dict[str, Any] = field(default_factory=dict)
    created_at: str = ""
    partnet_version: str = ""

    @property
    def key(self) -> str:
        """`params_key` of ``params``."""
        return params_key(self.params)

    def actor_rows(self) -> list[dict[str, Any]]:
        """The actor results as plain rows (None for a missing value), for a store to write."""
        return _rows(self.actors, ACTOR_RESULTS)

    def partnership_rows(self) -> list[dict[str, Any]]:
        """The partnership results as plain rows (None for a missing value)."""
        return _rows(self.partnerships, PARTNERSHIP_RESULTS)

    def run_record(self) -> dict[str, str]:
        """The run record: data version, params and methods as JSON, time, partnet version."""
        return {"params_key": self.key, "data_version": self.data_version, "params": params_key(self.params),
                "methods": json.dumps(self.methods, sort_keys=True, default=str), "created_at": self.created_at,
                "partnet_version": self.partnet_version}


def from_rows(run: dict[str, Any], actors: list[dict[str, Any]], partnerships: list[dict[str, Any]]) -> StoredResults:
    """`StoredResults` from what a store read back (``run`` as written by `StoredResults.run_record`)."""
    return StoredResults(
        data_version=run["data_version"], params=json.loads(run["params"]),
        actors=_frame(actors, ACTOR_RESULTS), partnerships=_frame(partnerships, PARTNERSHIP_RESULTS),
        methods=json.loads(run.get("methods") or "{}"), created_at=run.get("created_at") or "",
        partnet_version=run.get("partnet_version") or "")


def _rows(df: pd.DataFrame, spec: dict[str, str]) -> list[dict[str, Any]]:
    cols = ["id", *spec]
    out = df[cols].astype(object).where(df[cols].notna(), None)
    rows = out.to_dict("records")
    for r in rows:
        for c, kind in spec.items():
            v = r[c]
            if v is None:
                continue
            r[c] = int(v) if kind in ("int", "nint") else float(v) if kind == "float" else \
                bool(v) if kind == "bool" else str(v)
    return rows


def _frame(rows: list[dict[str, Any]], spec: dict[str, str]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["id", *spec])
    for c, kind in spec.items():
        if kind == "int":
            df[c] = df[c].fillna(0).astype("int64")
        elif kind == "nint":
            df[c] = df[c].astype("Int64")
        elif kind == "float":
            df[c] = df[c].astype("float64")
        elif kind == "bool":
            df[c] = df[c].fillna(False).astype(bool)
        else:
            df[c] = df[c].fillna("").astype(str)
    return df.sort_values("id", kind="stable").reset_index(drop=True)
