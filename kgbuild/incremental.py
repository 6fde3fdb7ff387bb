"""Incremental builds: add a build's documents to an existing on-disk Oxigraph store.

`kgbuild build NEW --store DIR` calls `add_to_store`. The store holds one named graph per
document (graph IRI = the document IRI: its kgo:Document node, the events it reports and its
evidence) and one shared graph of entity nodes (`store.ENTITIES_GRAPH`). Queries see the union.

The rule: what a store holds does not depend on how the corpus was cut into batches or on their
order. A batch is therefore not merged node by node. The store is read back as the reduce step's
input (`read_store`): every evidence node is one statement with what its sentence stated (its
roles, figures, date and rule; see reduce.Mention), every entity node keeps every name any
build saw. The batch's documents are added to that (replacing their earlier versions), the same
`GraphBuilder.finish` a single build runs resolves names (a surname that a later batch shows to
be a known person's is merged into that person) and gathers events (a new report of a known
event lands on its node; an assignment a later report changes is changed), and the store is
brought to the result graph by graph: quads that should be there are added, then quads that
should not are removed. Graphs nothing changed in are not written.

Consequences, on purpose:

* A re-ingested document replaces its own statements; a statement another document makes stays.
* Entity names are the union of every name any build saw; the one rdfs:label is re-chosen from
  them by the reduce step's rule. A name only an old version of a re-ingested document used stays
  as an alternative label. An entity nothing refers to any more is removed.
* Writes are not one transaction (pyoxigraph has none over several operations), but adding
  before removing means an interrupted run leaves extra quads, never lost ones, and re-running the
  same build removes them: reading the store back tolerates them (see `read_store`).

Limits (docs/store.md): each batch reads the whole store back (cost grows with the store, not
with the batch), and a name merge is kept once made (a surname that a store merged into the one
person it then named stays merged if a later batch brings a second person of that surname).
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Callable, Iterable, Mapping

import pyoxigraph as ox
from rdflib.namespace import RDF, RDFS, SKOS

from . import rdf
from .facts import ENTITY_CLASSES, FACT_CLASSES, DocMeta
from .namespace import KGO_IRI, RESOURCE_IRI
from .reduce import CanonEntity, GraphBuilder, gazetteer_labels
from .store import ENTITIES_GRAPH, StoreBusyError, add_quads, named_node, open_store, ox_term

LABEL = ox.NamedNode(str(RDFS.label))
ALT_LABEL = ox.NamedNode(str(SKOS.altLabel))
TYPE = ox.NamedNode(str(RDF.type))
XSD_STRING = ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")


@dataclass
class StoreUpdate:
    store: Path
    documents_added: int = 0
    documents_replaced: int = 0
    entities_new: int = 0
    entities_known: int = 0
    entities_pruned: int = 0
    quads: int = 0  # written into document graphs (len(store) would scan the whole store)

    def __str__(self) -> str:
        return (f"store {self.store}: {self.documents_added} new and {self.documents_replaced} replaced documents, "
                f"{self.entities_new} new and {self.entities_known} known entities"
                + (f", {self.entities_pruned} unreferenced removed" if self.entities_pruned else "")
                + f"; {self.quads} quads written")


# --- entity names --------------------------------------------------------------------------------

def _is_name(t: ox.Triple) -> bool:
    return t.predicate in (LABEL, ALT_LABEL) and isinstance(t.object, ox.Literal) \
        and t.object.language is None and t.object.datatype == XSD_STRING


def merge_entities(old: Iterable[ox.Triple], new: Iterable[ox.Triple],
                   preferred: Mapping[str, str] | None = None) -> list[ox.Triple]:
    """The merged triples of every subject in `new`, given what `old` already says about them.

    Names are united and the one rdfs:label re-chosen by the reduce step's rule (CanonEntity), so
    merging batch by batch gives the label a single build would; every other triple is kept.
    Subjects only in `old` are not returned (they are unchanged)."""
    preferred = preferred or {}
    gaz = gazetteer_labels()
    subjects: dict = {}
    for t in new:
        subjects.setdefault(t.subject, []).append(t)
    for t in old:
        if t.subject in subjects:
            subjects[t.subject].append(t)
    out: list[ox.Triple] = []
    for s, triples in subjects.items():
        forms = {t.object.value for t in triples if _is_name(t)}
        out.extend(dict.fromkeys(t for t in triples if not _is_name(t)))
        if forms:
            iri = s.value if isinstance(s, ox.NamedNode) else ""
            ce = CanonEntity("", "", labels=forms, preferred=preferred.get(iri) or gaz.get(iri))
            out.append(ox.Triple(s, LABEL, ox.Literal(ce.label)))
            out.extend(ox.Triple(s, ALT_LABEL, ox.Literal(a)) for a in ce.alt_labels)
    return out


# --- reading a store back as the reduce step's input -------------------------------------------

EVIDENCE = ox.NamedNode(f"{KGO_IRI}evidence")
DOCUMENT = ox.NamedNode(f"{KGO_IRI}document")
DOCUMENT_CLASS = ox.NamedNode(f"{KGO_IRI}Document")
XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
LINKS = {"hasRelease", "subject", "partOf"}
SPAN = {f"{KGO_IRI}{p}" for p in ("text", "charStart", "charEnd", "rule")}
DC = "http://purl.org/dc/terms/"


def _local(iri: str) -> str:
    return iri[len(KGO_IRI):] if iri.startswith(KGO_IRI) else ""


def _value(lit: ox.Literal):
    if lit.datatype.value == XSD_INTEGER:
        return int(lit.value)
    if lit.datatype.value == XSD_DECIMAL:  # kgo:confidence, a float when the map step made it
        return float(lit.value)
    return lit.value


def read_store(store: ox.Store, b: GraphBuilder, skip: set[str] = frozenset(),
               entities_graph: str = ENTITIES_GRAPH) -> set[str]:
    """Add what the store holds to `b` as documents and entities, except the documents `skip`
    (a batch's new versions). Returns the ids of the documents read."""
    g_ent = named_node(entities_graph)
    classes = {f"{KGO_IRI}{c}": c for c in ENTITY_CLASSES}
    names: dict[str, set[str]] = {}
    kinds: dict[str, str] = {}
    for q in store.quads_for_pattern(None, None, None, g_ent):
        s = q.subject.value
        if q.predicate == TYPE and q.object.value in classes:
            kinds[s] = classes[q.object.value]
        elif _is_name(ox.Triple(q.subject, q.predicate, q.object)):
            names.setdefault(s, set()).add(q.object.value)
    for iri, cls in sorted(kinds.items()):
        b.add_entity(iri, cls, names.get(iri, set()))
    read = set()
    for graph in sorted(store.named_graphs(), key=lambda g: g.value):
        if graph == g_ent or not graph.value.startswith(f"{RESOURCE_IRI}document/"):
            continue
        doc = _read_document(store, graph)
        if doc is None or doc[0].id in skip:
            continue
        b.add_mentions(*doc)
        read.add(doc[0].id)
    return read


def _read_document(store: ox.Store, graph: ox.NamedNode):
    from .reduce import Report, node_only

    triples: dict = {}
    for q in store.quads_for_pattern(None, None, None, graph):
        triples.setdefault(q.subject, []).append((q.predicate, q.object))
    d = graph
    meta = {p.value: o.value for p, o in triples.get(d, []) if isinstance(o, ox.Literal)}
    if (TYPE, DOCUMENT_CLASS) not in triples.get(d, []) or f"{DC}identifier" not in meta:
        return None
    doc_id = meta[f"{DC}identifier"]
    doc_meta = DocMeta(doc_id, title=meta.get(f"{DC}title", ""), date=meta.get(f"{DC}date"),
                       source=meta.get(f"{DC}publisher"), url=meta.get(f"{DC}source"))
    # evidence node → (fact class, the fact nodes' identifying values); stale nodes of an
    # interrupted run point at the same evidence with the same class and values
    facts_of: dict = {}
    for s, pos in triples.items():
        cls = next((_local(o.value) for p, o in pos if p == TYPE and _local(o.value) in FACT_CLASSES), None)
        if cls is None:
            continue
        for p, o in pos:
            if p == EVIDENCE:
                facts_of.setdefault(o, []).append((s, cls, pos))
    raws, event_of, link_targets = [], {}, {}
    for ev in sorted(facts_of, key=lambda n: n.value):
        cls = facts_of[ev][0][1]
        values, args, links = {}, {}, {}
        for s, _c, pos in facts_of[ev]:
            event_of.setdefault(ev, set()).add(s.value)
            own = node_only(cls, {_local(p.value) for p, o in pos if isinstance(o, ox.Literal)} - {"rule"})
            for p, o in pos:
                if _local(p.value) in own and isinstance(o, ox.Literal):
                    values[_local(p.value)] = _value(o)
        ev_pos = triples.get(ev, [])
        lit = {p.value: o for p, o in ev_pos if isinstance(o, ox.Literal)}
        for p, o in ev_pos:
            prop = _local(p.value)
            if p in (TYPE, DOCUMENT) or p.value in SPAN or not prop:
                continue
            if prop in LINKS:
                links.setdefault(prop, set()).add(o.value)
            elif isinstance(o, ox.NamedNode):
                args.setdefault(prop, set()).add(o.value)
            elif isinstance(o, ox.Literal):
                values[prop] = _value(o)
        try:
            start, end = int(lit[f"{KGO_IRI}charStart"].value), int(lit[f"{KGO_IRI}charEnd"].value)
            text, rule = lit[f"{KGO_IRI}text"].value, lit[f"{KGO_IRI}rule"].value
        except KeyError:
            continue
        raws.append(Report(doc_id, ev.value, cls, {p: sorted(v) for p, v in args.items()}, values, rule,
                         [(start, end, text)], {}))
        link_targets[ev.value] = links
    # an exchange's releases: the statements of the linked events in this document, at the
    # exchange's sentence where they overlap it
    for r in raws:
        s0, e0, _ = r.spans[0]
        for prop, targets in link_targets[r.fid].items():
            linked = []
            for target in sorted(targets):  # each linked event by its statements here, the nearest if any
                cands = [x for x in raws if x is not r and target in event_of.get(ox.NamedNode(x.fid), set())]
                near = [x for x in cands if x.spans[0][0] < e0 and s0 < x.spans[0][1]]
                linked += [x.fid for x in (near or cands) if x.fid not in linked]
            r.links[prop] = linked
    return doc_meta, raws


# --- quads of a build ----------------------------------------------------------------------------

def entity_names(b: GraphBuilder) -> list[ox.Triple]:
    """Entity triples with every surface form seen (not only the alternative labels a
    single-build graph prints), so that later builds choose from the complete set of names."""
    out = []
    for e in b.referenced_entities():
        s = ox.NamedNode(e.iri)
        out.append(ox.Triple(s, TYPE, ox.NamedNode(f"{KGO_IRI}{e.cls}")))
        out.append(ox.Triple(s, LABEL, ox.Literal(e.label)))
        out.extend(ox.Triple(s, ALT_LABEL, ox.Literal(x)) for x in sorted(e.labels) if x != e.label)
    return out


def document_quads(b: GraphBuilder, doc_id: str, facts: dict) -> list[ox.Quad]:
    """The document's named graph: exactly what `rdf.to_dataset` puts in it (same generators)."""
    g = named_node(str(rdf.doc_iri(doc_id)))
    triples = list(rdf.document_triples(b, doc_id))
    triples += rdf.fact_triples(SimpleNamespace(facts=facts), only_doc=doc_id)
    return [ox.Quad(ox_term(s), ox_term(p), ox_term(o), g) for s, p, o in triples]


# --- the store update ----------------------------------------------------------------------------

def _sync_graph(store: ox.Store, graph: ox.NamedNode, want: set[ox.Quad]) -> int:
    """Bring one graph to `want`: add what is missing, then remove what is not wanted."""
    have = set(store.quads_for_pattern(None, None, None, graph))
    add = [q for q in want if q not in have]
    if add:
        add_quads(store, add)
    for q in have - want:
        store.remove(q)
    return len(add)


def prune_entities(store: ox.Store, entities_graph: str = ENTITIES_GRAPH) -> int:
    """Remove entity nodes that nothing outside the entities graph refers to. Returns how many."""
    g = str(named_node(entities_graph))  # a validated IRI: safe to place in SPARQL
    classes = " ".join(f"<{KGO_IRI}{c}>" for c in ENTITY_CLASSES)
    orphans = f"""
        GRAPH {g} {{ ?e a ?cls }} VALUES ?cls {{ {classes} }}
        FILTER NOT EXISTS {{ GRAPH ?other {{ ?x ?r ?e }} FILTER (?other != {g}) }}
        FILTER NOT EXISTS {{ ?x ?r ?e }}"""
    n = len(list(store.query(f"SELECT DISTINCT ?e WHERE {{ {orphans} }}")))
    if n:
        store.update(f"DELETE {{ GRAPH {g} {{ ?e ?p ?o }} }} WHERE {{ {orphans} GRAPH {g} {{ ?e ?p ?o }} }}")
    return n


def update_store(store: ox.Store, b: GraphBuilder, entities_graph: str = ENTITIES_GRAPH) -> StoreUpdate:
    """Merge a build into an open store (see the module docstring for the semantics)."""
    g_ent = named_node(entities_graph)
    report = StoreUpdate(Path("."))
    whole = GraphBuilder()
    stored = read_store(store, whole, skip=set(b.documents), entities_graph=entities_graph)
    before_entities = {q.subject for q in store.quads_for_pattern(None, TYPE, None, g_ent)}
    for iri, e in b._entities.items():
        whole.add_entity(iri, e.cls, e.labels)
    for doc_id in sorted(b.documents):
        whole.add_mentions(b.documents[doc_id], b._raw.get(doc_id, []))
        graph = named_node(str(rdf.doc_iri(doc_id)))
        if store.contains_named_graph(graph):
            report.documents_replaced += 1
        else:
            report.documents_added += 1
    whole.finish()
    entities = entity_names(whole)
    after_entities = {t.subject for t in entities}
    mine = {ox.NamedNode(x) for cf in whole.facts.values() if any(m.doc in b.documents for m in cf.mentions)
            for vals in cf.args.values() for x in vals}
    report.entities_known = len(mine & before_entities)
    report.entities_new = len(after_entities - before_entities)
    report.entities_pruned = len(before_entities - after_entities)
    by_doc = rdf.facts_by_document(whole)
    for doc_id in sorted(set(whole.documents)):
        graph = named_node(str(rdf.doc_iri(doc_id)))
        report.quads += _sync_graph(store, graph, set(document_quads(whole, doc_id, by_doc.get(doc_id, {}))))
    # entities last: until the documents are written, the old entity nodes are still referred to
    report.quads += _sync_graph(store, g_ent, {ox.Quad(t.subject, t.predicate, t.object, g_ent) for t in entities})
    store.flush()
    return report
def add_to_store(store_dir: Path, builder: GraphBuilder,
                 echo: Callable[[str], None] | None = lambda m: print(m, file=sys.stderr)) -> StoreUpdate:
    """The CLI's hook for `kgbuild build … --store DIR`: open (or create) the store folder, merge
    the build in and say what changed. A store that cannot be opened (typically: locked by a
    running `kgbuild serve`) ends the command with a one-line message; library callers who want
    an exception instead use `open_store` + `update_store`."""
    try:
        store = open_store(Path(store_dir))
    except OSError as exc:
        import typer

        msg = str(exc) if isinstance(exc, StoreBusyError) else f"cannot open store {store_dir}: {exc}"
        print(f"kgbuild: {msg}", file=sys.stderr)
        raise typer.Exit(1) from None
    report = update_store(store, builder)
    report.store = Path(store_dir)
    del store  # release the RocksDB lock now, not at interpreter exit
    if echo:
        echo(str(report))
    return report

