"""Datasets: what an import or a removal changes in a store, computed before anything is written.

Every stored record belongs to one named dataset (the seed, a CORDIS extract, an analyst's
workbook). `plan_import` compares the records of the files with the stored records and their
owners, set-based (one read of the store, dictionaries keyed by record key, no query per
record), and returns an `ImportPlan`: per table what is new, changed, unchanged, kept (in the
store but not in the files), deleted by a replace, kept because another dataset still refers to
it, and the conflicts with other datasets. `ImportPlan.change` is the `Change` a store applies
in one transaction (`graph.store.Store.apply`). The same plan drives ``--dry-run``, the real
run and the dashboard's preview, so what a preview shows is what the write does.

Conflict: a record of the files whose key belongs to another dataset and whose content differs
(provenance fields ``source`` and ``section`` do not count). Resolutions: ``keep`` (the stored
record stays as it is and the files' references point at it) and ``update`` (the stored record
takes the new values and stays in its dataset; recorded in the history).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from typing import Any

from graph.errors import PartnetError
from graph.model import Dataset

__all__ = [
    "DEFAULT_DATASET",
    "ON_CONFLICT",
    "PROVENANCE_FIELDS",
    "Change",
    "Conflict",
    "ConflictError",
    "StaleStateError",
    "ImportPlan",
    "Owners",
    "TableDiff",
    "check_dataset_name",
    "field_changes",
    "plan_import",
    "plan_removal",
]

#: The dataset of records written without one (and of stores written before datasets existed).
DEFAULT_DATASET = "default"
#: How a conflict with another dataset may be resolved.
ON_CONFLICT: tuple[str, ...] = ("keep", "update")
#: Fields that say where a record comes from, not what it is: they never make a conflict.
PROVENANCE_FIELDS: frozenset[str] = frozenset({"source", "section"})
#: table -> record key -> owning dataset
Owners = dict[str, dict[tuple[Any, ...], str]]
_NODE_TABLES = ("actors", "partnerships")


class ConflictError(PartnetError):
    """Records of the files collide with another dataset's records (exit 1, nothing written)."""

    exit_code = 1


class StaleStateError(PartnetError):
    """The store changed between reading its state and applying a change planned from it (nothing written)."""

    exit_code = 1


def check_dataset_name(name: str) -> str:
    """Return ``name`` trimmed if it can name a dataset (1-100 printable characters), else raise `PartnetError`."""
    text = (name or "").strip()
    if not text or len(text) > 100 or not text.isprintable():
        raise PartnetError(f"{name!r} cannot name a dataset",
                           hint="give --dataset a short printable name such as seed or cordis-h2020")
    return text


@dataclass(frozen=True)
class Conflict:
    """One record of the files whose id belongs to another dataset with different content."""

    table: str
    key: tuple[Any, ...]
    stored_dataset: str
    changes: tuple[tuple[str, Any, Any], ...]  # (field, stored value, value in the files)

    def describe(self, dataset: str) -> str:
        """One line naming the record, both datasets and every differing field with both values."""
        diffs = "; ".join(f"{f}: {old!r} ({self.stored_dataset}) vs {new!r} ({dataset})"
                          for f, old, new in self.changes)
        return f"{self.table} {_key_text(self.key)} belongs to dataset {self.stored_dataset!r}: {diffs}"


@dataclass
class TableDiff:
    """What an import does to one table."""

    new: list[Any] = field(default_factory=list)
    changed: list[tuple[Any, Any]] = field(default_factory=list)  # (stored, new)
    unchanged: int = 0
    shared: int = 0  # identical to another dataset's record: referenced, not written
    kept: list[Any] = field(default_factory=list)  # own records not in the files (no replace)
    deleted: list[Any] = field(default_factory=list)
    kept_shared: list[tuple[Any, list[str]]] = field(default_factory=list)  # (record, referencing datasets)
    conflicts: list[Conflict] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """new / changed / unchanged / kept / deleted / shared-kept / conflicts for this table."""
        return {"new": len(self.new), "changed": len(self.changed), "unchanged": self.unchanged + self.shared,
                "kept": len(self.kept), "deleted": len(self.deleted), "kept_shared": len(self.kept_shared),
                "conflicts": len(self.conflicts)}


@dataclass
class Change:
    """What a store applies in ONE transaction: deletions, upserts with their datasets, sources, a history entry."""

    dataset: str
    upserts: Dataset = field(default_factory=Dataset)
    owners: dict[str, list[str]] = field(default_factory=dict)  # table -> dataset of each upsert, in order
    deletes: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)  # table -> keys
    sources: list[dict[str, Any]] | None = None  # the dataset's documents (None: leave them as they are)
    replace_sources: bool = False
    drop_sources: bool = False  # the dataset is removed: its documents go too
    history: dict[str, Any] | None = None
    #: `Store.data_version` the plan was made against: the store refuses the change (`StaleStateError`,
    #: nothing written) when another write came in between; None skips the check
    expected_version: str | None = None
    #: table -> how many of the upserts, the first ones, are new to the store (a store may CREATE them)
    new: dict[str, int] = field(default_factory=dict)


@dataclass
class ImportPlan:
    """The diff of an import (or a removal) against the store, and the `Change` that carries it out."""

    dataset: str
    replace: bool
    on_conflict: str | None
    tables: dict[str, TableDiff]
    files_counts: dict[str, int]

    @property
    def conflicts(self) -> list[Conflict]:
        """Every conflict, table by table."""
        return [c for d in self.tables.values() for c in d.conflicts]

    def totals(self) -> dict[str, int]:
        """Counts summed over the tables."""
        out: dict[str, int] = {}
        for d in self.tables.values():
            for k, v in d.counts().items():
                out[k] = out.get(k, 0) + v
        return out

    def check(self) -> None:
        """Raise `ConflictError` naming every conflict when there is one and no resolution was chosen."""
        conflicts = self.conflicts
        if not conflicts or self.on_conflict is not None:
            return
        shown = "\n  ".join(c.describe(self.dataset) for c in conflicts[:20])
        more = f"\n  ... and {len(conflicts) - 20} more" if len(conflicts) > 20 else ""
        raise ConflictError(
            f"{len(conflicts)} record(s) of dataset {self.dataset!r} collide with another dataset's records; "
            f"nothing was written:\n  {shown}{more}",
            hint="--on-conflict keep references the stored records unchanged; --on-conflict update takes the new "
            "values (recorded in the history); or give these records other ids")

    def change(self, *, sources: list[dict[str, Any]] | None = None,
               history: dict[str, Any] | None = None) -> Change:
        """The `Change` that applies this plan (raises `ConflictError` if unresolved conflicts remain)."""
        self.check()
        ch = Change(dataset=self.dataset, sources=sources, replace_sources=self.replace, history=history)
        for t in Dataset.TABLES:
            d = self.tables[t]
            recs = list(d.new) + [new for _, new in d.changed]
            owners = [self.dataset] * len(recs)
            if self.on_conflict == "update":
                for c, rec in zip(d.conflicts, self._conflict_records[t], strict=True):
                    recs.append(rec)
                    owners.append(c.stored_dataset)
            setattr(ch.upserts, t, recs)
            ch.new[t] = len(d.new)
            ch.owners[t] = owners
            ch.deletes[t] = [r.key for r in d.deleted]
        return ch

    # records of the files behind each conflict (same order as TableDiff.conflicts)
    _conflict_records: dict[str, list[Any]] = field(default_factory=dict)


def _content_getter(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    names = [f.name for f in fields(cls) if f.name not in PROVENANCE_FIELDS]
    return operator.attrgetter(*names)  # type: ignore[return-value]


def field_changes(old: Any, new: Any, *, provenance: bool = True) -> tuple[tuple[str, Any, Any], ...]:
    """``(field, old value, new value)`` for every field that differs (without source/section unless ``provenance``)."""
    out = []
    for f in fields(old):
        if not provenance and f.name in PROVENANCE_FIELDS:
            continue
        a, b = getattr(old, f.name), getattr(new, f.name)
        if a != b:
            out.append((f.name, a, b))
    return tuple(out)


def _key_text(key: tuple[Any, ...]) -> str:
    return " -> ".join(str(k) for k in key) if len(key) > 1 else str(key[0])


def _refs(table: str, rec: Any) -> Iterable[str]:
    """The node ids a record refers to."""
    if table == "memberships":
        return (rec.actor_id, rec.partnership_id)
    if table == "funding":
        return (rec.funder_id, rec.recipient_id)
    if table == "links":
        return (rec.source_id, rec.target_id)
    if table == "partnerships" and rec.parent_id:
        return (rec.parent_id,)
    return ()


def plan_import(files: Dataset, stored: Dataset, owners: Owners, *, dataset: str, replace: bool = False,
                on_conflict: str | None = None) -> ImportPlan:
    """Compare ``files`` (the records of an import) with the ``stored`` records and their ``owners``.

    Parameters
    ----------
    files : the records the files hold (repeated keys: the last one wins).
    stored, owners : the store's content (`graph.store.Store.read_state`).
    dataset : the dataset the files are imported into.
    replace : the dataset must hold exactly the files' records: its other records are deleted, except
        those another dataset (or the files) still refers to, which are kept and reported.
    on_conflict : ``None`` (a conflict makes `ImportPlan.check` raise), ``keep`` or ``update``.

    Returns
    -------
    ImportPlan
        Nothing is written; `ImportPlan.change` gives what to apply.
    """
    if on_conflict is not None and on_conflict not in ON_CONFLICT:
        raise PartnetError(f"unknown --on-conflict {on_conflict!r}", hint="use keep or update")
    files = files.deduplicated()
    plan = ImportPlan(dataset, replace, on_conflict, {}, files.counts())
    for t in Dataset.TABLES:
        plan.tables[t] = TableDiff()
        plan._conflict_records[t] = []
    # index every stored record by key
    stored_by = {t: {r.key: r for r in getattr(stored, t)} for t in Dataset.TABLES}
    for t in Dataset.TABLES:
        diff, by_key, own = plan.tables[t], stored_by[t], owners.get(t, {})
        recs = getattr(files, t)
        if not recs:
            continue
        if not by_key:  # nothing of this table stored (a first import): every record is new
            diff.new.extend(recs)
            continue
        content = _content_getter(type(recs[0]))
        for rec in recs:
            old = by_key.get(rec.key)
            if old is None:
                diff.new.append(rec)
                continue
            owner = own.get(rec.key, DEFAULT_DATASET)
            if owner == dataset:
                if old == rec:
                    diff.unchanged += 1
                else:
                    diff.changed.append((old, rec))
            elif content(old) == content(rec):
                diff.shared += 1
            else:
                diff.conflicts.append(Conflict(t, rec.key, owner, field_changes(old, rec, provenance=False)))
                plan._conflict_records[t].append(rec)
    file_keys = {t: {r.key for r in getattr(files, t)} if getattr(stored, t) else set() for t in Dataset.TABLES}
    candidates = {t: [r for r in getattr(stored, t)
                      if r.key not in file_keys[t] and owners.get(t, {}).get(r.key, DEFAULT_DATASET) == dataset]
                  for t in Dataset.TABLES}
    if not replace:
        for t in Dataset.TABLES:
            plan.tables[t].kept = candidates[t]
        return plan
    _plan_deletions(plan, files, stored, owners, candidates)
    return plan


def _plan_deletions(plan: ImportPlan, files: Dataset, stored: Dataset, owners: Owners,
                    candidates: dict[str, list[Any]]) -> None:
    """Delete the candidates, except nodes that a remaining record still refers to (kept and reported)."""
    dataset = plan.dataset
    gone_rel = {t: {r.key for r in candidates[t]} for t in ("memberships", "funding", "links")}
    gone_nodes = {r.id for t in _NODE_TABLES for r in candidates[t]}
    referrers: dict[str, set[str]] = {}

    def note(table: str, rec: Any, who: str) -> None:
        for ref in _refs(table, rec):
            if ref in gone_nodes:
                referrers.setdefault(ref, set()).add(who)

    for t in Dataset.TABLES:
        for rec in getattr(files, t):
            note(t, rec, dataset)
        own = owners.get(t, {})
        for rec in getattr(stored, t):
            if t in gone_rel and rec.key in gone_rel[t]:
                continue
            if t == "partnerships" and rec.id in gone_nodes:
                continue  # a deleted partnership's parent link goes with it (unless it is kept: below)
            note(t, rec, own.get(rec.key, DEFAULT_DATASET))
    # a kept partnership keeps its own parent too
    parents = {p.id: p.parent_id for p in candidates["partnerships"] if p.parent_id}
    todo = [i for i in referrers if i in parents]
    while todo:
        child = todo.pop()
        parent = parents.get(child)
        if parent in gone_nodes and parent not in referrers:
            referrers[parent] = {f"{dataset} (parent of {child})"}
            todo.append(parent)
    for t in Dataset.TABLES:
        diff = plan.tables[t]
        for rec in candidates[t]:
            if t in _NODE_TABLES and rec.id in referrers:
                diff.kept_shared.append((rec, sorted(referrers[rec.id])))
            else:
                diff.deleted.append(rec)


def plan_removal(stored: Dataset, owners: Owners, dataset: str) -> ImportPlan:
    """The plan that removes ``dataset``: a replace by nothing (records others still refer to are kept)."""
    return plan_import(Dataset(), stored, owners, dataset=dataset, replace=True)


def remove_dataset(store: Any, name: str) -> ImportPlan:
    """Remove the dataset ``name`` from ``store`` in one transaction and record it in the history.

    Records another dataset still refers to are kept (and listed in the returned plan); the
    dataset's sources go. Raises `PartnetError` when the store holds no such dataset.
    """
    from graph.history import entry

    version = store.data_version()
    stored, owners = store.read_state()
    present = {d for own in owners.values() for d in own.values()}
    present |= {s["dataset"] for s in store.read_sources()}
    if name not in present:
        listed = ", ".join(sorted(present)) or "none"
        raise PartnetError(f"the store holds no dataset {name!r}; nothing was removed",
                           hint=f"the datasets are: {listed} (partnet store datasets)")
    plan = plan_removal(stored, owners, name)
    t = plan.totals()
    counts = {"deleted": t["deleted"], "kept_shared": t["kept_shared"]}
    change = plan.change(history=entry("remove", name, counts=counts))
    change.drop_sources = True
    change.expected_version = version
    store.apply(change)
    return plan
