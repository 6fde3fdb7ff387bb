"""The kgbuild ontology's terms as an rdflib DefinedNamespace: a typo raises instead of minting a
new IRI, and `KGO.count`/`KGO.title` are terms, not `str` methods."""
from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

KGO_IRI = "https://w3id.org/kgbuild/ontology#"
RESOURCE_IRI = "https://w3id.org/kgbuild/id/"
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")


class KGO(DefinedNamespace):
    _NS = Namespace(KGO_IRI)
    _fail = True

    # entity classes
    Entity: URIRef
    Person: URIRef
    Organization: URIRef
    Country: URIRef
    Place: URIRef
    Group: URIRef
    # fact classes
    Fact: URIRef
    Negotiation: URIRef
    Meeting: URIRef
    Truce: URIRef
    HostageTaking: URIRef
    Release: URIRef
    Exchange: URIRef
    Demand: URIRef
    Proposal: URIRef
    Statement: URIRef
    CasualtyReport: URIRef
    Role: URIRef
    # provenance
    Evidence: URIRef
    Document: URIRef
    evidence: URIRef
    document: URIRef
    text: URIRef
    charStart: URIRef
    charEnd: URIRef
    rule: URIRef
    confidence: URIRef
    # roles of facts
    mediator: URIRef
    party: URIRef
    subject: URIRef
    status: URIRef
    participant: URIRef
    location: URIRef
    partOf: URIRef
    timeText: URIRef
    date: URIRef
    perpetrator: URIRef
    count: URIRef
    countQualifier: URIRef
    releasedBy: URIRef
    detainee: URIRef
    detaineeKind: URIRef
    hasRelease: URIRef
    demandedBy: URIRef
    proposedBy: URIRef
    rejectedBy: URIRef
    acceptedBy: URIRef
    speaker: URIRef
    quote: URIRef
    casualtyKind: URIRef
    reportedBy: URIRef
    holder: URIRef
    roleOf: URIRef
    title: URIRef
