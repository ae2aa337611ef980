"""The Data page's upload -> diff -> confirm flow in AppTest: nothing is written before the user confirms."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from graph.backup import dataset_fingerprint
from graph.sqlite_store import SQLiteStore
from ingest import ingest

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "dashboard" / "app_pages" / "data.py"


def _edited_seed(tmp_path: Path) -> tuple[Path, str]:
    out = tmp_path / "upload" / "seed"
    shutil.copytree(ROOT / "data" / "seed", out)
    actors = pd.read_csv(out / "actors.csv", dtype=str, keep_default_na=False)
    first = actors["id"].iloc[0]
    actors.loc[actors["id"] == first, "name"] = "Renamed in the upload"
    actors.to_csv(out / "actors.csv", index=False)
    return out, first


def test_upload_shows_the_diff_and_writes_only_on_confirm(tmp_path, monkeypatch):
    from dashboard import upload
    from ingest import load

    db = tmp_path / "p.db"
    with SQLiteStore(db) as st:
        ingest(ROOT / "data" / "seed", st)
        before = dataset_fingerprint(st.read_dataset())
    monkeypatch.setenv("PARTNET_STORE", "sqlite")
    monkeypatch.setenv("PARTNET_DB", str(db))
    monkeypatch.delenv("PARTNET_READ_ONLY", raising=False)
    folder, renamed = _edited_seed(tmp_path)
    checked = upload.Checked(name="seed.zip", sha256="x", path=folder, report=load(folder).report,
                             counts={"actors": 250})
    at = AppTest.from_file(str(PAGE), default_timeout=120)
    at.session_state["_upload_checked"] = checked
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.text_input(key="data_dataset").value == "seed"
    shown = "\n".join(str(c.value) for c in at.code)
    assert f"changed actors {renamed}: name:" in shown and "-> 'Renamed in the upload'" in shown
    assert any("What this import would change in dataset `seed`" in str(m.value) for m in at.markdown)
    with SQLiteStore(db) as st:
        assert dataset_fingerprint(st.read_dataset()) == before  # the preview wrote nothing
    at.checkbox(key="data_replace").check().run()
    at.button(key="data_ingest").click().run()
    assert not at.exception
    assert any("Written to dataset seed: 0 new, 1 changed, 0 deleted" in str(s.value) for s in at.success)
    with SQLiteStore(db) as st:
        names = {a.id: a.name for a in st.read_dataset().actors}
        assert names[renamed] == "Renamed in the upload"
        assert [e["action"] for e in st.read_history()] == ["ingest", "replace"]
    assert any("dataset" in str(h.value).lower() for h in at.subheader)


def test_a_colliding_upload_is_refused_until_a_choice_is_made(tmp_path, monkeypatch):
    from dashboard import upload
    from ingest import load

    db = tmp_path / "p.db"
    with SQLiteStore(db) as st:
        ingest(ROOT / "data" / "seed", st)
        before = dataset_fingerprint(st.read_dataset())
    monkeypatch.setenv("PARTNET_STORE", "sqlite")
    monkeypatch.setenv("PARTNET_DB", str(db))
    monkeypatch.delenv("PARTNET_READ_ONLY", raising=False)
    folder, renamed = _edited_seed(tmp_path)
    checked = upload.Checked(name="analyst.zip", sha256="y", path=folder, report=load(folder).report)
    at = AppTest.from_file(str(PAGE), default_timeout=120)
    at.session_state["_upload_checked"] = checked
    at.run()
    assert at.text_input(key="data_dataset").value == "analyst"
    assert any("collide with another dataset" in str(e.value) for e in at.error)
    assert not at.button  or all(b.key != "data_ingest" for b in at.button)
    with SQLiteStore(db) as st:
        assert dataset_fingerprint(st.read_dataset()) == before
