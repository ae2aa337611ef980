"""``partnet store history|datasets|remove-dataset``: the datasets a store holds and what happened to them."""

from __future__ import annotations

import click

from partnet.cli import friendly_errors, store_options

__all__ = ["register"]


@click.command("history")
@store_options
@friendly_errors
def store_history(store_kind: str | None, db_path: str | None) -> None:
    """Print the import history: every ingest, replace, removal and migration, oldest first.

    Each line: number, UTC time, action, dataset, counts (new, changed, deleted, kept because
    shared, conflicts resolved), the files with the start of their SHA-256, partnet's version.
    """
    from graph.backends import open_store
    from graph.history import format_entry

    with open_store(store_kind, path=db_path) as st:
        entries = st.read_history()
    for e in entries:
        click.echo(format_entry(e))
    if not entries:
        click.echo("no history yet (nothing was ingested)")


@click.command("datasets")
@store_options
@friendly_errors
def store_datasets(store_kind: str | None, db_path: str | None) -> None:
    """List the datasets with their records per table, last import and source documents."""
    from graph.backends import open_store
    from graph.history import dataset_lines

    with open_store(store_kind, path=db_path) as st:
        lines = dataset_lines(st)
    for line in lines:
        click.echo(line)


@click.command("remove-dataset")
@click.argument("name")
@store_options
@friendly_errors
def store_remove_dataset(name: str, store_kind: str | None, db_path: str | None) -> None:
    """Remove the dataset NAME in one transaction (recorded in the history).

    Records that another dataset still refers to are kept and listed. Undo with
    `partnet store restore` from a backup taken before.
    """
    from graph.backends import open_store
    from graph.datasets import remove_dataset
    from ingest.diff import plan_lines

    with open_store(store_kind, path=db_path) as st:
        plan = remove_dataset(st, name)
        where = st.info().location
    click.echo(f"removed dataset {name} from {where}")
    for line in plan_lines(plan, dry_run=False):
        click.echo(line)


def register(cli: click.Group) -> None:
    """Attach history, datasets and remove-dataset to the ``partnet store`` group."""
    group = cli.commands["store"]
    for cmd in (store_history, store_datasets, store_remove_dataset):
        group.add_command(cmd)
