"""Incremental builds: add a build's documents to an existing on-disk Oxigraph store.

`kgbuild build NEW --store DIR` calls `add_to_store`. The store holds one named graph per
document (graph IRI = the document IRI: its kgo:Document node, its facts and their evidence) and
one shared graph of entity nodes (`store.ENTITIES_GRAPH`). The contract's invariants hold for the
union of all graphs, which is what queries see.

What "a re-ingested document replaces its own named graph" means here:

* Document graphs are replaced wholesale (drop the graph, write the new one). A fact that two
  documents state lives, with its own evidence, in both graphs, so dropping one document never
  removes what another said.
* Entity nodes are shared, so replacing a document never deletes an entity's type or names:
  an entity's names (rdfs:label + skos:altLabel) are the union of every name any build saw, and
  its one rdfs:label is re-chosen from that union by the same rule the reduce step uses (the
  gazetteer label if there is one, else the fullest name), so the store says what a single build
  of all documents would say. Names that only a replaced document's old version used stay as
  alternative labels; they are still names the entity was called.
* The one exception: an entity node that no fact in any graph refers to any more (its only
  document was re-ingested and no longer mentions it) is removed, as a build from scratch would
  not contain it either.

IRIs are deterministic (kgbuild/reduce.py), so an entity already in the store is reused simply by
minting the same IRI. Two cross-document fixes of the reduce step need all documents at once; the
first is mirrored here against the store, the second only approximately (see docs/store.md):
a surname-only person in the new batch becomes the one full-named person of the store it names,
and a descriptive literal (kgo:timeText) that documents state differently for one fact keeps the
smallest value in every graph.

The writes are not one transaction (pyoxigraph has no multi-operation transactions), but every
step is idempotent and ordered so that an interrupted run loses nothing that re-running the same
build does not restore.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Callable, Iterable, Mapping

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from . import rdf
from .facts import ENTITY_CLASSES
from .namespace import KGO_IRI, RESOURCE_IRI
from .reduce import NON_IDENTIFYING, CanonEntity, GraphBuilder
from .store import ENTITIES_GRAPH, StoreBusyError, add_quads, named_node, open_store, ox_term

LABEL = ox.NamedNode(str(RDFS.label))
ALT_LABEL = ox.NamedNode(str(SKOS.altLabel))
TYPE = ox.NamedNode(str(RDF.type))
XSD_STRING = ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")
PERSON = ox.NamedNode(f"{KGO_IRI}Person")
PERSON_PREFIX = f"{RESOURCE_IRI}person/"


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

@lru_cache(maxsize=1)
def gazetteer_labels() -> dict[str, str]:
    """Entity IRI → the gazetteer's canonical label, for merging names read back from RDF."""
    from .resources import gazetteer

    return {CanonEntity(key, entry["cls"]).iri: entry["label"] for key, entry in gazetteer().entries.items()}


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


def _surname_remap(store: ox.Store, b: GraphBuilder, entities_graph: ox.NamedNode) -> dict[str, str]:
    """Surname-only persons of this batch that name exactly one full-named person → that person.

    The reduce step does this within a build (GraphBuilder.finish); here the store's persons count
    as candidates too. Names are compared by their IRI slugs' words."""
    def words(iri: str) -> set[str]:
        return set(iri[len(PERSON_PREFIX):].split("-"))

    batch = {e.iri for e in b.entities.values() if e.cls == "Person"}
    stored = {q.subject.value for q in store.quads_for_pattern(None, TYPE, PERSON, entities_graph)
              if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(PERSON_PREFIX)}
    full = {iri for iri in batch | stored if len(words(iri)) > 1}
    remap = {}
    for e in b.entities.values():
        if e.cls != "Person" or len(e.key.split(":", 1)[-1].split()) != 1:
            continue
        w = words(e.iri)
        cands = [iri for iri in full if w <= words(iri) and iri != e.iri]
        if len(cands) == 1 and cands[0] not in batch:
            remap[e.iri] = cands[0]
    return remap


# --- quads of a build ----------------------------------------------------------------------------

def _mapper(remap: Mapping[str, str]) -> Callable:
    def term(t):
        if remap and isinstance(t, URIRef) and str(t) in remap:
            return ox.NamedNode(remap[str(t)])
        return ox_term(t)
    return term


def entity_names(b: GraphBuilder, remap: Mapping[str, str]) -> list[ox.Triple]:
    """Entity triples of the batch with every surface form seen (not only the alternative labels
    a single-build graph prints), so that later merges choose from the complete set of names."""
    term = _mapper(remap)
    out = []
    for e in b.referenced_entities():
        s = term(URIRef(e.iri))
        out.append(ox.Triple(s, TYPE, ox.NamedNode(f"{KGO_IRI}{e.cls}")))
        out.append(ox.Triple(s, LABEL, ox.Literal(e.label)))
        out.extend(ox.Triple(s, ALT_LABEL, ox.Literal(x)) for x in sorted(e.labels) if x != e.label)
    return out


def document_quads(b: GraphBuilder, doc_id: str, facts: dict, remap: Mapping[str, str]) -> list[ox.Quad]:
    """The document's named graph: exactly what `rdf.to_dataset` puts in it (same generators)."""
    g = named_node(str(rdf.doc_iri(doc_id)))
    term = _mapper(remap)
    triples = list(rdf.document_triples(b, doc_id))
    triples += rdf.fact_triples(SimpleNamespace(facts=facts), only_doc=doc_id)
    return [ox.Quad(term(s), term(p), term(o), g) for s, p, o in triples]


# --- the store update ----------------------------------------------------------------------------

def _write_entities(store: ox.Store, new: list[ox.Triple], g: ox.NamedNode) -> tuple[int, int]:
    subjects = {t.subject for t in new}
    old = [ox.Triple(q.subject, q.predicate, q.object)
           for s in subjects for q in store.quads_for_pattern(s, None, None, g)]
    known = len({t.subject for t in old})
    merged = merge_entities(old, new)
    keep = set(merged)
    # add first, then drop superseded names: an interruption leaves an extra name, never a lost one
    add_quads(store, [ox.Quad(t.subject, t.predicate, t.object, g) for t in merged])
    for t in old:
        if _is_name(t) and t not in keep:
            store.remove(ox.Quad(t.subject, t.predicate, t.object, g))
    return len(subjects) - known, known


def _reconcile_descriptions(store: ox.Store, fact_iris: Iterable[str]) -> None:
    """A fact stated by several documents carries one kgo:timeText in a single build (the smallest,
    see reduce.py); keep that one in every graph once batches have met in the store."""
    for iri in fact_iris:
        s = ox.NamedNode(iri)
        for prop in sorted(NON_IDENTIFYING):
            quads = list(store.quads_for_pattern(s, ox.NamedNode(f"{KGO_IRI}{prop}"), None, None))
            values = {q.object for q in quads}
            if len(values) < 2:
                continue
            best = min(values, key=lambda o: o.value)
            for q in quads:
                if q.object != best:
                    store.add(ox.Quad(q.subject, q.predicate, best, q.graph_name))
                    store.remove(q)


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
    """Merge a finished build into an open store (see the module docstring for the semantics)."""
    g = named_node(entities_graph)
    report = StoreUpdate(Path("."))
    remap = _surname_remap(store, b, g)
    report.entities_new, report.entities_known = _write_entities(store, entity_names(b, remap), g)
    by_doc = rdf.facts_by_document(b)
    for doc_id in sorted(b.documents):
        graph = named_node(str(rdf.doc_iri(doc_id)))
        if store.contains_named_graph(graph):
            report.documents_replaced += 1
            store.remove_graph(graph)
        else:
            report.documents_added += 1
        quads = document_quads(b, doc_id, by_doc.get(doc_id, {}), remap)
        add_quads(store, quads)
        report.quads += len(quads)
    _reconcile_descriptions(store, b.facts)
    if report.documents_replaced:
        report.entities_pruned = prune_entities(store, entities_graph)
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

