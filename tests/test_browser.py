"""graph.html in a real browser: Debian's Chromium, driven headless by the Playwright Python driver.

Each page is opened from disk (file://) with every other request aborted and recorded. Without
Chromium these tests skip and say how to install it; under CI (the CI variable set) they fail
instead, because a skipped browser test proves nothing.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from kgbuild import html
from kgbuild.build import run
from kgbuild.cli import SAMPLE

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_html import XSS_IMG, XSS_SCRIPT, events_builder, hostile_builder, page_data, turtle_counts  # noqa: E402

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
INSTALL = "apt-get install chromium (Debian's package; Playwright drives it, no browser download needed)"


def _unavailable(why: str):
    if os.environ.get("CI"):
        pytest.fail(f"{why}; CI must run the browser tests: {INSTALL}")
    pytest.skip(f"{why}: {INSTALL}")


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is not installed (pip install -e '.[test]')")
    if not CHROMIUM.exists():
        _unavailable(f"Chromium is not installed at {CHROMIUM}")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser-sample")
    _report, b = run([SAMPLE], out)
    return out / "graph.html", b, html.vis_data(b)


class Page:
    """One page opened offline, with what it tried to do recorded."""

    def __init__(self, browser, path: Path, width: int = 1400, height: int = 900):
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.url = path.resolve().as_uri()
        self.requests, self.errors, self.dialogs = [], [], []
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.goto(self.url)
        self.page.wait_for_function("() => window.kgReady === true", timeout=30_000)

    def _route(self, route):
        url = route.request.url
        if url == self.url:
            route.continue_()
        else:  # nothing else, not even another file: the page is one self-contained file
            self.requests.append(url)
            route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def shown(self) -> tuple[set[str], set[str]]:
        nodes, edges = self.js("() => [kgNodes.get({filter: n => !n.hidden}).map(n => n.id),"
                               " kgEdges.get({filter: e => !e.hidden}).map(e => e.id)]")
        return set(nodes), set(edges)

    def settle(self) -> None:
        """Wait until the view stops moving (focus and fit animate)."""
        self.page.wait_for_function("""() => new Promise(done => {
            const a = JSON.stringify([kgNetwork.getViewPosition(), kgNetwork.getScale()]);
            setTimeout(() => done(a === JSON.stringify([kgNetwork.getViewPosition(), kgNetwork.getScale()])), 150);
        })""", polling=200, timeout=10_000)

    def hover_edge(self, edge_id: str) -> str:
        """Move the mouse onto a free stretch of the edge and return the tooltip's text. On a loaded
        machine the view may still be easing when the mouse arrives, so a miss is retried after the
        view settles again."""
        for attempt in range(3):
            try:
                return self._hover_edge_once(edge_id)
            except Exception:
                if attempt == 2:
                    raise
                self.page.mouse.move(0, 0)
        raise AssertionError("unreachable")

    def _hover_edge_once(self, edge_id: str) -> str:
        self.settle()
        point = self.js("""(id) => {
            const net = kgNetwork, shape = net.body.edges[id].edgeType;  // straight or curved
            const box = document.getElementById("graph").getBoundingClientRect();
            for (const t of [0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74]) {
              const dom = net.canvasToDOM(shape.getPoint(t));
              if (net.getNodeAt(dom) === undefined && net.getEdgeAt(dom) === id)
                return {x: box.left + dom.x, y: box.top + dom.y};
            }
            return null;
        }""", edge_id)
        assert point, f"no free point on edge {edge_id}"
        self.page.mouse.move(point["x"] - 30, point["y"] - 30)
        self.page.mouse.move(point["x"], point["y"], steps=5)
        tip = self.page.locator("div.vis-tooltip")
        tip.wait_for(state="visible", timeout=8000)
        self.page.wait_for_function("() => getComputedStyle(document.querySelector('div.vis-tooltip')).visibility"
                                    " === 'visible'")
        return tip.inner_text()

    def click_node(self, node_id: str) -> None:
        self.settle()
        pos = self.js("""(id) => {
            const net = kgNetwork, p = net.canvasToDOM(net.getPositions([id])[id]);
            const box = document.getElementById("graph").getBoundingClientRect();
            return {x: box.left + p.x, y: box.top + p.y};
        }""", node_id)
        self.page.mouse.click(pos["x"], pos["y"])

    def close(self):
        self.context.close()


@pytest.fixture
def open_page(browser):
    pages = []

    def _open(path: Path, **kw) -> Page:
        pages.append(Page(browser, path, **kw))
        return pages[-1]

    yield _open
    for p in pages:
        p.close()


def entity_id(data: dict, label: str) -> str:
    return next(n["id"] for n in data["nodes"] if n["kind"] == "entity" and n["label"] == label)


def test_opens_offline_without_errors_and_settles(open_page, sample):
    path, _b, _data = sample
    p = open_page(path)
    assert p.errors == [] and p.requests == [] and p.dialogs == []
    assert p.js("() => kgNetwork.physics.options.enabled") is False  # stabilised, then switched off
    assert p.page.locator("#legend-entities .legend-item").count() >= 4
    assert p.page.locator("#doc-section").is_hidden()                  # one document: no document filter


def test_rendered_nodes_and_edges_match_the_graph(open_page, sample):
    path, _b, data = sample
    p = open_page(path)
    assert p.js("() => [kgNodes.length, kgEdges.length]") == [len(data["nodes"]), len(data["edges"])]
    nodes, edges = p.shown()
    want_nodes, want_edges = html.default_view(data)
    assert (nodes, edges) == (want_nodes, want_edges)
    # the network itself holds exactly the shown items
    assert p.js("() => [kgNetwork.body.nodeIndices.length, kgNetwork.body.edgeIndices.length]") == \
        [len(nodes), len(edges)]
    # and against the Turtle: every entity is a node, every fact is drawn
    ents, facts = turtle_counts(path.parent / "graph.ttl")
    assert set(p.js("() => kgNodes.get({filter: n => n.kind === 'entity'}).map(n => n.id)")) == ents
    drawn = p.js("""() => { const s = new Set();
        kgNodes.forEach(n => (n.facts || []).forEach(f => s.add(kgData.facts[f].id)));
        kgEdges.forEach(e => e.facts.forEach(f => s.add(kgData.facts[f].id)));
        kgData.detached.forEach(f => s.add(kgData.facts[f].id)); return [...s]; }""")
    assert set(drawn) == facts


def test_search_focuses_an_entity_and_lists_its_facts(open_page, sample):
    path, b, data = sample
    p = open_page(path)
    qatar = entity_id(data, "Qatar")
    p.page.fill("#search", "qatar")
    p.page.press("#search", "Enter")
    assert p.js("() => kgNetwork.getSelectedNodes()") == [qatar]
    assert p.page.locator("#panel").is_visible()
    assert p.page.locator("#details h2.title").inner_text() == "Qatar"
    items = p.page.locator("#details .fact")
    n_facts = sum(1 for cf in b.facts.values() if any(qatar in v for v in cf.args.values()))
    assert items.count() == n_facts
    sentence = next(t for cf in b.facts.values() if any(qatar in v for v in cf.args.values())
                    for _d, _s, _e, t in cf.evidence)
    assert " ".join(sentence.split()) in " ".join(p.page.locator("#details").inner_text().split())
    p.page.fill("#search", "no such entity")
    p.page.press("#search", "Enter")
    assert "No entity matches" in p.page.locator("#search-status").inner_text()
    assert p.errors == []


def test_class_and_kind_filters(open_page, sample):
    path, _b, data = sample
    p = open_page(path)
    all_nodes, all_edges = p.shown()
    kind = {n["id"]: (n["kind"], n["cls"]) for n in data["nodes"]}
    edge_kind = {e["id"]: e["kind"] for e in data["edges"]}
    p.page.uncheck('input[data-class="Person"]')
    nodes, edges = p.shown()
    assert nodes and not any(kind[n] == ("entity", "Person") for n in nodes)
    assert len(nodes) < len(all_nodes)
    p.page.uncheck('input[data-kind="Statement"]')
    nodes, edges = p.shown()
    assert not any(kind[n][1] == "Statement" for n in nodes) and not any(edge_kind[e] == "Statement" for e in edges)
    assert p.js("() => kgNetwork.body.nodeIndices.length") == len(nodes)
    p.page.check('input[data-class="Person"]')
    p.page.check('input[data-kind="Statement"]')
    assert p.shown() == (all_nodes, all_edges)
    assert p.errors == []


def test_hovering_an_edge_shows_its_sentences_and_document(open_page, sample):
    path, b, data = sample
    p = open_page(path)
    qatar, hamas = entity_id(data, "Qatar"), entity_id(data, "Hamas")
    edge = next(e for e in data["edges"]
                if e["from"] == qatar and e["to"] == hamas and e["label"].startswith("mediates"))
    text = p.hover_edge(edge["id"])
    assert text.startswith("Qatar —mediates")
    first = data["facts"][edge["facts"][0]]
    assert " ".join(first["ev"][0][1].split())[:60] in " ".join(text.split())
    assert b.documents[data["documents"][first["ev"][0][0]]["id"]].title in text
    assert p.errors == []


def test_clicking_a_node_opens_its_facts(open_page, sample, tmp_path):
    path, b, data = sample
    p = open_page(path)
    hamas = entity_id(data, "Hamas")
    p.click_node(hamas)
    p.page.locator("#panel").wait_for(state="visible")
    assert p.page.locator("#details h2.title").inner_text() == "Hamas"
    n_facts = sum(1 for cf in b.facts.values() if any(hamas in v for v in cf.args.values()))
    assert p.page.locator("#details .fact").count() == n_facts
    assert p.page.locator("#details .fact ul.ev li").count() >= n_facts


def test_screenshot_is_written(open_page, sample):
    path, _b, _data = sample
    p = open_page(path)
    out = ROOT / "outputs" / "graph-screenshot.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    p.page.screenshot(path=str(out))
    assert out.stat().st_size > 20_000
    assert p.page.locator("#legend-facts").is_visible()
    # the graph is drawn inside the viewport: every shown node is on screen after fitting
    off = p.js("""() => { const net = kgNetwork, box = document.getElementById("graph").getBoundingClientRect();
        return kgNodes.get({filter: n => !n.hidden}).filter(n => {
          const d = net.canvasToDOM(net.getPositions([n.id])[n.id]);
          return d.x < 0 || d.y < 0 || d.x > box.width || d.y > box.height; }).length; }""")
    assert off == 0


def test_untrusted_text_is_shown_literally_and_runs_nothing(open_page, tmp_path):
    b = hostile_builder()
    path = html.write(b, tmp_path / "graph.html")
    p = open_page(path)
    data = page_data(path.read_text(encoding="utf-8"))
    evil = next(n["id"] for n in data["nodes"] if n["label"].startswith(XSS_SCRIPT))
    p.page.fill("#search", "front")
    p.page.press("#search", "Enter")
    assert p.page.locator("#details h2.title").inner_text() == f"{XSS_SCRIPT} Front"
    assert XSS_IMG in p.page.locator("#details").inner_text()
    edge = next(e for e in data["edges"] if e["to"] == evil and e["label"].startswith("mediates"))
    tip = p.hover_edge(edge["id"])
    assert XSS_SCRIPT in tip and XSS_IMG in tip
    assert p.page.locator("#doc-filter option").count() == 3
    assert XSS_SCRIPT in p.page.locator("#doc-filter").inner_text()
    p.page.click("#open-timeline")
    assert XSS_IMG in p.page.locator("#timeline").inner_text()
    # nothing ran, nothing was fetched (not even the image "x"), no element was made from the text
    assert p.dialogs == [] and p.requests == []
    assert p.js("() => window.__xss") is None
    assert p.page.locator("body img, #details script, #panel a[href^='javascript']").count() == 0
    assert p.errors == []


def test_documents_filter_and_timeline(open_page, tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import html_scale

    b = html_scale.synthetic_builder(8)
    path = html.write(b, tmp_path / "graph.html")
    p = open_page(path)
    data = page_data(path.read_text(encoding="utf-8"))
    assert p.page.locator("#doc-filter option").count() == 9
    # the timeline lists facts by document date
    p.page.click("#open-timeline")
    days = p.page.locator("#timeline .day").all_inner_texts()
    assert len(days) > 3 and days == sorted(days)
    # one document: only its facts stay drawn
    doc = data["documents"][3]
    p.page.select_option("#doc-filter", value="3")
    nodes, edges = p.shown()
    assert edges
    for e in edges:
        facts = next(x for x in data["edges"] if x["id"] == e)["facts"]
        assert any(3 in data["facts"][f]["docs"] for f in facts)
    assert all(d == doc["date"] for d in p.page.locator("#timeline .day").all_inner_texts())
    # what is left can be laid out again: physics runs a while, then stops
    p.page.click("#relayout")
    p.page.wait_for_function("() => window.kgReady === true")
    assert p.js("() => kgNetwork.physics.options.enabled") is False
    p.page.select_option("#doc-filter", value="")
    assert p.shown() == tuple(map(set, html.default_view(data)))
    assert p.errors == []


def test_events_in_time_sources_and_confidence(open_page, tmp_path):
    b, triples = events_builder()
    path = html.write(b, tmp_path / "graph.html", triples)
    p = open_page(path)
    # the timeline places events by their own date; the report's date only as a marked fallback
    p.page.click("#open-timeline")
    dates = p.page.locator("#timeline .tl-item .date").all_inner_texts()
    assert dates == ["2023-11", "2023-11-24", "2023-11-25", "≈ 2023-11-25 (report date)", "≈ 2023-12-01 (report date)"]
    assert p.page.locator("#timeline .tl-item .date.fallback").count() == 2
    # an event's panel lists its sources, each with what that report says
    p.page.fill("#search", "Hamas")
    p.page.press("#search", "Enter")
    details = p.page.locator("#details")
    release = details.locator(".fact", has_text="Reported by 2 sources")
    assert release.count() == 1
    said = release.locator(".ev-said").all_inner_texts()
    assert len(said) == 2 and said[0].startswith("this report: 13") and said[1].startswith("this report: 14")
    assert "released by: Hamas" in said[0] and "released by: Hamas" in said[1]
    assert f"rule release.outlet-a {XSS_SCRIPT}" in said[0]      # shown as text, not run
    ev_docs = release.locator(".ev-doc").all_inner_texts()
    assert "Outlet A (2023-11-25)" in ev_docs[0] and "Outlet B (2023-11-26)" in ev_docs[1]
    # the less confident statement shows its confidence, and goes when the user asks
    p.page.fill("#search", "Qatar")
    p.page.press("#search", "Enter")
    assert "confidence 0.6" in details.locator(".fact", has_text="Statement").inner_text()
    p.page.locator("#panel").screenshot(path=str(ROOT / "outputs" / "graph-events-panel.png"))
    data = page_data(path.read_text(encoding="utf-8"))
    statement = next(i for i, f in enumerate(data["facts"]) if f["cls"] == "Statement")
    drawn = lambda: {x for n in p.js("() => kgNodes.get({filter: n => !n.hidden})") for x in n.get("facts", [])} | \
        {x for e in p.js("() => kgEdges.get({filter: e => !e.hidden})") for x in e["facts"]}
    assert statement in drawn()
    assert p.page.locator("#conf-section").is_visible()
    assert p.page.locator("#conf-count").inner_text() == "(1 fact below)"
    p.page.check("#conf-on")
    assert statement not in drawn()
    p.page.click("#open-timeline")
    assert p.page.locator("#timeline .tl-item").count() == 4
    p.page.fill("#search", "qatar")  # another query: the same one twice within 0.5 s counts once
    p.page.press("#search", "Enter")
    assert "1 less confident fact hidden" in details.inner_text() and "confidence 0.6" not in details.inner_text()
    p.page.fill("#conf-min", "0.5")
    p.page.press("#conf-min", "Enter")
    p.page.locator("#conf-min").blur()
    assert statement in drawn()
    assert "confidence 0.6" in details.inner_text() and "hidden" not in details.inner_text()
    p.page.screenshot(path=str(ROOT / "outputs" / "graph-events-screenshot.png"))
    assert p.errors == [] and p.requests == [] and p.dialogs == []
    assert p.js("() => window.__xss") is None


@pytest.mark.slow
def test_a_500_article_graph_loads_in_seconds(open_page, tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import html_scale

    b = html_scale.synthetic_builder(500)
    path = html.write(b, tmp_path / "graph.html")
    p = open_page(path)
    assert p.js("() => window.kgReadyAt") < 8000
    data = page_data(path.read_text(encoding="utf-8"))
    nodes, edges = p.shown()
    assert (nodes, edges) == tuple(map(set, html.default_view(data)))
    assert len(nodes) <= html.CAP_VISIBLE
    notice = p.page.locator("#notice")
    assert notice.is_visible() and "Large graph" in notice.inner_text()
    p.page.screenshot(path=str(ROOT / "outputs" / "graph-500-screenshot.png"))
    # a hidden entity found by search is brought in
    minor = next(n for n in data["nodes"] if n["kind"] == "entity" and n["id"] not in nodes)
    p.page.fill("#search", minor["label"])
    p.page.press("#search", "Enter")
    assert minor["id"] in p.shown()[0]
    p.page.click("#show-all")
    p.page.wait_for_function("() => kgNetwork.body.nodeIndices.length === kgNodes.length")
    assert p.errors == [] and p.requests == []
