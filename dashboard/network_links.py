"""How the network page is navigated: drill into a community, open an actor from a link, share a view.

Clicks inside the pyvis drawing cannot reach Streamlit: the drawing runs in a sandboxed iframe
(``st.iframe`` of a ``srcdoc`` page whose Content-Security-Policy forbids every request), and a
component that would send events back needs a script served by Streamlit. So a drill-down is a
selectbox under the map ("Open a community"), and ``?community=ID`` / ``?actor=ID`` in the page's
address open a community or an actor directly (the selectbox writes the community into the
address, so a drilled view can be bookmarked or shared).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard import state

__all__ = ["drill_controls", "follow_query", "offline_download"]

_APPLIED = "_net_query_applied"


def follow_query(comm: Any, facets: dict[str, Any]) -> None:
    """Apply ``?community=ID`` (the sidebar's community filter) and ``?actor=ID`` (the actor search) once per value."""
    wanted = (st.query_params.get("community"), st.query_params.get("actor"))
    if st.session_state.get(_APPLIED) == wanted:
        return
    st.session_state[_APPLIED] = wanted
    community, actor = wanted
    if community is not None:
        try:
            c = int(community)
        except ValueError:
            c = None
        if c in comm.names:
            st.session_state["net_communities"] = [c]
        else:
            st.warning(f"No community {community!s:.40} in this store: the whole network is shown.")
    if actor is not None:
        if actor in facets["actors"]:
            st.session_state["net_ego"] = actor
        else:
            st.warning(f"No actor with id {actor!s:.60} in this store.")


def _open(key: str) -> None:
    c = st.session_state.get(key)
    if c is None:
        return
    st.session_state["net_communities"] = [c]
    st.session_state[key] = None
    st.query_params["community"] = str(c)
    st.session_state[_APPLIED] = (str(c), st.query_params.get("actor"))


def _back() -> None:
    st.session_state["net_communities"] = []
    st.query_params.pop("community", None)
    st.session_state[_APPLIED] = (None, st.query_params.get("actor"))


def drill_controls(shown: Any, comm: Any) -> None:
    """Under a network map, a selectbox that opens one of its communities; in a drill-down, a way back."""
    if shown.map is not None:
        labels = {c: label for c, label, _size in shown.map["communities"]}  # largest first
        st.selectbox("Open a community (drill down)", list(labels), index=None, key="net_drill",
                     format_func=labels.get, on_change=_open, args=("net_drill",),
                     placeholder="Choose a community to see its actors…",
                     help="Clicks in the drawing cannot reach the page (it runs sandboxed, offline): choose "
                          "here, or add ?community=ID to the address.")
    if st.session_state.get("net_communities"):
        chosen = state.md(", ".join(comm.names.get(c, str(c)) for c in st.session_state["net_communities"]))
        st.button(f"Back to the whole network (showing {chosen})", on_click=_back, key="net_back")


def offline_download(page_html: str) -> None:
    """A download button for the drawn view: one HTML file that opens offline (vis-network inlined, nothing fetched)."""
    st.download_button("Download this view (offline HTML)", page_html.encode("utf-8"),
                       file_name="partnet-network-view.html", mime="text/html", key="net_html",
                       help="The drawing as one self-contained page: opens without a network, to mail or share.")
