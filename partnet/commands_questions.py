"""``partnet plan``, ``partnet introductions`` and ``partnet funding``: the coordinator's and the funder's
questions on the command line.

Thin wrappers: read the graph, call `analysis.coverage.plan_invites`,
`analysis.introductions.suggest_introductions` or `analysis.portfolio.funding_portfolio`, print
the result as a table, CSV or JSON (`partnet.tables_out`).
"""

from __future__ import annotations

import textwrap

import click
import pandas as pd

from partnet import tables_out

__all__ = ["emit", "register"]


def emit(df: pd.DataFrame, fmt: str, *, title: str = "", footer: tuple[str, ...] = (), meta: dict | None = None,
         rows_key: str = "rows", ids: tuple[str, ...] = (), drop_first: tuple[str, ...] = ()) -> None:
    """Print ``df`` as a titled table with footer lines, as CSV (rows only) or as JSON (``meta`` plus
    the rows under ``rows_key``)."""
    if fmt == "csv":
        click.echo(tables_out.csv_text(df), nl=False)
    elif fmt == "json":
        click.echo(tables_out.dumps({**(meta or {}), rows_key: tables_out.records(df)}))
    elif fmt == "markdown":
        click.echo((f"## {title}\n\n" if title else "") + tables_out.render_markdown(df)
                   + "".join(f"\n\n{line}" for line in footer))
    else:
        if title:
            click.echo(f"{tables_out.clean(title)}\n{'-' * min(len(title), tables_out.terminal_width())}")
        click.echo(tables_out.render_table(df, ids=ids, drop_first=drop_first))
        for line in footer:
            click.echo("\n".join(textwrap.wrap(str(tables_out.clean(line)), tables_out.terminal_width(),
                                               subsequent_indent="  ", break_long_words=False)))


def _format_option(fn):
    return click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
                        show_default=True, help="table (for people), csv or json (for programs).")(fn)


def register(cli: click.Group) -> None:
    """Add ``plan``, ``introductions`` and ``funding`` to the ``partnet`` command group."""
    from partnet.cli import friendly_errors, store_options
    from partnet.commands_analysis import _empty_notice, _read_graph, proposed_option, read_analysed

    @cli.command("plan")
    @click.option("--seats", type=int, default=None,
                  help="At most this many invitees (the list covering the most groups). Default: the fewest "
                  "invitees covering every group.")
    @click.option("--cover", default="families,countries", show_default=True,
                  help="Groups to put in the room, comma-separated: families, countries, communities, partnerships.")
    @click.option("--must", multiple=True, metavar="ID", help="Actor always invited (repeat for several).")
    @click.option("--exclude", multiple=True, metavar="ID", help="Actor never invited (repeat for several).")
    @click.option("--time-limit", type=float, default=10.0, show_default=True,
                  help="Seconds for the exact solver; when reached, the greedy list is given with its bound.")
    @proposed_option
    @_format_option
    @store_options
    @friendly_errors
    def plan(seats: int | None, cover: str, must: tuple[str, ...], exclude: tuple[str, ...], time_limit: float,
             include_proposed: bool, fmt: str, store_kind: str | None, db_path: str | None) -> None:
        """Whom to invite so that every family and country (or community, partnership) is in the room.

        With --seats N: the at most N actors that cover the most groups (maximum coverage); without
        it: the fewest actors that cover every group (set cover). Solved exactly as an integer
        programme (HiGHS); ties go to the better-connected actors.
        """
        from analysis.coverage import plan_invites

        if seats is not None and seats < 1:
            raise _bad(f"--seats {seats}: a meeting needs at least one seat", "give --seats 1 or more")
        g = read_analysed(store_kind, db_path, include_proposed)
        if _empty_notice(g):
            return
        if g.number_of_nodes() > 5000 and fmt == "table":
            click.echo(f"solving the invite list (time limit {time_limit:g} s)…", err=True)
        df = plan_invites(g, cover, seats=seats, must=must, exclude=exclude, time_limit=time_limit)
        a = df.attrs
        how = ("exact: integer programme solved to optimality (HiGHS)" if a["method"] == "exact"
               else f"greedy: the exact solver reached its {time_limit:g} s time limit; {a['bound']}")
        goal = f"at most {seats} seats" if seats else "fewest invitees covering every group"
        total = f"covers {a['covered']} of {a['groups']} groups with {len(df)} invitee{'s' if len(df) != 1 else ''}"
        footer = [f"Total: {total} ({', '.join(a['cover'])}; {goal}).", f"Method: {how}."]
        if a["uncoverable"]:
            footer.append(f"No allowed actor brings: {', '.join(a['uncoverable'])}.")
        meta = {"method": a["method"], "optimal": a["optimal"], "bound": a["bound"] or None, "seats": seats,
                "cover": a["cover"], "groups": a["groups"], "covered": a["covered"],
                "uncoverable": a["uncoverable"]}
        emit(df, fmt, title=f"Invite list ({goal})", footer=tuple(footer), meta=meta, rows_key="invitees",
             ids=("actor_id",), drop_first=("must_invite", "degree", "new_groups", "order", "family", "country"))

    @cli.command("introductions")
    @click.option("--partnership", "partnership", default=None, metavar="ID",
                  help="Only the introductions for this partnership (its gap, or one of its members).")
    @click.option("--top", type=int, default=10, show_default=True, help="Suggestions per gap.")
    @click.option("--cross-border", is_flag=True, default=False,
                  help="Let a union from another country be proposed for a local, regional or national "
                       "partnership (by default only unions of its own country).")
    @proposed_option
    @_format_option
    @store_options
    @friendly_errors
    def introductions(partnership: str | None, top: int, cross_border: bool, include_proposed: bool, fmt: str,
                      store_kind: str | None, db_path: str | None) -> None:
        """Pairs of actors who should meet, and why: a union for a union-less partnership, a bridge
        between communities, a first cross-border tie (the same suggestions as the report)."""
        from analysis._tables import memberships_frame
        from analysis.introductions import suggest_introductions

        if top < 1:
            raise _bad(f"--top {top}", "ask for at least one suggestion, e.g. --top 10")
        g = _read_graph(store_kind, db_path)
        if _empty_notice(g):
            return
        if partnership is not None and g.nodes.get(partnership, {}).get("label") != "Partnership":
            raise _bad(f"partnership {partnership!r} is not in the data",
                       "give a partnership id as `partnet export` or the partnerships table lists it")
        from analysis.status import analysed_graph

        g = analysed_graph(g, include_proposed=include_proposed)
        df = suggest_introductions(g, top=top if partnership is None else 10**6, cross_border=cross_border)
        shown_of = len(df)
        if partnership is not None:
            mem = memberships_frame(g)
            members = set(mem.loc[mem["partnership_id"] == partnership, "actor_id"].tolist())
            keep = (df["context"] == partnership) | df["actor_a"].isin(members) | df["actor_b"].isin(members)
            df = df[keep].groupby("gap", sort=False).head(top).reset_index(drop=True)
            shown_of = int(keep.sum())
        footer = (f"{len(df)} suggestion{'s' if len(df) != 1 else ''} (at most {top} per gap; --top N shows more)"
                  + (f", of {shown_of} for {partnership}" if partnership else "") + ".",)
        title = "Suggested introductions" + (f" for {partnership}" if partnership else "")
        if fmt == "table":  # one paragraph per pair: the ids in full, then the reason
            click.echo(f"{title}\n{'-' * len(title)}")
            click.echo(_paragraphs(df) or "  (none)")
            click.echo(footer[0])
            return
        emit(df, fmt, title=title, footer=footer, meta={"partnership": partnership, "top": top},
             rows_key="introductions")

    @cli.command("funding")
    @click.option("--by", type=click.Choice(["funder", "programme", "country", "recipient"]), default="funder",
                  show_default=True,
                  help="Group the funding ties by funder, programme, recipient country or recipient.")
    @_format_option
    @store_options
    @friendly_errors
    def funding(by: str, fmt: str, store_kind: str | None, db_path: str | None) -> None:
        """Who funds whom: funding ties and known amounts per currency for each group, the share of
        ties with an unknown amount, and for recipients their funders' concentration (HHI)."""
        from analysis.portfolio import funding_portfolio

        g = _read_graph(store_kind, db_path)
        if _empty_notice(g):
            return
        df = funding_portfolio(g, by)
        t = df.attrs["totals"]
        amounts = "; ".join(f"{c} {v:,.2f}" for c, v in t["amounts"].items()) or "none known"
        footer = [f"Total: {t['ties']:,} funding ties, {t['ties_unknown_amount']:,} of them "
                  f"({t['unknown_amount_share']:.0%}) without a known amount; known amounts: {amounts} "
                  "(never converted between currencies)."]
        if by == "country":
            footer.append("A tie to a partnership is split equally between its members' countries, "
                          "so ties count once per country reached.")
        if by == "recipient":
            footer.append("hhi: Herfindahl–Hirschman index of the funders' shares (1 = a single funder); "
                          "basis says whether shares are of amounts or of tie counts.")
        emit(df, fmt, title=f"Funding by {by}", footer=tuple(footer),
             meta={"by": by, "currencies": df.attrs["currencies"], "totals": t}, rows_key="groups", ids=(by,),
             drop_first=("basis", "top_funder", "counterparts", "name"))


def _paragraphs(df: pd.DataFrame) -> str:
    import textwrap

    width, c = tables_out.terminal_width(), tables_out.clean
    out = []
    for i, r in enumerate(df.itertuples(index=False), start=1):
        head = f"{i}. [{c(r.gap)}: {c(r.context)}] {c(r.actor_a)} + {c(r.actor_b)} (score {r.score:.3f}, {c(r.method)})"
        out += textwrap.wrap(head, width, initial_indent="  ", subsequent_indent="     ", break_long_words=False,
                             break_on_hyphens=False)
        out += textwrap.wrap(str(c(r.reason)), width, initial_indent="     ", subsequent_indent="     ")
    return "\n".join(out)


def _bad(message: str, hint: str):
    from graph.errors import PartnetError

    return PartnetError(message, hint=hint)
