"""Change over time: per-period figures, who entered and left, and the network of each period side by side."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from dashboard import state, tables
from dashboard.limits import PERIOD_ACTORS_DRAWN as MAX_DRAWN
from dashboard.limits import PERIOD_TIES_DRAWN as MAX_TIES

ctx = state.page()
st.title("Change over time")
st.caption("An actor is active in a period when it is a member of a partnership whose years overlap the period "
           "(end year defaulting to the start year; a partnership without start year belongs to no period), an end "
           "of a link dated in it, or the funder or recipient of a funding tie whose years overlap it. "
           "The same figures as `partnet compare`.")

c1, c2 = st.columns([1, 3])
width = int(c1.number_input("Years per period", 1, 50, 5, key="chg_width"))
choices = [f"{lo}-{hi}" for lo, hi in ctx.data("analysis.change:periods_every", width=width)]
if len(choices) < 2:
    st.info("Fewer than two periods hold dated data: choose shorter periods, or add start years and link years.")
    st.stop()
chosen = c2.multiselect("Periods to compare (in time order)", choices, default=choices, key="chg_periods")
chosen = sorted(chosen)
if len(chosen) < 2:
    st.info("Choose at least two periods.")
    st.stop()
periods = tuple(tuple(int(x) for x in p.split("-")) for p in chosen)
res = ctx.shared("analysis.change:compare_periods", periods=periods)

st.subheader("Per period")
tables.table(res["periods"])
tables.downloads(res["periods"], "periods", "chg_periods_dl")

st.subheader("Between consecutive periods")
counts = res["changes"][["from", "to", "n_entering", "n_leaving", "n_persisting", "n_ties_formed",
                         "n_ties_dissolved"]]
tables.table(counts)
changes = res["changes"].to_dict(orient="records")
step = st.selectbox("Who entered, left and stayed between", range(len(changes)), key="chg_step",
                    format_func=lambda i: f"{changes[i]['from']} → {changes[i]['to']}")
if step is not None:  # one step at a time: at programme size each list holds thousands of actors
    r = changes[step]
    names = dict(zip(res["names"]["id"], res["names"]["name"], strict=True))
    people = pd.DataFrame([(k, a, names.get(a, a)) for k in ("entering", "leaving", "persisting") for a in r[k]],
                          columns=["status", "id", "name"])
    tables.table(people)
    tables.downloads(people, f"who-changed-{r['from']}-{r['to']}", "chg_people_dl")
rc = res["rank_changes"]
if not rc.empty:
    st.caption("Largest rank changes among persisting actors (positive: moved up).")
    tables.table(rc)


st.subheader("The network in each period")
drawing = ctx.shared("analysis.change:period_drawing", periods=periods, max_actors=MAX_DRAWN, max_ties=MAX_TIES)
layout, acts, ties = drawing["layout"], drawing["actors"], drawing["ties"]
pos = dict(zip(layout["id"], zip(layout["x"], layout["y"], strict=True), strict=True))
if layout.attrs.get("actors", 0) > MAX_DRAWN:
    st.caption(f"Drawn: the {MAX_DRAWN:,} actors with the most ties over all periods, of {layout.attrs['actors']:,}.")
capped = drawing["counts"][drawing["counts"]["drawn"] < drawing["counts"]["ties"]]
if len(capped):
    st.caption("Ties drawn, per period: at most " + f"{MAX_TIES:,} (among the most connected actors first): "
               + "; ".join(f"{r.period}: {r.drawn:,} of {r.ties:,}" for r in capped.itertuples()) + ".")
cols = min(len(chosen), 3)
rows = -(-len(chosen) // cols)
fig = make_subplots(rows=rows, cols=cols, subplot_titles=[html.escape(p) for p in chosen])
for i, label in enumerate(chosen):
    r, c = i // cols + 1, i % cols + 1
    t = ties[ties["period"] == label]
    a_xy = np.array([pos[x] for x in t["actor_a"]], dtype=float).reshape(-1, 2)
    b_xy = np.array([pos[x] for x in t["actor_b"]], dtype=float).reshape(-1, 2)
    gap = np.full(len(t), np.nan)  # NaN between segments: one line trace of every tie
    xs = np.column_stack([a_xy[:, 0], b_xy[:, 0], gap]).ravel()
    ys = np.column_stack([a_xy[:, 1], b_xy[:, 1], gap]).ravel()
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line={"width": 0.4, "color": "#bbbbbb"},
                               hoverinfo="skip", showlegend=False, connectgaps=False), row=r, col=c)
    a = acts[acts["period"] == label]
    fig.add_trace(go.Scatter(x=np.array([pos[x][0] for x in a["id"]], dtype=float),
                               y=np.array([pos[x][1] for x in a["id"]], dtype=float), mode="markers",
                               marker={"size": 5, "color": "#4e79a7"}, showlegend=False,
                               text=[html.escape(f"{n} ({i})") for n, i in zip(a["name"], a["id"], strict=True)],
                               hoverinfo="text"), row=r, col=c)
fig.update_xaxes(visible=False, matches="x")
fig.update_yaxes(visible=False, matches="y")
fig.update_layout(height=320 * rows, margin={"l": 10, "r": 10, "t": 40, "b": 10})
st.plotly_chart(fig, config={"displayModeBar": False}, key="chg_multiples")
