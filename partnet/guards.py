"""Checks the commands make before they work: data in the store, the export format, no silent overwrite.

Each raises a `graph.errors.PartnetError` (exit code 1) whose message says what is wrong and
whose hint says what to do, so `partnet.cli.friendly_errors` prints it without a traceback.
"""

from __future__ import annotations

from pathlib import Path

from graph.errors import PartnetError

__all__ = ["EXTENSIONS", "EmptyStoreError", "export_format", "refuse_overwrite", "require_data"]

#: File extension of OUT -> export format (a folder, or a path without extension, is CSV).
EXTENSIONS = {".gexf": "gexf", ".graphml": "graphml", ".xlsx": "xlsx"}


class EmptyStoreError(PartnetError):
    """The store holds no record: there is nothing to analyse, report or export."""


def require_data(g, what: str = "analyse") -> None:
    """Raise `EmptyStoreError` when the graph ``g`` read from the store has no node."""
    if g.number_of_nodes() == 0:
        raise EmptyStoreError(f"the store is empty: nothing to {what}",
                              hint="load data first, e.g. `partnet ingest data/seed` (or give --db with the store "
                                   "that holds your data; `partnet store info` says which store is used)")


def export_format(fmt: str | None, out: Path, excel: bool = False) -> str:
    """The export format: ``fmt`` when given, else taken from OUT's extension (none or a folder: csv).

    Raises `PartnetError` when OUT's extension names no format, or ``--excel`` goes with another
    format than csv.
    """
    if fmt is None:
        suffix = out.suffix.lower()
        if out.is_dir() or not suffix:
            fmt = "csv"
        elif suffix in EXTENSIONS:
            fmt = EXTENSIONS[suffix]
        else:
            raise PartnetError(f"cannot tell the export format from {out.name!r}",
                               hint="end OUT in .gexf, .graphml or .xlsx, give a folder for CSV, or say --format")
    if excel and fmt != "csv":
        raise PartnetError(f"--excel is for CSV files, not {fmt}",
                           hint="leave out --excel, or export CSV to a folder (--format csv)")
    return fmt


def refuse_overwrite(out: Path, fmt: str, force: bool) -> None:
    """Raise `PartnetError` when the export would replace something at OUT and ``force`` is off.

    For CSV OUT is a folder, refused when it exists and is not empty; otherwise OUT is one file.
    """
    if force or not out.exists():
        return
    if fmt == "csv" and out.is_dir() and not any(out.iterdir()):
        return
    what = "the folder" if out.is_dir() else "the file"
    raise PartnetError(f"{what} {out} exists; nothing was written",
                       hint="add --force to overwrite it, or give another OUT")
