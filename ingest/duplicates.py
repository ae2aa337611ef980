"""Likely duplicate actors: name keys and the sorted-neighbourhood comparison (warnings, never merged)."""

from __future__ import annotations

import re

import numpy as np

from ingest.normalise import ParsedTable
from ingest.report import Report
from ingest.text import fold

__all__ = ["LEGAL_FORMS", "likely_duplicates", "name_key", "report_likely_duplicates"]

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
            # the keys' tokens are sorted already, so plain ``ratio`` is ``token_sort_ratio`` (2.7x faster)
            scores = process.cpdist(seq[:-k], seq[k:], scorer=fuzz.ratio, score_cutoff=ratio, workers=-1)
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


def report_likely_duplicates(t: ParsedTable, report: Report) -> None:
    """Warn about each pair of `likely_duplicates` among the actors (not those already sharing an id)."""
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
