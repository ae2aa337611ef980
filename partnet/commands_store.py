"""``partnet store backup|restore|clear``: data safety for the stores (attached to the ``store`` group)."""

from __future__ import annotations

import click

from partnet.cli import friendly_errors, store_options

__all__ = ["register"]

def _store_path(store_kind: str | None, db_path: str | None):
    """The SQLite file to work on (None for Neo4j)."""
    from pathlib import Path

    from graph.config import default_sqlite_path
    from graph.config import store_kind as resolve_kind

    if resolve_kind(store_kind) != "sqlite":
        return None
    return Path(db_path).expanduser() if db_path else default_sqlite_path()


def _print_result(verb: str, res) -> None:
    total = sum(res.counts.values())
    click.echo(f"{verb} {res.path}")
    click.echo(f"  schema version {res.schema_version}, {total:,} nodes and relationships")
    for k, v in res.counts.items():
        click.echo(f"  {k:<12}{v:>10,}")
    click.echo(f"  content fingerprint {res.fingerprint}")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@store_options
@friendly_errors
def store_backup(path: str, force: bool, store_kind: str | None, db_path: str | None) -> None:
    """Copy the whole store to PATH, a partnet SQLite file (a consistent snapshot, even while in use).

    SQLite: SQLite's online backup API. Neo4j: the whole graph read in one read transaction.
    PATH appears complete or not at all; restore it with `partnet store restore PATH`.
    """
    from graph.backends import open_store
    from graph.backup import backup_sqlite, backup_store

    sqlite_path = _store_path(store_kind, db_path)
    if sqlite_path is not None:
        res = backup_sqlite(sqlite_path, path, overwrite=force)
    else:
        with open_store(store_kind, read_only=True) as st:
            res = backup_store(st, path, overwrite=force)
    _print_result("backed up to", res)


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False))
@store_options
@friendly_errors
def store_restore(path: str, store_kind: str | None, db_path: str | None) -> None:
    """Replace the store's content by the backup at PATH, atomically.

    PATH is validated first (a partnet database, undamaged, every record valid); nothing is
    touched if it is not. The swap is one transaction: an interrupted restore leaves the old
    content.
    """
    from graph.backends import open_store
    from graph.backup import restore_sqlite, restore_store

    sqlite_path = _store_path(store_kind, db_path)
    if sqlite_path is not None:
        res = restore_sqlite(path, sqlite_path)
    else:
        from graph.backup import check_partnet_file

        check_partnet_file(path)  # before connecting for writing
        with open_store(store_kind) as st:
            res = restore_store(path, st)
    _print_result("restored into", res)


@click.command("clear")
@click.option("--yes", is_flag=True, help="Really delete every actor, partnership and relationship.")
@store_options
@friendly_errors
def store_clear(yes: bool, store_kind: str | None, db_path: str | None) -> None:
    """Delete everything in the store (SQLite or Neo4j). Needs --yes; back up first."""
    from graph.backends import open_store
    from graph.errors import PartnetError

    if not yes:
        raise PartnetError("`partnet store clear` deletes every record; nothing was deleted",
                           hint="add --yes to confirm (and consider `partnet store backup PATH` first)")
    with open_store(store_kind, path=db_path) as st:
        before = st.counts()
        st.delete_all()
        where = st.info().location
    click.echo(f"cleared {where}: removed {sum(before.values()):,} nodes and relationships")


def register(cli: click.Group) -> None:
    """Attach backup, restore and clear to the existing ``partnet store`` group."""
    group = cli.commands["store"]
    for cmd in (store_backup, store_restore, store_clear):
        group.add_command(cmd)
