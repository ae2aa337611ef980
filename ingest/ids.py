"""Record ids: deriving empty ids, and the checks that ids are unique and unambiguous.

- empty ids are derived with `graph.model.slugify` (actors from the name, partnerships from the
  code, else the name; a hash when the text has no Latin letters or digits);
- duplicate ids (error naming both rows); ids that differ only by case or accents (error);
- an id used by both an actor and a partnership, in the import or in the store (error).
"""

from __future__ import annotations

import hashlib
import unicodedata
from typing import Any

import numpy as np
import pandas as pd

from graph.model import slugify
from ingest.normalise import ParsedTable
from ingest.report import Report

__all__ = ["check_clash", "check_clash_store", "check_unique_ids", "derive_ids", "fold_id"]


def _hash_id(prefix: str, text: str) -> str:
    return f"{prefix}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:10]}"


def derive_ids(t: ParsedTable, report: Report, sources: tuple[str, ...], prefix: str) -> None:
    """Give every record of ``t`` with an empty id one derived from its first non-empty ``sources`` column.

    The id is `graph.model.slugify` of the text, else a hash ``prefix-<sha1>`` (with a warning)
    when the slug is empty. Derived records are added to ``t.derived``.
    """
    ids = t.column("id")
    cols = [t.column(c) for c in sources]
    for i, current in enumerate(ids):
        if current:
            continue
        for col in cols:
            text = col[i]
            if text:
                slug = slugify(text)
                if not slug:
                    slug = _hash_id(prefix, text)
                    report.warning("derived-id", f"the id was derived from a hash ({slug}): the text has no "
                                   "Latin letters or digits", "give the record a readable id", **t.where(i, "id", text))
                ids[i] = slug
                t.derived.add(i)
                break


def fold_id(value: str) -> str:
    """``value`` with accents dropped and case folded: ids equal under this key are case variants."""
    if value.isascii():
        return value.casefold()
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _groups(values: list[Any], *, skip_empty: bool = True) -> list[list[int]]:
    """Indexes of values that occur more than once, grouped, each group in order."""
    s = pd.Series(values, dtype=object)
    mask = s.duplicated(keep=False)
    if skip_empty:
        mask &= s != ""
    if not mask.any():
        return []
    groups: dict[Any, list[int]] = {}
    for i in np.flatnonzero(mask.to_numpy()):
        groups.setdefault(values[i], []).append(int(i))
    return list(groups.values())


def check_unique_ids(t: ParsedTable, report: Report) -> None:
    """Report duplicate ids and ids that differ only by case or accents (errors; the later rows are bad).

    Method: `pandas.Series.duplicated` on the ids and on their `fold_id` keys.
    """
    ids = t.column("id")
    for group in _groups(ids):
        first = group[0]
        for i in group[1:]:
            note = " (derived from the name or code, as the id cell is empty)" if i in t.derived else ""
            report.error("duplicate-id", f"duplicate id {ids[i]!r}{note}: also on row {t.rows[first]}",
                         "give each record its own id (two rows for one organisation: keep one)",
                         **t.where(i, "id", ids[i]))
            t.bad.add(i)
    folded = [fold_id(v) for v in ids]
    for group in _groups(folded):
        first = group[0]
        for i in group[1:]:
            if ids[i] != ids[first]:
                report.error("id-case-variant", f"id {ids[i]!r} differs from {ids[first]!r} (row {t.rows[first]}) "
                             "only by case or accents", "write the same id the same way everywhere; two different "
                             "records need ids that differ by more than case or accents", **t.where(i, "id", ids[i]))
                t.bad.add(i)


def check_clash(actors: ParsedTable, partnerships: ParsedTable, report: Report) -> None:
    """Report ids used by both an actor and a partnership of the import (error on the partnership)."""
    a_rows = {v: i for i, v in enumerate(actors.column("id")) if v}
    for j, v in enumerate(partnerships.column("id")):
        if v and v in a_rows:
            report.error("id-clash", f"id {v!r} is used by an actor ({actors.file} row {actors.rows[a_rows[v]]}) "
                         "and by this partnership", "ids are shared by actors and partnerships: give one of them "
                         "another id (e.g. add -network)", **partnerships.where(j, "id", v))
            partnerships.bad.add(j)


def check_clash_store(t: ParsedTable, other: set[str], other_kind: str, report: Report) -> None:
    """Report ids of ``t`` that already belong to a record of another kind (``other_kind``) in the store."""
    for i, v in enumerate(t.column("id")):
        if v and v in other:
            report.error("id-clash", f"id {v!r} already belongs to a {other_kind} in the store",
                         "give this record another id", **t.where(i, "id", v))
            t.bad.add(i)
