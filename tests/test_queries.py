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
            "hostage-takings", "casualties", "statements", "evidence")
ALL = sorted(p.stem for p in QUERIES.glob("*.rq"))


@pytest.fixture(scope="module")
def store(sample_ttl) -> ox.Store:
    st = ox.Store()
    st.load(path=str(sample_ttl), format=ox.RdfFormat.TURTLE)
    return st


def text_of(name: str) -> str:
    return (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def rows_of(st: ox.Store, name: str) -> list[dict[str, str | None]]:
    res = st.query(text_of(name), use_default_graph_as_union=True)
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
    checked on its own below)."""
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
