"""Cross-table validation of normalised tables, and building the typed `graph.model.Dataset`.

Checks (errors block the write, warnings do not):

- ids: empty ids derived with `graph.model.slugify` (actors from the name, partnerships from
  the code, else the name); duplicate ids (error naming both rows); ids that differ only by
  case or accents (error); an id used by both an actor and a partnership (error);
- references (``memberships.actor_id``/``partnership_id``, ``funding.funder_id``/``recipient_id``,
  ``links.source_id``/``target_id``, ``partnerships.parent_id``): an exact id, else a unique
  case/accent-insensitive id, name, alias or code match; otherwise an error (with a
  "did you mean"), or an accepted id already in the store when ingesting;
- a link from an actor to itself, a funder funding itself, a cycle of ``parent_id`` (errors);
  an end year before the start year (error);
- repeated relationship rows (warning: the last row is kept);
- likely duplicate actors (warning naming both rows, never merged): `likely_duplicates`;
- ``source`` values missing from the ``sources`` table (warning).

The checks live in `ingest.ids`, `ingest.references`, `ingest.consistency` and
`ingest.duplicates`; `build_dataset` in `ingest.records`. This module runs them in order
(`validate`) and re-exports the public names.
"""

from __future__ import annotations

from collections.abc import Iterable

from ingest.consistency import check_parent_cycles, check_repeated, check_self_ties, check_year_order
from ingest.duplicates import LEGAL_FORMS, likely_duplicates, name_key, report_likely_duplicates
from ingest.ids import check_clash, check_clash_store, check_unique_ids, derive_ids
from ingest.normalise import ParsedTable
from ingest.records import build_dataset
from ingest.references import KnownIds, check_sources, resolve_references
from ingest.report import Report

__all__ = ["LEGAL_FORMS", "KnownIds", "build_dataset", "likely_duplicates", "name_key", "validate"]


def validate(tables: dict[str, ParsedTable], report: Report, *, known: KnownIds | None = None,
             unreadable: Iterable[str] = ()) -> None:
    """Run every cross-table check on ``tables`` (modified in place: derived ids, resolved references).

    Records with an error are added to their table's ``bad`` set. ``unreadable`` names tables
    that could not be read at all: references into them are not checked (each would be
    reported as unknown).
    """
    known = known or KnownIds()
    unreadable = set(unreadable)
    actors, partnerships = tables.get("actors"), tables.get("partnerships")
    if actors is not None:
        derive_ids(actors, report, ("name",), "actor")
    if partnerships is not None:
        derive_ids(partnerships, report, ("code", "name"), "partnership")
    for t in (actors, partnerships, tables.get("sources")):
        if t is not None:
            check_unique_ids(t, report)
    if actors is not None and partnerships is not None:
        check_clash(actors, partnerships, report)
    if actors is not None and known.partnerships:
        check_clash_store(actors, known.partnerships, "partnership", report)
    if partnerships is not None and known.actors:
        check_clash_store(partnerships, known.actors, "actor", report)
    resolve_references(tables, report, known, unreadable)
    check_self_ties(tables, report)
    if partnerships is not None:
        check_parent_cycles(partnerships, report)
    for name in ("partnerships", "funding"):
        if name in tables:
            check_year_order(tables[name], report)
    for name, key in (("memberships", ("actor_id", "partnership_id")),
                      ("funding", ("funder_id", "recipient_id", "programme")),
                      ("links", ("source_id", "target_id", "kind"))):
        if name in tables:
            check_repeated(tables[name], key, report)
    if actors is not None and len(actors):
        report_likely_duplicates(actors, report)
    if "sources" in tables:
        check_sources(tables, report)
