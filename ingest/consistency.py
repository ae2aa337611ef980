"""Consistency of the relationship rows: self ties, ``parent_id`` cycles, year order, repeated rows.

- a link from an actor to itself, a funder funding itself, a cycle of ``parent_id`` (errors);
- an end year before the start year (error);
- repeated relationship rows (warning: the last row is kept).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ingest.normalise import ParsedTable
from ingest.report import Report

__all__ = ["check_parent_cycles", "check_repeated", "check_self_ties", "check_year_order"]


def check_self_ties(tables: dict[str, ParsedTable], report: Report) -> None:
    """Report links from an actor to itself and funders funding themselves (errors)."""
    for name, a, b, what in (("links", "source_id", "target_id", "a link from an actor to itself"),
                             ("funding", "funder_id", "recipient_id", "a funder funding itself")):
        t = tables.get(name)
        if t is None or a not in t.values or b not in t.values:
            continue
        for i, (x, y) in enumerate(zip(t.values[a], t.values[b], strict=True)):
            if x and x == y:
                report.error("self-link", what, f"{b} must name another record than {a}", **t.where(i, b, y))
                t.bad.add(i)


def check_parent_cycles(t: ParsedTable, report: Report) -> None:
    """Report each cycle of ``parent_id`` once, listing its rows (error on every row of the cycle).

    Method: a walk up the parent chain from each partnership, marking nodes on the current
    path and done nodes (iterative depth-first search), so the cost is linear in the rows.
    """
    if "parent_id" not in t.values:
        return
    ids, parents = t.column("id"), t.values["parent_id"]
    parent_of = {v: p for v, p in zip(ids, parents, strict=True) if v and p}
    row_of = {v: i for i, v in enumerate(ids) if v}
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    for start in parent_of:
        if state.get(start):
            continue
        path: list[str] = []
        node: str | None = start
        while node is not None and node in parent_of and not state.get(node):
            state[node] = 1
            path.append(node)
            node = parent_of[node]
        if node is not None and state.get(node) == 1:
            cycle = path[path.index(node):]
            listing = " -> ".join(f"{c} (row {t.rows[row_of[c]]})" for c in [*cycle, cycle[0]])
            i = row_of[cycle[0]]
            report.error("parent-cycle", f"parent_id forms a cycle: {listing}",
                         "a partnership cannot contain itself: clear parent_id on one of these rows",
                         **t.where(i, "parent_id", parents[i]))
            for c in cycle:
                t.bad.add(row_of[c])
        for n in path:
            state[n] = 2


def check_year_order(t: ParsedTable, report: Report) -> None:
    """Report records whose ``end_year`` is before their ``start_year`` (error)."""
    if "start_year" not in t.values or "end_year" not in t.values:
        return
    for i, (a, b) in enumerate(zip(t.values["start_year"], t.values["end_year"], strict=True)):
        if a is not None and b is not None and b < a:
            report.error("year-order", f"end_year {b} is before start_year {a}", "swap or correct the years",
                         **t.where(i, "end_year", b))
            t.bad.add(i)


def check_repeated(t: ParsedTable, key: tuple[str, ...], report: Report) -> None:
    """Warn about rows repeating the ``key`` of an earlier row (the last of them is kept when written)."""
    if not len(t) or any(k not in t.values for k in key[:2]):
        return
    cols = [t.column(k) for k in key]
    frame = pd.DataFrame({k: pd.Series(c, dtype=object) for k, c in zip(key, cols, strict=True)})
    mask = frame.duplicated(keep=False).to_numpy()
    if not mask.any():
        return
    first: dict[tuple[Any, ...], int] = {}
    for i in np.flatnonzero(mask):
        i = int(i)
        k = tuple(c[i] for c in cols)
        if k not in first:
            first[k] = i
            continue
        report.warning("repeated-row", f"the same {' / '.join(key)} as row {t.rows[first[k]]}; the last of these "
                       "rows is kept", "delete one of the rows (or merge what they say)",
                       **t.where(i, key[0], cols[0][i]))
