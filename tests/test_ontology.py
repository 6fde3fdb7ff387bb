"""The ontology (ontology/kgo.ttl) declares every term kgbuild writes, the SHACL shapes
(ontology/shapes.ttl) encode the graph contract, the sample build conforms to them, and graphs that
break the contract do not."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from kgbuild.facts import ENTITY_CLASSES, FACT_CLASSES
from kgbuild.namespace import KGO, KGO_IRI, SEM
from kgbuild.validate import ONTOLOGY, SHAPES, load_graph, validate

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "kgbuild" / "data" / "sample" / "qatar-pm-gaza-truce-talks.txt"
SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SH = Namespace("http://www.w3.org/ns/shacl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # a plain Namespace: pytest probes module attributes
R = "https://w3id.org/kgbuild/id/"

TERMS = sorted(KGO.__annotations__)          # every name declared in kgbuild/namespace.py
CLASSES = [t for t in TERMS if t[0].isupper()]
PROPERTIES = [t for t in TERMS if t[0].islower()]


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


@pytest.fixture(scope="module")
def sample(sample_ttl) -> Graph:
    return Graph().parse(sample_ttl, format="turtle")


def copy(g: Graph) -> Graph:
    out = Graph()
    for t in g:
        out.add(t)
    return out


# --------------------------------------------------------------------------- the ontology

def test_ontology_header(onto):
    heads = list(onto.subjects(RDF.type, OWL.Ontology))
    assert heads == [URIRef("https://w3id.org/kgbuild/ontology")]
    assert onto.value(heads[0], RDFS.comment)


def test_namespace_is_the_one_the_writer_uses(onto):
    assert dict(onto.namespaces())["kgo"] == URIRef(KGO_IRI)


@pytest.mark.parametrize("name", CLASSES)
def test_every_class_is_declared_with_label_and_comment(onto, name):
    term = KGO[name]
    assert (term, RDF.type, OWL.Class) in onto, f"kgo:{name} is not declared an owl:Class"
    assert onto.value(term, RDFS.label), f"kgo:{name} has no rdfs:label"
    assert len(str(onto.value(term, RDFS.comment) or "")) > 20, f"kgo:{name} has no rdfs:comment"


@pytest.mark.parametrize("name", PROPERTIES)
def test_every_property_is_declared_with_label_comment_domain_range(onto, name):
    term = KGO[name]
    kinds = set(onto.objects(term, RDF.type)) & {OWL.ObjectProperty, OWL.DatatypeProperty}
    assert len(kinds) == 1, f"kgo:{name} must be exactly one of owl:ObjectProperty / owl:DatatypeProperty"
    assert onto.value(term, RDFS.label), f"kgo:{name} has no rdfs:label"
    assert len(str(onto.value(term, RDFS.comment) or "")) > 10, f"kgo:{name} has no rdfs:comment"
    dom, rng = onto.value(term, RDFS.domain), onto.value(term, RDFS.range)
    assert dom is not None, f"kgo:{name} has no rdfs:domain"
    assert rng is not None, f"kgo:{name} has no rdfs:range"
    if OWL.DatatypeProperty in kinds:  # an XSD datatype, or a union of them (kgo:date)
        assert all(str(r).startswith(str(XSD)) for r in _members(onto, rng)), \
            f"datatype property kgo:{name} has a non-XSD range {rng}"
    else:
        assert not str(rng).startswith(str(XSD)), f"object property kgo:{name} has an XSD range"


def _members(g: Graph, node) -> set:
    """The classes a domain/range stands for: the class itself or the members of an owl:unionOf."""
    if isinstance(node, BNode):
        return set(Collection(g, g.value(node, OWL.unionOf)))
    return {node}


def test_ontology_declares_no_term_outside_namespace_py(onto, shapes):
    """A kgo: IRI in the ontology or the shapes that kgbuild/namespace.py does not know is a typo."""
    known = {str(KGO[t]) for t in TERMS}
    for name, g in (("kgo.ttl", onto), ("shapes.ttl", shapes)):
        used = {str(x) for t in g for x in t if isinstance(x, URIRef) and str(x).startswith(KGO_IRI)}
        assert used <= known, f"{name} uses unknown terms: {sorted(used - known)}"


def test_entity_and_fact_hierarchy(onto):
    for c in ENTITY_CLASSES:
        assert (KGO[c], RDFS.subClassOf, KGO.Entity) in onto, c
    for c in FACT_CLASSES:
        assert (KGO[c], RDFS.subClassOf, KGO.Fact) in onto, c
    disjoint = [set(Collection(onto, onto.value(n, OWL.members))) for n in onto.subjects(RDF.type, OWL.AllDisjointClasses)]
    assert {KGO[c] for c in ENTITY_CLASSES} in disjoint


@pytest.mark.parametrize("sub, rel, sup", [
    (KGO.Person, RDFS.subClassOf, SCHEMA.Person),
    (KGO.Organization, RDFS.subClassOf, SCHEMA.Organization),
    (KGO.Country, RDFS.subClassOf, SCHEMA.Country),
    (KGO.Place, RDFS.subClassOf, SCHEMA.Place),
    (KGO.Place, RDFS.subClassOf, SEM.Place),
    (KGO.Person, RDFS.subClassOf, SEM.Actor),
    (KGO.Fact, RDFS.subClassOf, PROV.Entity),
    (KGO.Negotiation, RDFS.subClassOf, SEM.Event),
    (KGO.Meeting, RDFS.subClassOf, SEM.Event),
    (KGO.Release, RDFS.subClassOf, SEM.Event),
    (KGO.Evidence, RDFS.subClassOf, PROV.Entity),
    (KGO.Document, RDFS.subClassOf, SCHEMA.NewsArticle),
    (KGO.Document, RDFS.subClassOf, PROV.Entity),
    (KGO.evidence, RDFS.subPropertyOf, PROV.wasDerivedFrom),
    (KGO.document, RDFS.subPropertyOf, PROV.wasQuotedFrom),
    (KGO.mediator, RDFS.subPropertyOf, SEM.hasActor),
    (KGO.party, RDFS.subPropertyOf, SEM.hasActor),
    (KGO.participant, RDFS.subPropertyOf, SEM.hasActor),
    (KGO.location, RDFS.subPropertyOf, SEM.hasPlace),
    (KGO.partOf, RDFS.subPropertyOf, SEM.subEventOf),
    (KGO.hasRelease, RDFS.subPropertyOf, SEM.hasSubEvent),
])
def test_alignment(onto, sub, rel, sup):
    assert (sub, rel, sup) in onto


def test_role_points_at_person_and_organization_or_country(onto):
    assert onto.value(KGO.holder, RDFS.range) == KGO.Person
    assert _members(onto, onto.value(KGO.roleOf, RDFS.range)) == {KGO.Organization, KGO.Country}
    assert onto.value(KGO.count, RDFS.range) == XSD.integer
    assert onto.value(KGO.charStart, RDFS.range) == XSD.integer
    assert _members(onto, onto.value(KGO.text, RDFS.domain)) == {KGO.Evidence, KGO.Demand, KGO.Proposal}


def test_sample_uses_only_declared_terms(onto, sample):
    declared = set(onto.subjects(RDF.type, None))
    used = {x for t in sample for x in t if isinstance(x, URIRef) and str(x).startswith(KGO_IRI)}
    assert used, "the sample graph uses no kgo: term"
    assert used <= declared, f"undeclared: {sorted(used - declared)}"


def test_alignment_lets_rdfs_inference_reach_sem_and_prov(onto, sample):
    """With the ontology, an RDFS reasoner sees kgo facts as PROV entities with SEM actors."""
    owlrl = pytest.importorskip("owlrl")
    g = copy(sample) + onto
    owlrl.DeductiveClosure(owlrl.RDFS_Semantics).expand(g)
    facts = {s for c in FACT_CLASSES for s in sample.subjects(RDF.type, KGO[c])}
    assert facts and all((f, RDF.type, PROV.Entity) in g for f in facts)
    assert all((f, RDF.type, KGO.Fact) in g for f in facts)
    qatar = URIRef(R + "country/qatar")
    assert (qatar, RDF.type, KGO.Entity) in g
    assert any(g.subjects(SEM.hasActor, qatar)), "Qatar acts in no sem:Event"


def _owlrl_errors(g: Graph) -> list[str]:
    owlrl = pytest.importorskip("owlrl")
    before = set(g)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    return sorted(str(o) for s, p, o in set(g) - before if str(p).endswith("#error"))


def test_sample_with_ontology_is_owl_rl_consistent(onto, sample):
    assert _owlrl_errors(copy(sample) + onto) == []


def test_owl_rl_finds_an_entity_of_two_disjoint_classes(onto, sample):
    g = copy(sample) + onto
    g.add((URIRef(R + "country/qatar"), RDF.type, KGO.Person))
    errors = _owlrl_errors(g)
    assert any("Disjoint" in e and "country/qatar" in e for e in errors), errors


# --------------------------------------------------------------------------- the shapes

def test_shapes_are_valid_shacl(shapes):
    from pyshacl import validate as shacl_validate

    conforms, _, text = shacl_validate(shapes, meta_shacl=True, inference="none", advanced=True)
    assert conforms, text


@pytest.mark.parametrize("name", FACT_CLASSES + ENTITY_CLASSES + ("Evidence", "Document"))
def test_shapes_target_every_concrete_class(shapes, name):
    assert (None, SH.targetClass, KGO[name]) in shapes, f"no shape targets kgo:{name}"


def test_fact_shape_requires_evidence_on_all_eleven_fact_classes(shapes):
    fact_shape = URIRef("https://w3id.org/kgbuild/shapes#FactShape")
    assert set(shapes.objects(fact_shape, SH.targetClass)) == {KGO[c] for c in FACT_CLASSES}
    props = list(shapes.objects(fact_shape, SH.property))
    assert any(shapes.value(p, SH.path) == KGO.evidence and shapes.value(p, SH.minCount).toPython() == 1
               for p in props)


def test_sample_build_conforms(sample_ttl):
    conforms, report = validate(sample_ttl)
    assert conforms, report
    assert report.startswith("conforms")


def test_sample_evidence_text_is_the_span_of_the_article(sample):
    """The contract's offset rule, checked against the article itself (SHACL can only check lengths)."""
    text = SAMPLE.read_text(encoding="utf-8")
    evs = list(sample.subjects(RDF.type, KGO.Evidence))
    assert evs
    for ev in evs:
        start, end = int(sample.value(ev, KGO.charStart)), int(sample.value(ev, KGO.charEnd))
        assert text[start:end] == str(sample.value(ev, KGO.text)), ev


def test_validate_accepts_a_graph_object_and_a_dataset(sample):
    assert validate(sample)[0]
    ds = Dataset()
    doc_graph = ds.graph(URIRef(R + "document/qatar-pm-gaza-truce-talks"))
    entity_classes = {KGO[c] for c in ENTITY_CLASSES}
    entities = {s for s, o in sample.subject_objects(RDF.type) if o in entity_classes}
    default = ds.default_graph if hasattr(ds, "default_graph") else ds.default_context
    for s, p, o in sample:
        (default if s in entities else doc_graph).add((s, p, o))
    assert len(load_graph(ds)) == len(sample)
    assert validate(ds)[0]


def _first(g: Graph, cls: str) -> URIRef:
    return sorted(g.subjects(RDF.type, KGO[cls]))[0]


def _set(g: Graph, s, p, o) -> None:
    g.remove((s, p, None))
    g.add((s, p, o))


def _break_fact_without_evidence(g):
    g.remove((_first(g, "HostageTaking"), KGO.evidence, None))


def _break_count_as_string(g):
    _set(g, _first(g, "HostageTaking"), KGO["count"], Literal("240"))


def _break_two_labels(g):
    g.add((URIRef(R + "country/qatar"), RDFS.label, Literal("State of Qatar")))


def _break_two_entity_types(g):
    g.add((URIRef(R + "country/qatar"), RDF.type, KGO.Place))


def _break_pronoun_label(g):
    _set(g, URIRef(R + "person/benjamin-netanyahu"), RDFS.label, Literal("he"))


def _break_qualifier(g):
    _set(g, _first(g, "HostageTaking"), KGO.countQualifier, Literal("about"))


def _break_evidence_offsets(g):
    ev = next(g.objects(_first(g, "HostageTaking"), KGO.evidence))
    _set(g, ev, KGO.charEnd, Literal(int(g.value(ev, KGO.charEnd)) + 7, datatype=XSD.integer))


def _break_evidence_too_long(g):
    ev = next(g.objects(_first(g, "HostageTaking"), KGO.evidence))
    start = int(g.value(ev, KGO.charStart))
    _set(g, ev, KGO.text, Literal("x" * 1001))
    _set(g, ev, KGO.charEnd, Literal(start + 1001, datatype=XSD.integer))


def _break_evidence_two_documents(g):
    ev = next(g.objects(_first(g, "HostageTaking"), KGO.evidence))
    other = URIRef(R + "document/other")
    g.add((other, RDF.type, KGO.Document))
    g.add((other, DCTERMS.identifier, Literal("other")))
    g.add((ev, KGO.document, other))


def _break_role_holder_country(g):
    _set(g, _first(g, "Role"), KGO.holder, URIRef(R + "country/qatar"))


def _break_role_of_person(g):
    _set(g, _first(g, "Role"), KGO.roleOf, URIRef(R + "person/benjamin-netanyahu"))


def _break_exchange_one_release(g):
    ex = _first(g, "Exchange")
    g.remove((ex, KGO.hasRelease, sorted(g.objects(ex, KGO.hasRelease))[0]))


def _break_party_literal(g):
    g.add((_first(g, "Negotiation"), KGO.party, Literal("Hamas")))


def _break_truce_status(g):
    t = URIRef(R + "fact/truce/broken")
    g.add((t, RDF.type, KGO.Truce))
    g.add((t, KGO.evidence, next(g.objects(_first(g, "HostageTaking"), KGO.evidence))))
    g.add((t, KGO.status, Literal("signed")))


def _break_detainee_kind(g):
    _set(g, _first(g, "Release"), KGO.detaineeKind, Literal("people"))


def _break_casualty_kind(g):
    _set(g, _first(g, "CasualtyReport"), KGO.casualtyKind, Literal("dead"))


def _break_document_identifier(g):
    g.remove((URIRef(R + "document/qatar-pm-gaza-truce-talks"), DCTERMS.identifier, None))


BREAKS = {
    "fact without evidence": (_break_fact_without_evidence, "kgo:evidence"),
    "count as a string": (_break_count_as_string, "kgo:count"),
    "entity with two labels": (_break_two_labels, "rdfs:label"),
    "entity with two classes": (_break_two_entity_types, "rdf:type"),
    "pronoun as label": (_break_pronoun_label, "pronoun"),
    "unknown count qualifier": (_break_qualifier, "kgo:countQualifier"),
    "evidence offsets off the text": (_break_evidence_offsets, "charEnd - charStart"),
    "evidence over 1000 characters": (_break_evidence_too_long, "1,000"),
    "evidence from two documents": (_break_evidence_two_documents, "kgo:document"),
    "role held by a country": (_break_role_holder_country, "kgo:holder"),
    "role of a person": (_break_role_of_person, "kgo:roleOf"),
    "exchange of one release": (_break_exchange_one_release, "kgo:hasRelease"),
    "party as a literal": (_break_party_literal, "kgo:party"),
    "truce status outside the list": (_break_truce_status, "kgo:status"),
    "unknown detainee kind": (_break_detainee_kind, "kgo:detaineeKind"),
    "unknown casualty kind": (_break_casualty_kind, "kgo:casualtyKind"),
    "document without identifier": (_break_document_identifier, "dcterms:identifier"),
}


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_broken_graph_does_not_conform(sample, name):
    breaker, expected = BREAKS[name]
    g = copy(sample)
    breaker(g)
    conforms, report = validate(g)
    assert not conforms, f"{name}: validated although it breaks the contract"
    violations = [line for line in report.splitlines() if line.startswith("Violation")]
    assert violations, report
    assert any(expected in line for line in violations), report


def test_several_breaks_are_all_reported(sample):
    g = copy(sample)
    _break_fact_without_evidence(g)
    _break_count_as_string(g)
    _break_two_labels(g)
    conforms, report = validate(g)
    assert not conforms
    assert "3 violations" in report.splitlines()[0], report


def _warn_mediator_is_party(g):
    neg = _first(g, "Negotiation")
    g.add((neg, KGO.party, next(g.objects(neg, KGO.mediator))))


def _warn_duplicate_name(g):
    p = URIRef(R + "person/netanyahu-again")
    g.add((p, RDF.type, KGO.Person))
    g.add((p, RDFS.label, Literal("Bibi Netanyahu")))
    g.add((p, SKOS.altLabel, Literal("Netanyahu")))


def _warn_lower_case_label(g):
    _set(g, URIRef(R + "organization/hamas"), RDFS.label, Literal("foreign ministry"))


def _warn_orphan_evidence(g):
    ev = URIRef(R + "evidence/qatar-pm-gaza-truce-talks/0-4")
    g.add((ev, RDF.type, KGO.Evidence))
    g.add((ev, KGO.document, URIRef(R + "document/qatar-pm-gaza-truce-talks")))
    g.add((ev, KGO.text, Literal("Qata")))
    g.add((ev, KGO.charStart, Literal(0, datatype=XSD.integer)))
    g.add((ev, KGO.charEnd, Literal(4, datatype=XSD.integer)))


def _warn_place_as_speaker(g):
    paris = URIRef(R + "place/somewhere")
    g.add((paris, RDF.type, KGO.Place))
    g.add((paris, RDFS.label, Literal("Somewhere")))
    g.add((_first(g, "Statement"), KGO.speaker, paris))


WARNINGS = {
    "mediator is also party": (_warn_mediator_is_party, "mediator and party"),
    "two persons share a name": (_warn_duplicate_name, "share the name"),
    "lower-case organization label": (_warn_lower_case_label, "common noun"),
    "evidence of no fact": (_warn_orphan_evidence, "no fact points at"),
    "a place as speaker": (_warn_place_as_speaker, "actor node"),
}


@pytest.mark.parametrize("name", sorted(WARNINGS))
def test_warnings_are_reported_but_do_not_fail(sample, name):
    maker, expected = WARNINGS[name]
    g = copy(sample)
    maker(g)
    conforms, report = validate(g)
    assert conforms, report
    warnings = [line for line in report.splitlines() if line.startswith("Warning")]
    assert any(expected in line for line in warnings), report
    assert validate(g, warnings_fail=True)[0] is False


# --------------------------------------------------------------------------- events in time

EVENT_CLASSES = [c for c in FACT_CLASSES if c != "Role"]


def test_every_event_class_may_have_a_date_of_three_precisions(onto):
    assert _members(onto, onto.value(KGO.date, RDFS.domain)) >= {KGO[c] for c in EVENT_CLASSES}
    assert _members(onto, onto.value(KGO.date, RDFS.range)) == {XSD.date, XSD.gYearMonth, XSD.gYear}
    assert (KGO.date, RDFS.subPropertyOf, SEM.hasTimeStamp) in onto


def test_evidence_may_carry_its_reports_figures_and_roles(onto):
    """An evidence node is a mention of the event: every property it may carry has it in its domain
    (else RDFS inference would make the evidence a fact, which is disjoint from evidence)."""
    for prop in ("count", "countQualifier", "date", "timeText", "rule", "confidence", "participant", "location",
                 "releasedBy", "mediator", "party", "speaker", "perpetrator"):
        assert KGO.Evidence in _members(onto, onto.value(KGO[prop], RDFS.domain)), prop
    # one event carries every report's figure: count is no longer functional
    assert (KGO["count"], RDF.type, OWL.FunctionalProperty) not in onto


def test_confidence_is_a_decimal_on_facts_and_evidence(onto):
    assert onto.value(KGO.confidence, RDFS.range) == XSD.decimal
    assert _members(onto, onto.value(KGO.confidence, RDFS.domain)) == {KGO.Fact, KGO.Evidence}
    assert "absent" in str(onto.value(KGO.confidence, RDFS.comment)).lower() or \
        "without kgo:confidence" in str(onto.value(KGO.confidence, RDFS.comment))


def _date(value: str) -> Literal:
    return Literal(value, datatype={4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}[len(value)])


def _two_reports(g: Graph) -> tuple[URIRef, URIRef, URIRef]:
    """The sample's hostage-taking as one event told by two reports that differ in the figure:
    its evidence plus a second evidence node in another document."""
    fact = _first(g, "HostageTaking")
    ev1 = next(g.objects(fact, KGO.evidence))
    other = URIRef(R + "document/second-report")
    g.add((other, RDF.type, KGO.Document))
    g.add((other, DCTERMS.identifier, Literal("second-report")))
    ev2 = URIRef(R + "evidence/second-report/0-31")
    for p, o in ((RDF.type, KGO.Evidence), (KGO.document, other), (KGO.text, Literal("Militants seized 250 hostages.")),
                 (KGO.charStart, Literal(0, datatype=XSD.integer)), (KGO.charEnd, Literal(30, datatype=XSD.integer))):
        g.add((ev2, p, o))
    g.add((fact, KGO.evidence, ev2))
    return fact, ev1, ev2


def test_dated_events_conform_whatever_the_precision(sample):
    g = copy(sample)
    for i, cls in enumerate(EVENT_CLASSES):
        for fact in g.subjects(RDF.type, KGO[cls]):
            g.add((fact, KGO.date, _date(("2023-10-07", "2023-10", "2023")[i % 3])))
    # one event reported with a month by one article and the day by another
    fact = _first(g, "Release")
    g.remove((fact, KGO.date, None))
    g.add((fact, KGO.date, _date("2023-11")))
    g.add((fact, KGO.date, _date("2023-11-24")))
    conforms, report = validate(g, warnings_fail=True)
    assert conforms, report


def test_evidence_level_figures_roles_and_rules_conform(sample):
    g = copy(sample)
    fact, ev1, ev2 = _two_reports(g)
    hamas = URIRef(R + "organization/hamas")
    g.add((fact, KGO["count"], Literal(250, datatype=XSD.integer)))  # the event carries both figures
    g.add((ev2, KGO["count"], Literal(250, datatype=XSD.integer)))
    g.add((ev2, KGO.countQualifier, Literal("exact")))
    g.add((ev2, KGO.perpetrator, hamas))
    g.add((ev2, KGO.location, URIRef(R + "country/israel")))
    g.add((ev2, KGO.date, _date("2023-10-07")))
    g.add((ev2, KGO.rule, Literal("hostage-taking.verb")))
    g.add((ev2, KGO.confidence, Literal("0.6", datatype=XSD.decimal)))
    g.add((fact, KGO.confidence, Literal("0.6", datatype=XSD.decimal)))
    conforms, report = validate(g, warnings_fail=True)
    assert conforms, report
    assert _owlrl_errors(g + Graph().parse(ONTOLOGY)) == []


def _break_date_as_plain_string(g):
    g.add((_first(g, "Release"), KGO.date, Literal("24 November 2023")))


def _break_date_precision_mismatch(g):
    g.add((_first(g, "Meeting"), KGO.date, Literal("2023", datatype=XSD.date)))


def _break_evidence_count_as_string(g):
    _fact, _ev1, ev2 = _two_reports(g)
    g.add((ev2, KGO["count"], Literal("250")))


def _break_evidence_participant_literal(g):
    _fact, _ev1, ev2 = _two_reports(g)
    g.add((ev2, KGO.perpetrator, Literal("Hamas")))


def _break_confidence_above_one(g):
    g.add((_first(g, "Statement"), KGO.confidence, Literal("1.5", datatype=XSD.decimal)))


def _break_confidence_as_string(g):
    g.add((_first(g, "Statement"), KGO.confidence, Literal("high")))


def _break_two_confidences(g):
    fact = _first(g, "Statement")
    g.add((fact, KGO.confidence, Literal("0.5", datatype=XSD.decimal)))
    g.add((fact, KGO.confidence, Literal("0.7", datatype=XSD.decimal)))


TIME_BREAKS = {
    "date as a plain string": (_break_date_as_plain_string, "kgo:date"),
    "xsd:date with a year only": (_break_date_precision_mismatch, "kgo:date"),
    "evidence count as a string": (_break_evidence_count_as_string, "kgo:count"),
    "evidence role as a literal": (_break_evidence_participant_literal, "kgo:perpetrator"),
    "confidence above one": (_break_confidence_above_one, "kgo:confidence"),
    "confidence as a word": (_break_confidence_as_string, "kgo:confidence"),
    "two confidences": (_break_two_confidences, "kgo:confidence"),
}


@pytest.mark.parametrize("name", sorted(TIME_BREAKS))
def test_broken_dates_figures_and_confidence_do_not_conform(sample, name):
    breaker, expected = TIME_BREAKS[name]
    g = copy(sample)
    breaker(g)
    conforms, report = validate(g)
    assert not conforms, f"{name}: validated although it breaks the contract"
    assert any(expected in line for line in report.splitlines() if line.startswith("Violation")), report


def test_contradicting_dates_on_one_event_are_a_warning(sample):
    g = copy(sample)
    fact = _first(g, "Release")
    g.add((fact, KGO.date, _date("2023-11-24")))
    g.add((fact, KGO.date, _date("2023-11-25")))
    conforms, report = validate(g)
    assert conforms, report
    assert any("contradict" in line and "2023-11-25" in line for line in report.splitlines()
               if line.startswith("Warning")), report


def test_an_evidence_node_states_one_figure(sample):
    # each fact has its own evidence node, so two figures on one node are two reports mixed up
    g = copy(sample)
    _fact, ev1, _ev2 = _two_reports(g)
    g.add((ev1, KGO["count"], Literal(240, datatype=XSD.integer)))
    g.add((ev1, KGO["count"], Literal(250, datatype=XSD.integer)))
    conforms, report = validate(g)
    assert not conforms
    assert "at most one kgo:count" in report, report


# --------------------------------------------------------------------------- the command

def test_cli_validate(sample, sample_ttl, tmp_path):
    from typer.testing import CliRunner

    from kgbuild.cli import app

    runner = CliRunner()
    ok = runner.invoke(app, ["validate", str(sample_ttl)])
    assert ok.exit_code == 0, ok.output
    assert "conforms" in ok.output

    g = copy(sample)
    _break_fact_without_evidence(g)
    broken = tmp_path / "broken.ttl"
    g.serialize(broken, format="turtle")
    bad = runner.invoke(app, ["validate", str(broken)])
    assert bad.exit_code == 1, bad.output
    assert "does not conform" in bad.output and "kgo:evidence" in bad.output

    missing = runner.invoke(app, ["validate", str(tmp_path / "nope.ttl")])
    assert missing.exit_code == 2

    garbage = tmp_path / "garbage.ttl"
    garbage.write_text("this is { not turtle", encoding="utf-8")
    assert runner.invoke(app, ["validate", str(garbage)]).exit_code == 2
