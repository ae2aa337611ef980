"""Closed vocabularies of the import format and their synonyms: `VOCABULARIES`, `vocab_value`.

A vocabulary cell holds the canonical value or a synonym from ``synonyms.csv`` (English and
French), compared by `ingest.text.fold` (case, accents and punctuation ignored).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from graph.model import ACTOR_TYPES, LEVELS, LINK_KINDS, PARTNERSHIP_KINDS, ROLES, SCOPES, STATUSES
from ingest.text import fold

__all__ = ["VOCABULARIES", "vocab_value"]

#: vocabulary name -> accepted canonical values.
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "type": tuple(ACTOR_TYPES),
    "kind": PARTNERSHIP_KINDS,
    "role": ROLES,
    "scope": SCOPES,
    "level": LEVELS,
    "link_kind": LINK_KINDS,
    "status": STATUSES,
}
_SYNONYMS_FILE = Path(__file__).with_name("synonyms.csv")


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = {name: {} for name in VOCABULARIES}
    for name, values in VOCABULARIES.items():
        for v in values:
            table[name][fold(v)] = v
    with _SYNONYMS_FILE.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            vocab, value = row["vocabulary"], row["value"]
            if vocab not in table or value not in VOCABULARIES[vocab]:
                raise RuntimeError(f"{_SYNONYMS_FILE}: bad row {row}")  # a packaging bug, caught by the tests
            key = fold(row["synonym"])
            if table[vocab].get(key, value) != value:  # one spelling, two values: a packaging bug too
                raise RuntimeError(f"{_SYNONYMS_FILE}: {row['synonym']!r} maps to {table[vocab][key]!r} and {value!r}")
            table[vocab][key] = value
    return table


def vocab_value(vocabulary: str, text: str) -> str | None:
    """The canonical value of ``text`` in ``vocabulary`` (``type``, ``kind``, ``role``...), or ``None``.

    Matches the canonical values and the synonyms of ``synonyms.csv`` by `fold`; a trailing
    plural ``s`` is also tried.

    >>> vocab_value("type", "Syndicat"), vocab_value("role", "Chef de file"), vocab_value("type", "ONGs")
    ('trade_union', 'lead', 'ngo')
    """
    table = _synonyms()[vocabulary]
    k = fold(text)
    if k in table:
        return table[k]
    if k.endswith("s") and k[:-1] in table:
        return table[k[:-1]]
    return None
