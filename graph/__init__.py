"""The data model and the one Store interface, with SQLite and Neo4j behind it.

`graph` knows nothing of files, pages or analyses: it defines the typed records
(`graph.model`), turns them into NetworkX graphs and data frames (`graph.convert`)
and persists them (`graph.store` the interface, `graph.backends` to open one, `graph.sqlite_store`,
`graph.neo4j_store`).
"""

from graph.backends import open_store
from graph.errors import (
    IntegrityError,
    PartnetError,
    ReadOnlyError,
    StoreAuthError,
    StoreError,
    StoreUnavailable,
)
from graph.model import (
    ACTOR_TYPES,
    FAMILIES,
    FIVE_FAMILIES,
    LEVELS,
    LINK_KINDS,
    PARTNERSHIP_KINDS,
    ROLES,
    SCOPES,
    Actor,
    Dataset,
    Funding,
    Link,
    Membership,
    Partnership,
    family_of,
    slugify,
)
from graph.store import Store, StoreInfo

__all__ = [
    "ACTOR_TYPES",
    "FAMILIES",
    "FIVE_FAMILIES",
    "LEVELS",
    "LINK_KINDS",
    "PARTNERSHIP_KINDS",
    "ROLES",
    "SCOPES",
    "Actor",
    "Dataset",
    "Funding",
    "IntegrityError",
    "Link",
    "Membership",
    "Partnership",
    "PartnetError",
    "ReadOnlyError",
    "Store",
    "StoreAuthError",
    "StoreError",
    "StoreInfo",
    "StoreUnavailable",
    "family_of",
    "open_store",
    "slugify",
]
