"""The Neo4j store's write plan for an import: CREATE what the plan knows is new, MERGE the rest.

`graph.datasets.ImportPlan.change` lists each table's new records first (``Change.new`` says how
many); the apply checks in the same transaction that the store is still at the version the plan
was made against (``Change.expected_version``), so those records cannot exist: they are written
with `graph.cypher.CREATE_NEW` (no lookup of an existing node or relationship, no property-by-
property SET). Relationship rows are sorted by their end node, so that consecutive rows of a batch
lock and touch the same partnership (measured: bench/write_path.py). Changed records keep the
idempotent MERGE statements.
"""

from __future__ import annotations

from typing import Any

from graph import cypher

__all__ = ["create_new"]

Plan = list[tuple[str, str, list[dict[str, Any]]]]
_END = {"memberships": "partnership_id", "funding": "recipient_id", "links": "target_id"}


def create_new(plan: Plan, new: dict[str, int]) -> Plan:
    """``plan`` (`Neo4jStore._rows`) with the first ``new[table]`` rows of each table written by CREATE.

    The PART_OF statement keeps only the new partnerships that name a parent (a new partnership has
    no old PART_OF edge to replace) and every changed one.
    """
    out: Plan = []
    for table, query, rows in plan:
        n = new.get(table, 0)
        if query is cypher.MERGE_PART_OF:
            rows = [r for r in rows[:n] if r["parent_id"]] + rows[n:]
            if rows:
                out.append((table, query, rows))
            continue
        if n:
            fresh = rows[:n]
            if table in _END:
                fresh = sorted(fresh, key=lambda r, k=_END[table]: r[k])
            out.append((table, cypher.CREATE_NEW[table], fresh))
        if rows[n:]:
            out.append((table, query, rows[n:]))
    return out
