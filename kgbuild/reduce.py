"""The reduce step: canonical entities and facts across all documents of a build.

`GraphBuilder.add(result)` folds one `DocResult` in: an entity key seen before is the same node
(one IRI per real-world entity across the whole build), and a fact that several documents state
is one node with one evidence per statement. Memory grows with the graph, not with the text read.
Nothing here depends on the order results arrive in: labels and IRIs are chosen by content.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from .facts import DocMeta, DocResult, Fact
from .labels import clean_label
from .namespace import RESOURCE_IRI

# Literal values that describe a statement rather than identify the fact it states.
NON_IDENTIFYING = {"timeText"}


def _initials(label: str) -> str:
    return "".join(w[0] for w in re.split(r"[\s-]+", label) if w and w[0].isupper()).lower()


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "x"


@dataclass
class CanonEntity:
    key: str
    cls: str
    labels: set[str] = field(default_factory=set)   # every name form seen, label included
    preferred: str | None = None                    # gazetteer label, when known

    @property
    def iri(self) -> str:
        kind, _, rest = self.key.partition(":")
        return f"{RESOURCE_IRI}{self.cls.lower()}/{slug(rest or kind)}"

    @property
    def label(self) -> str:
        if self.preferred:
            return self.preferred
        # the fullest name; ties broken alphabetically so the choice never depends on order
        return max(self.labels, key=lambda s: (len(s.split()), len(s), s))

    @property
    def alt_labels(self) -> list[str]:
        lab = self.label.lower()
        return sorted({s for s in self.labels if s.lower() != lab})


@dataclass
class CanonFact:
    iri: str
    cls: str
    args: dict[str, list[str]]           # property → entity IRIs
    links: dict[str, list[str]]          # property → fact IRIs
    values: dict[str, object]
    evidence: set[tuple[str, int, int, str]] = field(default_factory=set)  # (doc id, start, end, text)
    rules: set[str] = field(default_factory=set)


class GraphBuilder:
    def __init__(self) -> None:
        self.entities: dict[str, CanonEntity] = {}
        self.facts: dict[str, CanonFact] = {}
        self.documents: dict[str, DocMeta] = {}
        self.words = 0

    def add(self, result: DocResult) -> None:
        from .resources import gazetteer

        gaz = gazetteer()
        self.documents[result.meta.id] = result.meta
        self.words += result.words
        local: dict[str, str] = {}
        for eid, e in result.entities.items():
            # names as the graph shows them (no control or format characters); a "name" with
            # nothing printable in it names nothing, and facts lose that argument
            names = {clean_label(n) for n in (e.label, *e.alt_labels)} - {""}
            if not names:
                continue
            ce = self.entities.get(e.key)
            if ce is None:
                entry = gaz.entries.get(e.key)
                ce = self.entities[e.key] = CanonEntity(e.key, e.cls, preferred=entry["label"] if entry else None)
            ce.labels.update(names)
            local[eid] = ce.iri
        fact_iris: dict[str, str] = {}
        for f in result.facts:  # releases come before the exchanges that link them
            self._add_fact(result.meta.id, f, local, fact_iris)

    def _add_fact(self, doc_id: str, f: Fact, local: dict[str, str], fact_iris: dict[str, str]) -> None:
        args = {p: sorted({local[e] for e in vals if e in local}) for p, vals in f.args.items()}
        args = {p: v for p, v in args.items() if v}
        links = {p: sorted({fact_iris[x] for x in vals if x in fact_iris}) for p, vals in f.links.items()}
        ident_values = {k: v for k, v in f.values.items() if k not in NON_IDENTIFYING}
        signature = repr((f.cls, sorted(args.items()), sorted(links.items()), sorted(ident_values.items(), key=str)))
        iri = f"{RESOURCE_IRI}fact/{f.cls.lower()}/{hashlib.sha1(signature.encode()).hexdigest()[:16]}"
        fact_iris[f.fid] = iri
        cf = self.facts.get(iri)
        if cf is None:
            cf = self.facts[iri] = CanonFact(iri, f.cls, args, links, dict(f.values))
        for k, v in f.values.items():  # keep the smallest value of a descriptive literal, order-free
            if k in NON_IDENTIFYING and str(v) < str(cf.values.get(k, "\uffff")):
                cf.values[k] = v
        for ev in f.evidence:
            cf.evidence.add((doc_id, ev.start, ev.end, ev.text))
        cf.rules.add(f.rule)

    def discard(self, doc_id: str) -> None:
        """Take back a document whose `add` failed half-way: its metadata, its evidence, and the
        facts only it stated. (Entity names it added stay: an entity no fact refers to is not
        written.)"""
        self.documents.pop(doc_id, None)
        for iri in list(self.facts):
            cf = self.facts[iri]
            cf.evidence = {ev for ev in cf.evidence if ev[0] != doc_id}
            if not cf.evidence:
                del self.facts[iri]

    def finish(self) -> None:
        """Cross-document name fixes that need the whole build: a shorter form of a person's name
        ("Netanyahu", "Mohammed bin Abdulrahman Al Thani") is the one person of the build whose
        fuller name contains it, and an acronym ("BLA") is the organisation whose initials it is."""
        remap: dict[str, str] = {}
        persons = [e for e in self.entities.values() if e.cls == "Person"]
        words = {e.key: set(e.key.split(":", 1)[1].split()) for e in persons}
        for e in persons:
            mine = words[e.key]
            cands = [k for k, w in words.items() if k != e.key and mine < w]
            if len(cands) == 1 or (cands and len({frozenset(words[c]) for c in cands}) == 1):
                remap[e.key] = max(cands, key=lambda k: (len(words[k]), k))
        orgs = [e for e in self.entities.values() if e.cls == "Organization"]
        for e in orgs:
            short = e.key.split(":", 1)[1]
            if not (short.isalnum() and 2 <= len(short) <= 6) or e.key in remap:
                continue
            cands = [o.key for o in orgs if o.key != e.key and _initials(o.label) == short]
            if len(cands) == 1:
                remap[e.key] = cands[0]
        if not remap:
            return
        for k in list(remap):  # follow chains to their end
            while remap[k] in remap and remap[remap[k]] != k:
                remap[k] = remap[remap[k]]
        old_iri = {self.entities[k].iri: self.entities[v].iri for k, v in remap.items()}
        for k, v in remap.items():
            self.entities[v].labels.update(self.entities.pop(k).labels)
        for cf in self.facts.values():
            cf.args = {p: sorted({old_iri.get(x, x) for x in vals}) for p, vals in cf.args.items()}

    def referenced_entities(self) -> list[CanonEntity]:
        used = {x for cf in self.facts.values() for vals in cf.args.values() for x in vals}
        return sorted((e for e in self.entities.values() if e.iri in used), key=lambda e: e.iri)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for cf in self.facts.values():
            out[cf.cls] = out.get(cf.cls, 0) + 1
        return dict(sorted(out.items()))


