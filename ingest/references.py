"""References between tables: resolving ids, names, aliases and codes, and unknown sources.

- references (``memberships.actor_id``/``partnership_id``, ``funding.funder_id``/``recipient_id``,
  ``links.source_id``/``target_id``, ``partnerships.parent_id``): an exact id, else a unique
  case/accent-insensitive id, name, alias or code match; otherwise an error (with a
  "did you mean"), or an accepted id already in the store (`KnownIds`) when ingesting;
- ``source`` values missing from the ``sources`` table (warning).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from graph.model import slugify
from ingest.ids import fold_id
from ingest.normalise import ParsedTable
from ingest.report import Report

__all__ = ["KnownIds", "check_sources", "resolve_references"]


@dataclass
class KnownIds:
    """Ids already in the store: references to them are accepted when ingesting."""

    actors: set[str] = field(default_factory=set)
    partnerships: set[str] = field(default_factory=set)


_AMBIGUOUS = object()


class _Resolver:
    """Exact ids, then unique case/accent-insensitive id, name, alias or code matches."""

    def __init__(self, kind: str, exact: set[str], table: ParsedTable | None, alt_columns: tuple[str, ...]) -> None:
        self.kind = kind
        self.exact = exact
        self._table = table
        self._alt_columns = alt_columns
        self._alt: dict[str, Any] | None = None

    def _put(self, alt: dict[str, Any], key: str, value: str) -> None:
        if not key:
            return
        prev = alt.get(key)
        if prev is None:
            alt[key] = value
        elif prev is not _AMBIGUOUS and prev != value:
            alt[key] = _AMBIGUOUS
            self._ambiguous.setdefault(key, {prev}).add(value)
        elif prev is _AMBIGUOUS:
            self._ambiguous[key].add(value)

    @property
    def alt(self) -> dict[str, Any]:
        if self._alt is None:
            alt: dict[str, Any] = {}
            self._ambiguous: dict[str, set[str]] = {}
            t = self._table
            if t is not None:
                ids = t.column("id")
                for v in ids:
                    if v:
                        self._put(alt, fold_id(v), v)
                        self._put(alt, slugify(v), v)
                for col in self._alt_columns:
                    values = t.values.get(col)
                    if values is None:
                        continue
                    for i, v in enumerate(values):
                        if not ids[i]:
                            continue
                        for text in (v if isinstance(v, tuple) else (v,)):
                            if text:
                                self._put(alt, slugify(text), ids[i])
            self._alt = alt
        return self._alt

    def resolve(self, value: str) -> tuple[str | None, list[str]]:
        """(id, []) when found; (None, candidates) when ambiguous; (None, []) when unknown."""
        if value in self.exact:
            return value, []
        alt = self.alt
        for key in (fold_id(value), slugify(value)):
            hit = alt.get(key)
            if hit is _AMBIGUOUS:
                return None, sorted(self._ambiguous[key])
            if hit is not None:
                return hit, []
        return None, []

    def suggest(self, value: str) -> str:
        from rapidfuzz import fuzz, process

        choices = list(self.exact)[:200_000]
        best = process.extractOne(value, choices, scorer=fuzz.ratio, score_cutoff=75) if choices else None
        return best[0] if best else ""


_REFERENCES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("partnerships", "parent_id", ("partnerships",)),
    ("memberships", "actor_id", ("actors",)),
    ("memberships", "partnership_id", ("partnerships",)),
    ("funding", "funder_id", ("actors",)),
    ("funding", "recipient_id", ("partnerships", "actors")),
    ("links", "source_id", ("actors",)),
    ("links", "target_id", ("actors",)),
)


def resolve_references(tables: dict[str, ParsedTable], report: Report, known: KnownIds, unreadable: set[str]) -> None:
    """Resolve every reference column in place, reporting unknown and ambiguous references (errors).

    A value that is not an exact id (of the import or of ``known``) is looked up by its
    case/accent-insensitive id or slug, then by the slug of a name, alias or code; a unique hit
    replaces it. Otherwise the record is marked bad, with a "did you mean" (rapidfuzz ``ratio``)
    for the first 20 unknown values of a column. References into ``unreadable`` tables are skipped.
    """
    resolvers = {}
    for kind, table_name, alt_cols, store_ids in (("actor", "actors", ("name", "aliases"), known.actors),
                                                 ("partnership", "partnerships", ("name", "code"), known.partnerships)):
        t = tables.get(table_name)
        exact = set(store_ids)
        if t is not None:
            exact.update(v for v in t.column("id") if v)
        resolvers[table_name] = _Resolver(kind, exact, t, alt_cols)
    for table_name, column, targets in _REFERENCES:
        t = tables.get(table_name)
        if t is None or column not in t.values or any(x in unreadable for x in targets):
            continue
        values = t.values[column]
        exact: set[str] = set().union(*(resolvers[x].exact for x in targets))
        s = pd.Series(values, dtype=object)
        todo = np.flatnonzero((~s.isin(exact) & (s != "")).to_numpy())
        suggestions = 0
        for i in todo:
            i = int(i)
            v = values[i]
            found: dict[str, tuple[str | None, list[str]]] = {x: resolvers[x].resolve(v) for x in targets}
            hits = {x: r[0] for x, r in found.items() if r[0] is not None}
            ambiguous = sorted({c for r in found.values() for c in r[1]})
            if len(set(hits.values())) == 1 and not ambiguous:
                values[i] = next(iter(hits.values()))
                continue
            what = " or ".join(resolvers[x].kind for x in targets)
            if ambiguous or len(hits) > 1:
                cands = sorted(set(ambiguous) | set(hits.values()))
                report.error("ambiguous-reference", f"{v!r} matches several {what}s: {', '.join(cands[:5])}",
                             "write the exact id", **t.where(i, column, v))
            else:
                hint = f"add the {what} to {' or '.join(targets)}, or correct the id"
                if suggestions < 20:
                    suggestions += 1
                    guess = resolvers[targets[0]].suggest(v)
                    if guess:
                        hint += f" (did you mean {guess!r}?)"
                report.error("unknown-reference", f"no {what} has the id {v!r}", hint, **t.where(i, column, v))
            t.bad.add(i)


def check_sources(tables: dict[str, ParsedTable], report: Report) -> None:
    """Warn once per ``source`` value (with a count of rows) that is not in the ``sources`` table."""
    known = {v for v in tables["sources"].column("id") if v}
    for name in ("actors", "partnerships", "memberships", "funding", "links"):
        t = tables.get(name)
        if t is None or "source" not in t.values:
            continue
        seen: dict[str, list[int]] = {}
        for i, v in enumerate(t.values["source"]):
            if v and v not in known:
                seen.setdefault(v, []).append(i)
        for v, idx in seen.items():
            more = f" (and {len(idx) - 1} more rows)" if len(idx) > 1 else ""
            report.warning("unknown-source", f"source {v!r} is not in the sources table{more}",
                           "add it to sources, or correct the source id", **t.where(idx[0], "source", v))
