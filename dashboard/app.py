"""The dashboard's router: every page listed in one place (``st.navigation``).

Run it with ``partnet serve`` (or ``streamlit run dashboard/app.py``); the store is chosen by
``PARTNET_STORE``, ``PARTNET_DB`` and ``PARTNET_READ_ONLY`` (see `dashboard.state`).
"""

from __future__ import annotations

import streamlit as st

PAGES = [
    st.Page("app_pages/overview.py", title="Overview", default=True),
    st.Page("app_pages/network.py", title="Network"),
    st.Page("app_pages/actors.py", title="Actors"),
    st.Page("app_pages/partnerships.py", title="Partnerships"),
    st.Page("app_pages/gaps.py", title="Gaps"),
    st.Page("app_pages/crossborder.py", title="Cross-border"),
    st.Page("app_pages/funding.py", title="Funding"),
    st.Page("app_pages/planner.py", title="Meeting planner"),
    st.Page("app_pages/change.py", title="Change over time"),
    st.Page("app_pages/data.py", title="Data"),
]

# No icons: Streamlit makes the current page's icon the favicon, and fetches material icons for it from a CDN.
st.set_page_config(page_title="partnet", layout="wide")
st.navigation(PAGES).run()
