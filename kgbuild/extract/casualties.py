"""kgo:CasualtyReport: counts of killed or injured with the source that claims them.

"killing at least 1,139 people, according to Israeli figures", "in which some 1,200 people were
killed", "has since killed more than 14,000 Palestinians, the health ministry … says",
"more than 30 people have died". The claim's source is an 'according to'/'citing' phrase, or the
speaker of the reporting verb the sentence hangs on.
"""
from __future__ import annotations

from spacy.tokens import Token

from .common import Ctx, actors, hedged, negated, passive_agents, quantity
from .patterns import matches

VICTIM_DEPS_ACTIVE = ("dobj",)
VICTIM_DEPS_PASSIVE = ("nsubjpass", "nsubj")


def extract(ctx: Ctx) -> None:
    lex = ctx.lex["casualties"]
    killed, injured = set(lex["killed_verbs"]), set(lex["injured_verbs"])
    for m in matches(ctx.doc, "casualties"):
        _shape(ctx, m)
    for sent in ctx.sentences():
        _death_nouns(ctx, sent)
        _lives(ctx, sent)
        for verb in ctx.with_words(killed | injured, (), sent.start, sent.end):
            lemma = verb.lemma_.lower()
            if verb.pos_ != "VERB":
                continue
            if negated(verb, ctx.lex) or hedged(verb, ctx.lex):
                continue
            kind = "killed" if lemma in killed else "injured"
            victims = [c for c in verb.children if c.dep_ in (VICTIM_DEPS_ACTIVE if lemma not in ("die",) else ("nsubj",))]
            if any(c.dep_ in ("nsubjpass",) for c in verb.children) or lemma == "die":
                victims = [c for c in verb.children if c.dep_ in VICTIM_DEPS_PASSIVE]
            if verb.dep_ == "acl" and verb.tag_ == "VBN":
                victims.append(verb.head)
            if not victims and lemma in killed | injured and verb.tag_ in ("VBN", "VBD", "VBG"):
                # "has since killed more than 14,000 Palestinians, the ministry says": the parser may
                # lose the object; it is the counted noun right after the verb
                after = [t for t in verb.doc[verb.i + 1: min(verb.i + 6, verb.sent.end)]
                         if t.pos_ in ("NOUN", "PROPN") and quantity(t)[0] is not None]
                victims = after[:1]
            victims += [c for v in victims for c in v.children if c.dep_ == "conj" and quantity(c)[0] is not None]
            for v in victims:
                count, qual, _ = quantity(v)
                if count is None or count < 1 or 1900 <= count <= 2100 and qual == "exact" and not v.like_num:
                    continue
                reporter = _source(ctx, verb)
                f = ctx.new("CasualtyReport", f"casualties:{lemma}", verb, [reporter[1]] if reporter else [])
                f.values.update({"count": count, "countQualifier": qual, "casualtyKind": kind})
                if reporter:
                    f.add("reportedBy", reporter[0])


def _shape(ctx: Ctx, m) -> None:
    """Shapes kept in patterns/casualties.json: 'put the death toll at 2,700' (the subject reports
    it), 'claimed the lives of 3,000 soldiers'."""
    verb, counted = m.tokens["trigger"], m.tokens["count"]
    if verb.idx < ctx.body_start or negated(verb, ctx.lex) or hedged(verb, ctx.lex):
        return
    toll = m.tokens.get("toll")
    if toll is not None and toll.lemma_ == "loss":
        # "the group put its own losses at nine": its dead; not "put economic losses at $2 billion"
        if toll.tag_ != "NNS" or any(t.tag_ == "$" or t.lower_ in ("percent", "%", "dollars", "euros")
                                     for t in counted.subtree) or any(
                c.lemma_ in ("economic", "financial", "material", "territorial", "revenue") for c in toll.children):
            return
    elif m.rule.id == "casualties.put_toll_at" and not any(
            c.lemma_ in ("death", "casualty", "fatality") for c in m.tokens["toll"].subtree) and m.tokens["toll"].lemma_ != "toll":
        return  # "put the number of prisoners at 300" counts no dead
    count, qual, _ = quantity(counted)
    if count is None:
        return
    if m.rule.id == "casualties.put_toll_at":
        reporter = next((a for s in verb.children if s.dep_ == "nsubj" for a in actors(ctx, s)), None) or _source(ctx, verb)
    else:
        reporter = _source(ctx, verb)
    f = ctx.new("CasualtyReport", m.rule.id.replace(".", ":", 1), verb,
                [reporter[1]] if reporter else [])
    f.values.update({"count": count, "countQualifier": qual, "casualtyKind": "killed"})
    if reporter:
        f.add("reportedBy", reporter[0])


def _lives(ctx: Ctx, sent) -> None:
    """'a conflict that has claimed more than 220,000 lives', 'the war cost 30,000 lives'."""
    for tok in ctx.with_words(("life",), (), sent.start, sent.end):
        if tok.dep_ != "dobj" or tok.head.lemma_ not in ("claim", "cost", "take"):
            continue
        verb = tok.head
        count, qual, _ = quantity(tok)
        if count is None or negated(verb, ctx.lex) or hedged(verb, ctx.lex):
            continue
        reporter = _source(ctx, verb)
        f = ctx.new("CasualtyReport", f"casualties:{verb.lemma_}-lives", verb, [reporter[1]] if reporter else [])
        f.values.update({"count": count, "countQualifier": qual, "casualtyKind": "killed"})
        if reporter:
            f.add("reportedBy", reporter[0])


def _death_nouns(ctx: Ctx, sent) -> None:
    """'Cambodia's defence ministry reported 13 deaths', 'a death toll of 120'."""
    report = set(ctx.lex["report_verbs"]) | {"record", "confirm", "cause", "count"}
    for tok in ctx.with_words(("death", "fatality", "casualty", "injury"), (), sent.start, sent.end):
        if tok.pos_ != "NOUN":
            continue
        count, qual, _ = quantity(tok)
        gov = tok.head
        if count is None or tok.dep_ != "dobj" or gov.lemma_ not in report or negated(gov, ctx.lex) or hedged(gov, ctx.lex):
            continue
        by = next((a for s in gov.children if s.dep_ == "nsubj" for a in actors(ctx, s)), None)
        f = ctx.new("CasualtyReport", f"casualties:noun-{tok.lemma_}", tok, [by[1]] if by else [])
        f.values.update({"count": count, "countQualifier": qual,
                         "casualtyKind": "injured" if tok.lemma_ == "injury" else "killed"})
        if by:
            f.add("reportedBy", by[0])


def _source(ctx: Ctx, verb: Token):
    """'according to X' / 'citing X' anywhere in the clause, else the speaker of the reporting verb
    the clause is the complement of ('…, the health ministry says')."""
    sent = verb.sent
    for t in sent:
        if t.lower_ == "according" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "to":
            for p in t.doc[t.i + 1].children:
                if p.dep_ == "pobj":
                    got = actors(ctx, p)
                    if got:
                        return got[0]
        if t.lower_ == "citing":
            for p in t.children:
                if p.dep_ == "dobj":
                    got = actors(ctx, p)
                    if got:
                        return got[0]
    report = set(ctx.lex["report_verbs"]) | {"estimate", "find", "count", "record"}
    t = verb
    # only up through reported clauses: in "Kosovo declared independence after a war in which
    # 13,000 people were killed", Kosovo reports nothing about the dead
    while t.dep_ in ("ccomp", "conj", "parataxis", "xcomp") and t.head.i != t.i:
        t = t.head
    candidates = [t] + [c for c in t.children if c.dep_ in ("parataxis", "conj", "ccomp") and c.lemma_ in report]
    if t.lemma_ in report or len(candidates) > 1:
        for c in candidates:
            if c.lemma_ in report:
                for s in (x for x in c.children if x.dep_ == "nsubj"):
                    got = actors(ctx, s)
                    if not got and s.lemma_ in ("study", "report", "survey", "estimate", "count", "tally"):
                        # "a study published by X estimated …"
                        got = [a for x in s.children if x.dep_ == "acl" for p in passive_agents(x) for a in actors(ctx, p)]
                    if got:
                        return got[0]
    return None
