"""The dashboard's router: every page listed in one place (``st.navigation``).

Run it with ``partnet serve`` (or ``streamlit run dashboard/app.py``); the store is chosen by
``PARTNET_STORE``, ``PARTNET_DB`` and ``PARTNET_READ_ONLY`` (see `dashboard.state`).
"""

from __future__ import annotations

import streamlit as st

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon="🏠", default=True),
    st.Page("pages/network.py", title="Network", icon="🕸️"),
    st.Page("pages/actors.py", title="Actors", icon="🏢"),
    st.Page("pages/partnerships.py", title="Partnerships", icon="🤝"),
    st.Page("pages/gaps.py", title="Gaps", icon="🧩"),
    st.Page("pages/crossborder.py", title="Cross-border", icon="🌍"),
    st.Page("pages/funding.py", title="Funding", icon="💶"),
    st.Page("pages/planner.py", title="Meeting planner", icon="📋"),
    st.Page("pages/data.py", title="Data", icon="📂"),
]

st.set_page_config(page_title="partnet", page_icon="🕸️", layout="wide")
st.navigation(PAGES).run()
