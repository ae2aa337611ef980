"""``partnet generate``: write a synthetic dataset in the import format (see `synthetic`)."""

from __future__ import annotations

import time
from pathlib import Path

import click

from partnet.cli import friendly_errors
from synthetic.params import PROFILE_SIZES, PROFILES

__all__ = ["register", "write_dataset"]


def write_dataset(n_actors: int, seed: int, out: Path, params: object = None) -> dict[str, int]:
    """Generate ``n_actors`` actors with ``seed`` (and `synthetic.Params`) and write them as a CSV folder at ``out``.

    Uses ``ingest.write_import_files`` (the import format's own writer) when it exists, else the
    generator's CSV writer with the same columns. Returns records per table.
    """
    import synthetic

    try:
        from ingest import write_import_files  # type: ignore[attr-defined]
    except ImportError:
        write_import_files = None
    if write_import_files is not None:
        ds = synthetic.generate(n_actors, seed, params)  # type: ignore[arg-type]
        write_import_files(ds, out)
        return ds.counts()
    frames = synthetic.generate_frames(n_actors, seed, params)  # type: ignore[arg-type]
    synthetic.write_csv_folder(frames, out)
    return {t: len(df) for t, df in frames.items()}


def register(cli: click.Group) -> None:
    """Add ``generate`` to the ``partnet`` command group."""

    @cli.command("generate")
    @click.option("--actors", "n_actors", type=click.IntRange(min=20), default=None,
                  help="Number of actors (about 3 memberships each; 100000 is an EU framework programme's size); "
                       "default: the profile's measured size (horizon2020: 35871).")
    @click.option("--profile", type=click.Choice(list(PROFILES)), default="default", show_default=True,
                  help="The shape: default (EQUAL/AMIF-like) or horizon2020 (calibrated to all of Horizon 2020: "
                       "61 % single-participant grants, 12 % of actors with no tie, hubs in thousands of projects).")
    @click.option("--seed", type=int, default=0, show_default=True,
                  help="Random seed: the same seed and size always give the same files.")
    @click.argument("out", type=click.Path(file_okay=False, path_type=Path))
    @friendly_errors
    def generate(n_actors: int | None, profile: str, seed: int, out: Path) -> None:
        """Write a realistic synthetic partnership network of N actors to the folder OUT (import format).

        Heavy-tailed partnership sizes and memberships per actor, country clusters with a minority
        of cross-border partnerships, few trade unions, EU and national funders with amounts, some
        isolated actors. Load it with `partnet ingest OUT`.
        """
        if n_actors is None:
            if profile not in PROFILE_SIZES:
                raise click.UsageError(f"give --actors N (the {profile} profile has no default size)")
            n_actors = PROFILE_SIZES[profile]
        if out.exists() and any(out.iterdir()):
            click.echo(f"note: writing into the non-empty folder {out} (files of the same name are replaced)", err=True)
        t0 = time.perf_counter()
        counts = write_dataset(n_actors, seed, out, PROFILES[profile])
        took = time.perf_counter() - t0
        click.echo(f"wrote {out} in {took:.1f} s (seed {seed}, profile {profile}):")
        for table, k in counts.items():
            click.echo(f"  {table:<13}{k:>10,}")
