"""How graph.html copes with a big build: ~500 articles' worth of entities and facts.

Makes a synthetic GraphBuilder from DocResult/Entity/Fact/Evidence records (no spaCy: the shape of
the data is what matters here, not the text), writes graph.html, and, when Debian's Chromium is
installed, opens it from disk in headless Chromium and measures how long the page takes until the
graph is drawn (window.kgReadyAt) and how long one redraw takes while panning.

    .venv/bin/python benchmarks/html_scale.py --docs 500 --out outputs/bench-html

The generator is deterministic (seeded), so the page it writes is byte-identical from run to run.
"""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kgbuild.facts import DocMeta, DocResult, Entity, Evidence, Fact  # noqa: E402
from kgbuild.reduce import GraphBuilder, slug  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

COUNTRIES = [
    "Qatar", "Egypt", "Israel", "United States", "Turkey", "Russia", "Ukraine", "Iran", "Saudi Arabia", "Oman",
    "United Arab Emirates", "Norway", "Switzerland", "France", "Germany", "United Kingdom", "China", "India",
    "Pakistan", "Afghanistan", "Sudan", "South Sudan", "Ethiopia", "Kenya", "Tanzania", "Nigeria", "Mali", "Algeria",
    "Colombia", "Venezuela", "Cuba", "Brazil", "Mexico", "Armenia", "Azerbaijan", "Belarus", "Poland", "Lebanon",
    "Syria", "Jordan", "Yemen", "Somalia", "Philippines", "Thailand", "Cambodia", "Malaysia",
]
SYLLABLES = ["al", "an", "ar", "ba", "da", "el", "fa", "ha", "ir", "ka", "la", "ma", "na", "or", "ra", "sa", "ta",
             "ul", "va", "za", "ben", "dor", "gan", "hal", "kim", "lev", "mor", "nov", "pet", "ros", "sam", "tor"]
ORG_KINDS = ["Liberation Front", "National Council", "Movement", "Ministry of Foreign Affairs", "Red Crescent",
             "Peace Commission", "Armed Forces", "Relief Agency", "Union", "Alliance"]
TITLES = ["foreign minister", "prime minister", "president", "spokesperson", "chief negotiator", "envoy",
          "head of intelligence", "army chief", "senior official"]
KINDS = ["prisoners", "hostages", "detainees", "captives", "soldiers"]
QUALIFIERS = ["exact", "approximately", "at least", "more than"]
FILLER = ("according to officials familiar with the talks, who spoke on condition of anonymity because they "
          "were not authorised to brief the media on the negotiations, which have dragged on for months")


def _name(rng: random.Random, parts: int) -> str:
    return " ".join("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
                    for _ in range(parts))


def _zipf(rng: random.Random, pool: list, s: float = 1.05):
    weights = [1 / (i + 1) ** s for i in range(len(pool))]
    return rng.choices(pool, weights=weights, k=1)[0]


@functools.lru_cache(maxsize=4)
def synthetic_builder(docs: int = 500, seed: int = 5) -> GraphBuilder:
    """A GraphBuilder fed `docs` synthetic articles with realistic overlap between them: a few
    dozen conflicts recur across articles, mediators and leaders recur, most people appear once.
    Cached (tests in one session share it): treat the result as read-only."""
    rng = random.Random(seed)
    orgs = [f"{_name(rng, 1)} {rng.choice(ORG_KINDS)}" for _ in range(140)]
    persons = [_name(rng, 2) for _ in range(2600)]
    groups = [f"families of the {_name(rng, 1)} {rng.choice(KINDS)}" for _ in range(160)]
    places = [_name(rng, 1) for _ in range(140)]
    actors = COUNTRIES + orgs
    conflicts = []
    for _ in range(40):
        a, c = rng.sample(actors[:90], 2)
        conflicts.append(([a, c], rng.sample(COUNTRIES[:16], rng.randint(1, 3))))
    b = GraphBuilder()
    start = dt.date(2022, 1, 1)
    for i in range(docs):
        parties, mediators = _zipf(rng, conflicts, 0.8)
        people = [_zipf(rng, persons, 0.9) for _ in range(rng.randint(3, 8))]
        ents: dict[str, Entity] = {}
        ids: dict[tuple[str, str], str] = {}

        def ent(cls: str, name: str) -> str:
            key = f"{cls.lower()}:{slug(name).replace('-', ' ')}"
            if (cls, key) not in ids:
                lid = f"e{len(ids)}"
                ids[(cls, key)] = lid
                ents[lid] = Entity(lid, key, cls, name)
            return ids[(cls, key)]

        def cls_of(name: str) -> str:
            return "Country" if name in COUNTRIES else "Organization"

        facts: list[Fact] = []
        pos = [0]

        def fact(cls: str, sentence: str, **kw) -> Fact:
            text = f"{sentence}, {FILLER[: rng.randint(20, len(FILLER))]}."
            f = Fact(f"f{len(facts)}", cls, evidence=[Evidence(pos[0], pos[0] + len(text), text)], rule="synthetic",
                     **kw)
            pos[0] += len(text) + 1
            facts.append(f)
            return f

        p_ids = [ent(cls_of(p), p) for p in parties]
        m_ids = [ent("Country", m) for m in mediators]
        fact("Negotiation", f"{' and '.join(mediators)} mediated talks between {parties[0]} and {parties[1]}",
             args={"mediator": m_ids, "party": p_ids})
        if rng.random() < 0.5:
            place = _zipf(rng, places)
            f = fact("Meeting", f"Delegations from {parties[0]} and {mediators[0]} met in {place}",
                     args={"participant": [p_ids[0], m_ids[0]], "location": [ent("Place", place)]})
            if rng.random() < 0.4:
                f.values["timeText"] = rng.choice(["on Monday", "last week", "over the weekend", "on Friday"])
        if rng.random() < 0.2:
            fact("Truce", f"{parties[0]} and {parties[1]} agreed a truce", args={"party": p_ids},
                 values={"status": rng.choice(["agreed", "extended", "collapsed"])})
        if rng.random() < 0.35:
            rels = []
            for side, pid in zip(parties, p_ids):
                n = rng.randint(1, 400)
                rels.append(fact("Release", f"{side} released {n} {rng.choice(KINDS)}", args={"releasedBy": [pid]},
                                 values={"count": n, "countQualifier": rng.choice(QUALIFIERS),
                                         "detaineeKind": rng.choice(KINDS)[:-1]}))
            fact("Exchange", f"The swap between {parties[0]} and {parties[1]} went ahead", args={"party": p_ids},
                 links={"hasRelease": [r.fid for r in rels]})
        if rng.random() < 0.2:
            who = people[0]
            fact("Release", f"{parties[0]} freed {who}",
                 args={"releasedBy": [p_ids[0]], "detainee": [ent("Person", who)]}, values={"detaineeKind": "prisoner"})
        if rng.random() < 0.15:
            n = rng.randint(2, 250)
            fact("HostageTaking", f"{parties[1]} took {n} hostages", args={"perpetrator": [p_ids[1]]},
                 values={"count": n, "countQualifier": rng.choice(QUALIFIERS), "timeText": "on October 7"})
        for _ in range(rng.randint(0, 2)):
            n = rng.randint(10, 30000)
            fact("CasualtyReport", f"At least {n} people were killed, {parties[rng.randint(0, 1)]} said",
                 args={"reportedBy": [rng.choice(p_ids)]},
                 values={"count": n, "countQualifier": "at least", "casualtyKind": "killed"})
        for _ in range(rng.randint(0, 2)):
            g = _zipf(rng, groups) if rng.random() < 0.4 else parties[0]
            gid = ent("Group", g) if g in groups else p_ids[0]
            fact("Demand", f"{g} demanded the release of all captives", args={"demandedBy": [gid]},
                 values={"text": "the release of all captives before any further talks"})
        if rng.random() < 0.3:
            fact("Proposal", f"{parties[1]} rejected a proposal by {parties[0]}",
                 args={"proposedBy": [p_ids[0]], "rejectedBy": [p_ids[1]]},
                 values={"text": f"a {rng.randint(2, 6)}-phase plan"})
        for who in people:  # a person holds one office, in one country or organisation
            h = sum(ord(c) * (i + 1) for i, c in enumerate(who))
            org, title = actors[h % 90], TITLES[h % len(TITLES)]
            fact("Role", f"{who}, the {title} of {org}", args={"holder": [ent("Person", who)],
                                                              "roleOf": [ent(cls_of(org), org)]},
                 values={"title": title})
        for _ in range(rng.randint(3, 8)):
            who = rng.choice(people)
            fact("Statement", f"“We are hopeful that an agreement can be reached soon,” {who} said",
                 args={"speaker": [ent("Person", who)]}, values={"quote": "We are hopeful"})
        meta = DocMeta(id=f"synthetic-{i:04d}", title=f"Talks between {parties[0]} and {parties[1]} (article {i})",
                       date=(start + dt.timedelta(days=(i * 7) % 1300)).isoformat(), source="Synthetic Wire",
                       url=f"https://example.org/news/{i}", chars=pos[0])
        b.add(DocResult(meta=meta, entities=ents, facts=facts, words=pos[0] // 6))
    b.finish()
    return b


def measure_in_chromium(page_path: Path, pan: bool = True) -> dict:
    """Open the page from disk with every non-file request blocked; report load and redraw times."""
    from playwright.sync_api import sync_playwright

    out: dict = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        blocked, errors = [], []
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                   else (blocked.append(r.request.url), r.abort()))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        t0 = time.perf_counter()
        page.goto(page_path.resolve().as_uri())
        page.wait_for_function("() => window.kgReady === true", timeout=120_000)
        out["wall_s"] = round(time.perf_counter() - t0, 2)
        out["ready_ms"] = round(page.evaluate("() => window.kgReadyAt"))
        out["shown"] = page.evaluate("() => [kgNodes.get({filter: n => !n.hidden}).length,"
                                     " kgEdges.get({filter: e => !e.hidden}).length]")
        if pan:
            # drag the view with the mouse, as a user pans, and time every redraw it causes
            page.evaluate("""() => { window.kgDraws = []; let t;
                kgNetwork.on("beforeDrawing", () => { t = performance.now(); });
                kgNetwork.on("afterDrawing", () => { kgDraws.push(performance.now() - t); }); }""")
            box = page.locator("#graph").bounding_box()
            x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            page.mouse.move(x, y)
            page.mouse.down()
            t0 = time.perf_counter()
            for i in range(60):
                page.mouse.move(x + 6 * i, y + 3 * i)
            page.mouse.up()
            elapsed = time.perf_counter() - t0
            draws = sorted(page.evaluate("() => kgDraws"))
            out["pan_drag"] = {"moves": 60, "redraws": len(draws), "seconds": round(elapsed, 2),
                               "median_draw_ms": round(draws[len(draws) // 2], 1) if draws else None,
                               "p95_draw_ms": round(draws[int(len(draws) * 0.95)], 1) if draws else None}
            # and a full redraw with edges, zoomed in 1.5×
            out["redraw_zoomed_ms"] = page.evaluate("""() => { const net = kgNetwork;
                net.moveTo({scale: net.getScale() * 1.5}); const t0 = performance.now();
                for (let i = 0; i < 10; i++) net.redraw();
                return Math.round((performance.now() - t0) / 10); }""")
        out["blocked_requests"] = blocked
        out["errors"] = errors
        browser.close()
    return out


def main(argv: list[str] | None = None) -> int:
    from kgbuild import html

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=500)
    ap.add_argument("--out", type=Path, default=ROOT / "outputs" / "bench-html")
    ap.add_argument("--no-browser", action="store_true", help="only build and write the page")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    b = synthetic_builder(args.docs)
    t1 = time.perf_counter()
    data = html.vis_data(b)
    t2 = time.perf_counter()
    page = html.write(b, args.out / "graph.html")
    t3 = time.perf_counter()
    shown_nodes, shown_edges = html.default_view(data)
    report = {
        "documents": len(b.documents), "entities": len(b.referenced_entities()), "facts": len(b.facts),
        "nodes": len(data["nodes"]), "edges": len(data["edges"]),
        "shown_at_open": [len(shown_nodes), len(shown_edges)], "min_degree": data["settings"]["minDegree"],
        "physics": data["settings"]["physics"], "page_mb": round(page.stat().st_size / 1e6, 2),
        "synthesis_s": round(t1 - t0, 2), "vis_data_s": round(t2 - t1, 2), "write_s": round(t3 - t2, 2),
    }
    if not args.no_browser:
        if Path(CHROMIUM).exists():
            report["chromium"] = measure_in_chromium(page)
        else:
            report["chromium"] = "not installed: apt-get install chromium"
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
