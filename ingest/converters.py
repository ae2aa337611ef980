"""Cell converters: the function that turns a raw cell of a column into its clean value (`converter`).

One per column type of `ingest.format` (ids and text with a length limit, years, amounts,
lists, vocabularies, countries (any common form -> ISO alpha-2, `ingest.countries`),
currencies (`currency_code`) and websites), built on `ingest.text`, `ingest.numbers` and
`ingest.vocabularies`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import pycountry

from ingest.countries import country_code
from ingest.format import Column
from ingest.numbers import parse_amount, parse_flag, parse_year
from ingest.text import CellError, Warn, clean_text
from ingest.vocabularies import VOCABULARIES, vocab_value

__all__ = ["MAX_ID_LENGTH", "MAX_TEXT_LENGTH", "converter", "currency_code"]

MAX_ID_LENGTH = 200
MAX_TEXT_LENGTH = 5000
_VOCAB_OF_VALUES = {values: name for name, values in VOCABULARIES.items()}


# -- codes ---------------------------------------------------------------------------
_CURRENCY_SIGNS = {"€": "EUR", "euro": "EUR", "euros": "EUR", "£": "GBP", "chf": "CHF"}


@lru_cache(maxsize=256)
def currency_code(text: str) -> str | None:
    """The ISO 4217 code of ``text`` (``EUR``, ``eur``, ``€``...), or ``None``."""
    t = text.strip()
    if t.casefold() in _CURRENCY_SIGNS:
        return _CURRENCY_SIGNS[t.casefold()]
    if len(t) == 3 and t.isalpha():
        c = pycountry.currencies.get(alpha_3=t.upper())
        return c.alpha_3 if c else None
    return None


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+\-]*):")


# -- converters ------------------------------------------------------------------------
def converter(column: Column) -> Callable[[Any, Warn], Any]:
    """The function that turns a raw cell of ``column`` into its clean value.

    The returned function takes ``(raw, warn)`` and returns ``""``/``None``/``()`` for an
    empty cell (the column's default for vocabularies), or raises `CellError`.
    """
    t = column.type
    limit = MAX_ID_LENGTH if t in ("id", "reference") else MAX_TEXT_LENGTH

    def text(raw: Any, warn: Warn) -> str:
        s = clean_text(raw, warn)
        if len(s) > limit:
            raise CellError("too-long", f"{len(s):,} characters; the limit is {limit:,}",
                            "shorten the value (is a whole paragraph pasted into the cell?)")
        return s

    if t in ("id", "reference", "text"):
        return text
    if t == "year":
        return parse_year
    if t == "amount":
        def amount(raw: Any, warn: Warn) -> float | None:
            return parse_amount(raw if not isinstance(raw, str) else clean_text(raw, warn))
        return amount
    if t == "list":
        def listing(raw: Any, warn: Warn) -> tuple[str, ...]:
            s = clean_text(raw, warn)
            out: list[str] = []
            for part in s.split(";"):
                part = part.strip()
                if len(part) > limit:
                    raise CellError("too-long", f"an item has {len(part):,} characters; the limit is {limit:,}",
                                    "shorten it")
                if part and part not in out:
                    out.append(part)
            return tuple(out)
        return listing
    if t == "vocab":
        vocab = _VOCAB_OF_VALUES[column.vocabulary]
        accepted = ", ".join(column.vocabulary)
        cache: dict[Any, str] = {}

        def vocabulary(raw: Any, warn: Warn) -> str:
            hit = cache.get(raw) if isinstance(raw, str) else None
            if hit is not None:
                return hit
            s = clean_text(raw, warn)
            if not s:
                return column.default
            value = vocab_value(vocab, s)
            if value is None:
                raise CellError("unknown-value", f"unknown {column.name}", f"use one of: {accepted}")
            if isinstance(raw, str) and len(cache) < 10_000:
                cache[raw] = value
            return value
        return vocabulary
    if t == "country":
        def country(raw: Any, warn: Warn) -> str:
            s = clean_text(raw, warn)
            if not s:
                return ""
            code = country_code(s)
            if code is None:
                raise CellError("unknown-country", "unknown country",
                                "write the country's name (English, French or local) or its ISO code, e.g. FR; "
                                "leave it empty for a European or international body and set scope")
            return code
        return country
    if t == "currency":
        def currency(raw: Any, warn: Warn) -> str:
            s = clean_text(raw, warn)
            if not s:
                return ""
            code = currency_code(s)
            if code is None:
                raise CellError("unknown-currency", "unknown currency", "write an ISO 4217 code such as EUR")
            return code
        return currency
    if t == "flag":
        return parse_flag
    if t == "website":
        def website(raw: Any, warn: Warn) -> str:
            s = text(raw, warn)
            if not s:
                return ""
            m = _SCHEME.match(s)
            if m and m.group(1).lower() not in ("http", "https") and not s[m.end():].isdigit():
                raise CellError("bad-website", f"a web address cannot start with {m.group(1)}:",
                                "write an http:// or https:// address, or just the domain")
            if any(c.isspace() for c in s):
                raise CellError("bad-website", "a web address has no spaces", "write one address, e.g. https://example.org")
            return s
        return website
    raise AssertionError(f"no converter for column type {t!r}")  # the format definition is closed
