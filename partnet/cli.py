"""The ``partnet`` command: a thin front door that wires ingest, the stores, analysis and the dashboard.

Each command's docstring is its help text; the work is done by ordinary functions in the
packages. Errors a user can cause (`graph.errors.PartnetError`) are printed without a
traceback and end the command with their exit code (1 bad input, 2 store unreachable).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from graph.errors import PartnetError
from partnet import __version__

__all__ = ["cli", "main", "store_options"]


def store_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--store`` and ``--db`` to a command (defaults: ``PARTNET_STORE``, ``PARTNET_DB``)."""
    fn = click.option("--db", "db_path", type=click.Path(dir_okay=False), default=None,
                      help="SQLite file (default: PARTNET_DB, else partnet.db in the user data folder).")(fn)
    fn = click.option("--store", "store_kind", type=click.Choice(["sqlite", "neo4j"]), default=None,
                      help="Which store (default: PARTNET_STORE, else sqlite). Neo4j reads NEO4J_URI, "
                      "NEO4J_USER, NEO4J_PASSWORD from the environment or .env.")(fn)
    return fn


def friendly_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Print a `PartnetError` as ``error: ...`` on stderr and exit with its code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except PartnetError as e:
            click.echo(f"error: {e}", err=True)
            sys.exit(e.exit_code)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="partnet")
def cli() -> None:
    """partnet: analyse partnership networks of organisations working on migrants' labour-market integration.

    Load actors, partnerships, funding and links into a store (SQLite by default, or Neo4j),
    analyse who is central, isolated or brokering and where partnerships lack a trade union,
    and explore it all in a dashboard.
    """


@cli.group()
def store() -> None:
    """Inspect and manage the store."""


@store.command("info")
@store_options
@friendly_errors
def store_info(store_kind: str | None, db_path: str | None) -> None:
    """Say which store is used, where it is (path or URI, never the password) and what it holds."""
    from graph.backends import open_store
    from graph.config import default_sqlite_path
    from graph.config import store_kind as resolve_kind
    from graph.history import dataset_lines

    path = Path(db_path).expanduser() if db_path else default_sqlite_path()
    if resolve_kind(store_kind) == "sqlite" and not path.exists() and _creatable(path):
        click.echo("store:          sqlite")
        click.echo(f"location:       {path.resolve()} (not created yet: `partnet ingest PATH` creates it)")
        click.echo("holds:          nothing")
        return
    # an existing store is opened as before (so an older one is upgraded: the hint of graph.sqlite_store)
    with open_store(store_kind, path=db_path) as st:
        info = st.info()
        st_datasets = dataset_lines(st)
    click.echo(f"store:          {info.name}")
    click.echo(f"location:       {info.location}")
    click.echo(f"schema version: {info.schema_version}")
    for k, v in info.details.items():
        click.echo(f"{k + ':':<16}{v}")
    for k, v in info.counts.items():
        click.echo(f"  {k:<12}{v:>10,}")
    click.echo("datasets:")
    for line in st_datasets:
        click.echo(f"  {line}")


def _creatable(path: Path) -> bool:
    """Whether ``path`` could be created: its nearest existing ancestor is a writable folder."""
    import os

    parent = path.absolute().parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    return parent.is_dir() and os.access(parent, os.W_OK)


#: Modules that add commands to the group, one per stage (each defines ``register(cli)``).
_COMMAND_MODULES = (
    "partnet.commands_ingest",
    "partnet.commands_analysis",
    "partnet.commands_questions",
    "partnet.commands_compare",
    "partnet.commands_dashboard",
    "partnet.commands_generate",
    "partnet.commands_store",
    "partnet.commands_datasets",
    "partnet.commands_methods",
)


def _register_commands() -> None:
    import importlib
    import importlib.util

    for name in _COMMAND_MODULES:
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name).register(cli)


_register_commands()


def main() -> None:
    """Entry point of the ``partnet`` console script."""
    cli()


if __name__ == "__main__":
    main()
