"""The store module and the RDF writer: bulk loading, term conversion, store locking, and
`rdf.write` (pyoxigraph's streaming writers) writing the same RDF as rdflib's `to_graph`."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kgbuild import rdf, store
from kgbuild.facts import DocMeta, DocResult, Entity, Evidence, Fact
from kgbuild.reduce import GraphBuilder
from kgbuild.store import StoreBusyError, load_files, named_node, open_store, ox_term, union_triples

from oxigraph_server import running_server


def small_builder(n_docs: int = 3) -> GraphBuilder:
    """A few documents of hand-made results, with text that needs escaping."""
    b = GraphBuilder()
    for i in range(n_docs):
        text = f'Qatar said "talks go on" — Doha\\n, {i}\n'
        ents = {"q": Entity("q", "country:qatar", "Country", "Qatar", {"Doha"}),
                "p": Entity("p", f"person:jane roe{i}", "Person", f"Jane Roe{i}")}
        facts = [Fact("f1", "Statement", {"speaker": ["q"]}, {}, {"quote": "talks go on"}, [Evidence(0, len(text), text)]),
                 Fact("f2", "Release", {"releasedBy": ["p"]}, {}, {"count": 12, "countQualifier": "at least"},
                      [Evidence(5, 9, text[5:9])]),
                 Fact("f3", "Negotiation", {"mediator": ["q"]}, {}, {}, [Evidence(1, 4, text[1:4])])]
        b.add(DocResult(DocMeta(f"doc-{i}", title=f"Title {i} “quoted”", date="2024-01-29"), ents, facts, words=10))
    b.finish()
    return b


def parsed(path, fmt=None) -> set:
    return {(q.subject, q.predicate, q.object, q.graph_name) for q in ox.parse(path=str(path), format=fmt)}


def parsed_text(data: str, fmt) -> set:
    return {(q.subject, q.predicate, q.object, q.graph_name) for q in ox.parse(input=data, format=fmt)}


def test_ox_term_converts_every_kind_of_term():
    assert ox_term(URIRef("https://example.org/a")) == ox.NamedNode("https://example.org/a")
    assert ox_term(Literal("x")) == ox.Literal("x")
    assert ox_term(Literal("x", lang="en")) == ox.Literal("x", language="en")
    assert ox_term(Literal(3, datatype=XSD.integer)) == ox.Literal("3", datatype=ox.NamedNode(str(XSD.integer)))
    with pytest.raises(TypeError):
        ox_term("plain string")


def test_named_node_rejects_what_is_not_an_iri():
    assert str(named_node("https://example.org/g")) == "<https://example.org/g>"
    for bad in ["not an iri", "https://example.org/> } DROP ALL { <x", ""]:
        with pytest.raises(ValueError, match="not an IRI"):
            named_node(bad)


def test_bulk_and_transactional_loading_agree(tmp_path, monkeypatch):
    b = small_builder()
    rdf.write(b, tmp_path, ("turtle", "trig"))
    results = {}
    for threshold in (10 ** 12, 0):  # transactional load, then bulk_load for every file
        monkeypatch.setattr(store, "BULK_THRESHOLD", threshold)
        st = open_store(tmp_path / f"store-{threshold}")
        n = load_files(st, [tmp_path / "graph.ttl"], graph="https://example.org/g")
        n += load_files(st, [tmp_path / "graph.trig"])
        results[threshold] = (n, set(st))
        del st
    assert results[0] == results[10 ** 12]
    assert results[0][0] > 0


def test_store_locked_by_a_server_names_the_way_out(tmp_path):
    with running_server(tmp_path / "st"):
        with pytest.raises(StoreBusyError, match="in use by another process.*kgbuild push"):
            open_store(tmp_path / "st")


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld", "trig"])
def test_write_gives_the_rdf_of_to_graph_and_to_dataset(tmp_path, fmt):
    b = small_builder()
    path = rdf.write(b, tmp_path / "a", (fmt,))[fmt]
    if fmt == "trig":
        expected = parsed_text(rdf.to_dataset(b).serialize(format="nquads"), ox.RdfFormat.N_QUADS)
    else:
        expected = parsed_text(rdf.to_graph(b).serialize(format="nt"), ox.RdfFormat.N_TRIPLES)
    assert parsed(path) == expected
    # the same build writes the same bytes
    assert path.read_bytes() == rdf.write(b, tmp_path / "b", (fmt,))[fmt].read_bytes()


def test_turtle_is_grouped_by_subject_and_uses_the_prefixes(tmp_path):
    text = rdf.write(small_builder(), tmp_path, ("turtle",))["turtle"].read_text(encoding="utf-8")
    assert text.startswith("@prefix")
    assert "@prefix kgo: <https://w3id.org/kgbuild/ontology#>" in text
    assert " a kgo:Document ;" in text
    subjects = [line.split()[0] for line in text.splitlines() if line and not line[0].isspace() and not line.startswith("@")]
    assert len(subjects) == len(set(subjects))  # each subject's triples in one block


def test_nt_lines_are_sorted(tmp_path):
    lines = rdf.write(small_builder(), tmp_path, ("nt",))["nt"].read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines) and len(lines) == len(set(lines))



def test_union_triples_sees_every_graph():
    st = open_store(None)
    s, p = ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p")
    st.add(ox.Quad(s, p, ox.Literal("a"), ox.NamedNode("https://example.org/g1")))
    st.add(ox.Quad(s, p, ox.Literal("a"), ox.NamedNode("https://example.org/g2")))
    st.add(ox.Quad(s, p, ox.Literal("b")))
    assert union_triples(st) == {ox.Triple(s, p, ox.Literal("a")), ox.Triple(s, p, ox.Literal("b"))}
