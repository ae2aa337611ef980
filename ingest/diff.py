"""The diff of an import as text and rows: what the command line's ``--dry-run`` prints and the dashboard shows.

Everything here reads a `graph.datasets.ImportPlan`; nothing touches a store.
"""

from __future__ import annotations

from typing import Any

from graph.datasets import ImportPlan, field_changes

__all__ = ["COLUMNS", "describe_record", "plan_lines", "summary_rows"]

#: The per-table columns of the summary, in order.
COLUMNS: tuple[str, ...] = ("in files", "new", "changed", "unchanged", "kept", "deleted", "kept (shared)",
                            "conflicts")


def summary_rows(plan: ImportPlan) -> list[dict[str, Any]]:
    """One row per table: ``table`` and the `COLUMNS` counts."""
    rows = []
    for t, diff in plan.tables.items():
        c = diff.counts()
        rows.append({"table": t, "in files": plan.files_counts.get(t, 0), "new": c["new"], "changed": c["changed"],
                     "unchanged": c["unchanged"], "kept": c["kept"], "deleted": c["deleted"],
                     "kept (shared)": c["kept_shared"], "conflicts": c["conflicts"]})
    return rows


def describe_record(rec: Any) -> str:
    """A record's key as text: ``cfdt`` or ``cfdt -> fr-dp-1``."""
    key = rec.key
    return " -> ".join(str(k) for k in key if k != "") if len(key) > 1 else str(key[0])


def _value(v: Any) -> str:
    if isinstance(v, tuple):
        v = ";".join(v)
    text = repr(v) if isinstance(v, str) else str(v)
    return text if len(text) <= 60 else text[:57] + "..."


def plan_lines(plan: ImportPlan, *, examples: int = 5, dry_run: bool = True) -> list[str]:
    """The summary table, then up to ``examples`` examples of each kind with their field-level changes."""
    width = 11
    lines = [f"  {'records':<14}" + "".join(f"{c:>{width + 3 if c == 'kept (shared)' else width}}" for c in COLUMNS)]
    for row in summary_rows(plan):
        lines.append(f"  {row['table']:<14}" + "".join(
            f"{row[c]:>{width + 3 if c == 'kept (shared)' else width},}" for c in COLUMNS))
    totals = plan.totals()
    verb = "would be" if dry_run else "were"
    if totals["kept"]:
        lines.append(f"  kept: {totals['kept']:,} records of dataset {plan.dataset!r} are in the store but not in "
                     "the files (kept; --replace removes them)")
    for t, diff in plan.tables.items():
        if diff.new[:examples]:
            lines.append(f"  new {t}: " + ", ".join(describe_record(r) for r in diff.new[:examples])
                         + (f" (and {len(diff.new) - examples:,} more)" if len(diff.new) > examples else ""))
        for old, new in diff.changed[:examples]:
            changes = "; ".join(f"{f}: {_value(a)} -> {_value(b)}" for f, a, b in field_changes(old, new))
            lines.append(f"  changed {t} {describe_record(new)}: {changes}")
        if len(diff.changed) > examples:
            lines.append(f"  (and {len(diff.changed) - examples:,} more changed {t})")
        if diff.deleted:
            shown = ", ".join(describe_record(r) for r in diff.deleted[:examples * 4])
            more = f" (and {len(diff.deleted) - examples * 4:,} more)" if len(diff.deleted) > examples * 4 else ""
            lines.append(f"  {'would delete' if dry_run else 'deleted'} {t}: {shown}{more}")
        for rec, by in diff.kept_shared[:examples]:
            lines.append(f"  kept {t} {describe_record(rec)}: still referenced by {', '.join(by)} "
                         f"(it {verb} not deleted)")
        for c in diff.conflicts[:examples]:
            lines.append(f"  conflict: {c.describe(plan.dataset)}")
    if plan.conflicts and plan.on_conflict:
        how = "the stored records are kept unchanged" if plan.on_conflict == "keep" else "the new values are taken"
        lines.append(f"  {len(plan.conflicts):,} conflict(s) resolved with --on-conflict {plan.on_conflict}: {how}")
    return lines
