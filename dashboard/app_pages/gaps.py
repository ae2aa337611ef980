"""Gaps: which families each partnership lacks, where no trade union is involved, rule violations."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from dashboard import state, tables
from graph.model import FIVE_FAMILIES

ctx = state.page()
st.title("Gaps")
st.caption("The multi-partnership ideal brings five families together: authorities, enterprises, trade unions, "
           "NGOs and the migrants themselves (target public). Only direct members count.")
min_members = int(st.number_input(
    "Evidence basis: at least this many recorded members", min_value=1, max_value=20, value=2, step=1,
    key="gaps_min_members", help="Composition findings count only partnerships with at least this many recorded "
                                 "members, or whose member list is declared complete."))
presence = ctx.data("analysis.gaps:family_presence")
basis = ctx.data("analysis.basis:evidence_basis", min_members=min_members)
no_union = ctx.data("analysis.gaps:partnerships_without_union", min_members=min_members)
outside = ctx.data("analysis.basis:outside_basis", min_members=min_members)
proposed = ctx.data("analysis.status:proposed_partnerships")
in_basis = presence[basis["in_basis"].to_numpy()]
n_basis = len(in_basis)
st.info(f"{len(no_union):,} of {n_basis:,} {no_union.attrs.get('basis', 'partnerships')} have no trade union"
        f"{f' ({len(no_union) / n_basis:.0%})' if n_basis else ''}. Membership not known well enough: "
        f"{len(outside):,} partnerships (listed under 'Outside the basis'). Proposed partnerships "
        f"{'included' if ctx.include_proposed else 'left out'}: {len(proposed):,}.")
c = st.columns(4)
c[0].metric("Partnerships without a union", f"{len(no_union):,}", help=f"of {n_basis:,} in the evidence basis")
c[1].metric("Share without a union", f"{len(no_union) / n_basis:.0%}" if n_basis else "—",
            help=f"of {n_basis:,} {no_union.attrs.get('basis', '')}")
c[2].metric("Mean completeness", f"{in_basis['completeness'].mean():.0%}" if n_basis else "—",
            help="over the partnerships in the evidence basis")
c[3].metric("Complete (all five)", f"{int((in_basis['n_present'] == len(FIVE_FAMILIES)).sum()):,}",
            help="partnerships in the evidence basis with all five families")

tab_matrix, tab_union, tab_outside, tab_dist, tab_rules = st.tabs(
    ["Partnership × family", "No trade union", "Outside the basis", "Distance to a union", "Rule violations"])
with tab_matrix:
    kinds = sorted(presence["kind"].unique())
    pick = st.multiselect("Kind", kinds, key="gaps_kinds")
    m = in_basis
    if pick:
        m = m[m["kind"].isin(pick)]
    m = m.sort_values(["completeness", "name"], ascending=[True, True]).head(150)
    st.caption(f"{len(m):,} partnerships of the evidence basis (least complete first, at most 150). A dark cell: "
               "the family is present; a light cell: absent. Hover for the number of members of the family.")
    if len(m):
        counts = m[list(FIVE_FAMILIES)].to_numpy()
        fig = go.Figure(go.Heatmap(
            z=(counts > 0).astype(int), customdata=counts, x=[f.replace("_", " ") for f in FIVE_FAMILIES],
            y=[state.plain(n[:60]) for n in m["name"].astype(str)], zmin=0, zmax=1, xgap=2, ygap=1,
            colorscale=[[0, "#f1f3f6"], [0.5, "#f1f3f6"], [0.5, "#2f6db5"], [1, "#2f6db5"]], hoverongaps=False,
            colorbar=dict(tickvals=[0.25, 0.75], ticktext=["absent", "present"], len=0.3),
            hovertemplate="%{y}<br>%{x}: %{customdata} member(s)<extra></extra>"))
        fig.update_layout(height=max(300, 18 * len(m) + 80), margin=dict(l=10, r=10, t=10, b=10),
                          yaxis=dict(autorange="reversed"))
        st.plotly_chart(fig, config={"displayModeBar": False})
    tables.table(presence)
    tables.downloads(presence, "family-presence", "gaps_presence")
with tab_union:
    st.subheader("Partnerships with no trade union")
    tables.table(no_union)
    tables.downloads(no_union, "partnerships-without-union", "gaps_nounion")
    st.subheader("Funded partnerships with no trade union")
    funded = ctx.data("analysis.gaps:funded_without_union", min_members=min_members)
    tables.table(funded)
    st.subheader("Countries with actors but no trade union")
    tables.table(ctx.data("analysis.gaps:countries_without_union"))
    comm = ctx.communities()
    if comm.membership.value:
        st.subheader("Communities with no trade union")
        st.caption("Communities of one actor are left out.")
        tables.table(ctx.data("analysis.gaps:communities_without_union", communities=comm.membership))
with tab_outside:
    st.subheader(f"Membership not known well enough: {len(outside):,}")
    st.caption(f"Left out of every composition finding: the basis is {no_union.attrs.get('basis', '')}.")
    tables.table(outside)
    st.subheader(f"Proposed partnerships: {len(proposed):,}")
    st.caption("Included in every measure (sidebar toggle)." if ctx.include_proposed else
               "Left out of network measures and gap shares; the sidebar toggle brings them in.")
    tables.table(proposed)
with tab_dist:
    dist = ctx.data("analysis.gaps:distance_to_union", projection=ctx.projection)
    counts = dist["distance"].astype("Float64").fillna(-1).astype(int).value_counts().sort_index()
    labels = ["unreachable" if k < 0 else str(k) for k in counts.index]
    fig = go.Figure(go.Bar(x=labels, y=counts.to_numpy(), marker_color="#e15759"))
    fig.update_layout(height=280, margin=dict(l=10, r=10, t=10, b=10), xaxis_title="hops to the nearest union",
                      yaxis_title="actors")
    st.plotly_chart(fig, config={"displayModeBar": False})
    shown = tables.filter_frame(dist, "gaps_dist", {"family": "Family", "country": "Country"})
    tables.table(shown)
    tables.downloads(shown, "distance-to-union", "gaps_dist_dl")
with tab_rules:
    rules = ctx.data("analysis.gaps:check_rules", min_members=min_members)
    st.caption(f"{len(rules):,} violations of the composition rules (analysis/rules.toml) among the "
               f"{no_union.attrs.get('basis', 'partnerships')}")
    tables.table(rules)
    tables.downloads(rules, "rule-violations", "gaps_rules")
