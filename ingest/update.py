"""Import into a dataset: read the store once, plan the change (`graph.datasets`), apply it in one transaction.

`ingest.pipeline.ingest` calls `store_state` before validating (so references may name stored
records) and `plan_and_apply` after; both the dry run and the real run go through the same
`graph.datasets.plan_import`, so a dry run's diff is exactly what the write then does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.datasets import ImportPlan, Owners, StaleStateError, check_dataset_name, plan_import
from graph.history import entry, file_hashes
from graph.model import Dataset
from graph.store import Store
from ingest.validate import KnownIds

__all__ = ["StoreState", "UpdateOutcome", "default_dataset_name", "history_counts", "plan_and_apply",
           "store_state"]


_ATTEMPTS = 5


def default_dataset_name(path: str | Path) -> str:
    """The dataset an import goes to when none is named: the file's name without extension, or the folder's name.

    >>> default_dataset_name("data/seed/"), default_dataset_name("exports/cordis-h2020.csv")
    ('seed', 'cordis-h2020')
    """
    p = Path(path)
    return (p.stem if p.suffix else p.name) or p.resolve().name


@dataclass
class StoreState:
    """What the store holds before an import: its records, their datasets, the ids references may use."""

    stored: Dataset = field(default_factory=Dataset)
    owners: Owners = field(default_factory=dict)
    known: KnownIds | None = None
    counts: dict[str, int] = field(default_factory=dict)
    version: str | None = None  # the store's data version when it was read


def store_state(store: Store | None) -> StoreState:
    """Read ``store`` once (nothing for ``None`` or an empty store)."""
    if store is None:
        return StoreState()
    version = store.data_version()
    counts = store.counts()
    if not any(counts.values()):
        return StoreState(counts=counts, version=version)
    stored, owners = store.read_state()
    known = KnownIds(actors={a.id for a in stored.actors}, partnerships={p.id for p in stored.partnerships})
    return StoreState(stored, owners, known, counts, version)


@dataclass
class UpdateOutcome:
    """The plan of an import and, unless it was a dry run, what it wrote."""

    plan: ImportPlan
    written: dict[str, int]
    counts_after: dict[str, int]
    files: list[dict[str, str]]


def history_counts(plan: ImportPlan) -> dict[str, int]:
    """The counts a history entry records for ``plan``."""
    t = plan.totals()
    resolved = t["conflicts"] if plan.on_conflict else 0
    changed = t["changed"] + (resolved if plan.on_conflict == "update" else 0)
    return {"new": t["new"], "changed": changed, "deleted": t["deleted"], "kept_shared": t["kept_shared"],
            "conflicts_resolved": resolved}


def plan_and_apply(path: str | Path, files: Dataset, sources: list[dict[str, Any]], store: Store | None,
                   state: StoreState, *, dataset: str, replace: bool = False, on_conflict: str | None = None,
                   dry_run: bool = False) -> UpdateOutcome:
    """Plan the import of ``files`` into ``dataset`` and, unless ``dry_run``, apply it in one transaction.

    Raises `graph.datasets.ConflictError` (nothing written) for records that collide with another
    dataset when ``on_conflict`` is ``None`` (a dry run returns the plan with its conflicts instead).
    """
    name = check_dataset_name(dataset)
    hashes = file_hashes(path) if Path(path).exists() else []
    for attempt in range(_ATTEMPTS):
        plan = plan_import(files, state.stored, state.owners, dataset=name, replace=replace,
                           on_conflict=on_conflict)
        if dry_run or store is None:
            return UpdateOutcome(plan, {}, state.counts, hashes)
        action = "replace" if replace else "ingest"
        change = plan.change(sources=sources,
                             history=entry(action, name, files=hashes, counts=history_counts(plan)))
        change.expected_version = state.version
        try:
            store.apply(change)
        except StaleStateError:
            if attempt == _ATTEMPTS - 1:
                raise
            state = store_state(store)  # another write came in between: plan again against it
            continue
        return UpdateOutcome(plan, change.upserts.counts(), store.counts(), hashes)
    raise AssertionError("unreachable")
