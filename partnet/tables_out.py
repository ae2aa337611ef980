"""Tables for people and machines: the command line's table, CSV, JSON and Markdown renderings of frames.

Terminal tables fit the width (``COLUMNS``, else 100): long text is wrapped at word boundaries, then
low-priority columns (rightmost first) are left out and named, but ids are never cut. Every column
has one number format: integers with thousands separators, amounts with two decimals, shares as
percentages, other decimals with three places. Text from the data is cleaned of control characters
before it reaches a terminal; CSV cells that would run as spreadsheet formulas are neutralised
(`analysis.export.neutralise`).
"""

from __future__ import annotations

import json
import math
import os
import re
import textwrap
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["FORMATS", "clean", "wrap_line", "column_formatter", "records", "render_markdown", "render_table",
           "terminal_width", "write_csv_tables"]

#: The output formats of the question commands.
FORMATS: tuple[str, ...] = ("table", "csv", "json", "markdown")

#: Characters never echoed to a terminal: C0/C1 controls (escape sequences) and bidi overrides.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")
_ID_NAMES = {"id", "actor_a", "actor_b", "context", "funder", "recipient", "rule_id", "period", "from", "to"}
_MIN_WRAP = 14


def clean(value: object) -> object:
    """``value`` with control characters, bidi overrides and line breaks made harmless (strings only)."""
    if isinstance(value, str):
        return _UNPRINTABLE.sub("\ufffd", value.replace("\n", " ").replace("\r", " ").replace("\t", " "))
    return value


def terminal_width() -> int:
    """``COLUMNS`` when it is a positive number, else 100."""
    try:
        w = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        return 100
    return w if w > 20 else 100


def wrap_line(line: str, indent: int) -> str:
    """``line`` wrapped at the terminal width, continuation lines indented by ``indent`` spaces (words kept whole)."""
    import textwrap

    width = terminal_width()
    if len(line) <= width:
        return line
    return "\n".join(textwrap.wrap(line, width, subsequent_indent=" " * indent, break_long_words=False,
                                    break_on_hyphens=False, drop_whitespace=True))


def _is_id(col: str, ids: Iterable[str]) -> bool:
    return col in set(ids) or col in _ID_NAMES or col.endswith("_id")


def column_formatter(name: str, s: pd.Series) -> Callable[[object], str]:
    """The one format of a column: bools yes/no, ints ``1,234``, amounts ``1,234.50``, shares ``12.5%``,
    other decimals ``0.123`` (``1,234`` when every value is whole), missing ``–``."""
    def missing(v: object) -> bool:
        return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))

    if pd.api.types.is_bool_dtype(s):
        return lambda v: "–" if missing(v) else ("yes" if v else "no")
    if pd.api.types.is_integer_dtype(s):
        return lambda v: "–" if missing(v) else f"{int(v):,}"
    if pd.api.types.is_float_dtype(s):
        if "share" in name or name in ("density", "largest_component", "union_coverage"):
            return lambda v: "–" if missing(v) else f"{float(v):.1%}"
        if "amount" in name:
            return lambda v: "–" if missing(v) else f"{float(v):,.2f}"
        vals = s.dropna()
        if len(vals) and np.all(np.mod(vals.to_numpy(dtype=float), 1) == 0) and vals.abs().max() >= 1:
            return lambda v: "–" if missing(v) else f"{float(v):,.0f}"
        return lambda v: "–" if missing(v) else f"{float(v):,.3f}"
    return lambda v: ", ".join(str(clean(x)) for x in v) if isinstance(v, (list, tuple)) else \
        ("–" if missing(v) else str(clean(v)))


def render_table(df: pd.DataFrame, *, width: int | None = None, ids: Iterable[str] = (),
                 drop_first: Iterable[str] = (), indent: int = 2) -> str:
    """An aligned plain-text table of ``df`` that fits ``width`` columns (default `terminal_width`).

    Text columns are wrapped at spaces (never inside an id); when that is not enough, columns
    that are not ids are left out — ``drop_first`` in its order, then the rightmost, names last —
    and a last line names them.
    """
    if df.empty:
        return " " * indent + "(none)"
    width = width or terminal_width()
    cells = {c: [column_formatter(str(c), df[c])(v) for v in df[c].tolist()] for c in df.columns}
    numeric = {c for c in df.columns if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])}
    cols = [str(c) for c in df.columns]
    hidden: list[str] = []
    while True:
        widths = _fit(cols, cells, numeric, ids, width - indent)
        if widths is not None:
            break
        rest = [c for c in cols[1:] if not _is_id(c, ids) and c not in drop_first]
        names = [c for c in reversed(rest) if c.startswith("name")]
        droppable = [c for c in drop_first if c in cols] + [c for c in reversed(rest) if c not in names] + names
        if not droppable:
            widths = {c: max(len(c), *(len(x) for x in cells[c])) for c in cols}
            break
        hidden.append(droppable[0])
        cols.remove(droppable[0])
    head = "  ".join(c.rjust(widths[c]) if c in numeric else c.ljust(widths[c]) for c in cols)
    lines = [" " * indent + head.rstrip()]
    lines.append(" " * indent + "  ".join("-" * widths[c] for c in cols))
    for i in range(len(df)):
        parts = {c: (textwrap.wrap(cells[c][i], widths[c], break_long_words=False, break_on_hyphens=False) or [""])
                 if c not in numeric else [cells[c][i]] for c in cols}
        for k in range(max(len(p) for p in parts.values())):
            row = [(parts[c][k] if k < len(parts[c]) else "") for c in cols]
            lines.append(" " * indent + "  ".join(x.rjust(widths[c]) if c in numeric else x.ljust(widths[c])
                                                  for x, c in zip(row, cols, strict=True)).rstrip())
    if hidden:
        note = (f"(columns left out to fit {width} characters: {', '.join(hidden)}; "
                "widen COLUMNS or use --format csv/json to see them)")
        lines += textwrap.wrap(note, width, initial_indent=" " * indent, subsequent_indent=" " * (indent + 1),
                               break_long_words=False)
    return "\n".join(lines)


def _fit(cols: list[str], cells: Mapping[str, list[str]], numeric: set, ids: Iterable[str],
         room: int) -> dict[str, int] | None:
    """Column widths that fit ``room`` by narrowing wrappable text columns, or None."""
    full = {c: max(len(c), *(len(x) for x in cells[c])) for c in cols}
    widths = dict(full)
    total = lambda: sum(widths[c] for c in cols) + 2 * (len(cols) - 1)  # noqa: E731
    wrappable = [c for c in cols if c not in numeric and not _is_id(c, ids)]
    # a wrapped text column is no narrower than its longest word (ids inside text stay whole)
    floor = {c: max(_MIN_WRAP, len(c), *(max((len(w) for w in x.split()), default=0) for x in cells[c]))
             for c in wrappable}
    while total() > room:
        over = [c for c in wrappable if widths[c] > floor[c]]
        if not over:
            return None
        widest = max(over, key=lambda c: widths[c])
        widths[widest] = max(floor[widest], widths[widest] - (total() - room))
    return widths


def records(df: pd.DataFrame) -> list[dict]:
    """The rows of ``df`` as JSON-ready dicts (NaN/NA -> None, numpy scalars -> Python)."""
    out = []
    for row in df.to_dict(orient="records"):
        out.append({str(k): _jsonable(v) for k, v in row.items()})
    return out


def _jsonable(v: object) -> object:
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, np.generic):
        v = v.item()
        return None if isinstance(v, float) and math.isnan(v) else v
    if isinstance(v, (list, tuple, set)):
        return [_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    return v


def dumps(obj: object) -> str:
    """``obj`` as indented JSON (NaN written as null)."""
    return json.dumps(_jsonable(obj), indent=2, ensure_ascii=False, default=str)


def render_markdown(df: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table of ``df`` (pipes escaped, numbers formatted per column)."""
    if df.empty:
        return "_(none)_"
    cols = [str(c) for c in df.columns]
    fmt = {c: column_formatter(c, df[c]) for c in cols}
    esc = lambda x: str(x).replace("\\", "\\\\").replace("|", "\\|")  # noqa: E731
    lines = ["| " + " | ".join(esc(c) for c in cols) + " |",
             "| " + " | ".join("---:" if pd.api.types.is_numeric_dtype(df[c]) else "---" for c in cols) + " |"]
    for row in zip(*(df[c].tolist() for c in cols), strict=True):
        lines.append("| " + " | ".join(esc(fmt[c](v)) for c, v in zip(cols, row, strict=True)) + " |")
    return "\n".join(lines)


def csv_text(df: pd.DataFrame) -> str:
    """``df`` as CSV text with spreadsheet formulas neutralised."""
    from analysis.export import neutralise

    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(lambda v: neutralise(", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v))
    return out.to_csv(index=False, lineterminator="\n")


def write_csv_tables(frames: Mapping[str, pd.DataFrame], folder: str | Path) -> list[Path]:
    """One ``<name>.csv`` per frame in ``folder`` (created); return the files written."""
    from graph.errors import PartnetError

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise PartnetError(f"{folder} exists and is not a folder", hint="give a folder path with --out")
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, df in frames.items():
        p = folder / f"{name}.csv"
        p.write_text(csv_text(df), encoding="utf-8")
        paths.append(p)
    return paths
