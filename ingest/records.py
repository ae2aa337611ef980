"""Typed records from validated tables: `build_dataset` (the records without errors)."""

from __future__ import annotations

from typing import Any

from graph.model import Actor, Dataset, Funding, Link, Membership, Partnership
from ingest.normalise import ParsedTable
from ingest.report import Report

__all__ = ["build_dataset"]

_FIELDS: dict[str, tuple[type, tuple[str, ...]]] = {
    "actors": (Actor, ("id", "name", "type", "aliases", "country", "city", "scope", "website", "source", "section")),
    "partnerships": (Partnership, ("id", "name", "kind", "code", "theme", "level", "start_year", "end_year",
                                   "parent_id", "source", "section", "status", "members_complete")),
    "memberships": (Membership, ("actor_id", "partnership_id", "role", "source", "section")),
    "funding": (Funding, ("funder_id", "recipient_id", "programme", "amount", "currency", "start_year", "end_year",
                          "source", "section")),
    "links": (Link, ("source_id", "target_id", "kind", "year", "source", "section")),
}
_EMPTY: dict[str, Any] = {"aliases": (), "start_year": None, "end_year": None, "year": None, "amount": None,
                          "members_complete": None}
_DEFAULTS: dict[tuple[str, str], str] = {("memberships", "role"): "partner", ("links", "kind"): "cooperation",
                                         ("partnerships", "status"): "unknown"}
_SHARED_COLUMNS = frozenset({"actor_id", "partnership_id", "funder_id", "recipient_id", "source_id", "target_id",
                             "parent_id", "source", "section", "programme", "currency", "country", "city"})


def build_dataset(tables: dict[str, ParsedTable], report: Report) -> Dataset:
    """Typed records of every table's records without errors.

    Reference columns are interned (one string object per distinct id) to keep a large
    import lean; each table's columns are freed once its records exist.
    """
    ds = Dataset()
    shared: dict[str, str] = {}
    for name, (cls, names) in _FIELDS.items():
        t = tables.get(name)
        if t is None:
            continue
        n = len(t)
        cols = []
        for f in names:
            col = t.values.get(f)
            if col is None:
                default = _EMPTY.get(f, _DEFAULTS.get((name, f), ""))
                col = [default] * n
            elif f in _SHARED_COLUMNS:
                col = [shared.setdefault(v, v) for v in col]
            cols.append(col)
        out = getattr(ds, name)
        bad = t.bad
        for i, args in enumerate(zip(*cols, strict=True)):
            if i in bad:
                continue
            try:
                out.append(cls(*args))
            except (TypeError, ValueError) as e:  # defensive: the checks above should make this impossible
                report.error("invalid-record", f"the record cannot be built: {e}", "correct the row", **t.where(i))
        t.values.clear()  # free the columns as soon as the records exist
    return ds
