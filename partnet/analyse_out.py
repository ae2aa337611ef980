"""The sections of ``partnet analyse`` and their renderings: terminal tables, JSON, CSV folder, Markdown.

The findings come from `analysis.headline` and the composition rules from `analysis.gaps.check_rules`;
this module only selects, titles and formats them (`partnet.tables_out`).
"""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from partnet import tables_out

__all__ = ["RANKED", "SECTIONS", "build_sections", "emit_sections"]

#: Section name -> title, in display order (the headline tables, then the composition rules).
SECTIONS: dict[str, str] = {
    "figures": "Key figures",
    "families": "Actors per family",
    "countries": "Countries (actors, trade unions, partnerships, cross-border ties)",
    "union_gap": "Partnerships without a trade union, per kind",
    "cross_border": "Cross-border partnerships (members from more than one country), per kind",
    "central": "Most connected actors (degree = number of direct partners)",
    "brokers": "Top brokers (betweenness; articulation point = its departure splits the network)",
    "isolated": "Isolated actors (no partnership with another member, no link, no funding tie)",
    "funders_outside": "Funders outside partnerships (fund others, member of none; not isolated)",
    "no_union": "Partnerships without a trade union (largest first; evidence basis only)",
    "outside_basis": "Membership not known well enough (left out of composition findings)",
    "proposed": "Proposed partnerships",
    "funding_dependence": "Funded partnerships that depend on a single funder",
    "no_union_communities": "Communities (Louvain) without a trade union",
    "rules": "Composition rules not met (which partnerships break each rule)",
}
#: Sections cut to ``--top`` rows.
RANKED = ("central", "brokers", "isolated", "funders_outside", "no_union", "outside_basis", "funding_dependence",
          "no_union_communities")
#: Columns left out first when a terminal is too narrow.
_DROP_FIRST = ("eigenvector", "pagerank", "weighted_degree", "constraint", "effective_size", "dependents", "type",
               "scope", "city", "basis", "top_funder", "top_funder_name", "why", "kind", "members")


def build_sections(g, names: list[str], *, top: int, rules, include_proposed: bool = False,
                   min_members: int = 2, projection=None) -> dict[str, pd.DataFrame]:
    """The frames of the sections ``names`` (headline tables and rules), each with ``attrs`` ``shown``,
    ``total`` and ``note`` (the note states the basis of composition findings and whether proposed
    partnerships were analysed). ``projection``: the actor graph to use (e.g. re-weighted by
    `analysis.tie_weights`), else the projection of the analysed graph."""
    from analysis.basis import basis_words
    from analysis.gaps import check_rules
    from analysis.headline import headline
    from analysis.status import analysed_graph

    out: dict[str, pd.DataFrame] = {}
    findings = (headline(g, top=top, include_proposed=include_proposed, min_members=min_members,
                         projection=projection)
                if set(names) - {"rules"} else {})
    for name in names:
        if name == "rules":
            violations = check_rules(analysed_graph(g, include_proposed=include_proposed), rules,
                                     min_members=min_members)
            df = _rules_table(violations)
            df.attrs["basis"] = basis_words(min_members)
        else:
            df = findings[name]
        attrs = dict(df.attrs)
        note = attrs.get("note") or ""
        if name == "brokers" and attrs.get("betweenness_method"):
            note = f"betweenness: {attrs['betweenness_method']}" + (f"; {note}" if note else "")
        if attrs.get("basis") and name in ("no_union", "outside_basis", "union_gap", "rules"):
            note = f"basis: {attrs['basis']}" + (f"; {note}" if note else "")
        if name == "proposed":
            note = ("included in every measure (--include-proposed)" if attrs.get("included") else
                    "left out of network measures and gap shares (--include-proposed brings them in)")
        df = df.copy()
        df.attrs = {"shown": len(df), "total": int(attrs.get("total", len(df))), "note": note}
        out[name] = df
    return out


def _rules_table(violations: pd.DataFrame) -> pd.DataFrame:
    cols = ["rule_id", "rule", "partnerships", "partnership_ids"]
    if violations.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    grouped = violations.groupby(["rule_id", "rule"], sort=False)["partnership_id"]
    out = grouped.agg(lambda s: sorted(set(s))).rename("partnership_ids").reset_index()
    out.insert(2, "partnerships", out["partnership_ids"].map(len).astype("int64"))
    return out[cols]


def _rules_text(df: pd.DataFrame) -> str:
    """Each broken rule as a paragraph: its id, how many partnerships break it, the rule, their ids."""
    import textwrap

    width = tables_out.terminal_width()
    out = []
    for r in df.itertuples(index=False):
        head = f"{tables_out.clean(r.rule_id)}: {r.partnerships:,} partnership{'s' if r.partnerships != 1 else ''}" \
               f" {'break' if r.partnerships != 1 else 'breaks'} “{tables_out.clean(r.rule)}”:"
        out += textwrap.wrap(head, width, initial_indent="  ", subsequent_indent="    ", break_long_words=False)
        out += textwrap.wrap(", ".join(str(tables_out.clean(x)) for x in r.partnership_ids), width,
                             initial_indent="    ", subsequent_indent="    ", break_long_words=False,
                             break_on_hyphens=False)
    return "\n".join(out)


def _figures_shown(df: pd.DataFrame) -> pd.DataFrame:
    def fmt(name: str, v: object) -> str:
        if isinstance(v, float):
            if v != v:
                return "–"
            return f"{v:.0%}" if "share" in name else (f"{v:,.0f}" if v.is_integer() else f"{v:,.3f}")
        return f"{v:,}" if isinstance(v, int) else str(v)

    out = pd.DataFrame({"figure": df["figure"], "value": [fmt(f, v) for f, v in zip(df["figure"], df["value"],
                                                                                      strict=True)]})
    if "basis" in df.columns:
        out["basis"] = df["basis"].fillna("").astype(str).to_numpy()
    return out


def _count_line(name: str, df: pd.DataFrame, top: int) -> str:
    shown, total = df.attrs["shown"], df.attrs["total"]
    if name not in RANKED:
        return ""
    more = f"; --top {total} shows all" if total > shown else ""
    return f"{shown:,} of {total:,}{more}"


def emit_sections(sections: dict[str, pd.DataFrame], fmt: str, *, top: int, out: str | None) -> None:
    """Print (or write) the sections in format ``fmt`` (table, json, csv into folder ``out``, markdown)."""
    from graph.errors import PartnetError

    if fmt == "json":
        doc = {"top": top, "sections": {
            name: {"title": SECTIONS[name], "shown": df.attrs["shown"], "total": df.attrs["total"],
                   "ranked": name in RANKED, "note": df.attrs["note"] or None,
                   "columns": [str(c) for c in df.columns], "rows": tables_out.records(df)}
            for name, df in sections.items()}}
        _write(tables_out.dumps(doc), out)
        return
    if fmt == "csv":
        if not out:
            raise PartnetError("--format csv writes one file per section into a folder",
                               hint="give the folder with --out, e.g. --out findings/")
        for p in tables_out.write_csv_tables(sections, out):
            click.echo(f"wrote {p}")
        return
    blocks = []
    for name, df in sections.items():
        shown = _figures_shown(df) if name == "figures" else df
        count = _count_line(name, df, top)
        lines = [count] if count else []
        if df.attrs["note"]:
            lines.append(f"({df.attrs['note']})")
        if fmt == "markdown":
            body = tables_out.render_markdown(shown)
            blocks.append(f"## {SECTIONS[name]}\n\n{body}" + "".join(f"\n\n{x}" for x in lines))
        else:
            title = SECTIONS[name]
            if name == "figures":
                w = max((len(str(f)) for f in shown["figure"]), default=0) + 1
                bases = shown["basis"] if "basis" in shown.columns else [""] * len(shown)
                body = "\n".join(tables_out.wrap_line(f"  {str(f) + ':':<{w}} {v}" + (f"  ({tables_out.clean(b)})"
                                                                                     if b else ""), w + 4)
                                 for f, v, b in zip(shown["figure"], shown["value"], bases, strict=True))
            elif name == "rules" and not df.empty:
                body = _rules_text(df)
            else:
                body = tables_out.render_table(shown, drop_first=_DROP_FIRST, ids=("community", "country"))
            blocks.append(f"{title}\n{'-' * min(len(title), tables_out.terminal_width())}\n{body}"
                          + "".join(f"\n  {x}" for x in lines))
    _write("\n\n".join(blocks), out)


def _write(text: str, out: str | None) -> None:
    if out:
        p = Path(out)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text + "\n", encoding="utf-8")
        click.echo(f"wrote {p}")
    else:
        click.echo(text)
