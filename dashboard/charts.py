"""Chart builders shared by the pages (plotly figures from analysis frames; every label escaped)."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

__all__ = ["bar", "sankey"]

_PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948", "#9c755f")


def _esc(text: object) -> str:
    return html.escape(str(text), quote=False)


def sankey(flows: pd.DataFrame, levels: list[str], value: str, *, top: int = 25, other: str = "other") -> go.Figure:
    """A Sankey diagram of ``flows`` through the columns ``levels`` (e.g. funder → programme → recipient).

    ``value`` is summed per pair of adjacent levels. In each level only the ``top`` largest values are
    kept; the rest are merged into one ``other`` node, so the diagram stays legible.
    """
    df = flows[[*levels, value]].copy()
    df[value] = pd.to_numeric(df[value], errors="coerce").fillna(0.0)
    for lvl in levels:
        df[lvl] = df[lvl].astype(str).replace("", "(none)")
        totals = df.groupby(lvl)[value].sum().sort_values(ascending=False)
        keep = set(totals.index[:top])
        df[lvl] = df[lvl].where(df[lvl].isin(keep), f"{other} ({lvl})")
    labels: list[str] = []
    index: dict[tuple[int, str], int] = {}
    src, dst, val, colour = [], [], [], []
    for i, (a, b) in enumerate(zip(levels, levels[1:], strict=False)):
        agg = df.groupby([a, b], as_index=False)[value].sum()
        agg = agg[agg[value] > 0]
        for x, y, v in agg.itertuples(index=False, name=None):
            for lvl, name in ((i, x), (i + 1, y)):
                if (lvl, name) not in index:
                    index[(lvl, name)] = len(labels)
                    labels.append(name)
            src.append(index[(i, x)])
            dst.append(index[(i + 1, y)])
            val.append(float(v))
            colour.append(_PALETTE[index[(i, x)] % len(_PALETTE)] + "55")
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        node=dict(label=[_esc(t[:50]) for t in labels], pad=8, thickness=14,
                  color=[_PALETTE[k % len(_PALETTE)] for k in range(len(labels))]),
        link=dict(source=src, target=dst, value=val, color=colour)))
    fig.update_layout(height=max(420, 16 * len(labels)), margin=dict(l=10, r=10, t=10, b=10))
    return fig


def bar(df: pd.DataFrame, x: str, y: str, *, colour: str = "#4e79a7", height: int = 320,
        horizontal: bool = False) -> go.Figure:
    """A plain bar chart of column ``y`` against ``x`` (labels escaped)."""
    xs = [_esc(v) for v in df[x]]
    if horizontal:
        fig = go.Figure(go.Bar(y=xs, x=df[y], orientation="h", marker_color=colour))
        fig.update_layout(yaxis=dict(autorange="reversed"))
    else:
        fig = go.Figure(go.Bar(x=xs, y=df[y], marker_color=colour))
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=10, b=10))
    return fig
