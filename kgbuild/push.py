"""`kgbuild push`: send graphs to any store speaking the SPARQL 1.1 Graph Store HTTP Protocol.

One named graph per document, written with HTTP PUT (`ENDPOINT?graph=DOC-IRI`), so pushing a
document again replaces it instead of adding a second copy; the same layout `kgbuild build
--store` keeps locally (see incremental.py). Entity nodes go to the shared entities graph
(`store.ENTITIES_GRAPH`); since other pushes put names there too, that graph is read back (GET),
merged with `incremental.merge_entities` (names united, one rdfs:label re-chosen) and written
back (PUT). Entities are written before documents, so facts never point at missing entities.

Input: a `graph.ttl` (or .nt/.jsonld) from `kgbuild build` is split per document: the
kgo:Document node, its evidence nodes, and every fact with evidence in that document (with only
that document's evidence links) form the document's graph, exactly as `rdf.to_dataset` does;
everything else (entity nodes) is shared. A `.trig`/`.nq` is pushed graph by graph, and its
default graph is split the same way (for `kgbuild build -f trig` it holds the entities). With
`--graph IRI` everything goes into that one graph instead.

Endpoints (the Graph Store base, before `?graph=`): Oxigraph `http://HOST:7878/store`, Fuseki
`http://HOST:3030/DATASET/data`, GraphDB `http://HOST:7200/repositories/REPO/rdf-graphs/service`,
Virtuoso `http://HOST:8890/sparql-graph-crud-auth` (digest authentication is used when the server
asks for it).
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import urlsplit

import pyoxigraph as ox

from .namespace import KGO_IRI
from .store import ENTITIES_GRAPH, named_node, rdf_format

TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DOCUMENT = ox.NamedNode(f"{KGO_IRI}Document")
EVIDENCE = ox.NamedNode(f"{KGO_IRI}evidence")
IN_DOCUMENT = ox.NamedNode(f"{KGO_IRI}document")
PREFIXES = {"kgo": KGO_IRI, "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "skos": "http://www.w3.org/2004/02/skos/core#",
            "dcterms": "http://purl.org/dc/terms/", "xsd": "http://www.w3.org/2001/XMLSchema#"}
ACCEPT_RDF = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"


class PushError(Exception):
    """Why a push failed, in one line for the user."""


@dataclass
class PushReport:
    endpoint: str
    graphs: dict[str, int] = field(default_factory=dict)  # graph IRI → triples written
    entities: int = 0  # entity triples after the merge

    def __str__(self) -> str:
        docs = [g for g in self.graphs if g != ENTITIES_GRAPH]
        return (f"pushed {len(docs)} graph{'s' if len(docs) != 1 else ''} "
                f"({sum(self.graphs[g] for g in docs)} triples) and {self.entities} entity triples to {self.endpoint}")


# --- splitting ---------------------------------------------------------------------------------

def split_by_document(triples: Iterable[ox.Triple]) -> dict[str, list[ox.Triple]]:
    """Graph IRI → triples, as `rdf.to_dataset` lays a build out: one graph per kgo:Document and
    `ENTITIES_GRAPH` for what belongs to no single document."""
    triples = list(dict.fromkeys(triples))
    ev_doc = {t.subject: t.object for t in triples
              if t.predicate == IN_DOCUMENT and isinstance(t.object, ox.NamedNode)}
    docs = {t.subject for t in triples if t.predicate == TYPE and t.object == DOCUMENT
            and isinstance(t.subject, ox.NamedNode)} | set(ev_doc.values())
    fact_docs: dict = {}
    for t in triples:
        if t.predicate == EVIDENCE and t.object in ev_doc:
            fact_docs.setdefault(t.subject, set()).add(ev_doc[t.object])
    out: dict[str, list[ox.Triple]] = {}

    def put(graph, t):
        out.setdefault(graph.value, []).append(t)

    for t in triples:
        s = t.subject
        if s in docs:
            put(s, t)
        elif s in ev_doc:
            put(ev_doc[s], t)
        elif s in fact_docs:
            if t.predicate == EVIDENCE and t.object in ev_doc:
                put(ev_doc[t.object], t)
            else:
                for d in sorted(fact_docs[s], key=lambda n: n.value):
                    put(d, t)
        else:
            out.setdefault(ENTITIES_GRAPH, []).append(t)
    return out


def _triple(q: ox.Quad) -> ox.Triple:
    return ox.Triple(q.subject, q.predicate, q.object)


def read_graphs(path: Path, graph: str | None = None) -> dict[str, list[ox.Triple]]:
    """A file's triples by target graph (see the module docstring)."""
    try:
        quads = list(ox.parse(path=str(path), format=rdf_format(path)))
    except (SyntaxError, ValueError, OSError) as exc:
        raise PushError(f"cannot read {path}: {exc}") from None
    if graph is not None:
        return {graph: [_triple(q) for q in quads]}
    default = [_triple(q) for q in quads if isinstance(q.graph_name, ox.DefaultGraph)]
    out = split_by_document(default) if default else {}
    for q in quads:
        if isinstance(q.graph_name, ox.NamedNode):
            out.setdefault(q.graph_name.value, []).append(_triple(q))
        elif not isinstance(q.graph_name, ox.DefaultGraph):
            raise PushError(f"{path}: a graph named by a blank node cannot be addressed over HTTP")
    if set(out) == {ENTITIES_GRAPH} and not any(isinstance(q.graph_name, ox.NamedNode) for q in quads):
        raise PushError(f"{path}: no kgo:Document in it to split by; give --graph IRI to push it as one graph")
    return out


# --- HTTP --------------------------------------------------------------------------------------

def check_endpoint(url: str) -> str:
    """The endpoint if it is an absolute http(s) URL with a host, else PushError."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError as exc:
        raise PushError(f"malformed endpoint URL {url!r}: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PushError(f"malformed endpoint URL {url!r}: expected http(s)://HOST[:PORT]/PATH, "
                        f"e.g. http://127.0.0.1:7878/store")
    if parts.fragment:
        raise PushError(f"malformed endpoint URL {url!r}: a fragment (#…) has no place in it")
    return url


class GraphStore:
    """A SPARQL 1.1 Graph Store HTTP Protocol client for named graphs (indirect addressing)."""

    def __init__(self, endpoint: str, user: str | None = None, password: str | None = None, timeout: float = 60):
        import requests

        self.endpoint = check_endpoint(endpoint)
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "kgbuild-push"
        if user is not None:
            self.session.auth = requests.auth.HTTPBasicAuth(user, password or "")
        self.user, self.password = user, password
        self.timeout = timeout

    def _request(self, method: str, graph: str, **kwargs):
        import requests

        named_node(graph)  # a valid IRI, not text that could change the URL (requests encodes it)
        try:
            r = self.session.request(method, self.endpoint, params={"graph": graph}, timeout=self.timeout, **kwargs)
            if r.status_code == 401 and self.user is not None \
                    and r.headers.get("WWW-Authenticate", "").lower().startswith("digest"):
                self.session.auth = requests.auth.HTTPDigestAuth(self.user, self.password or "")
                r = self.session.request(method, self.endpoint, params={"graph": graph}, timeout=self.timeout,
                                         **kwargs)
        except requests.exceptions.Timeout:
            raise PushError(f"{self.endpoint} did not answer within {self.timeout:.0f} s") from None
        except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                requests.exceptions.InvalidSchema) as exc:
            raise PushError(f"malformed endpoint URL {self.endpoint!r}: {exc}") from None
        except requests.exceptions.ConnectionError as exc:
            raise PushError(f"cannot reach {self.endpoint}: {_reason(exc)}") from None
        return r

    def _fail(self, r, method: str, graph: str):
        code = r.status_code
        if code == 401:
            hint = "wrong --user/--password" if self.user is not None else "give --user and --password"
            raise PushError(f"{self.endpoint} refused the credentials (HTTP 401 Unauthorized): {hint}")
        if code == 403:
            raise PushError(f"{self.endpoint} forbids {method} (HTTP 403 Forbidden): the user may lack write access")
        body = next((line.strip() for line in r.text.splitlines() if line.strip()), "")[:200]
        if code in (400, 405) or (code == 404 and method == "PUT"):
            raise PushError(f"{self.endpoint} does not look like a writable Graph Store endpoint (HTTP {code}"
                            + (f": {body}" if body else "") + "); expected e.g. http://HOST:7878/store (Oxigraph) "
                            "or http://HOST:3030/DATASET/data (Fuseki)")
        raise PushError(f"{method} <{graph}> at {self.endpoint} failed: HTTP {code} {r.reason}"
                        + (f": {body}" if body else ""))

    def get(self, graph: str) -> list[ox.Triple]:
        """The graph's triples; an absent graph is empty."""
        r = self._request("GET", graph, headers={"Accept": ACCEPT_RDF})
        if r.status_code == 404:
            return []
        if not r.ok:
            self._fail(r, "GET", graph)
        media = r.headers.get("Content-Type", "application/n-triples").split(";")[0].strip()
        fmt = ox.RdfFormat.from_media_type(media)
        if fmt is None:
            raise PushError(f"GET <{graph}> at {self.endpoint}: unexpected content type {media!r}")
        try:
            return [_triple(q) for q in ox.parse(input=r.content, format=fmt)]
        except SyntaxError as exc:
            raise PushError(f"GET <{graph}> at {self.endpoint}: unreadable {media}: {exc}") from None

    def put(self, graph: str, triples: list[ox.Triple]) -> None:
        """Replace the graph's content (creating the graph if needed)."""
        data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        r = self._request("PUT", graph, data=data, headers={"Content-Type": "text/turtle; charset=utf-8"})
        if not r.ok:
            self._fail(r, "PUT", graph)


def _reason(exc: Exception) -> str:
    """The innermost cause of a connection error ('Connection refused'), not urllib3's chain."""
    text = str(exc)
    for marker in ("Connection refused", "Name or service not known", "nodename nor servname",
                   "Temporary failure in name resolution", "No route to host", "Network is unreachable",
                   "CERTIFICATE_VERIFY_FAILED", "timed out", "Connection reset"):
        if marker in text:
            return marker.lower() if marker != "CERTIFICATE_VERIFY_FAILED" else "TLS certificate not trusted"
    return text.splitlines()[0][:200] if text else type(exc).__name__


# --- the command -------------------------------------------------------------------------------

def push(paths: list[Path], endpoint: str, graph: str | None = None, user: str | None = None,
         password: str | None = None, timeout: float = 60,
         echo: Callable[[str], None] | None = lambda m: print(m, file=sys.stderr)) -> PushReport:
    """Push graph files; see the module docstring. Raises PushError with a one-line message."""
    if graph is not None:
        try:
            named_node(graph)
        except ValueError as exc:
            raise PushError(f"--graph: {exc}") from None
    gs = GraphStore(endpoint, user, password, timeout)
    graphs: dict[str, list[ox.Triple]] = {}
    for p in paths:
        if not Path(p).is_file():
            raise PushError(f"no such file: {p}")
        try:
            rdf_format(Path(p))
        except ValueError as exc:
            raise PushError(str(exc)) from None
        for g, triples in read_graphs(Path(p), graph).items():
            graphs.setdefault(g, []).extend(triples)
    report = PushReport(endpoint)
    shared = graphs.pop(ENTITIES_GRAPH, None) if graph is None else None
    if shared:
        from .incremental import merge_entities

        old = gs.get(ENTITIES_GRAPH)
        merged = merge_entities(old, shared)
        new_subjects = {t.subject for t in merged}
        entities = merged + [t for t in old if t.subject not in new_subjects]
        gs.put(ENTITIES_GRAPH, entities)
        report.entities = len(entities)
    for g in sorted(graphs):
        triples = list(dict.fromkeys(graphs[g]))
        gs.put(g, triples)
        report.graphs[g] = len(triples)
    if echo:
        echo(str(report))
    return report
