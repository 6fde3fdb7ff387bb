"""kgo:Meeting: who met, where and when.

"Spy chiefs from the three countries met … in Paris", "a meeting between officials from Egypt,
Israel and the United States", "indirect talks in Cairo, where Egyptian officials shuttled between
Israeli and Hamas negotiators", "X held talks with Y in Z". Participants are the subject of
'meet', 'with' and 'between' phrases; the location is an 'in'/'at' place.

Surface shapes kept as data in `data/patterns/meeting.json` (journeys of delegations to a city for
talks, talks held or resumed in a city, sitting down with someone, signing with someone, a
delegation's members, a host receiving a delegation …) are read by `_pattern_meetings`. A fact read
where the parse is known to be unreliable carries `values["confidence"]` below 1.
"""
from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Token

from .common import (Ctx, actors, conjuncts, hedged, negated, noun_lemma, passive_agents, subjects, time_text,
                     with_governor)
from ..entities import PLACE_NOUNS, SIDES
from ..resources import load_json, norm
from .mediation import clause_sides, matches_in_sentence

PARTICIPANTS = ("Country", "Organization", "Person", "Group")
TALK_NOUNS = {"talk", "negotiation", "meeting", "round", "dialogue", "summit", "session", "discussion", "consultation"}
# Verbs whose subject takes part in a meeting named by their object: "took part in a meeting
# with X", "attended talks in Y", "joined the negotiations".
TAKE_PART = {"attend", "join", "participate", "part"}
# "X and Y are due to meet …": a planned meeting, stated as one (its date is the planned day)
PLANNED = {"due", "set", "scheduled", "expected", "slated", "poised"}
TRAVEL = {"arrive", "travel", "head", "fly", "land", "return", "go", "come", "reach"}
# Who visits a city for talks: "a delegation is expected in Cairo", "the envoy is due in Beirut".
VISITORS = {"delegation", "negotiator", "team", "envoy", "emissary", "representative", "delegate", "mediator",
            "minister", "secretary", "adviser", "advisor"}


def _location(ctx: Ctx, tok: Token, words=("in", "at")):
    """The place of an 'in'/'at' phrase: 'in the French capital Paris' is Paris, not France."""
    preps = [c for c in tok.children if c.dep_ in ("prep", "dative") and (c.lower_ in words or c.lower_ == "on" and any(
        p.lemma_ in PLACE_NOUNS for p in c.children))]  # "on the island of Zanzibar"
    preps += [p for c in tok.children if c.dep_ == "acl" and c.lemma_ in ("hold", "host", "take")
              for p in c.children if p.dep_ == "prep" and p.lower_ in ("in", "at")]  # "talks held in Doha"
    for c in preps:
        for p in c.children:
            if p.dep_ != "pobj":
                continue
            found = []
            for t in p.subtree:
                m = ctx.mention(t)
                if m is not None and len(m.entities) == 1 and ctx.cls(m.entity) in ("Place", "Country") and \
                        m.via != "demonym":  # "the North Macedonian town of Ohrid" is not in a country called that
                    found.append((m.entity, m))
                elif m is None and t.pos_ == "PROPN" and t.is_title and t.dep_ == "pobj" and t.head.lower_ == "of" \
                        and t.head.head.lemma_ in PLACE_NOUNS:
                    # "the lakeside town of Ohrid" with Ohrid untagged: a place all the same
                    span = t.doc[min(c.i for c in t.subtree if c.pos_ == "PROPN"): t.i + 1]
                    eid = ctx.ents.entity_for_key(f"place:{norm(span.text)}", "Place", span.text)
                    found.append((eid, None))
            if not found and p.lemma_ == "capital":
                got = _capital_of(ctx, p)  # "in the Egyptian capital" is in Cairo
                if got is not None:
                    found.append(got)
            places = [f for f in found if ctx.cls(f[0]) == "Place"]
            if p.lemma_ in PLACE_NOUNS:  # "the Red Sea city of Jeddah" is Jeddah
                named = [f for f in places if f[1] is None or any(
                    t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.i == p.i
                    for t in p.doc[f[1].start: f[1].end])]
                places = named or places
            if places or found:
                return (places or found)[0]
    if tok.pos_ == "NOUN":
        # "negotiations between X and Y in Jeddah": the parser may hang the place on Y
        for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("between", "with")):
            for side in (p for p in prep.children if p.dep_ == "pobj"):
                for t in [side, *conjuncts(side)]:
                    for c in (x for x in t.children if x.dep_ == "prep" and x.lower_ in ("in", "at")):
                        for p in (x for x in c.children if x.dep_ == "pobj"):
                            m = ctx.mention(p)
                            if m is not None and len(m.entities) == 1 and ctx.cls(m.entity) == "Place":
                                return m.entity, m
    return None


def _capital_of(ctx: Ctx, noun: Token):
    """'the Egyptian capital', 'Qatar's capital': the capital city the gazetteer gives the state."""
    for c in noun.children:
        m = ctx.mention(c) if c.dep_ in ("amod", "poss", "compound", "nmod") else None
        if m is None or len(m.entities) != 1 or ctx.cls(m.entity) != "Country":
            continue
        key = ctx.ents.entities[m.entity].key.split(":", 1)[-1]
        caps = next((r.get("capitals", []) for r in _countries() if r["id"] == key), [])
        if caps:
            return ctx.ents.entity_for_key(f"place:{norm(caps[0])}", "Place", caps[0]), None
    return None


@lru_cache(maxsize=1)
def _countries() -> tuple:
    return tuple(load_json("countries.json")["countries"])


def _definite_the(tok: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)


def _previous_meeting_place(ctx: Ctx, tok: Token):
    """(place, evidence) of a meeting with a known place stated in the two sentences before."""
    start = tok.sent.start_char
    for f in reversed(ctx.facts):
        if f.cls != "Meeting" or not f.args.get("location"):
            continue
        ev = f.evidence[0]
        if 0 <= start - ev.end <= 600:
            return f.args["location"][0], ev
        break
    return None


def _where_clause(ctx: Ctx, verb: Token):
    """'Kyiv, where he met Zelensky': the place a 'where' clause hangs on, also when the parser
    hangs the clause on a nearby word ('a trip to Kyiv earlier this month, where he met …')."""
    where = next((c for c in verb.children if c.lower_ == "where"), None)
    if verb.dep_ == "relcl" and where is not None:
        m = ctx.mention(verb.head)
        if m is not None and len(m.entities) == 1 and ctx.cls(m.entity) == "Place":
            return m.entity, m
        for t in reversed(list(verb.doc[max(verb.sent.start, where.i - 6): where.i])):
            m = ctx.mention(t)
            if m is not None and len(m.entities) == 1 and ctx.cls(m.entity) == "Place":
                return m.entity, m
    return None


ATTENDANCE_NOUNS = {"participation", "attendance", "presence"}


def _with_between(ctx: Ctx, tok: Token):
    out = []
    for c in (c for t in with_governor(tok) for c in t.children):
        if c.dep_ == "prep" and c.lower_ in ("with", "between"):
            for p in c.children:
                if p.dep_ == "pobj" and p.lemma_ in ATTENDANCE_NOUNS and c.lower_ == "with":
                    # "met in Naqoura with the participation of X and Y": X and Y took part
                    out.extend(a for o in p.children if o.dep_ == "prep" and o.lower_ == "of"
                               for x in o.children if x.dep_ == "pobj" for a in _attendees(ctx, x))
                elif p.dep_ == "pobj":
                    out.extend(actors(ctx, p, PARTICIPANTS))
    return out


def _attendees(ctx: Ctx, tok: Token):
    """'Lebanese and Israeli officers and representatives of the United States and France': each
    side named, also by the adjectives of a noun of people."""
    out = list(actors(ctx, tok, PARTICIPANTS))
    for t in conjuncts(tok):
        if t.pos_ == "NOUN" and ctx.mention(t) is None:
            out += [a for c in t.children if c.dep_ in ("amod", "compound") and ctx.mention(c) is not None
                    for x in conjuncts(c) for m in [ctx.mention(x)] if m is not None and m.via == "demonym"
                    for a in [(e, m) for e in m.entities if ctx.cls(e) in PARTICIPANTS] if a[0] not in {e for e, _ in out}]
    return out


def extract(ctx: Ctx) -> None:
    lex = ctx.lex["meeting"]
    # the words every branch below starts from ("Talks" read as a name at a sentence's start too)
    nouns = {"meeting", "talk", "summit", "negotiation", "round", "session", "consultation"}
    cue_lemmas = {"meet", "gather", "convene", "sit", "host", "bring", "negotiate", "agree", "talk", "sign",
                  "initial"} | set(lex["hold_verbs"]) | nouns
    cue_forms = nouns | {n + "s" for n in nouns}
    for sent in ctx.sentences():
        for tok in ctx.with_words(cue_lemmas, cue_forms, sent.start, sent.end):
            lemma = tok.lemma_.lower()
            who, where, rule = [], None, None
            sat_down = lemma == "sit" and any(c.lower_ == "down" for c in tok.children)
            if tok.pos_ == "VERB" and (lemma in ("meet", "gather", "convene") or sat_down):
                if negated(tok, ctx.lex) or _hedged(ctx, tok):
                    continue
                subs = subjects(tok)
                if not subs and tok.dep_ == "xcomp" and tok.head.dep_ == "acomp" and tok.head.lower_ in PLANNED:
                    subs = subjects(tok.head.head)  # "X and Y are due to meet in Abu Dhabi on Monday"
                if not subs and tok.dep_ == "pcomp" and tok.head.dep_ == "prep" and tok.head.head.pos_ == "VERB":
                    v = tok.head.head
                    subs = subjects(v) or ([v.head] if v.dep_ == "acl" else [])  # "X left Cairo after meeting Y"
                who = [a for s in subs for a in actors(ctx, s, PARTICIPANTS)] + _with_between(ctx, tok)
                met = [o for o in tok.children if o.dep_ == "dobj"]
                if lemma == "meet" and not met:
                    # "a delegation headed by X met intelligence chief Y in Cairo to discuss …": the
                    # parser may hang the person met as a clause of its own
                    met = [o for o in tok.children if o.dep_ in ("advcl", "npadvmod", "dep") and o.i > tok.i
                           and o.pos_ == "PROPN" and ctx.mention(o) is not None
                           and ctx.cls(ctx.mention(o).entity) == "Person"]
                if lemma == "meet":  # "Lukashenko met Keith Kellogg in Minsk"
                    who += [a for o in met for a in actors(ctx, o, PARTICIPANTS)]
                where, rule = _location(ctx, tok) or _where_clause(ctx, tok), f"meeting:{lemma}"
                if where is None and tok.dep_ in ("advcl", "xcomp") and tok.head.lemma_ in TRAVEL:
                    where = _place_in(ctx, tok.head)  # "flew to Doha to meet X"
                if where is None:  # "sat down with a Ukrainian delegation in Istanbul"
                    where = next((w for c in tok.children if c.dep_ == "prep" and c.lower_ == "with"
                                  for p in c.children if p.dep_ == "pobj" for w in [_location(ctx, p)] if w), None)
                if where is None and lemma == "meet":
                    # "met government envoys in Doha": the parser may hang the place on the object
                    where = next((w for o in met
                                  for w in [_location(ctx, o, ("in",))] if w and ctx.cls(w[0]) == "Place"), None)
            elif tok.pos_ == "VERB" and lemma == "host" and any(
                    o.dep_ == "dobj" and actors(ctx, o, ("Person", "Country")) for o in tok.children) and \
                    _location(ctx, tok) and not (negated(tok, ctx.lex) or hedged(tok, ctx.lex)):
                # "Sheikh Mohamed hosted Abiy and Isaias in Abu Dhabi": host and guests met there
                who = [a for s in subjects(tok) for a in actors(ctx, s, PARTICIPANTS)] + \
                    [a for o in tok.children if o.dep_ == "dobj" for a in actors(ctx, o, PARTICIPANTS)]
                where, rule = _location(ctx, tok), "meeting:hosted"
            elif tok.pos_ == "VERB" and lemma == "bring" and any(c.lower_ == "together" for c in tok.children) and \
                    not (negated(tok, ctx.lex) or hedged(tok, ctx.lex)):
                # "The meeting … brought together Greek Cypriot leader X and Turkish Cypriot leader Y"
                who = [a for o in tok.children if o.dep_ == "dobj" for a in actors(ctx, o, PARTICIPANTS)]
                subj = next((s for s in subjects(tok)), None)
                where = _location(ctx, tok) or (_location(ctx, subj) if subj is not None else None)
                rule = "meeting:brought-together"
            elif tok.pos_ == "VERB" and lemma in ("negotiate", "agree", "talk") and _where_clause(ctx, tok) and not (
                    negated(tok, ctx.lex) or hedged(tok, ctx.lex)):
                # "Barbados, where Maduro's government and the opposition agreed …"
                who = [a for s in subjects(tok) for a in actors(ctx, s, ("Country", "Organization", "Group"))]
                where, rule = _where_clause(ctx, tok), f"meeting:where-{lemma}"
                if len(who) < 2:
                    continue
            elif tok.pos_ == "VERB" and lemma == "negotiate" and any(c.dep_ == "auxpass" for c in tok.children) and \
                    _location(ctx, tok) and not (negated(tok, ctx.lex) or hedged(tok, ctx.lex)):
                # "the deal was negotiated in Sharm el-Sheikh by Israeli and Hamas delegations"
                agents = passive_agents(tok) or [p for t in tok.subtree if t.dep_ == "prep" and t.lower_ == "by"
                                                 for p in t.children if p.dep_ == "pobj"]
                who = [a for p in agents for a in actors(ctx, p, PARTICIPANTS)]
                where, rule = _location(ctx, tok), "meeting:negotiated-in"
            elif tok.pos_ == "VERB" and lemma in ("sign", "initial") and not (negated(tok, ctx.lex) or hedged(tok, ctx.lex)):
                # "Colombia's government and the ELN signed a ceasefire in Havana": a signing is a meeting
                who = [a for s in subjects(tok) for a in actors(ctx, s, PARTICIPANTS)]
                where = _location(ctx, tok) or next((_location(ctx, o) for o in tok.children
                                                     if o.dep_ == "dobj" and _location(ctx, o)), None)
                rule = "meeting:signing"
                if len(who) < 2 or where is None:
                    continue
            elif tok.pos_ == "VERB" and lemma in lex["hold_verbs"] and any(
                    c.dep_ == "dobj" and c.lemma_ in lex["hold_objects"] for c in tok.children):
                # "X held talks with Y", "US and Iranian officials concluded a round of talks in Muscat"
                if negated(tok, ctx.lex) or hedged(tok, ctx.lex):
                    continue
                obj = next(c for c in tok.children if c.dep_ == "dobj" and c.lemma_ in lex["hold_objects"])
                who = [a for s in subjects(tok) for a in actors(ctx, s, PARTICIPANTS)] + _with_between(ctx, obj)
                who += [a for a in _with_between(ctx, tok) if a[0] not in {e for e, _ in who}]  # "held a meeting … with X"
                where = _location(ctx, tok) or _location(ctx, obj) or next(
                    (w for c in obj.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children
                     if p.dep_ == "pobj" for w in [_location(ctx, p)] if w), None)  # "a round of talks in X"
                where = where or _where_clause(ctx, tok)  # "Moscow, where he held talks with Putin"
                rule = "meeting:hold-talks" if lemma == "hold" else f"meeting:{lemma}-talks"
            elif tok.pos_ in ("NOUN", "PROPN") and (noun_lemma(tok) in ("meeting", "talk", "summit", "negotiation", "round") or
                                                    noun_lemma(tok) in ("session", "consultation") and _attended(tok)) \
                    and tok.lower_ not in ("talk", "negotiation"):
                lemma = noun_lemma(tok)
                if tok.head.pos_ == "VERB" and (negated(tok.head, ctx.lex) or hedged(tok.head, ctx.lex)):
                    continue
                who = _talk_who(ctx, tok)
                # "a session attended by X and Y": those who attended met
                who += [a for c in tok.children if c.dep_ == "acl" and c.lemma_ == "attend"
                        for p in passive_agents(c) for a in _attendees(ctx, p) if a[0] not in {e for e, _ in who}]
                where = _location(ctx, tok) or (_event_place(ctx, tok) if who else None)
                for c in tok.children:  # "talks in Cairo, where Egyptian officials shuttled between …"
                    if c.dep_ == "relcl" and any(x.lower_ == "where" for x in c.children):
                        who += [a for s in subjects(c) for a in actors(ctx, s, PARTICIPANTS)] + _with_between(ctx, c)
                    elif c.dep_ == "relcl" and c.lemma_ in ("hold", "have", "conduct") and who is not None:
                        # "the talks he held over the past week with the governments of X and Y"
                        who += [a for s in subjects(c) for a in actors(ctx, s, PARTICIPANTS)] + _with_between(ctx, c)
                        where = where or _location(ctx, c)
                part = tok.head.head if tok.dep_ == "pobj" and tok.head.lower_ == "in" else \
                    tok.head if tok.dep_ == "dobj" else None
                if part is not None and tok.dep_ == "dobj" and (part.lemma_ == "chair" or part.lemma_ == "host" and any(
                        c.dep_ == "prep" and c.lower_ == "with" for c in tok.children)):
                    # "He co-chaired a summit …", "Oman hosted a meeting with X and Y": the host
                    # met them (not "hosted talks between X and Y", which it may only have housed)
                    # "He co-chaired a summit in Sharm el-Sheikh with X": chairing is being there
                    who += [a for s in subjects(part) for a in actors(ctx, s, PARTICIPANTS)]
                    where = where or _location(ctx, part)
                elif part is not None and part.lemma_ in TAKE_PART | {"take"} and (
                        part.lemma_ != "take" or any(c.lemma_ == "part" for c in part.children)):
                    # "X takes part in a meeting with Y in Sochi", "X attended the talks in Z"
                    who += [a for s in subjects(part) for a in actors(ctx, s, PARTICIPANTS)]
                    where = where or _location(ctx, part)
                rule = f"meeting:noun-{lemma}"
                if not who and where is not None:
                    # "… signed an agreement after negotiations in Pretoria": the signatories met
                    who = clause_sides(ctx, tok, set())
                if not who and where is not None and tok.tag_ in ("NNS", "NNPS"):
                    who = [(SIDES, None)]  # "the negotiations in Dar es Salaam": the article's two sides
                if where is None and tok.dep_ == "nsubj" and tok.head.lemma_ == "be":
                    continue  # "how complicated negotiations between the two are" describes, not reports, talks
                if not who or (where is None and len(who) < 2):
                    continue
            else:
                continue
            _emit(ctx, tok, who, where, rule)
        for tok, who, where, rule, confidence, told_before in _pattern_meetings(ctx, sent):
            _emit(ctx, tok, who, where, rule, confidence, told_before)
        _drop_subsumed(ctx, sent)


def _drop_subsumed(ctx: Ctx, sent) -> None:
    """A meeting with no place whose participants a located meeting of the same sentence names
    says nothing more: 'two days of talks between X and Y ended in Z' is one meeting, in Z."""
    mine = [f for f in ctx.facts if f.cls == "Meeting" and f.evidence[0].end > sent.start_char
            and f.evidence[0].start <= sent.start_char]
    located = [f for f in mine if f.args.get("location")]
    for f in mine:
        if not f.args.get("location") and any(
                set(f.args.get("participant", [])) <= set(g.args.get("participant", [])) for g in located):
            f.args["participant"] = []  # a meeting without participants is dropped by extract.finalize


def _attended(noun: Token) -> bool:
    """'a session attended by …', or a session someone chaired or hosted."""
    return any(c.dep_ == "acl" and c.lemma_ == "attend" for c in noun.children) or \
        noun.dep_ == "dobj" and noun.head.lemma_ in ("chair", "host")


def _hedged(ctx: Ctx, verb: Token) -> bool:
    """Hedged, except that a 'when he meets X' clause states the meeting as planned or done even
    where the main clause is hedged ('a deal could be announced when Trump meets Netanyahu')."""
    if verb.dep_ == "advcl" and any(c.dep_ in ("advmod", "mark") and c.lower_ in ("when", "as", "while")
                                    for c in verb.children):
        return any(c.dep_ == "aux" and c.lower_ in ctx.lex["hedges"] for c in verb.children)
    return hedged(verb, ctx.lex)


def _members(ctx: Ctx, noun: Token):
    """People a delegation noun names as its members or heads: 'a Hamas delegation led by X',
    'the delegation, headed by X', 'a delegation including X and Y'."""
    out = []
    for c in noun.children:
        if c.dep_ == "acl" and c.lemma_ in ("lead", "head", "include", "comprise", "chair"):
            objs = passive_agents(c) + [o for o in c.children if o.dep_ == "dobj"]
            objs += [p for x in c.children if x.dep_ == "prep" and x.lower_ == "by" for p in x.children if p.dep_ == "pobj"]
            out += [a for o in objs for a in actors(ctx, o, ("Person",))]
    return out


TALK_EVENTS = {"hold", "begin", "start", "resume", "restart", "open", "continue", "convene", "reconvene", "conclude",
               "end", "close", "wrap", "commence", "proceed", "take", "get", "set", "schedule", "due"}


def _event_place(ctx: Ctx, noun: Token):
    """'Negotiations … were set to get under way in Jeddah', 'the talks began in Doha': the place
    of the verb the talks are the subject of, through 'set to'/'scheduled to'."""
    if noun.dep_ not in ("nsubj", "nsubjpass"):
        return None
    v = noun.head
    if v.lemma_ == "be":  # "talks are due to resume in Cairo"
        v = next((c for c in v.children if c.dep_ in ("acomp", "attr") and c.lower_ in ("due", "set", "scheduled")), v)
    for _ in range(3):
        if v.lemma_ not in TALK_EVENTS:
            return None
        got = _location(ctx, v)
        if got is not None:
            return got
        v = next((c for c in v.children if c.dep_ == "xcomp"), None)
        if v is None:
            return None
    return None


def _people_listed(ctx: Ctx, tok: Token):
    """The people of a list however the parser chains it (conjuncts and appositions), but not
    people named inside a member's title ('X, adviser to Prime Minister Y')."""
    out, todo = [], [tok]
    while todo:
        t = todo.pop(0)
        m = ctx.mention(t)
        if m is not None and len(m.entities) == 1 and ctx.cls(m.entity) == "Person" and m.entity not in [e for e, _ in out]:
            out.append((m.entity, m))
        todo += [c for c in t.children if c.dep_ in ("conj", "appos")]
    return out


def _previous_meeting(ctx: Ctx, tok: Token, of: set[str]):
    """The meeting reported just before (within ~600 characters), with those participants."""
    start = tok.sent.start_char
    for f in reversed(ctx.facts):
        if f.cls != "Meeting":
            continue
        if not 0 <= start - f.evidence[0].end <= 600:
            return None
        if not of or of & set(f.args.get("participant", [])):
            return f
    return None


def _emit(ctx: Ctx, tok: Token, who, where, rule: str, confidence: float | None = None, told_before=None):
    """One Meeting fact, unless a meeting of the same sentence already says as much. `told_before`
    is the evidence of the meeting an earlier sentence reported, which this one adds to."""
    earlier = (None, told_before) if told_before is not None else None
    if where is None and tok.pos_ == "NOUN" and tok.tag_ == "NN" and _definite_the(tok):
        earlier = _previous_meeting_place(ctx, tok)  # "… talks in Ohrid. The meeting between X and Y …"
        if earlier is not None:
            where = (earlier[0], None)
    if where is None and who:
        where = _visit_place(ctx, tok, {e for e, _ in who})
    if where is not None:
        place = norm(ctx.ents.entities[where[0]].label) if where[0] in ctx.ents.entities else where[0]
        who = [w for w in who if w[0] != where[0] and not (
            w[0] in ctx.ents.entities and norm(ctx.ents.entities[w[0]].label) == place)]  # Mali does not meet in Mali
    if not who:
        return None
    ids, loc = {e for e, _ in who}, where[0] if where else None
    sent = tok.sent
    for f in reversed(ctx.facts):
        if f.cls != "Meeting" or f.evidence[0].end < sent.start_char:
            break
        if ids <= set(f.args.get("participant", [])) and (loc is None or loc in f.args.get("location", [])):
            return None  # said already by another rule on this sentence
    f = ctx.new("Meeting", rule, tok, [m for _, m in who] + ([where[1]] if where else []))
    if earlier is not None:
        ev = f.evidence[0]
        start = min(ev.start, earlier[1].start)
        if ev.end - start <= 1000:
            from ..facts import Evidence

            f.evidence[0] = Evidence(start, ev.end, ctx.text[start: ev.end])
    for eid, _ in who:
        f.add("participant", eid)
    if where:
        f.add("location", where[0])
    tt = time_text(tok)
    if tt:
        f.values["timeText"] = tt
    if confidence is not None:
        f.values["confidence"] = confidence
    return f


def _place_in(ctx: Ctx, tok: Token, words=("in", "at", "to", "for")):
    """Where a journey ends: 'arrived in Cairo', 'left for Doha, Qatar', 'reached Havana'."""
    got = _location(ctx, tok, words)
    if got is None:
        for o in (c for c in tok.children if c.dep_ in ("dobj", "npadvmod") and tok.lemma_ == "reach"):
            m = ctx.mention(o)
            if m is not None and len(m.entities) == 1 and ctx.cls(m.entity) in ("Place", "Country"):
                return m.entity, m
    return got


def _visit_place(ctx: Ctx, tok: Token, who: set[str]):
    """'During a visit to Minsk, Cole met …', 'Cole was visiting Minsk. … his meeting with X':
    where a participant was visiting, in this sentence or the two before."""
    sent = tok.sent
    start = sent.doc[max(0, sent.start - 1)].sent.start if sent.start else 0
    start = sent.doc[max(0, start - 1)].sent.start if start else 0
    for t in sent.doc[start: sent.end]:
        if t.lemma_ != "visit":
            continue
        if t.pos_ == "VERB":
            visitors = {e for s in subjects(t) for e, _ in actors(ctx, s, PARTICIPANTS)}
            places = [o for o in t.children if o.dep_ == "dobj"]
        else:
            visitors = {e for c in t.children if c.dep_ == "poss" for e, _ in actors(ctx, c, PARTICIPANTS)}
            places = [p for c in t.children if c.dep_ == "prep" and c.lower_ in ("to", "in")
                      for p in c.children if p.dep_ == "pobj"]
        if t.sent != sent and not visitors & who:
            continue  # an earlier sentence's visit is this meeting's place only for the same visitor
        for p in places:
            m = ctx.mention(p)
            if m is not None and len(m.entities) == 1 and ctx.cls(m.entity) == "Place":
                return m.entity, m
    return None


def _talk_with(ctx: Ctx, tok: Token):
    """Who the talks a journey is for are with: 'for talks with X', 'to resume negotiations with X',
    'to negotiate with X'."""
    out = []
    for t in tok.subtree:
        if t.dep_ == "prep" and t.lower_ in ("with", "between") and (t.head.lemma_ in TALK_NOUNS or t.head.pos_ == "VERB"):
            for p in t.children:
                if p.dep_ == "pobj":
                    out.extend(actors(ctx, p, PARTICIPANTS))
                    if p.lemma_ in HEAD_NOUNS:
                        # "talks with the head of the regional administration, Tadesse Werede": the
                        # person named after the title, however the parser hangs the name
                        out.extend(a for x in p.subtree if x.dep_ == "appos" and x.pos_ == "PROPN"
                                   for a in actors(ctx, x, ("Person",)) if a not in out)
    return out


HEAD_NOUNS = {"head", "leader", "chief", "chairman", "president", "governor", "commander"}


def _talk_who(ctx: Ctx, noun: Token):
    """The participants a talks noun names: 'between X and Y', 'with Y', 'X's meeting with Y'."""
    who = _with_between(ctx, noun)
    for c in (c for c in noun.children if c.dep_ == "acl" and c.lemma_ in ("pit", "involve", "bring")):
        # "negotiations pitting the army against the RSF", "talks involving X and Y"
        who += [a for o in c.children if o.dep_ == "dobj" for a in actors(ctx, o, PARTICIPANTS)]
        who += [a for p in c.children if p.dep_ == "prep" and p.lower_ in ("against", "with")
                for o in p.children if o.dep_ == "pobj" for a in actors(ctx, o, PARTICIPANTS)]
    for c in (c for c in noun.children if c.dep_ == "poss"):
        got = actors(ctx, c, PARTICIPANTS)
        if not got and c.lower_ in ("his", "her", "their", "its") and ctx.mention(c) is None and noun.dep_ == "pobj":
            # "Following his meeting with X, Cole said …": the subject of the clause the phrase opens
            verb = noun.head.head
            if verb.pos_ == "VERB" and verb.i > noun.i:
                got = [a for s in subjects(verb) for a in actors(ctx, s, PARTICIPANTS)]
        who += got
    return who


def _pattern_meetings(ctx: Ctx, sent):
    """Meetings in the shapes of `data/patterns/meeting.json`: delegations travelling to a city for
    talks, talks held or resumed in a city, someone sitting down with or between others, a signing
    with someone."""
    out = []
    for m in matches_in_sentence(ctx, sent, "meeting"):
        rid, tk = m.rule.id, m.tokens
        trig = tk.get("trigger") or tk.get("verb")
        head = tk.get("verb") or trig
        if negated(head, ctx.lex) or _hedged(ctx, head):
            continue
        who, where = [], None
        if rid in ("meeting.arrive_for_talks", "meeting.arrive_to_negotiate", "meeting.delegation_arrives"):
            if trig.lemma_ == "leave" and not any(c.dep_ == "prep" and c.lower_ in ("for", "to") for c in trig.children):
                continue  # "left Cairo" ends a visit
            if rid == "meeting.delegation_arrives" and trig.lemma_ in ("return", "go", "come", "leave") and \
                    not any(c.dep_ == "prep" and c.lower_ == "for" for c in trig.children):
                continue  # "the delegation returned to Kyiv": home, not to talks
            if rid == "meeting.arrive_to_negotiate" and tk["purpose"].lemma_ in (
                    "resume", "restart", "hold", "join", "attend", "start", "begin", "open", "continue", "commence") and \
                    not any(c.dep_ == "dobj" and c.lemma_ in TALK_NOUNS for c in tk["purpose"].children):
                continue
            subs = subjects(trig)
            who = [a for s in subs for a in actors(ctx, s, PARTICIPANTS)]
            if not who:
                continue
            who += [a for s in subs for a in _members(ctx, s)]
            who += _talk_with(ctx, tk.get("talks") or tk.get("purpose") or trig)
            if rid == "meeting.arrive_to_negotiate" and tk["purpose"].lemma_ == "meet":  # "flew to Doha to meet X"
                who += [a for o in tk["purpose"].children if o.dep_ == "dobj" for a in actors(ctx, o, PARTICIPANTS)]
            where = _place_in(ctx, trig)
            if where is None:
                continue
        elif rid == "meeting.delegation_travelling":
            # "an Israeli delegation left for Doha, to restart negotiations with Hamas" parsed with
            # 'left' hanging on 'delegation': the journey is read, less surely
            if any(c.dep_ == "agent" or c.lower_ == "by" for c in trig.children):
                continue  # "a delegation headed by X" is led, not travelling
            who = actors(ctx, tk["who"], PARTICIPANTS)
            where = _place_in(ctx, trig)
            if not who or where is None:
                continue
            who += _members(ctx, tk["who"])
            talks = [t for t in sent if t.lemma_ in TALK_NOUNS and t.pos_ == "NOUN"]
            who += [a for t in talks for a in _talk_with(ctx, t)]
            out.append((trig, who, where, rid, 0.7, None))
            continue
        elif rid == "meeting.delegation_in_city":
            # "the opposition delegation in Astana": a delegation is in a city for talks
            who = actors(ctx, trig, PARTICIPANTS)
            where = _location(ctx, trig)
            if not who or where is None or ctx.cls(where[0]) != "Place":
                continue
        elif rid == "meeting.delegation_members":
            # "… a delegation left for Doha for talks. The delegation is made up of X, Y and …":
            # the members were at the meeting just reported
            objs = [c for c in trig.children if c.dep_ == "dobj"] + passive_agents(trig) + [
                p for c in trig.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pobj"]
            members = [a for o in objs for a in _people_listed(ctx, o)]
            prev = _previous_meeting(ctx, trig, {e for e, _ in actors(ctx, tk["who"], PARTICIPANTS)})
            if not members or prev is None:
                continue
            loc = prev.args.get("location", [None])[0]
            out.append((trig, members, (loc, None) if loc else None, rid, None, prev.evidence[0]))
            continue
        elif rid == "meeting.led_delegation_at_talks":
            # "X, who led the Russian delegation at the talks in Istanbul": X and the side whose
            # delegation it was were at those talks
            who = [a for s_ in subjects(trig) for a in actors(ctx, s_, PARTICIPANTS)]
            if not who:
                continue
            who += [a for a in actors(ctx, tk["who"], PARTICIPANTS) if a[0] not in {e for e, _ in who}]
            where = _location(ctx, tk["talks"]) or _location(ctx, trig)
            if where is None:
                continue
        elif rid == "meeting.in_presence_of":
            # "The ceremony took place in the presence of X", "X and Y signed … in the presence of Z"
            verb = tk["verb"]
            if verb.lemma_ == "take" and not any(c.lemma_ == "place" for c in verb.children):
                continue
            who = [a for s in subjects(verb) for a in actors(ctx, s, PARTICIPANTS)] + actors(ctx, tk["named"], PARTICIPANTS)
            where = _location(ctx, verb)
            inside = {t.i for t in tk["in"].subtree}
            if where is not None and (where[1] is None or where[1].start in inside):
                where = None  # "in the presence of Qatar's emir" names no place
            trig = verb
        elif rid == "meeting.received_visitor":
            # "Sisi received a Hamas delegation led by X in Cairo": host and guests met; only
            # people and delegations are received this way (not letters, bodies or proposals)
            guest = tk["guest"]
            gm = ctx.mention(guest)
            if not (gm is not None and len(gm.entities) == 1 and ctx.cls(gm.entity) == "Person") and \
                    guest.lemma_ not in ("delegation", "envoy", "emissary", "negotiator", "minister", "delegate"):
                continue
            who = [a for s_ in subjects(trig) for a in actors(ctx, s_, PARTICIPANTS)]
            guests = actors(ctx, guest, PARTICIPANTS) + _members(ctx, guest)
            if not who or not guests:
                continue
            who += guests
            where = _location(ctx, trig) or _location(ctx, guest) or next(
                (w for c in guest.children if c.dep_ == "acl" for w in [_location(ctx, c)] if w), None)
        elif rid == "meeting.left_after_talks":
            # "the delegation left Cairo after two days of talks with Egyptian officials": they met there
            after = tk["after"]
            if not any(t.lemma_ in TALK_NOUNS | {"meet"} for t in after.subtree):
                continue
            pm = ctx.mention(tk["place"])
            if pm is None or len(pm.entities) != 1 or ctx.cls(pm.entity) != "Place":
                continue
            who = [a for s_ in subjects(trig) for a in actors(ctx, s_, PARTICIPANTS)]
            if not who:
                continue
            who += _talk_with(ctx, after) + [a for t in after.subtree if t.lemma_ == "meet" and t.pos_ == "VERB"
                                             for o in t.children if o.dep_ == "dobj" for a in actors(ctx, o, PARTICIPANTS)]
            where = (pm.entity, pm)
        elif rid in ("meeting.expected_in", "meeting.due_in"):
            # "An Israeli delegation is expected in Cairo on Tuesday", "envoy X is due in Beirut next
            # week (to meet Y)": a visit for talks; only delegations, envoys and the like, or a
            # visit whose purpose is a meeting ("A ruling is expected in March" is no visit)
            verb = tk.get("verb") or trig
            subs = [c for c in verb.children if c.dep_ == "nsubjpass"] or subjects(verb)
            who = [a for s_ in subs for a in actors(ctx, s_, PARTICIPANTS)]
            met = [a for c in {*trig.children, *verb.children} if c.dep_ in ("advcl", "xcomp") and c.lemma_ == "meet"
                   for o in c.children if o.dep_ == "dobj" for a in actors(ctx, o, PARTICIPANTS)]
            met += _talk_with(ctx, trig) if any(c.dep_ == "prep" and c.lower_ == "for" for c in trig.children) else []
            envoy = any(s_.lemma_.lower() in VISITORS or any(c.lemma_.lower() in VISITORS for c in s_.children
                                                             if c.dep_ in ("compound", "appos", "amod"))
                        for s_ in subs) or any(
                f.cls == "Role" and f.values.get("title", "").split()[-1:] and f.values["title"].split()[-1] in VISITORS
                and e in f.args.get("holder", []) for f in ctx.facts for e, _ in who)
            where = _location(ctx, trig)
            if not who or where is None or not (envoy or met):
                continue
            who += [a for a in met if a[0] not in {e for e, _ in who}]
        elif rid == "meeting.send_delegation":
            who = [a for s in subjects(trig) for a in actors(ctx, s, PARTICIPANTS)]
            where = _place_in(ctx, trig, ("to",))
            if where is None:
                continue
        elif rid in ("meeting.talks_held_in", "meeting.they_resumed_in", "meeting.days_of_talks_in",
                     "meeting.some_rounds_held_in"):
            verb, noun = tk["verb"], trig
            if rid == "meeting.they_resumed_in":
                # "Talks between X and Y were suspended …, but they restarted in Caracas"
                cands = [verb.head, *[c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]]
                noun = next((c for c in cands if noun_lemma(c) in TALK_NOUNS), None)
                if noun is None:
                    continue
            if verb.lemma_ == "take" and not any(c.lemma_ == "place" for c in verb.children):
                continue  # "took place in …", not "took …"
            if verb.lemma_ in ("get", "go") and not any(c.lower_ in ("under", "ahead") for c in verb.subtree):
                continue  # "got under way", "went ahead"
            for v in [verb, *[c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB" and
                              not any(x.dep_ in ("nsubj", "nsubjpass") for x in c.children)]]:
                where = _location(ctx, v)
                if where is None:
                    continue
                who = _talk_who(ctx, noun) or _with_between(ctx, verb)
                if not who and rid == "meeting.they_resumed_in" or (not who and any(
                        c.dep_ in ("det", "poss") and c.lower_ in ("the", "their", "these", "those") for c in noun.children)):
                    who = [(SIDES, None)]  # "the talks resumed in Doha": the article's two sides
                if who:
                    out.append((noun, who, where, rid, None, None))
            continue
        elif rid == "meeting.sit_with":
            who = [a for s in subjects(trig) for a in actors(ctx, s, PARTICIPANTS)]
            if not who and trig.dep_ == "relcl":
                # "Carboni, the ICRC director for the Middle East, who sat between …": the parser may
                # hang the clause on the title's last noun; the person is further up
                who = next(([(m.entity, m)] for t in list(trig.ancestors)[:5] for m in [ctx.mention(t)]
                            if m is not None and len(m.entities) == 1 and ctx.cls(m.entity) == "Person"), [])
            for c in trig.children:
                if c.dep_ == "prep" and c.lower_ in ("between", "with", "across", "opposite", "alongside"):
                    who += [a for p in c.subtree if p.dep_ == "pobj" for a in actors(ctx, p, PARTICIPANTS)]
            where = _location(ctx, trig) or next((w for c in trig.children if c.dep_ == "prep" for p in c.children
                                                  if p.dep_ == "pobj" for w in [_location(ctx, p)] if w), None)
            if len(who) < 2 and where is None:
                continue
        elif rid == "meeting.sign_with":
            subj = [a for s in subjects(trig) for a in actors(ctx, s, PARTICIPANTS)]
            withs = [a for p in tk["with"].children if p.dep_ == "pobj" for a in actors(ctx, p, PARTICIPANTS)]
            obj = tk["with"].head  # "deals with the UN chief as well as Turkey's defence minister"
            if obj.pos_ == "NOUN" and any(c.dep_ == "cc" and c.lower_ == "as" for c in obj.children):
                withs += [a for x in obj.children if x.dep_ == "conj" for a in actors(ctx, x, ("Person",))]
            where = _location(ctx, trig)
            if not subj or not withs:
                continue
            if where is None and not all(ctx.cls(e) == "Person" for e, _ in subj + withs):
                continue  # people who sign with each other meet; states may sign apart
            who = subj + withs
        if who:
            out.append((trig, who, where, rid, None, None))
    return out
