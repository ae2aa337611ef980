"""Funding: flows funder → programme → recipient, totals, concentration and single-funder dependence."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, state, tables

ctx = state.page()
st.title("Funding")
flows = ctx.data("analysis.funding:funding_table")
if flows.empty:
    st.info("No funding is recorded in this store (the funding table of the import is empty).")
    st.stop()
known = flows["amount"].notna()
c = st.columns(4)
c[0].metric("Funding ties", f"{len(flows):,}")
c[1].metric("Funders", f"{flows['funder_id'].nunique():,}")
c[2].metric("Recipients", f"{flows['recipient_id'].nunique():,}")
c[3].metric("Ties with a known amount", f"{known.mean():.0%}")

st.subheader("Flows")
left, right = st.columns([1, 3])
weight = left.radio("Width", ["funding ties", "known amounts"], key="fund_weight",
                    help="Amounts are summed as given, without currency conversion; most ties have no amount.")
top = left.slider("Largest shown per column", 5, 60, 20, key="fund_top")
value = "amount" if weight == "known amounts" else "ties"
sk = flows.assign(ties=1)
if value == "amount":
    sk = sk[known]
if sk.empty:
    right.info("No funding tie has a known amount: show funding ties instead.")
else:
    right.plotly_chart(charts.sankey(sk, ["funder", "programme", "recipient"], value, top=top),
                       config={"displayModeBar": False})

tab_tot, tab_conc, tab_single, tab_all = st.tabs(["Totals", "Concentration", "Single-funder dependence",
                                                  "All funding ties"])
with tab_tot:
    by = st.radio("By", ["funder", "programme", "country", "family"], horizontal=True, key="fund_by",
                  help="country and family are the recipient's; a partnership's funding is split equally over "
                       "its members' countries (families).")
    totals = ctx.data("analysis.funding:funding_totals", by=by)
    label = "name" if by == "funder" else by
    st.plotly_chart(charts.bar(totals.head(25), label, "ties", horizontal=True,
                               height=max(260, 22 * min(len(totals), 25) + 60)), config={"displayModeBar": False})
    tables.table(totals)
    tables.downloads(totals, f"funding-by-{by}", "fund_tot")
with tab_conc:
    conc = ctx.data("analysis.funding:funding_concentration")
    st.caption("Herfindahl–Hirschman index of each funded partnership's funders (1 = one funder); on amounts "
               "when all are known, else on the number of funding ties.")
    tables.table(conc)
    tables.downloads(conc, "funding-concentration", "fund_conc")
with tab_single:
    single = ctx.data("analysis.funding:single_funder_dependence")
    st.caption(f"{len(single):,} funded partnerships depend on one funder.")
    tables.table(single)
    tables.downloads(single, "single-funder", "fund_single")
with tab_all:
    tables.table(flows)
    tables.downloads(flows, "funding", "fund_all")
