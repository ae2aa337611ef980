"""Typed records of the partnership graph, their closed vocabularies and stable slug ids.

The property graph (see DESIGN.md):

- ``(:Actor)``, ``(:Partnership)`` nodes;
- ``(Actor)-[:MEMBER_OF {role}]->(Partnership)``;
- ``(Actor)-[:FUNDS {programme, amount, currency, start_year, end_year}]->(Partnership|Actor)``;
- ``(Actor)-[:LINKED_TO {kind, year}]->(Actor)``;
- ``(Partnership)-[:PART_OF]->(Partnership)`` (from ``Partnership.parent_id``).

Records are frozen dataclasses; constructing one with a value outside a closed vocabulary
raises ``ValueError`` (ingest normalises user input before it gets here).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any, ClassVar

__all__ = [
    "ACTOR_TYPES",
    "FAMILIES",
    "FIVE_FAMILIES",
    "LEVELS",
    "LINK_KINDS",
    "NODE_LABELS",
    "PARTNERSHIP_KINDS",
    "RELATIONSHIP_TYPES",
    "ROLES",
    "SCOPES",
    "STATUSES",
    "Actor",
    "Dataset",
    "Funding",
    "Link",
    "Membership",
    "Partnership",
    "PROPERTY_KEYS",
    "check_label",
    "check_property",
    "check_relationship_type",
    "family_of",
    "slugify",
]

#: family -> actor types. The first five are the "multi-partnership" families.
FAMILIES: dict[str, tuple[str, ...]] = {
    "authorities": (
        "local_authority",
        "regional_authority",
        "national_authority",
        "public_agency",
        "eu_institution",
        "international_organisation",
    ),
    "enterprises": ("employer", "employer_organisation", "social_economy"),
    "trade_unions": ("trade_union",),
    "ngos": ("ngo", "network", "foundation"),
    "target_public": ("migrant_organisation",),
    "knowledge": ("research", "consultancy"),
    "other": ("media", "other"),
}
FIVE_FAMILIES: tuple[str, ...] = ("authorities", "enterprises", "trade_unions", "ngos", "target_public")
ACTOR_TYPES: dict[str, str] = {t: fam for fam, types in FAMILIES.items() for t in types}
PARTNERSHIP_KINDS: tuple[str, ...] = (
    "development_partnership",
    "thematic_network",
    "project",
    "city_network",
    "union_network",
    "agreement",
    "pact",
    "exchange",
    "initiative",
)
ROLES: tuple[str, ...] = ("lead", "coordinator", "partner", "member", "facilitator", "associate", "observer")
LEVELS: tuple[str, ...] = ("local", "regional", "national", "european")
SCOPES: tuple[str, ...] = ("local", "regional", "national", "european", "international")
LINK_KINDS: tuple[str, ...] = ("exchange", "twinning", "cooperation", "agreement", "other")
#: Where a partnership stands; ``unknown`` when the data does not say.
STATUSES: tuple[str, ...] = ("active", "proposed", "ended", "unknown")

#: The only labels and relationship types a store ever writes or reads (the Cypher allow-list).
NODE_LABELS: tuple[str, ...] = ("Actor", "Partnership")
RELATIONSHIP_TYPES: tuple[str, ...] = ("MEMBER_OF", "FUNDS", "LINKED_TO", "PART_OF")

#: Label or relationship type -> the property keys it carries (the allow-list for user-chosen keys).
PROPERTY_KEYS: dict[str, tuple[str, ...]] = {
    "Actor": ("id", "name", "aliases", "type", "family", "country", "city", "scope", "website", "source", "section"),
    "Partnership": ("id", "name", "kind", "code", "theme", "level", "start_year", "end_year", "parent_id",
                    "source", "section", "status", "members_complete"),
    "MEMBER_OF": ("role", "source", "section"),
    "FUNDS": ("programme", "amount", "currency", "start_year", "end_year", "source", "section"),
    "LINKED_TO": ("kind", "year", "source", "section"),
    "PART_OF": (),
}


def _allowed(value: object, allowed: Iterable[str], what: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{what} {value!r} is not allowed; expected one of {sorted(allowed)}")
    return value


def check_label(label: object) -> str:
    """Return ``label`` if it is one of `NODE_LABELS`, else raise ``ValueError``.

    Call it on every node label that comes from outside partnet's own code (a user's choice,
    a URL parameter, a file) before it goes anywhere near a query: labels cannot be query
    parameters, so the allow-list is what keeps a query's structure fixed.
    """
    return _allowed(label, NODE_LABELS, "node label")


def check_relationship_type(rel_type: object) -> str:
    """Return ``rel_type`` if it is one of `RELATIONSHIP_TYPES`, else raise ``ValueError`` (see `check_label`)."""
    return _allowed(rel_type, RELATIONSHIP_TYPES, "relationship type")


def check_property(owner: object, key: object) -> str:
    """Return ``key`` if ``owner`` (a label or relationship type) carries that property, else raise ``ValueError``.

    For user-chosen property keys, sort columns and filter columns (see `check_label`).
    """
    allowed = PROPERTY_KEYS[_allowed(owner, PROPERTY_KEYS, "label or relationship type")]
    return _allowed(key, allowed, f"property of {owner}")


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify(text: str, *, max_length: int = 80) -> str:
    """Return the stable slug id of ``text``.

    Unicode NFKD, combining marks dropped, lower case, every run of characters other than
    ``a-z0-9`` turned into one ``-``, stripped of leading/trailing ``-`` and cut to
    ``max_length`` characters. The same text always gives the same id, so re-ingesting the
    same files changes nothing.

    >>> slugify("Confédération Française Démocratique du Travail")
    'confederation-francaise-democratique-du-travail'
    >>> slugify("  FR-NAT-2001/10456 ")
    'fr-nat-2001-10456'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_ish = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub("-", ascii_ish.lower()).strip("-")[:max_length].strip("-")


def family_of(actor_type: str) -> str:
    """Return the family (``authorities``, ``trade_unions``...) of an actor type."""
    try:
        return ACTOR_TYPES[actor_type]
    except KeyError:
        raise ValueError(f"unknown actor type {actor_type!r}; expected one of {sorted(ACTOR_TYPES)}") from None


def _check(value: str, allowed: Iterable[str], what: str, *, optional: bool = False) -> None:
    if optional and value == "":
        return
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}; expected one of {sorted(allowed)}")


class _Record:
    """Shared helpers: a record as a plain dict of its fields (lists for tuples)."""

    key_fields: ClassVar[tuple[str, ...]] = ()

    def as_dict(self) -> dict[str, Any]:
        out = {}
        for f in fields(self):  # type: ignore[arg-type]
            v = getattr(self, f.name)
            out[f.name] = list(v) if isinstance(v, tuple) else v
        return out

    @property
    def key(self) -> tuple[Any, ...]:
        """The identity of the record: writing two records with the same key keeps the last."""
        return tuple(getattr(self, k) for k in self.key_fields)


@dataclass(frozen=True, slots=True)
class Actor(_Record):
    """An organisation: union, employer, NGO, city, research institute, funder..."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    country: str = ""
    city: str = ""
    scope: str = ""
    website: str = ""
    source: str = ""
    section: str = ""

    key_fields: ClassVar[tuple[str, ...]] = ("id",)

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("an actor needs an id")
        _check(self.type, ACTOR_TYPES, "actor type")
        _check(self.scope, SCOPES, "scope", optional=True)
        if not isinstance(self.aliases, tuple):
            object.__setattr__(self, "aliases", tuple(self.aliases))

    @property
    def family(self) -> str:
        """The family derived from the type."""
        return ACTOR_TYPES[self.type]

    def as_dict(self) -> dict[str, Any]:
        out = _Record.as_dict(self)
        out["family"] = self.family
        return out


@dataclass(frozen=True, slots=True)
class Partnership(_Record):
    """A partnership, network, project, pact or agreement that actors are members of."""

    id: str
    name: str
    kind: str
    code: str = ""
    theme: str = ""
    level: str = ""
    start_year: int | None = None
    end_year: int | None = None
    parent_id: str = ""
    source: str = ""
    section: str = ""
    #: active, proposed, ended or unknown (see `STATUSES`).
    status: str = "unknown"
    #: True when the member list is declared complete, False when known to be partial, None when not said.
    members_complete: bool | None = None

    key_fields: ClassVar[tuple[str, ...]] = ("id",)

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("a partnership needs an id")
        _check(self.kind, PARTNERSHIP_KINDS, "partnership kind")
        _check(self.level, LEVELS, "level", optional=True)
        _check(self.status, STATUSES, "partnership status")
        if self.members_complete is not None and not isinstance(self.members_complete, bool):
            raise ValueError(f"members_complete must be True, False or None, not {self.members_complete!r}")


@dataclass(frozen=True, slots=True)
class Membership(_Record):
    """``(Actor)-[:MEMBER_OF {role}]->(Partnership)``."""

    actor_id: str
    partnership_id: str
    role: str = "partner"
    source: str = ""
    section: str = ""

    key_fields: ClassVar[tuple[str, ...]] = ("actor_id", "partnership_id")

    def __post_init__(self) -> None:
        _check(self.role, ROLES, "membership role")


@dataclass(frozen=True, slots=True)
class Funding(_Record):
    """``(Actor)-[:FUNDS]->(Partnership|Actor)``: a funder, an instrument (programme), maybe an amount."""

    funder_id: str
    recipient_id: str
    programme: str = ""
    amount: float | None = None
    currency: str = ""
    start_year: int | None = None
    end_year: int | None = None
    source: str = ""
    section: str = ""

    key_fields: ClassVar[tuple[str, ...]] = ("funder_id", "recipient_id", "programme")


@dataclass(frozen=True, slots=True)
class Link(_Record):
    """``(Actor)-[:LINKED_TO {kind, year}]->(Actor)``: an explicit bilateral tie."""

    source_id: str
    target_id: str
    kind: str = "cooperation"
    year: int | None = None
    source: str = ""
    section: str = ""

    key_fields: ClassVar[tuple[str, ...]] = ("source_id", "target_id", "kind")

    def __post_init__(self) -> None:
        _check(self.kind, LINK_KINDS, "link kind")


@dataclass(slots=True)
class Dataset:
    """A batch of records: what one store write takes, and what a store reads back."""

    actors: list[Actor] = field(default_factory=list)
    partnerships: list[Partnership] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    funding: list[Funding] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

    TABLES: ClassVar[tuple[str, ...]] = ("actors", "partnerships", "memberships", "funding", "links")

    def __len__(self) -> int:
        return sum(len(getattr(self, t)) for t in self.TABLES)

    def counts(self) -> dict[str, int]:
        """Records per table."""
        return {t: len(getattr(self, t)) for t in self.TABLES}

    def deduplicated(self) -> Dataset:
        """The same records with repeated keys collapsed (the last one wins), order kept."""
        out = Dataset()
        for t in self.TABLES:
            recs = getattr(self, t)
            # one C-level getter per table instead of the generic `key` (seconds at 500,000 records);
            # a single field gives a scalar, not a tuple: consistent within the table, which is all it needs
            keys = list(map(attrgetter(*type(recs[0]).key_fields), recs)) if recs else []
            if len(set(keys)) == len(keys):
                setattr(out, t, list(recs))
                continue
            by_key: dict[Any, Any] = {}
            for k, rec in zip(keys, recs, strict=True):
                by_key.pop(k, None)
                by_key[k] = rec
            setattr(out, t, list(by_key.values()))
        return out

    def sorted(self) -> Dataset:
        """The same records in key order: a canonical form to compare two datasets."""
        out = Dataset()
        for t in self.TABLES:
            setattr(out, t, sorted(getattr(self, t), key=lambda r: tuple(str(k) for k in r.key)))
        return out
