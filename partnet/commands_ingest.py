"""``partnet ingest`` and ``partnet template``: load import files into a store, write the blank template."""

from __future__ import annotations

from pathlib import Path

import click

from partnet.cli import friendly_errors, store_options

__all__ = ["register"]

#: store count key of each table
_COUNT_KEY = {"actors": "Actor", "partnerships": "Partnership", "memberships": "MEMBER_OF", "funding": "FUNDS",
              "links": "LINKED_TO"}


@click.command("ingest")
@click.argument("path", type=click.Path(path_type=Path))
@store_options
@click.option("--format", "fmt", type=click.Choice(["auto", "workbook", "csv", "cordis"]), default="auto",
              show_default=True, help="Input format; auto detects a CORDIS export by its header, else goes by the "
              "path (folder or .csv: csv, .xlsx: workbook).")
@click.option("--dry-run", is_flag=True, help="Validate and report; write nothing.")
@click.option("--programme", default=None, help="CORDIS only: the framework programme when the files do not say it "
              "(e.g. 'Horizon Europe').")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write every problem to this CSV file.")
@click.option("--limit", default=50, show_default=True, help="Problems shown per kind (the rest is counted); "
              "0 shows all.")
@click.option("--progress/--no-progress", default=True, show_default=True,
              help="Progress bar on stderr for tables over a few thousand rows.")
@friendly_errors
def ingest_command(path: Path, store_kind: str | None, db_path: str | None, fmt: str, dry_run: bool,
                   programme: str | None, report_path: Path | None, limit: int, progress: bool) -> None:
    """Validate the import files at PATH and load them into the store.

    PATH is a folder of CSV files (actors.csv, partnerships.csv, memberships.csv, and
    optionally funding.csv, links.csv, sources.csv), one Excel workbook with the same sheets,
    or a CORDIS project-participant export. Every problem is reported with its file, row,
    column and what to do. Any error: nothing is written (exit 1). Store unreachable: exit 2.
    Ingesting the same files again changes nothing.
    """
    from graph.backends import open_store
    from graph.errors import StoreUnavailable
    from ingest import ValidationError, ingest

    store = None
    note = ""
    if dry_run:
        try:
            store = open_store(store_kind, path=db_path, read_only=True)
        except StoreUnavailable:
            note = "(no store to compare with: references are checked against the files only)"
    else:
        store = open_store(store_kind, path=db_path)
    try:
        try:
            result = ingest(path, store, format=fmt, dry_run=dry_run, progress=progress, programme=programme)
        except ValidationError as e:
            _print_report(e.report, limit, report_path)
            raise
        _print_report(result.report, limit, report_path, quiet_if_empty=True)
        _print_summary(result, store.info().location if store is not None else "", note)
    finally:
        if store is not None:
            store.close()


def _print_report(report, limit: int, report_path: Path | None, *, quiet_if_empty: bool = False) -> None:
    if report_path is not None:
        try:
            report_path.parent.mkdir(parents=True, exist_ok=True)
            report.to_frame().to_csv(report_path, index=False)
        except OSError as e:
            from graph.errors import PartnetError

            raise PartnetError(f"cannot write the report to {report_path}: {e.strerror or e}",
                               hint="choose a writable path for --report") from None
    if report.problems or not quiet_if_empty:
        click.echo(report.format_text(limit=limit or None))
    if report_path is not None:
        click.echo(f"full report: {report_path}")


def _print_summary(result, location: str, note: str) -> None:
    title = "dry run: nothing was written" if result.dry_run else f"written to {location}"
    click.echo("")
    click.echo(f"{result.path} ({result.format}): {title} {note}".rstrip())
    header = f"  {'records':<14}{'in files':>10}"
    if not result.dry_run:
        header += f"{'written':>10}{'in store':>12}"
    click.echo(header)
    for table, n in result.dataset_counts.items():
        line = f"  {table:<14}{n:>10,}"
        if not result.dry_run:
            line += f"{result.written.get(table, 0):>10,}{result.counts_after.get(_COUNT_KEY[table], 0):>12,}"
        click.echo(line)
    warnings = len(result.report.warnings)
    click.echo(f"  {'warnings':<14}{warnings:>10,}")


@click.command("template")
@click.argument("out", type=click.Path(path_type=Path))
@friendly_errors
def template_command(out: Path) -> None:
    """Write the blank import template to OUT: a workbook when OUT ends in .xlsx, else a folder of CSV files.

    Every column is described in the README (section "Import format") and, in the
    workbook, in the README sheet and the header comments.
    """
    from graph.errors import PartnetError
    from ingest import write_template

    try:
        written = write_template(out)
    except OSError as e:
        raise PartnetError(f"cannot write the template to {out}: {e.strerror or e}",
                           hint="choose a writable path") from None
    click.echo(f"wrote {written}")


def register(cli: click.Group) -> None:
    """Add ``ingest`` and ``template`` to the ``partnet`` command group."""
    cli.add_command(ingest_command)
    cli.add_command(template_command)

