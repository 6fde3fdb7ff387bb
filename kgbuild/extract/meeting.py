"""kgo:Meeting: who met, where and when.

"Spy chiefs from the three countries met … in Paris", "a meeting between officials from Egypt,
Israel and the United States", "indirect talks in Cairo, where Egyptian officials shuttled between
Israeli and Hamas negotiators", "X held talks with Y in Z". Participants are the subject of
'meet', 'with' and 'between' phrases; the location is an 'in'/'at' place.
"""
from __future__ import annotations

from spacy.tokens import Token

from .common import (Ctx, actors, conjuncts, hedged, negated, noun_lemma, passive_agents, subjects, time_text,
                     with_governor)
from ..entities import PLACE_NOUNS, SIDES
from ..resources import norm
from .mediation import clause_sides

PARTICIPANTS = ("Country", "Organization", "Person", "Group")


def _location(ctx: Ctx, tok: Token):
    """The place of an 'in'/'at' phrase: 'in the French capital Paris' is Paris, not France."""
    preps = [c for c in tok.children if c.dep_ == "prep" and (c.lower_ in ("in", "at") or c.lower_ == "on" and any(
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
    """'Kyiv, where he met Zelensky': the place a 'where' clause hangs on."""
    if verb.dep_ == "relcl" and any(c.lower_ == "where" for c in verb.children):
        m = ctx.mention(verb.head)
        if m is not None and len(m.entities) == 1 and ctx.cls(m.entity) == "Place":
            return m.entity, m
    return None


def _with_between(ctx: Ctx, tok: Token):
    out = []
    for c in (c for t in with_governor(tok) for c in t.children):
        if c.dep_ == "prep" and c.lower_ in ("with", "between"):
            for p in c.children:
                if p.dep_ == "pobj":
                    out.extend(actors(ctx, p, PARTICIPANTS))
    return out


def extract(ctx: Ctx) -> None:
    lex = ctx.lex["meeting"]
    for sent in ctx.sentences():
        for tok in sent:
            lemma = tok.lemma_.lower()
            who, where, rule = [], None, None
            sat_down = lemma == "sit" and any(c.lower_ == "down" for c in tok.children)
            if tok.pos_ == "VERB" and (lemma in ("meet", "gather", "convene") or sat_down):
                if negated(tok, ctx.lex) or hedged(tok, ctx.lex):
                    continue
                who = [a for s in subjects(tok) for a in actors(ctx, s, PARTICIPANTS)] + _with_between(ctx, tok)
                if lemma == "meet":  # "Lukashenko met Keith Kellogg in Minsk"
                    who += [a for o in tok.children if o.dep_ == "dobj" for a in actors(ctx, o, PARTICIPANTS)]
                where, rule = _location(ctx, tok) or _where_clause(ctx, tok), f"meeting:{lemma}"
                if where is None:  # "sat down with a Ukrainian delegation in Istanbul"
                    where = next((w for c in tok.children if c.dep_ == "prep" and c.lower_ == "with"
                                  for p in c.children if p.dep_ == "pobj" for w in [_location(ctx, p)] if w), None)
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
            elif tok.pos_ == "VERB" and lemma == "hold" and any(
                    c.dep_ == "dobj" and c.lemma_ in lex["hold_objects"] for c in tok.children):
                if negated(tok, ctx.lex) or hedged(tok, ctx.lex):
                    continue
                obj = next(c for c in tok.children if c.dep_ == "dobj" and c.lemma_ in lex["hold_objects"])
                who = [a for s in subjects(tok) for a in actors(ctx, s, PARTICIPANTS)] + _with_between(ctx, obj)
                where, rule = _location(ctx, tok) or _location(ctx, obj), "meeting:hold-talks"
            elif tok.pos_ in ("NOUN", "PROPN") and noun_lemma(tok) in ("meeting", "talk", "summit", "negotiation", "round") \
                    and tok.lower_ not in ("talk", "negotiation"):
                lemma = noun_lemma(tok)
                if tok.head.pos_ == "VERB" and (negated(tok.head, ctx.lex) or hedged(tok.head, ctx.lex)):
                    continue
                who = _with_between(ctx, tok)
                where = _location(ctx, tok)
                for c in tok.children:  # "talks in Cairo, where Egyptian officials shuttled between …"
                    if c.dep_ == "relcl" and any(x.lower_ == "where" for x in c.children):
                        who += [a for s in subjects(c) for a in actors(ctx, s, PARTICIPANTS)] + _with_between(ctx, c)
                rule = f"meeting:noun-{lemma}"
                if not who and where is not None:
                    # "… signed an agreement after negotiations in Pretoria": the signatories met
                    who = clause_sides(ctx, tok, set())
                if not who and where is not None and tok.tag_ in ("NNS", "NNPS"):
                    who = [(SIDES, None)]  # "the negotiations in Dar es Salaam": the article's two sides
                if not who or (where is None and len(who) < 2):
                    continue
            else:
                continue
            earlier = None
            if where is None and tok.pos_ == "NOUN" and tok.tag_ == "NN" and _definite_the(tok):
                earlier = _previous_meeting_place(ctx, tok)  # "… talks in Ohrid. The meeting between X and Y …"
                if earlier is not None:
                    where = (earlier[0], None)
            if where is not None:
                place = norm(ctx.ents.entities[where[0]].label) if where[0] in ctx.ents.entities else where[0]
                who = [w for w in who if w[0] != where[0] and not (
                    w[0] in ctx.ents.entities and norm(ctx.ents.entities[w[0]].label) == place)]  # Mali does not meet in Mali
            if not who:
                continue
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
