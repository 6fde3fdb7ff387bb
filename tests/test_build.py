"""End to end: the bundled sample built into Turtle and HTML, queried through SPARQL, and the
guarantees a user relies on (evidence anchors, byte-identical rebuilds, bad input, atomic output)."""
import subprocess
import sys

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

from kgbuild.build import run
from kgbuild.cli import SAMPLE

PREFIXES = """PREFIX kgo: <https://w3id.org/kgbuild/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    report, _ = run([SAMPLE], out, formats=("turtle", "nt", "json-ld", "trig"))
    store = ox.Store()
    store.load(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    return out, report, store


def select(store, body: str) -> set[tuple]:
    return {tuple(t.value if t is not None else None for t in row) for row in store.query(PREFIXES + body)}


def test_qatar_and_the_us_mediate_between_israel_and_hamas(sample):
    _, _, store = sample
    rows = select(store, """SELECT ?m ?p WHERE { ?n a kgo:Negotiation ; kgo:mediator/rdfs:label ?m ;
                                                  kgo:party/rdfs:label ?p }""")
    assert {("Qatar", "Israel"), ("Qatar", "Hamas"), ("United States", "Israel"), ("United States", "Hamas")} <= rows


def test_about_240_taken_hostage_by_hamas(sample):
    rows = select(sample[2], """SELECT ?n ?q WHERE { ?t a kgo:HostageTaking ; kgo:perpetrator/rdfs:label "Hamas" ;
                                                      kgo:count ?n ; kgo:countQualifier ?q }""")
    assert ("240", "approximately") in rows


def test_the_more_than_100_for_more_than_200_exchange(sample):
    rows = select(sample[2], """SELECT ?by ?n ?q WHERE { ?x a kgo:Exchange ; kgo:hasRelease ?r .
                                  ?r kgo:releasedBy/rdfs:label ?by ; kgo:count ?n ; kgo:countQualifier ?q }""")
    assert {("Palestinian groups", "100", "more than"), ("Israel", "200", "more than")} <= rows


def test_the_paris_meeting_of_egypt_israel_and_the_us(sample):
    rows = select(sample[2], """SELECT ?who WHERE { ?m a kgo:Meeting ; kgo:location/rdfs:label "Paris" ;
                                                     kgo:participant/rdfs:label ?who }""")
    assert {("Egypt",), ("Israel",), ("United States",)} <= rows


def test_the_qatari_prime_ministers_role(sample):
    rows = select(sample[2], """SELECT ?who ?title WHERE { ?r a kgo:Role ; kgo:roleOf/rdfs:label "Qatar" ;
                                                           kgo:holder/rdfs:label ?who ; kgo:title ?title }""")
    assert ("Mohammed bin Abdulrahman bin Jassim al Thani", "prime minister") in rows


def test_every_fact_has_a_valid_evidence_anchor(sample):
    out, _, store = sample
    text = SAMPLE.read_text(encoding="utf-8")
    facts = select(store, "SELECT DISTINCT ?f WHERE { ?f kgo:evidence ?e }")
    typed = select(store, """SELECT DISTINCT ?f WHERE { ?f a ?c . VALUES ?c { kgo:Negotiation kgo:Meeting kgo:Truce
        kgo:HostageTaking kgo:Release kgo:Exchange kgo:Demand kgo:Proposal kgo:Statement kgo:CasualtyReport kgo:Role } }""")
    assert typed and typed == facts
    anchors = select(store, """SELECT ?t ?s ?e ?id WHERE { ?ev a kgo:Evidence ; kgo:text ?t ; kgo:charStart ?s ;
                                 kgo:charEnd ?e ; kgo:document/dcterms:identifier ?id }""")
    assert anchors
    for t, s, e, ident in anchors:
        assert ident == "qatar-pm-gaza-truce-talks"
        assert text[int(s):int(e)] == t and 0 < int(e) - int(s) <= 1000


def test_every_entity_has_one_label_and_one_class(sample):
    rows = select(sample[2], """SELECT ?e (COUNT(DISTINCT ?l) AS ?n) WHERE { ?e rdfs:label ?l } GROUP BY ?e""")
    assert rows and all(n == "1" for _, n in rows)


def test_other_formats_parse(sample):
    out = sample[0]
    for name, fmt in (("graph.nt", "nt"), ("graph.jsonld", "json-ld")):
        assert len(Graph().parse(out / name, format=fmt)) > 100
    ds = Dataset()
    ds.parse(out / "graph.trig", format="trig")
    assert any("document/qatar-pm-gaza-truce-talks" in str(g.identifier) for g in ds.graphs())


def test_two_builds_are_byte_identical(tmp_path, sample):
    run([SAMPLE], tmp_path)
    assert (tmp_path / "graph.ttl").read_bytes() == (sample[0] / "graph.ttl").read_bytes()
    assert (tmp_path / "graph.html").read_bytes() == (sample[0] / "graph.html").read_bytes()


def cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "kgbuild", *args], capture_output=True, text=True, cwd=cwd)


def test_bad_input_is_skipped_and_named_and_the_rest_builds(tmp_path):
    arts = tmp_path / "in"
    arts.mkdir()
    (arts / "empty.txt").write_text("")
    (arts / "bytes.txt").write_bytes(b"\xc3\x28 not utf-8")
    (arts / "record.json").write_text('{"title": "no text here"}')
    (arts / "ok.txt").write_text("Swap completed\n\n-----\n\nRussia freed 12 Ukrainian soldiers on Monday, "
                                 "and Ukraine released 12 Russian prisoners in return.\n")
    res = cli("build", str(arts), str(tmp_path / "missing"), "--out", str(tmp_path / "out"), "-q")
    assert res.returncode == 0, res.stderr
    for name in ("empty.txt", "bytes.txt", "record.json", "missing"):
        assert any(name in line for line in res.stderr.splitlines() if line.startswith("skipped")), res.stderr
    assert (tmp_path / "out" / "graph.ttl").is_file() and (tmp_path / "out" / "graph.html").is_file()


def test_nothing_buildable_exits_non_zero_and_writes_nothing(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    res = cli("build", str(tmp_path / "empty.txt"), "--out", str(tmp_path / "out"), "-q")
    assert res.returncode == 1
    assert "nothing built" in res.stderr
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_a_failed_write_leaves_the_old_output_whole(tmp_path, monkeypatch):
    from kgbuild import rdf

    run([SAMPLE], tmp_path)
    before = (tmp_path / "graph.ttl").read_bytes()

    real = rdf.fact_triples

    def broken(*a, **k):  # fails half-way through the stream of triples
        for n, t in enumerate(real(*a, **k)):
            if n == 20:
                raise RuntimeError("disk full")
            yield t

    monkeypatch.setattr(rdf, "fact_triples", broken)
    with pytest.raises(RuntimeError):
        run([SAMPLE], tmp_path)
    assert (tmp_path / "graph.ttl").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".graph")]


def test_article_text_is_a_literal_not_turtle(tmp_path):
    evil = tmp_path / "evil.txt"
    evil.write_text('Evil " > <script>alert(1)</script>\n\n-----\n\nQatar said "} ; <x> a <y> . "'
                    " on Monday that Hamas had freed 5 hostages.\n")
    run([evil], tmp_path / "out")
    g = Graph().parse(tmp_path / "out" / "graph.ttl", format="turtle")
    texts = [str(o) for o in g.objects(None, None) if "alert" in str(o) or "<x>" in str(o)]
    assert texts  # the hostile text survives as literals
    assert "<script>alert(1)" not in (tmp_path / "out" / "graph.html").read_text()  # escaped as JSON


def test_python_dash_m_and_help():
    res = cli("--help")
    assert res.returncode == 0 and "build" in res.stdout and "query" in res.stdout


def test_query_command_on_a_graph_file(sample):
    out = sample[0]
    res = cli("query", str(out / "graph.ttl"),
              PREFIXES + 'SELECT ?l WHERE { ?m a kgo:Negotiation ; kgo:mediator/rdfs:label ?l } ORDER BY ?l',
              "--format", "csv")
    assert res.returncode == 0, res.stderr
    assert "Qatar" in res.stdout.splitlines()


def test_outputs_are_ordinary_readable_files(sample):
    for name in ("graph.ttl", "graph.html"):
        assert (sample[0] / name).stat().st_mode & 0o444 == 0o444
