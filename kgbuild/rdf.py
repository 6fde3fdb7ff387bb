"""The graph as RDF under the kgbuild ontology (CONTRACT.md), and its serialisations.

Every literal and IRI goes through rdflib: article text never becomes Turtle by string pasting.
Files are written to a temporary name and renamed, so a failed build leaves no half-written output.
"""
from __future__ import annotations

import os
import tempfile
from itertools import chain
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from .namespace import KGO, KGO_IRI, RESOURCE_IRI
from .reduce import GraphBuilder

FORMATS = {"turtle": ("graph.ttl", "turtle"), "nt": ("graph.nt", "nt"), "json-ld": ("graph.jsonld", "json-ld"),
           "trig": ("graph.trig", "trig")}
INTEGER_VALUES = {"count"}


def doc_iri(doc_id: str) -> URIRef:
    return URIRef(f"{RESOURCE_IRI}document/{doc_id}")


def evidence_iri(doc_id: str, start: int, end: int) -> URIRef:
    return URIRef(f"{RESOURCE_IRI}evidence/{doc_id}/{start}-{end}")


def _bind(g: Graph) -> None:
    g.bind("kgo", KGO_IRI)
    g.bind("kgr", RESOURCE_IRI)
    g.bind("skos", str(SKOS))
    g.bind("dcterms", str(DCTERMS))


def _literal(prop: str, value) -> Literal:
    if prop in INTEGER_VALUES:
        return Literal(int(value), datatype=XSD.integer)
    if prop == "date":
        return Literal(str(value), datatype=XSD.date)
    return Literal(str(value))


def document_triples(b: GraphBuilder, doc_id: str):
    meta = b.documents[doc_id]
    d = doc_iri(doc_id)
    yield d, RDF.type, KGO.Document
    yield d, DCTERMS.identifier, Literal(doc_id)
    yield d, DCTERMS.title, Literal(meta.title or doc_id)
    if meta.date:
        yield d, DCTERMS.date, Literal(meta.date)
    if meta.source:
        yield d, DCTERMS.publisher, Literal(meta.source)
    if meta.url:
        yield d, DCTERMS.source, Literal(meta.url)


def entity_triples(b: GraphBuilder):
    for e in b.referenced_entities():
        s = URIRef(e.iri)
        yield s, RDF.type, KGO[e.cls]
        yield s, RDFS.label, Literal(e.label)
        for alt in e.alt_labels:
            yield s, SKOS.altLabel, Literal(alt)


def fact_triples(b: GraphBuilder, only_doc: str | None = None):
    """Triples of each fact; with `only_doc`, the facts that document states, with its evidence."""
    for iri in sorted(b.facts):
        cf = b.facts[iri]
        evs = sorted(ev for ev in cf.evidence if only_doc is None or ev[0] == only_doc)
        if not evs:
            continue
        s = URIRef(iri)
        yield s, RDF.type, KGO[cf.cls]
        for prop, vals in sorted(cf.args.items()):
            for v in vals:
                yield s, KGO[prop], URIRef(v)
        for prop, vals in sorted(cf.links.items()):
            for v in vals:
                yield s, KGO[prop], URIRef(v)
        for prop, value in sorted(cf.values.items()):
            yield s, KGO[prop], _literal(prop, value)
        for rule in sorted(cf.rules):  # which extraction rule read it: for error analysis and trust
            yield s, KGO.rule, Literal(rule)
        for doc_id, start, end, text in evs:
            ev = evidence_iri(doc_id, start, end)
            yield s, KGO.evidence, ev
            yield ev, RDF.type, KGO.Evidence
            yield ev, KGO.document, doc_iri(doc_id)
            yield ev, KGO.text, Literal(text)
            yield ev, KGO.charStart, Literal(start, datatype=XSD.integer)
            yield ev, KGO.charEnd, Literal(end, datatype=XSD.integer)


def to_graph(b: GraphBuilder) -> Graph:
    g = Graph()
    _bind(g)
    for doc_id in sorted(b.documents):
        for t in document_triples(b, doc_id):
            g.add(t)
    for t in entity_triples(b):
        g.add(t)
    for t in fact_triples(b):
        g.add(t)
    return g


def to_dataset(b: GraphBuilder) -> Dataset:
    """One named graph per document (its facts and evidence) plus entities in the default graph,
    so that re-loading a document replaces exactly its own statements."""
    ds = Dataset()
    _bind(ds)
    default = ds.default_context
    for t in entity_triples(b):
        default.add(t)
    for doc_id in sorted(b.documents):
        g = ds.graph(doc_iri(doc_id))
        for t in document_triples(b, doc_id):
            g.add(t)
        for t in fact_triples(b, only_doc=doc_id):
            g.add(t)
    return ds


def atomic_write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write(b: GraphBuilder, out_dir: Path, formats=("turtle",)) -> dict[str, Path]:
    if estimate_triples(b) > LARGE_TRIPLES:  # see write_large
        return write_large(b, out_dir, formats)
    written = {}
    g = to_graph(b)
    for fmt in formats:
        name, rdflib_fmt = FORMATS[fmt]
        if fmt == "trig":
            data = to_dataset(b).serialize(format="trig")
        elif fmt == "nt":
            data = "".join(sorted(g.serialize(format="nt").splitlines(keepends=True)))
        elif fmt == "json-ld":
            data = g.serialize(format="json-ld", sort_keys=True, indent=1)
        else:
            data = g.serialize(format=rdflib_fmt)
        atomic_write(out_dir / name, data)
        written[fmt] = out_dir / name
    return written


# --- large graphs ---------------------------------------------------------------------------------
# rdflib's Turtle writer slows down super-linearly with graph size (rdflib #2135; measured in
# benchmarks/rdf_load.py), so above LARGE_TRIPLES `write` hands over to `write_large`, which
# streams the same triples through pyoxigraph's writers. The files hold the same RDF (a test
# checks it), laid out differently; normal builds keep rdflib's byte-for-byte output.

LARGE_TRIPLES = 250_000
OX_PREFIXES = {"kgo": KGO_IRI, "rdf": str(RDF), "rdfs": str(RDFS), "skos": str(SKOS),
               "dcterms": str(DCTERMS), "xsd": str(XSD)}


def estimate_triples(b: GraphBuilder) -> int:
    """About how many triples `to_graph(b)` holds, without building it."""
    n = 6 * len(b.documents) + 3 * len(b.entities)
    for cf in b.facts.values():
        n += 1 + len(cf.values) + 6 * len(cf.evidence)
        n += sum(map(len, cf.args.values())) + sum(map(len, cf.links.values()))
    return n


def _ox_triples(triples):
    """rdflib triples (documents, entities: few) as pyoxigraph ones."""
    from .store import ox_triple

    return (ox_triple(s, p, o) for s, p, o in triples)


def _ox_fact_triples(facts: dict, only_doc: str | None = None):
    """`fact_triples` built straight as pyoxigraph terms, each fact's triples then its evidence
    nodes' (so Turtle can group them): rdflib term construction is most of the cost at scale."""
    import pyoxigraph as ox

    from .store import ox_term

    T, N, L = ox.Triple, ox.NamedNode, ox.Literal
    ev_base, doc_base = str(evidence_iri("", 0, 0))[:-len("/0-0")], str(doc_iri(""))  # as the rdflib path mints
    iris: dict[str, ox.NamedNode] = {}

    def node(iri: str) -> ox.NamedNode:  # predicates, classes and entities repeat a lot
        n = iris.get(iri)
        if n is None:
            n = iris[iri] = N(iri)
        return n

    def kgo(name: str) -> ox.NamedNode:
        return node(KGO_IRI + name)

    rdf_type, integer = node(str(RDF.type)), node(str(XSD.integer))
    evidence, ev_cls, document, text = kgo("evidence"), kgo("Evidence"), kgo("document"), kgo("text")
    char_start, char_end = kgo("charStart"), kgo("charEnd")
    for iri in sorted(facts):
        cf = facts[iri]
        evs = sorted(ev for ev in cf.evidence if only_doc is None or ev[0] == only_doc)
        if not evs:
            continue
        s = N(iri)
        yield T(s, rdf_type, kgo(cf.cls))
        for group in (cf.args, cf.links):
            for prop, vals in sorted(group.items()):
                p = kgo(prop)
                for v in vals:
                    yield T(s, p, node(v))
        for prop, value in sorted(cf.values.items()):
            if prop in INTEGER_VALUES or prop == "date":
                yield T(s, kgo(prop), ox_term(_literal(prop, value)))
            else:
                yield T(s, kgo(prop), L(str(value)))
        nodes = [N(f"{ev_base}{doc_id}/{start}-{end}") for doc_id, start, end, _ in evs]
        for ev in nodes:
            yield T(s, evidence, ev)
        for ev, (doc_id, start, end, txt) in zip(nodes, evs):
            yield T(ev, rdf_type, ev_cls)
            yield T(ev, document, node(f"{doc_base}{doc_id}"))
            yield T(ev, text, L(txt))
            yield T(ev, char_start, L(str(start), datatype=integer))
            yield T(ev, char_end, L(str(end), datatype=integer))


def _facts_by_doc(b: GraphBuilder) -> dict[str, dict]:
    by_doc: dict[str, dict] = {d: {} for d in b.documents}
    for iri, cf in b.facts.items():
        for doc_id in {ev[0] for ev in cf.evidence}:
            by_doc.setdefault(doc_id, {})[iri] = cf
    return by_doc


def write_large(b: GraphBuilder, out_dir: Path, formats=("turtle",)) -> dict[str, Path]:
    """`write` for large builds: the same triples (and TriG quads) through pyoxigraph's writers."""
    import pyoxigraph as ox

    def graph_triples():
        for doc_id in sorted(b.documents):
            yield from _ox_triples(document_triples(b, doc_id))
        yield from _ox_triples(entity_triples(b))
        yield from _ox_fact_triples(b.facts)

    def dataset_quads():  # rdf.to_dataset's layout: entities in the default graph, a graph per document
        for t in _ox_triples(entity_triples(b)):
            yield ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
        by_doc = _facts_by_doc(b)
        for doc_id in sorted(b.documents):
            g = ox.NamedNode(str(doc_iri(doc_id)))
            for t in chain(_ox_triples(document_triples(b, doc_id)),
                           _ox_fact_triples(by_doc.get(doc_id, {}), only_doc=doc_id)):
                yield ox.Quad(t.subject, t.predicate, t.object, g)

    written = {}
    for fmt in formats:
        name = FORMATS[fmt][0]
        if fmt == "trig":
            data = ox.serialize(dataset_quads(), format=ox.RdfFormat.TRIG, prefixes=OX_PREFIXES)
        elif fmt == "nt":  # sorted lines, as the normal path writes them
            lines = ox.serialize(graph_triples(), format=ox.RdfFormat.N_TRIPLES).splitlines(keepends=True)
            data = b"".join(sorted(set(lines)))
        elif fmt == "json-ld":
            data = ox.serialize(graph_triples(), format=ox.RdfFormat.JSON_LD, prefixes=OX_PREFIXES)
        else:
            data = ox.serialize(graph_triples(), format=ox.RdfFormat.TURTLE, prefixes=OX_PREFIXES)
        atomic_write(out_dir / name, data)
        written[fmt] = out_dir / name
    return written
