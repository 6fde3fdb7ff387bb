"""The reduce step: canonical entities and events across all documents of a build.

`GraphBuilder.add(result)` folds one `DocResult` in: an entity key seen before is the same node
(one IRI per real-world entity across the whole build). `finish()` then resolves short names
across documents and gathers the statements of facts into events: statements of one class whose
identifying roles and values agree (`kgbuild/data/events.json`) form a signature group, and
within a group compatible dates make one event node (`cluster_dates`). Each statement at each
span is a `Mention`, one kgo:Evidence node with what that sentence stated; the event node carries
the union. Nothing depends on the order results arrive in: groups, clusters, labels and IRIs are
functions of the set of documents, so a store can recompute them from its own reports.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache

from .facts import DocMeta, DocResult
from .labels import clean_label
from .namespace import RESOURCE_IRI


def _initials(label: str) -> str:
    return "".join(w[0] for w in re.split(r"[\s-]+", label) if w and w[0].isupper()).lower()


def slug(text: str) -> str:
    """A readable IRI segment: the name in ASCII letters ("Erdoğan" → "erdogan"). Where that loses
    letters (a name in Arabic or Cyrillic script) or length, a short hash of the whole name is
    added, so that two such names never share an IRI."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_ = re.sub(r"[^a-z0-9]+", "-", decomposed.encode("ascii", "ignore").decode().lower()).strip("-")
    lost = any(not c.isascii() and unicodedata.category(c)[0] in "LN" for c in decomposed)
    if lost or len(ascii_) > 80 or not ascii_:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
        return f"{ascii_[:69]}-{digest}".strip("-")
    return ascii_


@dataclass
class CanonEntity:
    key: str
    cls: str
    labels: set[str] = field(default_factory=set)   # every name form seen, label included
    preferred: str | None = None                    # gazetteer label, when known
    node: str | None = None                         # the IRI, once known (the builder keys by it)

    @property
    def iri(self) -> str:
        if self.node:
            return self.node
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


@dataclass(frozen=True)
class Mention:
    """One statement of a fact in one document, read at one span: what that sentence stated.

    It becomes one kgo:Evidence node carrying the statement's roles, figures, date and rule, so
    that what differs between reports of one event stays with each report."""
    doc: str
    start: int
    end: int
    text: str
    cls: str
    args: tuple[tuple[str, tuple[str, ...]], ...]     # property → entity IRIs
    values: tuple[tuple[str, object], ...]
    rule: str
    iri: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        # content-derived: the same statement read again is the same evidence node, wherever its
        # event lands; two statements in one sentence are two
        content = repr((self.cls, self.args, sorted((k, str(v)) for k, v in self.values), self.rule))  # as a store gives it back
        h = hashlib.sha1(content.encode()).hexdigest()[:10]
        object.__setattr__(self, "iri", f"{RESOURCE_IRI}evidence/{self.doc}/{self.start}-{self.end}/{h}")

    def value(self, key: str):
        for k, v in self.values:
            if k == key:
                return v
        return None


@dataclass
class CanonFact:
    iri: str
    cls: str
    args: dict[str, list[str]]           # property → entity IRIs (the union over its mentions)
    links: dict[str, list[str]]          # property → fact IRIs
    values: dict[str, object]            # a value, or a sorted list where mentions differ (count)
    evidence: set[tuple[str, int, int, str]] = field(default_factory=set)  # (doc id, start, end, text)
    rules: set[str] = field(default_factory=set)
    mentions: list[Mention] = field(default_factory=list)
    mention_links: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # evidence IRI → links


@lru_cache(maxsize=1)
def event_table() -> dict:
    from .resources import load_json

    return load_json("events.json")


def identifying(cls: str) -> tuple[set[str], set[str]] | None:
    """(roles, values) that identify an event of `cls`; None for a class that is not an event."""
    spec = event_table()["events"].get(cls)
    return (set(spec["roles"]), set(spec["values"])) if spec else None


def node_only(cls: str, keys) -> set[str]:
    """Of a fact's value properties `keys`, those written on its node only, not on each evidence:
    what identifies it (the rest is what each report states)."""
    ident = identifying(cls)
    return set(ident[1]) & set(keys) if ident else set(keys) - set(event_table()["single_values"])


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(str(text)[:10]) if text else None
    except ValueError:
        return None


def _interval(d: str) -> tuple[date, date]:
    """The days an ISO date of any precision ("2023", "2023-11", "2023-11-24") covers."""
    y = int(d[:4])
    if len(d) == 4:
        return date(y, 1, 1), date(y, 12, 31)
    m = int(d[5:7])
    if len(d) == 7:
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        return date(y, m, 1), nxt - timedelta(days=1)
    day = date.fromisoformat(d[:10])
    return day, day


def _valid_date(d) -> str | None:
    d = str(d) if d else ""
    return d if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", d) else None


def cluster_dates(dates: list[str | None], doc_dates: list[str | None], window: int,
                  figures: list[object] | None = None, gap: int = 2) -> list[str]:
    """The event each report of one signature group belongs to, as a cluster key, from the
    reports' dates alone (so the answer depends on the set of reports, never on their order).

    The most precise dates (no other date of the group refines them) are the group's events. A
    less precise date joins the one event it is a prefix of ("2023-11" joins "2023-11-24"); when it
    fits several ("2023-11" beside the 24th and the 25th) it is an event of its own, at its own
    precision. An undated report joins the one event of its group within `window` days before its
    document's date (the news it reports); in an article with no date it joins no dated event
    (one dated event in a corpus of years says nothing of when an undated report happened). Otherwise undated reports with one figure are one event when their documents appeared
    in one run of days without a gap of more than `gap` days (one story, reported that day and
    the next): without a date, a figure is all that tells two events apart ("240 hostages" on 7
    October beside one soldier in 2006)."""
    figures = figures or [None] * len(dates)
    present = {d for d in dates if d}
    anchors = sorted(d for d in present if not any(o != d and o.startswith(d) for o in present))
    spans = [(a, *_interval(a)) for a in anchors]
    keys: list = []
    loose: dict[object, set[date]] = {}   # figure → days of the documents of unplaced undated reports
    for d, doc_date, figure in zip(dates, doc_dates, figures):
        if d:
            fits = [a for a in anchors if a.startswith(d)]
            keys.append(fits[0] if len(fits) == 1 else d)
            continue
        day = _day(doc_date)
        if day is None:  # an undated report in an undated article: nothing places it in time
            fits = []
        else:
            lo = day - timedelta(days=window)
            fits = [a for a, first, last in spans if first <= day and last >= lo]
        if len(fits) == 1:
            keys.append(fits[0])
        else:
            keys.append((figure, day))
            if day:
                loose.setdefault(figure, set()).add(day)
    run_start: dict[tuple, date] = {}
    for figure, days in loose.items():
        start = prev = None
        for day in sorted(days):
            if prev is None or (day - prev).days > gap:
                start = day
            run_start[(figure, day)] = start
            prev = day
    return [k if isinstance(k, str) else
            f"undated:{run_start[k].isoformat() if k[1] else ''}:{k[0]}" for k in keys]


def _close(a, b) -> bool:
    """Figures two outlets may give for one event (175 and 178; 13 and 14): within 5 %, or 2."""
    if isinstance(a, tuple) or isinstance(b, tuple):
        return a == b
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return a == b
    return abs(a - b) <= max(2.0, 0.05 * max(abs(a), abs(b)))


@dataclass
class Report:
    """A fact of one document as the map step gave it (or as a store gives it back), its
    entities already canonical; `fid` is unique within the document, `links` name other fids."""
    doc: str
    fid: str
    cls: str
    args: dict[str, list[str]]
    values: dict[str, object]
    rule: str
    spans: list[tuple[int, int, str]]
    links: dict[str, list[str]]   # property → fids of the same document


@lru_cache(maxsize=1)
def gazetteer_labels() -> dict[str, str]:
    """Entity IRI → the gazetteer's canonical label."""
    from .resources import gazetteer

    return {CanonEntity(key, entry["cls"]).iri: entry["label"] for key, entry in gazetteer().entries.items()}


class GraphBuilder:
    """`add` folds in documents; `finish` resolves names across the build and then gathers the
    statements into one node per real-world event (`events.json` says what identifies an event).
    Everything `finish` computes is a function of the set of documents, not of their order."""

    def __init__(self) -> None:
        self._entities: dict[str, CanonEntity] = {}  # entity IRI → entity, as the documents name them
        self._merged: dict[str, CanonEntity] = {}    # ... once `finish` has merged short names
        self._facts: dict[str, CanonFact] = {}
        self.documents: dict[str, DocMeta] = {}
        self.words = 0
        self._raw: dict[str, list[Report]] = {}        # document id → its facts
        self._stale = False                          # documents added since the last `finish`

    @property
    def entities(self) -> dict[str, CanonEntity]:
        if self._stale:
            self.finish()
        return self._merged

    @property
    def facts(self) -> dict[str, CanonFact]:
        if self._stale:
            self.finish()
        return self._facts

    def add(self, result: DocResult) -> None:
        self.documents[result.meta.id] = result.meta
        self.words += result.words
        local: dict[str, str] = {}
        for eid, e in result.entities.items():
            # names as the graph shows them (no control or format characters); a "name" with
            # nothing printable in it names nothing, and facts lose that argument
            names = {clean_label(n) for n in (e.label, *e.alt_labels)} - {""}
            if not names:
                continue
            ce = self.add_entity(CanonEntity(e.key, e.cls).iri, e.cls, names)
            local[eid] = ce.iri
        raws = []
        for f in result.facts:
            args = {p: sorted({local[e] for e in vals if e in local}) for p, vals in f.args.items()}
            raws.append(Report(result.meta.id, f.fid, f.cls, {p: v for p, v in args.items() if v}, dict(f.values),
                             f.rule, [(ev.start, ev.end, ev.text) for ev in f.evidence],
                             {p: list(v) for p, v in f.links.items()}))
        self._raw[result.meta.id] = raws
        self._stale = True

    def add_entity(self, iri: str, cls: str, names: set[str]) -> CanonEntity:
        ce = self._entities.get(iri)
        if ce is None:
            ce = self._entities[iri] = CanonEntity(iri, cls, preferred=gazetteer_labels().get(iri), node=iri)
        ce.labels.update(n for n in names if n)
        self._stale = True
        return ce

    def add_mentions(self, meta: DocMeta, facts: list[Report]) -> None:
        """A document read back from a store: its metadata and facts (see kgbuild/incremental.py)."""
        self.documents[meta.id] = meta
        self._raw[meta.id] = facts
        self._stale = True

    def discard(self, doc_id: str) -> None:
        """Take back a document whose `add` failed half-way: its metadata and its reports. (Entity
        names it added stay: an entity no fact refers to is not written.)"""
        self.documents.pop(doc_id, None)
        self._raw.pop(doc_id, None)
        self._stale = True

    def finish(self) -> None:
        """Merge names and gather events. What `add` collected is left as it was, so a builder can
        take more documents (a store's) and finish again."""
        self._stale = False
        remap = self._merge_names()
        raws = {d: [replace(r, args={p: sorted({remap.get(x, x) for x in v}) for p, v in r.args.items()})
                    for r in rs] for d, rs in self._raw.items()}
        self._gather_events(raws)

    def _merge_names(self) -> dict[str, str]:
        """Cross-document name fixes that need the whole build: a shorter form of a person's name
        ("Netanyahu", "Mohammed bin Abdulrahman Al Thani") is the one person of the build whose
        fuller name contains it, and an acronym ("BLA") is the organisation whose initials it is.
        Names are compared by the words of their IRIs, which a store keeps too."""
        remap: dict[str, str] = {}
        self._merged = {k: replace(e, labels=set(e.labels)) for k, e in self._entities.items()}
        persons = [e for e in self.entities.values() if e.cls == "Person"]
        words = {e.iri: set(e.iri.rsplit("/", 1)[1].split("-")) for e in persons}
        for e in persons:
            mine = words[e.iri]
            cands = [k for k, w in words.items() if k != e.iri and mine < w]
            if len(cands) == 1 or (cands and len({frozenset(words[c]) for c in cands}) == 1):
                remap[e.iri] = max(cands, key=lambda k: (len(words[k]), k))
        orgs = [e for e in self.entities.values() if e.cls == "Organization"]
        for e in orgs:
            short = e.iri.rsplit("/", 1)[1]
            if not (short.isalnum() and 2 <= len(short) <= 6) or e.iri in remap:
                continue
            cands = [o.iri for o in orgs if o.iri != e.iri and _initials(o.label) == short]
            if len(cands) == 1:
                remap[e.iri] = cands[0]
        if not remap:
            return remap
        for k in list(remap):  # follow chains to their end
            while remap[k] in remap and remap[remap[k]] != k:
                remap[k] = remap[remap[k]]
        for k, v in remap.items():
            self.entities[v].labels.update(self.entities.pop(k).labels)
        return remap

    def _group_key(self, r: Report) -> tuple:
        """The signature group of a fact: its class and what identifies it (events.json)."""
        ident = identifying(r.cls)
        single = set(event_table()["single_values"])
        if ident is None:   # not an event: all it says identifies it
            return (r.cls, tuple(sorted((p, tuple(v)) for p, v in r.args.items())),
                    tuple(sorted((k, str(v)) for k, v in r.values.items() if k not in single)))
        roles, vals = ident
        return (r.cls, tuple(sorted((p, tuple(v)) for p, v in r.args.items() if p in roles)),
                tuple(sorted((k, str(v)) for k, v in r.values.items() if k in vals)))

    def _figure(self, r: Report, raws: dict[str, list[Report]]):
        """The figure that tells undated reports apart: a count, or an exchange's release counts."""
        if r.cls != "Exchange":
            return r.values.get("count")
        fids = set(r.links.get("hasRelease", ()))
        counts = sorted(x.values["count"] for x in raws[r.doc] if x.fid in fids and "count" in x.values)
        return tuple(counts) if counts else None

    def _gather_events(self, by_doc: dict[str, list[Report]]) -> None:
        window = int(event_table()["undated_window_days"])
        order = event_table()["linked_classes"]  # classes whose links point at facts of classes before them
        self._facts = {}
        seen: set[str] = set()
        placed: dict[str, str] = {}   # evidence IRI → its event: one evidence node belongs to one event
        fact_of: dict[tuple[str, str], set[str]] = {}   # (document, fid) → event IRIs
        raws = [r for doc_id in sorted(by_doc) for r in by_doc[doc_id]]
        passes = [[r for r in raws if r.cls not in order]] + [[r for r in raws if r.cls == c] for c in order]
        for batch in passes:
            groups: dict[tuple, dict[tuple[str, str], tuple[Mention, Report]]] = {}
            for r in batch:
                values = {k: v for k, v in r.values.items() if k != "date" or _valid_date(v)}
                gkey = self._group_key(r)
                figure = self._figure(r, by_doc)
                for start, end, text in r.spans:
                    m = Mention(r.doc, start, end, text, r.cls, tuple(sorted((p, tuple(v)) for p, v in r.args.items())),
                                tuple(sorted(values.items(), key=str)), r.rule)
                    groups.setdefault(gkey, {})[(m.iri, r.fid)] = (m, r, figure)
            self._absorb_partial(groups, window)
            for gkey, found in groups.items():
                members = [found[k][:2] for k in sorted(found)]
                figures = [found[k][2] for k in sorted(found)]
                if identifying(gkey[0]) is None:
                    keys = [""] * len(members)
                else:
                    keys = cluster_dates([m.value("date") for m, _ in members],
                                         [self.documents[m.doc].date for m, _ in members], window,
                                         figures, int(event_table()["undated_gap_days"]))
                for (m, r), ckey in zip(members, keys):
                    digest = hashlib.sha1(repr((gkey, ckey)).encode()).hexdigest()[:16]
                    iri = placed.setdefault(m.iri, f"{RESOURCE_IRI}fact/{m.cls.lower()}/{digest}")
                    cf = self.facts.get(iri)
                    if cf is None:
                        cf = self.facts[iri] = CanonFact(iri, m.cls, {}, {}, dict(gkey[2]))
                        if ckey and not ckey.startswith("undated:"):
                            cf.values["date"] = ckey
                    if m.iri not in seen:
                        seen.add(m.iri)
                        cf.mentions.append(m)
                    fact_of.setdefault((m.doc, r.fid), set()).add(iri)
                    self._link(cf, m, r, fact_of)
        for cf in self.facts.values():
            self._unite(cf)

    def _absorb_partial(self, groups: dict, window: int) -> None:
        """A report that names only some of an event's identifying roles ("175 prisoners were
        handed over", no releaser; "Lukashenko met Coale" beside "Lukashenko, Coale and the US
        met") joins the one event of its class whose roles hold all of its own, that its date fits
        (`cluster_dates` would place it on one of that event's reports, on one day) and whose
        figures are close to its own. Where two such events fit (both sides of a swap freed 175
        that day), it stays apart. Decided from the groups as they were formed, so never from the
        order of reports."""
        gap = int(event_table()["undated_gap_days"])
        by_kind: dict[tuple, list[tuple]] = {}
        for gkey in groups:
            if identifying(gkey[0]) is not None:
                by_kind.setdefault((gkey[0], gkey[2]), []).append(gkey)
        moves: dict[tuple, tuple] = {}   # (group, member key) → group it joins
        for kind, gkeys in by_kind.items():
            if len(gkeys) < 2:
                continue
            roles = {g: frozenset((p, x) for p, vals in g[1] for x in vals) for g in gkeys}
            for g in gkeys:
                supers = [h for h in gkeys if roles[g] < roles[h]]
                if not supers:
                    continue
                for key, (m, r, figure) in groups[g].items():
                    fits = [h for h in supers if self._fits(groups[h], m, figure, window, gap)]
                    top = [h for h in fits if not any(roles[h] < roles[o] for o in fits)]
                    if len(top) == 1:
                        moves[(g, key)] = top[0]
        for (g, key), h in sorted(moves.items(), key=repr):
            groups[h][key] = groups[g].pop(key)
        for g in [g for g, found in groups.items() if not found]:
            del groups[g]

    def _fits(self, found: dict, m: Mention, figure, window: int, gap: int) -> bool:
        """Whether report `m` would join one of the reports of group `found` by its date, with a
        figure close to theirs."""
        members = [found[k] for k in sorted(found)]
        dates = [x[0].value("date") for x in members] + [m.value("date")]
        docs = [self.documents[x[0].doc].date for x in members] + [self.documents[m.doc].date]
        figures = [x[2] for x in members] + [figure]
        keys = cluster_dates(dates, docs, window, [None] * len(dates), gap)
        mine, own = keys[-1], m.value("date")
        if len(mine) != 10 or own and len(str(own)) != 10:
            return False  # a day on both sides: "in 2025" or "in February" says too little to tie them
        same = [f for k, f in zip(keys[:-1], figures[:-1]) if k == mine]
        if not same:
            return False
        return figure is None or all(f is None for f in same) or any(_close(figure, f) for f in same if f is not None)

    @staticmethod
    def _link(cf: CanonFact, m: Mention, r: Report, fact_of: dict) -> None:
        """Links (an exchange's releases) go to the events of the facts the document linked."""
        for p, fids in r.links.items():
            targets = sorted({t for fid in fids for t in fact_of.get((r.doc, fid), ())})
            if targets:
                cf.links[p] = sorted(set(cf.links.get(p, [])) | set(targets))
                ml = cf.mention_links.setdefault(m.iri, {})
                ml[p] = sorted(set(ml.get(p, [])) | set(targets))

    @staticmethod
    def _unite(cf: CanonFact) -> None:
        """The event node's roles and values: the union of its mentions' (one timeText, the
        smallest; the date is the event's own, set when it was formed)."""
        cf.mentions.sort(key=lambda m: m.iri)
        multi: dict[str, set] = {}
        args: dict[str, set] = {}
        for m in cf.mentions:
            for p, vals in m.args:
                args.setdefault(p, set()).update(vals)
            for k, v in m.values:
                if k == "date":
                    continue
                if k == "timeText":
                    if str(v) < str(cf.values.get(k, "\uffff")):
                        cf.values[k] = v
                elif k not in cf.values or k in multi:
                    multi.setdefault(k, set()).add(v)
            cf.evidence.add((m.doc, m.start, m.end, m.text))
            cf.rules.add(m.rule)
        cf.args = {p: sorted(v) for p, v in sorted(args.items())}
        if "confidence" in multi:  # an event is as sure as its surest reading; one full reading makes it sure
            if all(any(k == "confidence" for k, _ in m.values) for m in cf.mentions):
                multi["confidence"] = {max(multi["confidence"])}
            else:
                del multi["confidence"]
        for k, vs in multi.items():
            vs = sorted(vs, key=lambda v: (str(type(v)), v))
            cf.values[k] = vs[0] if len(vs) == 1 else vs

    def referenced_entities(self) -> list[CanonEntity]:
        used = {x for cf in self.facts.values() for vals in cf.args.values() for x in vals}
        return sorted((e for e in self.entities.values() if e.iri in used), key=lambda e: e.iri)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for cf in self.facts.values():
            out[cf.cls] = out.get(cf.cls, 0) + 1
        return dict(sorted(out.items()))


