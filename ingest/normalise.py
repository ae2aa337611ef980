"""Cell-level normalisation: raw cells (CSV text or Excel values) -> typed, clean values.

Each converter takes the raw cell and a ``warn(code, message, hint)`` callback and returns
the clean value, or raises `CellError` naming what is wrong and what to do. The rules:

- text: trimmed (also no-break and zero-width spaces), inner no-break spaces become spaces,
  Unicode NFC; line breaks and tabs inside a cell become one space and other control
  characters are removed, with a warning; a leading ``'`` before ``= + - @`` (the spreadsheet
  formula escape) is removed; `ingest.text`;
- vocabularies: the canonical value or a synonym from ``synonyms.csv`` (English and French),
  compared by `fold` (case, accents and punctuation ignored); `ingest.vocabularies`;
- countries: any common form -> ISO alpha-2 (`ingest.countries`);
- years: whole numbers 1900-2100 (an Excel date gives its year, with a warning); `ingest.numbers`;
- amounts: `parse_amount` (the rule is `ingest.format.AMOUNT_RULE`); `ingest.numbers`.

The converter of each column type is in `ingest.converters`. This module reads whole tables
(`normalise_table` -> `ParsedTable`) and re-exports the cell-level names from their modules.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ingest.converters import MAX_ID_LENGTH, MAX_TEXT_LENGTH, converter, currency_code
from ingest.errors import FileProblem
from ingest.format import Table, header_key
from ingest.numbers import format_amount, parse_amount, parse_flag, parse_year
from ingest.progress import PROGRESS_THRESHOLD, RowProgress
from ingest.readers import RawTable
from ingest.report import Report
from ingest.text import CellError, clean_text, fold
from ingest.vocabularies import VOCABULARIES, vocab_value

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
#: Distinct raw values remembered per shared column (their clean value, when cleaning said nothing).
_MEMO_LIMIT = 1_000_000


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
                         out.values.setdefault(col.name, []), share, {} if share else None))
    width = len(raw.header)
    cell = _Cell(report, raw.file, spec.name)
    orphan_reported = False
    rows = raw.rows
    bar = RowProgress(progress, raw.total, spec.name)
    out_rows = out.rows
    bad = out.bad
    try:
        for rownum, cells in rows:
            bar.update()
            if _is_blank(cells):
                continue
            i = len(out_rows)
            out_rows.append(rownum)
            n = len(cells)
            cell.row = rownum
            for name, pos, conv, must_fill, default, values, share, memo in plan:
                v = cells[pos] if pos < n else None
                if memo is not None and (hit := memo.get(v)) is not None:
                    values.append(hit)  # a repeated id or provenance text: converted before, silently
                    continue
                if v is None or v == "":
                    value = default if default else conv(None, cell.warn)
                    failed = False
                else:
                    cell.column, cell.raw = name, v
                    seen = len(report.problems)
                    try:
                        value = conv(v, cell.warn)
                        failed = False
                        if memo is not None and value and type(v) is str and len(report.problems) == seen \
                                and len(memo) < _MEMO_LIMIT:
                            memo[v] = shared.setdefault(value, value)
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

