"""The embedded SPARQL store (pyoxigraph) and queries against a store or a graph file.

Queries are run as given by the user or read from `ontology/queries/*.rq`; nothing here builds
SPARQL by pasting article text.

Layout of a kgbuild store (see docs/store.md): each document's facts and evidence live in the
named graph whose IRI is the document's IRI, and entity nodes live in one shared graph,
`ENTITIES_GRAPH`, so that a document can be replaced without touching what others said.
Queries run over the union of all graphs.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from .namespace import RESOURCE_IRI


RDF_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
               ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD, ".rdf": ox.RdfFormat.RDF_XML}
BULK_THRESHOLD = 20 * 1024 * 1024  # bytes: above this, Oxigraph's (non-transactional) bulk loader
BULK_QUADS = 500_000  # quads: above this, `add_quads` uses bulk_extend (fast, not atomic)
ENTITIES_GRAPH = f"{RESOURCE_IRI}graph/entities"  # the shared graph of entity nodes


class StoreBusyError(OSError):
    """The store folder is locked by another process (RocksDB allows one writer per folder)."""


def rdf_format(path: Path):
    try:
        return RDF_FORMATS[path.suffix.lower()]
    except KeyError:
        raise ValueError(f"{path}: unknown RDF format '{path.suffix}' (expected {', '.join(RDF_FORMATS)})") from None


def open_store(path: Path | None) -> ox.Store:
    """An on-disk store (created if missing), or an in-memory one for `None`.

    A folder already open in another process (typically a running `kgbuild serve`) raises
    `StoreBusyError` with a message saying what to do instead, not RocksDB's lock error."""
    if not path:
        return ox.Store()
    try:
        return ox.Store(str(path))
    except OSError as exc:
        if "lock" in str(exc).lower():
            raise StoreBusyError(
                f"store {path} is in use by another process (a running `kgbuild serve`?); stop it, "
                f"or add data through the server with `kgbuild push … --endpoint http://HOST:PORT/store`"
            ) from None
        raise


def load_files(store: ox.Store, files: list[Path], graph: str | None = None) -> int:
    """Load RDF files; with `graph`, triples go into that named graph. Returns quads added.

    Files above BULK_THRESHOLD go through Oxigraph's bulk loader (about ten times faster, see
    benchmarks/rdf_load.py), which is not atomic: a syntax error half-way leaves the part read so
    far in the store. Re-loading the same file is harmless (a store is a set of quads)."""
    before = len(store)
    for f in files:
        fmt = rdf_format(f)
        to_graph = ox.NamedNode(graph) if graph else None
        kwargs = {"format": fmt}
        if to_graph is not None and fmt not in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            kwargs["to_graph"] = to_graph
        if f.stat().st_size > BULK_THRESHOLD:
            store.bulk_load(path=str(f), **kwargs)
        else:
            store.load(path=str(f), **kwargs)
    store.flush()
    return len(store) - before


def _term(t) -> str | None:
    if t is None:
        return None
    return t.value if hasattr(t, "value") else str(t)


def query(store: ox.Store, sparql: str, use_default_graph_as_union: bool = True, params: dict | None = None):
    """Run a query; `params` (name → value) bind the parameters it declares as typed literals."""
    from .query_params import substitutions

    subs = substitutions(sparql, params) if params else None
    return store.query(sparql, use_default_graph_as_union=use_default_graph_as_union, substitutions=subs)


def format_results(results, fmt: str = "table") -> str:
    if isinstance(results, bool):
        return json.dumps({"boolean": results}) if fmt == "json" else str(results).lower()
    if isinstance(results, ox.QueryTriples):
        return "".join(f"{t} .\n" for t in results)
    variables = [v.value for v in results.variables]
    rows = [[_term(sol[v]) for v in variables] for sol in results]
    if fmt == "json":
        return json.dumps({"head": {"vars": variables},
                           "results": {"bindings": [{v: {"value": x} for v, x in zip(variables, r) if x is not None}
                                                    for r in rows]}}, indent=1, ensure_ascii=False)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(variables)
        w.writerows([["" if x is None else x for x in r] for r in rows])
        return buf.getvalue()
    widths = [max([len(v)] + [len(x or "") for x in col]) for v, col in zip(variables, zip(*rows))] if rows else \
        [len(v) for v in variables]
    line = " | ".join(v.ljust(w) for v, w in zip(variables, widths))
    out = [line, "-+-".join("-" * w for w in widths)]
    out += [" | ".join((x or "").ljust(w) for x, w in zip(r, widths)) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def queries_dir() -> Path:
    """The shipped competency questions: `ontology/queries` beside the package (source checkout)."""
    return Path(__file__).resolve().parent.parent / "ontology" / "queries"


def named_query(name: str) -> str:
    path = queries_dir() / f"{name}.rq"
    if not path.is_file():
        names = sorted(p.stem for p in queries_dir().glob("*.rq"))
        raise ValueError(f"no shipped query '{name}' (available: {', '.join(names)})")
    return path.read_text(encoding="utf-8")




# --- terms and quads -------------------------------------------------------------------------

def ox_term(t):
    """An rdflib term as a pyoxigraph term (kgbuild's generators speak rdflib)."""
    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, Literal):
        if t.language:
            return ox.Literal(str(t), language=t.language)
        if t.datatype is not None:
            return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype)))
        return ox.Literal(str(t))
    if isinstance(t, BNode):
        return ox.BlankNode(str(t))
    raise TypeError(f"not an RDF term: {t!r}")


def ox_triple(s, p, o) -> ox.Triple:
    return ox.Triple(ox_term(s), ox_term(p), ox_term(o))


def named_node(iri: str) -> ox.NamedNode:
    """Validate an IRI given by a user or a file; `str()` of the result is safe inside SPARQL."""
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise ValueError(f"not an IRI: {iri!r} ({exc})") from None


def add_quads(store: ox.Store, quads) -> None:
    """Add quads: one transaction for a normal build, the bulk path for very large ones."""
    quads = quads if isinstance(quads, list) else list(quads)
    if len(quads) > BULK_QUADS:
        store.bulk_extend(quads)
    else:
        store.extend(quads)


def union_triples(store: ox.Store) -> set[ox.Triple]:
    """Every triple of every graph, as a set: what a query over the union default graph sees."""
    return {ox.Triple(q.subject, q.predicate, q.object) for q in store}
