"""Network: the actor–actor graph drawn with pyvis; colour, size, filters, ego view, downloads."""

from __future__ import annotations

import streamlit as st

from dashboard import state
from dashboard.network_details import details
from dashboard.network_links import drill_controls, follow_query, offline_download
from dashboard.network_page import MEASURES, NetworkChoice, drawing, selection, weighted_base
from dashboard.pickers import pick_many, pick_one

ctx = state.page()
facets = ctx.facets()
comm = ctx.communities()

st.title("Network")
follow_query(comm, facets)  # ?community=ID / ?actor=ID: open a community or an actor from a link
with st.sidebar:
    st.subheader("View")
    color_by = st.radio("Colour by", ["family", "community"], horizontal=True, key="net_color")
    size_by = st.selectbox("Size by", list(MEASURES), format_func=MEASURES.get, key="net_size")
    st.subheader("Filters")
    countries = st.multiselect("Country", facets["countries"], key="net_countries",
                               format_func=lambda c: c or "European / international")
    families = st.multiselect("Family", facets["families"], key="net_families",
                              format_func=lambda f: f.replace("_", " "))
    parts = pick_many(st, "Partnership", list(facets["partnerships"]), key="net_parts",
                      format_func=lambda p: facets["partnerships"][p])
    programmes = st.multiselect("Programme (funded under)", facets["programmes"], key="net_programmes")
    communities = st.multiselect("Community", sorted(comm.names), key="net_communities",
                                 format_func=lambda c: comm.names[c])
    period = None
    if facets["years"]:
        lo, hi = facets["years"]
        if lo < hi:
            chosen = st.slider("Period (partnerships active)", lo, hi, (lo, hi), key="net_period")
            period = None if chosen == (lo, hi) else chosen
    top = st.slider("Largest communities shown (aggregated view)", 5, 200, 40, step=5, key="net_top")
    min_weight = st.number_input("Minimum tie weight (shared partnerships + links)", 1, 100, 1, key="net_minw",
                                 help="With a tie weight other than count: minimum shared partnerships.")
    tie_weight = st.selectbox("Tie weight", ["count", "newman", "jaccard"], key="net_tie_weight",
                              help="count: shared partnerships + links; newman: Σ 1/(n−1) over shared partnerships "
                              "(large consortia count less); jaccard: shared / all partnerships of the two.")
    use_backbone = st.toggle("Backbone only (disparity filter, α = 0.05)", value=False, key="net_backbone")
    default_hide = bool(parts or programmes or period)
    hide = st.checkbox("Hide actors without ties", value=default_hide, key=f"net_hide_{default_hide}")

choice = NetworkChoice(color_by=color_by, size_by=size_by, countries=tuple(countries), families=tuple(families),
                       partnerships=tuple(parts), programmes=tuple(programmes), communities=tuple(communities),
                       period=period, min_weight=min_weight, hide=hide, tie_weight=tie_weight,
                       backbone=0.05 if use_backbone else None, top=top)
filters = choice.filters()
sel = selection(ctx, choice, comm)
labels = ctx.data("analysis.network_map:view_summary", on=sel)["labels"]  # actor -> (name, country)

c1, c2 = st.columns([3, 1])
ego = pick_one(c1, "Search an actor", sorted(labels, key=lambda n: (labels[n][0].casefold(), n)),
               format_func=lambda n: f"{labels[n][0]} ({labels[n][1] or 'EU/intl'})",
               placeholder="Type a name to see its ego network…", key="net_ego")
hops = c2.radio("Hops", [1, 2], horizontal=True, key="net_hops", disabled=ego is None)

shown = drawing(ctx, choice, comm, sel, ego=ego, hops=hops, actor_names=facets["actors"])
g, page_html, sizes = shown.graph, shown.html, shown.sizes
if use_backbone:
    kept = weighted_base(ctx, choice).value.graph
    st.caption(f"Backbone (disparity filter, α = 0.05): keeps {kept.get('kept', 0):,} of {kept.get('ties', 0):,} "
               f"ties (weight: {tie_weight})."
               + (" With the count weight most ties weigh 1 and few stand out: try newman." if tie_weight == "count"
                  else ""))
if shown.aggregated:
    st.info(shown.note)
else:
    st.caption(shown.note)
drill_controls(shown, comm)

if ego:
    left, right = st.columns([2, 1])
else:
    left, right = st.container(), None
with left:
    st.iframe(page_html, height=720)
if right is not None:
    with right:
        details(ctx, ego, size_label=MEASURES[size_by], size=sizes.get(ego))
offline_download(page_html)


def _shown() -> object:
    from analysis.projection import filter_graph
    from analysis.views import restrict_actors

    return restrict_actors(filter_graph(ctx.graph, filters), list(g.value.nodes))


st.download_button("Download the filtered graph (GEXF)", ctx.export_file("gexf", build=_shown),
                   file_name="partnet-network.gexf", mime="application/gexf+xml", key="net_gexf",
                   help="Actors shown, their partnerships and every relationship among them, for Gephi.")
