"""graph.html: the graph drawn with pyvis/vis-network, in one self-contained file.

Entities are nodes coloured and shaped by class; each fact is a small node of its own (the n-ary
pattern, drawn honestly) labelled with what happened ("released 100 captives"), joined to its
entities by edges named for their role. Hovering a fact or an edge shows its evidence sentences.

pyvis's own template loads vis-network and Bootstrap from CDNs; this module inlines the
vis-network build that ships inside the pyvis wheel, so the page opens with no network. All article
text enters the page as JSON inside a <script> element with '<', '>' and '&' escaped, and
vis-network shows titles as text, so an article containing '<script>' cannot run.
"""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import networkx as nx

from .reduce import GraphBuilder

CLASS_STYLE = {
    "Country": ("#1f77b4", "dot"), "Organization": ("#d62728", "square"), "Person": ("#2ca02c", "dot"),
    "Place": ("#8c564b", "triangle"), "Group": ("#9467bd", "square"),
}
FACT_COLOR = {
    "Negotiation": "#ff7f0e", "Meeting": "#17becf", "Truce": "#bcbd22", "HostageTaking": "#e377c2",
    "Release": "#7f7f7f", "Exchange": "#ffbb78", "Demand": "#c49c94", "Proposal": "#aec7e8",
    "Statement": "#dbdb8d", "CasualtyReport": "#000000", "Role": "#98df8a",
}
ROLE_VERB = {
    "mediator": "mediates", "party": "party", "participant": "met", "location": "at", "releasedBy": "released",
    "perpetrator": "took", "demandedBy": "demanded", "proposedBy": "proposed", "rejectedBy": "rejected",
    "acceptedBy": "accepted", "speaker": "said", "reportedBy": "reported", "holder": "holds", "roleOf": "of",
    "detainee": "freed", "hasRelease": "includes", "subject": "about", "partOf": "part of",
}


def fact_caption(cf) -> str:
    v = cf.values
    n = v.get("count")
    q = v.get("countQualifier")
    num = "" if n is None else (f"{q} {n} " if q and q != "exact" else f"{n} ")
    return {
        "Release": f"released {num}{v.get('detaineeKind', '')}s".replace("  ", " ") if n is not None
        else f"released {v.get('detaineeKind', 'detainee')}",
        "HostageTaking": f"took {num}hostage{'s' if n != 1 else ''}",
        "CasualtyReport": f"{num}{v.get('casualtyKind', 'killed')}",
        "Role": str(v.get("title", "role")),
        "Truce": f"truce ({v.get('status')})" if v.get("status") else "truce",
        "Negotiation": "mediation", "Exchange": "exchange", "Meeting": "meeting", "Demand": "demand",
        "Proposal": "proposal", "Statement": "statement",
    }.get(cf.cls, cf.cls)


def build_nx(b: GraphBuilder) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    ents = b.entity_iris()
    for e in b.referenced_entities():
        g.add_node(e.iri, kind="entity", cls=e.cls, label=e.label, alt=e.alt_labels)
    for iri in sorted(b.facts):
        cf = b.facts[iri]
        evidence = [{"doc": d, "text": t} for d, _s, _e, t in sorted(cf.evidence)]
        g.add_node(iri, kind="fact", cls=cf.cls, label=fact_caption(cf), evidence=evidence,
                   docs=sorted({d for d, *_ in cf.evidence}), time=cf.values.get("timeText"))
        for prop, vals in sorted(cf.args.items()):
            for v in vals:
                if v in ents:
                    g.add_edge(v, iri, role=prop, label=ROLE_VERB.get(prop, prop), evidence=evidence)
        for prop, vals in sorted(cf.links.items()):
            for v in vals:
                g.add_edge(iri, v, role=prop, label=ROLE_VERB.get(prop, prop), evidence=evidence)
    return g


def _tooltip(label: str, evidence: list[dict]) -> str:
    lines = [label] + [f"[{e['doc']}] {e['text']}" for e in evidence[:5]]
    if len(evidence) > 5:
        lines.append(f"… and {len(evidence) - 5} more")
    return "\n".join(lines)


def vis_data(b: GraphBuilder) -> dict:
    g = build_nx(b)
    degree = dict(g.degree())
    nodes, edges = [], []
    for n, d in g.nodes(data=True):
        if d["kind"] == "entity":
            color, shape = CLASS_STYLE.get(d["cls"], ("#999999", "dot"))
            nodes.append({"id": n, "label": d["label"], "group": d["cls"], "shape": shape, "color": color,
                          "size": 12 + 3 * min(degree.get(n, 0), 12), "kind": "entity",
                          "title": "\n".join([f"{d['label']} ({d['cls']})", *d["alt"][:8]])})
        else:
            nodes.append({"id": n, "label": d["label"], "group": d["cls"], "shape": "diamond", "size": 7,
                          "color": FACT_COLOR.get(d["cls"], "#cccccc"), "kind": "fact", "docs": d["docs"],
                          "title": _tooltip(f"{d['cls']}: {d['label']}", d["evidence"]), "font": {"size": 10}})
    for i, (u, v, d) in enumerate(g.edges(data=True)):
        edges.append({"id": f"e{i}", "from": u, "to": v, "label": d["label"], "arrows": "to",
                      "title": _tooltip(d["label"], d["evidence"]), "role": d["role"], "font": {"size": 9}})
    return {"nodes": nodes, "edges": edges, "documents": sorted(b.documents)}


def _asset(name: str) -> str:
    return resources.files("pyvis").joinpath("templates", "lib", "vis-9.1.2", name).read_text(encoding="utf-8")


def _json_for_script(data) -> str:
    return (json.dumps(data, ensure_ascii=False, sort_keys=True)
            .replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def render(b: GraphBuilder) -> str:
    template = resources.files("kgbuild.data").joinpath("graph_template.html").read_text(encoding="utf-8")
    legend = {"entities": {k: v[0] for k, v in CLASS_STYLE.items()}, "facts": FACT_COLOR}
    return (template.replace("/*VIS_CSS*/", _asset("vis-network.css"))
            .replace("/*VIS_JS*/", _asset("vis-network.min.js").replace("</script", "<\\/script"))
            .replace("/*GRAPH_DATA*/null", _json_for_script(vis_data(b)))
            .replace("/*LEGEND*/null", _json_for_script(legend)))


def write(b: GraphBuilder, path: Path) -> Path:
    from .rdf import atomic_write

    atomic_write(path, render(b))
    return path
