"""``partnet analyse``, ``partnet export`` and ``partnet report``: the analysis stage on the command line.

Thin wrappers: read the graph from the store, call `analysis.headline`, `analysis.export` or
`analysis.report`, print or write the result.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pandas as pd

from analysis.memo import share

__all__ = ["format_findings", "register"]

#: Characters never echoed to a terminal: C0/C1 controls (escape sequences) and bidi overrides.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")

_TITLES = {
    "figures": "Key figures",
    "families": "Actors per family",
    "countries": "Countries (actors, trade unions, partnerships, cross-border ties)",
    "union_gap": "Partnerships without a trade union, per kind",
    "cross_border": "Cross-border partnerships (members from more than one country), per kind",
    "central": "Most connected actors (degree = number of direct partners)",
    "brokers": "Top brokers (betweenness; articulation point = its departure splits the network)",
    "isolated": "Isolated actors (no partnership, no tie)",
    "no_union": "Partnerships without a trade union (largest first)",
    "funding_dependence": "Funded partnerships that depend on a single funder",
    "no_union_communities": "Communities (Louvain) without a trade union",
}


def _clean(value: object) -> object:
    if isinstance(value, str):
        return _UNPRINTABLE.sub("\ufffd", value.replace("\n", " ").replace("\r", " ").replace("\t", " "))
    return value


def _fmt_float(x: float) -> str:
    if x != x:  # NaN
        return "–"
    if float(x).is_integer() and abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.3f}"


def _figure(name: str, value: object) -> str:
    if isinstance(value, float):
        if value != value:
            return "–"
        if "share" in name:
            return f"{value:.0%}"
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.3f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def format_table(df: pd.DataFrame, *, max_width: int = 40) -> str:
    """A plain-text, aligned rendering of ``df`` (no index; control characters and long text cut)."""
    if df.empty:
        return "  (none)"
    shown = df.copy()
    for c in shown.columns:
        if not pd.api.types.is_numeric_dtype(shown[c]) or pd.api.types.is_bool_dtype(shown[c]):
            shown[c] = shown[c].astype(object).map(_clean).map(
                lambda v: v if not isinstance(v, str) or len(v) <= max_width else v[: max_width - 1] + "…")
    text = shown.to_string(index=False, float_format=_fmt_float, na_rep="–")
    return "\n".join("  " + line for line in text.splitlines())


def format_findings(findings: dict[str, pd.DataFrame]) -> str:
    """The headline tables as readable text, one titled block each."""
    blocks = []
    for key, df in findings.items():
        title = _TITLES.get(key, key)
        if key == "figures":
            width = max((len(str(f)) for f in df["figure"]), default=0) + 1
            lines = [f"  {str(f) + ':':<{width}} {_figure(f, v)}" for f, v in zip(df["figure"], df["value"],
                                                                                   strict=True)]
            blocks.append(f"{title}\n{'-' * len(title)}\n" + "\n".join(lines))
            continue
        blocks.append(f"{title}\n{'-' * len(title)}\n{format_table(df)}")
        if key == "brokers" and df.attrs.get("betweenness_method"):
            blocks[-1] += f"\n  (betweenness: {df.attrs['betweenness_method']})"
        if df.attrs.get("note"):
            blocks[-1] += f"\n  ({df.attrs['note']})"
    return "\n\n".join(blocks)


def _read_graph(store_kind: str | None, db_path: str | None):
    from graph.backends import open_store

    with open_store(store_kind, path=db_path, read_only=True) as st:
        return share(st.read_graph())  # read-only from here: analyses share its projection and tables


def _empty_notice(g) -> bool:
    if g.number_of_nodes() == 0:
        click.echo("The store is empty: load data first, e.g. `partnet ingest data/seed`.", err=True)
        return True
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
    @store_options
    @friendly_errors
    def analyse(top: int, sections: tuple[str, ...], fmt: str, out: str | None, rules_path: str | None,
                store_kind: str | None, db_path: str | None) -> None:
        """Print the headline findings: families and countries, partnerships without a trade union,
        cross-border share, the most connected actors, brokers, isolated actors, funding dependence
        and the partnerships that break each composition rule."""
        from analysis.gaps import default_rules, load_rules
        from graph.errors import PartnetError
        from partnet.analyse_out import build_sections, emit_sections

        unknown = [s for s in sections if s not in SECTIONS]
        if unknown:
            raise PartnetError(f"unknown section {unknown[0]!r}", hint=f"choose among {', '.join(SECTIONS)}")
        rules = load_rules(rules_path) if rules_path else default_rules()  # fail fast on a bad rule file
        g = _read_graph(store_kind, db_path)
        if _empty_notice(g):
            return
        if g.number_of_nodes() > 5000:
            click.echo(f"analysing {g.number_of_nodes():,} nodes…", err=True)
        names = list(dict.fromkeys(sections)) or list(SECTIONS)
        emit_sections(build_sections(g, names, top=top, rules=rules), fmt, top=top, out=out)

    @cli.command("export")
    @click.option("--format", "fmt", type=click.Choice(["gexf", "graphml", "csv", "xlsx"]), required=True,
                  help="gexf (Gephi), graphml, csv (a folder of tables) or xlsx (one workbook).")
    @click.option("--graph", "kind", type=click.Choice(["full", "actors"]), default="full", show_default=True,
                  help="For gexf/graphml: the whole graph (actors and partnerships) or the actor–actor network.")
    @click.argument("out", type=click.Path())
    @store_options
    @friendly_errors
    def export_cmd(fmt: str, kind: str, out: str, store_kind: str | None, db_path: str | None) -> None:
        """Export the graph with families, centralities and communities to OUT.

        GEXF opens in Gephi; CSV writes a folder (the import-format tables plus actor_metrics.csv
        and partnership_gaps.csv); XLSX one workbook with the same tables. Spreadsheet cells that
        would run as formulas are written as text (a leading apostrophe).
        """
        from analysis.export import export

        g = _read_graph(store_kind, db_path)
        kw = {"kind": kind} if fmt in ("gexf", "graphml") else {}
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
    @store_options
    @friendly_errors
    def report(out: str, top: int, title: str, rules_path: str | None, store_kind: str | None,
               db_path: str | None) -> None:
        """Write a self-contained HTML brief of the key findings to OUT (opens offline, loads nothing)."""
        from analysis.gaps import load_rules
        from analysis.report import write_report

        rules = load_rules(rules_path) if rules_path else None
        g = _read_graph(store_kind, db_path)
        path = write_report(g, out, top=top, title=title, rules=rules)
        click.echo(f"wrote {path}")
