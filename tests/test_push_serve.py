"""`kgbuild serve` and `kgbuild push` against a real Oxigraph server on 127.0.0.1.

The only stand-in is a tiny local HTTP server that answers 401, for the authentication path.
"""
from __future__ import annotations

import base64
import http.server
import subprocess
import sys
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgbuild import rdf
from kgbuild.build import run
from kgbuild.push import PushError, push, split_by_document
from kgbuild.server import wait_ready
from kgbuild.store import ENTITIES_GRAPH

from oxigraph_server import construct, free_port, graph_names, running_server, select, stop

DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "dev"  # ../shared beside the repository
if not DEV.is_dir():
    DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "dev"
ARTICLES = ["qatar-pm-gaza-truce-talks", "us-iran-prisoner-swap-qatar"]
KGBUILD = [sys.executable, "-m", "kgbuild"]


def triples_of(path: Path) -> set[ox.Triple]:
    return {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(path=str(path))}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Two real articles built once: graph.ttl, graph.trig and the builder."""
    if not all((DEV / f"{n}.txt").is_file() for n in ARTICLES):
        pytest.skip(f"dev articles not found in {DEV}")
    out = tmp_path_factory.mktemp("out")
    report, b = run([DEV / f"{n}.txt" for n in ARTICLES], out, formats=("turtle", "trig"), html=False)
    assert report.documents == 2
    return out, b


@pytest.fixture()
def server(tmp_path):
    with running_server(tmp_path / "store") as url:
        yield url


def kgbuild(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([*KGBUILD, *args], capture_output=True, text=True, timeout=timeout)


# --- splitting -----------------------------------------------------------------------------------

def test_split_of_graph_ttl_is_the_trig_layout(built):
    """Splitting graph.ttl by document gives exactly the named graphs `build -f trig` writes."""
    out, b = built
    split = split_by_document(triples_of(out / "graph.ttl"))
    ds = ox.Store()
    ds.load(input=rdf.to_dataset(b).serialize(format="nquads"), format=ox.RdfFormat.N_QUADS)
    expected = {}
    for q in ds:
        g = ENTITIES_GRAPH if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
        expected.setdefault(g, set()).add(ox.Triple(q.subject, q.predicate, q.object))
    assert {g: set(ts) for g, ts in split.items()} == expected
    assert set(expected) == {str(rdf.doc_iri(n)) for n in ARTICLES} | {ENTITIES_GRAPH}


# --- serve ---------------------------------------------------------------------------------------

def test_serve_command_answers_sparql_like_curl(built, tmp_path):
    """`kgbuild build --store` then `kgbuild serve --store`: a form-encoded query gets JSON answers."""
    from kgbuild.incremental import add_to_store

    out, b = built
    store = tmp_path / "store"
    add_to_store(store, b, echo=None)
    port = free_port()
    proc = subprocess.Popen([*KGBUILD, "serve", "--store", str(store), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_ready(url, proc, timeout=30)
        rows = select(url, "PREFIX kgo: <https://w3id.org/kgbuild/ontology#> "
                           "SELECT ?id WHERE { ?d a kgo:Document ; <http://purl.org/dc/terms/identifier> ?id } "
                           "ORDER BY ?id")
        assert [r["id"] for r in rows] == sorted(ARTICLES)
        assert construct(url) == triples_of(out / "graph.ttl")  # the union default graph
        # a second server on the same store is refused in one line, before Oxigraph's backtrace
        r = kgbuild("serve", "--store", str(store), "--port", str(free_port()))
        assert r.returncode == 1 and "open in another process" in r.stderr and "Traceback" not in r.stderr
    finally:
        stop(proc)


# --- push ----------------------------------------------------------------------------------------

def test_push_ttl_then_repush_replaces_instead_of_duplicating(built, server):
    out, b = built
    expected = triples_of(out / "graph.ttl")
    r = kgbuild("push", str(out / "graph.ttl"), "--endpoint", f"{server}/store")
    assert r.returncode == 0, r.stderr
    assert graph_names(server) == {str(rdf.doc_iri(n)) for n in ARTICLES} | {ENTITIES_GRAPH}
    assert construct(server) == expected
    count = int(select(server, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"])
    # again, and as TriG: the same quads, nothing duplicated or lost
    push([out / "graph.ttl"], f"{server}/store", echo=None)
    push([out / "graph.trig"], f"{server}/store", echo=None)
    assert construct(server) == expected
    assert int(select(server, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"]) == count


def test_repushing_a_changed_document_replaces_its_graph(built, server, tmp_path):
    out, b = built
    push([out / "graph.ttl"], f"{server}/store", echo=None)
    # the same build with one Statement fact of the first article dropped
    doc = str(rdf.doc_iri(ARTICLES[0]))
    all_triples = triples_of(out / "graph.ttl")
    split = split_by_document(all_triples)
    stmt = ox.NamedNode("https://w3id.org/kgbuild/ontology#Statement")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    victim = next(t.subject for t in split[doc] if t.predicate == rdf_type and t.object == stmt)
    assert all(t.subject != victim for g, ts in split.items() if g != doc for t in ts)  # only this document says it
    has_evidence = ox.NamedNode("https://w3id.org/kgbuild/ontology#evidence")
    evidence = {t.object for t in split[doc] if t.subject == victim and t.predicate == has_evidence}
    changed = tmp_path / "changed.ttl"
    ox.serialize([t for t in all_triples if t.subject != victim and t.subject not in evidence],
                 output=str(changed), format=ox.RdfFormat.TURTLE)
    push([changed], f"{server}/store", echo=None)
    assert construct(server) == triples_of(changed)
    assert not select(server, f"SELECT * WHERE {{ {victim} ?p ?o }}")  # victim: a pyoxigraph NamedNode


def test_push_into_a_named_graph(built, server):
    out, _ = built
    g = "https://example.org/graphs/batch-1"
    push([out / "graph.ttl"], f"{server}/store", graph=g, echo=None)
    push([out / "graph.ttl"], f"{server}/store", graph=g, echo=None)
    assert graph_names(server) == {g}
    assert construct(server) == triples_of(out / "graph.ttl")


def test_push_merges_entity_names_with_what_the_store_has(server, tmp_path):
    """Two pushes that name one entity differently leave one rdfs:label and all the names."""
    base = "https://w3id.org/kgbuild/id/"
    org = ox.NamedNode(f"{base}organization/acme")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    alt = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
    kgo = "https://w3id.org/kgbuild/ontology#"
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

    def graph(doc_id: str, name: str) -> Path:
        d, f, ev = (ox.NamedNode(f"{base}document/{doc_id}"), ox.NamedNode(f"{base}fact/statement/{doc_id}"),
                    ox.NamedNode(f"{base}evidence/{doc_id}/0-5"))
        ts = [ox.Triple(d, rdf_type, ox.NamedNode(f"{kgo}Document")),
              ox.Triple(org, rdf_type, ox.NamedNode(f"{kgo}Organization")), ox.Triple(org, label, ox.Literal(name)),
              ox.Triple(f, rdf_type, ox.NamedNode(f"{kgo}Statement")), ox.Triple(f, ox.NamedNode(f"{kgo}speaker"), org),
              ox.Triple(f, ox.NamedNode(f"{kgo}evidence"), ev), ox.Triple(ev, ox.NamedNode(f"{kgo}document"), d)]
        path = tmp_path / f"{doc_id}.ttl"
        ox.serialize(ts, output=str(path), format=ox.RdfFormat.TURTLE)
        return path

    push([graph("a", "Acme")], f"{server}/store", echo=None)
    push([graph("b", "Acme Mediation Group")], f"{server}/store", echo=None)
    got = construct(server)
    assert {t.object.value for t in got if t.subject == org and t.predicate == label} == {"Acme Mediation Group"}
    assert {t.object.value for t in got if t.subject == org and t.predicate == alt} == {"Acme"}
    assert len(graph_names(server)) == 3


# --- errors: one line, non-zero exit, no traceback ------------------------------------------------

def _one_line_error(r: subprocess.CompletedProcess, *needles: str) -> None:
    assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
    err = r.stderr.strip()
    assert "Traceback" not in err and err.count("\n") == 0, err
    for n in needles:
        assert n in err, err


def test_push_to_unreachable_port(built):
    out, _ = built
    r = kgbuild("push", str(out / "graph.ttl"), "--endpoint", f"http://127.0.0.1:{free_port()}/store")
    _one_line_error(r, "cannot reach", "connection refused")


@pytest.mark.parametrize("url", ["127.0.0.1:7878/store", "http//127.0.0.1/store", "http://127.0.0.1:99999/store",
                                 "ftp://127.0.0.1/store", "http:///store"])
def test_push_to_malformed_url(built, url):
    out, _ = built
    with pytest.raises(PushError, match="malformed endpoint URL"):
        push([out / "graph.ttl"], url, echo=None)


def test_push_malformed_url_from_the_command_line(built):
    out, _ = built
    _one_line_error(kgbuild("push", str(out / "graph.ttl"), "--endpoint", "htp:/127.0.0.1/store"),
                    "malformed endpoint URL")


def test_push_to_a_query_endpoint_is_explained(built, server):
    out, _ = built
    with pytest.raises(PushError, match="Graph Store endpoint"):
        push([out / "graph.ttl"], f"{server}/query", echo=None)


class _AuthStub(http.server.BaseHTTPRequestHandler):
    """Answers 401 unless the request carries Basic user:secret; then behaves like an empty store."""

    GOOD = "Basic " + base64.b64encode(b"user:secret").decode()

    def _handle(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.headers.get("Authorization") != self.GOOD:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="kg"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(404 if self.command == "GET" else 204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_PUT = _handle

    def log_message(self, *args):
        pass


@pytest.fixture()
def auth_stub():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _AuthStub)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/store"
    srv.shutdown()
    srv.server_close()


def test_push_401(built, auth_stub):
    out, _ = built
    _one_line_error(kgbuild("push", str(out / "graph.ttl"), "--endpoint", auth_stub), "401", "give --user")
    _one_line_error(kgbuild("push", str(out / "graph.ttl"), "--endpoint", auth_stub, "--user", "user",
                            "--password", "wrong"), "401", "wrong --user/--password")
    report = push([out / "graph.ttl"], auth_stub, user="user", password="secret", echo=None)
    assert len(report.graphs) == 2


def test_serve_refuses_a_taken_port(tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        r = kgbuild("serve", "--store", str(tmp_path / "st"), "--port", str(s.getsockname()[1]))
    _one_line_error(r, "cannot listen")

