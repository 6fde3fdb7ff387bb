"""Loading and writing RDF at scale: pyoxigraph load vs bulk_load, rdflib vs pyoxigraph Turtle.

Why: `kgbuild load` switches to Oxigraph's bulk loader above `store.BULK_THRESHOLD`, and
`rdf.write` streams every build through pyoxigraph's writer rather than rdflib's; this script
measures what that buys.

The graph is synthetic but shaped like kgbuild output: a `GraphBuilder` filled with documents,
entities and n-ary facts with evidence, turned into triples by kgbuild's own generators
(`kgbuild.rdf`), so term construction and escaping are real and nothing is pasted into Turtle.

    .venv/bin/python benchmarks/rdf_load.py                   # one million triples (a few minutes)
    .venv/bin/python benchmarks/rdf_load.py --triples 50000   # a quick run
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyoxigraph as ox  # noqa: E402

from kgbuild import rdf  # noqa: E402
from kgbuild.facts import ENTITY_CLASSES, DocMeta  # noqa: E402
from kgbuild.namespace import RESOURCE_IRI  # noqa: E402
from kgbuild.reduce import CanonEntity, CanonFact, GraphBuilder  # noqa: E402
from kgbuild.store import ox_triple  # noqa: E402

ROLES = {"Negotiation": ["mediator", "party", "party"], "Meeting": ["participant", "participant", "location"],
         "Truce": ["party", "party", "mediator"], "Release": ["releasedBy"], "Statement": ["speaker"],
         "Demand": ["demandedBy"], "Proposal": ["proposedBy", "rejectedBy"], "Role": ["holder", "roleOf"],
         "CasualtyReport": ["reportedBy"], "HostageTaking": ["perpetrator", "location"]}
WORDS = ("talks truce hostages release mediator said officials ceasefire Doha Cairo Qatar Egypt "
         "agreement prisoners exchange “quoted” négociations al-Thani weekend sources").split()


def synthetic_builder(n_triples: int, seed: int = 7) -> GraphBuilder:
    """A GraphBuilder whose graph has about `n_triples` triples (~12 per fact; one fact in five
    is stated by two documents and carries two evidence nodes)."""
    rng = random.Random(seed)
    b = GraphBuilder()
    n_facts = max(1, n_triples // 12)
    n_docs = max(1, n_facts // 40)
    n_ents = max(10, n_facts // 20)
    for d in range(n_docs):
        doc_id = f"article-{d:06d}"
        b.documents[doc_id] = DocMeta(doc_id, title=" ".join(rng.choices(WORDS, k=8)), date="2024-01-29")
    ents = []
    for i in range(n_ents):
        cls = ENTITY_CLASSES[i % len(ENTITY_CLASSES)]
        name = f"{rng.choice(WORDS).title()} {i}"
        e = CanonEntity(f"{cls.lower()}:{name.lower()}", cls, labels={name, name.split()[0], f"the {name}"})
        b.entities[e.key] = e
        ents.append(e.iri)
    classes = list(ROLES)
    for i in range(n_facts):
        cls = classes[i % len(classes)]
        args: dict[str, list[str]] = {}
        for role in ROLES[cls]:
            args.setdefault(role, []).append(rng.choice(ents))
        values: dict[str, object] = {"timeText": "on Monday"}
        if cls in ("Release", "CasualtyReport", "HostageTaking"):
            values.update(count=rng.randint(1, 300), countQualifier="approximately")
        if cls == "Statement":
            values["quote"] = " ".join(rng.choices(WORDS, k=12))
        cf = CanonFact(f"{RESOURCE_IRI}fact/{cls.lower()}/{i:016x}", cls,
                       {k: sorted(set(v)) for k, v in args.items()}, {}, values)
        for k in range(2 if i % 5 == 0 else 1):
            doc_id = f"article-{(i + k * 7) % n_docs:06d}"
            start = rng.randint(0, 5000)
            text = " ".join(rng.choices(WORDS, k=rng.randint(8, 30)))
            cf.evidence.add((doc_id, start, start + len(text), text))
        b.facts[cf.iri] = cf
    return b


def graph_triples(b: GraphBuilder):
    """kgbuild's triples of the build (rdflib terms), in `rdf.to_graph`'s order."""
    for doc_id in sorted(b.documents):
        yield from rdf.document_triples(b, doc_id)
    yield from rdf.entity_triples(b)
    yield from rdf.fact_triples(b)


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:>12,.0f} triples/s  ({seconds:7.2f} s)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="graph size (default one million)")
    ap.add_argument("--skip-rdflib", action="store_true", help="skip rdflib's Turtle writer (the slow part)")
    args = ap.parse_args()

    print(f"generating a kgbuild-shaped graph of ~{args.triples:,} triples …", flush=True)
    b = synthetic_builder(args.triples)
    rdflib_triples = list(graph_triples(b))
    ox_triples = [ox_triple(*t) for t in rdflib_triples]
    n = len(set(ox_triples))
    print(f"{n:,} triples: {len(b.documents):,} documents, {len(b.entities):,} entities, {len(b.facts):,} facts\n")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        results = {}
        print("(a) loading into an on-disk pyoxigraph Store")
        for fmt, suffix in ((ox.RdfFormat.N_TRIPLES, "nt"), (ox.RdfFormat.TURTLE, "ttl")):
            src = tmp / f"graph.{suffix}"
            ox.serialize(ox_triples, output=str(src), format=fmt, prefixes=rdf.OX_PREFIXES if suffix == "ttl" else None)
            for method in ("load", "bulk_load"):
                store = ox.Store(str(tmp / f"store-{suffix}-{method}"))
                secs, _ = timed(lambda: getattr(store, method)(path=str(src), format=fmt))
                store.flush()
                assert len(store) == n, (len(store), n)
                results[(suffix, method)] = secs
                print(f"  {suffix:3} {method:9} {rate(n, secs)}", flush=True)
                del store
            print(f"  {suffix:3} bulk_load is {results[(suffix, 'load')] / results[(suffix, 'bulk_load')]:.1f}x "
                  f"faster than load")

        print("\n(b) writing Turtle")
        secs_ox, data = timed(lambda: ox.serialize(ox_triples, format=ox.RdfFormat.TURTLE, prefixes=rdf.OX_PREFIXES))
        print(f"  pyoxigraph serialize          {rate(n, secs_ox)}  {len(data) / 1e6:.0f} MB", flush=True)
        secs_large, _ = timed(lambda: rdf.write(b, tmp / "large", ("turtle",)))
        print(f"  kgbuild rdf.write             {rate(n, secs_large)}  (terms built from the builder)", flush=True)
        if args.skip_rdflib:
            return
        from rdflib import Graph

        def rdflib_graph():
            g = Graph()
            rdf._bind(g)
            for t in rdflib_triples:
                g.add(t)
            return g

        secs_add, g = timed(rdflib_graph)
        print(f"  rdflib Graph.add              {rate(n, secs_add)}", flush=True)
        secs_rl, data = timed(lambda: g.serialize(format="turtle"))
        print(f"  rdflib serialize(turtle)      {rate(n, secs_rl)}  {len(data.encode()) / 1e6:.0f} MB", flush=True)
        print(f"  pyoxigraph serialize is {secs_rl / secs_ox:.0f}x faster than rdflib serialize; "
              f"rdf.write is {(secs_add + secs_rl) / secs_large:.0f}x faster than rdflib's Graph.add + serialize")


if __name__ == "__main__":
    main()
