"""The network-method sections of the dashboard (issue 16) through Streamlit's AppTest, on the seed data."""

from __future__ import annotations

from pathlib import Path

from tests.test_dashboard import assert_ok, run_page, seed_db, texts, use_db  # noqa: F401 - fixtures


def test_crossborder_country_network(seed_db: Path, use_db) -> None:  # noqa: F811
    use_db(seed_db)
    at = run_page("crossborder")
    assert_ok(at)
    assert "Country co-participation network" in texts(at)
    table = next(df.value for df in at.dataframe if "eigenvector" in df.value.columns)
    assert table["country"].iloc[0] == "IT" and table["eigenvector"].max() == 1.0
    at.radio(key="xb_net_weight").set_value("partnerships").run()
    assert_ok(at)
    at.toggle(key="xb_net_backbone").set_value(True).run()
    assert_ok(at)
    assert "Backbone at α = 0.05: keeps" in texts(at)


def test_network_tie_weight_and_backbone(seed_db: Path, use_db) -> None:  # noqa: F811
    use_db(seed_db)
    at = run_page("network")
    assert_ok(at)
    at.selectbox(key="net_tie_weight").set_value("newman").run()
    assert_ok(at)
    at.toggle(key="net_backbone").set_value(True).run()
    assert_ok(at)
    blob = texts(at)
    assert "Backbone (disparity filter, α = 0.05): keeps" in blob and "(weight: newman)" in blob
