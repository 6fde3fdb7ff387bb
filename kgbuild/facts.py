"""Plain, picklable records that flow out of the map step.

Nothing here knows about spaCy or rdflib: a `DocResult` is what one document yields (its metadata,
the entities it mentions with local ids, and the facts with evidence), and it is all the reduce step
needs. Keeping these as frozen-ish dataclasses lets the same results travel through multiprocessing
or Dask unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass, field

ENTITY_CLASSES = ("Person", "Organization", "Country", "Place", "Group")

FACT_CLASSES = (
    "Negotiation", "Meeting", "Truce", "HostageTaking", "Release", "Exchange",
    "Demand", "Proposal", "Statement", "CasualtyReport", "Role",
)

QUALIFIERS = ("exact", "approximately", "at least", "more than", "at most", "fewer than")


@dataclass(frozen=True)
class DocMeta:
    """A document's identity and metadata; `id` is already sanitised for IRIs and file names."""

    id: str
    title: str = ""
    date: str | None = None
    url: str | None = None
    source: str | None = None
    path: str | None = None
    chars: int = 0
    dateline: str | None = None  # the dateline as written ("KYIV, Aug 24 (AFP)"): its place and date
    place: str | None = None     # the dateline's place ("Kyiv", "Doha, Qatar")


@dataclass(frozen=True)
class Evidence:
    """A span of the document text as read: text == document_text[start:end]."""

    start: int
    end: int
    text: str


@dataclass
class Entity:
    """One real-world entity as seen in one document.

    `key` is what canonicalisation across documents merges on (a gazetteer id such as
    "country:qatar", or a normalised full name); `local_id` is only meaningful inside its DocResult.
    """

    local_id: str
    key: str
    cls: str
    label: str
    alt_labels: set[str] = field(default_factory=set)
    part_of: str | None = None  # gazetteer key of the state an organ belongs to ("Russian defence ministry")


@dataclass
class Fact:
    """One n-ary fact. `args` hold entity local ids per property, `links` hold fact local ids
    (an Exchange's releases, a Negotiation's subject), `values` hold literals."""

    fid: str
    cls: str
    args: dict[str, list[str]] = field(default_factory=dict)
    links: dict[str, list[str]] = field(default_factory=dict)
    values: dict[str, object] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    rule: str = ""

    def add(self, prop: str, entity_id: str | None) -> None:
        if entity_id is None:
            return
        vals = self.args.setdefault(prop, [])
        if entity_id not in vals:
            vals.append(entity_id)


@dataclass
class DocResult:
    meta: DocMeta
    entities: dict[str, Entity] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    words: int = 0
    sentences: int = 0
    parsed_sentences: int = 0
