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
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from graph.model import Actor, Dataset, Funding, Link, Membership, Partnership, slugify
from ingest.normalise import ParsedTable, fold
from ingest.report import Report

__all__ = ["LEGAL_FORMS", "KnownIds", "build_dataset", "likely_duplicates", "name_key", "validate"]

#: Legal-form words ignored when comparing actor names (after `fold`; dotted forms like
#: "e.V." or "s.p.a." fold to single letters that are joined first).
LEGAL_FORMS: frozenset[str] = frozenset({
    "asbl", "aisbl", "vzw", "ivzw", "ev", "gmbh", "ggmbh", "ag", "kg", "ohg", "eg", "gbr", "mbh", "sa", "sarl", "sas",
    "sasu", "eurl", "sci", "scop", "scic", "scrl", "sprl", "srl", "spa", "sl", "slu", "sc", "sca", "ltd", "limited",
    "plc", "llp", "inc", "llc", "corp", "bv", "nv", "cv", "oy", "ab", "as", "asa", "aps", "lda", "ltda", "cic", "cio",
    "sro", "doo", "dd", "ad", "ood", "eood", "kft", "zrt", "nyrt", "ry", "ong", "stichting",
})
_DUP_RATIO = 92
_DUP_WINDOW = 10


@dataclass
class KnownIds:
    """Ids already in the store: references to them are accepted when ingesting."""

    actors: set[str] = field(default_factory=set)
    partnerships: set[str] = field(default_factory=set)


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
        _derive_ids(actors, report, ("name",), "actor")
    if partnerships is not None:
        _derive_ids(partnerships, report, ("code", "name"), "partnership")
    for t in (actors, partnerships, tables.get("sources")):
        if t is not None:
            _check_unique_ids(t, report)
    if actors is not None and partnerships is not None:
        _check_clash(actors, partnerships, report)
    if actors is not None and known.partnerships:
        _check_clash_store(actors, known.partnerships, "partnership", report)
    if partnerships is not None and known.actors:
        _check_clash_store(partnerships, known.actors, "actor", report)
    _resolve_references(tables, report, known, unreadable)
    _check_self_ties(tables, report)
    if partnerships is not None:
        _check_parent_cycles(partnerships, report)
    for name in ("partnerships", "funding"):
        if name in tables:
            _check_year_order(tables[name], report)
    for name, key in (("memberships", ("actor_id", "partnership_id")),
                      ("funding", ("funder_id", "recipient_id", "programme")),
                      ("links", ("source_id", "target_id", "kind"))):
        if name in tables:
            _check_repeated(tables[name], key, report)
    if actors is not None and len(actors):
        _report_likely_duplicates(actors, report)
    if "sources" in tables:
        _check_sources(tables, report)


# -- ids -----------------------------------------------------------------------------
def _hash_id(prefix: str, text: str) -> str:
    return f"{prefix}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:10]}"


def _derive_ids(t: ParsedTable, report: Report, sources: tuple[str, ...], prefix: str) -> None:
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


def _fold_id(value: str) -> str:
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


def _check_unique_ids(t: ParsedTable, report: Report) -> None:
    ids = t.column("id")
    for group in _groups(ids):
        first = group[0]
        for i in group[1:]:
            note = " (derived from the name or code, as the id cell is empty)" if i in t.derived else ""
            report.error("duplicate-id", f"duplicate id {ids[i]!r}{note}: also on row {t.rows[first]}",
                         "give each record its own id (two rows for one organisation: keep one)",
                         **t.where(i, "id", ids[i]))
            t.bad.add(i)
    folded = [_fold_id(v) for v in ids]
    for group in _groups(folded):
        first = group[0]
        for i in group[1:]:
            if ids[i] != ids[first]:
                report.error("id-case-variant", f"id {ids[i]!r} differs from {ids[first]!r} (row {t.rows[first]}) "
                             "only by case or accents", "write the same id the same way everywhere; two different "
                             "records need ids that differ by more than case or accents", **t.where(i, "id", ids[i]))
                t.bad.add(i)


def _check_clash(actors: ParsedTable, partnerships: ParsedTable, report: Report) -> None:
    a_rows = {v: i for i, v in enumerate(actors.column("id")) if v}
    for j, v in enumerate(partnerships.column("id")):
        if v and v in a_rows:
            report.error("id-clash", f"id {v!r} is used by an actor ({actors.file} row {actors.rows[a_rows[v]]}) "
                         "and by this partnership", "ids are shared by actors and partnerships: give one of them "
                         "another id (e.g. add -network)", **partnerships.where(j, "id", v))
            partnerships.bad.add(j)


def _check_clash_store(t: ParsedTable, other: set[str], other_kind: str, report: Report) -> None:
    for i, v in enumerate(t.column("id")):
        if v and v in other:
            report.error("id-clash", f"id {v!r} already belongs to a {other_kind} in the store",
                         "give this record another id", **t.where(i, "id", v))
            t.bad.add(i)


# -- references ----------------------------------------------------------------------
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
                        self._put(alt, _fold_id(v), v)
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
        for key in (_fold_id(value), slugify(value)):
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


def _resolve_references(tables: dict[str, ParsedTable], report: Report, known: KnownIds, unreadable: set[str]) -> None:
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


# -- structure -----------------------------------------------------------------------
def _check_self_ties(tables: dict[str, ParsedTable], report: Report) -> None:
    for name, a, b, what in (("links", "source_id", "target_id", "a link from an actor to itself"),
                             ("funding", "funder_id", "recipient_id", "a funder funding itself")):
        t = tables.get(name)
        if t is None or a not in t.values or b not in t.values:
            continue
        for i, (x, y) in enumerate(zip(t.values[a], t.values[b], strict=True)):
            if x and x == y:
                report.error("self-link", what, f"{b} must name another record than {a}", **t.where(i, b, y))
                t.bad.add(i)


def _check_parent_cycles(t: ParsedTable, report: Report) -> None:
    if "parent_id" not in t.values:
        return
    ids, parents = t.column("id"), t.values["parent_id"]
    parent_of = {v: p for v, p in zip(ids, parents, strict=True) if v and p}
    row_of = {v: i for i, v in enumerate(ids) if v}
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    for start in parent_of:
        if state.get(start):
            continue
        path: list[str] = []
        node: str | None = start
        while node is not None and node in parent_of and not state.get(node):
            state[node] = 1
            path.append(node)
            node = parent_of[node]
        if node is not None and state.get(node) == 1:
            cycle = path[path.index(node):]
            listing = " -> ".join(f"{c} (row {t.rows[row_of[c]]})" for c in [*cycle, cycle[0]])
            i = row_of[cycle[0]]
            report.error("parent-cycle", f"parent_id forms a cycle: {listing}",
                         "a partnership cannot contain itself: clear parent_id on one of these rows",
                         **t.where(i, "parent_id", parents[i]))
            for c in cycle:
                t.bad.add(row_of[c])
        for n in path:
            state[n] = 2


def _check_year_order(t: ParsedTable, report: Report) -> None:
    if "start_year" not in t.values or "end_year" not in t.values:
        return
    for i, (a, b) in enumerate(zip(t.values["start_year"], t.values["end_year"], strict=True)):
        if a is not None and b is not None and b < a:
            report.error("year-order", f"end_year {b} is before start_year {a}", "swap or correct the years",
                         **t.where(i, "end_year", b))
            t.bad.add(i)


def _check_repeated(t: ParsedTable, key: tuple[str, ...], report: Report) -> None:
    if not len(t) or any(k not in t.values for k in key[:2]):
        return
    cols = [t.column(k) for k in key]
    frame = pd.DataFrame({k: pd.Series(c, dtype=object) for k, c in zip(key, cols, strict=True)})
    mask = frame.duplicated(keep=False).to_numpy()
    if not mask.any():
        return
    first: dict[tuple[Any, ...], int] = {}
    for i in np.flatnonzero(mask):
        i = int(i)
        k = tuple(c[i] for c in cols)
        if k not in first:
            first[k] = i
            continue
        report.warning("repeated-row", f"the same {' / '.join(key)} as row {t.rows[first[k]]}; the last of these "
                       "rows is kept", "delete one of the rows (or merge what they say)",
                       **t.where(i, key[0], cols[0][i]))


# -- likely duplicates ---------------------------------------------------------------
def name_key(name: str) -> str:
    """A comparison key for organisation names: case, accents, punctuation and legal forms ignored.

    >>> name_key("Migrações e Desenvolvimento, ASBL") == name_key("migracoes e desenvolvimento")
    True
    >>> name_key("Verein für Arbeit e.V.")
    'verein fur arbeit'
    """
    tokens = fold(name).split()
    merged: list[str] = []
    run = ""
    for tok in tokens:  # "e v" (from "e.V.") -> "ev"
        if len(tok) == 1:
            run += tok
            continue
        if run:
            merged.append(run)
            run = ""
        merged.append(tok)
    if run:
        merged.append(run)
    kept = [t for t in merged if t not in LEGAL_FORMS]
    return " ".join(kept) if kept else " ".join(merged)


def likely_duplicates(names: list[str], countries: list[str], *, ratio: int = _DUP_RATIO,
                      window: int = _DUP_WINDOW) -> list[tuple[int, int, str]]:
    """Pairs ``(i, j, why)`` (``i < j``) of records that probably name the same organisation.

    Two rules: the same `name_key` (case, accents, punctuation and legal-form words
    ignored), whatever the country; or a rapidfuzz ``token_sort_ratio`` of at least
    ``ratio`` between the keys of two records in the same country whose names hold the same
    numbers ("Université Paris 3" and "Paris 8" differ). The fuzzy rule uses the
    sorted-neighbourhood method (Hernández & Stolfo, "The merge/purge problem for large
    databases", SIGMOD 1995): records are sorted by country and token-sorted key, and each
    is compared with the next ``window`` records; a second pass sorts by the reversed key so
    that a difference near the start of a name is caught too. Cost O(n log n + n·window),
    not O(n²).
    """
    from rapidfuzz import fuzz, process

    n = len(names)
    keys = [name_key(x) if x else "" for x in names]
    pairs: dict[tuple[int, int], str] = {}
    first: dict[str, int] = {}
    for i, k in enumerate(keys):
        if not k:
            continue
        if k in first:
            pairs[(first[k], i)] = "the same name up to case, accents, punctuation and legal form"
        else:
            first[k] = i
    sorted_keys = [" ".join(sorted(k.split())) for k in keys]
    candidates = [i for i in range(n) if keys[i] and first.get(keys[i]) == i]  # one record per exact key
    for order in (sorted(candidates, key=lambda i: (countries[i], sorted_keys[i])),
                  sorted(candidates, key=lambda i: (countries[i], sorted_keys[i][::-1]))):
        seq = [sorted_keys[i] for i in order]
        cty = [countries[i] for i in order]
        for k in range(1, min(window, len(order) - 1) + 1):
            scores = process.cpdist(seq[:-k], seq[k:], scorer=fuzz.token_sort_ratio, score_cutoff=ratio,
                                    workers=-1)
            for p in np.flatnonzero(scores):
                p = int(p)
                if cty[p] != cty[p + k]:
                    continue
                i, j = sorted((order[p], order[p + k]))
                if _numbers(keys[i]) != _numbers(keys[j]):
                    continue  # "Paris 3" and "Paris 8" are different universities
                pairs.setdefault((i, j), f"names {int(scores[p])}% similar in the same country")
    return [(i, j, why) for (i, j), why in sorted(pairs.items(), key=lambda kv: (kv[0][1], kv[0][0]))]


_NUMBER_TOKEN = re.compile(r"\S*\d\S*")


def _numbers(key: str) -> list[str]:
    return sorted(_NUMBER_TOKEN.findall(key))


def _report_likely_duplicates(t: ParsedTable, report: Report) -> None:
    names = t.column("name")
    countries = t.column("country")
    ids = t.column("id")
    for i, j, why in likely_duplicates(names, countries):
        if ids[i] and ids[i] == ids[j]:
            continue  # already an error (duplicate id)
        report.warning("likely-duplicate", f"looks like the same organisation as row {t.rows[i]} "
                       f"({names[i]!r}, id {ids[i]!r}): {why}",
                       "if both rows are one organisation, keep one and list the other name in aliases; "
                       "otherwise ignore this warning (nothing is merged)", **t.where(j, "name", names[j]))


def _check_sources(tables: dict[str, ParsedTable], report: Report) -> None:
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


# -- records -------------------------------------------------------------------------
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
