"""The dashboard's pages: each one calls `analysis` through `dashboard.state` and renders."""
