"""The partnet dashboard: a Streamlit multipage app over `analysis` (run with ``partnet serve``).

`dashboard.app` is the router, `dashboard.pages` the thin pages, `dashboard.state` the store and
cache boundary, `dashboard.network_view` the offline pyvis view.
"""
