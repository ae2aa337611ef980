"""The partnet dashboard: a Streamlit multipage app over `analysis` (run with ``partnet serve``).

`dashboard.app` is the router, `dashboard.app_pages` the thin pages (not named ``pages/``, which
Streamlit would serve as old-style pages that bypass the router), `dashboard.state` the store and
cache boundary, `dashboard.network_view` the offline pyvis view.
"""
