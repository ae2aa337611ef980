"""Network methods from the literature on the command line: ``partnet countries`` (the country
co-participation network), ``partnet backbone``, ``partnet cores``, ``partnet communities`` and
``partnet homophily``.

Thin wrappers: read the graph from the store, call the function in `analysis`, print a table, CSV
or JSON (records whose keys are the table's column names), or write a file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pandas as pd

__all__ = ["echo_frame", "register"]

FORMATS = ("table", "csv", "json")


def echo_frame(df: pd.DataFrame, fmt: str, *, title: str = "", note: str = "") -> None:
    """Print ``df`` as an aligned table (with ``title`` and ``note``), CSV, or JSON records."""
    from analysis.export import neutralise
    from partnet import tables_out

    if fmt == "csv":
        click.echo(df.map(neutralise).to_csv(index=False), nl=False)
    elif fmt == "json":
        click.echo(tables_out.dumps(tables_out.records(df)))
    else:
        if title:
            click.echo(f"{title}\n{'-' * len(title)}")
        ids = [c for c in df.columns if c in ("id", "country", "country_a", "country_b", "actor_a", "actor_b")]
        click.echo(tables_out.render_table(df, ids=ids))
        if note:
            click.echo(f"  ({note})")


def _format_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                        help="table (readable), csv, or json (a list of records keyed by column name).")(fn)


def register(cli: click.Group) -> None:
    """Add ``countries`` (and the other network-method commands) to the ``partnet`` group."""
    from graph.errors import PartnetError
    from partnet.cli import friendly_errors, store_options
    from partnet.commands_analysis import _empty_notice, proposed_option, read_analysed, tie_options

    @cli.command("countries")
    @click.option("--weight", type=click.Choice(["participations", "actor-pairs", "partnerships"]),
                  default="participations", show_default=True,
                  help="Tie weight: co-participations Σ n_i·n_j, distinct actor pairs, or shared partnerships.")
    @click.option("--only", "only", default=None, metavar="CODES",
                  help="Only these countries (ISO alpha-2, comma-separated; EL and UK accepted): the induced "
                  "network, computed without the others.")
    @click.option("--edges", is_flag=True, help="Print the weighted country pairs instead of the country table.")
    @click.option("--backbone", "alpha", type=click.FloatRange(0, 1, min_open=True), default=None, metavar="ALPHA",
                  help="With --edges or --out: keep only the disparity-filter backbone's pairs at "
                  "significance ALPHA (e.g. 0.05).")
    @click.option("--out", "out", type=click.Path(dir_okay=False), default=None,
                  help="Write the network to a file instead: .gexf, .graphml (the network), .csv or .xlsx "
                  "(the country table and the pairs).")
    @_format_option
    @proposed_option
    @store_options
    @friendly_errors
    def countries(weight: str, only: str | None, edges: bool, alpha: float | None, out: str | None, fmt: str,
                  store_kind: str | None, db_path: str | None, include_proposed: bool = False) -> None:
        """The country co-participation network: per country its memberships, partnerships, cross-border
        partnerships, strength, weighted eigenvector (largest = 1) and weighted betweenness (distance =
        1/weight); with --edges the weighted country pairs. Actors without a country are left out."""
        from analysis.countries import country_edges, country_table, normalise_codes

        codes = normalise_codes(only)  # fail fast on a malformed code, before reading the store
        if alpha is not None and not (edges or out):
            raise PartnetError("--backbone selects country pairs: it needs --edges or --out",
                               hint="add --edges to print the backbone's pairs, or --out FILE to write them")
        g = read_analysed(store_kind, db_path, include_proposed)
        if _empty_notice(g):
            return
        if out is not None:
            from analysis.export_countries import export_country_network

            for p in export_country_network(g, Path(out), weight=weight, only=codes, backbone=alpha):
                click.echo(f"wrote {p}")
            return
        if edges:
            df = country_edges(g, weight, only=codes)
            if alpha is not None:
                from analysis.backbone import country_backbone_edges

                df = country_backbone_edges(g, alpha, weight=weight, only=codes)
            echo_frame(df, fmt, title=f"Country pairs (weight = {weight})",
                       note=f"{len(df):,} pairs; actors without a country left out")
            return
        df = country_table(g, weight, only=codes)
        echo_frame(df, fmt, title=f"Country network (weight = {weight})", note=df.attrs.get("basis", ""))

    @cli.command("backbone")
    @click.option("--alpha", type=click.FloatRange(0, 1, min_open=True), default=0.05, show_default=True,
                  help="Significance level: keep ties whose disparity p-value is below ALPHA.")
    @click.option("--top", type=click.IntRange(min=1), default=20, show_default=True,
                  help="Ties printed in the table format (csv and json print all).")
    @tie_options(default="newman")
    @_format_option
    @proposed_option
    @store_options
    @friendly_errors
    def backbone_cmd(alpha: float, top: int, weight: str, min_shared: int | None, fmt: str,
                     store_kind: str | None, db_path: str | None, include_proposed: bool = False) -> None:
        """The disparity-filter backbone (Serrano, Boguñá & Vespignani 2009) of the weighted actor network:
        the ties that carry a significant share of at least one end's strength, most significant first.
        The weight defaults to newman: with count most ties weigh 1 and few can stand out."""
        from analysis.backbone import backbone_ties
        from analysis.tie_weights import weighted_projection

        g = read_analysed(store_kind, db_path, include_proposed)
        if _empty_notice(g):
            return
        df = backbone_ties(weighted_projection(g, weight, min_shared=min_shared), alpha)
        a = df.attrs
        note = (f"keeps {a['kept']:,} of {a['ties']:,} ties ({a['kept'] / max(a['ties'], 1):.0%}) at alpha = {alpha}, "
                f"weight = {weight}; {a['actors_with_ties']:,} actors keep a tie")
        echo_frame(df.head(top) if fmt == "table" else df, fmt, title="Backbone ties", note=note)

    @cli.command("communities")
    @click.option("--method", type=click.Choice(["leiden", "louvain"]), default="leiden", show_default=True,
                  help="Leiden (leidenalg; connected communities) or Louvain (igraph).")
    @click.option("--objective", type=click.Choice(["modularity", "cpm"]), default="modularity", show_default=True,
                  help="Leiden only: modularity with a resolution, or the Constant Potts Model.")
    @click.option("--resolution", type=click.FloatRange(min=0, min_open=True), default=1.0, show_default=True,
                  help="Higher gives more, smaller communities (for CPM: the density a community must exceed).")
    @click.option("--engine", type=click.Choice(["igraph", "leidenalg"]), default="igraph", show_default=True,
                  help="Leiden only: igraph's C implementation (fast) or leidenalg (the reference one).")
    @click.option("--seed", type=int, default=42, show_default=True, help="Random seed (same seed, same result).")
    @click.option("--runs", type=click.IntRange(min=0), default=10, show_default=True,
                  help="Seeds for the stability figure (mean adjusted Rand index); 0 or 1 skips it.")
    @click.option("--top", type=click.IntRange(min=1), default=20, show_default=True,
                  help="Communities printed in the table format (csv and json print all).")
    @tie_options
    @_format_option
    @proposed_option
    @store_options
    @friendly_errors
    def communities_cmd(method: str, objective: str, resolution: float, engine: str, seed: int, runs: int, top: int,
                        weight: str, min_shared: int | None, fmt: str, store_kind: str | None, db_path: str | None,
                        include_proposed: bool = False) -> None:
        """Communities of the actor network (Leiden or Louvain, seeded), one row per community labelled by its
        dominant country and family and its best-connected member, with how stable they are across seeds."""
        from analysis.leiden import labelled_communities, leiden, stability
        from analysis.tie_weights import weighted_projection

        if method == "louvain" and objective != "modularity":
            raise PartnetError("--objective cpm is a Leiden option", hint="use --method leiden, or drop --objective")
        g = read_analysed(store_kind, db_path, include_proposed)
        if _empty_notice(g):
            return
        proj = weighted_projection(g, weight, min_shared=min_shared)
        if method == "leiden":
            frame = leiden(proj, objective=objective, resolution=resolution, seed=seed, engine=engine)
        else:
            from analysis.communities import louvain

            frame = louvain(proj, resolution=resolution, seed=seed)
        df = labelled_communities(proj, frame)
        note = (f"{method}, {objective} resolution {resolution}, seed {seed}, weight {weight}: "
                f"{frame.attrs['n_communities']:,} communities, modularity {frame.attrs['modularity']:.3f}")
        if runs >= 2:
            s = stability(proj, method, seeds=range(seed, seed + runs), objective=objective, resolution=resolution,
                          engine=engine)
            note += (f"; stability: mean adjusted Rand index {s['mean_ari']:.3f} across {runs} seeds "
                     f"(min {s['min_ari']:.3f})")
        echo_frame(df.head(top) if fmt == "table" else df, fmt, title=f"Communities ({method})", note=note)

    @cli.command("cores")
    @click.option("--top", type=click.IntRange(min=1), default=20, show_default=True,
                  help="Actors printed in the table format (csv and json print all).")
    @click.option("--intermediated", "only_inter", is_flag=True,
                  help="List only the intermediated actors (one partner links them to the largest component).")
    @tie_options
    @_format_option
    @proposed_option
    @store_options
    @friendly_errors
    def cores_cmd(top: int, only_inter: bool, weight: str, min_shared: int | None, fmt: str, store_kind: str | None,
                  db_path: str | None, include_proposed: bool = False) -> None:
        """Core and periphery: the k-core shell of every actor (highest first), the main core's share of the
        actors, and the intermediated actors. --min-shared K reads it on the stable-tie graph."""
        from analysis.cores import core_periphery
        from analysis.tie_weights import weighted_projection

        g = read_analysed(store_kind, db_path, include_proposed)
        if _empty_notice(g):
            return
        df = core_periphery(weighted_projection(g, weight, min_shared=min_shared))
        a = df.attrs
        if only_inter:
            df = df[df["intermediated"]].reset_index(drop=True)
        basis = f"ties with at least {min_shared} shared partnerships" if min_shared else "every tie"
        note = (f"main core: {a['max_core']}-core of {a['main_core_size']:,} actors ({a['main_core_share']:.1%} of "
                f"all); largest component {a['largest_component']:,} actors, {a['intermediated']:,} intermediated; "
                f"on {basis}")
        echo_frame(df.head(top) if fmt == "table" else df, fmt, title="Core and periphery (k-core shells)", note=note)

    @cli.command("homophily")
    @tie_options
    @_format_option
    @proposed_option
    @store_options
    @friendly_errors
    def homophily_cmd(weight: str, min_shared: int | None, fmt: str, store_kind: str | None,
                      db_path: str | None, include_proposed: bool = False) -> None:
        """Homophily by family, country and type: attribute assortativity (Newman 2003) and the E-I index
        (Krackhardt & Stern), with the share of ties inside a group."""
        from analysis.homophily import homophily
        from analysis.tie_weights import weighted_projection

        g = read_analysed(store_kind, db_path, include_proposed)
        if _empty_notice(g):
            return
        df = homophily(weighted_projection(g, weight, min_shared=min_shared))
        echo_frame(df, fmt, title="Homophily (assortativity: 1 = ties inside groups, 0 = chance; "
                   "E-I: -1 inside, +1 outside)", note=df.attrs["basis"])
