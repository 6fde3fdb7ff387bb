"""graph.html without a browser: self-contained, deterministic, escaped, complete, and drawn so that
facts read as sentences. tests/test_browser.py opens the same pages in Chromium."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, Graph

from kgbuild import html
from kgbuild.build import run
from kgbuild.cli import SAMPLE
from kgbuild.facts import ENTITY_CLASSES, FACT_CLASSES, DocMeta, DocResult, Entity, Evidence, Fact
from kgbuild.namespace import KGO
from kgbuild.reduce import GraphBuilder, CanonFact

ROOT = Path(__file__).resolve().parents[1]
XSS_SCRIPT = "<script>window.__xss=1;alert(1)</script>"
XSS_IMG = '<img src=x onerror="window.__xss=2;alert(2)">'


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("html-sample")
    _report, b = run([SAMPLE], out)
    return out, b


def turtle_counts(ttl: Path) -> tuple[set[str], set[str]]:
    """Entity and fact IRIs of a Turtle file."""
    g = Graph().parse(ttl)
    ents = {str(s) for c in ENTITY_CLASSES for s in g.subjects(RDF.type, KGO[c])}
    facts = {str(s) for c in FACT_CLASSES for s in g.subjects(RDF.type, KGO[c])}
    return ents, facts


def page_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    return json.loads(m.group(1))


def doc(doc_id: str, entities: list[tuple[str, str, str]], facts: list[Fact], date: str | None = None,
        title: str = "", url: str | None = None) -> DocResult:
    ents = {lid: Entity(lid, key, cls, label) for lid, key, cls, label in
            [(f"e{i}", k, c, lab) for i, (k, c, lab) in enumerate(entities)]}
    return DocResult(DocMeta(id=doc_id, title=title or doc_id, date=date, url=url), ents, facts, words=50)


def fact(fid: str, cls: str, text: str, start: int = 0, **kw) -> Fact:
    return Fact(fid, cls, evidence=[Evidence(start, start + len(text), text)], rule="test", **kw)


def hostile_builder() -> GraphBuilder:
    """Two documents whose entity label, evidence, title and URL try to run script."""
    b = GraphBuilder()
    ents = [("country:qatar", "Country", "Qatar"), ("organization:evil", "Organization", f"{XSS_SCRIPT} Front"),
            ("person:x", "Person", f"Mr {XSS_IMG}")]
    b.add(doc("evil-1", ents, [
        fact("f0", "Negotiation", f"Qatar mediated with {XSS_SCRIPT} Front after {XSS_IMG} said so.",
             args={"mediator": ["e0"], "party": ["e1"]}),
        fact("f1", "Statement", f"“{XSS_IMG}”, Mr X said.", 100, args={"speaker": ["e2"]},
             values={"quote": XSS_IMG}),
    ], date="2024-01-02", title=f"Talks {XSS_SCRIPT}", url="javascript:window.__xss=3"))
    b.add(doc("evil-2", ents[:2], [
        fact("f0", "Meeting", f"Qatar met {XSS_SCRIPT} Front in Doha.", args={"participant": ["e0", "e1"]}),
    ], date="2024-01-05", title="Second </script><script>window.__xss=4</script>"))
    b.finish()
    return b


def test_page_is_one_offline_file(sample):
    out, _b = sample
    page = (out / "graph.html").read_text(encoding="utf-8")
    assert "<link" not in page and "@import" not in page
    assert not re.search(r"""<script[^>]*\ssrc\s*=""", page)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page, re.I)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", page, re.I)
    assert "default-src 'none'" in page          # the browser itself refuses any network load
    assert "@version 9.1.2" in page              # vis-network, inlined from the pyvis wheel


def test_same_graph_same_bytes(sample):
    out, b = sample
    assert html.render(b) == (out / "graph.html").read_text(encoding="utf-8")


def test_same_bytes_across_processes_for_a_large_graph():
    """Hash seeds differ between processes; the page (layout included) must not."""
    code = ("import sys, hashlib; sys.path.insert(0, 'benchmarks'); import html_scale; from kgbuild import html;"
            "print(hashlib.sha256(html.render(html_scale.synthetic_builder(120)).encode()).hexdigest())")
    digests = set()
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        digests.add(subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True,
                                   capture_output=True, text=True).stdout.strip())
    assert len(digests) == 1


def test_every_entity_and_fact_of_the_turtle_is_on_the_page(sample):
    out, _b = sample
    data = page_data((out / "graph.html").read_text(encoding="utf-8"))
    ents, facts = turtle_counts(out / "graph.ttl")
    assert {n["id"] for n in data["nodes"] if n["kind"] == "entity"} == ents
    assert {f["id"] for f in data["facts"]} == facts
    drawn = {i for n in data["nodes"] if n["kind"] == "fact" for i in n["facts"]} | \
            {i for e in data["edges"] for i in e["facts"]}
    assert drawn | set(data["detached"]) == set(range(len(data["facts"])))
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids and e["facts"] for e in data["edges"])
    assert len({e["id"] for e in data["edges"]}) == len(data["edges"])
    # a small graph opens with everything shown and settles with physics
    shown_nodes, shown_edges = html.default_view(data)
    assert len(shown_nodes) == len(data["nodes"]) and len(shown_edges) == len(data["edges"])
    assert data["settings"]["physics"] is True


def test_facts_read_as_sentences(sample):
    _out, b = sample
    data = html.vis_data(b)
    label = {n["id"]: n["label"] for n in data["nodes"]}
    by_label = {n["label"]: n["id"] for n in data["nodes"] if n["kind"] == "entity"}
    said = {(label[e["from"]], e["label"].split(" (")[0], label[e["to"]]) for e in data["edges"]}
    # Qatar —mediates→ Hamas
    assert ("Qatar", "mediates", "Hamas") in said
    # … —released more than 100 captives→ ◆exchange ←released more than 200 …— …
    exchanges = [n["id"] for n in data["nodes"] if n["kind"] == "fact" and n["cls"] == "Exchange"]
    assert exchanges
    into = [e for e in data["edges"] if e["to"] == exchanges[0]]
    releases = sorted(e["label"] for e in into if e["label"].startswith("released"))
    assert len(releases) >= 2 and all(re.search(r"released (more than |about |at least )?\d", r) for r in releases)
    assert any("100" in r for r in releases) and any("200" in r for r in releases)
    # a node's size grows with the number of facts it is in
    hamas = next(n for n in data["nodes"] if n["id"] == by_label["Hamas"])
    paris = next(n for n in data["nodes"] if n["label"] == "Paris")
    assert hamas["deg"] > paris["deg"] and hamas["size"] > paris["size"]


def test_fact_captions_carry_counts_and_qualifiers():
    def cap(cls, **values):
        return html.fact_caption(CanonFact("x", cls, {}, {}, values))

    assert cap("Release", count=200, countQualifier="more than", detaineeKind="prisoner") == \
        "released more than 200 prisoners"
    assert cap("Release", count=1, countQualifier="exact", detaineeKind="hostage") == "released 1 hostage"
    assert cap("Release") == "released detainees"
    assert cap("HostageTaking", count=240, countQualifier="approximately") == "took approximately 240 hostages"
    assert cap("CasualtyReport", count=26600, countQualifier="more than", casualtyKind="killed") == \
        "more than 26,600 killed"
    assert cap("Truce", status="agreed") == "truce (agreed)"
    assert cap("Role", title="prime minister") == "prime minister"


def test_untrusted_text_only_as_escaped_json():
    b = hostile_builder()
    page = html.render(b)
    for raw in (XSS_SCRIPT, XSS_IMG, "<img", "</script><script>window.__xss=4"):
        assert raw not in page
    data = page_data(page)  # … but all of it is there, as data
    strings = set()

    def walk(x):
        if isinstance(x, str):
            strings.add(x)
        elif isinstance(x, dict):
            list(map(walk, x.values()))
        elif isinstance(x, list):
            list(map(walk, x))

    walk(data)
    assert f"{XSS_SCRIPT} Front" in {n["label"] for n in data["nodes"]}
    assert any(XSS_IMG in s for s in strings) and any("window.__xss=4" in s for s in strings)
    # the data block holds no '<', so nothing in it can end the element or open a comment
    block = re.search(r'id="kg-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in block and ">" not in block


def test_several_documents_dates_and_timeline_order():
    b = hostile_builder()
    data = html.vis_data(b)
    assert [d["id"] for d in data["documents"]] == ["evil-1", "evil-2"]
    assert [d["date"] for d in data["documents"]] == ["2024-01-02", "2024-01-05"]
    meeting = next(f for f in data["facts"] if f["cls"] == "Meeting")
    # no date of its own: the page places it by its report's date (and marks it so)
    assert meeting["date"] is None and meeting["docDate"] == "2024-01-05" and meeting["docs"] == [1]
    negotiation = next(f for f in data["facts"] if f["cls"] == "Negotiation")
    assert negotiation["docDate"] == "2024-01-02"
    assert negotiation["ev"][0][0] == 0 and XSS_SCRIPT in negotiation["ev"][0][1]


def test_document_dates_are_read_for_the_timeline():
    assert html.iso_date("2024-01-05T10:00:00Z") == "2024-01-05"
    assert html.iso_date("5 January 2024") == html.iso_date("January 5, 2024") == "2024-01-05"
    assert html.iso_date("last week") is None and html.iso_date(None) is None


def test_a_fact_stated_twice_is_one_edge_with_both_sentences():
    b = GraphBuilder()
    ents = [("country:qatar", "Country", "Qatar"), ("organization:hamas", "Organization", "Hamas")]
    for i, sentence in enumerate(["Qatar mediated with Hamas.", "Talks with Hamas were mediated by Qatar."]):
        b.add(doc(f"d{i}", ents, [fact("f0", "Negotiation", sentence, args={"mediator": ["e0"], "party": ["e1"]})],
                  date=f"2024-02-0{i + 1}"))
    data = html.vis_data(b)
    assert len(data["edges"]) == 1 and data["edges"][0]["label"] == "mediates"
    (f,) = data["facts"]
    assert [ev[1] for ev in f["ev"]] == ["Qatar mediated with Hamas.", "Talks with Hamas were mediated by Qatar."]


def test_pyvis_builds_the_node_and_edge_lists(monkeypatch):
    from pyvis.network import Network

    calls = {"node": 0, "edge": 0}
    add_node, add_edge = Network.add_node, Network.add_edge

    def counting_node(self, *a, **kw):
        calls["node"] += 1
        return add_node(self, *a, **kw)

    def counting_edge(self, *a, **kw):
        calls["edge"] += 1
        return add_edge(self, *a, **kw)

    monkeypatch.setattr(Network, "add_node", counting_node)
    monkeypatch.setattr(Network, "add_edge", counting_edge)
    data = html.vis_data(hostile_builder())
    assert calls == {"node": len(data["nodes"]), "edge": len(data["edges"])}


@pytest.mark.slow
def test_a_500_article_graph_opens_on_its_best_connected_part():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import html_scale

    b = html_scale.synthetic_builder(500)
    data = html.vis_data(b)
    st = data["settings"]
    assert len(b.documents) == 500 and len(data["nodes"]) > 5 * html.CAP_VISIBLE
    assert st["physics"] is False and st["minDegree"] > 1 and st["showLeaves"] is False
    assert all(isinstance(n.get("x"), int) and isinstance(n.get("y"), int) for n in data["nodes"])
    shown_nodes, shown_edges = html.default_view(data)
    assert 100 <= len(shown_nodes) <= html.CAP_VISIBLE and len(shown_edges) <= html.CAP_EDGES
    # the threshold is the lowest that fits: one less shows too much
    more_nodes, more_edges = html._visible(data["nodes"], data["edges"], st["minDegree"] - 1, False)
    assert len(more_nodes) > html.CAP_VISIBLE or len(more_edges) > html.CAP_EDGES
    # many facts of a kind among the same entities are one node
    assert any(n["kind"] == "fact" and len(n["facts"]) >= html.HUB_GROUP_MIN and n["span"] >= 2
               for n in data["nodes"])


# --------------------------------------------------------------------------- events in time

def events_builder():
    """Three reports: two outlets tell one release (13 freed, says one; 14, says the other), a
    later release among the same parties, talks that no text dates, and a statement read by a
    fallback reading (confidence 0.6). Returns the builder and the graph's fact statements; the
    reduce step puts what each report states (its figure, its roles, its rule) on its evidence."""
    from kgbuild.rdf import fact_triples

    b = GraphBuilder()
    ents = [("organization:hamas", "Organization", "Hamas"), ("country:qatar", "Country", "Qatar"),
            ("country:israel", "Country", "Israel")]
    a1 = "Hamas freed 13 hostages on Friday."
    rel_a = fact("f0", "Release", a1, args={"releasedBy": ["e0"]}, values={"date": "2023-11-24", "count": 13})
    rel_a.rule = f"release.outlet-a {XSS_SCRIPT}"
    b.add(doc("outlet-a", ents, [
        rel_a,
        fact("f1", "Negotiation", "Qatar mediates between Israel and Hamas.", 40,
             args={"mediator": ["e1"], "party": ["e2", "e0"]}),
    ], date="2023-11-25", title="Outlet A"))
    b2 = "On Friday the group let 14 captives go."
    b.add(doc("outlet-b", ents, [
        fact("f0", "Release", b2, args={"releasedBy": ["e0"]}, values={"date": "2023-11-24", "count": 14}),
        fact("f1", "Release", "Thirteen more were freed on Saturday.", 60, args={"releasedBy": ["e0"]},
             values={"date": "2023-11-25", "count": 13}),
    ], date="2023-11-26", title="Outlet B"))
    b.add(doc("outlet-c", ents, [
        fact("f0", "Statement", f"Qatar said talks go on {XSS_IMG}.", args={"speaker": ["e1"]},
             values={"quote": "talks go on", "confidence": 0.6}),
        fact("f1", "Meeting", "Israeli and Qatari envoys met in November.", 80, args={"participant": ["e1", "e2"]},
             values={"date": "2023-11"}),
    ], date="2023-12-01", title="Outlet C"))
    b.finish()
    return b, list(fact_triples(b))


def test_timeline_orders_events_by_their_own_date_and_marks_the_fallback():
    b, triples = events_builder()
    data = html.vis_data(b, triples)
    by = {(f["cls"], f["date"], f["docDate"]) for f in data["facts"]}
    assert ("Release", "2023-11-24", "2023-11-25") in by          # its own date, not its reports'
    assert ("Meeting", "2023-11", "2023-12-01") in by              # a month is a date too
    assert ("Negotiation", None, "2023-11-25") in by               # undated: the report's date is the fallback
    assert ("Statement", None, "2023-12-01") in by


def test_an_events_sources_carry_their_own_figures_and_roles():
    b, triples = events_builder()
    data = html.vis_data(b, triples)
    release = next(f for f in data["facts"] if f["cls"] == "Release" and f["date"] == "2023-11-24")
    docs = [d["id"] for d in data["documents"]]
    assert [docs[ev[0]] for ev in release["ev"]] == ["outlet-a", "outlet-b"]
    said = [dict(ev[2]) for ev in release["ev"]]
    assert [s["count"] for s in said] == [["13"], ["14"]]
    assert said[0]["releasedBy"] == ["https://w3id.org/kgbuild/id/organization/hamas"]
    assert said[0]["rule"] == [f"release.outlet-a {XSS_SCRIPT}"] and said[1]["rule"] == ["test"]
    assert "13" in release["caption"] and "14" in release["caption"]   # the event carries both figures
    later = next(f for f in data["facts"] if f["cls"] == "Release" and f["date"] == "2023-11-25")
    assert [docs[ev[0]] for ev in later["ev"]] == ["outlet-b"]
    assert XSS_SCRIPT not in html.render(b, triples)


def test_confidence_is_on_the_page_only_where_the_graph_gives_one():
    b, triples = events_builder()
    data = html.vis_data(b, triples)
    conf = {f["cls"]: f.get("conf") for f in data["facts"]}
    assert conf["Statement"] == 0.6 and conf["Negotiation"] is None and conf["Release"] is None
    assert html.event_date(["2023-11", "2023-11-24", "2023"]) == "2023-11-24"
    assert html.event_date([]) is None
