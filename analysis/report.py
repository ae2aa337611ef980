"""The HTML brief: a self-contained page of the key findings with plain-language explanations.

No external resource (no script, font, stylesheet or image from elsewhere; a Content Security
Policy forbids them), so the file opens offline and can be mailed as is. Every piece of text
that comes from the data — names, ids, countries, reasons — goes through ``html.escape``.
"""

from __future__ import annotations

import datetime as _dt
import html
import math
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from analysis._tables import with_table_cache
from graph.errors import PartnetError

__all__ = ["REPORT_SECTIONS", "build_report", "write_report"]

#: (anchor, title) of the report's sections, in order.
REPORT_SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", "Key figures"),
    ("network", "The network"),
    ("isolated", "Isolated actors"),
    ("brokers", "Brokers"),
    ("central", "Most connected actors"),
    ("no-union", "Partnerships without a trade union"),
    ("rules", "Composition rules not met"),
    ("funding", "Funding dependence"),
    ("cross-border", "Cross-border ties"),
    ("introductions", "Suggested introductions"),
    ("method", "About the data and the measures"),
)

_EXPLAIN = {
    "network": "Who is tied to whom: each circle an organisation coloured by its family (on a large network, a "
               "community of organisations more tied to each other than to the rest), each line a shared "
               "partnership or an explicit link. Hover a circle for its name.",
    "summary": "The size of the network and the two headline shares: how many partnerships have no trade "
               "union among their members, and how many bring together organisations from more than one "
               "country. European and international bodies (no country) do not make a partnership "
               "cross-border.",
    "isolated": "Organisations that are isolated: no membership in a partnership that has another member, no "
                "link and no funding tie in either direction. They are either outside the network or missing "
                "from the data; either way, no one can reach them through a partner. Funders that belong to no "
                "partnership are not isolated (their money ties them to what they fund): they are listed "
                "separately as funders outside partnerships.",
    "brokers": "Brokers sit on the paths between others. Betweenness is the share of shortest paths between "
               "two actors that pass through this one. An articulation point is an actor whose departure would "
               "split the network into separate parts. Burt's constraint is low when an actor's contacts are "
               "not connected to each other (it bridges 'structural holes') and high when they all know each "
               "other.",
    "central": "Actors with the most direct partners (degree: other organisations they share a partnership or "
               "an explicit link with). Eigenvector centrality and PageRank also give weight to being tied to "
               "well-connected actors.",
    "no-union": "The recommended 'multi-partnership' brings five families to the table: public authorities, "
                "enterprises, trade unions, NGOs and the target public (migrants' own organisations). These "
                "partnerships have members but no trade union. Completeness is the share of the five families "
                "present (1.0 = all five).",
    "rules": "Rules declared as data (analysis/rules.toml, or your own file) say which families a kind of "
             "partnership should include. Each row is a partnership that does not meet one.",
    "funding": "Partnerships whose recorded funding comes from a single funder: if that funder stops, "
               "nothing else is known to carry them. The Herfindahl–Hirschman index (HHI) is the sum of the "
               "squared funder shares: 1 means one funder, 1/n means n equal funders. Shares are taken on "
               "amounts when every amount is known, otherwise on the number of funding ties (column 'basis').",
    "cross-border": "Share of partnerships whose members come from more than one country, per kind of "
                    "partnership, and the countries whose organisations have no tie at all to an organisation "
                    "abroad.",
    "introductions": "Pairs of organisations that are not yet tied but have partners in common, chosen because "
                     "their meeting would close a gap: a trade union for a partnership that has none, a bridge "
                     "between two communities, or a first tie abroad for a country that has none. The score is "
                     "the Adamic–Adar index: the more (and the less busy) the partners they share, the higher. "
                     "A score of 0 means no shared partner — a suggestion by fit only.",
}

_CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1100px;
padding:1.5rem;color:#1d2430;background:#fff}
h1{font-size:1.7rem;margin:0 0 .3rem}h2{font-size:1.25rem;margin:2rem 0 .4rem;border-bottom:2px solid #d8dee9}
p.explain{color:#3b4252;max-width:75ch;margin:.3rem 0 .8rem}
nav ol{columns:2;padding-left:1.2rem}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.4rem 0 1rem}
th,td{border-bottom:1px solid #e5e9f0;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#eceff4}td.num{text-align:right;font-variant-numeric:tabular-nums}
dl.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:.6rem}
dl.figures div{background:#f4f6fa;border-radius:6px;padding:.5rem .7rem}
dl.figures dt{font-size:.8rem;color:#4c566a}dl.figures dd{margin:0;font-size:1.3rem;font-weight:600}
.none{color:#4c566a;font-style:italic}svg text{font:12px system-ui,sans-serif}
svg.net text{font-size:inherit}figure{margin:0}
footer{margin-top:2rem;color:#4c566a;font-size:.85rem}
"""


@with_table_cache
def build_report(
    g: nx.MultiDiGraph,
    *,
    top: int = 10,
    title: str = "partnet brief",
    communities: pd.DataFrame | pd.Series | Mapping | None = None,
    rules: Sequence[Any] | None = None,
    findings: Mapping[str, pd.DataFrame] | None = None,
    introductions: pd.DataFrame | None = None,
    generated: str | None = None,
    include_proposed: bool = False,
    min_members: int = 2,
) -> str:
    """A self-contained HTML brief of the key findings, with plain-language explanations.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    top : int, default 10
        Rows per ranked table.
    title : str
        The page title (escaped like everything else).
    communities : optional
        Actor -> community for the bridge introductions (Louvain with a fixed seed when omitted).
    rules : sequence of `analysis.gaps.Rule` or str, optional
        Composition rules to check (default ``analysis/rules.toml``).
    findings : mapping, optional
        Precomputed `analysis.headline.headline` tables.
    introductions : DataFrame, optional
        Precomputed `analysis.planner.suggest_introductions`.
    generated : str, optional
        The date shown in the header (default: today).
    include_proposed : bool, default False
        Analyse proposed partnerships as working ones (`analysis.status`; listed apart otherwise).
    min_members : int, default 2
        The evidence basis of the composition findings (`analysis.basis`).

    Returns
    -------
    str
        An HTML5 document with the sections of `REPORT_SECTIONS`, inline CSS and inline SVG only.

    Notes
    -----
    Every value drawn from the data is passed through ``html.escape(..., quote=True)``; the page
    declares ``Content-Security-Policy: default-src 'none'`` so that even a missed tag could not
    load or run anything.
    """
    from analysis.basis import basis_words
    from analysis.gaps import check_rules
    from analysis.headline import headline
    from analysis.planner import suggest_introductions
    from analysis.projection import actor_projection
    from analysis.status import analysed_graph

    if top < 1:
        raise PartnetError(f"top = {top}", hint="ask for at least one row per table")
    provenance = _provenance(g)  # the whole data, proposals included: what the store holds
    g = analysed_graph(g, include_proposed=include_proposed)
    proj = actor_projection(g)
    if findings is None:
        findings = headline(g, top=top, projection=proj, communities=communities, include_proposed=include_proposed,
                            min_members=min_members)
    if introductions is None:
        from analysis._tables import default_communities

        comm = communities if communities is not None else default_communities(g, proj)
        gaps = ("union", "bridge", "cross_border") if comm is not None else ("union", "cross_border")
        introductions = suggest_introductions(g, projection=proj, communities=comm, top=top, gaps=gaps)
    violations = check_rules(g, rules, min_members=min_members)
    basis_note = (f"Composition findings (no union, missing families, completeness, rules) count only the "
                  f"{basis_words(min_members)}.")
    generated = generated or _dt.date.today().isoformat()
    figs = findings["figures"]
    fig = dict(zip(figs["figure"], figs["value"], strict=True))

    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; '
        'img-src data:">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<header><h1>{_e(title)}</h1><p>Generated {_e(generated)} by partnet from {_fmt(fig.get('actors'))} "
        f"organisations and {_fmt(fig.get('partnerships'))} partnerships.</p></header>",
        "<nav><h2>Contents</h2><ol>" + "".join(f'<li><a href="#{a}">{_e(t)}</a></li>' for a, t in REPORT_SECTIONS)
        + "</ol></nav>",
    ]
    # -- key figures
    share_nou, share_xb = fig.get("share of partnerships without a trade union"), fig.get("cross-border share")
    body = ['<dl class="figures">']
    for label, value in [
        ("organisations", _fmt(fig.get("actors"))), ("partnerships", _fmt(fig.get("partnerships"))),
        ("countries", _fmt(fig.get("countries"))), ("trade unions", _fmt(fig.get("trade unions"))),
        ("partnerships without a trade union", f"{_fmt(fig.get('partnerships without a trade union'))} "
                                               f"({_pct(share_nou)})"),
        ("cross-border partnerships", f"{_fmt(fig.get('cross-border partnerships'))} ({_pct(share_xb)})"),
        ("isolated organisations", _fmt(fig.get("isolated actors"))),
        ("funders outside partnerships", _fmt(fig.get("funders outside partnerships"))),
        ("funded partnerships with a single funder", _fmt(fig.get("funded partnerships with a single funder"))),
    ]:
        body.append(f"<div><dt>{_e(label)}</dt><dd>{_e(value)}</dd></div>")
    body.append("</dl>")
    body.append("<h3>Organisations per family</h3>")
    body.append(_bar_chart(findings["families"], "family", "actors"))
    parts.append(_section("summary", body))
    parts.append(_section("network", [_network_figure(g, proj, communities)]))
    # -- isolated
    iso_cols = {"id": "id", "name": "name", "family": "family", "country": "country"}
    parts.append(_section("isolated", [
        f"<p>{_e(_fmt(fig.get('isolated actors')))} isolated organisations"
        f"{_shown(findings['isolated'])}.</p>",
        _table(findings["isolated"], iso_cols),
        f"<h3>Funders outside partnerships ({_e(_fmt(fig.get('funders outside partnerships')))})</h3>",
        _table(findings.get("funders_outside"), {**iso_cols, "funds": "funding ties sent"})]))
    # -- brokers
    parts.append(_section("brokers", [_table(findings["brokers"])]))
    parts.append(_section("central", [_table(findings["central"], {
        "name": "name", "family": "family", "country": "country", "degree": "partners (degree)",
        "betweenness": "betweenness", "eigenvector": "eigenvector", "pagerank": "PageRank"})]))
    # -- no union
    gap = findings["union_gap"]
    basis = dict(zip(figs["figure"], figs["basis"], strict=True)) if "basis" in figs.columns else {}
    outside, proposed = findings.get("outside_basis"), findings.get("proposed")
    parts.append(_section("no-union", [
        f"<p>{_e(basis.get('partnerships without a trade union', ''))}. {_e(basis_note)}</p>",
        _table(findings["no_union"], {"partnership_id": "id", "name": "name", "kind": "kind", "members": "members",
                                      "present": "families present", "missing": "families missing",
                                      "completeness": "completeness"}),
        "<h3>Per kind of partnership</h3>",
        _table(gap, {"kind": "kind", "partnerships": "in the basis", "without_union": "without a union",
                     "share": "share"}, pct=("share",)),
        f"<h3>Membership not known well enough: {_e(_fmt(fig.get('membership not known well enough')))}</h3>",
        f'<p class="explain">Left out of the shares above: {_e(basis.get("membership not known well enough", ""))}'
        f"{_shown(outside) if outside is not None else ''}.</p>",
        _table(outside, {"partnership_id": "id", "name": "name", "kind": "kind",
                         "recorded_members": "recorded members", "outside_because": "why"}),
        f"<h3>Proposed partnerships: {_e(_fmt(fig.get('proposed partnerships')))}</h3>",
        f'<p class="explain">{_e(basis.get("proposed partnerships", ""))}.</p>',
        _table(proposed, {"partnership_id": "id", "name": "name", "kind": "kind", "members": "members"}),
        "<h3>Communities without a trade union</h3>",
        '<p class="explain">Communities are groups of organisations more tied to each other than to the rest '
        "(Louvain method). In these, no member is a trade union.</p>",
        _table(findings.get("no_union_communities"), {"community": "community", "actors": "organisations",
                                                      "countries": "countries", "families": "families"}),
    ]))
    parts.append(_section("rules", [_table(violations.head(top * 3), {
        "rule_id": "rule", "partnership_id": "partnership", "name": "name", "missing": "missing", "why": "why"})]))
    # -- funding
    parts.append(_section("funding", [_table(findings["funding_dependence"], {
        "recipient_id": "id", "name": "partnership", "top_funder_name": "funder", "funding_ties": "funding ties",
        "amount": "amount known", "basis": "basis", "hhi": "HHI"})]))
    # -- cross-border
    from analysis.crossborder import countries_without_cross_border

    lonely = countries_without_cross_border(g, proj)
    parts.append(_section("cross-border", [
        f"<p>{_e(_pct(share_xb))} of the partnerships with a known country are cross-border.</p>",
        _table(findings["cross_border"], {"kind": "kind", "partnerships": "partnerships",
                                          "with_country": "with a known country", "cross_border": "cross-border",
                                          "share": "share"}, pct=("share",)),
        "<h3>Countries with organisations but no tie abroad</h3>",
        _table(lonely, {"country": "country", "actors": "organisations", "domestic_ties": "ties inside"}),
    ]))
    # -- introductions
    parts.append(_section("introductions", [_table(introductions, {
        "gap": "gap", "name_a": "introduce", "name_b": "to", "score": "score", "reason": "why"})]))
    # -- method
    method = figs.attrs.get("betweenness_method", "") or "exact"
    notes = [
        "Two organisations are tied when they are members of the same partnership or have an explicit link "
        "(exchange, twinning, cooperation agreement). Funders are tied to what they fund only through funding.",
        f"Betweenness is {method}: exact on networks up to a few thousand organisations, estimated from a "
        "fixed-seed sample of sources above that (the same data always gives the same figures).",
        "Communities are found with the Louvain method (fixed seed).",
        "Absent data is not absence: " + basis_note + " Amounts are summed only where the sources give them.",
        "Proposed partnerships are " + ("analysed as working ones (--include-proposed)." if include_proposed else
                                        "left out of network measures and gap shares, and listed apart."),
    ]
    parts.append(_section("method", ["<ul>" + "".join(f"<li>{_e(n)}</li>" for n in notes) + "</ul>",
                                     *provenance]))
    parts.append("<footer>partnet — partnership network analysis. This page loads nothing from the network."
                 "</footer></body></html>")
    return "\n".join(parts)


def _network_figure(g: nx.MultiDiGraph, proj: nx.Graph, communities: Any) -> str:
    """The network as inline SVG (`analysis.network_svg.network_svg`), communities from Louvain by default."""
    from analysis._tables import community_series, default_communities
    from analysis.network_svg import network_svg

    src = communities if communities is not None else default_communities(g, proj)
    membership = {} if src is None else {k: int(v) for k, v in community_series(src).items() if v == v}
    return f"<figure>{network_svg(proj, membership)}</figure>"


def write_report(g: nx.MultiDiGraph, path: Any, **kw: Any) -> Any:
    """Write `build_report` to ``path`` (UTF-8) and return the path."""
    from pathlib import Path

    path = Path(path)
    if path.is_dir():
        raise PartnetError(f"{path} is a folder", hint="give a file name, e.g. brief.html")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(build_report(g, **kw), encoding="utf-8")
    return path


# ----------------------------------------------------------------------------------------------
def _provenance(g: nx.MultiDiGraph) -> list[str]:
    """The datasets (records per table, as stored: proposals included) and the source documents the
    graph carries (`analysis.export_provenance`), as escaped HTML tables."""
    from analysis.export_provenance import datasets_frame, sources_frame

    datasets, sources = datasets_frame(g), sources_frame(g)
    return ["<h3>Datasets</h3>", _table(datasets) if len(datasets) else
            '<p class="none">The datasets are not known (the graph was not read from a store).</p>',
            "<h3>Sources</h3>", _table(sources, {"dataset": "dataset", "id": "document", "title": "title",
                                                 "file": "file", "description": "description"})]


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _fmt(value: Any) -> str:
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if math.isnan(value):
            return "–"
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.3f}".rstrip("0").rstrip(".")
    return str(value)


def _pct(value: Any) -> str:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return "–"
    return "–" if math.isnan(v) else f"{v:.0%}"


def _shown(df: pd.DataFrame) -> str:
    """", first k shown" when a ranked table was cut (its ``attrs["total"]`` is larger than its length)."""
    total = df.attrs.get("total", len(df))
    return f", first {len(df)} shown" if total > len(df) else ""


def _section(anchor: str, body: Sequence[str]) -> str:
    title = dict(REPORT_SECTIONS)[anchor]
    explain = f'<p class="explain">{_e(_EXPLAIN[anchor])}</p>' if anchor in _EXPLAIN else ""
    return f'<section id="{anchor}"><h2>{_e(title)}</h2>{explain}' + "".join(body) + "</section>"


def _table(df: pd.DataFrame | None, columns: Mapping[str, str] | None = None, *, pct: Sequence[str] = ()) -> str:
    """An HTML table of ``df`` (``columns``: column -> header), every cell escaped."""
    if df is None or df.empty:
        return '<p class="none">None found.</p>'
    columns = dict(columns) if columns is not None else {c: c for c in df.columns}
    columns = {c: h for c, h in columns.items() if c in df.columns}
    head = "".join(f"<th>{_e(h)}</th>" for h in columns.values())
    rows = []
    for rec in df[list(columns)].itertuples(index=False, name=None):
        cells = []
        for c, v in zip(columns, rec, strict=True):
            numeric = isinstance(v, (int, float, np.number)) and not isinstance(v, (bool, np.bool_))
            text = _pct(v) if c in pct else _fmt(v)
            cells.append(f'<td class="num">{_e(text)}</td>' if numeric else f"<td>{_e(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _bar_chart(df: pd.DataFrame, label: str, value: str, *, width: int = 520, bar: int = 18) -> str:
    """A horizontal bar chart as inline SVG (labels escaped)."""
    df = df[df[value] > 0] if not df.empty else df
    if df.empty:
        return '<p class="none">No data.</p>'
    vmax = float(df[value].max())
    left, h = 130, bar + 6
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h * len(df) + 4}" role="img" '
           f'aria-label="{_e(value)} per {_e(label)}">']
    for i, (lab, v) in enumerate(zip(df[label], df[value], strict=True)):
        y = i * h + 2
        w = 0 if vmax == 0 else (width - left - 60) * float(v) / vmax
        out.append(f'<text x="{left - 6}" y="{y + bar - 4}" text-anchor="end">{_e(lab)}</text>'
                   f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar}" fill="#5e81ac"/>'
                   f'<text x="{left + w + 4:.1f}" y="{y + bar - 4}">{_e(_fmt(v))}</text>')
    out.append("</svg>")
    return "".join(out)
