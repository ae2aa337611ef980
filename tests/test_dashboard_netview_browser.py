"""One Chromium check of the network map: ``partnet serve`` on 3,600 actors (600 without a tie), the map
drawn with its 'not connected (N)' node and labels, and the offline HTML download drawing from disk
with every request blocked."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.sqlite_store import SQLiteStore
from tests.test_dashboard_browser import _network_frame, _require_browser, open_page, serve

pytestmark = pytest.mark.browser


def test_network_map_in_chromium_and_its_offline_download(tmp_path: Path) -> None:
    _require_browser()
    from graph.model import Actor
    from synthetic import generate

    ds = generate(3000, seed=1)
    ds.actors.extend(Actor(f"alone-{i}", f"Alone {i}", "ngo", country="IT") for i in range(600))
    db = tmp_path / "big.db"
    with SQLiteStore(db) as st:
        st.write(ds)
    with serve(db) as url, open_page() as (page, external, dialogs):
        page.goto(f"{url}/network")
        frame = _network_frame(page, timeout=240)
        labels = frame.evaluate("() => window.partnetNetwork.body.data.nodes.get().map(n => n.label)")
        assert sum(1 for lab in labels if lab.startswith("not connected (")) == 1
        assert len(labels) < 60 and all(labels)
        with page.expect_download() as dl:
            page.get_by_role("button", name="Download this view (offline HTML)").click()
        offline = tmp_path / "view.html"
        dl.value.save_as(offline)
        disk = page.context.browser.new_page()
        fetched: list[str] = []
        disk.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                   else (fetched.append(r.request.url), r.abort()))
        disk.goto(offline.as_uri())
        drawn = _network_frame(disk, timeout=60)
        assert drawn.evaluate("() => window.partnetNetwork.body.data.nodes.length") == len(labels)
        assert fetched == [] and external == [] and dialogs == []
