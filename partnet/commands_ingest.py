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
@click.option("--dataset", default=None, help="The dataset the records belong to (default: the folder's name, or "
              "the file's name without extension). Records of stores written before datasets existed join it.")
@click.option("--replace", is_flag=True, help="Make the dataset hold exactly the files' records: delete its "
              "records that are not in the files (records another dataset refers to are kept and reported).")
@click.option("--on-conflict", type=click.Choice(["keep", "update"]), default=None,
              help="When a record's id belongs to another dataset with different content: keep the stored record "
              "(and reference it) or update it with the new values. Default: stop, write nothing (exit 1).")
@click.option("--dry-run", is_flag=True, help="Validate and print what would change (new, changed, deleted "
              "records with their field changes); write nothing.")
@click.option("--programme", default=None, help="CORDIS only: the framework programme when the files do not say it "
              "(e.g. 'Horizon Europe').")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write every problem to this CSV file.")
@click.option("--limit", default=50, show_default=True, help="Problems shown per kind (the rest is counted); "
              "0 shows all.")
@click.option("--progress/--no-progress", default=True, show_default=True,
              help="Progress bar on stderr for tables over a few thousand rows.")
@click.option("--bulk", is_flag=True, help="Neo4j only, an EMPTY database on the local server of "
              "scripts/neo4j-local: load with neo4j-admin import (the server is stopped and restarted).")
@friendly_errors
def ingest_command(path: Path, store_kind: str | None, db_path: str | None, fmt: str, dataset: str | None,
                   replace: bool, on_conflict: str | None, dry_run: bool, programme: str | None,
                   report_path: Path | None, limit: int, progress: bool, bulk: bool) -> None:
    """Validate the import files at PATH and load them into the store.

    PATH is a folder of CSV files (actors.csv, partnerships.csv, memberships.csv, and
    optionally funding.csv, links.csv, sources.csv), one Excel workbook with the same sheets,
    or a CORDIS project-participant export. Every problem is reported with its file, row,
    column and what to do. Any error: nothing is written (exit 1). Store unreachable: exit 2.
    Ingesting the same files again changes nothing.

    The records go to one dataset (--dataset). A record whose id another dataset holds with
    different content is a conflict: exit 1 and nothing written, unless --on-conflict says what
    to do. Every ingest is recorded in the store's history (partnet store history).
    """
    from graph.backends import open_store
    from graph.errors import StoreUnavailable
    from ingest import ValidationError, ingest

    if bulk:
        _bulk(path, store_kind, dataset, limit, report_path)
        return
    store = None
    note = ""
    if dry_run:
        try:
            store = open_store(store_kind, path=db_path, read_only=True)
        except StoreUnavailable:
            note = "(no store to compare with: references are checked against the files only)"
    else:
        store = open_store(store_kind, path=db_path, legacy_dataset=dataset)
    try:
        try:
            result = ingest(path, store, format=fmt, dry_run=dry_run, progress=progress, programme=programme,
                            dataset=dataset, replace=replace, on_conflict=on_conflict)
        except ValidationError as e:
            _print_report(e.report, limit, report_path)
            raise
        _print_report(result.report, limit, report_path, quiet_if_empty=True)
        _print_summary(result, store.info().location if store is not None else "", note)
        if result.dry_run:
            result.plan.check()  # unresolved conflicts: the real run would stop, so exit 1
    finally:
        if store is not None:
            store.close()


def _bulk(path: Path, store_kind: str | None, dataset: str | None, limit: int, report_path: Path | None) -> None:
    from graph.backends import open_store
    from graph.config import Neo4jSettings
    from graph.config import store_kind as kind_of
    from ingest import ValidationError
    from ingest.bulk import BulkRefused, bulk_ingest, check_local

    if kind_of(store_kind) != "neo4j":
        raise BulkRefused("--bulk loads a Neo4j database (neo4j-admin import); the store is SQLite",
                          hint="add --store neo4j, or leave out --bulk")
    check_local(Neo4jSettings.from_env())  # a remote server is refused before connecting
    store = open_store("neo4j", path=None)
    try:
        out = bulk_ingest(path, store, dataset=dataset)
    except ValidationError as e:
        _print_report(e.report, limit, report_path)
        raise
    finally:
        store.close()
    click.echo(f"bulk-loaded {path} with neo4j-admin import in {out['total_s']:.1f} s (validation "
               f"{out['validate_s']:.1f} s, CSV {out['csv_s']:.1f} s, stop {out['stop_s']:.1f} s, import "
               f"{out['admin_import_s']:.1f} s, start {out['start_s']:.1f} s, constraints {out['schema_s']:.1f} s)")
    click.echo("  in store: " + ", ".join(f"{k} {v:,}" for k, v in out["in_store"].items()))


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
    from ingest.diff import plan_lines

    title = "dry run: nothing was written" if result.dry_run else f"written to {location}"
    click.echo("")
    click.echo(f"{result.path} ({result.format}) -> dataset {result.dataset}: {title} {note}".rstrip())
    lines = plan_lines(result.plan, examples=5 if result.dry_run else 3, dry_run=result.dry_run)
    click.echo("\n".join(lines if result.dry_run else [ln for ln in lines if not ln.startswith("  new ")]))
    if not result.dry_run:
        click.echo("  in store: " + ", ".join(f"{t} {result.counts_after.get(k, 0):,}" for t, k in _COUNT_KEY.items()))
    click.echo(f"  {'warnings':<14}{len(result.report.warnings):>11,}")


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

