"""The whole hostile dataset (tests/hostile.py) in a real headless Chromium: every dashboard page,
the pyvis network with its tooltips (hovered for real) and legend. No dialog may fire, no element
or attribute the data brought may appear, no request may leave the machine.

Uses Debian's /usr/bin/chromium through Playwright, like tests/test_dashboard_browser.py (whose
fixtures this reuses); without it the test skips on a developer machine and FAILS in CI.
"""

from __future__ import annotations

import pytest
from hostile import hostile_dataset
from test_dashboard_browser import _network_frame, _require_browser, open_page, serve

from graph.sqlite_store import SQLiteStore

pytestmark = pytest.mark.browser

PAGES = ("", "network", "actors", "partnerships", "gaps", "crossborder", "funding", "planner", "data")

# Everything injected markup could leave in a DOM. Text (title attributes, text nodes, JSON inside
# the page's own scripts) is fine; live elements, handlers and script URLs are not.
_FIND_INJECTED = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    for (const a of el.attributes) {
      const name = a.name.toLowerCase(), v = (a.value || '').trim().toLowerCase();
      if (name.startsWith('on')) bad.push(`${tag}[${name}]`);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data'].includes(name)
          && (v.startsWith('javascript:') || v.startsWith('data:text/html') || v.includes('evil.example')))
        bad.push(`${tag}[${name}=${v.slice(0, 60)}]`);
    }
    if (tag === 'img' && el.getAttribute('src') === 'x') bad.push('img[src=x]');
    if (tag === 'script' && /^\\s*alert\\(/.test(el.textContent || '')) bad.push('script:alert');
    if (tag === 'svg' && el.hasAttribute('onload')) bad.push('svg[onload]');
  }
  return bad;
}"""


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    """``partnet serve`` (read-only) on a store holding only the hostile dataset."""
    _require_browser()
    db = tmp_path_factory.mktemp("hostile-browser") / "hostile.db"
    with SQLiteStore(db) as st:
        st.write(hostile_dataset())
    with serve(db, "--read-only") as url:
        yield url


@pytest.fixture
def browser_page():
    """A Chromium page recording dialogs and every request that would leave the loopback (blocked)."""
    with open_page() as recorded:
        yield recorded


def _injected_everywhere(page) -> list[str]:
    bad = []
    for frame in page.frames:
        try:
            bad += [f"{frame.url[:40]}: {b}" for b in frame.evaluate(_FIND_INJECTED)]
        except Exception:  # noqa: BLE001 - a frame may be replaced while Streamlit reruns
            continue
    return bad


def test_every_page_shows_hostile_data_as_text(hostile_server, browser_page):
    page, external, dialogs = browser_page
    for name in PAGES:
        page.goto(f"{hostile_server}/{name}")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(2500)
        assert not page.get_by_text("Traceback").count(), name
        assert _injected_everywhere(page) == [], name
    assert dialogs == [], dialogs
    assert external == [], external


def test_network_tooltips_and_legend_stay_text(hostile_server, browser_page):
    page, external, dialogs = browser_page
    page.goto(f"{hostile_server}/network")
    frame = _network_frame(page)
    ids = frame.evaluate("() => window.partnetNetwork.body.nodeIndices.slice()")
    assert len(ids) >= 20
    # every tooltip: an inert text element, no live markup inside
    titles = frame.evaluate("""() => { const net = window.partnetNetwork, out = [];
        for (const id of net.body.nodeIndices) { const t = net.body.nodes[id].options.title;
          if (t instanceof Element) out.push([t.textContent, t.querySelectorAll('*').length,
                                             t.querySelectorAll('img,svg,script,iframe,a,[onerror],[onload]').length]);
          else out.push([String(t || ''), 0, 0]); }
        return out; }""")
    assert all(live == 0 for _, _, live in titles), [t for t in titles if t[2]]
    shown = " ".join(t for t, _, _ in titles)
    assert "<script>alert('xss-script')</script>" in shown
    # hover the nodes for real: vis-network draws each tooltip in the frame's DOM
    positions = frame.evaluate("""() => { const net = window.partnetNetwork, pos = net.getPositions(), out = [];
        for (const id of net.body.nodeIndices.slice(0, 25)) out.push(net.canvasToDOM(pos[id]));
        return out; }""")
    frame_el = frame.frame_element().bounding_box()
    hovered = 0
    for p in positions:
        x, y = frame_el["x"] + p["x"], frame_el["y"] + p["y"]
        if not (frame_el["x"] < x < frame_el["x"] + frame_el["width"]
                and frame_el["y"] < y < frame_el["y"] + frame_el["height"]):
            continue
        page.mouse.move(x, y)
        page.wait_for_timeout(350)
        hovered += 1
        assert frame.evaluate(_FIND_INJECTED) == []
    assert hovered >= 5
    assert frame.evaluate("() => document.querySelectorAll('div.vis-tooltip').length") >= 1
    legend = frame.evaluate("() => { const l = document.querySelector('#legend'); return l ? l.innerHTML : ''; }")
    assert legend and "<img" not in legend and "onerror" not in legend.lower()
    assert _injected_everywhere(page) == []
    assert dialogs == [], dialogs
    assert external == [], external


def test_the_detectors_catch_real_injection(browser_page):
    """The checks above are able to fail: injected markup is found and its alert is recorded."""
    page, _, dialogs = browser_page
    page.set_content('<div title="<script>alert(1)</script>">text <b>ok</b></div>'
                     '<img src="x" onerror="alert(\'img\')"><a href="javascript:alert(2)">x</a>'
                     "<script>alert('script')</script>")
    page.wait_for_timeout(500)
    found = page.evaluate(_FIND_INJECTED)
    assert "img[src=x]" in found and "img[onerror]" in found and "script:alert" in found
    assert any(f.startswith("a[href=javascript:") for f in found)
    assert not any(f.startswith("div") for f in found), "a title attribute holding markup is only text"
    assert "script" in dialogs and "img" in dialogs
