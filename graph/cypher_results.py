"""Cypher of the stored analysis results (`graph.results_neo4j`): named constants, parameters only.

Per-actor and per-partnership results are ``partnet_*`` properties (each node also gets
``partnet_run``, the parameter key); the run record is the one ``PartnetRun {key: 'latest'}`` node,
whose ``data_version`` is the ``PartnetMeta`` write counter the results were computed on.
"""

from __future__ import annotations

__all__ = ["CLEAR_ACTORS", "CLEAR_PARTNERSHIPS", "CONSTRAINT", "MERGE_RUN", "READ_ACTORS", "READ_PARTNERSHIPS",
           "READ_RUN", "SET_ACTORS", "SET_PARTNERSHIPS"]

CONSTRAINT = "CREATE CONSTRAINT partnet_run_key IF NOT EXISTS FOR (r:PartnetRun) REQUIRE r.key IS UNIQUE"

_ACTOR_PROPS = ("degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "pagerank", "community",
                "isolated", "articulation_point", "constraint", "distance_to_union", "cross_border_ties",
                "funder_outside_partnerships")
_PART_PROPS = ("members", "n_present", "completeness", "in_basis", "no_union")

CLEAR_ACTORS = ("MATCH (a:Actor) WHERE a.partnet_run IS NOT NULL REMOVE a.partnet_run, a.partnet_betweenness_method, "
                + ", ".join(f"a.partnet_{p}" for p in _ACTOR_PROPS))
CLEAR_PARTNERSHIPS = ("MATCH (p:Partnership) WHERE p.partnet_run IS NOT NULL REMOVE p.partnet_run, "
                      "p.partnet_families_present, p.partnet_families_missing, "
                      + ", ".join(f"p.partnet_{c}" for c in _PART_PROPS))
SET_ACTORS = ("UNWIND $rows AS row MATCH (a:Actor {id: row.id}) SET a.partnet_run = $key, "
              "a.partnet_betweenness_method = $betweenness_method, "
              + ", ".join(f"a.partnet_{p} = row.{p}" for p in _ACTOR_PROPS) + " RETURN count(*) AS written")
SET_PARTNERSHIPS = ("UNWIND $rows AS row MATCH (p:Partnership {id: row.id}) SET p.partnet_run = $key, "
                    "p.partnet_families_present = row.families_present, "
                    "p.partnet_families_missing = row.families_missing, "
                    + ", ".join(f"p.partnet_{c} = row.{c}" for c in _PART_PROPS) + " RETURN count(*) AS written")
MERGE_RUN = ("MERGE (r:PartnetRun {key: 'latest'}) SET r.params_key = $params_key, r.data_version = $data_version, "
             "r.params = $params, r.methods = $methods, r.created_at = datetime($created_at), "
             "r.partnet_version = $partnet_version")
READ_RUN = ("MATCH (r:PartnetRun {key: 'latest'}) RETURN r.params_key AS params_key, r.data_version AS data_version, "
            "r.params AS params, r.methods AS methods, toString(r.created_at) AS created_at, "
            "r.partnet_version AS partnet_version")
READ_ACTORS = ("MATCH (a:Actor) WHERE a.partnet_run = $key RETURN a.id AS id, "
               + ", ".join(f"a.partnet_{p} AS {p}" for p in _ACTOR_PROPS))
READ_PARTNERSHIPS = ("MATCH (p:Partnership) WHERE p.partnet_run = $key RETURN p.id AS id, "
                     "p.partnet_families_present AS families_present, p.partnet_families_missing AS families_missing, "
                     + ", ".join(f"p.partnet_{c} AS {c}" for c in _PART_PROPS))
