"""The Cypher of datasets, sources, history and migrations (values only as ``$parameters``).

Records carry a ``dataset`` property (nodes and relationships; ``PART_OF`` follows its
partnership). Sources are ``(:PartnetSource {dataset, id, title, file, description})`` nodes and
history entries ``(:PartnetHistory {seq, at, action, dataset, files, counts, version})`` nodes
(``files`` and ``counts`` as JSON text); ``seq`` comes from the ``PartnetMeta`` node's counter.
"""

from __future__ import annotations

__all__ = [
    "ADD_HISTORY",
    "CONSTRAINTS",
    "DATASET_COUNTS",
    "DELETE_ACTORS",
    "DELETE_ALL_HISTORY",
    "DELETE_ALL_SOURCES",
    "DELETE_FUNDING",
    "DELETE_LINKS",
    "DELETE_MEMBERSHIPS",
    "DELETE_PARTNERSHIPS",
    "DELETE_SOURCES",
    "MERGE_SOURCES",
    "MIGRATE_DATASETS_NODES",
    "MIGRATE_DATASETS_RELS",
    "READ_HISTORY",
    "READ_SOURCES",
    "RESTORE_HISTORY",
    "SET_HISTORY_SEQ",
]

CONSTRAINTS = (
    "CREATE INDEX partnet_actor_dataset IF NOT EXISTS FOR (a:Actor) ON (a.dataset)",
    "CREATE INDEX partnet_partnership_dataset IF NOT EXISTS FOR (p:Partnership) ON (p.dataset)",
    "CREATE INDEX partnet_history_seq IF NOT EXISTS FOR (h:PartnetHistory) ON (h.seq)",
)
DELETE_MEMBERSHIPS = """
UNWIND $rows AS row
MATCH (:Actor {id: row[0]})-[r:MEMBER_OF]->(:Partnership {id: row[1]})
DELETE r
"""
DELETE_FUNDING = """
UNWIND $rows AS row
MATCH (:Actor {id: row[0]})-[r:FUNDS {programme: row[2]}]->(x)
WHERE x.id = row[1] AND (x:Actor OR x:Partnership)
DELETE r
"""
DELETE_LINKS = """
UNWIND $rows AS row
MATCH (:Actor {id: row[0]})-[r:LINKED_TO {kind: row[2]}]->(:Actor {id: row[1]})
DELETE r
"""
DELETE_ACTORS = "UNWIND $rows AS row MATCH (a:Actor {id: row[0]}) DETACH DELETE a"
DELETE_PARTNERSHIPS = "UNWIND $rows AS row MATCH (p:Partnership {id: row[0]}) DETACH DELETE p"
DELETE_SOURCES = "MATCH (s:PartnetSource {dataset: $dataset}) DELETE s"
MERGE_SOURCES = """
UNWIND $rows AS row
MERGE (s:PartnetSource {dataset: $dataset, id: row.id})
SET s.title = row.title, s.file = row.file, s.description = row.description
"""
ADD_HISTORY = """
MERGE (m:PartnetMeta {key: 'meta'})
SET m.history_seq = coalesce(m.history_seq, 0) + 1
CREATE (h:PartnetHistory {seq: m.history_seq, at: $at, action: $action, dataset: $dataset, files: $files,
                          counts: $counts, version: $version})
"""
# Restore (graph.neo4j_datasets.replace_snapshot): the history comes back with its seq.
DELETE_ALL_SOURCES = "MATCH (s:PartnetSource) DELETE s"
DELETE_ALL_HISTORY = "MATCH (h:PartnetHistory) DELETE h"
RESTORE_HISTORY = """
UNWIND $rows AS row
CREATE (h:PartnetHistory {seq: row.seq, at: row.at, action: row.action, dataset: row.dataset, files: row.files,
                          counts: row.counts, version: row.version})
"""
SET_HISTORY_SEQ = "MERGE (m:PartnetMeta {key: 'meta'}) SET m.history_seq = $seq"
READ_HISTORY = (
    "MATCH (h:PartnetHistory) RETURN h.seq AS seq, h.at AS at, h.action AS action, h.dataset AS dataset, "
    "h.files AS files, h.counts AS counts, h.version AS version ORDER BY h.seq"
)
READ_SOURCES = (
    "MATCH (s:PartnetSource) RETURN s.dataset AS dataset, s.id AS id, coalesce(s.title, '') AS title, "
    "coalesce(s.file, '') AS file, coalesce(s.description, '') AS description ORDER BY dataset, id"
)
DATASET_COUNTS = {
    "actors": "MATCH (n:Actor) RETURN coalesce(n.dataset, 'default') AS d, count(*) AS c",
    "partnerships": "MATCH (n:Partnership) RETURN coalesce(n.dataset, 'default') AS d, count(*) AS c",
    "memberships": "MATCH (:Actor)-[r:MEMBER_OF]->(:Partnership) RETURN coalesce(r.dataset, 'default') AS d, "
    "count(*) AS c",
    "funding": "MATCH (:Actor)-[r:FUNDS]->() RETURN coalesce(r.dataset, 'default') AS d, count(*) AS c",
    "links": "MATCH (:Actor)-[r:LINKED_TO]->(:Actor) RETURN coalesce(r.dataset, 'default') AS d, count(*) AS c",
}
# Schema 2 -> 3: records written before datasets existed join the dataset $name (in batches).
MIGRATE_DATASETS_NODES = """
MATCH (n) WHERE (n:Actor OR n:Partnership) AND n.dataset IS NULL
WITH n LIMIT $limit SET n.dataset = $name RETURN count(*) AS c
"""
MIGRATE_DATASETS_RELS = """
MATCH (:Actor)-[r]->() WHERE type(r) IN ['MEMBER_OF', 'FUNDS', 'LINKED_TO'] AND r.dataset IS NULL
WITH r LIMIT $limit SET r.dataset = $name RETURN count(*) AS c
"""
