"""graph.html: the graph as an analyst's workbench, in one self-contained file.

What the page shows
-------------------
Entities are nodes, coloured and shaped by class, sized by how many facts they take part in
(computed with networkx). Facts are drawn so that they read as sentences:

* a fact with one acting side and one acted-on side becomes labelled edges between entities:
  ``Qatar —mediates→ Hamas``, ``Netanyahu —prime minister of→ Israel``, ``Russia —released→ X``;
* an exchange is a small hub node that its releases point into, each edge carrying the count and
  qualifier: ``Palestinian groups —released more than 100 captives→ ◆exchange ←released more
  than 200 prisoners— Israel``;
* other many-sided facts (a meeting of three countries in Paris, a proposal made by one side and
  rejected by another) are a hub node joined to their entities by edges named for the role;
* a fact about one entity only (a statement, a demand, a casualty report) hangs off that entity as
  a small node; many of one kind off one entity are drawn as one node ("4 statements").

Edges that say the same thing between the same two nodes are merged, and remember every fact and
sentence behind them. Hovering an edge or node shows those sentences and their documents; clicking
opens a side panel with every fact and its sources (each report's sentence, document and what that
report says of the event: its figure, the roles it names), in date order. The page has a search
box, filters by entity class, fact kind, document and confidence, and a timeline of the events by
their own date (``kgo:date``; the date of the earliest report only where the text gives none, and
marked so).

Scale: a graph with more than ``CAP_VISIBLE`` nodes opens with only the entities in at least
``minDegree`` facts (the smallest threshold that fits the cap) and says so; the threshold is a
control on the page. Above ``PHYSICS_MAX_NODES`` positions are computed here with networkx and
physics is off; smaller graphs run vis-network's physics a fixed number of iterations, then stop.

Offline and safe: pyvis builds the node and edge lists, but the page uses our own template
(pyvis's pulls CDNs) with the vis-network build from the pyvis wheel inlined. The page's CSP
forbids every network load. Article text reaches the page only as JSON inside a
``<script type="application/json">`` element with ``<``, ``>`` and ``&`` escaped, and is shown
through ``textContent`` and vis-network string titles (which vis-network 9 sets with
``innerText``), never parsed as HTML. Output is deterministic: the same graph gives the same bytes.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import networkx as nx

from .reduce import CanonFact, GraphBuilder

# class → (colour, vis-network shape)
CLASS_STYLE = {
    "Country": ("#1f77b4", "hexagon"), "Organization": ("#d62728", "square"), "Person": ("#2ca02c", "dot"),
    "Place": ("#8c564b", "triangleDown"), "Group": ("#9467bd", "star"),
}
FACT_COLOR = {
    "Negotiation": "#ff7f0e", "Meeting": "#17becf", "Truce": "#a5a617", "HostageTaking": "#e377c2",
    "Release": "#7b4173", "Exchange": "#843c39", "Demand": "#d6616b", "Proposal": "#6b6ecf",
    "Statement": "#9a9a9a", "CasualtyReport": "#404040", "Role": "#7f9c45",
}
KIND_NOUN = {
    "Negotiation": ("talks", "talks"), "Meeting": ("meeting", "meetings"), "Truce": ("truce", "truces"),
    "HostageTaking": ("hostage-taking", "hostage-takings"), "Release": ("release", "releases"),
    "Exchange": ("exchange", "exchanges"), "Demand": ("demand", "demands"), "Proposal": ("proposal", "proposals"),
    "Statement": ("statement", "statements"), "CasualtyReport": ("casualty report", "casualty reports"),
    "Role": ("role", "roles"),
}
# edge labels, by role, for edges between an entity and a fact's hub node
ROLE_VERB = {
    "mediator": "mediates", "party": "party", "participant": "met", "location": "in", "releasedBy": "released",
    "perpetrator": "took", "demandedBy": "demanded", "proposedBy": "proposed", "rejectedBy": "rejected",
    "acceptedBy": "accepted", "speaker": "said", "reportedBy": "reported", "holder": "holds", "roleOf": "of",
    "detainee": "freed", "hasRelease": "includes", "subject": "about", "partOf": "part of",
}
# roles whose edge points from the fact to the entity (the rest point from the entity to the fact)
OUTWARD_ROLES = {"location", "detainee", "roleOf"}
# a fact with one acting side and one acted-on side is drawn as direct edges agent → target
AGENT_ROLE = {
    "Negotiation": "mediator", "Release": "releasedBy", "HostageTaking": "perpetrator", "Role": "holder",
    "Proposal": "proposedBy", "Demand": "demandedBy", "Statement": "speaker", "CasualtyReport": "reportedBy",
}
TARGET_ROLES = {
    "Negotiation": ("party",), "Release": ("detainee",), "HostageTaking": ("detainee",), "Role": ("roleOf",),
    "Proposal": ("acceptedBy", "rejectedBy"),
}
# a fact between exactly two entities in one symmetric role is one undirected edge
SYMMETRIC_ROLE = {"Meeting": "participant", "Truce": "party", "Negotiation": "party", "Exchange": "party"}
MAX_DIRECT_EDGES = 6          # agent × target pairs above this draw a hub node instead
LEAF_GROUP_MIN = {"Statement": 2}   # single-entity facts of one kind per entity drawn as one node from
LEAF_GROUP_DEFAULT = 3
HUB_GROUP_MIN = 3             # many-sided facts of one kind among the same entities drawn as one node from
CAP_VISIBLE = 400             # nodes shown when the page opens; more → hide entities in few facts
CAP_EDGES = 900               # and edges
PHYSICS_MAX_NODES = 300       # above this, positions come from networkx and physics is off
STABILIZE_ITERATIONS = 400
EDGE_LENGTH = 130             # pixels, for the networkx layout


def _count_text(v: dict) -> str:
    n = v.get("count")
    if n is None:
        return ""
    if isinstance(n, list):  # reports of one event that give different figures
        return "–".join(f"{int(x):,}" for x in (min(n), max(n)))
    try:
        num = f"{int(n):,}"
    except (TypeError, ValueError):
        num = str(n)
    q = v.get("countQualifier")
    return f"{q} {num}" if isinstance(q, str) and q != "exact" else num


def _plural(word: str, n) -> str:
    if n == 1 or word.endswith("s"):
        return word
    return word + "s"


def fact_caption(cf: CanonFact) -> str:
    """What happened, in a few words: "released more than 200 prisoners", "truce (agreed)"."""
    v = cf.values
    n, num = v.get("count"), _count_text(cf.values)
    if cf.cls == "Release":
        kind = str(v.get("detaineeKind") or "detainee")
        return f"released {num} {_plural(kind, n)}" if num else f"released {_plural(kind, None)}"
    if cf.cls == "HostageTaking":
        return f"took {num} {_plural('hostage', n)}" if num else "took hostages"
    if cf.cls == "CasualtyReport":
        kind = str(v.get("casualtyKind") or "casualties")
        return f"{num} {kind}" if num else kind
    if cf.cls == "Role":
        return str(v.get("title") or "role")
    if cf.cls == "Truce":
        return f"truce ({v['status']})" if v.get("status") else "truce"
    return KIND_NOUN.get(cf.cls, (cf.cls,))[0]


_DATE_FORMATS = ("%d %B %Y", "%B %d, %Y", "%B %d %Y", "%d %b %Y", "%b %d, %Y", "%b %d %Y", "%Y/%m/%d", "%d.%m.%Y")


def iso_date(raw) -> str | None:
    """A document's date as YYYY-MM-DD, so that the timeline sorts; None when it cannot be read."""
    import datetime as dt

    text = str(raw or "").strip()
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        return m.group(0)
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _clip(text: str, n: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _role_label(cf: CanonFact, role: str) -> str:
    """Label of the edge between an entity in `role` and the fact's node."""
    if role == AGENT_ROLE.get(cf.cls):
        if cf.cls in ("Release", "HostageTaking"):
            return fact_caption(cf)
        if cf.cls == "CasualtyReport":
            return "reported " + fact_caption(cf)
    return ROLE_VERB.get(role, role)


def _direct_label(cf: CanonFact, target_role: str) -> str:
    """Label of a direct agent → target edge."""
    if cf.cls == "Negotiation":
        return "mediates"
    if cf.cls == "Role":
        title = fact_caption(cf)
        return title if title.startswith("of ") or title.endswith(" of") else f"{title} of"
    if cf.cls == "Proposal":
        return "proposal accepted by" if target_role == "acceptedBy" else "proposal rejected by"
    if cf.cls == "HostageTaking":
        return "took hostage"
    if cf.cls == "Release":
        return "released"
    return ROLE_VERB.get(target_role, target_role)


def _hub_label(cf: CanonFact) -> str:
    """Label of a fact's own node."""
    v = cf.values
    if cf.cls == "Demand" and v.get("text"):
        label = "“" + _clip(str(v["text"]), 34) + "”"
    elif cf.cls in ("Role", "Truce", "CasualtyReport"):
        label = fact_caption(cf) if cf.cls != "CasualtyReport" else KIND_NOUN["CasualtyReport"][0]
    else:
        label = KIND_NOUN.get(cf.cls, (cf.cls,))[0]
    if v.get("timeText"):
        label += "\n" + _clip(str(v["timeText"]), 30)
    return label


class _IdList(list):
    """pyvis keeps node ids in a list and tests membership on every add_node/add_edge, which is
    quadratic; this list answers `in` from a set so that 10 000-node graphs build in a blink."""

    def __init__(self) -> None:
        super().__init__()
        self._ids: set = set()

    def append(self, item) -> None:
        super().append(item)
        self._ids.add(item)

    def __contains__(self, item) -> bool:
        return item in self._ids


class _Display:
    """The drawing: nodes and merged edges, each remembering the facts behind it."""

    def __init__(self) -> None:
        self.hubs: dict[str, dict] = {}
        self.edges: dict[tuple, dict] = {}
        self.drawn: set[str] = set()
        self.hub_of: dict[str, str] = {}

    def hub(self, node_id: str, cls: str, label: str, fact: str) -> None:
        h = self.hubs.setdefault(node_id, {"cls": cls, "label": label, "facts": []})
        if fact not in h["facts"]:
            h["facts"].append(fact)
        self.drawn.add(fact)

    def edge(self, frm: str, to: str, label: str, cls: str, fact: str, directed: bool = True,
             counted: bool = True) -> None:
        if not directed and to < frm:
            frm, to = to, frm
        e = self.edges.setdefault((frm, to, cls, label, directed), {"facts": [], "counted": counted})
        if fact not in e["facts"]:
            e["facts"].append(fact)
        self.drawn.add(fact)

    def role_edge(self, cf: CanonFact, role: str, entity: str, hub_id: str, label: str | None = None,
                  counted: bool = True) -> None:
        label = label or _role_label(cf, role)
        if role in OUTWARD_ROLES:
            self.edge(hub_id, entity, label, cf.cls, cf.iri, counted=counted)
        else:
            self.edge(entity, hub_id, label, cf.cls, cf.iri, counted=counted)


def _draw(b: GraphBuilder, ents: set[str]) -> _Display:
    d = _Display()
    facts = b.facts
    args = {iri: {r: [e for e in vals if e in ents] for r, vals in sorted(cf.args.items())}
            for iri, cf in facts.items()}
    args = {iri: {r: v for r, v in a.items() if v} for iri, a in args.items()}

    # an exchange's releases are drawn into the exchange's node; other links make both ends hubs
    exchange_of: dict[str, str] = {}
    force_hub: set[str] = set()
    for iri in sorted(facts):
        cf = facts[iri]
        for prop, targets in sorted(cf.links.items()):
            targets = [t for t in targets if t in facts]
            if cf.cls == "Exchange" and prop == "hasRelease":
                for t in targets:
                    exchange_of.setdefault(t, iri)
            elif targets:
                force_hub.add(iri)
                force_hub.update(targets)
    releases: dict[str, list[str]] = defaultdict(list)
    for r_iri, x_iri in sorted(exchange_of.items()):
        releases[x_iri].append(r_iri)

    def reaches_entity(iri: str) -> bool:
        return bool(args[iri]) or any(args[r] for r in releases.get(iri, ()))

    hubs: list[str] = []
    leaves: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for iri in sorted(facts):
        cf = facts[iri]
        a = args[iri]
        if iri in exchange_of and reaches_entity(exchange_of[iri]):
            continue  # drawn with its exchange
        if cf.cls == "Exchange" or iri in force_hub:
            if reaches_entity(iri) or iri in force_hub:
                hubs.append(iri)
            continue  # else nothing to attach it to: the page lists it as a detached fact
        if not a:
            continue
        agent = AGENT_ROLE.get(cf.cls)
        targets = [r for r in TARGET_ROLES.get(cf.cls, ()) if r in a]
        others = set(a) - {agent} - set(targets)
        if agent in a and targets and not others and \
                len(a[agent]) * sum(len(a[r]) for r in targets) <= MAX_DIRECT_EDGES:
            for r in targets:
                for src in a[agent]:
                    for dst in a[r]:
                        if src != dst:
                            d.edge(src, dst, _direct_label(cf, r), cf.cls, iri)
            if iri in d.drawn:
                continue
        sym = SYMMETRIC_ROLE.get(cf.cls)
        if sym and set(a) == {sym} and len(a[sym]) == 2:
            label = {"Meeting": "met", "Negotiation": "in talks", "Exchange": "exchange"}.get(cf.cls, fact_caption(cf))
            d.edge(a[sym][0], a[sym][1], label, cf.cls, iri, directed=False)
            continue
        members = {(r, e) for r, vals in a.items() for e in vals}
        if len(members) == 1:
            (role, e), = members
            leaves[(e, cf.cls, role)].append(iri)
            continue
        hubs.append(iri)

    # many-sided facts: one node each, or one node for many facts of a kind among the same entities
    def signature(iri: str) -> tuple:
        pairs = [(r, e) for r, vals in args[iri].items() for e in vals]
        pairs += [(r, e) for x in releases.get(iri, ()) for r, vals in args[x].items() for e in vals]
        return facts[iri].cls, tuple(sorted(set(pairs)))

    groups: dict[tuple, list[str]] = defaultdict(list)
    for iri in hubs:
        groups[("", iri) if iri in force_hub else signature(iri)].append(iri)
    for sig, members in sorted(groups.items()):
        cls = facts[members[0]].cls
        aggregated = sig[0] != "" and len(members) >= HUB_GROUP_MIN
        if aggregated:
            hub_id = "group:" + hashlib.sha1(repr(sig).encode()).hexdigest()[:16]
            label = f"{len(members)} {KIND_NOUN.get(cls, (cls, cls))[1]}"
        for iri in members:
            cf = facts[iri]
            if not aggregated:
                hub_id, label = iri, _hub_label(cf)
            d.hub(hub_id, cls, label, iri)
            for role, vals in args[iri].items():
                if cf.cls == "Exchange" and role == "party":
                    continue  # joined below, where no release already joins the party
                for e in vals:
                    d.role_edge(cf, role, e, hub_id, ROLE_VERB.get(role, role) if aggregated else None,
                                counted=not aggregated)
            # an exchange's releases: the releaser points into the exchange with what it released
            for r_iri in releases.get(iri, ()):
                rf, ra = facts[r_iri], args[r_iri]
                releasers, detainees = ra.get("releasedBy", []), ra.get("detainee", [])
                for r in releasers:
                    if detainees:
                        for p in detainees:
                            d.edge(r, p, "released", rf.cls, r_iri)
                    else:
                        d.edge(r, hub_id, "released" if aggregated else fact_caption(rf), rf.cls, r_iri,
                               counted=not aggregated)
                for p in detainees:
                    d.edge(p, hub_id, "freed in exchange", rf.cls, r_iri, counted=not aggregated)
                if not releasers and not detainees:
                    d.hub(r_iri, rf.cls, _hub_label(rf) + "\n" + fact_caption(rf), r_iri)
                    d.edge(hub_id, r_iri, "includes", cf.cls, iri)
            if cf.cls == "Exchange":
                joined = {k[0] for k in d.edges if k[1] == hub_id} | {k[1] for k in d.edges if k[0] == hub_id}
                for e in args[iri].get("party", []):
                    if e not in joined:
                        d.role_edge(cf, "party", e, hub_id, counted=not aggregated)
            d.hub_of[iri] = hub_id
    # links between facts drawn as hubs
    for iri in sorted(facts):
        cf = facts[iri]
        for prop, targets in sorted(cf.links.items()):
            if cf.cls == "Exchange" and prop == "hasRelease":
                continue
            for t in targets:
                if iri in d.hub_of and t in d.hub_of:
                    d.edge(d.hub_of[iri], d.hub_of[t], ROLE_VERB.get(prop, prop), cf.cls, iri)

    # single-entity facts: one small node each, or one node for many of a kind
    for (e, cls, role), group in sorted(leaves.items()):
        if len(group) >= LEAF_GROUP_MIN.get(cls, LEAF_GROUP_DEFAULT):
            hub_id = f"{e}#{cls.lower()}-{role}"
            label = f"{len(group)} {KIND_NOUN.get(cls, (cls, cls))[1]}"
            for iri in group:
                d.hub(hub_id, cls, label, iri)
                d.role_edge(facts[iri], role, e, hub_id, ROLE_VERB.get(role, role), counted=False)
        else:
            for iri in group:
                d.hub(iri, cls, _hub_label(facts[iri]), iri)
                d.role_edge(facts[iri], role, e, iri)
    return d


def _visible(nodes: list[dict], edges: list[dict], min_degree: int, show_leaves: bool = True
             ) -> tuple[set[str], set[str]]:
    """The nodes and edges the page shows with every class, kind and document selected, entities in
    fewer than `min_degree` facts hidden, and one-entity fact nodes shown or not. A fact node shows
    when it joins two shown entities (or its only one); graph_template.html's computeVisible() is
    the same rule."""
    kind = {n["id"]: n["kind"] for n in nodes}
    ok = {n["id"]: (n["deg"] >= min_degree) if n["kind"] == "entity" else (show_leaves or n["span"] != 1)
          for n in nodes}
    adj: dict[str, list[int]] = defaultdict(list)
    cand = []
    for i, e in enumerate(edges):
        adj[e["from"]].append(i)
        adj[e["to"]].append(i)
        cand.append(ok[e["from"]] and ok[e["to"]])

    def other(i: int, n: str) -> str:
        return edges[i]["to"] if edges[i]["from"] == n else edges[i]["from"]

    vis, anchored = set(), set()
    for n in nodes:
        nid = n["id"]
        if not ok[nid]:
            continue
        if n["kind"] == "entity":
            if any(cand[i] for i in adj[nid]):
                vis.add(nid)
        else:
            joined = {other(i, nid) for i in adj[nid] if cand[i] and kind[other(i, nid)] == "entity"}
            if joined and len(joined) >= min(2, n["span"]):
                vis.add(nid)
                anchored.add(nid)
    for n in nodes:
        nid = n["id"]
        if n["kind"] != "entity" and ok[nid] and nid not in vis:
            if any(cand[i] and other(i, nid) in anchored for i in adj[nid]):
                vis.add(nid)
    evis = {e["id"] for i, e in enumerate(edges) if cand[i] and e["from"] in vis and e["to"] in vis}
    vis = {nid for nid in vis if kind[nid] != "entity" or any(edges[i]["id"] in evis for i in adj[nid])}
    return vis, evis


def default_view(data: dict) -> tuple[set[str], set[str]]:
    """Node and edge ids the page shows when it opens (for tests and the benchmark)."""
    st = data["settings"]
    return _visible(data["nodes"], data["edges"], st["minDegree"], st["showLeaves"])


def _choose_view(nodes: list[dict], edges: list[dict]) -> tuple[int, bool]:
    """Entity threshold and whether one-entity facts show when the page opens: everything when the
    graph is small, else the lowest threshold whose view fits CAP_VISIBLE (found by bisection: the
    view only shrinks as the threshold grows)."""
    if len(nodes) <= CAP_VISIBLE and len(edges) <= CAP_EDGES:
        return 1, True
    degrees = sorted({n["deg"] for n in nodes if n["kind"] == "entity"})
    lo, hi = 0, len(degrees) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        shown_nodes, shown_edges = _visible(nodes, edges, degrees[mid], False)
        if len(shown_nodes) <= CAP_VISIBLE and len(shown_edges) <= CAP_EDGES:
            hi = mid
        else:
            lo = mid + 1
    return (degrees[lo] if degrees else 1), False


def _ring_place(pos: dict, g: nx.Graph, roots: list, center: tuple[float, float]) -> None:
    """Place every node reachable from `roots` (already placed) around the neighbour it hangs from,
    on a sunflower spiral pointing away from `center`."""
    golden = math.pi * (3 - math.sqrt(5))
    frontier = sorted(roots)
    while frontier:
        nxt = []
        for u in frontier:
            kids = sorted(v for v in g[u] if v not in pos)
            if not kids:
                continue
            ux, uy = pos[u]
            base = math.atan2(uy - center[1], ux - center[0]) if (ux, uy) != center else 0.0
            for i, v in enumerate(kids):
                r = 0.55 * EDGE_LENGTH + 0.3 * EDGE_LENGTH * math.sqrt(i)
                a = base + i * golden
                pos[v] = (ux + r * math.cos(a), uy + r * math.sin(a))
                nxt.append(v)
        frontier = nxt


def _component_layout(g: nx.Graph, boxes: dict) -> dict:
    nodes = sorted(g)
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    if len(nodes) == 2:
        return {nodes[0]: (0.0, 0.0), nodes[1]: (float(EDGE_LENGTH), 0.0)}
    if len(nodes) >= 500:  # spring_layout needs scipy from 500 nodes on: rings around the best connected
        root = max(nodes, key=lambda n: (g.degree(n), n))
        pos = {root: (0.0, 0.0)}
        _ring_place(pos, g, [root], (0.0, 0.0))
        return pos
    sub = nx.Graph()
    sub.add_nodes_from(nodes)
    sub.add_edges_from(sorted(tuple(sorted(e)) for e in g.edges()))
    raw = nx.spring_layout(sub, seed=7, iterations=100)
    lengths = sorted(math.dist(raw[u], raw[v]) for u, v in sub.edges())
    scale = EDGE_LENGTH / max(lengths[len(lengths) // 2], 1e-6)
    return {n: (float(raw[n][0]) * scale, float(raw[n][1]) * scale) for n in nodes}


def _spread(pos: dict, boxes: dict, rounds: int = 80) -> dict:
    """Remove overlaps between the boxes (node and label) of a layout: each round, every
    overlapping pair is pushed apart along the axis where it overlaps least."""
    import numpy as np

    ids = list(pos)
    n = len(ids)
    if n < 2 or n > 3000:
        return pos
    xy = np.array([pos[k] for k in ids], dtype=float)
    wh = np.array([boxes.get(k, (40.0, 40.0)) for k in ids], dtype=float)
    need_x = (wh[:, None, 0] + wh[None, :, 0]) / 2 + 8
    need_y = (wh[:, None, 1] + wh[None, :, 1]) / 2 + 8
    tie = np.sign(np.arange(n)[:, None] - np.arange(n)[None, :]).astype(float)
    for _ in range(rounds):
        dx = xy[:, None, 0] - xy[None, :, 0]
        dy = xy[:, None, 1] - xy[None, :, 1]
        ox = need_x - np.abs(dx)
        oy = need_y - np.abs(dy)
        hit = (ox > 0) & (oy > 0)
        np.fill_diagonal(hit, False)
        if not hit.any():
            break
        sx = np.where(dx != 0, np.sign(dx), tie)
        sy = np.where(dy != 0, np.sign(dy), tie)
        along_x = hit & (ox <= oy)
        along_y = hit & (ox > oy)
        xy[:, 0] += (np.where(along_x, ox * sx, 0.0)).sum(1) * 0.3
        xy[:, 1] += (np.where(along_y, oy * sy, 0.0)).sum(1) * 0.3
    return {k: (float(x), float(y)) for k, (x, y) in zip(ids, xy)}


def _pack(layouts: list[dict], top: float, width: float) -> dict:
    """Shelf-pack component layouts in rows under `top`, each row at most `width` wide."""
    pos: dict = {}
    x, y, row_h, gap = 0.0, top, 0.0, EDGE_LENGTH * 0.8
    for lay in layouts:
        xs = [p[0] for p in lay.values()]
        ys = [p[1] for p in lay.values()]
        w, h = max(xs) - min(xs), max(ys) - min(ys)
        if x > 0 and x + w > width:
            x, y, row_h = 0.0, y + row_h + gap, 0.0
        for n, (px, py) in lay.items():
            pos[n] = (px - min(xs) + x, py - min(ys) + y)
        x += w + gap
        row_h = max(row_h, h)
    return pos


def _box(node: dict) -> tuple[float, float]:
    """Width and height that a node and its label take on the canvas, roughly."""
    font = node.get("font", {}).get("size", 14)
    lines = node["label"].split("\n")
    r = node.get("size", 10)
    return (max(2 * r, 0.58 * font * max(len(x) for x in lines)), 2 * r + 1.3 * font * len(lines) + 4)


def _layout(nodes: list[dict], edges: list[dict], core: set[str]) -> dict[str, tuple[int, int]]:
    """Positions for a large graph: a spring layout of what the page shows first, then everything
    else in rings around the node it hangs from, and the rest packed below."""
    g = nx.Graph()
    g.add_nodes_from(n["id"] for n in nodes)
    g.add_edges_from((e["from"], e["to"]) for e in edges)
    core_g = g.subgraph(core)
    comps = sorted((sorted(c) for c in nx.connected_components(core_g)), key=lambda c: (-len(c), c[0]))
    boxes = {n["id"]: _box(n) for n in nodes}
    layouts = [_spread(_component_layout(core_g.subgraph(c), boxes), boxes) for c in comps]
    total = sum(len(c) for c in comps)
    width = max([max(p[0] for p in lay.values()) - min(p[0] for p in lay.values()) for lay in layouts[:1]] +
                [EDGE_LENGTH * 1.6 * math.sqrt(max(total, 1))])
    pos = _pack(layouts, 0.0, width)
    if pos:
        cx = sum(p[0] for p in pos.values()) / len(pos)
        cy = sum(p[1] for p in pos.values()) / len(pos)
        _ring_place(pos, g, list(pos), (cx, cy))
    rest = sorted((sorted(c) for c in nx.connected_components(g.subgraph([n for n in g if n not in pos]))),
                  key=lambda c: (-len(c), c[0]))
    if rest:
        bottom = max((p[1] for p in pos.values()), default=0.0) + EDGE_LENGTH * 2
        extra = []
        for c in rest:
            sub = g.subgraph(c)
            root = max(c, key=lambda n: (sub.degree(n), n))
            lay = {root: (0.0, 0.0)}
            _ring_place(lay, sub, [root], (0.0, 0.0))
            extra.append(lay)
        pos.update(_pack(extra, bottom, width))
    return {n: (round(x), round(y)) for n, (x, y) in pos.items()}


def _curve_multi_edges(edges: list[dict]) -> None:
    """Edges sharing two end nodes get curves of growing roundness so that none hides another."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for e in edges:
        groups[tuple(sorted((e["from"], e["to"])))].append(e)
    for (a, _b), group in groups.items():
        if len(group) < 2:
            continue
        for i, e in enumerate(group):
            cw = (i % 2 == 0) == (e["from"] == a)
            e["smooth"] = {"enabled": True, "type": "curvedCW" if cw else "curvedCCW",
                           "roundness": round(0.15 + 0.15 * (i // 2), 2)}


def vis_data(b: GraphBuilder, triples=None) -> dict:
    """Everything the page needs, as plain JSON-able data: vis-network nodes and edges (built by
    pyvis from a networkx graph), the facts with their evidence, the documents and settings.
    `triples` are the graph's fact and evidence statements (default: `rdf.fact_triples(b)`, what the
    Turtle holds); the page reads each event's dates, its confidence and what each report's evidence
    says of it (its figure, the roles it names, its rule) from them."""
    from pyvis.network import Network

    entities = b.referenced_entities()
    ent_iris = {e.iri for e in entities}
    display = _draw(b, ent_iris)

    # degree and size from the entity–fact graph
    bip = nx.Graph()
    bip.add_nodes_from(sorted(ent_iris))
    for iri in sorted(b.facts):
        for vals in b.facts[iri].args.values():
            for e in vals:
                if e in ent_iris:
                    bip.add_edge(e, iri)
    degree = {e: bip.degree(e) for e in sorted(ent_iris)}
    max_deg = max(degree.values(), default=1) or 1

    # the drawing as a networkx graph, then through pyvis
    g = nx.MultiDiGraph()
    for e in entities:
        color, shape = CLASS_STYLE.get(e.cls, ("#999999", "dot"))
        frac = math.sqrt(degree[e.iri] / max_deg)
        g.add_node(e.iri, kind="entity", cls=e.cls, label=e.label, alt=e.alt_labels[:12], deg=degree[e.iri],
                   shape=shape, color=color, size=round(12 + 24 * frac, 1),
                   font={"size": round(15 + 7 * frac, 1)})
    fact_index = {iri: i for i, iri in enumerate(sorted(b.facts))}
    span: dict[str, set[str]] = defaultdict(set)  # a fact node's entity neighbours
    for frm, to, *_ in display.edges:
        if frm in ent_iris:
            span[to].add(frm)
        if to in ent_iris:
            span[frm].add(to)
    for hub_id in sorted(display.hubs):
        h = display.hubs[hub_id]
        n = len(h["facts"])
        g.add_node(hub_id, kind="fact", cls=h["cls"], label=h["label"], shape="diamond", span=len(span[hub_id]),
                   color=FACT_COLOR.get(h["cls"], "#cccccc"), size=round(7 + 3 * math.log2(n), 1),
                   facts=sorted(fact_index[f] for f in h["facts"]), font={"size": 12, "color": "#444444"})
    for (frm, to, cls, label, directed), e in sorted(display.edges.items()):
        n = len(e["facts"])
        g.add_edge(frm, to, kind=cls, label=label if n == 1 or not e["counted"] else f"{label} ({n})",
                   directed=directed,
                   facts=sorted(fact_index[f] for f in e["facts"]))

    net = Network(directed=True)
    net.node_ids = _IdList()
    for nid, attrs in g.nodes(data=True):
        attrs = dict(attrs)
        net.add_node(nid, label=attrs.pop("label"), shape=attrs.pop("shape"), color=attrs.pop("color"), **attrs)
    for i, (u, v, attrs) in enumerate(g.edges(data=True)):
        attrs = dict(attrs)
        directed = attrs.pop("directed")
        color = FACT_COLOR.get(attrs["kind"], "#999999")
        net.add_edge(u, v, id=f"e{i}", arrows="to" if directed else "", color=color,
                     length=min(340, 100 + 7 * len(attrs["label"])),
                     width=round(1.5 + math.log2(len(attrs["facts"])), 2), **attrs)
    nodes, edges = net.nodes, net.edges
    _curve_multi_edges(edges)

    min_degree, show_leaves = _choose_view(nodes, edges)
    # physics only settles what is shown from the start; anything else needs positions up front
    physics = len(nodes) <= PHYSICS_MAX_NODES and min_degree == 1 and show_leaves
    if not physics:
        core = _visible(nodes, edges, min_degree, show_leaves)[0]
        for nid, (x, y) in _layout(nodes, edges, core).items():
            nd = net.node_map[nid]
            nd["x"], nd["y"] = x, y

    doc_ids = sorted(b.documents)
    doc_index = {d: i for i, d in enumerate(doc_ids)}
    documents = []
    for d in doc_ids:
        m = b.documents[d]
        doc = {"id": d, "title": m.title or d, "date": iso_date(m.date), "url": m.url, "source": m.source}
        if m.date and doc["date"] != m.date:
            doc["dateText"] = str(m.date)  # as the article gave it
        documents.append(doc)
    said = graph_statements(b, triples)
    facts, detached = [], []
    for iri in sorted(b.facts):
        cf = b.facts[iri]
        evs = sorted({(doc_index[doc], start, end, text) for doc, start, end, text in cf.evidence
                      if doc in doc_index})
        dates = sorted(documents[i]["date"] for i, _s, _e, _t in evs if documents[i]["date"])
        own = said.facts.get(iri, {})
        counts = sorted(set(own.get("count", [])), key=lambda n: (len(n), n))
        if len(counts) > 1:  # reports of one event that differ in the figure: "released 13 / 14 hostages"
            caption = fact_caption(CanonFact(iri, cf.cls, {}, {}, {**cf.values, "count": " / ".join(counts),
                                                                   "countQualifier": None}))
        else:
            caption = fact_caption(cf)
        if caption == KIND_NOUN.get(cf.cls, ("",))[0]:
            caption = ""  # nothing to add to the kind's name
        fact = {"id": iri, "cls": cf.cls, "caption": caption, "time": cf.values.get("timeText"),
                "date": event_date(own.get("date", [])), "docDate": dates[0] if dates else None,
                "docs": sorted({i for i, _s, _e, _t in evs}),
                "ev": [_evidence_entry(i, t, said.evidence.get((iri, doc_ids[i], start, end)))
                       for i, start, end, t in evs],
                "roles": [[r, [e for e in vals if e in ent_iris]] for r, vals in sorted(cf.args.items())],
                "links": [[p, list(vals)] for p, vals in sorted(cf.links.items())]}
        conf = _confidence(own.get("confidence", []))
        per_report = [said.evidence.get((iri, doc_ids[i], start, end), {}).get("confidence") for i, start, end, _t in evs]
        if conf is None and per_report and all(per_report):  # every reading of it is a fallback reading
            conf = _confidence([v for vals in per_report for v in vals])
        if conf is not None:
            fact["conf"] = conf
        if cf.values.get("text"):
            fact["detail"] = _clip(str(cf.values["text"]), 240)
        facts.append(fact)
        if iri not in display.drawn:
            detached.append(fact_index[iri])
    present = sorted({e.cls for e in entities})
    kinds = sorted({cf.cls for cf in b.facts.values()})
    return {
        "nodes": nodes, "edges": edges, "facts": facts, "documents": documents, "detached": detached,
        "legend": {"entities": {c: list(CLASS_STYLE.get(c, ("#999999", "dot"))) for c in present},
                   "facts": {k: FACT_COLOR.get(k, "#cccccc") for k in kinds}},
        "settings": {"physics": physics, "iterations": STABILIZE_ITERATIONS, "minDegree": min_degree,
                     "showLeaves": show_leaves, "cap": CAP_VISIBLE},
    }


# --- what the graph says of events and their reports ---------------------------------------------
# The page shows dates, confidence and each report's own figures as the Turtle states them, read
# from the same statements rdf.py writes, whatever the reduce step keeps them in.

_EVIDENCE_OWN = {"type", "document", "text", "charStart", "charEnd"}   # what every evidence node has


@dataclass
class GraphStatements:
    facts: dict[str, dict[str, list[str]]]                     # fact IRI → property → values
    evidence: dict[tuple[str, str, int, int], dict[str, list[str]]]  # (fact, doc id, start, end) → property → values


def graph_statements(b: GraphBuilder, triples=None) -> GraphStatements:
    """Fact-level kgo:date / kgo:confidence / kgo:count, and every property an evidence node carries
    beyond its anchor (kgo:count, kgo:participant, kgo:rule, …), keyed by the fact and the span."""
    from rdflib import URIRef

    from .namespace import KGO, KGO_IRI
    from .rdf import doc_iri, fact_triples

    doc_of = {doc_iri(d): d for d in b.documents}
    fact_props = {KGO.date: "date", KGO.confidence: "confidence", KGO["count"]: "count"}
    skip = {URIRef(KGO_IRI + k) for k in _EVIDENCE_OWN if k != "type"} - {KGO.document, KGO.charStart, KGO.charEnd}
    facts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    node: dict = defaultdict(dict)
    uses: list = []
    has_evidence, document, char_start, char_end = KGO.evidence, KGO.document, KGO.charStart, KGO.charEnd
    for s, p, o in (fact_triples(b) if triples is None else triples):
        if p == has_evidence:
            uses.append((str(s), o))
        elif p in fact_props and str(s) in b.facts:
            facts[str(s)][fact_props[p]].append(str(o))
        elif p not in skip and str(s) not in b.facts:
            node[s].setdefault(p, []).append(o)
    evidence: dict[tuple[str, str, int, int], dict[str, list[str]]] = {}
    for fact, ev in uses:
        n = node.get(ev)
        if not n or len(n) <= 4:  # type, document and offsets only: the report says nothing more
            continue
        try:
            doc = doc_of[n[document][0]]
            start, end = int(n[char_start][0]), int(n[char_end][0])
        except (KeyError, IndexError, ValueError):
            continue
        extra = {}
        for prop, vals in n.items():
            name = str(prop)
            name = name[len(KGO_IRI):] if name.startswith(KGO_IRI) else name.rsplit("#", 1)[-1]
            if name not in _EVIDENCE_OWN:
                extra[name] = sorted({str(v) for v in vals}, key=lambda v: (len(v), v))
        if extra:
            evidence[(fact, doc, start, end)] = dict(sorted(extra.items()))
    return GraphStatements({k: dict(v) for k, v in facts.items()}, evidence)


def event_date(dates: list[str]) -> str | None:
    """The date to place an event by: the most precise of its dates (reports of one event may give
    a month and a day), the earliest among equally precise ones."""
    return min(dates, key=lambda d: (-len(d), d)) if dates else None


def _confidence(values: list[str]) -> float | None:
    nums = []
    for v in values:
        try:
            nums.append(float(v))
        except ValueError:
            continue
    return round(max(nums), 3) if nums else None


def _evidence_entry(doc: int, text: str, extra: dict[str, list[str]] | None) -> list:
    """[document index, sentence] and, when the report's evidence says more, its own statements."""
    return [doc, text, [[k, v] for k, v in sorted(extra.items())]] if extra else [doc, text]


def _asset(name: str) -> str:
    return resources.files("pyvis").joinpath("templates", "lib", "vis-9.1.2", name).read_text(encoding="utf-8")


def _json_for_script(data) -> str:
    """JSON that cannot end its <script> element or open a comment: '<', '>' and '&' escaped."""
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            .replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


_PLACEHOLDER = re.compile(r"/\*(VIS_CSS|VIS_JS|GRAPH_DATA)\*/")


def render(b: GraphBuilder, triples=None) -> str:
    template = resources.files("kgbuild.data").joinpath("graph_template.html").read_text(encoding="utf-8")
    parts = {
        "VIS_CSS": _asset("vis-network.css"),
        "VIS_JS": _asset("vis-network.min.js").replace("</script", "<\\/script").replace("<!--", "<\\!--"),
        "GRAPH_DATA": _json_for_script(vis_data(b, triples)),
    }
    # one pass, so that nothing inserted is searched for placeholders again
    return _PLACEHOLDER.sub(lambda m: parts[m.group(1)], template)


def write(b: GraphBuilder, path: Path, triples=None) -> Path:
    from .rdf import atomic_write

    atomic_write(path, render(b, triples))
    return path
