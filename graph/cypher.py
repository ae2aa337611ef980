"""Every Cypher statement partnet runs, as named constants.

Values only ever reach Neo4j as ``$parameters``; labels and relationship types are written
literally here, from the fixed allow-list in `graph.model` (NODE_LABELS, RELATIONSHIP_TYPES).
Writes are ``UNWIND $rows AS row MERGE ...`` batches keyed on constrained ids, so a retried
transaction function gives the same result.
"""

from __future__ import annotations

__all__ = [
    "BUMP_VERSION",
    "CONSTRAINTS",
    "CREATE_NEW",
    "COUNT_LABEL",
    "COUNT_REL",
    "DELETE_ALL",
    "DELETE_BATCH",
    "MERGE_ACTORS",
    "MERGE_FUNDING",
    "MERGE_LINKS",
    "MERGE_MEMBERSHIPS",
    "MERGE_PARTNERSHIPS",
    "MERGE_PART_OF",
    "MIGRATE_STATUS",
    "MISSING_ACTORS",
    "MISSING_NODES",
    "MISSING_PARTNERSHIPS",
    "MISSING_REFS",
    "READ_COLUMNS",
    "READ_VERSION",
    "SCHEMA_VERSION_READ",
    "SCHEMA_VERSION_WRITE",
]

CONSTRAINTS = (
    "CREATE CONSTRAINT partnet_actor_id IF NOT EXISTS FOR (a:Actor) REQUIRE a.id IS UNIQUE",
    "CREATE CONSTRAINT partnet_partnership_id IF NOT EXISTS FOR (p:Partnership) REQUIRE p.id IS UNIQUE",
    "CREATE CONSTRAINT partnet_meta_key IF NOT EXISTS FOR (m:PartnetMeta) REQUIRE m.key IS UNIQUE",
)
SCHEMA_VERSION_READ = "MATCH (m:PartnetMeta {key: 'meta'}) RETURN m.schema_version AS v"
SCHEMA_VERSION_WRITE = (
    "MERGE (m:PartnetMeta {key: 'meta'}) "
    "ON CREATE SET m.schema_version = $version, m.data_version = 0 "
    "SET m.schema_version = $version"
)
BUMP_VERSION = (
    "MERGE (m:PartnetMeta {key: 'meta'}) "
    "SET m.data_version = coalesce(m.data_version, 0) + 1 RETURN m.data_version AS v"
)
#: Schema 1 -> 2: partnerships get a status (``unknown`` for those written before).
MIGRATE_STATUS = "MATCH (p:Partnership) WHERE p.status IS NULL SET p.status = 'unknown'"
READ_VERSION = "MATCH (m:PartnetMeta {key: 'meta'}) RETURN m.data_version AS v"

MERGE_ACTORS = """
UNWIND $rows AS row
MERGE (a:Actor {id: row.id})
SET a.name = row.name, a.aliases = row.aliases, a.type = row.type, a.family = row.family,
    a.country = row.country, a.city = row.city, a.scope = row.scope, a.website = row.website,
    a.source = row.source, a.section = row.section, a.dataset = coalesce(row.dataset, a.dataset, 'default')
"""
MERGE_PARTNERSHIPS = """
UNWIND $rows AS row
MERGE (p:Partnership {id: row.id})
SET p.name = row.name, p.kind = row.kind, p.code = row.code, p.theme = row.theme, p.level = row.level,
    p.start_year = row.start_year, p.end_year = row.end_year, p.parent_id = row.parent_id,
    p.source = row.source, p.section = row.section, p.status = row.status, p.members_complete = row.members_complete,
    p.dataset = coalesce(row.dataset, p.dataset, 'default')
"""
# Replace the PART_OF edge of each written partnership by the one its parent_id names.
MERGE_PART_OF = """
UNWIND $rows AS row
MATCH (p:Partnership {id: row.id})
OPTIONAL MATCH (p)-[old:PART_OF]->()
DELETE old
WITH DISTINCT p, row
WHERE row.parent_id <> ''
OPTIONAL MATCH (parent:Partnership {id: row.parent_id})
FOREACH (_ IN CASE WHEN parent IS NULL THEN [] ELSE [1] END | MERGE (p)-[:PART_OF]->(parent))
RETURN collect(CASE WHEN parent IS NULL THEN row.parent_id END) AS missing
"""
# Relationship batches: plain MATCH of both ends (unique-index seeks) and MERGE, returning how many
# rows were written. A row whose end is not stored matches nothing and is not counted; the writer
# then asks MISSING_REFS[table] which ids those were and rolls the transaction back. (Cheaper than
# an OPTIONAL MATCH + FOREACH per row that collects the misses in the same statement.)
MERGE_MEMBERSHIPS = """
UNWIND $rows AS row
MATCH (a:Actor {id: row.actor_id})
MATCH (p:Partnership {id: row.partnership_id})
MERGE (a)-[r:MEMBER_OF]->(p)
SET r.role = row.role, r.source = row.source, r.section = row.section,
    r.dataset = coalesce(row.dataset, r.dataset, 'default')
RETURN count(*) AS written
"""
MERGE_FUNDING = """
UNWIND $rows AS row
MATCH (f:Actor {id: row.funder_id})
OPTIONAL MATCH (rp:Partnership {id: row.recipient_id})
OPTIONAL MATCH (ra:Actor {id: row.recipient_id})
WITH row, f, coalesce(rp, ra) AS r
WHERE r IS NOT NULL
MERGE (f)-[x:FUNDS {programme: row.programme}]->(r)
SET x.amount = row.amount, x.currency = row.currency, x.start_year = row.start_year,
    x.end_year = row.end_year, x.source = row.source, x.section = row.section,
    x.dataset = coalesce(row.dataset, x.dataset, 'default')
RETURN count(*) AS written
"""
MERGE_LINKS = """
UNWIND $rows AS row
MATCH (s:Actor {id: row.source_id})
MATCH (t:Actor {id: row.target_id})
MERGE (s)-[x:LINKED_TO {kind: row.kind}]->(t)
SET x.year = row.year, x.source = row.source, x.section = row.section,
    x.dataset = coalesce(row.dataset, x.dataset, 'default')
RETURN count(*) AS written
"""
# Records the import plan found new (absent from the store it was planned against, which the apply
# checks by the data version): CREATE instead of MERGE, no lookup of an existing node or
# relationship first. Same properties as the MERGE statements (``SET n = row`` skips null values,
# which a MERGE + SET on a new node leaves unset too); relationship statements count what they wrote
# the same way, so a missing end is reported by MISSING_REFS and the transaction rolled back.
CREATE_NEW = {
    "actors": "UNWIND $rows AS row CREATE (a:Actor) SET a = row",
    "partnerships": "UNWIND $rows AS row CREATE (p:Partnership) SET p = row",
    "memberships": """
UNWIND $rows AS row
MATCH (a:Actor {id: row.actor_id})
MATCH (p:Partnership {id: row.partnership_id})
CREATE (a)-[r:MEMBER_OF {role: row.role, source: row.source, section: row.section, dataset: row.dataset}]->(p)
RETURN count(*) AS written
""",
    "funding": """
UNWIND $rows AS row
MATCH (f:Actor {id: row.funder_id})
OPTIONAL MATCH (rp:Partnership {id: row.recipient_id})
OPTIONAL MATCH (ra:Actor {id: row.recipient_id})
WITH row, f, coalesce(rp, ra) AS r
WHERE r IS NOT NULL
CREATE (f)-[x:FUNDS]->(r)
SET x = row
REMOVE x.funder_id, x.recipient_id
RETURN count(*) AS written
""",
    "links": """
UNWIND $rows AS row
MATCH (s:Actor {id: row.source_id})
MATCH (t:Actor {id: row.target_id})
CREATE (s)-[x:LINKED_TO]->(t)
SET x = row
REMOVE x.source_id, x.target_id
RETURN count(*) AS written
""",
}
# For a batch that wrote fewer rows than it was given: the references it could not resolve.
MISSING_REFS = {
    "memberships": """
UNWIND $rows AS row
OPTIONAL MATCH (a:Actor {id: row.actor_id})
OPTIONAL MATCH (p:Partnership {id: row.partnership_id})
RETURN collect(CASE WHEN a IS NULL THEN 'actor_id = ' + row.actor_id END)
     + collect(CASE WHEN p IS NULL THEN 'partnership_id = ' + row.partnership_id END) AS missing
""",
    "funding": """
UNWIND $rows AS row
OPTIONAL MATCH (f:Actor {id: row.funder_id})
OPTIONAL MATCH (rp:Partnership {id: row.recipient_id})
OPTIONAL MATCH (ra:Actor {id: row.recipient_id})
RETURN collect(CASE WHEN f IS NULL THEN 'funder_id = ' + row.funder_id END)
     + collect(CASE WHEN rp IS NULL AND ra IS NULL THEN 'recipient_id = ' + row.recipient_id END) AS missing
""",
    "links": """
UNWIND $rows AS row
OPTIONAL MATCH (s:Actor {id: row.source_id})
OPTIONAL MATCH (t:Actor {id: row.target_id})
RETURN collect(CASE WHEN s IS NULL THEN 'source_id = ' + row.source_id END)
     + collect(CASE WHEN t IS NULL THEN 'target_id = ' + row.target_id END) AS missing
""",
}

# Which of the given ids are not stored (checked before a write committed in chunks).
MISSING_ACTORS = (
    "UNWIND $ids AS id OPTIONAL MATCH (a:Actor {id: id}) WITH id, a WHERE a IS NULL RETURN collect(id) AS missing"
)
MISSING_PARTNERSHIPS = (
    "UNWIND $ids AS id OPTIONAL MATCH (p:Partnership {id: id}) WITH id, p WHERE p IS NULL "
    "RETURN collect(id) AS missing"
)
MISSING_NODES = (
    "UNWIND $ids AS id OPTIONAL MATCH (a:Actor {id: id}) OPTIONAL MATCH (p:Partnership {id: id}) "
    "WITH id, a, p WHERE a IS NULL AND p IS NULL RETURN collect(id) AS missing"
)

def _collect(match: str, var: str, columns: tuple[str, ...], ends: dict[str, str]) -> str:
    """``MATCH ... RETURN collect(...) AS c, ...``: one record holding one list per column (the dataset last).

    ``collect`` skips nulls, which would shift a column against the others: text is collected as
    ``coalesce(x.c, '')`` (a missing text is the empty string, as in the SQLite store), the numbers that
    may be missing (`_NULLABLE`) wrapped in one-item lists unwrapped on the server; ``ends`` gives the
    expressions of the relationship's end ids and of columns with another default.
    """
    cols = [f"collect({ends[c]}) AS {c}" if c in ends else
            f"[v IN collect([{var}.{c}]) | v[0]] AS {c}" if c in _NULLABLE else
            f"collect(coalesce({var}.{c}, '')) AS {c}" for c in columns]
    return f"{match} RETURN {', '.join(cols)}, collect(coalesce({var}.dataset, 'default')) AS dataset"


_NULLABLE = frozenset({"start_year", "end_year", "members_complete", "amount", "year"})
#: Table -> the column-wise read of the whole table (`graph.neo4j_read`).
READ_COLUMNS = {
    "actors": _collect("MATCH (a:Actor)", "a", (
        "id", "name", "type", "aliases", "country", "city", "scope", "website", "source", "section"),
        {"id": "a.id", "type": "coalesce(a.type, 'other')", "aliases": "coalesce(a.aliases, [])"}),
    "partnerships": _collect("MATCH (p:Partnership)", "p", (
        "id", "name", "kind", "code", "theme", "level", "start_year", "end_year", "parent_id", "source", "section",
        "status", "members_complete"),
        {"id": "p.id", "kind": "coalesce(p.kind, 'project')", "status": "coalesce(p.status, 'unknown')"}),
    "memberships": _collect("MATCH (a:Actor)-[r:MEMBER_OF]->(p:Partnership)", "r",
                            ("actor_id", "partnership_id", "role", "source", "section"),
                            {"actor_id": "a.id", "partnership_id": "p.id"}),
    "funding": _collect("MATCH (f:Actor)-[x:FUNDS]->(r) WHERE r:Partnership OR r:Actor", "x", (
        "funder_id", "recipient_id", "programme", "amount", "currency", "start_year", "end_year", "source",
        "section"), {"funder_id": "f.id", "recipient_id": "r.id"}),
    "links": _collect("MATCH (s:Actor)-[x:LINKED_TO]->(t:Actor)", "x",
                      ("source_id", "target_id", "kind", "year", "source", "section"),
                      {"source_id": "s.id", "target_id": "t.id"}),
}

COUNT_LABEL = {
    "Actor": "MATCH (n:Actor) RETURN count(n) AS c",
    "Partnership": "MATCH (n:Partnership) RETURN count(n) AS c",
}
COUNT_REL = {
    "MEMBER_OF": "MATCH (:Actor)-[r:MEMBER_OF]->(:Partnership) RETURN count(r) AS c",
    "FUNDS": "MATCH (:Actor)-[r:FUNDS]->() RETURN count(r) AS c",
    "LINKED_TO": "MATCH (:Actor)-[r:LINKED_TO]->(:Actor) RETURN count(r) AS c",
    "PART_OF": "MATCH (:Partnership)-[r:PART_OF]->(:Partnership) RETURN count(r) AS c",
}
# Restore: everything partnet wrote goes, in the same transaction that writes the backup's content.
DELETE_ALL = "MATCH (n) WHERE n:Actor OR n:Partnership DETACH DELETE n"
DELETE_BATCH = (
    "MATCH (n) WHERE n:Actor OR n:Partnership WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS c"
)
