"""What parties say and ask: kgo:Statement, kgo:Demand, kgo:Proposal (with rejections and
acceptances).

- Statement: the subject of a reporting verb ("said", "told", "announced", "accused", "hailed").
- Demand: "X demanded …", "X pressed for …", "X called for …", "the group's demand".
- Proposal: "X proposed …", "X put a proposal to …", "a proposal by X", "a US proposal".
- Rejection: "X rejected a proposal by Y", "X rejected the group's demand", "X voted against the
  agreement", "a formula that Y has not accepted".
Negated or hedged verbs make no fact, except that a negated acceptance is a rejection.
"""
from __future__ import annotations

from spacy.tokens import Token

from .common import QUOTES, Ctx, actors, hedged, is_medium, negated, passive_agents, subjects
from .common import inside_quote as _inside_quote

PROPOSAL_OBJECTS = {"proposal", "draft", "text", "accord", "document", "settlement", "amendment", "offer", "plan", "demand", "condition", "precondition", "deal", "agreement",
                    "initiative", "formula", "framework", "blueprint", "terms", "idea", "request", "call",
                    "counterproposal", "counter-proposal", "counteroffer", "change"}
PUT_VERBS = {"put", "make", "present", "submit", "table", "send", "deliver", "hand", "draft", "unveil", "float",
             "offer", "relay", "forward"}


def _speakers(ctx: Ctx, verb: Token):
    out = []
    if verb.tag_ == "VBG" and verb.dep_ == "advcl" and verb.head.dep_ == "ccomp" and \
            verb.head.head.lemma_ in ctx.lex["report_verbs"] and not any(c.dep_ == "nsubj" for c in verb.children):
        # "X underlined that A and B would sign …, saying …": the parser hangs 'saying' inside what X
        # said; it is X who says it
        verb = verb.head.head
    if _reporters_own(verb, ctx.lex) or _reporters_past(verb, ctx.lex):
        verb = verb.head.head
    for s in subjects(verb):
        if s.lemma_.lower() in PROPOSAL_OBJECTS and sum(c.dep_ == "nsubj" for c in verb.children) > 1:
            continue  # the misparsed object of "a demand Kyiv rejected"
        if s.lemma_.lower() in ctx.lex["statement_nouns"] and ctx.mention(s) is None:
            # "said a joint US-Saudi statement", "the ministry's statement said": whose statement
            out.extend(a for c in s.children if c.dep_ in ("compound", "amod", "poss", "nmod")
                       for x in c.subtree for a in actors(ctx, x) if ctx.mention(x) is not None)
            out.extend(a for c in s.children if c.dep_ == "prep" and c.lower_ in ("by", "from")
                       for p in c.children if p.dep_ == "pobj" for a in actors(ctx, p))
            continue
        out.extend(actors(ctx, s))
    if not out and verb.dep_ == "conj" and verb.head.dep_ == "ccomp" and not any(
            c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        # "Kurti said the agreement was binding and called on the EU …": the parser hangs the
        # second verb inside what was said; its subject is the speaker's
        out = [a for s in subjects(verb.head.head) for a in actors(ctx, s)]
    if not out and verb.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        # "… persist as Hamas insists on X, calls for Y and wants Z": the parser hangs the list of
        # verbs on the main clause; their subject is that of the first verb of the list
        first = next((c for c in verb.head.children if c.dep_ in ("advcl", "conj") and c.i < verb.i
                      and c.pos_ in ("VERB", "AUX") and any(x.dep_ == "nsubj" for x in c.children)), None)
        if first is not None:
            out = [a for s in subjects(first) for a in actors(ctx, s)]
    return out


def _quote(verb: Token) -> str:
    comp = [c for c in verb.children if c.dep_ in ("ccomp", "dobj", "xcomp")]
    span = verb.sent if not comp else verb.doc[comp[0].left_edge.i: comp[0].right_edge.i + 1]
    return span.text.strip(" \"“”'‘’,.")


def extract(ctx: Ctx) -> None:
    lex = ctx.lex
    report = set(lex["report_verbs"])
    acts = (set(lex["rejection"]["negated_accept"]) | set(lex["demand"]["verbs"]) | set(lex["proposal"]["verbs"])
            | PUT_VERBS | {"issue", "vote", "say"} | set(lex["rejection"]["verbs"]) | set(lex["acceptance"]["verbs"]))
    cues = report | OBLIGATION_REPORTS | acts | set(PROPOSAL_OBJECTS)  # every branch below starts from one
    seen: set[tuple] = set()
    for sent in ctx.sentences():
        _according_to(ctx, sent, seen)
        for tok in ctx.with_words(cues, (), sent.start, sent.end):
            if tok.pos_ not in ("VERB", "AUX") and not (tok.pos_ == "NOUN" and tok.lemma_ in PROPOSAL_OBJECTS):
                continue
            lemma = tok.lemma_.lower()
            if tok.pos_ == "NOUN":
                _nominal(ctx, tok, seen)
                continue
            if lemma == "call" and not any(c.dep_ in ("oprd", "xcomp", "ccomp") for c in tok.children):
                pass  # "called for a deal" is a demand; "called it 'a mistake'" is a statement
            elif lemma in report and not negated(tok, lex) and not _object_relative(tok):
                for eid, m in _speakers(ctx, tok):
                    if _medium(ctx, eid):
                        continue
                    key = ("Statement", eid, sent.start)
                    if key not in seen:
                        seen.add(key)
                        f = ctx.new("Statement", f"statement:{lemma}", tok, [m])
                        f.add("speaker", eid)
                        f.values["quote"] = _quote(tok)[:500]
            if lemma in OBLIGATION_REPORTS and not negated(tok, lex) and not _object_relative(tok):
                _obligation(ctx, tok, seen)
            if lemma not in acts:
                continue  # none of the stances below (reading negation and hedges costs)
            if _negated(tok, lex) or _hedged(tok, lex):
                if lemma in lex["rejection"]["negated_accept"] and _negated(tok, lex) and not _hedged(tok, lex):
                    _rejection(ctx, tok, seen, rule="rejection:not-accept")
                continue
            if lemma in lex["demand"]["verbs"]:
                _demand(ctx, tok, seen)
            if lemma in lex["proposal"]["verbs"]:
                _proposal_verb(ctx, tok, seen)
            if lemma in PUT_VERBS | {"issue"} and _listed_demands(tok):
                _demand_list(ctx, tok, seen)
            if lemma in lex["rejection"]["verbs"] or (lemma == "vote" and any(
                    c.lower_ == "against" for c in tok.children)) or (lemma == "say" and any(
                    c.lower_ == "no" and c.dep_ in ("dobj", "npadvmod", "intj", "advmod") for c in tok.children)):
                _rejection(ctx, tok, seen, rule=f"rejection:{lemma}")
            if lemma in lex["acceptance"]["verbs"]:
                _acceptance(ctx, tok, seen)
        _quoted_demands(ctx, sent, seen)


def _adjunct(tok: Token) -> bool:
    """', rejecting a US proposal', ', calling for talks': a participle set off by a comma is a stance
    of its own, not under the main verb's 'not' or 'will' ('will not disarm, rejecting …')."""
    return tok.tag_ == "VBG" and tok.dep_ == "advcl" and tok.i > tok.head.i and \
        tok.doc[tok.i - 1].text in (",", "\u201d", '"') and not any(c.dep_ in ("mark", "aux") for c in tok.children)


def _reporters_own(tok: Token, lex: dict) -> bool:
    """'X said the government would "not bargain" and urged Y to …': a past verb joined to a
    bare verb under a modal, inside what X said, is X's own act; the modal and 'not' are not its."""
    head = tok.head
    return tok.dep_ == "conj" and tok.tag_ == "VBD" and head.tag_ == "VB" and head.dep_ == "ccomp" and \
        head.head.lemma_ in lex["report_verbs"] and not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children) \
        and any(c.dep_ == "aux" and c.lower_ in ("would", "will", "could", "can", "should", "must", "wo", "ca")
                for c in head.children)


def _reporters_past(tok: Token, lex: dict) -> bool:
    """'X told reporters that Russia continues to block access, and called on the Red Cross to act':
    a past verb with no subject joined to a present-tense verb of what a past report verb said
    does not share that verb's subject; it is the reporter's own act."""
    head = tok.head
    return tok.dep_ == "conj" and tok.tag_ == "VBD" and head.tag_ in ("VBZ", "VBP") and head.dep_ == "ccomp" and \
        head.head.tag_ == "VBD" and head.head.lemma_ in lex["report_verbs"] and \
        not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)


def _negated(tok: Token, lex: dict) -> bool:
    if _adjunct(tok) or _reporters_own(tok, lex):
        return any(c.dep_ == "neg" for c in tok.children)
    return negated(tok, lex)


def _hedged(tok: Token, lex: dict) -> bool:
    return False if _adjunct(tok) or _reporters_own(tok, lex) else hedged(tok, lex)


SPEAKING_NOUNS = {"official", "spokesman", "spokeswoman", "spokesperson", "minister", "negotiator", "diplomat",
                  "envoy", "aide", "representative", "leader", "commander"}


def _medium(ctx: Ctx, eid: str) -> bool:
    return is_medium(ctx, eid)


def _according_to(ctx: Ctx, sent, seen: set) -> None:
    """'according to the defence ministry', 'according to a statement issued by X', 'X said in a
    statement': whoever the claim is attributed to made a statement."""
    cas = ctx.lex["casualties"]
    figures = set(cas["killed_verbs"]) | set(cas["injured_verbs"]) | set(cas["nouns_killed"]) | {"injury", "casualty"}
    according = ctx.with_words((), ("according",), sent.start, sent.end)
    if not according:
        return
    if ctx.with_words(figures, (), sent.start, sent.end):
        return  # 'killing 30, according to health officials': a source of figures, left to casualties
    for t in according:
        if t.lower_ != "according" or t.i + 1 >= len(t.doc) or t.doc[t.i + 1].lower_ != "to":
            continue
        for p in (c for c in t.doc[t.i + 1].children if c.dep_ == "pobj"):
            # a figure's source ('according to the health ministry') states nothing more: officials,
            # people and statements do
            heads = [p] if p.lemma_.lower() in SPEAKING_NOUNS or (
                ctx.mention(p) is not None and ctx.cls(ctx.mention(p).entity) == "Person") else []
            if p.lemma_.lower() in ctx.lex["statement_nouns"]:
                # "according to a statement issued by the ministry"
                heads = [a for c in p.children if c.dep_ == "acl" for a in passive_agents(c)]
                heads += [a for c in p.children if c.dep_ == "prep" and c.lower_ in ("by", "from")
                          for a in c.children if a.dep_ == "pobj"]
            for h in heads:
                for eid, m in actors(ctx, h):
                    key = ("Statement", eid, sent.start)
                    if key in seen or _medium(ctx, eid):
                        continue
                    seen.add(key)
                    f = ctx.new("Statement", "statement:according-to", t, [m])
                    f.add("speaker", eid)
                    f.values["quote"] = sent.text.strip()[:500]


OBLIGATION_REPORTS = {"say", "tell", "stress", "warn", "reiterate", "argue", "add", "declare", "write", "state"}


def _obligation(ctx: Ctx, verb: Token, seen: set) -> None:
    """'Qassem said Israel must leave completely', 'saying the rebels must first free the hostages':
    what a speaker says another side must do is a demand of the speaker. Not what the speaker's own
    side must do ('Netanyahu said Israel must stay strong'), nor 'we must'."""
    dm = ctx.lex["demand"]
    for comp in (c for c in verb.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")):
        if _names_condition(comp, dm):
            _obligation_fact(ctx, verb, comp, seen)
            continue
        if not (any(a.dep_ == "aux" and a.lower_ in ("must", "should") for a in comp.children) or _bound(comp, dm)):
            continue
        if negated(comp, ctx.lex) and not any(a.lower_ == "never" for a in comp.children):
            continue  # "must not be allowed" still demands; "need not" does not, and is rare
        targets = [a for s_ in (c for c in comp.children if c.dep_ in ("nsubj", "nsubjpass"))
                   for a in actors(ctx, s_)]
        if not targets:
            continue
        _obligation_fact(ctx, verb, comp, seen, targets)


def _obligation_fact(ctx: Ctx, verb: Token, comp: Token, seen: set, targets=()) -> None:
    for eid, m in _speakers(ctx, verb):
        if _medium(ctx, eid) or any(t == eid or _same_side(ctx, eid, t) for t, _ in targets):
            continue
        key = ("Demand", eid, verb.sent.start)
        if key in seen:
            continue
        seen.add(key)
        f = ctx.new("Demand", "demand:must", verb, [m])
        f.add("demandedBy", eid)
        f.values["text"] = comp.doc[comp.left_edge.i: comp.right_edge.i + 1].text.strip(" \"“”'‘’,.")[:500]


def _bound(comp: Token, dm: dict) -> bool:
    """'… that Hamas is required to hand over the bodies', 'Israel is obliged to withdraw': a side
    bound to an act, as the speaker puts it (the side is the clause's passive subject)."""
    return comp.lemma_ in dm["bound_verbs"] and any(a.dep_ == "auxpass" for a in comp.children) and \
        any(c.dep_ == "xcomp" for c in comp.children)


def _names_condition(comp: Token, dm: dict) -> bool:
    """'… that a full withdrawal remains a condition for any deal': the speaker's condition."""
    return comp.lemma_ in ("be", "remain") and not any(c.dep_ == "neg" or c.lower_ in ("no", "longer") for c in comp.children) and \
        any(c.dep_ == "attr" and c.lemma_.lower() in dm["condition_nouns"] for c in comp.children)


def _same_side(ctx: Ctx, speaker: str, target: str) -> bool:
    """Does the speaker act for the target ('Netanyahu' for Israel, the defence ministry for Russia)?"""
    e = ctx.ents.entities.get(speaker)
    if e is not None and getattr(e, "part_of", None) and target in ctx.ents.entities and \
            ctx.ents.entities[target].key == e.part_of:
        return True
    return any(f.cls == "Role" and speaker in f.args.get("holder", []) and target in f.args.get("roleOf", [])
               for f in ctx.facts)


def _listed_demands(verb: Token) -> bool:
    """'presented a list of 13 demands', 'issued demands'."""
    for o in (c for c in verb.children if c.dep_ == "dobj"):
        if o.lemma_ in ("demand", "condition") or o.lemma_ == "list" and any(
                p.lemma_ in ("demand", "condition") for c in o.children if c.lower_ == "of" for p in c.children):
            return True
    return False


def _demand_list(ctx: Ctx, verb: Token, seen: set) -> None:
    """Those who present demands demand, and propose their terms."""
    for eid, m in _speakers(ctx, verb):
        key = ("Demand", eid, verb.sent.start)
        if key not in seen:
            seen.add(key)
            f = ctx.new("Demand", "demand:presented", verb, [m])
            f.add("demandedBy", eid)
            f.values["text"] = _object_text(verb)
        _proposal(ctx, seen, verb, proposer=(eid, m), rule="proposal:presented-demands")


def _object_relative(verb: Token) -> bool:
    """'charges that he denies': the verb's object is the noun the clause modifies, so it
    reports nothing said."""
    return verb.dep_ == "relcl" and any(c.dep_ == "dobj" and c.lower_ in ("that", "which", "what") for c in verb.children)


def _demand(ctx: Ctx, verb: Token, seen: set) -> None:
    lemma = verb.lemma_.lower()
    preps = ctx.lex["demand"]["preps"].get(lemma)
    if lemma == "call" and any(c.dep_ == "prep" and c.lower_ in ("on", "upon") for c in verb.children):
        preps = None  # "called on the EU to make sure …"
    if lemma == "insist" and any(c.dep_ == "ccomp" and any(a.dep_ == "aux" and a.lower_ in ("must", "should")
                                                             for a in c.children) for c in verb.children):
        preps = None  # "Hamas insists the UN must supervise the aid"
    if preps is not None:
        has_prep = any(c.dep_ == "prep" and c.lower_ in preps for c in verb.children)
        has_obj_xcomp = any(c.dep_ == "dobj" for c in verb.children) and any(c.dep_ == "xcomp" for c in verb.children)
        if not (has_prep or has_obj_xcomp):
            return
    elif lemma == "urge":  # "urged the government to make concessions"
        if not (any(c.dep_ == "dobj" for c in verb.children) and any(c.dep_ == "xcomp" for c in verb.children)):
            return
    elif lemma == "expect":
        # "Egypt expects Israel to open the crossing": what a side expects another side to do; not
        # "expects talks to resume" (a forecast), so the object must be a side
        comps = [c for c in verb.children if c.dep_ in ("xcomp", "ccomp") and c.tag_ == "VB" and
                 any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)]
        objs = [c for c in verb.children if c.dep_ == "dobj"] + \
               [s_ for c in comps for s_ in c.children if s_.dep_ == "nsubj" and s_.i < c.i]
        speakers = {e for e, _ in _speakers(ctx, verb)}
        # present tense only: "the army expected M23 to attack" forecasts, "Egypt expects Israel to …" asks
        if verb.tag_ not in ("VBZ", "VBP") or not comps or hedged(verb, ctx.lex) or not any(e not in speakers for o in objs for e, _ in actors(ctx, o)):
            return
    elif lemma == "require":
        return
    elif lemma in ("want", "seek"):  # "wants the referendum", "seeks the release of": not "seeks to"
        if not any(c.dep_ == "dobj" and c.pos_ == "NOUN" for c in verb.children):
            return
    for eid, m in _speakers(ctx, verb):
        key = ("Demand", eid, verb.sent.start)
        if key in seen:
            continue
        seen.add(key)
        f = ctx.new("Demand", f"demand:{lemma}", verb, [m])
        f.add("demandedBy", eid)
        f.values["text"] = _object_text(verb)


def _quoted_demands(ctx: Ctx, sent, seen: set) -> None:
    """'"… call on both parties to engage …," said a joint statement': a demand inside a quote whose
    subject the parser lost is the demand of whoever the quote is attributed to (a fallback reading,
    confidence 0.6)."""
    speakers = [f for f in ctx.facts if f.cls == "Statement" and f.evidence and
                f.evidence[0].start <= sent.start_char < f.evidence[0].end]
    if not speakers:
        return
    for tok in ctx.with_words(("call", "urge", "demand"), (), sent.start, sent.end):
        if tok.pos_ not in ("VERB", "NOUN") or tok.lemma_ not in ("call", "urge", "demand") or not _inside_quote(tok):
            continue
        if _speakers(ctx, tok) or negated(tok, ctx.lex) or hedged(tok, ctx.lex):
            continue
        if not (tok.lemma_ == "call" and any(c.dep_ == "prep" and c.lower_ in ("on", "for", "upon") for c in tok.children)
                or tok.lemma_ != "call" and any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in tok.children)):
            continue
        for st in speakers:
            for eid in st.args.get("speaker", []):
                key = ("Demand", eid, sent.start)
                if key in seen:
                    continue
                seen.add(key)
                f = ctx.new("Demand", f"demand:{tok.lemma_}-quoted", tok, [])
                f.add("demandedBy", eid)
                f.values["text"] = _object_text(tok)
                f.values["confidence"] = 0.6


def _object_text(verb: Token) -> str:
    objs = [c for c in verb.children if c.dep_ in ("dobj", "prep", "xcomp", "ccomp") and c.i > verb.i]
    if not objs:
        return verb.sent.text.strip()
    return verb.doc[objs[0].left_edge.i: objs[-1].right_edge.i + 1].text.strip(" \"“”'‘’,.")[:500]


def _proposal_verb(ctx: Ctx, verb: Token, seen: set) -> None:
    lemma = verb.lemma_.lower()
    objs = [c for c in verb.children if c.dep_ in ("dobj", "xcomp", "ccomp")]
    if lemma in ("put", "present", "submit", "table", "offer") and lemma != "propose":
        if not any(o.lemma_ in PROPOSAL_OBJECTS for o in objs) and not (
                lemma == "put" and any(c.lower_ == "forward" for c in verb.children)):
            return
    if not objs and lemma != "propose":
        return
    for eid, m in _speakers(ctx, verb):
        _proposal(ctx, seen, verb, proposer=(eid, m), rule=f"proposal:{lemma}")


def _proposal(ctx: Ctx, seen: set, anchor: Token, proposer=None, rejecter=None, accepter=None, rule=""):
    pe = proposer[0] if proposer else None
    key = ("Proposal", pe, rejecter[0] if rejecter else None, accepter[0] if accepter else None, anchor.sent.start)
    if key in seen:
        return
    seen.add(key)
    used = [x[1] for x in (proposer, rejecter, accepter) if x]
    f = ctx.new("Proposal", rule, anchor, used)
    if proposer:
        f.add("proposedBy", proposer[0])
    if rejecter:
        f.add("rejectedBy", rejecter[0])
    if accepter:
        f.add("acceptedBy", accepter[0])
    f.values["text"] = anchor.sent.text.strip()[:500]


def _owner(ctx: Ctx, noun: Token):
    """Whose proposal or demand: 'a proposal by Hamas', "the group's demand", 'a US proposal'."""
    got = _owners(ctx, noun)
    return got[0] if got else None


def _owners(ctx: Ctx, noun: Token) -> list:
    """Everyone who made it: 'a plan put forward by the US, Egypt and Saudi Arabia' is each one's."""
    for c in noun.children:
        if c.dep_ in ("poss", "compound", "amod", "nmod"):
            # "the Hamas counter-proposal": the owner may hang on a modifier of the noun
            for x in [c, *(g for g in c.children if g.dep_ in ("compound", "amod", "poss", "nmod"))]:
                got = actors(ctx, x)
                if got:
                    return got
        if c.dep_ == "relcl" and c.lemma_ in {"seek", "propose", "want", "demand", "request", "submit", "table",
                                              "offer", "put", "present"}:
            # "the changes Hamas sought", "the plan Egypt put forward"
            got = [a for s in (x for x in c.children if x.dep_ == "nsubj") for a in actors(ctx, s)]
            if got:
                return got
        if c.dep_ == "prep" and c.lower_ in ("by", "from", "of"):
            for p in c.children:
                if p.dep_ == "pobj":
                    got = actors(ctx, p)
                    if got:
                        return got
        if c.dep_ == "acl" and c.lemma_ in PUT_VERBS | {"propose", "draft", "seek", "request", "demand"}:
            # "a ceasefire proposal put forward by Egypt and Qatar"
            for p in passive_agents(c):
                got = actors(ctx, p)
                if got:
                    return got
    return []


def _rejection(ctx: Ctx, verb: Token, seen: set, rule: str) -> None:
    objs = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    subs = [c for c in verb.children if c.dep_ == "nsubj"]
    if len(subs) > 1:  # "…, a demand Kyiv rejected": the parser makes the demand a second subject
        objs += [c for c in subs if c.lemma_.lower() in PROPOSAL_OBJECTS]
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("against", "on")):
        objs += [p for p in prep.children if p.dep_ == "pobj"]
    if verb.dep_ == "relcl" and not objs:  # "a formula that Moscow has not accepted"
        objs = [verb.head]
    if verb.lemma_ == "say" and any(c.lower_ == "no" for c in verb.children):
        # "the rebels said no to the government's offer"
        objs = [p for c in verb.children if c.dep_ == "prep" and c.lower_ == "to" for p in c.children if p.dep_ == "pobj"]
    # "the RSF accepted the proposal, but the army rejected it": the pronoun is the proposal named before
    objs = [next((t for t in reversed(list(verb.sent)) if t.i < o.i and t.lemma_.lower() in PROPOSAL_OBJECTS), o)
            if o.lower_ in ("it", "this", "that") else o for o in objs]
    # "the government had proposed a joint committee, but the rebels rejected it": with no proposal
    # noun before it, the pronoun is what was just proposed
    recent = _recent_proposers(ctx, verb) if any(o.lower_ in ("it", "this") and o.dep_ == "dobj"
                                                 for o in objs) else []
    objs = [o for o in objs if o.lemma_.lower() in PROPOSAL_OBJECTS or recent and o.lower_ in ("it", "this")]
    if not objs:
        return
    rejecters = _speakers(ctx, verb)
    for obj in objs:
        owned = _owners(ctx, obj) if obj.lower_ not in ("it", "this") else []
        # "Egypt and Qatar have proposed X. Hamas rejected the idea": each proposer's proposal; a
        # demand just made only when the words name it so ("called for X, a proposal Moscow
        # rejected"), not "rejected a document that …" after someone's unrelated call
        demands = obj.lower_ in ("it", "this") or obj.lemma_.lower() in (
            "demand", "condition", "precondition", "request", "call") or verb.dep_ == "relcl" and verb.head.i == obj.i
        for owner in (owned or _recent_proposers(ctx, verb, demands) or [None]):
            _reject_one(ctx, seen, verb, obj, owner, rejecters, rule)


def _reject_one(ctx: Ctx, seen: set, verb: Token, obj: Token, owner, rejecters, rule: str) -> None:
    if owner and obj.lemma_.lower() in ("demand", "condition", "precondition") and rejecters:
        key = ("Demand", owner[0], verb.sent.start)
        if key not in seen:  # "Israel rejected the group's demand …": the group demanded it
            seen.add(key)
            d = ctx.new("Demand", "demand:rejected-demand", verb, [owner[1]])
            d.add("demandedBy", owner[0])
            d.values["text"] = obj.doc[obj.left_edge.i: obj.right_edge.i + 1].text
    for r in rejecters:
        if owner and owner[0] == r[0]:
            continue
        _proposal(ctx, seen, verb, proposer=owner, rejecter=r, rule=rule)


def _recent_proposers(ctx: Ctx, verb: Token, demands: bool = True) -> list:
    """'… had proposed a transitional arrangement, a proposal the government turned down': an
    unattributed proposal rejected right after one was made is that one (with all who made it)."""
    sent_start = verb.sent.start
    found: list = []
    at = None
    for f in reversed(ctx.facts):
        by = f.args.get("proposedBy") if f.cls == "Proposal" and not f.args.get("rejectedBy") else \
            f.args.get("demandedBy") if f.cls == "Demand" and demands else None
        if not by:
            continue
        ev = f.evidence[0]
        if at is None:
            if ev.end < ctx.doc[max(0, sent_start - 1)].idx - 400:
                break
            at = (ev.start, f.cls)
        elif (ev.start, f.cls) != at:
            break
        found += [(b, None) for b in by if (b, None) not in found]
    return found


def _acceptance(ctx: Ctx, verb: Token, seen: set) -> None:
    objs = [c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in ("proposal", "offer", "plan")]
    for obj in objs:
        for owner in _owners(ctx, obj):  # "a plan put forward by the US and Egypt" is each one's
            for a in _speakers(ctx, verb):
                if a[0] != owner[0]:
                    _proposal(ctx, seen, verb, proposer=owner, accepter=a, rule="proposal:accept")


def _nominal(ctx: Ctx, noun: Token, seen: set) -> None:
    """'the group's demand', 'a proposal by Hamas' as the object of no rejection: the owner made it."""
    lemma = noun.lemma_.lower()
    if lemma not in ("demand", "proposal", "offer", "condition", "precondition", "plan"):
        return
    gov = noun.head
    if gov.lemma_ in ctx.lex["rejection"]["verbs"] or gov.lemma_ in ctx.lex["acceptance"]["verbs"] or (
            gov.dep_ == "prep" and gov.head.lemma_ in ctx.lex["rejection"]["verbs"]):
        return  # the rejection rule makes that fact
    owner = _owner(ctx, noun)
    if owner is None:
        return
    if lemma in ("demand", "condition", "precondition") and noun.tag_ in ("NNS", "NN"):
        key = ("Demand", owner[0], noun.sent.start)
        if key not in seen:
            seen.add(key)
            f = ctx.new("Demand", f"demand:noun-{lemma}", noun, [owner[1]])
            f.add("demandedBy", owner[0])
            f.values["text"] = noun.doc[noun.left_edge.i: noun.right_edge.i + 1].text
    elif lemma in ("proposal", "offer", "plan"):
        for owner in _owners(ctx, noun):
            _proposal(ctx, seen, noun, proposer=owner, rule=f"proposal:noun-{lemma}")
