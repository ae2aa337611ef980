"""Cell-level normalisation: raw cells (CSV text or Excel values) -> typed, clean values.

Each converter takes the raw cell and a ``warn(code, message, hint)`` callback and returns
the clean value, or raises `CellError` naming what is wrong and what to do. The rules:

- text: trimmed (also no-break and zero-width spaces), inner no-break spaces become spaces,
  Unicode NFC; line breaks and tabs inside a cell become one space and other control
  characters are removed, with a warning; a leading ``'`` before ``= + - @`` (the spreadsheet
  formula escape) is removed;
- vocabularies: the canonical value or a synonym from ``synonyms.csv`` (English and French),
  compared by `fold` (case, accents and punctuation ignored);
- countries: any common form -> ISO alpha-2 (`ingest.countries`);
- years: whole numbers 1900-2100 (an Excel date gives its year, with a warning);
- amounts: `parse_amount` (the rule is `ingest.format.AMOUNT_RULE`).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
import sys
import unicodedata
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pycountry

from graph.model import ACTOR_TYPES, LEVELS, LINK_KINDS, PARTNERSHIP_KINDS, ROLES, SCOPES, STATUSES
from ingest.countries import country_code
from ingest.errors import FileProblem
from ingest.format import Column, Table, header_key
from ingest.readers import RawTable
from ingest.report import Report

__all__ = [
    "MAX_ID_LENGTH",
    "MAX_TEXT_LENGTH",
    "VOCABULARIES",
    "PROGRESS_THRESHOLD",
    "CellError",
    "ParsedTable",
    "clean_text",
    "converter",
    "fold",
    "format_amount",
    "map_header",
    "normalise_table",
    "parse_amount",
    "parse_flag",
    "parse_year",
    "vocab_value",
    "currency_code",
]

MAX_ID_LENGTH = 200
MAX_TEXT_LENGTH = 5000
YEAR_MIN, YEAR_MAX = 1900, 2100

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
_VOCAB_OF_VALUES = {values: name for name, values in VOCABULARIES.items()}
_SYNONYMS_FILE = Path(__file__).with_name("synonyms.csv")

Warn = Callable[[str, str, str], None]


class CellError(ValueError):
    """A cell value that cannot be used: ``code``, ``message`` and ``hint`` (what to do)."""

    def __init__(self, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


# -- text ----------------------------------------------------------------------------
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_BREAKS = re.compile(r" *[\t\n\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029]+ *")
_INNER_NBSP = re.compile(r"[\u00a0\u2007\u202f]")
_EDGE_INVISIBLE = "\ufeff\u200b\u2060\u180e"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NON_WORD = re.compile(r"[\W_]+")


def _excel_to_text(raw: Any, warn: Warn) -> str:
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float):
        if math.isfinite(raw) and raw == int(raw) and abs(raw) < 1e15:
            return str(int(raw))
        return repr(raw)
    if isinstance(raw, dt.datetime):
        warn("date-in-text", "a date in a text column was written as text", "type the text itself if that is wrong")
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    if isinstance(raw, dt.date | dt.time):
        warn("date-in-text", "a date in a text column was written as text", "type the text itself if that is wrong")
        return raw.isoformat()
    return str(raw)


def clean_text(raw: Any, warn: Warn) -> str:
    """Trimmed, NFC-normalised text with control characters removed (see the module docstring)."""
    if raw is None:
        return ""
    if type(raw) is not str:
        raw = _excel_to_text(raw, warn)
    s = raw.strip()
    if not s:
        return ""
    if not s.isprintable():  # rare: control characters, line breaks, no-break or zero-width spaces
        if not s.isascii():
            s = _INNER_NBSP.sub(" ", s.strip(_EDGE_INVISIBLE).strip())
        if _CONTROL.search(s):
            s = _BREAKS.sub(" ", s)
            if _CONTROL.search(s):
                s = _CONTROL.sub("", s)
                warn("control-characters", "control characters (such as NUL) were removed",
                     "check the value; remove the invisible characters in the source file")
            else:
                warn("line-break-in-cell", "line breaks or tabs inside the cell were replaced by spaces",
                     "keep each value on one line")
            s = s.strip()
        if not s:
            return ""
    if not s.isascii() and not unicodedata.is_normalized("NFC", s):
        s = unicodedata.normalize("NFC", s)
    if s[0] == "'" and len(s) > 1 and s.lstrip("'")[:1] in _FORMULA_START:
        s = s[1:]
    return s


def fold(text: str) -> str:
    """A comparison key: accents dropped, case folded, punctuation as single spaces.

    >>> fold("Trade-Union"), fold("Chef de file"), fold("ONG")
    ('trade union', 'chef de file', 'ong')
    """
    if text.isascii():
        bare = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(_NON_WORD.sub(" ", bare).split())


# -- vocabularies --------------------------------------------------------------------
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
            table[vocab].setdefault(fold(row["synonym"]), value)
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


# -- numbers -------------------------------------------------------------------------
_YEAR = re.compile(r"\d{4}(\.0+)?")


def parse_year(raw: Any, warn: Warn) -> int | None:
    """A year from 1900 to 2100 (``None`` for an empty cell).

    ``"2005"``, ``2005`` and ``2005.0`` are accepted; an Excel date gives its year (with a
    warning); anything else (``"20O5"``, ``3000``, ``"2005-06"``) raises `CellError`.
    """
    if raw is None:
        return None
    if isinstance(raw, dt.datetime | dt.date):
        warn("date-as-year", f"a date was given; its year {raw.year} is used", "type just the year, e.g. 2005")
        year = raw.year
    elif isinstance(raw, bool):
        raise CellError("bad-year", "not a year", "write the year as four digits, e.g. 2005")
    elif isinstance(raw, int | float):
        if not (isinstance(raw, int) or (math.isfinite(raw) and raw == int(raw))):
            raise CellError("bad-year", "not a whole year", "write the year as four digits, e.g. 2005")
        year = int(raw)
    else:
        s = clean_text(raw, warn)
        if not s:
            return None
        if not _YEAR.fullmatch(s):
            hint = "write the year as four digits, e.g. 2005"
            if re.fullmatch(r"[\dOoIl]{4}", s):
                hint += " (the letter O or I/l was typed instead of a digit)"
            raise CellError("bad-year", "not a year", hint)
        year = int(s.split(".")[0])
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise CellError("year-out-of-range", f"year {year} is outside {YEAR_MIN}-{YEAR_MAX}",
                        "check the year (four digits, e.g. 2005)")
    return year


_GROUPS = re.compile(r"\d{1,3}(?:[ \u00a0\u202f\u2009'’]\d{3})+")
_SCIENTIFIC = re.compile(r"\d+(?:\.\d+)?[eE][+-]?\d+")
_AMOUNT_HINT = "write a number such as 1234.56 or 1234,56 (see the amount rule in the README)"


def parse_amount(raw: Any, *, decimal: str | None = None) -> float | None:
    """Read an amount by the rule of `ingest.format.AMOUNT_RULE`; ``None`` for an empty cell.

    ``decimal`` settles the ambiguous case ``1,234``/``1.234``: ``","`` or ``"."`` names the
    decimal separator, ``"either"`` says a lone separator is always a decimal one (for
    sources known to write no thousands separators, such as CORDIS); by default
    (``None``) that case is refused. Raises `CellError` for text, negative numbers and ambiguous values.

    >>> parse_amount("1.234,56"), parse_amount("1,234.56"), parse_amount("1 234,56"), parse_amount("1234")
    (1234.56, 1234.56, 1234.56, 1234.0)
    """
    if raw is None:
        return None
    if isinstance(raw, bool | dt.date | dt.time):
        raise CellError("bad-amount", "not an amount", _AMOUNT_HINT)
    if isinstance(raw, int | float):
        value = float(raw) + 0.0  # -0.0 -> 0.0
        if not math.isfinite(value):
            raise CellError("bad-amount", "not a finite number", _AMOUNT_HINT)
        if value < 0:
            raise CellError("negative-amount", "a negative amount", "amounts are at least 0; check the sign")
        return value
    s = str(raw).strip().strip(_EDGE_INVISIBLE).strip()
    if not s:
        return None
    if s[0] in "-−(" or s[-1] == "-":
        rest = s.lstrip("-−( ").rstrip(") -")
        try:
            parse_amount(rest, decimal=decimal)
        except CellError:
            raise CellError("bad-amount", "not an amount", _AMOUNT_HINT) from None
        raise CellError("negative-amount", "a negative amount", "amounts are at least 0; check the sign")
    if _SCIENTIFIC.fullmatch(s):
        return _finite(float(s))
    # thousands grouped by spaces or apostrophes: drop them, keep any decimal part
    head, sep, tail = _split_decimal_tail(s)
    if _GROUPS.fullmatch(head):
        head = re.sub(r"[ \u00a0\u202f\u2009'’]", "", head)
        s = head + sep + tail
        if sep:
            if not tail.isdigit():
                raise CellError("bad-amount", "not an amount", _AMOUNT_HINT)
            return _finite(float(f"{head}.{tail}"))
        return _finite(float(head))
    if s.isdigit():
        return _finite(float(s))
    if not re.fullmatch(r"[\d.,]+", s) or not s[0].isdigit() or not s[-1].isdigit():
        raise CellError("bad-amount", "not an amount", _AMOUNT_HINT)
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        dec = "." if s.rfind(".") > s.rfind(",") else ","
        thou = "," if dec == "." else "."
        if s.count(dec) != 1:
            raise CellError("bad-amount", "not an amount (more than one decimal separator)", _AMOUNT_HINT)
        int_part, frac = s.split(dec)
        if not re.fullmatch(rf"\d{{1,3}}(?:{re.escape(thou)}\d{{3}})+", int_part):
            raise CellError("bad-amount", f"not an amount (`{thou}` must group thousands by three digits)",
                            _AMOUNT_HINT)
        return _finite(float(int_part.replace(thou, "") + "." + frac))
    sepchar = "." if dots else ","
    if s.count(sepchar) > 1:
        if re.fullmatch(rf"\d{{1,3}}(?:{re.escape(sepchar)}\d{{3}})+", s):
            return _finite(float(s.replace(sepchar, "")))
        raise CellError("bad-amount", "not an amount", _AMOUNT_HINT)
    int_part, frac = s.split(sepchar)
    if len(frac) != 3 or len(int_part) > 3 or int_part.startswith("0"):
        return _finite(float(f"{int_part}.{frac}"))
    if decimal == "either":
        return _finite(float(f"{int_part}.{frac}"))
    if decimal in (".", ","):
        if decimal == sepchar:
            return _finite(float(f"{int_part}.{frac}"))
        return _finite(float(int_part + frac))
    raise CellError(
        "ambiguous-amount",
        f"ambiguous amount: {s} could mean {int_part}{frac} or {int_part}.{frac}",
        f"write {int_part}{frac} if you mean {int_part}{frac}, or {s}0 if you mean {int_part}.{frac} "
        "(see the amount rule in the README)",
    )


def _split_decimal_tail(s: str) -> tuple[str, str, str]:
    """``"1 234,56"`` -> ``("1 234", ",", "56")`` when the last separator is a decimal one."""
    for i in range(len(s) - 1, -1, -1):
        if s[i] in ".,":
            return s[:i], s[i], s[i + 1:]
        if not s[i].isdigit():
            break
    return s, "", ""


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise CellError("bad-amount", "not a finite number", _AMOUNT_HINT)
    return value


def format_amount(value: float) -> str:
    """Write an amount so that `parse_amount` reads back exactly the same float.

    ``repr`` of the float, with a ``0`` appended where it would otherwise look ambiguous
    (``123.456`` -> ``123.4560``).
    """
    s = repr(float(value) + 0.0)  # never "-0"
    if s.endswith(".0") and "e" not in s:
        s = s[:-2]
    elif re.fullmatch(r"[1-9]\d{0,2}\.\d{3}", s):
        s += "0"
    return s


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


_FLAGS = {"yes": True, "y": True, "oui": True, "o": True, "true": True, "vrai": True, "1": True, "x": True,
          "no": False, "n": False, "non": False, "false": False, "faux": False, "0": False}


def parse_flag(raw: Any, warn: Warn) -> bool | None:
    """``yes``/``no`` (and ``oui``/``non``, ``true``/``false``, ``1``/``0``) -> True/False; empty -> None.

    >>> parse_flag("Oui", print), parse_flag("no", print), parse_flag("", print)
    (True, False, None)
    """
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return bool(raw)
    s = clean_text(raw, warn)
    if not s:
        return None
    value = _FLAGS.get(fold(s))
    if value is None:
        raise CellError("unknown-value", "expected yes or no", "write yes or no (oui/non), or leave the cell empty")
    return value


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


# -- tables --------------------------------------------------------------------------
@dataclass
class ParsedTable:
    """One table after cell normalisation, held column-wise (lean for large files).

    ``values`` maps each column present in the header to its list of clean values;
    ``rows[i]`` is the spreadsheet row of record ``i`` (0 for a record made by an importer);
    ``files``, when set, gives each record's file (importers reading several files);
    ``bad`` holds the indexes of records with an error (they are not turned into graph
    records); ``derived`` those whose id was derived rather than given.
    """

    name: str
    file: str
    values: dict[str, list[Any]] = field(default_factory=dict)
    rows: array = field(default_factory=lambda: array("l"))
    files: list[str] | None = None
    bad: set[int] = field(default_factory=set)
    derived: set[int] = field(default_factory=set)
    header_row: int = 1

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str, default: Any = "") -> list[Any]:
        """The values of column ``name`` (a list of ``default`` when the column is absent)."""
        col = self.values.get(name)
        if col is None:
            col = [default] * len(self.rows)
            self.values[name] = col
        return col

    def where(self, i: int, column: str = "", value: Any = "") -> dict[str, Any]:
        """Report location of record ``i`` (file, table, row, column, value)."""
        row = self.rows[i]
        return {"file": self.files[i] if self.files is not None else self.file, "table": self.name,
                "row": row if row > 0 else None, "column": column, "value": "" if value is None else value}


class _Cell:
    """The cell being converted: lets converters' warnings name their row and column."""

    __slots__ = ("column", "file", "raw", "report", "row", "table")

    def __init__(self, report: Report, file: str, table: str) -> None:
        self.report, self.file, self.table = report, file, table
        self.row = 0
        self.column = ""
        self.raw: Any = None

    def warn(self, code: str, message: str, hint: str = "") -> None:
        self.report.warning(code, message, hint, file=self.file, table=self.table, row=self.row,
                            column=self.column, value=_raw_text(self.raw))


def _raw_text(raw: Any) -> str:
    return "" if raw is None else str(raw)


def _is_blank(cells: Sequence[Any]) -> bool:
    for c in cells:
        if c is None:
            continue
        if type(c) is str:
            if c.strip():
                return False
        else:
            return False
    return True


def map_header(raw: RawTable, spec: Table, report: Report) -> dict[str, int] | None:
    """Match header cells to the table's columns: ``{column: position}``.

    Reports duplicated headers and missing required columns (errors) and unknown columns
    (warnings). Returns ``None`` when a header is duplicated (the rows cannot be read
    reliably).
    """
    where = {"file": raw.file, "table": spec.name, "row": raw.header_row}
    positions: dict[str, int] = {}
    seen: dict[str, int] = {}
    duplicated = False
    known = set(spec.column_names)
    for pos, cell in enumerate(raw.header):
        key = header_key(cell)
        if not key:
            continue
        if key in seen:
            duplicated = True
            report.error("duplicate-header", f"the column header appears twice (columns {seen[key] + 1} and "
                         f"{pos + 1})", "keep one column with this header and delete or rename the other",
                         column=key, value=cell, **where)
            continue
        seen[key] = pos
        if key in known:
            positions[key] = pos
        else:
            report.warning("unknown-column", "unknown column; it is ignored",
                           f"the {spec.name} columns are: {', '.join(spec.column_names)}", column=key, value=cell,
                           **where)
    for col in spec.required_columns:
        if col not in positions:
            report.error("missing-column", f"required column {col!r} is missing",
                         f"add a column headed {col!r} (see data/template/{spec.name}.csv)", column=col, **where)
    return None if duplicated else positions


#: Columns whose values repeat a lot: one string object per distinct value (memory of large imports).
_SHARED_TYPES = frozenset({"id", "reference", "currency", "country"})
_SHARED_NAMES = frozenset({"source", "section", "programme", "city"})


def normalise_table(raw: RawTable, spec: Table, report: Report, *, progress: bool = False,
                    shared: dict[str, str] | None = None) -> ParsedTable:
    """Read every row of ``raw`` into a `ParsedTable`, cleaning each cell by its column type.

    Problems go to ``report``: cell errors (the record is marked bad), cell warnings, empty
    required cells, values in columns without a header, and a table with no record (an
    error for a required table, a warning otherwise). Blank rows are skipped. Values of id,
    reference and provenance columns are interned in ``shared`` (pass one dict for all the
    tables of an import) so that a million rows naming the same ids hold each id once.
    """
    if shared is None:
        shared = {}
    for code, message, hint in raw.notes:
        report.warning(code, message, hint, file=raw.file, table=spec.name)
    out = ParsedTable(name=spec.name, file=raw.file, header_row=raw.header_row)
    positions = map_header(raw, spec, report)
    if positions is None:
        raw.close()
        return out
    plan = []
    for col in spec.columns:
        if col.name in positions:
            # an id column left empty is derived later; other required columns must be filled
            must_fill = col.required and col.type != "id"
            share = col.type in _SHARED_TYPES or col.name in _SHARED_NAMES
            plan.append((col.name, positions[col.name], converter(col), must_fill, col.default,
                         out.values.setdefault(col.name, []), share))
    width = len(raw.header)
    cell = _Cell(report, raw.file, spec.name)
    orphan_reported = False
    rows = raw.rows
    bar = None
    if progress and (raw.total is None or raw.total > PROGRESS_THRESHOLD):
        from tqdm import tqdm

        bar = tqdm(total=raw.total, desc=f"{spec.name}", unit=" rows", file=sys.stderr, mininterval=0.5,
                   leave=False, dynamic_ncols=True)
    out_rows = out.rows
    bad = out.bad
    try:
        for rownum, cells in rows:
            if bar is not None:
                bar.update(1)
            if _is_blank(cells):
                continue
            i = len(out_rows)
            out_rows.append(rownum)
            n = len(cells)
            cell.row = rownum
            for name, pos, conv, must_fill, default, values, share in plan:
                v = cells[pos] if pos < n else None
                if v is None or v == "":
                    value = default if default else conv(None, cell.warn)
                    failed = False
                else:
                    cell.column, cell.raw = name, v
                    try:
                        value = conv(v, cell.warn)
                        failed = False
                    except CellError as e:
                        report.error(e.code, e.message, e.hint, file=raw.file, table=spec.name, row=rownum,
                                     column=name, value=_raw_text(v))
                        bad.add(i)
                        value = default if default else conv(None, cell.warn)
                        failed = True
                if must_fill and not failed and (value == "" or value is None):
                    report.error("required", f"{name} is required", f"fill in {name}", file=raw.file,
                                 table=spec.name, row=rownum, column=name)
                    bad.add(i)
                if share and value:
                    value = shared.setdefault(value, value)
                values.append(value)
            if n > width and not orphan_reported and not _is_blank(cells[width:]):
                orphan_reported = True
                report.warning("cell-without-header", "values in a column without header are ignored "
                               "(first on this row)", "add the header, or delete the values", file=raw.file,
                               table=spec.name, row=rownum, column=f"column {width + 1}")
    except FileProblem as e:
        report.error(e.code, e.message, e.hint, file=raw.file, table=spec.name, row=e.row)
    finally:
        if bar is not None:
            bar.close()
        raw.close()
    missing_required = any(c not in positions for c in spec.required_columns)
    if not out_rows and not missing_required:
        # Only actors must hold records: an actors-and-links network (no partnerships yet) is legal.
        if spec.name == "actors":
            report.error("no-records", "the table has a header but no records",
                         f"add the {spec.name}, one per row under the header", file=raw.file, table=spec.name,
                         row=raw.header_row)
        else:
            report.warning("no-records", "the table has a header but no records",
                           "add records or delete the table", file=raw.file, table=spec.name, row=raw.header_row)
    if missing_required:
        out.bad.update(range(len(out_rows)))
    return out


#: Tables longer than this get a progress bar (when asked for).
PROGRESS_THRESHOLD = 5000
