"""``partnet analyse``, ``partnet export`` and ``partnet report``: the analysis stage on the command line.

Thin wrappers: read the graph from the store, call `analysis.headline`, `analysis.export` or
`analysis.report`, print or write the result.
"""

from __future__ import annotations

from pathlib import Path

import click
import networkx as nx

__all__ = ["register", "tie_options"]

def proposed_option(fn):
    """``--include-proposed``: analyse proposed partnerships as working ones (left out by default)."""
    return click.option("--include-proposed", is_flag=True, default=False,
                        help="Analyse proposed partnerships as working ones (left out by default and listed "
                             "apart).")(fn)


def read_analysed(store_kind: str | None, db_path: str | None, include_proposed: bool):
    """The store's graph as the findings see it: proposed partnerships left out unless ``include_proposed``."""
    from analysis.status import analysed_graph

    return analysed_graph(_read_graph(store_kind, db_path), include_proposed=include_proposed)


def _finding_options(fn):
    """``--include-proposed`` and ``--min-members``: what the findings count (issue 14)."""
    fn = click.option("--min-members", type=click.IntRange(min=1), default=2, show_default=True,
                      help="Composition findings (no union, missing families, rules) count only partnerships with "
                           "at least this many recorded members, or a member list declared complete.")(fn)
    return click.option("--include-proposed", is_flag=True, default=False,
                        help="Analyse proposed partnerships as working ones (left out by default and listed "
                             "apart).")(fn)


def tie_options(fn=None, *, default: str = "count"):
    """Add ``--weight count|newman|jaccard`` (default ``default``) and ``--min-shared K`` (stable ties) to a command."""
    if fn is None:
        return lambda f: tie_options(f, default=default)
    fn = click.option("--min-shared", type=click.IntRange(min=1), default=None, metavar="K",
                      help="Stable ties only: keep ties with at least K shared partnerships.")(fn)
    return click.option("--weight", type=click.Choice(["count", "newman", "jaccard"]), default=default,
                        show_default=True, help="Tie weight of the actor network: count (shared partnerships + "
                        "links), newman (Σ 1/(n−1): large consortia count less) or jaccard.")(fn)


def _weighted(g, weight: str, min_shared: int | None, include_proposed: bool = False):
    """The actor graph for ``--weight``/``--min-shared`` (`analysis.tie_weights`), or None for the default."""
    if weight == "count" and min_shared is None:
        return None
    from analysis.status import analysed_graph
    from analysis.tie_weights import weighted_projection

    return weighted_projection(analysed_graph(g, include_proposed=include_proposed), weight, min_shared=min_shared)


def _read_graph(store_kind: str | None, db_path: str | None, what: str = "analyse", *,
                include_proposed: bool = False, min_members: int = 2, write_back: bool = False):
    """The shared graph, primed with the store's results for these parameters (`analysis.results`).

    An empty store is `partnet.guards.EmptyStoreError` (exit 1, saying what to do); ``write_back``
    computes and stores the results when none match (refused in read-only mode).
    """
    import os

    from analysis.results import read_with_results
    from graph.backends import open_store
    from partnet.guards import require_data

    if write_back and os.environ.get("PARTNET_READ_ONLY", "").strip().lower() in {"1", "true", "yes", "on"}:
        from graph.errors import ReadOnlyError

        raise ReadOnlyError("--write-back stores the results in the store, but PARTNET_READ_ONLY is set; nothing was "
                            "written", hint="unset PARTNET_READ_ONLY to store results, or leave out --write-back")
    read_only = not write_back
    with open_store(store_kind, path=db_path, read_only=read_only) as st:
        if not (st.counts().get("Actor") or st.counts().get("Partnership")):
            require_data(nx.MultiDiGraph(), what)
        g, res, state = read_with_results(st, include_proposed=include_proposed, min_members=min_members,
                                          write_back=write_back)
    if state == "written":
        click.echo(f"stored the results in the store (data version {res.data_version}, {len(res.actors):,} actors, "
                   f"{len(res.partnerships):,} partnerships)", err=True)
    elif state == "stored" and g.number_of_nodes() > 5000:
        click.echo(f"using the results stored at {res.created_at.split('.')[0]} for this data version", err=True)
    return g


def _empty_notice(g) -> bool:
    """Raise `partnet.guards.EmptyStoreError` when ``g`` is empty (else ``False``: go on)."""
    from partnet.guards import require_data

    require_data(g)
    return False


def register(cli: click.Group) -> None:
    """Add ``analyse``, ``export`` and ``report`` to the ``partnet`` command group."""
    # imported here, not at the top: partnet.cli imports this module while it is being set up
    from partnet.analyse_out import SECTIONS
    from partnet.cli import friendly_errors, store_options

    @cli.command("analyse")
    @click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
                  help="Rows in each ranked table.")
    @click.option("--section", "sections", multiple=True, metavar="NAME",
                  help="Only this section (repeat for several): " + ", ".join(SECTIONS) + ".")
    @click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "markdown"]), default="table",
                  show_default=True, help="table (fits the terminal), json, markdown, or csv (one file per section).")
    @click.option("--out", default=None, type=click.Path(), help="Write there instead (a folder for csv).")
    @click.option("--rules", "rules_path", type=click.Path(dir_okay=False), default=None,
                  help="Composition rules file (.toml or .csv) to check, instead of analysis/rules.toml.")
    @click.option("--write-back", is_flag=True, default=False,
                  help="Keep the per-actor and per-partnership results in the store (Neo4j: partnet_* properties "
                       "and a PartnetRun node), keyed by its data version and these options.")
    @_finding_options
    @tie_options
    @store_options
    @friendly_errors
    def analyse(top: int, sections: tuple[str, ...], fmt: str, out: str | None, rules_path: str | None,
                write_back: bool, include_proposed: bool, min_members: int, weight: str, min_shared: int | None,
                store_kind: str | None,
                db_path: str | None) -> None:
        """Print the headline findings: families and countries, partnerships without a trade union,
        cross-border share, the most connected actors, brokers, isolated actors, funding dependence
        and the partnerships that break each composition rule.

        Each key figure says what it counts. Proposed partnerships are left out (listed apart) unless
        --include-proposed; composition findings count partnerships with at least --min-members
        recorded members (or a member list declared complete). Results stored for the same data version and
        options are read instead of recomputed; --write-back stores them (refused when read-only)."""
        from analysis.gaps import default_rules, load_rules
        from graph.errors import PartnetError
        from partnet.analyse_out import build_sections, emit_sections

        unknown = [s for s in sections if s not in SECTIONS]
        if unknown:
            raise PartnetError(f"unknown section {unknown[0]!r}", hint=f"choose among {', '.join(SECTIONS)}")
        rules = load_rules(rules_path) if rules_path else default_rules()  # fail fast on a bad rule file
        g = _read_graph(store_kind, db_path, include_proposed=include_proposed, min_members=min_members,
                        write_back=write_back)
        if _empty_notice(g):
            return
        if g.number_of_nodes() > 5000:
            click.echo(f"analysing {g.number_of_nodes():,} nodes…", err=True)
        names = list(dict.fromkeys(sections)) or list(SECTIONS)
        emit_sections(build_sections(g, names, top=top, rules=rules, include_proposed=include_proposed,
                                     min_members=min_members,
                                     projection=_weighted(g, weight, min_shared, include_proposed)),
                      fmt, top=top, out=out)

    @cli.command("export")
    @click.option("--format", "fmt", type=click.Choice(["gexf", "graphml", "csv", "xlsx"]), default=None,
                  help="gexf (Gephi), graphml, csv (a folder of tables) or xlsx (one workbook); default: from OUT "
                       "(.gexf, .graphml, .xlsx; a folder or no extension: csv).")
    @click.option("--excel", is_flag=True, default=False,
                  help="CSV for a double-click in a French, German or Italian Excel: UTF-8 with BOM, ';' between "
                       "fields.")
    @click.option("--force", is_flag=True, default=False, help="Overwrite OUT when it exists.")
    @click.option("--graph", "kind", type=click.Choice(["full", "actors"]), default="full", show_default=True,
                  help="For gexf/graphml: the whole graph (actors and partnerships) or the actor–actor network.")
    @click.argument("out", type=click.Path())
    @_finding_options
    @tie_options
    @click.option("--backbone", "alpha", type=click.FloatRange(0, 1, min_open=True), default=None, metavar="ALPHA",
                  help="Write only the disparity-filter backbone of the actor ties at significance ALPHA.")
    @store_options
    @friendly_errors
    def export_cmd(fmt: str | None, excel: bool, force: bool, kind: str, out: str, include_proposed: bool,
                   min_members: int, weight: str, min_shared: int | None, alpha: float | None, store_kind: str | None,
                   db_path: str | None) -> None:
        """Export the graph with families, centralities and communities to OUT.

        GEXF opens in Gephi; CSV writes a folder (the import-format tables plus actor_metrics.csv
        and partnership_gaps.csv); XLSX one workbook with the same tables. Spreadsheet cells that
        would run as formulas are written as text (a leading apostrophe). partnership_gaps says which
        partnerships the headline shares count (in_basis) and actor_metrics which actors are isolated.
        The format follows OUT's extension unless --format says it; an existing OUT is kept unless
        --force.
        """
        from analysis.export import export
        from partnet.guards import export_format, refuse_overwrite

        fmt = export_format(fmt, Path(out), excel)
        refuse_overwrite(Path(out), fmt, force)
        g = _read_graph(store_kind, db_path, "export", include_proposed=include_proposed, min_members=min_members)
        kw = {"kind": kind} if fmt in ("gexf", "graphml") else {"excel": excel} if fmt == "csv" else {}
        kw.update(include_proposed=include_proposed, min_members=min_members)
        proj = _weighted(g, weight, min_shared, include_proposed)
        if alpha is not None:
            from analysis.backbone import backbone
            from analysis.projection import actor_projection
            from analysis.status import analysed_graph

            proj = backbone(proj if proj is not None else actor_projection(
                analysed_graph(g, include_proposed=include_proposed)), alpha)
        if proj is not None:
            kw["projection"] = proj
        paths = export(g, fmt, Path(out), **kw)
        for p in paths:
            click.echo(f"wrote {p}")

    @cli.command("report")
    @click.argument("out", type=click.Path(dir_okay=False))
    @click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
                  help="Rows in each ranked table.")
    @click.option("--title", default="partnet brief", show_default=True, help="Title of the page.")
    @click.option("--rules", "rules_path", type=click.Path(dir_okay=False), default=None,
                  help="Composition rules file (.toml or .csv), instead of analysis/rules.toml.")
    @_finding_options
    @store_options
    @friendly_errors
    def report(out: str, top: int, title: str, rules_path: str | None, include_proposed: bool, min_members: int,
               store_kind: str | None, db_path: str | None) -> None:
        """Write a self-contained HTML brief of the key findings to OUT (opens offline, loads nothing)."""
        from analysis.gaps import load_rules
        from analysis.report import write_report

        rules = load_rules(rules_path) if rules_path else None
        g = _read_graph(store_kind, db_path, "report", include_proposed=include_proposed, min_members=min_members)
        path = write_report(g, out, top=top, title=title, rules=rules, include_proposed=include_proposed,
                            min_members=min_members)
        click.echo(f"wrote {path}")
