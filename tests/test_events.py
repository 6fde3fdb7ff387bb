"""Events across reports and batches (kgbuild/reduce.py, kgbuild/data/events.json,
kgbuild/incremental.py).

One node per real-world event: reports of one kind among the same parties on compatible dates
are one node, on different dates two; what each report says differently stays on its evidence.
And however a corpus is cut into batches and in whatever order they arrive, a store holds what
one build of all of it holds. The hand-made extraction results below carry dates as the date
resolver writes them (`Fact.values["date"]`: "YYYY", "YYYY-MM" or "YYYY-MM-DD").
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal
from typer.testing import CliRunner

from kgbuild import rdf
from kgbuild.cli import app
from kgbuild.facts import DocMeta, DocResult, Entity, Evidence, Fact
from kgbuild.incremental import update_store
from kgbuild.ingest import iter_documents
from kgbuild.namespace import KGO_IRI, RESOURCE_IRI
from kgbuild.pipeline import extract_documents
from kgbuild.reduce import GraphBuilder, cluster_dates
from kgbuild.store import open_store, union_triples

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
KGO = lambda p: ox.NamedNode(f"{KGO_IRI}{p}")  # noqa: E731
HAMAS = ("organization:hamas", "Organization", "Hamas")
ISRAEL = ("country:israel", "Country", "Israel")
QATAR = ("country:qatar", "Country", "Qatar")
TURKEY = ("country:turkey", "Country", "Turkey")
ISTANBUL = ("place:istanbul", "Place", "Istanbul")


# --- hand-made extraction results ----------------------------------------------------------------

def report(doc_id: str, published: str | None, cls: str, text: str, values: dict, rule: str = "test",
           **roles: tuple) -> DocResult:
    """One document stating one fact: `roles` map a property to (key, class, label) entities."""
    entities, args = {}, {}
    for prop, ents in roles.items():
        for key, ecls, label in ents if isinstance(ents, list) else [ents]:
            lid = f"e{len(entities)}"
            entities[lid] = Entity(lid, key, ecls, label)
            args.setdefault(prop, []).append(lid)
    body = f"Headline of {doc_id}\n\n{text}"
    f = Fact("f0", cls, args=args, values=dict(values), rule=rule,
             evidence=[Evidence(len(body) - len(text), len(body), text)])
    return DocResult(DocMeta(doc_id, title=f"Headline of {doc_id}", date=published), entities, [f], words=20)


def release(doc_id: str, count: int, date: str | None, published: str | None = "2023-11-26", **kw) -> DocResult:
    values = {"count": count, "countQualifier": "exact", "detaineeKind": "hostage"}
    if date:
        values["date"] = date
    return report(doc_id, published, "Release", f"Hamas released {count} hostages.", values,
                  releasedBy=HAMAS, **kw)


def build(*results: DocResult) -> GraphBuilder:
    b = GraphBuilder()
    for r in results:
        b.add(r)
    b.finish()
    return b


def events(b: GraphBuilder, cls: str = "Release") -> list:
    return sorted((cf for cf in b.facts.values() if cf.cls == cls), key=lambda cf: str(cf.values.get("date")))


def docs_of(cf) -> set[str]:
    return {m.doc for m in cf.mentions}


# --- identity ------------------------------------------------------------------------------------

def test_the_same_release_on_two_days_is_two_events():
    b = build(release("a", 13, "2023-11-24"), release("b", 13, "2023-11-24"), release("c", 13, "2023-11-25"))
    first, second = events(b)
    assert (first.values["date"], docs_of(first)) == ("2023-11-24", {"a", "b"})
    assert (second.values["date"], docs_of(second)) == ("2023-11-25", {"c"})
    assert first.iri != second.iri


def test_figures_differ_the_event_is_one_and_each_report_keeps_its_own():
    b = build(release("a", 13, "2023-11-24"), release("b", 14, "2023-11-24"))
    [cf] = events(b)
    assert cf.values["count"] == [13, 14]                 # the event carries every figure
    g = rdf.to_graph(b)
    ev_counts = {str(doc): int(n) for ev, doc in g.subject_objects(rdf.KGO.document)
                 for n in g.objects(ev, rdf.KGO["count"])}
    assert ev_counts == {str(rdf.doc_iri("a")): 13, str(rdf.doc_iri("b")): 14}


def test_a_role_only_one_report_names_does_not_split_the_meeting():
    meet = lambda doc_id, where: report(doc_id, "2024-03-02", "Meeting", "Officials met.",  # noqa: E731
                                        {"date": "2024-03-01"}, participant=[ISRAEL, QATAR], location=where)
    b = build(meet("a", TURKEY), meet("b", ISTANBUL))
    [cf] = events(b, "Meeting")
    assert cf.args["location"] == sorted([f"{RESOURCE_IRI}country/turkey", f"{RESOURCE_IRI}place/istanbul"])
    g = rdf.to_graph(b)
    for doc_id, place in (("a", "country/turkey"), ("b", "place/istanbul")):
        [ev] = [ev for ev in g.subjects(rdf.KGO.document, rdf.doc_iri(doc_id))]
        assert [str(x) for x in g.objects(ev, rdf.KGO.location)] == [f"{RESOURCE_IRI}{place}"]


def test_each_evidence_names_the_rule_that_read_it():
    a = report("a", "2023-11-25", "Release", "Hamas freed 13.", {"count": 13, "date": "2023-11-24"},
               rule="release:free", releasedBy=HAMAS)
    b = report("b", "2023-11-25", "Release", "Hamas let 13 go.", {"count": 13, "date": "2023-11-24"},
               rule="release:let-go", releasedBy=HAMAS)
    g = rdf.to_graph(build(a, b))
    [fact] = list(g.subjects(rdf.RDF.type, rdf.KGO.Release))
    assert {str(r) for r in g.objects(fact, rdf.KGO.rule)} == {"release:free", "release:let-go"}
    rules = {str(d): str(r) for ev, d in g.subject_objects(rdf.KGO.document) for r in g.objects(ev, rdf.KGO.rule)}
    assert rules == {str(rdf.doc_iri("a")): "release:free", str(rdf.doc_iri("b")): "release:let-go"}


def test_date_of_any_precision_is_typed_by_its_precision():
    b = build(release("a", 13, "2023-11"), release("b", 5, "2023", published="2024-02-01"),
              report("c", "2023-11-26", "Release", "Israel freed 39.", {"count": 39, "date": "2023-11-24"},
                     releasedBy=ISRAEL))
    g = rdf.to_graph(b)
    types = {str(d): str(d.datatype).rsplit("#", 1)[1] for d in g.objects(None, rdf.KGO.date)}
    assert types == {"2023-11": "gYearMonth", "2023": "gYear", "2023-11-24": "date"}


def test_a_less_precise_date_joins_the_one_event_it_fits_else_stands_alone():
    assert cluster_dates(["2023-11", "2023-11-24"], [None, None], 7) == ["2023-11-24", "2023-11-24"]
    # beside the 24th and the 25th, "November" cannot be placed: an event of its own, at its precision
    assert cluster_dates(["2023-11", "2023-11-24", "2023-11-25"], [None] * 3, 7) == \
        ["2023-11", "2023-11-24", "2023-11-25"]
    assert cluster_dates(["2023", "2024-01-03"], [None, None], 7) == ["2023", "2024-01-03"]


def test_undated_reports():
    # the one event of its kind in the week before the article's date: that is the news it reports
    assert cluster_dates([None, "2023-11-24"], ["2023-11-26", "2023-11-27"], 7)[0] == "2023-11-24"
    # two such events: it cannot tell which, and stays apart (with its day and its figure)
    keys = cluster_dates([None, "2023-11-24", "2023-11-25"], ["2023-11-26"] * 3, 7, [13, 13, 13])
    assert keys == ["undated:2023-11-26:13", "2023-11-24", "2023-11-25"]
    # an article months after the one event does not reach back to it
    assert cluster_dates([None, "2023-11-24"], ["2024-06-01", "2023-11-25"], 7)[0].startswith("undated:")
    # an article without a date gives no time to place its undated report by: it joins no dated event
    assert cluster_dates([None, "2023-11-24"], [None, "2023-11-25"], 7)[0].startswith("undated:")
    # undated reports with one figure in articles of consecutive days are one story; a week later, another
    assert len(set(cluster_dates([None] * 3, ["2023-11-26", "2023-11-27", "2023-12-04"], 7, [13] * 3))) == 2
    # undated reports of one day with one figure are one event; another figure is another
    b = build(release("a", 13, None), release("b", 13, None), release("c", 240, None))
    assert sorted(map(docs_of, events(b)), key=sorted) == [{"a", "b"}, {"c"}]
    assert all("date" not in cf.values for cf in events(b))


def test_one_build_does_not_depend_on_the_order_of_documents():
    docs = [release("a", 13, None), release("b", 13, "2023-11-24"), release("c", 14, "2023-11"),
            release("d", 13, "2023-11-25"), release("e", 7, None, published="2023-11-25")]
    ttl = rdf.to_graph(build(*docs)).serialize(format="turtle")
    for order in ([4, 3, 2, 1, 0], [2, 0, 4, 1, 3], [1, 3, 0, 2, 4]):
        assert rdf.to_graph(build(*[docs[i] for i in order])).serialize(format="turtle") == ttl


# --- batches -------------------------------------------------------------------------------------

def store_of(*batches: list[DocResult]) -> ox.Store:
    store = open_store(None)
    for batch in batches:
        update_store(store, build(*batch))
    return store


def test_a_new_report_of_a_known_event_lands_on_its_node():
    store = store_of([release("a", 13, "2023-11-24")], [release("b", 14, "2023-11-24")])
    assert union_triples(store) == union_triples(store_of([release("a", 13, "2023-11-24"), release("b", 14, "2023-11-24")]))
    assert len(release_nodes(store)) == 1


def test_a_later_batch_regroups_what_an_earlier_one_decided():
    a, b, c = release("a", 13, "2023-11"), release("b", 13, "2023-11-24"), release("c", 13, "2023-11-25")
    store = store_of([a])
    update_store(store, build(b))      # "November" now fits the 24th: one event
    assert union_triples(store) == union_triples(store_of([a, b]))
    assert len(release_nodes(store)) == 1
    update_store(store, build(c))      # beside the 25th it cannot be placed: an event of its own
    assert union_triples(store) == union_triples(store_of([a, b, c]))
    assert len(release_nodes(store)) == 3


def release_nodes(store: ox.Store) -> set:
    return {q.subject for q in store.quads_for_pattern(None, ox.NamedNode(str(rdf.RDF.type)), KGO("Release"), None)}


def test_a_later_batch_merges_a_stored_surname_into_the_full_name():
    short = report("a", "2023-04-20", "Statement", "Burhan spoke.", {"quote": "we will talk"},
                   speaker=("person:burhan", "Person", "Burhan"))
    full = report("b", "2023-04-21", "Statement", "Abdel-Fattah al-Burhan spoke.", {"quote": "no talks"},
                  speaker=("person:abdel-fattah al-burhan", "Person", "Abdel-Fattah al-Burhan"))
    store = store_of([short], [full])
    assert union_triples(store) == union_triples(store_of([short, full]))
    assert not list(store.quads_for_pattern(ox.NamedNode(f"{RESOURCE_IRI}person/burhan"), None, None, None))


# --- the project's articles, cut into batches ---------------------------------------------------

ARTICLES = {
    "dev": ["sudan-jeddah-ceasefire", "russia-ukraine-pow-swap-uae", "qatar-gaza-truce-hostage-deal",
            "shalit-exchange-second-phase"],
    "real-dev": ["aa-straitstimes-sudan-jeddah-talks"],
    "events-dev": ["ea-alarabiya-115-each", "ea-anews-115-personnel", "ea-ap-independence-day-swap",
                   "ea-i24-largest-swap", "ea-interfax-230-return", "ea-bloomberg-first-since-february"],
}
CORPUS = ["sudan-geneva-talks-army-absent", "ankara-swap-gershkovich-whelan", "venezuela-el-salvador-three-way-swap"]


@pytest.fixture(scope="module")
def corpus(nlp) -> list[DocResult]:
    """Extraction results of a few articles of each set (read once), plus dated hand-made
    reports, so that name merges, figures, undated reports and regrouping all occur."""
    paths = [ROOT / "tests" / "corpus" / f"{n}.txt" for n in CORPUS]
    paths += [EVAL / s / f"{n}.txt" for s, names in ARTICLES.items() for n in names]
    paths = [p for p in paths if p.is_file()]
    results = list(extract_documents(iter_documents(paths), nlp))
    return results + [release("h1", 13, "2023-11"), release("h2", 13, "2023-11-24"), release("h3", 14, "2023-11-24"),
                      release("h4", 13, "2023-11-25"), release("h5", 13, None, published="2023-11-26")]


@pytest.fixture(scope="module")
def one_build(corpus) -> set[ox.Triple]:
    return union_triples(store_of(corpus))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_batches_in_any_order_give_the_store_of_one_build(corpus, one_build, data):
    order = data.draw(st.permutations(range(len(corpus))), label="order")
    cuts = sorted(data.draw(st.sets(st.integers(1, len(corpus) - 1), min_size=1, max_size=4), label="cuts"))
    bounds = [0, *cuts, len(corpus)]
    batches = [[corpus[i] for i in order[a:b]] for a, b in zip(bounds, bounds[1:])]
    assert union_triples(store_of(*batches)) == one_build


@settings(max_examples=5, deadline=None)
@given(order=st.permutations(range(8)))
def test_one_build_of_articles_does_not_depend_on_their_order(corpus, order):
    docs = corpus[:8]
    expected = rdf.to_graph(build(*docs)).serialize(format="turtle")
    assert rdf.to_graph(build(*[docs[i] for i in order])).serialize(format="turtle") == expected


# --- through the command line -------------------------------------------------------------------

ARTICLE = "{title}\n\n-----\nDate: {date}\n\n{body}\n"
REPORTS = {  # two outlets on Friday's release, a third on Sunday's
    "outlet-a": ("Hamas frees 13 hostages as truce holds", "2023-11-25",
                 "Hamas released 13 Israeli hostages on Friday under a truce brokered by Qatar, Israeli officials said."),
    "outlet-b": ("First captives return home", "2023-11-25",
                 "Hamas freed 13 hostages on Friday, the first captives to come home since the pause began, the army said."),
    "outlet-c": ("Third group of captives freed", "2023-11-27",
                 "Hamas released 11 hostages on Sunday, the third group freed under the truce, the army said."),
}


@pytest.mark.slow
def test_two_reports_of_one_release_and_a_third_of_a_later_one(tmp_path):
    folders = {}
    for name, (title, date, body) in REPORTS.items():
        folders[name] = tmp_path / name
        folders[name].mkdir()
        (folders[name] / f"{name}.txt").write_text(ARTICLE.format(title=title, date=date, body=body))
    runner = CliRunner()

    def run(*args):
        r = runner.invoke(app, ["build", *map(str, args), "--no-html", "-q"])
        assert r.exit_code == 0, r.output

    def releases(store) -> dict[frozenset, set[str]]:
        """Release node → the documents reporting it, and its dates."""
        out = {}
        for q in store.quads_for_pattern(None, ox.NamedNode(str(rdf.RDF.type)), KGO("Release"), None):
            docs = frozenset(x.graph_name.value.rsplit("/", 1)[1]
                             for x in store.quads_for_pattern(q.subject, KGO("evidence"), None, None))
            out[docs] = {x.object.value for x in store.quads_for_pattern(q.subject, KGO("date"), None, None)}
        return out

    def check(store_dir):
        st_ = open_store(store_dir)
        found = releases(st_)
        del st_
        assert set(found) == {frozenset({"outlet-a", "outlet-b"}), frozenset({"outlet-c"})}
        # "on Friday" / "on Sunday" read against the articles' dates
        assert found[frozenset({"outlet-a", "outlet-b"})] == {"2023-11-24"}
        assert found[frozenset({"outlet-c"})] == {"2023-11-26"}
        return found

    run(*folders.values(), "--out", tmp_path / "one", "--store", tmp_path / "one.store")
    run(*folders.values(), "--out", tmp_path / "jobs", "--store", tmp_path / "jobs.store", "--jobs", "2")
    run(folders["outlet-a"], "--out", tmp_path / "i1", "--store", tmp_path / "inc.store")
    run(folders["outlet-c"], folders["outlet-b"], "--out", tmp_path / "i2", "--store", tmp_path / "inc.store")
    results = [check(tmp_path / s) for s in ("one.store", "jobs.store", "inc.store")]
    assert results[0] == results[1] == results[2]
    assert (tmp_path / "one" / "graph.ttl").read_bytes() == (tmp_path / "jobs" / "graph.ttl").read_bytes()
    shutil.rmtree(tmp_path / "i1")


def test_an_event_with_several_figures_conforms_to_the_shapes():
    from kgbuild.validate import validate

    g = rdf.to_graph(build(release("a", 13, "2023-11-24"), release("b", 14, "2023-11-24")))
    conforms, text = validate(g)
    assert conforms, text
    # one report stating two figures does not
    ev = next(g.subjects(rdf.KGO.document, rdf.doc_iri("a")))
    g.add((ev, rdf.KGO["count"], Literal(99)))
    assert not validate(g)[0]


def test_an_event_read_once_by_the_full_rules_is_sure():
    # a fallback reading (confidence 0.6) of a release that another report states plainly
    sure, unsure = release("a", 13, "2023-11-24"), release("b", 13, "2023-11-24")
    unsure.facts[0].values["confidence"] = 0.6
    [cf] = events(build(sure, unsure))
    assert "confidence" not in cf.values
    other = release("c", 13, "2023-11-24")
    other.facts[0].values["confidence"] = 0.5
    [cf] = events(build(unsure, other))
    assert cf.values["confidence"] == 0.6


def test_outlets_that_call_the_freed_prisoners_or_detainees_report_one_release():
    a, b = release("a", 248, "2024-01-03"), release("b", 248, "2024-01-03")
    a.facts[0].values["detaineeKind"] = "prisoner"
    b.facts[0].values["detaineeKind"] = "detainee"
    assert len(events(build(a, b))) == 1


def test_a_report_naming_only_some_roles_joins_the_one_event_that_holds_them():
    # no releaser named: it joins the one release of that day with a figure close to its own
    unnamed = report("c", "2024-03-08", "Release", "178 soldiers came home.",
                     {"count": 178, "date": "2024-03-07"})
    b = build(release("a", 175, "2024-03-07", published="2024-03-07"), unnamed)
    [cf] = events(b)
    assert docs_of(cf) == {"a", "c"} and cf.values["count"] == [175, 178]
    # beside two such events (both sides of a swap), or a far figure, or another day: apart
    israel = report("b", "2024-03-07", "Release", "Israel freed 175.", {"count": 175, "date": "2024-03-07"},
                    releasedBy=ISRAEL)
    assert len(events(build(release("a", 175, "2024-03-07"), israel, unnamed))) == 3
    far = report("d", "2024-03-08", "Release", "40 came home.", {"count": 40, "date": "2024-03-07"})
    assert len(events(build(release("a", 175, "2024-03-07"), far))) == 2
    later = report("e", "2024-03-09", "Release", "178 came home.", {"count": 178, "date": "2024-03-08"})
    assert len(events(build(release("a", 175, "2024-03-07"), later))) == 2
    # a meeting one outlet tells with fewer participants
    meet = lambda doc_id, who, when: report(doc_id, "2024-03-02", "Meeting", "Officials met.",  # noqa: E731
                                            {"date": when} if when else {}, participant=who)
    [cf] = events(build(meet("a", [ISRAEL, QATAR, TURKEY], None), meet("b", [ISRAEL, QATAR], "2024-03-01")), "Meeting")
    assert docs_of(cf) == {"a", "b"} and cf.values["date"] == "2024-03-01"
    # ... but not one the text dates only to a month or a year
    assert len(events(build(meet("a", [ISRAEL, QATAR, TURKEY], "2024-03-01"), meet("b", [ISRAEL], "2024-03")),
                      "Meeting")) == 2
