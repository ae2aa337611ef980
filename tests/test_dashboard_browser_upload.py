"""End to end in headless Chromium: the Data page's upload -> diff -> confirm flow, then the exports' provenance.

``partnet serve`` runs on a store holding the seed as dataset ``seed``; the test uploads a zip of
the seed's CSV files with one actor renamed, reads the diff the page shows, checks the store is
untouched, ticks "Replace the dataset", confirms, and checks what the store then holds (the
rename, a ``replace`` history entry). Then it downloads the CSV export from the same page and
finds the ``dataset`` column and the ``sources`` table. No request may leave the machine and no
dialog may open. Uses /usr/bin/chromium (PARTNET_REQUIRE_BROWSER=1 makes a missing browser fail).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from test_dashboard_browser import ROOT, _require_browser, open_page, serve

from graph.backup import dataset_fingerprint
from graph.sqlite_store import SQLiteStore
from ingest import ingest

pytestmark = pytest.mark.browser


def _upload_zip(tmp_path: Path) -> tuple[Path, str]:
    """seed.zip: the seed's CSV files with the first actor renamed; returns it and that actor's id."""
    folder = tmp_path / "upload"
    shutil.copytree(ROOT / "data" / "seed", folder)
    actors = pd.read_csv(folder / "actors.csv", dtype=str, keep_default_na=False)
    renamed = actors["id"].iloc[0]
    actors.loc[actors["id"] == renamed, "name"] = "Renamed in the browser"
    actors.to_csv(folder / "actors.csv", index=False)
    out = tmp_path / "seed.zip"
    with zipfile.ZipFile(out, "w") as z:
        for f in sorted(folder.glob("*.csv")):
            z.write(f, f.name)
    return out, renamed


def test_upload_diff_confirm_then_export_in_chromium(tmp_path: Path) -> None:
    _require_browser()
    db = tmp_path / "store" / "seed.db"
    with SQLiteStore(db) as st:
        ingest(ROOT / "data" / "seed", st, dataset="seed")
        before = dataset_fingerprint(st.read_dataset())
        history_before = st.read_history()
    upload, renamed = _upload_zip(tmp_path)
    with serve(db) as url, open_page() as (page, external, dialogs):
        page.goto(f"{url}/data")
        page.get_by_text("Load data").first.wait_for(timeout=90_000)
        page.locator("input[type=file]").set_input_files(str(upload))
        page.get_by_text("What this import would change in dataset").first.wait_for(timeout=90_000)
        page.wait_for_timeout(1000)
        shown = "\n".join(page.locator("[data-testid='stCode']").all_inner_texts())
        assert f"changed actors {renamed}: name:" in shown and "-> 'Renamed in the browser'" in shown, shown
        with SQLiteStore(db, read_only=True) as st:  # the preview wrote nothing
            assert dataset_fingerprint(st.read_dataset()) == before
            assert st.read_history() == history_before

        page.get_by_text("Replace the dataset").first.click()
        page.wait_for_timeout(1500)
        page.get_by_text("What this import would change in dataset").first.wait_for(timeout=90_000)
        page.get_by_role("button", name=re.compile("Confirm: write to")).click()
        page.get_by_text("Written to dataset seed: 0 new, 1 changed, 0 deleted", exact=False).first.wait_for(
            timeout=120_000)
        with SQLiteStore(db, read_only=True) as st:
            names = {a.id: a.name for a in st.read_dataset().actors}
            assert names[renamed] == "Renamed in the browser"
            assert [e["action"] for e in st.read_history()] == ["ingest", "replace"]
            sources = st.read_sources()

        # the exports of the same page carry the provenance
        page.goto(f"{url}/data")
        button = page.get_by_role("button", name="CSV files (zip)")
        button.wait_for(timeout=120_000)
        with page.expect_download(timeout=120_000) as dl:
            button.click()
        saved = tmp_path / "export.zip"
        dl.value.save_as(saved)
        assert external == [], f"requests left the machine: {external}"
        assert dialogs == []
    with zipfile.ZipFile(saved) as z:
        names_in_zip = {Path(n).name: n for n in z.namelist()}
        rows = list(csv.DictReader(io.StringIO(z.read(names_in_zip["actors.csv"]).decode("utf-8"))))
        src = list(csv.DictReader(io.StringIO(z.read(names_in_zip["sources.csv"]).decode("utf-8"))))
    assert {r["dataset"] for r in rows} == {"seed"}
    assert next(r["name"] for r in rows if r["id"] == renamed) == "Renamed in the browser"
    assert [(r["dataset"], r["id"]) for r in src] == [(s["dataset"], s["id"]) for s in sources]
