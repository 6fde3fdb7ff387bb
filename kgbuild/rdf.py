"""The graph as RDF under the kgbuild ontology (CONTRACT.md), and its serialisations.

Every literal and IRI goes through rdflib: article text never becomes Turtle by string pasting.
Files are written to a temporary name and renamed, so a failed build leaves no half-written output.
"""
from __future__ import annotations

import gc
import os
import tempfile
from decimal import Decimal
from itertools import chain
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from .labels import clean_label
from .namespace import KGO, KGO_IRI, RESOURCE_IRI
from .reduce import GraphBuilder

FORMATS = {"turtle": "graph.ttl", "nt": "graph.nt", "json-ld": "graph.jsonld", "trig": "graph.trig"}  # format → file
INTEGER_VALUES = {"count"}
DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}  # kgo:date's datatype by its precision


def doc_iri(doc_id: str) -> URIRef:
    return URIRef(f"{RESOURCE_IRI}document/{doc_id}")



def _bind(g: Graph) -> None:
    g.bind("kgo", KGO_IRI)
    g.bind("kgr", RESOURCE_IRI)
    g.bind("skos", str(SKOS))
    g.bind("dcterms", str(DCTERMS))


def _literal(prop: str, value) -> Literal:
    if prop in INTEGER_VALUES:
        return Literal(int(value), datatype=XSD.integer)
    if prop == "date":
        return Literal(str(value), datatype=DATE_TYPES.get(len(str(value)), XSD.date))
    if prop == "confidence":  # a float from the extractor; decimal so that the Turtle is exact and stable
        return Literal(Decimal(repr(float(value))), datatype=XSD.decimal)
    return Literal(str(value))


def _literals(prop: str, value):
    return [_literal(prop, v) for v in value] if isinstance(value, (list, tuple)) else [_literal(prop, value)]


def document_triples(b: GraphBuilder, doc_id: str):
    meta = b.documents[doc_id]
    d = doc_iri(doc_id)
    yield d, RDF.type, KGO.Document
    yield d, DCTERMS.identifier, Literal(doc_id)
    yield d, DCTERMS.title, Literal(clean_label(meta.title) or doc_id)
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
    """Triples of each fact; with `only_doc`, the facts that document states, with its evidence.

    The event node carries the union of what its mentions state; each evidence node carries what
    its own sentence stated (roles, figures, date, the rule that read it), so that reports which
    differ stay apart on their evidence (CONTRACT.md, "Events in time")."""
    from .reduce import node_only

    # terms that recur (predicates, classes, entities, documents) are made once: rdflib checks
    # every IRI it is given, which at a few hundred thousand triples is most of the cost
    iri = _Terms(URIRef)
    prop_ = _Terms(lambda name: KGO[name])
    a_type, evidence, cls_evidence, document = RDF.type, prop_("evidence"), KGO.Evidence, prop_("document")
    text_, start_, end_, rule_ = prop_("text"), prop_("charStart"), prop_("charEnd"), prop_("rule")
    for fact_iri in sorted(b.facts):
        cf = b.facts[fact_iri]
        mentions = [m for m in cf.mentions if only_doc is None or m.doc == only_doc]
        if not mentions:
            continue
        s = URIRef(fact_iri)
        yield s, a_type, prop_(cf.cls)
        for prop, vals in sorted(cf.args.items()):
            p = prop_(prop)
            for v in vals:
                yield s, p, iri(v)
        for prop, vals in sorted(cf.links.items()):
            p = prop_(prop)
            for v in vals:
                yield s, p, iri(v)
        for prop, value in sorted(cf.values.items()):
            p = prop_(prop)
            for lit in _literals(prop, value):
                yield s, p, lit
        for rule in sorted(cf.rules):  # which extraction rules read it: for error analysis and trust
            yield s, rule_, Literal(rule)
        own = node_only(cf.cls, cf.values)
        evs = [URIRef(m.iri) for m in mentions]
        for ev in evs:  # the node's triples first, then each evidence node's: one block a subject
            yield s, evidence, ev
        for m, ev in zip(mentions, evs):
            yield ev, a_type, cls_evidence
            yield ev, document, iri(doc_iri(m.doc))
            yield ev, text_, Literal(m.text)
            yield ev, start_, Literal(m.start, datatype=XSD.integer)
            yield ev, end_, Literal(m.end, datatype=XSD.integer)
            yield ev, rule_, Literal(m.rule)
            for prop, vals in m.args:
                p = prop_(prop)
                for v in vals:
                    yield ev, p, iri(v)
            for prop, value in m.values:
                if prop not in own:
                    yield ev, prop_(prop), _literal(prop, value)
            for prop, vals in sorted(cf.mention_links.get(m.iri, {}).items()):
                p = prop_(prop)
                for v in vals:
                    yield ev, p, iri(v)


class _Terms(dict):
    """A term per key, made on first use."""

    def __init__(self, make) -> None:
        super().__init__()
        self.make = make

    def __call__(self, key):
        t = self.get(key)
        if t is None:
            t = self[key] = self.make(key)
        return t


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
    default = ds.default_graph
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
    """Write to a temporary file beside `path`, then rename it over `path`: readers see the old
    file or the new one, whole. A process killed mid-write (SIGKILL) leaves its temporary file; the
    next write to the same path removes those whose process is gone."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _remove_stale_temporaries(path: Path) -> None:
    for tmp in path.parent.glob(f".{path.name}.*"):
        pid = tmp.name[len(path.name) + 2:].split(".", 1)[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            tmp.unlink(missing_ok=True)
        except (PermissionError, OverflowError):  # another user's live process, or not a pid
            pass


# --- writing ---------------------------------------------------------------------------------
# rdflib's Turtle writer builds the whole graph in memory and slows down super-linearly with its
# size (rdflib #2135; benchmarks/rdf_load.py): at a few thousand documents it took more time and
# memory than reading them. `write` streams the triples of the same generators (document_triples,
# entity_triples, fact_triples) through pyoxigraph's writers instead, at every size, so a graph's
# layout does not change with its size. `to_graph` / `to_dataset` give the same RDF as rdflib
# objects (tests/test_store.py checks it).

OX_PREFIXES = {"kgo": KGO_IRI, "kgr": RESOURCE_IRI, "rdf": str(RDF), "rdfs": str(RDFS), "skos": str(SKOS),
               "dcterms": str(DCTERMS), "xsd": str(XSD)}


def _ox_triples(triples):
    """rdflib triples as pyoxigraph ones. IRIs (predicates, classes, entities) repeat a lot and
    term conversion is most of the cost at scale, so they are converted once."""
    import pyoxigraph as ox

    from .store import ox_term

    iris: dict = {}

    def term(t):
        if type(t) is URIRef:
            n = iris.get(t)
            if n is None:
                n = iris[t] = ox.NamedNode(str(t))
            return n
        return ox_term(t)

    return (ox.Triple(term(s), term(p), term(o)) for s, p, o in triples)


def facts_by_document(b: GraphBuilder) -> dict[str, dict]:
    """Fact IRI → fact, for each document that states it."""
    by_doc: dict[str, dict] = {d: {} for d in b.documents}
    for iri, cf in b.facts.items():
        for doc_id in {ev[0] for ev in cf.evidence}:
            by_doc.setdefault(doc_id, {})[iri] = cf
    return by_doc


def write(b: GraphBuilder, out_dir: Path, formats=("turtle",)) -> dict[str, Path]:
    """graph.ttl (and .nt, .jsonld, .trig as asked), each written whole or not at all. TriG holds
    `to_dataset`'s layout: entities in the default graph, a graph per document."""
    import pyoxigraph as ox
    from types import SimpleNamespace

    def graph_triples():
        docs = chain.from_iterable(document_triples(b, d) for d in sorted(b.documents))
        return _ox_triples(chain(docs, entity_triples(b), fact_triples(b)))

    def dataset_quads():  # to_dataset's layout: entities in the default graph, a graph per document
        for t in _ox_triples(entity_triples(b)):
            yield ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
        by_doc = facts_by_document(b)  # fact_triples(only_doc=) over all facts per document would be quadratic
        for doc_id in sorted(b.documents):
            g = ox.NamedNode(str(doc_iri(doc_id)))
            facts = SimpleNamespace(facts=by_doc.get(doc_id, {}))
            for t in _ox_triples(chain(document_triples(b, doc_id), fact_triples(facts, only_doc=doc_id))):
                yield ox.Quad(t.subject, t.predicate, t.object, g)

    written = {}
    gc.freeze()  # the builder's millions of live objects need no collector passes while streaming
    try:
        for fmt in formats:
            written[fmt] = out_dir / FORMATS[fmt]
            atomic_write(written[fmt], _serialize(fmt, graph_triples, dataset_quads))
    finally:
        gc.unfreeze()
    return written


def _serialize(fmt: str, graph_triples, dataset_quads) -> bytes:
    import pyoxigraph as ox

    if fmt == "trig":
        return ox.serialize(dataset_quads(), format=ox.RdfFormat.TRIG, prefixes=OX_PREFIXES)
    if fmt == "nt":  # sorted lines: two builds compare with diff
        lines = ox.serialize(graph_triples(), format=ox.RdfFormat.N_TRIPLES).splitlines(keepends=True)
        return b"".join(sorted(set(lines)))
    fmt_ox = ox.RdfFormat.JSON_LD if fmt == "json-ld" else ox.RdfFormat.TURTLE
    return ox.serialize(graph_triples(), format=fmt_ox, prefixes=OX_PREFIXES)
