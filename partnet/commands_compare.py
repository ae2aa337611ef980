"""``partnet compare``: what changed between periods, over `analysis.change.compare_periods`."""

from __future__ import annotations

import click
import pandas as pd

from partnet import tables_out

__all__ = ["register"]


def register(cli: click.Group) -> None:
    """Add ``compare`` to the ``partnet`` command group."""
    from partnet.cli import friendly_errors, store_options
    from partnet.commands_analysis import _empty_notice, proposed_option, read_analysed

    @cli.command("compare")
    @click.option("--period", "periods", multiple=True, metavar="FIRST-LAST",
                  help="A period as two years, e.g. 2002-2005 (repeat: compared in the order given).")
    @click.option("--every", type=int, default=None, metavar="N",
                  help="Instead of --period: consecutive periods of N years over the dated data.")
    @click.option("--top", type=int, default=10, show_default=True,
                  help="Ids listed per change and rank changes per measure (json/csv list every id).")
    @click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
                  show_default=True, help="table (for people), csv (the per-period figures) or json (everything).")
    @proposed_option
    @store_options
    @friendly_errors
    def compare(periods: tuple[str, ...], every: int | None, top: int, fmt: str, include_proposed: bool,
                store_kind: str | None, db_path: str | None) -> None:
        """What changed between periods: active actors, partnerships, ties, components, union coverage
        and cross-border share per period; actors entering, leaving and persisting, ties formed and
        dissolved and the largest rank changes between consecutive periods.

        An actor is active in a period when it is a member of a partnership whose years overlap it
        (end year defaulting to the start year; no start year: no period), an end of a link dated in
        it, or the funder or recipient of a funding tie whose years overlap it.
        """
        from analysis.change import compare_periods, comparison_json, parse_period, periods_every
        from graph.errors import PartnetError

        if periods and every is not None:
            raise PartnetError("--period and --every both given", hint="use one of the two")
        if top < 1:
            raise PartnetError(f"--top {top}", hint="ask for at least one row, e.g. --top 10")
        parsed = [parse_period(p) for p in periods]
        if every is None and len(parsed) < 2:
            raise PartnetError("compare needs two periods or more",
                               hint="e.g. --period 2002-2005 --period 2006-2010, or --every 5")
        g = read_analysed(store_kind, db_path, include_proposed)
        if _empty_notice(g):
            return
        if every is not None:
            parsed = periods_every(g, every)
            if not parsed:
                raise PartnetError("nothing in the data is dated", hint="compare needs partnership or link years")
        res = compare_periods(g, parsed, top=top, progress=True)
        if fmt == "json":
            click.echo(tables_out.dumps(comparison_json(res)))
            return
        if fmt == "csv":
            click.echo(tables_out.csv_text(res["periods"]), nl=False)
            return
        _print_table(res, top)


def _print_table(res: dict[str, pd.DataFrame], top: int) -> None:
    title = "Per period (active actors, partnerships, ties, components, union coverage, cross-border share)"
    click.echo(f"{title}\n{'-' * min(len(title), tables_out.terminal_width())}")
    click.echo(tables_out.render_table(res["periods"].drop(columns=["start", "end"]), ids=("period",)))
    width = tables_out.terminal_width()
    for r in res["changes"].to_dict(orient="records"):
        head = f"{r['from']} -> {r['to']}"
        click.echo(f"\n{head}\n{'-' * len(head)}")
        click.echo(f"  {r['n_entering']:,} entering, {r['n_leaving']:,} leaving, {r['n_persisting']:,} persisting "
                   f"actors; {r['n_ties_formed']:,} ties formed, {r['n_ties_dissolved']:,} dissolved")
        for key in ("entering", "leaving"):
            ids = r[key]
            if ids:
                shown = ", ".join(str(tables_out.clean(x)) for x in ids[:top])
                more = f" ({top} of {len(ids)}; --top {len(ids)} or --format json lists all)" if len(ids) > top else ""
                click.echo("\n".join(_wrap(f"{key}: {shown}{more}", width)))
        rc = res["rank_changes"]
        sel = rc[(rc["from"] == r["from"]) & (rc["to"] == r["to"])]
        for m in ("degree", "betweenness"):
            part = sel[sel["measure"] == m][["id", "name", "rank_from", "rank_to", "change"]]
            click.echo(f"  largest rank changes in {m} (persisting actors; + moved up):")
            click.echo(tables_out.render_table(part.reset_index(drop=True), indent=4))


def _wrap(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width, initial_indent="  ", subsequent_indent="    ", break_long_words=False,
                         break_on_hyphens=False)
