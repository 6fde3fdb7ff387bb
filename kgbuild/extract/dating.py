"""When each event happened: a document-level step after the families have run.

Every event fact (not a Role) gets `values["date"]`, an ISO string whose length is its precision
("2023-11-24", "2023-11", "2023"), and `values["timeText"]`, the words the date was read from,
where the text tells:

1. a time expression of its own clause: attached to the trigger, to the verb of the trigger's
   clause, or to a clause it is reported or coordinated in ("Qatar said on Friday that Hamas had
   freed …"), never one of a separate clause ("…, which started on August 6") or a clause it only
   modifies ("Americans released by Iran landed on Tuesday" does not date the release);
2. a day counted from another ("a day after they were traded", "the third day of the truce" once
   the article says when the truce began);
3. with no expression, the document's date where the clause is plainly the news: present perfect
   or present ("Russia and Ukraine have swapped …"), a statement, or the simple past of the lead or
   of an event the article already dated to that day. Background (past perfect, "the previous
   exchange", a stretch "since 2022") and plans without a date get no date.

An Exchange takes the date of its releases when they agree; a release of an exchange dated by
its own words takes that date. The resolution of the words themselves is `kgbuild.dates`.
"""
from __future__ import annotations

import datetime as dt

from spacy.tokens import Span, Token

from .. import dates
from ..facts import Fact
from .common import Ctx

EVENT_CLASSES = ("Meeting", "HostageTaking", "Release", "Exchange", "Proposal", "Demand", "Statement", "Truce",
                 "CasualtyReport", "Negotiation")
SPEECH = ("Statement", "Demand")                      # said on the day it was reported
UP = ("ccomp", "xcomp", "conj", "parataxis")          # clauses that share the time of the clause above
LEAD_SENTENCES = 2


def _verb(tok: Token) -> Token:
    """The verb of the clause a token is in (the token itself when it is one)."""
    while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _adjunct(v: Token) -> bool:
    """A participle clause without a subordinator shares the time of its clause ("Moscow confirmed
    the swap, saying …", "… carried out a swap, trading 75 people on each side")."""
    if v.dep_ == "acl" and v.head.dep_ == "dobj" and v.head.head.lemma_.lower() in dates.lexicon()["small_clause_verbs"]:
        return True  # "the exchange saw 230 prisoners freed": what was seen, not a description
    return v.dep_ == "advcl" and v.tag_ in ("VBG", "VBN") and not any(c.dep_ == "mark" for c in v.children)


def _chain(trigger: Token) -> list[Token]:
    """The trigger's clause verb and the verbs it is reported or coordinated under."""
    v = _verb(trigger)
    out = [v]
    while (v.dep_ in UP or _adjunct(v)) and v.head.i != v.i:
        v = _verb(v.head)
        if v in out:
            break
        out.append(v)
    return out


def _has_aux(v: Token, words) -> bool:
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ in words for c in v.children)


def _future(v: Token, lx: dict) -> bool:
    if _has_aux(v, lx["future_auxiliaries"]):
        return True
    gov = v.head
    if v.dep_ in ("xcomp", "acomp", "ccomp") and (_governs(gov, lx) or _has_aux(gov, lx["future_auxiliaries"])):
        return any(c.lower_ == "to" for c in v.children) or _future(gov, lx)  # "is due to start", "plans to meet"
    return False


def _governs(gov: Token, lx: dict) -> bool:
    """'plans to', 'is due to', 'hoped to' (also when the lemmatizer misses: 'hoped' → 'hop')."""
    words = lx["future_governors"]
    return gov.lemma_.lower() in words or any(len(w) >= 4 and gov.lower_.startswith(w) for w in words)


def tense(v: Token) -> str | None:
    """past, future or None (present, or unknown) for a clause verb."""
    lx = dates.lexicon()
    if _future(v, lx):
        return dates.FUTURE
    auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
    if v.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes) or (
            v.tag_ == "VBN" and any(a.lemma_ == "have" for a in auxes)):
        return dates.PAST
    return None


def _aspect(v: Token) -> str:
    """perfect-past ('had freed'), perfect ('have freed'), past ('freed', 'were freed'), present,
    modal, or other."""
    lx = dates.lexicon()
    auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
    if _future(v, lx) or any(a.tag_ == "MD" for a in auxes):
        return "modal"
    if any(a.lower_ == "had" for a in auxes):
        return "pluperfect"
    if any(a.lemma_ == "have" and a.tag_ in ("VBZ", "VBP") for a in auxes):
        return "perfect"
    if v.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if v.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in auxes):
        return "present"
    return "other"


def _names(noun: Token, trigger: Token) -> bool:
    """The trigger noun itself, or the place or party a preposition hangs on it ("the negotiations
    in Dar es Salaam, which began on …": the parser hangs the clause on the place)."""
    return noun.i == trigger.i or (noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.i == trigger.i)


def _on_noun(root: Token, trigger: Token) -> bool:
    """An expression that dates a noun trigger directly: attached to it ("Monday's swap", "the
    swap on Monday") or in a relative clause on it ("the truce, which began on Friday")."""
    if trigger.pos_ in ("VERB", "AUX"):
        return False
    t = root
    while t.i != trigger.i:
        if t.pos_ in ("VERB", "AUX") and not (t.dep_ == "relcl" and _names(t.head, trigger)):
            return False
        if t.head.i == t.i:
            return False
        t = t.head
    return root.i != trigger.i


def _under_bound(tok: Token) -> bool:
    """Words inside a 'since …', 'until …' or 'after …' phrase ("acted as go-between since the
    Olympics in February", "freed after talks on Monday") give an edge, not the time of the event."""
    bounds = dates.lexicon()["bounds"]
    v = _verb(tok)
    while tok.i != v.i and tok.head.i != tok.i:
        if tok.lower_ in bounds and tok.dep_ in ("prep", "mark"):
            return True
        tok = tok.head
    return False


class _Sentence:
    """A sentence's time expressions with the tokens they cover."""

    def __init__(self, sent: Span, text: str) -> None:
        self.sent = sent
        self.exprs: list[tuple[dates.TimeExpr, Span]] = []
        for e in dates.find_times(text):
            span = sent.doc.char_span(sent.start_char + e.start, sent.start_char + e.end, alignment_mode="expand")
            if span is not None and len(span):
                self.exprs.append((e, span))

    @staticmethod
    def head(span: Span) -> Token:
        """Where an expression hangs in the parse: its leftmost token headed outside it (spaCy's
        `root` takes the shallowest, which a misparsed year after a date can be)."""
        return next((t for t in span if not (span.start <= t.head.i < span.end) or t.head.i == t.i), span.root)


class Dater:
    def __init__(self, ctx: Ctx, doc_date) -> None:
        self.ctx = ctx
        self.anchor = dates.to_date(dates.normalize_date(doc_date)) if doc_date else None
        self.sents: dict[int, _Sentence] = {}
        self.parsed = ctx.doc.text  # the text the parser read (Span.text joins its tokens anew on each call)
        lead = []
        for s in ctx.sentences():
            if s.start_char >= ctx.body_start and sum(1 for t in s if t.is_alpha) >= 6 and \
                    any(t.pos_ in ("VERB", "AUX") for t in s):
                lead.append(s.start)
            if len(lead) >= LEAD_SENTENCES:
                break
        self.lead = set(lead)
        self.starts: dict[str, dt.date] = {}
        self.when_said: set[int] = set()  # triggers dated by the clause that reports them ("…, X said on Friday")
        self.lead_day = self.anchor
        if lead and self.anchor:
            # the day the lead puts its news on ("… met in Moscow on Wednesday"): what the rest of
            # the lead tells in the simple past happened then
            first = next(s for s in ctx.sentences() if s.start == lead[0])
            for e, span in self.sentence(first.root).exprs:
                if e.is_point and e.kind in ("date", "weekday", "relday"):
                    day = dates.to_date(dates.resolve(e, self.anchor, tense(_verb(_Sentence.head(span)))))
                    if day and day <= self.anchor:
                        self.lead_day = day
                        break

    def sentence(self, tok: Token) -> _Sentence:
        s = self.ctx.sentence_of(tok)
        if s.start not in self.sents:
            self.sents[s.start] = _Sentence(s, self.parsed[s.start_char:s.end_char])
        return self.sents[s.start]

    # ------------------------------------------------------------------ from the sentence's words

    def from_words(self, trigger: Token) -> tuple[str, str] | None:
        """(date, words) from a time expression of the trigger's clause, nearest first."""
        sent = self.sentence(trigger)
        chain = _chain(trigger)
        planned = _aspect(chain[0]) == "modal"  # "said on Thursday it will free 40": not Thursday
        best = None
        for e, span in sent.exprs:
            got = self._offset_into(e, span, trigger)
            if got:
                return got
            if not e.is_point or e.kind == "offset" and span[-1].lower_ in ("after", "before") and (
                    span[-1].dep_ == "mark" or any(span[-1].children)):
                continue  # "a day after they were traded": counted from the clause it governs (above)
            root = _Sentence.head(span)
            if _under_bound(root):
                continue
            if _on_noun(root, trigger):
                rank = 0  # "the swap on Monday", "the truce, which began on Friday"
            else:
                v = _verb(root)
                if v in chain:
                    rank = chain.index(v)
                elif v.dep_ == "parataxis" and v.head in chain:
                    rank = chain.index(v.head) + 1  # '"…," the ministry said on Friday'
                else:
                    continue
                if planned and rank:
                    continue
            key = (rank, abs(root.i - trigger.i))
            if best is None or key < best[0]:
                value = dates.resolve(e, self.anchor, tense(_verb(root)), base=self._base(e, span))
                if value:  # words that cannot be resolved here ("the final day of a swap") give way
                    best = (key, value, span.text)
        if best and best[0][0]:
            self.when_said.add(trigger.i)
        return best[1:] if best else None

    def _base(self, e: dates.TimeExpr, span: Span) -> dt.date | None:
        if e.kind == "dayof":
            return self.starts.get(self._period(e.noun))
        if e.kind == "offset":  # "two days later": after the time named before it in the sentence
            prior = [(x, s) for x, s in self.sentence(_Sentence.head(span)).exprs if s.end <= span.start and x.is_point
                     and x.kind != "offset"]
            if prior:
                x, s = prior[-1]
                return dates.to_date(dates.resolve(x, self.anchor, tense(_verb(_Sentence.head(s)))))
            if e.direction == "before":
                # "The day before, …", "A day earlier, …" with no time before it in the sentence:
                # before the day the article's news is on
                return self.lead_day
        return None

    def _offset_into(self, e: dates.TimeExpr, span: Span, trigger: Token) -> tuple[str, str] | None:
        """'It comes a day after they were traded': the trade is a day before the main clause."""
        if e.kind != "offset" or span[-1].lower_ not in ("after", "before"):
            return None
        word = span[-1]
        clause = word.head if word.dep_ == "mark" else word
        if trigger not in clause.subtree:
            return None
        if clause.head.i == clause.i:
            return None
        main = _verb(clause.head)  # the clause the 'after' clause hangs from
        base = self.from_words(main) if main.i != trigger.i else None
        when = dates.to_date(base[0]) if base else self._news_day(main)
        if when is None:
            return None
        value = dates.resolve(dates.TimeExpr(**{**e.__dict__, "direction": "before" if e.direction == "after" else "after"}),
                              self.anchor, base=when)
        return (value, span.text) if value else None

    def _period(self, noun: str) -> str:
        return "truce" if noun in dates.lexicon()["truce_nouns"] else noun

    def find_starts(self) -> None:
        """When stretches of time the article counts days of began: 'the truce began on Friday'."""
        lx = dates.lexicon()
        starts = {self.ctx.sentence_of(t).start for t in self.ctx.with_words(lx["start_verbs"])}
        for s in self.ctx.sentences():
            if s.start not in starts:
                continue  # the verb that starts a stretch is a word of the sentence
            for e, span in self.sentence(s.root).exprs:
                if not e.is_point or e.kind in ("dayof", "offset"):
                    continue
                v = _verb(_Sentence.head(span))
                if v.lemma_.lower() not in lx["start_verbs"]:
                    continue
                subj = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
                if v.dep_ == "relcl":
                    subj.append(v.head)
                for n in subj:
                    if n.lemma_.lower() in lx["span_nouns"]:
                        d = dates.to_date(dates.resolve(e, self.anchor, tense(v)))
                        if d:
                            self.starts.setdefault(self._period(n.lemma_.lower()), d)

    # ------------------------------------------------------------------ the news of the day

    def _background(self, trigger: Token, chain: list[Token]) -> bool:
        lx = dates.lexicon()
        own = []  # the verbs up to the one that reports them: "has in the past helped to arrange"
        for v in chain:
            if v.lemma_.lower() in lx["reporting_verbs"]:
                break
            own.append(v)
        for tok in (trigger, *(own or chain[:1])):
            for c in tok.children:
                if c.dep_ == "amod" and c.lower_ in lx["background_modifiers"]:
                    return True  # "the previous exchange"
                if c.dep_ == "advmod" and c.lower_ in lx["background_adverbs"]:
                    return True  # "had earlier freed", "has repeatedly accused": not the day's news
                if c.dep_ in ("prep", "advmod", "npadvmod") and " ".join(
                        t.lower_ for t in c.subtree) in lx["background_phrases"]:
                    return True  # "said at the time"
                if c.dep_ in ("nsubj", "nsubjpass", "dobj") and any(
                        a.dep_ == "amod" and a.lower_ in lx["background_modifiers"] for a in c.children):
                    return True
        for c in chain[0].children:  # "have been killed since the invasion began": a tally
            if c.lower_ == "since" and c.dep_ in ("prep", "advmod") or c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "since" for m in c.children):
                return True
        sent = self.sentence(trigger)
        for e, span in sent.exprs:  # "have conducted 55 swaps since 2022": a tally, not one event
            if e.bound in ("since", "until", "by") and _verb(_Sentence.head(span)) in chain:
                return True
        return False

    def _news_day(self, v: Token, cls: str | None = None, trigger: Token | None = None) -> dt.date | None:
        """The document's date when the clause of verb `v` reports the day's news, else None."""
        if self.anchor is None:
            return None
        trigger = trigger or v
        chain = _chain(trigger)
        if self._background(trigger, chain):
            return None
        aspects = [_aspect(v) for v in chain]
        aspect = next((a for a in aspects if a != "other"), "other")  # a participle takes its clause's
        if aspect in ("pluperfect", "past"):
            # "Russia said it had freed 115": reported speech; a report of the day's news decides
            lx = dates.lexicon()
            said = [a for v, a in zip(chain[1:], aspects[1:]) if v.lemma_.lower() in lx["reporting_verbs"]]
            if said and said[0] in ("past", "perfect", "present") and cls != "CasualtyReport":
                return self.anchor  # (a toll told in passing is as often the war's as the day's)
            if aspect == "pluperfect":
                return None
        if aspect in ("perfect", "present"):
            return self.anchor
        if aspect == "past" and trigger.sent.start in self.lead:
            return self.lead_day
        if aspect == "past" and cls in SPEECH:
            return self.anchor
        return None

    def date(self, f: Fact, trigger: Token) -> tuple[str | None, str | None, bool]:
        """(date, words, from the words) for one fact."""
        got = self.from_words(trigger)
        if got:
            return got[0], got[1], True
        if trigger.idx < self.ctx.body_start:
            # a headline's present tense tells the lead's news, not the publication day: left undated,
            # the report joins the one event of its kind the article's week holds (reduce)
            return None, None, False
        day = self._news_day(_verb(trigger), f.cls, trigger)
        return (day.isoformat() if day else None), None, False


    def arrivals(self) -> dict[str, tuple[str, str]]:
        """Entity id → (day, words) for people the article says arrived on a day ("Roche landed in
        Muscat on Wednesday evening"): told in the simple past, dated by the clause's own words."""
        lx = dates.lexicon()
        out: dict[str, tuple[str, str]] = {}
        for tok in self.ctx.with_words(lx["arrival_verbs"]):
            if tok.pos_ != "VERB" or _aspect(tok) != "past":
                continue
            subj = [c for c in tok.children if c.dep_ == "nsubj"]
            got = self.from_words(tok) if subj else None
            if not got or tok.i in self.when_said or len(got[0]) != 10:
                continue
            for c in subj:
                m = self.ctx.mention(c)
                for eid in (m.entities if m else ()):
                    if eid not in out or got[0] < out[eid][0]:
                        out[eid] = got
        return out


def _arrival_bound(ctx: Ctx, dater: Dater, found: dict) -> None:
    """A release dated only by when it was reported ("Iran has released X, Paris said on Thursday")
    happened no later than the freed person's arrival the article dates ("X landed in Muscat on
    Wednesday"): the release, and what its sentence reports with the same words, take that day."""
    arrived = dater.arrivals()
    if not arrived:
        return
    window = int(dates.lexicon()["arrival_window_days"])
    for f in ctx.facts:
        got = found.get(f.fid)
        if f.cls != "Release" or not got or not got[0] or len(got[0]) != 10:
            continue
        trigger = _trigger(ctx, f)
        if trigger is None or got[2] and trigger.i not in dater.when_said:
            continue  # dated by its own clause's words
        days = [arrived[e] for e in f.args.get("detainee", []) if e in arrived]
        when = dates.to_date(got[0])
        days = [d for d in days if 0 < (when - dates.to_date(d[0])).days <= window]
        if not days:
            continue
        day = min(days)
        sent = trigger.sent
        for g in ctx.facts:  # the facts its sentence reports with the same words
            other = found.get(g.fid)
            t = _trigger(ctx, g) if other and other[:2] == got[:2] else None
            if t is not None and t.sent == sent:
                found[g.fid] = (day[0], day[1], True)


def _trigger(ctx: Ctx, f: Fact) -> Token | None:
    i = ctx.anchors.get(f.fid)
    if i is not None and i < len(ctx.doc):
        return ctx.doc[i]
    if f.evidence:
        span = ctx.doc.char_span(f.evidence[0].start, f.evidence[0].end, alignment_mode="expand")
        if span is not None and len(span):
            return _Sentence.head(span)
    return None


def date_facts(ctx: Ctx, doc_date) -> None:
    """Set `values["date"]` (and `timeText`) on each event fact of the document where the text tells."""
    dater = Dater(ctx, doc_date)
    dater.find_starts()
    found: dict[str, tuple[str | None, str | None, bool]] = {}
    for f in ctx.facts:
        if f.cls not in EVENT_CLASSES:
            continue
        trigger = _trigger(ctx, f)
        if trigger is not None:
            found[f.fid] = dater.date(f, trigger)
    _arrival_bound(ctx, dater, found)
    by_id = {f.fid: f for f in ctx.facts}
    for f in ctx.facts:
        if f.cls != "Exchange" or f.fid not in found:
            continue
        rels = [found.get(r) for r in f.links.get("hasRelease", []) if r in by_id]
        own = found[f.fid]
        rel_dates = {r[0] for r in rels if r and r[0]}
        if not own[2] and len(rel_dates) == 1:
            words = next((r[1] for r in rels if r and r[0] and r[1]), None)
            own = found[f.fid] = (rel_dates.pop(), words, any(r[2] for r in rels if r))
        if own[0]:
            for r in f.links.get("hasRelease", []):  # the releases of an exchange happen with it
                if r in found and (not found[r][0] or own[2] and not found[r][2]):
                    found[r] = own
    for f in ctx.facts:
        value, words, _ = found.get(f.fid, (None, None, False))
        if value:
            f.values["date"] = value
            if words:
                f.values["timeText"] = words
