"""The dashboard's router: every page listed in one place (``st.navigation``).

Run it with ``partnet serve`` (or ``streamlit run dashboard/app.py``); the store is chosen by
``PARTNET_STORE``, ``PARTNET_DB`` and ``PARTNET_READ_ONLY`` (see `dashboard.state`).
"""

from __future__ import annotations

import streamlit as st

PAGES = [
    st.Page("app_pages/overview.py", title="Overview", icon=":material/home:", default=True),
    st.Page("app_pages/network.py", title="Network", icon=":material/hub:"),
    st.Page("app_pages/actors.py", title="Actors", icon=":material/apartment:"),
    st.Page("app_pages/partnerships.py", title="Partnerships", icon=":material/handshake:"),
    st.Page("app_pages/gaps.py", title="Gaps", icon=":material/extension:"),
    st.Page("app_pages/crossborder.py", title="Cross-border", icon=":material/public:"),
    st.Page("app_pages/funding.py", title="Funding", icon=":material/euro:"),
    st.Page("app_pages/planner.py", title="Meeting planner", icon=":material/event:"),
    st.Page("app_pages/data.py", title="Data", icon=":material/upload_file:"),
]

st.set_page_config(page_title="partnet", layout="wide")  # no page_icon: a material icon favicon is fetched from a CDN
st.navigation(PAGES).run()
