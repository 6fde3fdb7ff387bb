"""The competency questions in ontology/queries/*.rq: each says what it answers, parses, runs on the
sample build through pyoxigraph, orders its rows deterministically, and gives the answers an
analyst expects from the sample article.

The extractor is being improved, so the answers asserted here are robust facts of the article that
it already gets right (not row counts). Facts of the article that it does not get yet are marked
xfail.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

REPO = Path(__file__).resolve().parent.parent
QUERIES = REPO / "ontology" / "queries"
SAMPLE = REPO / "kgbuild" / "data" / "sample" / "qatar-pm-gaza-truce-talks.txt"
R = "https://w3id.org/kgbuild/id/"
KGO = "https://w3id.org/kgbuild/ontology#"

EXPECTED = ("mediators", "releases", "exchanges", "demands", "proposals", "roles", "meetings",
            "hostage-takings", "casualties", "statements", "evidence", "events-between", "event-sources",
            "rounds-of-talks", "low-confidence")
ALL = sorted(p.stem for p in QUERIES.glob("*.rq"))
NEEDS_SEVERAL_DATED_REPORTS = {"events-between", "event-sources", "low-confidence"}


@pytest.fixture(scope="module")
def store(sample_ttl) -> ox.Store:
    st = ox.Store()
    st.load(path=str(sample_ttl), format=ox.RdfFormat.TURTLE)
    return st


def text_of(name: str) -> str:
    return (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def rows_of(st: ox.Store, name: str, **params: str) -> list[dict[str, str | None]]:
    from kgbuild.store import query

    res = query(st, text_of(name), params=params)
    names = [v.value for v in res.variables]
    return [{n: (sol[n].value if sol[n] is not None else None) for n in names} for sol in res]


@pytest.fixture(scope="module")
def answers(store) -> dict[str, list[dict[str, str | None]]]:
    return {name: rows_of(store, name) for name in ALL}


# --------------------------------------------------------------------------- every query

def test_the_competency_questions_are_all_there():
    missing = [n for n in EXPECTED if n not in ALL]
    assert not missing, f"missing queries: {missing}"


@pytest.mark.parametrize("name", ALL)
def test_query_starts_with_a_comment_saying_what_it_answers(name):
    lines = text_of(name).splitlines()
    assert lines[0].startswith("# "), f"{name}.rq must start with a '# ...' comment"
    header = " ".join(line[1:].strip() for line in lines[:next(i for i, x in enumerate(lines) if not x.startswith("#"))])
    assert len(header) > 40 and "?" in header, f"{name}.rq: the leading comment should state the question: {header!r}"


@pytest.mark.parametrize("name", ALL)
def test_query_parses_uses_prefixes_and_orders_its_rows(name):
    q = text_of(name)
    ox.Store().query(q)  # raises SyntaxError when it does not parse
    assert re.search(r"^PREFIX kgo:\s+<https://w3id.org/kgbuild/ontology#>", q, re.M), f"{name}.rq: no kgo prefix"
    assert "<https://w3id.org/kgbuild/ontology#" not in q.split("SELECT", 1)[1], f"{name}.rq: full kgo IRIs"
    assert re.search(r"^\s*SELECT\b", q, re.M), f"{name}.rq is not a SELECT query"
    assert "ORDER BY" in q, f"{name}.rq does not order its rows"


@pytest.mark.parametrize("name", ALL)
def test_query_runs_on_the_sample(store, name):
    res = store.query(text_of(name), use_default_graph_as_union=True)
    assert [v.value for v in res.variables], f"{name}.rq selects no variables"
    list(res)


@pytest.mark.parametrize("name", [n for n in EXPECTED if n != "exchanges"] )
def test_query_has_answers_on_the_sample(answers, name):
    """The sample article states at least one fact of each kind asked about (the exchange is
    checked on its own below). The sample is one undated article: the questions about dates,
    several sources and confidence are checked on a graph of several reports below."""
    if name in NEEDS_SEVERAL_DATED_REPORTS:
        pytest.skip(f"{name}.rq asks about dated reports from several sources; see the events graph tests")
    assert answers[name], f"{name}.rq returns nothing on the sample"


def test_named_query_finds_every_file():
    from kgbuild.store import named_query

    for name in ALL:
        assert named_query(name) == text_of(name)


def test_order_does_not_depend_on_load_order(sample_ttl, answers):
    """ORDER BY fully determines the rows: a store loaded from shuffled N-Triples answers the same."""
    src = ox.Store()
    src.load(path=str(sample_ttl), format=ox.RdfFormat.TURTLE)
    lines = [f"{q.subject} {q.predicate} {q.object} .\n" for q in src]
    random.Random(7).shuffle(lines)
    other = ox.Store()
    other.load(input="".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    for name in ALL:
        assert rows_of(other, name) == answers[name], name


def test_cli_query_by_name(sample_ttl):
    from typer.testing import CliRunner

    from kgbuild.cli import app

    res = CliRunner().invoke(app, ["query", str(sample_ttl), "--name", "mediators", "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[0] == "mediator,mediatorLabel,party,partyLabel"
    assert "Qatar" in res.output


# --------------------------------------------------------------------------- the answers

def pairs(rows, *keys):
    return {tuple(r[k] for k in keys) for r in rows}


def test_mediators(answers):
    got = pairs(answers["mediators"], "mediatorLabel", "partyLabel")
    assert ("Qatar", "Hamas") in got
    assert ("United States", "Hamas") in got
    iris = pairs(answers["mediators"], "mediator", "party")
    assert (R + "country/qatar", R + "organization/hamas") in iris
    assert all(m != p for m, p in iris)


def test_mediators_israel_is_a_party(answers):
    got = pairs(answers["mediators"], "mediatorLabel", "partyLabel")
    assert ("Qatar", "Israel") in got and ("United States", "Israel") in got


def test_mediators_israel_is_not_a_mediator(answers):
    assert "Israel" not in {r["mediatorLabel"] for r in answers["mediators"]}


def test_hostage_taking_by_hamas_of_about_240(answers):
    got = pairs(answers["hostage-takings"], "perpetratorLabel", "count", "qualifier")
    assert ("Hamas", "240", "approximately") in got
    row = next(r for r in answers["hostage-takings"] if r["count"] == "240")
    assert "Around 240 people were taken hostage by Hamas" in row["sentence"]


def test_roles(answers):
    got = pairs(answers["roles"], "holderLabel", "title", "roleOfLabel")
    assert ("Benjamin Netanyahu", "prime minister", "Israel") in got
    assert any("Mohammed bin Abdulrahman" in (h or "") and t == "prime minister" and o == "Qatar"
               for h, t, o in got), got
    assert any(h == "Ismail Haniyeh" and o == "Hamas" for h, _, o in got), got
    assert all(r["holder"].startswith(R + "person/") for r in answers["roles"])


def test_roles_netanyahu_is_not_qatars_prime_minister(answers):
    got = pairs(answers["roles"], "holderLabel", "roleOfLabel")
    assert ("Benjamin Netanyahu", "Qatar") not in got


def test_proposal_by_hamas_rejected_by_netanyahu(answers):
    got = pairs(answers["proposals"], "proposedByLabel", "rejectedByLabel")
    assert ("Hamas", "Benjamin Netanyahu") in got
    assert not any(r["acceptedByLabel"] == "Benjamin Netanyahu" for r in answers["proposals"])


def test_hamas_demands_a_permanent_ceasefire(answers):
    assert any(r["demandedByLabel"] == "Hamas" and "permanent ceasefire" in (r["text"] or "")
               for r in answers["demands"]), answers["demands"]


def test_casualties(answers):
    got = pairs(answers["casualties"], "kind", "count", "qualifier")
    assert ("killed", "26600", "more than") in got
    assert ("killed", "1139", "at least") in got


def test_meeting_of_egypt_israel_and_the_united_states(answers):
    by_meeting: dict[str, set] = {}
    for r in answers["meetings"]:
        by_meeting.setdefault(r["meeting"], set()).add(r["participantLabel"])
    assert any({"Egypt", "Israel", "United States"} <= ps for ps in by_meeting.values()), by_meeting


def test_meeting_in_paris(answers):
    assert "Paris" in {r["locationLabel"] for r in answers["meetings"]}


def test_exchange_has_two_sides(answers):
    sides: dict[str, set] = {}
    for r in answers["exchanges"]:
        sides.setdefault(r["exchange"], set()).add(r["sideLabel"])
    assert sides, "no exchange in the sample"
    assert any(len(s) >= 2 and s & {"Hamas", "Palestinian groups"} for s in sides.values()), sides


def test_exchange_sides_and_counts(answers):
    got = pairs(answers["exchanges"], "sideLabel", "count", "qualifier")
    assert ("Israel", "200", "more than") in got
    assert any(side in ("Hamas", "Palestinian groups") and c == "100" and q == "more than" for side, c, q in got)


def test_releases(answers):
    assert ("200", "more than") in pairs(answers["releases"], "count", "qualifier")
    for r in answers["releases"]:
        assert r["kind"] in ("hostage", "captive", "prisoner", "detainee")
        assert r["sentence"] and r["document"] == "qatar-pm-gaza-truce-talks"


def test_statement_of_the_qatari_prime_minister(answers):
    assert any("Mohammed bin Abdulrahman" in (r["speakerLabel"] or "")
               and "relay this proposal to Hamas" in (r["quote"] or "")
               for r in answers["statements"]), answers["statements"]


def test_evidence_rows_are_spans_of_the_article(answers, store):
    text = SAMPLE.read_text(encoding="utf-8")
    rows = answers["evidence"]
    for r in rows:
        assert r["document"] == "qatar-pm-gaza-truce-talks"
        assert text[int(r["start"]):int(r["end"])] == r["sentence"], r
    positions = [(int(r["start"]), int(r["end"])) for r in rows]
    assert positions == sorted(positions), "evidence rows are not in reading order"
    facts = {str(s.subject.value) for s in store.quads_for_pattern(None, ox.NamedNode(KGO + "evidence"), None)}
    assert {r["fact"] for r in rows} == facts, "some fact has no row in evidence.rq"
    assert {"Negotiation", "HostageTaking", "Role", "Statement", "Proposal"} <= {r["class"] for r in rows}


# --------------------------------------------------------------------------- events in time
# A small graph of several dated reports, written as the graph contract says a build writes it:
# one node per event, the event carrying every report's figure, each report's evidence its own.

def _events_graph():
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

    from kgbuild.namespace import KGO as K

    g = Graph()
    ent = {}
    for key, cls, label, alts in [("organization/hamas", "Organization", "Hamas", ()),
                                  ("country/israel", "Country", "Israel", ("Israeli",)),
                                  ("country/qatar", "Country", "Qatar", ("Doha",)),
                                  ("country/egypt", "Country", "Egypt", ()),
                                  ("place/cairo", "Place", "Cairo", ())]:
        e = ent[label] = URIRef(R + key)
        g.add((e, RDF.type, K[cls]))
        g.add((e, RDFS.label, Literal(label)))
        for a in alts:
            g.add((e, SKOS.altLabel, Literal(a)))
    docs = {}
    for doc_id, date in [("outlet-a", "2023-11-25"), ("outlet-b", "2023-11-26"), ("outlet-c", "2024-01-10")]:
        d = docs[doc_id] = URIRef(R + "document/" + doc_id)
        g.add((d, RDF.type, K.Document))
        g.add((d, DCTERMS.identifier, Literal(doc_id)))
        g.add((d, DCTERMS.date, Literal(date)))

    def evidence(fact, doc_id, start, text, **props):
        ev = URIRef(f"{R}evidence/{doc_id}/{start}-{start + len(text)}")
        g.add((fact, K.evidence, ev))
        g.add((ev, RDF.type, K.Evidence))
        g.add((ev, K.document, docs[doc_id]))
        g.add((ev, K.text, Literal(text)))
        g.add((ev, K.charStart, Literal(start, datatype=XSD.integer)))
        g.add((ev, K.charEnd, Literal(start + len(text), datatype=XSD.integer)))
        for p, o in props.items():
            g.add((ev, K[p], o))

    def fact(name, cls, date=None, **props):
        f = URIRef(f"{R}fact/{cls.lower()}/{name}")
        g.add((f, RDF.type, K[cls]))
        if date:
            g.add((f, K.date, Literal(date, datatype={4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}[len(date)])))
        for p, vals in props.items():
            for v in (vals if isinstance(vals, list) else [vals]):
                g.add((f, K[p], v))
        return f

    n13, n14 = Literal(13, datatype=XSD.integer), Literal(14, datatype=XSD.integer)
    first = fact("first-release", "Release", "2023-11-24", releasedBy=ent["Hamas"], count=[n13, n14])
    evidence(first, "outlet-a", 0, "Hamas freed 13 hostages on Friday.", count=n13, releasedBy=ent["Hamas"])
    evidence(first, "outlet-b", 40, "On Friday the group let 14 captives go.", count=n14,
             countQualifier=Literal("exact"))
    second = fact("second-release", "Release", "2023-11-25", releasedBy=ent["Hamas"], count=n13)
    evidence(second, "outlet-b", 0, "A second group of 13 was freed on Saturday.")
    talks = fact("talks", "Negotiation", mediator=ent["Qatar"], party=[ent["Israel"], ent["Hamas"]])
    evidence(talks, "outlet-a", 100, "Qatar has mediated between Israel and Hamas.")
    evidence(talks, "outlet-c", 0, "Qatar's mediation between Israel and Hamas goes on.")
    november = fact("november-round", "Meeting", "2023-11", participant=[ent["Qatar"], ent["Egypt"]], partOf=talks)
    evidence(november, "outlet-a", 200, "Qatari and Egyptian envoys met in November.")
    january = fact("january-round", "Meeting", "2024-01-08", participant=[ent["Israel"], ent["Egypt"]],
                   location=ent["Cairo"], partOf=talks)
    evidence(january, "outlet-c", 100, "Israeli and Egyptian officials met in Cairo on Monday.")
    truce = fact("truce", "Truce", "2023", party=[ent["Israel"], ent["Hamas"]], status=Literal("agreed"))
    evidence(truce, "outlet-a", 300, "A truce was agreed this year.")
    statement = fact("statement", "Statement", speaker=ent["Qatar"], quote=Literal("talks continue"),
                     confidence=Literal("0.6", datatype=XSD.decimal))
    evidence(statement, "outlet-c", 200, "Doha said talks continue.")
    return g


@pytest.fixture(scope="module")
def events_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("events") / "events.ttl"
    g = _events_graph()
    from kgbuild.validate import validate

    conforms, report = validate(g, warnings_fail=True)
    assert conforms, report  # the queries are tested on a graph the contract accepts
    g.serialize(path, format="turtle")
    st = ox.Store()
    st.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return st


def _short(rows, *keys):
    return [tuple((r[k] or "").rsplit("/", 1)[-1] for k in keys) for r in rows]


def test_events_in_order_of_their_own_date(events_store):
    rows = rows_of(events_store, "events-between")
    assert _short(rows, "event", "date", "precision") == [
        ("truce", "2023", "year"),
        ("november-round", "2023-11", "month"),
        ("first-release", "2023-11-24", "day"),
        ("second-release", "2023-11-25", "day"),
        ("talks", "2023-11-25", "report date"),       # undated: its earliest report's date, marked
        ("january-round", "2024-01-08", "day"),
        ("statement", "2024-01-10", "report date"),
    ]
    first = next(r for r in rows if r["event"].endswith("first-release"))
    assert first["kind"] == "Release" and first["actors"] == "Hamas" and first["sources"] == "2"


def test_events_of_one_day_include_the_month_and_year_that_hold_it(events_store):
    rows = rows_of(events_store, "events-between", **{"from": "2023-11-24", "to": "2023-11-24"})
    assert _short(rows, "event") == [("truce",), ("november-round",), ("first-release",)]
    assert {(r["from"], r["to"]) for r in rows} == {("2023-11-24", "2023-11-24")}
    after = rows_of(events_store, "events-between", **{"from": "2024-01-01"})
    assert _short(after, "event") == [("january-round",), ("statement",)]


def test_events_can_leave_out_less_confident_facts(events_store):
    every = {r["event"].rsplit("/", 1)[-1]: r["confidence"] for r in rows_of(events_store, "events-between")}
    assert every["statement"] == "0.6" and every["first-release"] is None   # absent: full confidence
    confident = rows_of(events_store, "events-between", minConfidence="0.8")
    assert "statement" not in {r["event"].rsplit("/", 1)[-1] for r in confident}
    assert len(confident) == len(every) - 1
    low = rows_of(events_store, "low-confidence")
    assert _short(low, "fact", "confidence", "document") == [("statement", "0.6", "outlet-c")]
    assert rows_of(events_store, "low-confidence", below="0.5") == []


def test_an_event_reported_by_two_outlets_lists_each_reports_figure(events_store):
    rows = rows_of(events_store, "event-sources")
    release = [r for r in rows if r["event"].endswith("first-release")]
    assert [(r["document"], r["count"], r["qualifier"]) for r in release] == [
        ("outlet-a", "13", None), ("outlet-b", "14", "exact")]
    assert {r["sources"] for r in release} == {"2"} and {r["date"] for r in release} == {"2023-11-24"}
    assert sorted(release[0]["eventCounts"].split(" | ")) == ["13", "14"]
    assert release[0]["roles"] == "releasedBy: Hamas" and not release[1]["roles"]
    # events stated by one document only are not listed; the talks (two outlets) are
    assert {r["event"].rsplit("/", 1)[-1] for r in rows} == {"first-release", "talks"}
    assert rows_of(events_store, "event-sources", minSources="3") == []


def test_rounds_of_talks_between_two_parties_in_order(events_store):
    rows = rows_of(events_store, "rounds-of-talks", a="israel", b="HAMAS")
    assert _short(rows, "partyA", "partyB", "talks", "date", "precision") == [
        ("Israel", "Hamas", "november-round", "2023-11", "month"),       # through the negotiation it is part of
        ("Israel", "Hamas", "talks", "2023-11-25", "report date"),
        ("Israel", "Hamas", "january-round", "2024-01-08", "day"),
    ]
    assert rows[2]["place"] == "Cairo" and rows[1]["sources"] == "2"
    # an other name finds the entity too; with no parameter, every pair once
    assert _short(rows_of(events_store, "rounds-of-talks", a="Doha", b="Egypt"), "talks") == \
        [("november-round",), ("january-round",)]
    pairs_ = {(r["partyA"], r["partyB"]) for r in rows_of(events_store, "rounds-of-talks")}
    assert ("Hamas", "Israel") in pairs_ and ("Israel", "Hamas") not in pairs_


def test_parameters_are_typed_literals_never_query_text(events_store):
    from kgbuild.query_params import declared, substitutions

    assert set(declared(text_of("events-between"))) == {"from", "to", "minConfidence"}
    with pytest.raises(ValueError, match="unknown parameter"):
        rows_of(events_store, "events-between", since="2023-01-01")
    for bad in ("2023-13-01", "24 November 2023", '2023-11-24"^^xsd:date) || true || ("'):
        with pytest.raises(ValueError, match="YYYY-MM-DD|month|day"):
            substitutions(text_of("events-between"), {"from": bad})
    with pytest.raises(ValueError, match="decimal"):
        substitutions(text_of("events-between"), {"minConfidence": "1e400"})
    # a name that tries to close the string and add a pattern is only a name that matches nothing
    assert rows_of(events_store, "rounds-of-talks", a='Israel") || true || ("', b="Hamas") == []


def test_cli_query_with_parameters(tmp_path):
    from typer.testing import CliRunner

    from kgbuild.cli import app

    path = tmp_path / "events.ttl"
    _events_graph().serialize(path, format="turtle")
    runner = CliRunner()
    res = runner.invoke(app, ["query", str(path), "--name", "events-between", "--param", "from=2023-11-25",
                              "--param", "to=2023-11-30", "-f", "csv"])
    assert res.exit_code == 0, res.output
    lines = [line for line in res.output.splitlines() if line]
    assert lines[0].startswith("date,precision,kind,event")
    assert [line.split(",")[0] for line in lines[1:]] == ["2023", "2023-11", "2023-11-25", "2023-11-25"]
    bad = runner.invoke(app, ["query", str(path), "--name", "events-between", "--param", "from=yesterday"])
    assert bad.exit_code == 1 and "YYYY-MM-DD" in bad.output
