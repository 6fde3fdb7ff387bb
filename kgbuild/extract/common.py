"""What every extractor family needs: who a noun phrase names, negation and hedging, quantities
with their qualifier, and evidence spans. Pure functions over a parsed `Doc`."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..entities import STATE_NOUNS, DocEntities, Mention
from ..facts import Evidence, Fact
from ..resources import lexicon
from ..words import with_words

MAX_EVIDENCE = 1000
# Nouns for people who act for an organisation or state ("Hamas fighters", "a Kremlin spokesman").
AGENT_NOUNS = STATE_NOUNS | {"adviser", "advisor", "aide", "delegate", "contingent", "mission", "peacekeeper", "movement", "group", "front", "coalition", "alliance", "faction", "panel", "rebel", "guerrilla", "insurgent", "militia", "negotiator", "fighter", "militant", "member", "leader", "spokesman", "spokeswoman",
                             "spokesperson", "gunman", "chief", "representative", "envoy", "minister",
                             "intelligence", "mediator", "leadership", "wing", "commander", "soldier", "guard"}

PRESUPPOSING = {"after", "before", "when", "since", "as", "while", "once", "because"}
ATTEMPT_VERBS = {"seek", "try", "aim", "attempt", "help", "work", "continue", "offer"}
LED_BY = {"lead", "run", "command", "head"}
WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "a dozen": 12,
    "a hundred": 100, "a thousand": 1000, "single": 1, "both": 2, "pair": 2, "couple": 2,
}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
QUALIFIER_WORDS = [
    (("more", "than"), "more than"), (("over",), "more than"), (("upwards", "of"), "more than"),
    (("at", "least"), "at least"), (("no", "fewer", "than"), "at least"), (("at", "most"), "at most"),
    (("up", "to"), "at most"), (("fewer", "than"), "fewer than"), (("less", "than"), "fewer than"),
    (("under",), "fewer than"), (("about",), "approximately"), (("around",), "approximately"),
    (("some",), "approximately"), (("roughly",), "approximately"), (("approximately",), "approximately"),
    (("nearly",), "approximately"), (("almost",), "approximately"), (("an", "estimated"), "approximately"),
    (("estimated",), "approximately"), (("close", "to"), "approximately"), (("around",), "approximately"),
]


@dataclass
class Ctx:
    """One document's extraction state: the parse, its mentions, and the facts made so far."""

    doc: Doc
    ents: DocEntities
    body_start: int = 0
    facts: list[Fact] = field(default_factory=list)
    lex: dict = field(default_factory=lexicon)
    side_hints: list[str] = field(default_factory=list)  # entity ids named as the sides of talks
    text: str = ""  # the document text as read, built once: Doc.text joins every token anew on each call
    anchors: dict[str, int] = field(default_factory=dict)  # fact id → its trigger token, for dating
    cache: dict = field(default_factory=dict)  # per-document work a family reuses (pattern matches)

    def __post_init__(self) -> None:
        # the parser read a copy with page furniture blanked; evidence quotes the text as read
        read = self.doc.user_data.get("kg_text")
        self.text = read if isinstance(read, str) and len(read) == len(self.doc.text) else self.doc.text

    def sentences(self) -> list[Span]:
        """Every sentence, the headline included (headlines state facts too: "Rebels free 12
        hostages"); blanked furniture leaves only whitespace, which is skipped."""
        got = self.cache.get("sentences")
        if got is None:
            got = self.cache["sentences"] = [s for s in self.doc.sents if any(not t.is_space for t in s)]
        return got

    def sentence_of(self, tok: Token) -> Span:
        """`tok.sent`, found by bisection in the listed sentences (Token.sent scans the Doc)."""
        from bisect import bisect_right

        sents = self.sentences()
        starts = self.cache.get("sentence_starts")
        if starts is None:
            starts = self.cache["sentence_starts"] = [s.start for s in sents]
        k = bisect_right(starts, tok.i) - 1
        if k >= 0 and tok.i < sents[k].end:
            return sents[k]
        return tok.sent

    def with_words(self, lemmas, lowers=(), start: int = 0, end: int | None = None) -> list[Token]:
        """The tokens whose lower-cased lemma is in `lemmas` or whose lower-cased form is in
        `lowers`, in order, within [start, end) (`kgbuild.words`)."""
        return with_words(self.doc, lemmas, lowers, start, end)

    def new(self, cls: str, rule: str, anchor: Span | Token, used: list[Mention] = ()) -> Fact:
        f = Fact(fid=f"f{len(self.facts)}", cls=cls, rule=rule)
        f.evidence.append(self.evidence(anchor, used))
        self.anchors[f.fid] = anchor.i if isinstance(anchor, Token) else anchor.root.i
        self.facts.append(f)
        return f

    def evidence(self, anchor: Span | Token, used=()) -> Evidence:
        sent = anchor.sent if isinstance(anchor, Token) else anchor
        toks = [t for t in sent if not t.is_space]
        start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        for m in used:
            if m is not None and m.antecedent:
                a0, a1 = m.antecedent
                s2, e2 = min(start, a0), max(end, a1)
                if e2 - s2 <= MAX_EVIDENCE:
                    start, end = s2, e2
        if end - start > MAX_EVIDENCE:
            end = start + MAX_EVIDENCE
        text = self.text[start:end]
        return Evidence(start, end, text)

    def mention(self, tok: Token) -> Mention | None:
        return self.ents.by_token.get(tok.i)

    def cls(self, eid: str) -> str:
        return self.ents.cls(eid)

    def entity_for_key(self, key: str) -> str:
        from ..resources import gazetteer

        entry = gazetteer().entries[key]
        return self.ents.entity_for_key(key, entry["cls"], entry["label"])


def is_medium(ctx: Ctx, eid: str) -> bool:
    """Reuters, Twitter: outlets and platforms carry what others say and do; they act in no fact."""
    e = ctx.ents.entities.get(eid)
    if e is None:
        return False
    media = ctx.lex["media"]
    for name in [e.label, *e.alt_labels]:
        low = name.lower().removeprefix("the ").strip()
        if low in media["names"] or any(low == n or low.endswith(" " + n) for n in media["nouns"]):
            return True
    return False


def noun_lemma(tok: Token) -> str:
    """The lemma of a noun, also when the tagger calls a sentence-initial capitalised common noun
    a proper noun ("Negotiations in Nairobi …" → "negotiation")."""
    if tok.pos_ == "PROPN" and tok.is_sent_start and tok.lemma_ == tok.text:
        low = tok.lower_
        return low[:-1] if low.endswith("s") and not low.endswith("ss") else low
    return tok.lemma_.lower()


def with_governor(tok: Token) -> list[Token]:
    """The token, and the noun it is 'of' ('five days of negotiations … between A and B': the
    parser hangs the 'between' on 'days')."""
    out = [tok]
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.pos_ == "NOUN":
        out.append(tok.head.head)
    return out


def conjuncts(tok: Token) -> list[Token]:
    """The token and every token coordinated with it ("Egypt, Israel and the United States")."""
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj":
            out.extend(conjuncts(c))
    return out


def actors(ctx: Ctx, tok: Token, classes=("Country", "Organization", "Group", "Person")) -> list[tuple[str, Mention]]:
    classes = (*classes, "Sides")  # "the two sides", filled in later with the main parties
    """Entities a noun phrase names as actors: the phrase's own mention, the state behind
    'Israeli officials' or 'Hamas fighters', 'officials from Egypt, Israel and the US'; with
    coordinated phrases."""
    out: list[tuple[str, Mention]] = []
    for t in conjuncts(tok):
        # "the government of the DRC and the M23 rebel movement": the parser may give 'of' both
        # objects, so the second side hangs off the first's 'of'
        seconds = [p for c in t.children if c.dep_ == "prep" and c.lower_ == "of"
                   for p in [x for x in c.children if x.dep_ == "pobj"][1:]]
        if t.tag_ == "NNS" and t.lemma_ in STATE_NOUNS:  # "the governments of Saudi Arabia and Iran"
            seconds += [cc for c in t.children if c.dep_ == "prep" and c.lower_ == "of"
                        for p in c.children if p.dep_ == "pobj" for cc in conjuncts(p)[1:]]
        for x in [t, *seconds]:
            for eid, m in _actor(ctx, x):
                if ctx.cls(eid) in classes and eid not in [e for e, _ in out]:
                    out.append((eid, m))
    return out


def _actor(ctx: Ctx, t: Token) -> list[tuple[str, Mention]]:
    m = ctx.mention(t)
    if m is not None:
        return [(e, m) for e in m.entities]
    if t.pos_ not in ("NOUN", "PROPN"):
        return []
    named = [a for a in t.children if a.dep_ == "appos" and ctx.mention(a) is not None]
    if named:  # "guarantor countries Cuba, Norway and Venezuela"
        return [(e, ctx.mention(x)) for a in named for x in conjuncts(a) if ctx.mention(x) is not None
                for e in ctx.mention(x).entities]
    lemma = t.lemma_.lower()
    if lemma in ("government", "administration", "cabinet"):
        # "Lapid's government": the state its head holds a title of (roles are read first)
        for c in t.children:
            cm = ctx.mention(c) if c.dep_ == "poss" else None
            if cm is not None and ctx.cls(cm.entity) == "Person":
                state = next((o for f in ctx.facts if f.cls == "Role" and cm.entity in f.args.get("holder", [])
                              for o in f.args.get("roleOf", []) if o in ctx.ents.entities and ctx.cls(o) == "Country"), None)
                if state:
                    return [(state, cm)]
    if lemma in AGENT_NOUNS or (t.dep_ in ("nsubj", "agent", "pobj") and lemma in ("group", "side")):
        found = []
        for c in t.children:
            if c.dep_ in ("compound", "amod", "poss", "nmod") and ctx.mention(c) is not None:
                for cc in conjuncts(c):  # "Saudi and Omani delegations"
                    cm = ctx.mention(cc)
                    if cm is not None:
                        found.extend((e, cm) for e in cm.entities)
            elif c.dep_ in ("amod", "compound") and c.lemma_ in LED_BY and "-" in t.doc[c.i - 1: c.i].text:
                # "Hamas-led militants": the leader acts
                for x in c.children:
                    xm = ctx.mention(x)
                    if xm is not None:
                        found.extend((e, xm) for e in xm.entities)
            elif c.dep_ == "acl" and c.lemma_ in ("call", "know", "name"):
                # "a dissident faction calling itself the Renamo Military Junta"
                for x in c.children:
                    if x.dep_ in ("oprd", "xcomp", "attr", "dobj", "prep") and x.lower_ not in ("itself", "themselves"):
                        for y in [x, *x.children]:
                            ym = ctx.mention(y)
                            if ym is not None:
                                found.extend((e, ym) for e in ym.entities)
                                break
            elif c.dep_ == "acl" and c.lemma_ in LED_BY:
                # "militants led by Hamas"
                for a in passive_agents(c):
                    found.extend(_actor(ctx, a))
            elif c.dep_ == "acl" and c.lemma_ in ("make", "comprise", "include", "compose"):
                # "an AU panel made up of A, the bloc's envoy, former President B and C": the
                # members act too; appositions make the list's shape unreliable, so take the people
                for p in c.subtree:
                    pm = ctx.mention(p)
                    if pm is not None and pm.start == p.i and ctx.cls(pm.entity) == "Person":
                        found.extend((e, pm) for e in pm.entities)
            elif c.dep_ == "prep" and c.lower_ in ("from", "of", "for"):
                for p in c.children:
                    if p.dep_ == "pobj":
                        for pt in conjuncts(p):
                            pm = ctx.mention(pt)
                            if pm is not None:
                                found.extend((e, pm) for e in pm.entities)
        return _named_group_over_country(ctx, found)
    return []


def _named_group_over_country(ctx: Ctx, found: list) -> list:
    """"Colombia's ELN guerrillas", "Yemen's Houthi fighters": the country only says where the named
    group is; the group acts. A state's own organs ("Russia's defence ministry officials") are
    organisations of that state and keep it out too, which is right: the organ acts."""
    orgs = [e for e, m in found if ctx.cls(e) == "Organization" and m is not None and m.via == "name"]
    if not orgs:
        return found
    def possessive(m) -> bool:  # "Colombia's", not "Israeli and Hamas negotiators"
        span = ctx.doc[m.start: m.end]
        return span.root.dep_ == "poss" and not any(c.dep_ == "conj" for c in span.root.children)
    return [(e, m) for e, m in found if not (ctx.cls(e) == "Country" and m is not None and possessive(m))]


def subjects(verb: Token) -> list[Token]:
    """Grammatical subjects of a verb, following 'which'/'that' relative clauses and shared
    subjects of coordinated verbs."""
    subs = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
    if not subs and verb.dep_ == "conj":
        # "Hamas freed six hostages on Friday and Israel released 110 prisoners": the parser makes
        # 'Israel' a conjunct of 'Friday'; a name right before the verb, so hung, is its subject
        prev = verb.doc[verb.i - 1] if verb.i > 0 else None
        if prev is not None and prev.dep_ == "conj" and prev.pos_ == "PROPN" and prev.head.i < prev.i \
                and verb.head.i < prev.head.i and any(c.dep_ == "cc" for c in prev.head.children):
            return [prev]
        return subjects(verb.head)
    if not subs and verb.dep_ in ("xcomp", "advcl") and verb.tag_ in ("VB", "VBG"):
        return subjects(verb.head)
    if not subs:
        subs = [c for c in verb.children if c.dep_ == "nsubjpass" and c.lower_ in ("which", "that", "who")]
    if not subs and not any(c.dep_ == "nsubjpass" for c in verb.children):
        # "On Friday Mykhailo Podolyak underlined …": the parser makes the name the object of 'On'
        subs = [p for c in verb.children if c.dep_ == "prep" and c.lower_ in ("on", "in") and c.i < verb.i
                for p in c.children if p.dep_ == "pobj" and p.pos_ == "PROPN" and p.ent_type_ != "DATE"
                and any(x.ent_type_ == "DATE" for x in p.lefts)]
    resolved = []
    if len(subs) == 1 and verb.tag_ != "VBZ":
        resolved += _comma_listed(verb, subs[0])
    for s in subs:
        if s.lower_ in ("which", "that", "who") and verb.dep_ == "relcl":
            head = verb.head
            while head.dep_ == "conj" and head.head.i != head.i:  # "Iraq and Oman, which mediated …"
                head = head.head
            # "Amos Hochstein, the US energy envoy who had mediated …": the person the title is of
            resolved.append(head.head if head.dep_ == "appos" and head.head.ent_type_ == "PERSON" else head)
        else:
            resolved.append(s)
    return resolved


def _comma_listed(verb: Token, subj: Token) -> list[Token]:
    """Headlines list sides with a comma for 'and' ("Colombia, ELN resume talks", "Russia, Ukraine
    swap prisoners"); the parser hangs the first name on the verb or the subject as a modifier. A
    proper name that opens the sentence and is followed only by a comma and the subject is a
    subject too (not with a singular verb: "Qatar, the mediator, says …")."""
    sent = subj.sent
    first = next((t for t in sent if not t.is_space), None)
    # where the subject's own phrase starts ("Armenia" may hang on "Azerbaijan" as a modifier)
    start = min([subj.i] + [t.left_edge.i for t in subj.lefts
                            if t.dep_ != "punct" and (first is None or t.left_edge.i > first.i)])
    comma = subj.doc[start - 1] if start > sent.start else None
    if comma is not None and comma.i == sent.start and comma.text == "," and sent.start > 0:
        # the parser may cut "Colombia" off as a sentence of its own and start the next at the comma
        alone = [t for t in subj.doc[sent.start - 1].sent if not t.is_space]
        if alone and all(t.pos_ == "PROPN" and not t.ent_type_ in ("DATE", "TIME") for t in alone) and \
                not any("\n" in t.text or "\n" in t.whitespace_ for t in alone[-1:]) and \
                subj.doc[sent.start - 1].i == alone[-1].i:
            return [alone[-1].sent.root]
        return []
    if first is None or comma is None or comma.text != "," or comma.i <= first.i:
        return []
    head = first
    while head.head.i != head.i and head.head.i < comma.i:
        head = head.head
    if head.head not in (verb, subj) or head.dep_ not in ("npadvmod", "nmod", "dep", "compound", "appos", "nsubj") \
            or head.right_edge.i != comma.i - 1 or not any(t.pos_ == "PROPN" for t in head.subtree) \
            or any(t.ent_type_ in ("DATE", "TIME") for t in head.subtree):
        return []  # "Friday, Israel said …" is a time, not a side
    return [head]


def passive_agents(verb: Token) -> list[Token]:
    return [p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]


def negated(verb: Token, lex: dict) -> bool:
    """'did not agree', 'never freed', 'denied releasing', and the same for a governing verb."""
    t, hops, via = verb, 0, None
    while t is not None and hops < 3:
        if via != "conj" and any(c.dep_ == "neg" or c.lower_ in lex["negations"] and c.dep_ in ("advmod", "det")
                                 for c in t.children):
            return True
        if hops and t.lemma_ in lex["denial_verbs"] and via in ("xcomp", "ccomp"):
            return True  # "denied releasing", but not "denied X and called for Y"
        if t.dep_ in ("xcomp", "ccomp", "conj", "advcl") and t.head.i != t.i:
            if t.dep_ == "ccomp" and t.head.lemma_ not in lex["denial_verbs"] and not any(
                    c.dep_ == "neg" for c in t.head.children):
                return False
            lo, hi = sorted((t.i, t.head.i))
            if any(x.text in (";", ":") for x in t.doc[lo:hi]):
                return False  # "X demanded …; the agreement does not mention …": separate clauses
            t, hops, via = t.head, hops + 1, t.dep_
        else:
            break
    return False


def hedged(verb: Token, lex: dict, attempts: bool = True) -> bool:
    """'may release', 'could free', 'expected to meet', 'if Hamas frees', 'a deal that would see …'.
    With attempts=False, 'sought to broker' still counts: trying to mediate is mediating."""
    t, hops, via = verb, 0, None
    while t is not None and hops < 4:
        for c in t.children:
            if c.dep_ == "aux" and c.lower_ in lex["hedges"]:  # modals reach coordinated verbs too
                return True
            if c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether"):
                return True
        # a governing 'expect to', 'seek to' hedges; a coordinated 'denied X and called for Y' does not
        if hops and via != "conj" and t.lemma_ in lex["hedge_verbs"] and t.pos_ == "VERB" and (
                attempts or t.lemma_ not in ATTEMPT_VERBS):
            return True
        if t.dep_ in ("xcomp", "conj", "acl", "relcl", "ccomp", "advcl", "pcomp", "pobj", "prep") and t.head.i != t.i:
            if t.dep_ in ("ccomp",) and hops:
                break
            if t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in PRESUPPOSING for c in t.children):
                break  # "… would reduce activity, after its negotiators sat down with …": that happened
            t, hops, via = t.head, hops + 1, t.dep_
        else:
            break
    return False


def _num_value(tokens: list[Token]) -> int | None:
    words = [t.lower_ for t in tokens]
    text = " ".join(words)
    if text in WORD_NUMBERS:
        return WORD_NUMBERS[text]
    value: float | None = None
    for w in words:
        w2 = w.replace(",", "")
        if re.fullmatch(r"\d+(\.\d+)?", w2):
            value = float(w2) if value is None else value + float(w2)
        elif w in SCALES and value is not None:
            value *= SCALES[w]
        elif w in SCALES:
            value = SCALES[w]
        elif w in WORD_NUMBERS:
            n = WORD_NUMBERS[w]
            value = n if value is None else value + n
        elif w in ("-", "and", "a"):
            continue
    return int(value) if value is not None else None


TIME_HEADS = {"yesterday", "today", "tonight", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
              "sunday", "overnight", "earlier", "later"}


def quantity(noun: Token) -> tuple[int | None, str | None, list[Token]]:
    """The count on a noun phrase and its qualifier: 'more than 100 captives' → (100, 'more than')."""
    nums = [c for c in noun.children if (c.dep_ == "nummod" or c.dep_ in ("amod", "quantmod") and c.like_num)
            and (c.tag_ == "CD" or c.lower_ in WORD_NUMBERS)]  # not ordinals: "the first 477"
    if not nums:
        # "Yesterday 184 Russian servicemen were …": the parser hangs the count on the time word
        # before it; a number right before the phrase, itself on a time word, is the phrase's count
        first = noun.left_edge
        prev = noun.doc[first.i - 1] if first.i > 0 and first.i - 1 >= noun.sent.start else None
        if prev is not None and prev.tag_ == "CD" and prev.dep_ == "nummod" and prev.head.i < prev.i \
                and prev.head.lower_ in TIME_HEADS:
            nums = [prev]
    if not nums:
        if noun.like_num:  # "the first 477", "killing more than 30"
            nums = [noun]
        else:
            # "a total of 1,027 prisoners": the count sits on the governing noun
            return None, None, []
    num = nums[0]
    parts = [c for c in num.subtree if c.like_num or c.lower_ in SCALES or c.lower_ in ("-",)] if num is not noun else [num]
    if num is noun:
        parts = [c for c in noun.lefts if c.like_num or c.lower_ in SCALES] + [noun]
    if num.lower_ in ("dozen",) and any(c.lower_ == "a" for c in num.lefts):
        value = 12
    else:
        value = _num_value(sorted(parts, key=lambda t: t.i))
    if value is None:
        return None, None, []
    qual = "exact"
    before = [t.lower_ for t in noun.doc[max(0, num.left_edge.i - 3): num.i]]
    for words, q in QUALIFIER_WORDS:
        if tuple(before[-len(words):]) == words:
            qual = q
            break
    return value, qual, [num]


def time_text(tok: Token) -> str | None:
    """A date phrase attached to the verb or noun ('on October 7', 'in late November')."""
    for t in tok.subtree:
        if t.ent_type_ == "DATE" and t.ent_iob_ == "B" and t.head.i in (tok.i,) or (
                t.ent_type_ == "DATE" and t.ent_iob_ == "B" and t.head.dep_ == "prep" and t.head.head.i == tok.i):
            span = next((e for e in tok.doc.ents if e.start == t.i), None)
            if span is not None:
                return span.text
    return None


QUOTES = {"\u201c", "\u201d", '"'}


def inside_quote(tok: Token) -> bool:
    """Is the token between an opening and a closing quotation mark of its sentence?"""
    before = [t for t in tok.sent if t.i < tok.i and t.text in QUOTES]
    after = [t for t in tok.sent if t.i > tok.i and t.text in QUOTES]
    return bool(before) and bool(after) and (len(before) % 2 == 1 or before[-1].text == "\u201c")
