"""``partnet store backup|restore|clear``: data safety for the stores (attached to the ``store`` group)."""

from __future__ import annotations

import click

from partnet.cli import friendly_errors, store_options

__all__ = ["register"]

_NEO4J_BACKUP_HINT = (
    "for Neo4j use the server's own tools: stop the server, then `neo4j-admin database dump neo4j --to-path=DIR` "
    "(restore with `neo4j-admin database load neo4j --from-path=DIR --overwrite-destination`); or save a portable "
    "copy with `partnet export` and re-ingest it (see the README, section Safety)"
)


def _sqlite_path(store_kind: str | None, db_path: str | None, what: str):
    from graph.config import default_sqlite_path
    from graph.config import store_kind as resolve_kind
    from graph.errors import StoreError

    if resolve_kind(store_kind) != "sqlite":
        raise StoreError(f"`partnet store {what}` works on the embedded SQLite store only", hint=_NEO4J_BACKUP_HINT)
    from pathlib import Path

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
    """Copy the SQLite store to PATH (a consistent snapshot, even while the store is in use).

    Uses SQLite's online backup API; PATH appears complete or not at all. Restore it with
    `partnet store restore PATH`. For Neo4j see the README (neo4j-admin dump, or partnet export).
    """
    from graph.backup import backup_sqlite

    res = backup_sqlite(_sqlite_path(store_kind, db_path, "backup"), path, overwrite=force)
    _print_result("backed up to", res)


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False))
@store_options
@friendly_errors
def store_restore(path: str, store_kind: str | None, db_path: str | None) -> None:
    """Replace the SQLite store's content by the backup at PATH, atomically.

    PATH is validated first (a partnet database, undamaged, every record valid); nothing is
    touched if it is not. The swap is one transaction: an interrupted restore leaves the old
    content.
    """
    from graph.backup import restore_sqlite

    res = restore_sqlite(path, _sqlite_path(store_kind, db_path, "restore"))
    _print_result("restored into", res)


@click.command("clear")
@click.option("--yes", is_flag=True, help="Really delete every actor, partnership and relationship.")
@store_options
@friendly_errors
def store_clear(yes: bool, store_kind: str | None, db_path: str | None) -> None:
    """Delete everything in the store (SQLite or Neo4j). Needs --yes; back up first."""
    from graph.errors import PartnetError
    from graph.store import open_store

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
