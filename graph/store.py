"""The one Store interface that both the SQLite and the Neo4j stores implement.

Choosing and opening a backend is `graph.backends.open_store`; the backends import this module,
never the other way round.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from types import TracebackType

import networkx as nx
import pandas as pd

from graph.convert import dataset_to_frames, dataset_to_graph
from graph.datasets import Change, Owners
from graph.model import Dataset
from graph.results import StoredResults

__all__ = ["COUNT_KEYS", "Store", "StoreInfo"]

#: What `Store.counts` reports: node labels, then relationship types.
COUNT_KEYS: tuple[str, ...] = ("Actor", "Partnership", "MEMBER_OF", "FUNDS", "LINKED_TO", "PART_OF")


@dataclass(frozen=True)
class StoreInfo:
    """What a store says about itself. ``location`` never holds a password."""

    name: str
    location: str
    schema_version: int
    counts: dict[str, int] = field(default_factory=dict)
    read_only: bool = False
    details: dict[str, str] = field(default_factory=dict)


class Store(abc.ABC):
    """Persist and read back the partnership graph.

    Every write call is one transaction: it upserts the records idempotently (records are
    identified by their ``key``) and either all of it lands or none of it does. Reads
    return the whole graph.
    """

    name: str = "store"
    read_only: bool = False

    # -- writing -------------------------------------------------------------------
    @abc.abstractmethod
    def write(self, ds: Dataset) -> dict[str, int]:
        """Upsert every record of ``ds`` in one transaction; return records written per table.

        Raises `graph.errors.IntegrityError` (store unchanged) when a relationship refers to an
        id that is neither in ``ds`` nor already stored.
        """

    @abc.abstractmethod
    def delete_all(self) -> None:
        """Remove every record."""

    # -- datasets, history, sources (see graph.datasets) -----------------------------
    def apply(self, change: Change) -> None:
        """Apply ``change`` in ONE transaction: delete its keys, upsert its records into their datasets,
        store the dataset's sources and append the history entry; an interrupted apply leaves the old state.

        Raises `graph.errors.IntegrityError` (store unchanged) when a record would refer to a missing id.
        """
        raise NotImplementedError

    def read_state(self) -> tuple[Dataset, Owners]:
        """Every stored record and, per table, the dataset owning each record key (one read)."""
        raise NotImplementedError

    def read_history(self) -> list[dict]:
        """The history entries, oldest first (`graph.history`)."""
        raise NotImplementedError

    def read_sources(self) -> list[dict]:
        """The stored source documents, each a dict with ``dataset``, ``id``, ``title``, ``file``, ``description``."""
        raise NotImplementedError

    def dataset_counts(self) -> dict[str, dict[str, int]]:
        """Dataset name -> records per table (``actors``, ``partnerships``, ...)."""
        raise NotImplementedError

    # -- stored analysis results (see graph.results) ------------------------------------
    def write_results(self, results: StoredResults) -> None:
        """Keep ``results`` (computed on ``results.data_version``) in ONE transaction, replacing the run of the
        same parameters; never changes the data version. Raises `graph.errors.ReadOnlyError` when read-only and
        `graph.datasets.StaleStateError` when the data changed since."""
        raise NotImplementedError

    def read_results(self, params: dict) -> StoredResults | None:
        """The results stored for ``params`` at the current data version, or None (never stale ones)."""
        raise NotImplementedError

    def read_results_run(self, params: dict) -> dict[str, str] | None:
        """Only the run record (`graph.results.StoredResults.run_record`: ``created_at``, ``data_version``...)
        of the results stored for ``params`` at the current data version, or None; cheap (no result rows)."""
        res = self.read_results(params)
        return None if res is None else res.run_record()

    # -- reading -------------------------------------------------------------------
    @abc.abstractmethod
    def read_dataset(self) -> Dataset:
        """Every stored record, as typed records."""

    def read_graph(self) -> nx.MultiDiGraph:
        """The whole graph as a ``networkx.MultiDiGraph`` with every property (see `graph.convert`).

        Every node and edge carries its ``dataset`` and ``g.graph["sources"]`` holds the stored
        source documents (`read_sources`), so exports and the report can show the provenance.
        """
        try:
            ds, owners = self.read_state()
            sources = self.read_sources()
        except NotImplementedError:  # a store without datasets
            return dataset_to_graph(self.read_dataset())
        return dataset_to_graph(ds, owners=owners, sources=sources)

    def read_frames(self) -> dict[str, pd.DataFrame]:
        """The whole graph as one data frame per table, in the import format's columns."""
        return dataset_to_frames(self.read_dataset())

    @abc.abstractmethod
    def counts(self) -> dict[str, int]:
        """Number of nodes per label and relationships per type (keys: `COUNT_KEYS`)."""

    @abc.abstractmethod
    def data_version(self) -> str:
        """A fingerprint that changes whenever the content changes (for caching analyses)."""

    @abc.abstractmethod
    def info(self) -> StoreInfo:
        """Name, location (path or URI, never a password), schema version and counts."""

    # -- lifecycle -----------------------------------------------------------------
    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections."""

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
