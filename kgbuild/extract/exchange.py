"""kgo:Release, kgo:Exchange and kgo:HostageTaking.

A release is a freeing verb ('free', 'release', 'hand over/back', 'let go', 'set free', 'return')
with people as its object: the agent is the subject (active) or the 'by' phrase (passive or a
participle: '230 Ukrainians freed by Russia'); the count and its qualifier come from the object.
Two releases joined by 'in exchange'/'in return'/'swap' are an exchange; 'X freed A in exchange
for B' also makes B's release, by the other side. A taking is 'take hostage', 'seize', 'abduct',
'kidnap', 'capture' with people as the object.
"""
from __future__ import annotations

from spacy.tokens import Span, Token

from ..entities import Mention
from ..facts import Fact
from .patterns import matches
from .common import Ctx, actors, conjuncts, hedged, is_medium, negated, passive_agents, quantity, subjects, time_text

GRACE_NOUNS = {"clemency", "pardon", "amnesty", "reprieve", "freedom"}
HOLD_PLACES = {"prison", "jail", "custody", "captivity", "detention", "cell"}
NOMINAL_HEDGES = {"secure", "seek", "demand", "call", "push", "press", "discuss", "propose", "possible", "potential",
                  "negotiate", "include", "hope", "want", "urge", "expect", "plan", "would", "could", "may", "talk",
                  "deal", "framework", "proposal", "condition", "return"}


def _detainee_kind(ctx: Ctx, noun: Token) -> str | None:
    lemma = noun.lemma_.lower()
    for kind, words in ctx.lex["detainees"].items():
        if lemma in words or noun.lower_ in words:
            return kind
    m = ctx.mention(noun)
    if m is not None and ctx.cls(m.entity) == "Person":
        return "detainee"
    if noun.ent_type_ == "NORP" and noun.tag_ in ("NNPS", "NNS"):
        return "detainee"  # "230 Ukrainians", "200 Palestinians"
    if noun.pos_ == "PRON" and noun.lower_ in ("him", "her", "them", "he", "she"):
        return "detainee"
    if noun.like_num and noun.ent_type_ not in ("MONEY", "PERCENT"):  # not "released $6 billion"
        return "detainee"
    if noun.pos_ == "PROPN" and any(c.dep_ == "relcl" and any(w.lower_ == "who" and w.dep_ in ("nsubj", "nsubjpass")
                                                              for w in c.children) for c in noun.children):
        return "detainee"  # "released Vadim Krasikov, who had been serving …": a person, whatever the tagger said
    if noun.pos_ in ("NOUN", "PROPN") and any(c.dep_ == "amod" and c.tag_ == "VBN" and c.lemma_ in HOLD_VERBS
                                               for c in noun.children):
        return "detainee"  # "jailed leaders of the group", "detained fighters"
    if noun.pos_ in ("NOUN", "PROPN") and not any(c.dep_ == "prep" and c.lower_ == "of" for c in noun.children) \
            and any(c.dep_ in ("relcl", "acl") and c.lemma_ in HOLD_VERBS and (
            c.tag_ == "VBN" and c.dep_ == "acl" or any(w.dep_ in ("nsubjpass", "auxpass") for w in c.children))
            for c in noun.children):
        return "detainee"  # "four commanders who had been detained", "militants held by the authorities"
    if noun.pos_ == "PROPN" and noun.is_title and m is None and not noun.ent_type_ in ("GPE", "ORG", "NORP", "LOC") \
            and any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in noun.lefts):
        return "detainee"  # "Germany released Vadim Krasikov": a name the model did not tag
    return None


def _particle_ok(ctx: Ctx, verb: Token) -> bool:
    lemma = verb.lemma_.lower()
    parts = ctx.lex["release"]["particles"].get(lemma)
    if parts is None:
        return True
    words = {c.lower_ for c in verb.children if c.dep_ in ("prt", "advmod", "acomp", "xcomp", "dobj", "oprd", "ccomp")}
    nxt = verb.doc[verb.i + 1].lower_ if verb.i + 1 < len(verb.doc) else ""
    return bool(words & set(parts)) or nxt in parts


def _absolute(verb: Token) -> bool:
    """'with 44 Armenians flown home': a participle with its own subject (the tagger may say VBD)."""
    return verb.tag_ == "VBN" or verb.tag_ == "VBD" and any(c.dep_ == "mark" and c.lower_ == "with"
                                                            for c in verb.children)


def _is_participle(verb: Token) -> bool:
    """'captives released by …', 'servicemen handed back by …' (the tagger sometimes says VBD)."""
    return verb.dep_ in ("acl", "amod") and verb.tag_ in ("VBN", "VBD")


def _climb_to_people(ctx: Ctx, t: Token) -> Token | None:
    """'…held in Israeli prisons released in exchange': the parser hangs the participle on the
    place; climb from it to the people."""
    hops = 0
    while _detainee_kind(ctx, t) is None and hops < 4 and t.head.i != t.i and t.dep_ in ("pobj", "prep", "acl", "appos"):
        t, hops = t.head, hops + 1
    return t if _detainee_kind(ctx, t) is not None else None


def _own_predicate(c: Token, verb: Token) -> bool:
    return any(x.dep_ in ("acl", "relcl") and x.pos_ == "VERB" and x.i != verb.i for x in c.children)


def _detainees(ctx: Ctx, verb: Token) -> list[Token]:
    if any(c.dep_ == "nsubjpass" for c in verb.children):
        objs, expand = [c for c in verb.children if c.dep_ == "nsubjpass"], True
        if verb.dep_ == "relcl" and objs[0].lower_ in ("who", "that", "which"):
            objs, expand = [verb.head], False  # "the 115 Russian troops who were freed"
    elif any(c.dep_ == "auxpass" for c in verb.children) and verb.dep_ in ("xcomp", "pcomp", "advcl"):
        # "are to be freed by Hamas", "landed … after being freed": the governing clause's subject
        head = verb.head.head if verb.dep_ == "pcomp" else verb.head
        objs, expand = [c for c in subjects(head) if c.pos_ != "PRON"] or \
            [c for c in head.children if c.dep_ == "nsubjpass"], True
    elif any(c.dep_ == "dobj" and c.lemma_ in GRACE_NOUNS for c in verb.children):
        # "Washington granted clemency to five Iranians", "Moscow granted her freedom"
        objs, expand = [p for c in verb.children if c.dep_ in ("dative", "prep") and c.lower_ == "to"
                        for p in c.children if p.dep_ == "pobj"], True
        objs += [c for c in verb.children if c.dep_ == "dative" and c.lower_ != "to"]
    elif _is_participle(verb):
        objs, expand = [verb.head], False  # its conjuncts belong to predicates of their own
    elif _absolute(verb) and verb.dep_ in ("advcl", "conj", "ccomp") and not any(
            c.dep_ in ("aux", "auxpass", "dobj") for c in verb.children) and any(c.dep_ == "nsubj" for c in verb.children):
        # "with 44 Armenians flown home": an absolute participle, its subject is who was freed
        objs, expand = [c for c in verb.children if c.dep_ == "nsubj"], False
    elif verb.dep_ == "conj" and any(c.dep_ == "auxpass" for c in verb.children):
        # "95 Ukrainians were freed by Russia and 95 Russian soldiers were handed back by Kyiv": the
        # parser loses the second subject; it is the people named just before this verb
        before = [t for t in verb.doc[max(verb.head.i + 1, verb.i - 8): verb.i]
                  if t.pos_ in ("NOUN", "PROPN") and _detainee_kind(ctx, t) is not None and quantity(t)[0] is not None]
        objs, expand = before[-1:], False
    else:
        objs, expand = [c for c in verb.children if c.dep_ == "dobj"], True
        if not objs and verb.lemma_ == "let":  # "letting 248 Russians go": the people are the subject of 'go'
            objs = [s for c in verb.children if c.dep_ in ("ccomp", "xcomp") and c.lower_ == "go"
                    for s in c.children if s.dep_ == "nsubj"]
    found = []
    for o in objs:
        if o.lemma_ in ("total", "number", "batch", "group"):  # "a total of 1,027 prisoners"
            o = next((p for c in o.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children
                      if p.dep_ == "pobj"), o)
        t = _climb_to_people(ctx, o)
        if t is None:
            continue
        found.append(t)
        if expand:
            # "150 Palestinian women and minors" is one group; "181 prisoners … and 706 detainees" two
            found += [c for c in conjuncts(t)[1:] if _detainee_kind(ctx, c) is not None
                      and not _own_predicate(c, verb) and quantity(c)[0] is not None]
    return found


HOLD_VERBS = {"hold", "jail", "imprison", "detain", "keep", "capture", "seize", "abduct", "kidnap", "sentence"}


def _holder(ctx: Ctx, noun: Token):
    """Who held the people: 'held by X', 'held in Israeli prisons', 'jailed in Iran',
    'from its jails'."""
    def owner(place: Token):
        for c in place.children:
            if c.dep_ in ("amod", "compound", "poss", "nmod"):
                m = ctx.mention(c)
                if m is not None and ctx.cls(m.entity) in ("Country", "Organization"):
                    return m.entity, m
        m = ctx.mention(place)
        if m is not None and ctx.cls(m.entity) in ("Country", "Organization"):
            return m.entity, m  # "jailed in Iran"
        return None

    of_people = [p for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children
                 if p.dep_ == "pobj"]
    if noun.like_num and of_people:  # "Eighty-two of the schoolgirls abducted by Boko Haram"
        got = _holder(ctx, of_people[0])
        if got:
            return got
    # "Khan Mohammad, an Afghan national who was serving a life sentence in the US": held in the US
    for v in (c for a in [noun, *(x for x in noun.children if x.dep_ == "appos")] for c in a.children
              if c.dep_ in ("acl", "relcl") and c.lemma_ == "serve"
              and any(o.dep_ == "dobj" and o.lemma_ in ("sentence", "term") for o in c.children)):
        for p in (p for prep in v.subtree if prep.dep_ == "prep" and prep.lower_ == "in" for p in prep.children
                  if p.dep_ == "pobj"):
            got = owner(p)
            if got:
                return got
    # "two residents of the border region who had been held in Ukraine": the parser may hang the
    # clause on the last noun of the phrase
    for v in (c for x in [noun, *of_people] for c in x.children if c.dep_ in ("acl", "relcl") and c.lemma_ in HOLD_VERBS
              and (x is noun or c.dep_ == "relcl" and any(w.lower_ in ("who", "whom") for w in c.children))):
        if v.dep_ == "relcl" and any(c.dep_ == "dobj" and c.lower_ in ("whom", "who", "that") for c in v.children):
            # "the 115 soldiers whom Ukrainian forces had captured": the subject held them
            got = [a for s in subjects(v) for a in actors(ctx, s, ("Country", "Organization"))]
            if got:
                return got[0]
        for a in passive_agents(v):
            got = actors(ctx, a, ("Country", "Organization")) or ([owner(a)] if owner(a) else [])
            if got:
                return got[0]
        for prep in (c for c in v.children if c.dep_ == "prep" and c.lower_ in ("in", "by")):
            for p in prep.children:
                if p.dep_ == "pobj":
                    got = owner(p)
                    if got:
                        return got
    for t in noun.subtree:
        if t.lemma_ in HOLD_PLACES:
            got = owner(t)
            if got:
                return got
    return None


def _agents(ctx: Ctx, verb: Token, detainee: Token):
    absolute = _absolute(verb) and not any(c.dep_ in ("aux", "auxpass", "dobj") for c in verb.children) and \
        any(c.dep_ == "nsubj" for c in verb.children)
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or _is_participle(verb) or absolute:
        heads = [verb] + [c for c in verb.children if c.dep_ in ("xcomp", "ccomp", "prt", "advmod", "acomp")]
        out = [a for h in heads for p in passive_agents(h) for a in actors(ctx, p)]
        if not out:  # "let go by Hamas": the parser calls this 'by' a plain preposition
            out = [a for h in heads for c in h.children if c.dep_ == "prep" and c.lower_ == "by"
                   for p in c.children if p.dep_ == "pobj" for a in actors(ctx, p, ("Country", "Organization", "Group"))]
    else:
        out = [a for s in subjects(verb) for a in actors(ctx, s)]
        out = _receiver_turned(ctx, verb, detainee, out)
    out = [a for a in out if (ctx.cls(a[0]) != "Person" or not _is_detainee_entity(ctx, a[0], detainee))
           and not is_medium(ctx, a[0])]  # "KYIV (Reuters) - Russia and Ukraine each handed over …"
    if not out:
        h = _holder(ctx, detainee) or _captivity_owner(ctx, verb)
        if h:
            out = [h]
    if not out:
        # "230 Ukrainians", "Ukrainian prisoners": a side frees the other side's people
        own = _people_nationality(ctx, detainee)
        if own is not None and not any(c.dep_ == "poss" and c.i == detainee.i - 1 for c in detainee.children):
            out = [(f"?other:{own}", None)]  # ("248 of its servicemen")
    return out


RECEIVER_VERBS = {"bring", "get", "return", "repatriate", "secure"}


def _captivity_owner(ctx: Ctx, verb: Token):
    """'freed from Russian captivity', 'released from Iranian jails', 'returned from territory
    controlled by X': who held them."""
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "from"):
        if any(p.lemma_ in HOLD_PLACES for p in prep.subtree):
            got = _holder(ctx, prep)
            if got:
                return got
        for area in (p for p in prep.children if p.dep_ == "pobj" and p.lemma_ in HELD_AREAS):
            got = [a for v in area.children if v.dep_ == "acl" and v.lemma_ in CONTROL_VERBS
                   for p in passive_agents(v) for a in actors(ctx, p, ("Country", "Organization", "Group"))]
            if got:
                return got[0]
    return None


HELD_AREAS = {"territory", "territories", "area", "region", "zone", "part"}
CONTROL_VERBS = {"control", "hold", "occupy", "run", "govern"}


def _receiver_turned(ctx: Ctx, verb: Token, detainee: Token, subjects_: list) -> list:
    """The subject of 'Ukraine brought home 230 people held in Russian captivity', 'Kyiv freed 200
    of its soldiers from Russian captivity', 'Moscow returned 248 of its servicemen' got its people
    back: the other side freed them (whoever held them, else the subject's other side)."""
    if not subjects_:
        return subjects_
    mine = {e for e, _ in subjects_}
    held = _captivity_owner(ctx, verb) or (_holder(ctx, detainee) if verb.lemma_ in RECEIVER_VERBS else None)
    if held and held[0] not in mine:
        return [held]
    if verb.lemma_ in RECEIVER_VERBS:
        own = _people_nationality(ctx, detainee)
        if own is not None and own in mine:
            return [(f"?other:{own}", None)]
    return subjects_


def _is_detainee_entity(ctx: Ctx, eid: str, detainee: Token) -> bool:
    m = ctx.mention(detainee)
    return m is not None and eid in m.entities


def extract(ctx: Ctx) -> None:
    lex = ctx.lex
    rel_verbs = set(lex["release"]["verbs"])
    cues = rel_verbs | SWAP_NOUNS | set(lex["taking"]["verbs"]) | {"hold", "have"}  # every branch starts from one
    last_agent: list[tuple[str, Mention]] = []
    first_fact = len(ctx.facts)
    shapes: dict[int, list] = {}
    if _about_captives(ctx):
        for m in matches(ctx.doc, "exchange"):
            anchor = m.tokens["trigger"] if m.tokens else m.span[0]
            shapes.setdefault(anchor.sent.start, []).append(m)
    for sent in ctx.sentences():
        releases: list[tuple[Fact, Token]] = []
        mutual: list[Token] = []
        releases += _shape_releases(ctx, shapes.get(sent.start, []))
        lost: list[Token] = []  # passive freeing verbs whose subject the parser lost
        for tok in ctx.with_words(cues, (), sent.start, sent.end):
            lemma = tok.lemma_.lower()
            if tok.pos_ in ("VERB",) and lemma in rel_verbs and lemma not in ("swap", "exchange", "trade"):
                if lemma == "return" and not any(c.dep_ in ("dobj", "nsubjpass") for c in tok.children) and tok.dep_ != "acl":
                    continue
                if lemma in ("send", "bring", "fly") and not _particle_ok(ctx, tok):
                    continue
                if not _particle_ok(ctx, tok) or negated(tok, lex) or _release_hedged(ctx, tok):
                    continue
                dets = _detainees(ctx, tok)
                if not dets and any(c.dep_ == "auxpass" for c in tok.children):
                    lost.append(tok)
                for det in dets:
                    agents = _agents(ctx, tok, det)
                    both = _each_sides(ctx, tok) if not agents else []
                    if len({e for e, _ in both}) >= 2:
                        for side in dict(both).items():  # "… said that each had handed over 115 prisoners"
                            f = _release(ctx, tok, det, [side], f"release:{lemma}-each")
                            if f is not None:
                                releases.append((f, tok))
                        continue
                    inferred = False
                    if not agents and last_agent and tok.tag_ == "VBN" and not _is_participle(tok) \
                            and not _exchange_marker(ctx, sent):
                        agents, inferred = last_agent[:1], True  # "The first 477 were set free on …"
                    if len({e for e, _ in agents}) >= 2 and any(t.lower_ in ("apiece", "each") for t in tok.subtree):
                        # "Moscow and Kyiv freed 1,000 prisoners apiece": a release by each side
                        for side in dict(agents).items():
                            g = _release(ctx, tok, det, [side], f"release:{lemma}-each")
                            if g is not None:
                                releases.append((g, tok))
                        continue
                    f = _release(ctx, tok, det, agents, f"release:{lemma}" + (":inferred" if inferred else ""))
                    if f is not None:
                        releases.append((f, tok))
                        if agents and "count" in f.values:  # a group release, not one person's
                            last_agent = agents
            elif tok.pos_ == "VERB" and lemma in ("swap", "exchange", "trade") and not (
                    negated(tok, lex) or hedged(tok, lex)):
                mutual.append(tok)
            elif tok.pos_ == "VERB" and lemma in lex["taking"]["verbs"]:
                _taking(ctx, tok)
            elif tok.pos_ in ("VERB", "AUX") and lemma in ("hold", "have") and tok.tag_ in ("VBZ", "VBP", "VBG"):
                _still_holding(ctx, tok)
        for tok in ctx.with_words(ctx.lex["release"]["nouns"], (), sent.start, sent.end):
            if tok.pos_ == "NOUN":
                f = _nominal_release(ctx, tok)
                if f is not None:
                    releases.append((f, tok))
        if not releases:  # the fallback reading only where the full rules read nothing
            for tok in lost:
                got = _shallow_release(ctx, tok)
                if got is not None:
                    releases.append((got, tok))
                    break
        if not any(f.args.get("releasedBy") for f, _ in releases):
            # "X and Y exchanged prisoners" says less than "X freed 30 …": only alone
            for tok in mutual:
                releases += _mutual_swap(ctx, tok)
        _exchange(ctx, sent, releases)
    _document_exchange(ctx, first_fact)
    _swap_sides(ctx)


SWAP_NOUNS = {"exchange", "swap", "trade"}


def _swap_sides(ctx: Ctx) -> None:
    """The sides a swap is named between ('the exchange between Iran and the US', 'the largest swap
    was carried out by Ukraine and Russia', 'a US-Iran swap'): hints for extract.main_parties, so
    that 'the other side' of a release is known even where no fact names it."""
    classes = ("Country", "Organization")
    for t in ctx.with_words(SWAP_NOUNS):
        if t.pos_ != "NOUN" or t.idx < ctx.body_start:
            continue
        got = [a for c in t.children if c.dep_ == "prep" and c.lower_ == "between"
               for p in c.children if p.dep_ == "pobj" for a in actors(ctx, p, classes)]
        if t.dep_ == "nsubjpass":  # "… was carried out by Ukraine and Russia"
            got += [a for h in [t.head, *t.head.children] for p in passive_agents(h) for a in actors(ctx, p, classes)]
        if not got:  # "a US-Iran prisoner swap"
            got = [(m.entity, m) for c in t.children if c.dep_ in ("compound", "amod", "nmod")
                   for x in c.subtree for m in [ctx.mention(x)] if m is not None and len(m.entities) == 1
                   and ctx.cls(m.entity) in classes and "-" in t.doc[x.i: x.i + 2].text]
        sides = list(dict.fromkeys(e for e, _ in got))
        if len(sides) >= 2:
            ctx.side_hints.extend(sides)


MILITARY = {"troop", "soldier", "force", "serviceman", "servicemen", "fighter", "combatant", "marine", "sailor",
            "personnel", "guardsman", "pilot"}
CAPTIVE_WORDS = {"swap", "exchange", "trade", "release", "free", "captivity", "captive", "prisoner", "hostage",
                 "detainee", "pow"}


def _about_captives(ctx: Ctx) -> bool:
    """The shallower shapes (people who 'came home', 'left Iran') are read only in an article that
    speaks of captives or their release at all."""
    return bool(ctx.with_words(CAPTIVE_WORDS))


def _people_nationality(ctx: Ctx, det: Token) -> str | None:
    """Whose people: '230 Ukrainians', '248 of its servicemen', '175 prisoners of war of the Armed
    Forces of Ukraine' (down a chain of 'of' phrases)."""
    got, t = _nationality(ctx, det), det
    for _ in range(3):
        if got is not None:
            return got
        t = next((p for c in t.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children
                  if p.dep_ == "pobj"), None)
        if t is None:
            return None
        got = _nationality(ctx, t)
    return got


def _forces_of(ctx: Ctx, eid: str) -> str | None:
    """'the Armed Forces of Ukraine', an organisation the gazetteer does not know, belongs to the
    state its name ends with."""
    from ..resources import gazetteer, norm

    label = ctx.ents.entities[eid].label if eid in ctx.ents.entities else ""
    if " of " not in label:
        return None
    key = gazetteer().names.get(norm(label.rsplit(" of ", 1)[1]))
    return ctx.entity_for_key(key) if key and key.startswith("country:") else None


def _nationality(ctx: Ctx, det: Token) -> str | None:
    """The state whose people these are: '230 Ukrainians', 'Russian servicemen', 'its soldiers'."""
    # "Russian citizen Viktor Bout", "US national X": the nationality sits on the noun before the name
    titled = [g for c in det.children if c.dep_ in ("compound", "appos") and c.lemma_ in ("citizen", "national")
              for g in c.children if g.dep_ in ("amod", "compound")]
    for t in [det, *det.children, *titled]:
        m = ctx.mention(t)
        if m is not None and len(m.entities) == 1 and t.dep_ == "poss" and ctx.cls(m.entity) == "Organization":
            part_of = ctx.ents.entities[m.entity].part_of  # "the defence ministry said 248 of its servicemen …"
            if part_of:
                return ctx.entity_for_key(part_of)
        if m is not None and len(m.entities) == 1 and t is det and ctx.cls(m.entity) == "Organization" \
                and det.dep_ == "pobj" and det.head.lower_ == "of":
            forces = _forces_of(ctx, m.entity)
            if forces:
                return forces
        if m is None or len(m.entities) != 1 or ctx.cls(m.entity) != "Country":
            continue
        if t in titled:
            return m.entity
        demonym = m.via == "demonym" or t.ent_type_ == "NORP"  # "Russian troops" may be a name of Russia
        if t is det and m.via == "demonym" or t.dep_ in ("amod", "compound") and demonym or t.dep_ == "poss":
            return m.entity
    return None


def _journey_is_release(ctx: Ctx, verb: Token, det: Token) -> bool:
    """'A deadline for the troops to leave' has not happened; 'troops came home from the front' is a
    withdrawal: soldiers' journeys are releases only next to talk of captives or a swap."""
    if verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return False
    near = ctx.doc[max(0, verb.sent.start - 1)].sent.start
    return det.lemma_.lower() not in MILITARY or any(t.lemma_.lower() in CAPTIVE_WORDS
                                                     for t in ctx.doc[near: verb.sent.end])


def _shape_releases(ctx: Ctx, found: list) -> list[tuple[Fact, Token]]:
    """Releases told by the people's journey rather than by a freeing verb (shapes in
    patterns/exchange.json): '230 Ukrainians came home' (freed by whoever held them, else by the
    other side), '248 prisoners went back to Russia' (freed by Russia's other side), 'five Americans
    left Iran' (freed by Iran)."""
    out, seen = [], set()
    for m in found:
        if m.span is not None:
            continue  # the token fallback, read below only where no shape of the parse fired
        verb, people = m.tokens["trigger"], m.tokens["people"]
        if (verb.i, people.i) in seen or verb.idx < ctx.body_start or negated(verb, ctx.lex) \
                or _release_hedged(ctx, verb):
            continue
        seen.add((verb.i, people.i))
        if people.lemma_.lower() in ("total", "number", "group"):
            people = next((p for c in people.children if c.dep_ == "prep" and c.lower_ == "of"
                           for p in c.children if p.dep_ == "pobj"), people)
        det = _climb_to_people(ctx, people)
        if det is None or not _journey_is_release(ctx, verb, det):
            continue
        own = _people_nationality(ctx, det)
        agents = []
        if m.rule.id == "exchange.leave_captor":
            place = ctx.mention(m.tokens["place"])
            if place is None or len(place.entities) != 1 or ctx.cls(place.entity) != "Country" or place.entity == own \
                    or own is None:
                continue
            agents = [(place.entity, place)]
        else:
            h = _holder(ctx, det)
            for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "from"):
                h = h or _holder(ctx, prep)
            dest = next((ctx.mention(p) for c in [*verb.children, *(x for c in verb.children for x in c.children)]
                         if c.dep_ == "prep" and c.lower_ == "to" for p in c.children
                         if p.dep_ == "pobj" and ctx.mention(p) is not None), None)
            if h is not None:
                agents = [h]
            elif own is not None:
                agents = [(f"?other:{own}", None)]
            elif dest is not None and len(dest.entities) == 1 and ctx.cls(dest.entity) == "Country":
                agents = [(f"?other:{dest.entity}", None)]
        if not agents:
            continue
        f = _release(ctx, verb, det, agents, "release:" + m.rule.id.split(".", 1)[1])
        if f is not None:
            f.rule = "release:" + m.rule.id.split(".", 1)[1]
            out.append((f, verb))
    for m in (m for m in found if m.span is not None and not out):
        verb = m.span[0]
        if verb.idx < ctx.body_start or negated(verb, ctx.lex) or _release_hedged(ctx, verb):
            continue
        det = _shallow_people(ctx, verb)
        if det is None or not _journey_is_release(ctx, verb, det):
            continue
        h = _holder(ctx, det)
        own = _nationality(ctx, det)
        agents = [h] if h else [(f"?other:{own}", None)] if own else []
        f = _release(ctx, verb, det, agents, "release:homecoming_words") if agents else None
        if f is not None:
            f.rule = "release:homecoming_words"
            f.values["confidence"] = SHALLOW_CONFIDENCE
            out.append((f, verb))
            break
    return out


def _document_exchange(ctx: Ctx, first_fact: int) -> None:
    """A swap told over several sentences ('Russia released 15 prisoners.' … 'Germany released
    Krasikov.' … 'The United States freed three Russians.'): when the article speaks of a swap and
    releases by two or more sides that no one sentence joined, one exchange joins them all."""
    # sides are states and groups: a leader who pardons someone is no side of a swap
    rels = [f for f in ctx.facts[first_fact:] if f.cls == "Release" and f.args.get("releasedBy")
            and all(a.startswith("?") or ctx.cls(a) != "Person" for a in f.args["releasedBy"])]
    sides = list(dict.fromkeys(a for f in rels for a in f.args["releasedBy"]))
    joined = {a for f in ctx.facts[first_fact:] if f.cls == "Exchange" for a in f.args.get("party", [])}
    if len(sides) < 2 or set(sides) <= joined:
        return
    markers = set(ctx.lex["exchange"]["markers"])
    anchor = next((t.sent for t in ctx.doc if t.idx >= ctx.body_start and t.lemma_.lower() in markers and (
        t.pos_ in ("NOUN", "VERB") and t.lemma_.lower() != "return" or t.head.lower_ == "in")), None)
    if anchor is None:
        return
    x = ctx.new("Exchange", "exchange:document", anchor, [])
    # releases that give a count first: extract.finalize keeps one for each side once the other
    # sides are known
    x.links["hasRelease"] = [f.fid for f in sorted(rels, key=lambda f: "count" not in f.values)]
    for a in sides:
        x.add("party", a)


SHALLOW_CONFIDENCE = 0.6
CLAUSE_BREAKS = {";", ":", "\u201c", "\u201d", '"', "(", ")"}


def _shallow_people(ctx: Ctx, trigger: Token, window: int = 16) -> Token | None:
    """Where the parser lost a passive verb's subject (a dateline or a long lead sentence breaks
    the small model's parse), the nearest counted people before the verb in its clause."""
    sent = trigger.sent
    for t in reversed(list(ctx.doc[max(sent.start, trigger.i - window): trigger.i])):
        if t.text in CLAUSE_BREAKS:
            break
        if t.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT") or t.dep_ in ("nummod", "compound", "quantmod"):
            continue  # "two years ago", the 'two' of "two hundred"
        if t.pos_ in ("NOUN", "PROPN", "NUM") and _detainee_kind(ctx, t) is not None and quantity(t)[0] is not None:
            return t
    return None


def _shallow_release(ctx: Ctx, verb: Token) -> Fact | None:
    """A fallback reading, marked with a confidence below 1: trigger word, counted people before it,
    the freeing side from 'by X' after it or from who held the people."""
    det = _shallow_people(ctx, verb)
    if det is None:
        return None
    agents = []
    for t in ctx.doc[verb.i + 1: min(verb.i + 4, verb.sent.end)]:
        if t.lower_ == "by":
            agents = [a for p in t.children if p.dep_ == "pobj" for a in actors(ctx, p, ("Country", "Organization", "Group"))]
            break
    if not agents:
        h = _holder(ctx, det) or _captivity_owner(ctx, verb)
        own = _nationality(ctx, det)
        agents = [h] if h else [(f"?other:{own}", None)] if own else []
    if not agents:
        return None
    f = _release(ctx, verb, det, agents, f"release:{verb.lemma_.lower()}:shallow")
    if f is not None:
        f.values["confidence"] = SHALLOW_CONFIDENCE
    return f


PROPOSED_NOUNS = {"proposal", "plan", "offer", "idea", "draft", "framework", "demand", "suggestion", "blueprint"}


def _release_hedged(ctx: Ctx, verb: Token) -> bool:
    """A release that may or might happen is none; one a deal says 'will' or 'would' happen is a
    planned release ('said it would free 181 detainees', 'Israel would release …'), unless it hangs
    on a condition ('… would release them if …')."""
    lex = ctx.lex
    if any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children)
           for c in verb.children):
        return True
    planned = dict(lex, hedges=[h for h in lex["hedges"] if h not in lex["release"]["planned"]])
    if hedged(verb, planned):
        return True
    # "proposed a phased swap in which it would release 120 soldiers": what a proposal would do
    t, hops = verb, 0
    while t.dep_ in ("relcl", "acl", "conj") and hops < 3:
        t, hops = t.head, hops + 1
    if t is not verb and t.pos_ in ("NOUN", "PROPN"):
        gov = t.head if t.dep_ in ("dobj", "pobj", "nsubjpass") else None
        gov = gov.head if gov is not None and gov.dep_ == "prep" else gov
        if t.lemma_.lower() in PROPOSED_NOUNS or gov is not None and gov.lemma_ in lex["hedge_verbs"]:
            return True
    return False


def _release(ctx: Ctx, verb: Token, det: Token, agents, rule: str) -> Fact | None:
    count, qual, _ = quantity(det)
    if count is None and det.head.lemma_ in ("total", "number") and det.head.dep_ != "ROOT":
        pass
    if count is None and det.dep_ == "pobj" and det.head.lower_ == "of" and det.head.head.lemma_ in ("total", "number"):
        count, qual, _ = quantity(det.head.head)
    if count is None and det.dep_ == "appos" and _detainee_kind(ctx, det.head) is not None:
        count, qual, _ = quantity(det.head)  # "230 Ukrainian prisoners, among them members of …, freed from …"
    if not agents and count is None:
        return None
    if not agents and (count < 3 or any(c.dep_ == "det" and c.lower_ in ("the", "these", "those") for c in det.children)):
        return None  # "the two were freed" tells again of people already counted
    if len(agents) == 1 and not agents[0][0].startswith("?") and det.lemma_.lower() in MILITARY:
        # "184 Russian servicemen were returned from territory held by Kyiv": soldiers held by one
        # side are the other side's, and that state is a side of the swap too
        own = _people_nationality(ctx, det)
        if own is not None and own != agents[0][0]:
            ctx.side_hints.append(own)
    used = [a[1] for a in agents]
    f = ctx.new("Release", rule, verb, used)
    for eid, _m in agents:
        f.add("releasedBy", eid)
    if count is not None:
        f.values["count"] = count
        f.values["countQualifier"] = qual
    f.values["detaineeKind"] = _detainee_kind(ctx, det) or "detainee"
    if ctx.mention(det) is not None and ctx.cls(ctx.mention(det).entity) == "Person":
        f.add("detainee", ctx.mention(det).entity)
    tt = time_text(verb)
    if tt:
        f.values["timeText"] = tt
    return f


def _nominal_release(ctx: Ctx, noun: Token) -> Fact | None:
    """'the release of the 82 girls by the jihadist group', "Hamas's release of 50 hostages": a
    stated release, unless it sits in something wanted, planned or discussed ('a deal to secure the
    release of …', 'called for the release of …')."""
    lemma = noun.lemma_.lower()
    whose = "for" if lemma == "freedom" else "of"  # "won freedom for two Americans"
    # the parser may hang 'won freedom from X for Y''s phrases on the verb
    kids = list(noun.children) + (list(noun.head.children) if lemma == "freedom" and noun.dep_ == "dobj" else [])
    people = [p for c in kids if c.dep_ == "prep" and c.lower_ == whose for p in c.children
              if p.dep_ == "pobj" and _detainee_kind(ctx, p) is not None]
    # "Brittney Griner's release from Russia": the possessor is who was freed
    people += [c for c in noun.children if c.dep_ == "poss" and ctx.mention(c) is not None
               and ctx.cls(ctx.mention(c).entity) == "Person"]
    if not people:
        return None
    agents = [a for c in noun.children if c.dep_ == "prep" and c.lower_ == "by" for p in c.children
              if p.dep_ == "pobj" for a in actors(ctx, p, ("Country", "Organization", "Group"))]
    agents += [a for c in noun.children if c.dep_ == "poss" for a in actors(ctx, c, ("Country", "Organization", "Group"))]
    for prep in (c for c in kids if c.dep_ == "prep" and c.lower_ == "from"):
        # "release from Russia", "freedom from Taliban custody"
        for p in (x for x in prep.children if x.dep_ == "pobj"):
            agents += actors(ctx, p, ("Country",)) if p.lemma_ not in HOLD_PLACES else \
                [h for h in [_holder(ctx, prep)] if h]
    if not agents and _holder(ctx, people[0]):
        agents = [_holder(ctx, people[0])]  # "the freeing of X, who was serving a sentence in the US"
    if not agents and lemma in ("handover", "repatriation") and _nationality(ctx, people[0]):
        # "the handover of Russian citizen Viktor Bout": a side hands over the other side's people
        agents = [(f"?other:{_nationality(ctx, people[0])}", None)]
    if not agents:
        return None
    for t in [noun, *list(noun.ancestors)[:5]]:
        if t.lemma_.lower() in ("secure", "win") and t.tag_ in ("VBD", "VBN") and not hedged(t, ctx.lex):
            continue  # "the release of the men was secured by Pompeo": it happened
        if t.lemma_.lower() in NOMINAL_HEDGES or (t.pos_ in ("VERB", "AUX") and (
                negated(t, ctx.lex) or hedged(t, ctx.lex))):
            return None
    return _release(ctx, noun, people[0], agents, f"release:noun-{noun.lemma_.lower()}")


def _mutual_swap(ctx: Ctx, verb: Token) -> list[tuple[Fact, Token]]:
    """'Russia and Ukraine swapped 95 prisoners each', 'the government and the rebels exchanged
    detainees': each side of the coordinated subject freed people (the count only when 'each')."""
    objs = [c for c in verb.children if c.dep_ == "dobj" and _detainee_kind(ctx, c) is not None]
    sides = [a for s in subjects(verb) for a in actors(ctx, s, ("Country", "Organization", "Group"))]
    if len({e for e, _ in sides}) < 2:
        sides = _each_sides(ctx, verb)
    confidence = None
    if len({e for e, _ in sides}) < 2:
        # "KYIV (AFP) – Ukraine and Russia exchanged …": a dateline takes the subject's place in the
        # parse; the pair named just before the verb (a fallback reading)
        for t in reversed(list(ctx.doc[max(verb.sent.start, verb.i - 8): verb.i])):
            if t.text in CLAUSE_BREAKS:
                break
            if any(c.dep_ == "conj" for c in t.children):
                got = actors(ctx, t, ("Country", "Organization", "Group"))
                if len({e for e, _ in got}) >= 2:
                    sides, confidence = got, SHALLOW_CONFIDENCE
                    break
    if not objs or len({e for e, _ in sides}) < 2:
        return []
    each = any(t.lower_ in ("each", "apiece") or t.lower_ == "per" and t.head.i != verb.i for t in verb.subtree) \
        or any(t.lower_ == "each" for t in verb.lefts)
    count, qual, _ = quantity(objs[0])
    # "exchanged 300 prisoners, 150 on each side": the count per side, where one is given
    per_side = next((quantity(c) for c in [*verb.children, *objs[0].children] if c.dep_ in ("npadvmod", "appos", "conj")
                     and quantity(c)[0] is not None and any(t.lower_ in ("each", "per") for t in c.subtree)), None)
    if per_side is not None:
        count, qual, _ = per_side
    if count is None:  # "swapped prisoners of war, 115 military personnel per side"
        count, qual, _ = next((quantity(c) for c in objs[0].children if c.dep_ in ("conj", "appos")
                               and quantity(c)[0] is not None), (None, None, []))
    out = []
    for eid, m in dict(sides).items():
        f = ctx.new("Release", f"release:{verb.lemma_}-mutual", verb, [m])
        f.add("releasedBy", eid)
        if confidence is not None:
            f.values["confidence"] = confidence
        if count is not None and each:
            f.values.update({"count": count, "countQualifier": qual})
        f.values["detaineeKind"] = _detainee_kind(ctx, objs[0]) or "detainee"
        out.append((f, verb))
    return out


def _each_sides(ctx: Ctx, verb: Token) -> list:
    """'Russia and Ukraine said that each had handed over 115 prisoners', '… said they had each
    swapped 200': the sides are the coordinated subject of the reporting verb (or, where the parser
    lost that subject, the coordinated states or groups named before it)."""
    subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not (subj and subj[0].lower_ in ("each", "both", "they") or any(c.lower_ == "each" for c in verb.children)):
        return []
    if verb.dep_ != "ccomp" or verb.head.lemma_ not in ctx.lex["report_verbs"]:
        return []
    rep = verb.head
    sides = [a for s in subjects(rep) for a in actors(ctx, s, ("Country", "Organization", "Group"))]
    if len({e for e, _ in sides}) < 2:
        for t in rep.sent:
            if t.i >= rep.i:
                break
            if any(c.dep_ == "conj" for c in t.children):
                got = actors(ctx, t, ("Country", "Organization", "Group"))
                if len({e for e, _ in got}) >= 2:
                    return got
    return sides


def _exchange_marker(ctx: Ctx, sent: Span) -> bool:
    markers = set(ctx.lex["exchange"]["markers"])
    return any(t.lemma_.lower() in markers and (t.pos_ == "NOUN" or t.head.lower_ in ("in",)) for t in sent)


def _counterpart_phrase(sent: Span) -> Token | None:
    """The B of 'in exchange for B' / 'in return for B' / 'swap for B'."""
    for t in sent:
        if t.lower_ == "for" and t.dep_ == "prep" and (t.head.lemma_ in ("exchange", "return", "swap", "trade")
                                                       or t.head.lemma_ in ("free", "release")):
            for p in t.children:
                if p.dep_ == "pobj":
                    return p
    return None


def _exchange(ctx: Ctx, sent: Span, releases: list[tuple[Fact, Token]]) -> None:
    agents = {a for f, _ in releases for a in f.args.get("releasedBy", [])}
    if not releases or not (_exchange_marker(ctx, sent) or len(agents) >= 2):
        return
    parts = [f for f, _ in releases]
    if len(agents) < 2 and len(parts) >= 1:
        b = _counterpart_phrase(sent)
        if b is not None and b.lemma_ in ("number", "total", "group", "batch"):
            # "in exchange for an undisclosed number of suspected militants"
            b = next((p for c in b.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children
                      if p.dep_ == "pobj"), b)
        first = parts[0]
        mine = set(first.args.get("releasedBy", []))
        if b is not None and _detainee_kind(ctx, b) is not None and not any(b.i == v.i for _, v in releases):
            freed_side = next((a.split(":", 1)[1] for a in mine if a.startswith("?other:")), None)
            b_side = _nationality(ctx, b)
            if freed_side and b_side and b_side != freed_side and mine == {f"?other:{freed_side}"}:
                # "the handover of Russian citizen X in return for US citizen Y": each side freed
                # the other's citizen
                first.args["releasedBy"] = [b_side]
            # whoever got its people back freed the others
            other = (freed_side, None) if freed_side else _other_side(ctx, sent, b, mine)
            f = _release(ctx, releases[0][1], b, [other] if other else [], "release:exchange-for")
            if f is not None:
                f.rule = "release:exchange-for"
                parts.append(f)
        elif len(parts) >= 2 and len(agents) == 1:
            # one release has an agent and the other none: the other side freed them
            for p in parts:
                if not p.args.get("releasedBy"):
                    other = _other_side(ctx, sent, None, mine)
                    if other:
                        p.add("releasedBy", other[0])
    by_agent = {}
    for p in parts:
        for a in p.args.get("releasedBy", []):
            by_agent.setdefault(a, p)
    if len(by_agent) < 2:
        return
    x = ctx.new("Exchange", "exchange:sentence", sent, [])
    x.evidence = list(parts[0].evidence)
    x.links["hasRelease"] = list(dict.fromkeys(p.fid for p in by_agent.values()))  # one for each side
    for a in by_agent:
        x.add("party", a)


def _other_side(ctx: Ctx, sent: Span, b: Token | None, mine: set[str]):
    """The side that freed B: who held B, else another state or organisation in the sentence
    (not the first side, not a mediator, not a place), else the document's other main party."""
    if b is not None:
        h = _holder(ctx, b)
        if h and h[0] not in mine:
            return h
        for t in b.subtree:
            if t.dep_ == "pobj" and t.head.lower_ == "in":
                got = [a for a in actors(ctx, t, ("Country",)) if a[0] not in mine]
                if got:
                    return got[0]
    return _deferred(mine) if mine else None  # with neither side named, the article's first party is a guess


def _deferred(mine: set[str]):
    """Resolved after the whole document is read (see extract.finalize)."""
    return (f"?other:{','.join(sorted(mine))}", None)


def _taking(ctx: Ctx, verb: Token) -> None:
    lex = ctx.lex
    lemma = verb.lemma_.lower()
    if negated(verb, lex) or hedged(verb, lex):
        return
    if lemma == "take" and not any(c.lemma_ in lex["taking"]["take_objects"] for c in verb.children
                                   if c.dep_ in ("oprd", "dobj", "attr", "advcl", "xcomp", "ccomp", "npadvmod", "prep")):
        return
    if lemma == "carry" and not any(c.lower_ in ("off", "away") for c in verb.children):
        return  # "carried off 276 pupils" is a taking; "carried out an attack" is not
    # "National Guardsmen taken prisoner in …": a bare participle's subject is who was taken
    bare = (verb.tag_ == "VBN" or verb.lower_ == "taken") and not any(c.dep_ in ("aux", "auxpass") for c in verb.children) and verb.dep_ != "ROOT"
    passive = any(c.dep_ == "nsubjpass" for c in verb.children) or (verb.dep_ == "acl" and verb.tag_ == "VBN") or bare
    if passive:
        victims = [c for c in verb.children if c.dep_ in ("nsubjpass", "nsubj")] or (
            [verb.head] if verb.dep_ == "acl" else [])
        perps = [a for p in passive_agents(verb) for a in actors(ctx, p)]
    else:
        victims = [c for c in verb.children if c.dep_ == "dobj" or c.dep_ in ("ccomp", "oprd", "xcomp") and
                   c.pos_ == "NOUN" and c.lemma_ in lex["taking"]["take_objects"]]  # "took 250 people hostage"
        perps = [a for s in subjects(verb) for a in actors(ctx, s)]
    # "the group of seventeen missionaries", "thousands of people": the people the group is of
    victims = [next((p for c in v.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children
                     if p.dep_ == "pobj"), v) if v.lemma_.lower() in GROUP_WORDS else v for v in victims]
    victims = [v for v in victims if _detainee_kind(ctx, v) is not None and v.lemma_ not in ("body", "remains")]
    confidence = None
    if victims and not perps and not passive and any(s.lemma_.lower() in UNNAMED_TAKERS for s in subjects(verb)):
        # "Hundreds of militants stormed the school and carried off 276 pupils": the takers the
        # article named for this taking before
        perps = _recent_perpetrators(ctx, verb, sentences=12)
        confidence = SHALLOW_CONFIDENCE if perps else None
    if passive and not victims and any(c.dep_ == "auxpass" for c in verb.children):
        # the parser lost the subject: the counted people before the verb (a fallback reading)
        victims, confidence = [p for p in [_shallow_people(ctx, verb)] if p is not None], SHALLOW_CONFIDENCE
    if victims and not perps:
        perps = _attackers(ctx, verb)  # "captured in Hamas's October 7 assault", "seized during a raid by X"
    if victims and not perps and passive:
        # "… abducted by Boko Haram … since nearly 300 girls were seized": the same takers, named
        # for a taking a few sentences before
        perps = _recent_perpetrators(ctx, verb)
        confidence = SHALLOW_CONFIDENCE if perps else confidence
    if not victims or not perps:
        return
    v = victims[0]
    count, qual, _ = quantity(v)
    if count is None:  # "took about 250 people hostage": the parser makes the people a compound
        count, qual, _ = next((quantity(c) for c in v.children if c.dep_ == "compound" and quantity(c)[0] is not None),
                              (None, None, []))
    f = ctx.new("HostageTaking", f"taking:{lemma}", verb, [p[1] for p in perps])
    for eid, _m in perps:
        f.add("perpetrator", eid)
    if count is not None:
        f.values["count"] = count
        f.values["countQualifier"] = qual
    if confidence is not None:
        f.values["confidence"] = confidence
    tt = time_text(verb)
    if tt:
        f.values["timeText"] = tt


def _still_holding(ctx: Ctx, verb: Token) -> None:
    """'the ELN is holding at least 38 people', 'the group still has 34 captives': an armed group
    that holds people now has taken them. Only a named organisation (a state holding prisoners has
    jailed them, not taken them hostage), only counted people, only the present tense."""
    lex = ctx.lex
    if negated(verb, lex) or hedged(verb, lex) or verb.dep_ in ("relcl", "acl", "amod", "pcomp"):
        return
    if verb.tag_ == "VBG" and not any(c.dep_ == "aux" and c.lower_ in ("is", "are", "'s", "'re") for c in verb.children):
        return  # "holding talks", "… holding 30 people" as a participle: not what the group does now
    objs = [c for c in verb.children if c.dep_ == "dobj"]
    if verb.lemma_ == "have":
        objs = [o for o in objs if o.lemma_ in ("hostage", "captive")]
    victims = [o for o in objs if _detainee_kind(ctx, o) in ("hostage", "captive", "detainee") and
               quantity(o)[0] is not None and o.lemma_ not in ("body", "remains")]
    perps = [a for s in subjects(verb) for a in actors(ctx, s, ("Organization", "Group"))]
    if not victims or not perps:
        return
    count, qual, _ = quantity(victims[0])
    f = ctx.new("HostageTaking", f"taking:{verb.lemma_}-now", verb, [p[1] for p in perps])
    for eid, _m in perps:
        f.add("perpetrator", eid)
    f.values["count"] = count
    f.values["countQualifier"] = qual


GROUP_WORDS = {"group", "total", "number", "batch", "thousand", "hundred", "dozen", "score"}
UNNAMED_TAKERS = {"militant", "gunman", "gunmen", "kidnapper", "bandit", "attacker", "abductor", "assailant",
                  "insurgent", "jihadist", "hundred", "dozen"}
ATTACK_NOUNS = {"attack", "assault", "raid", "incursion", "ambush", "offensive", "onslaught"}


def _attackers(ctx: Ctx, verb: Token) -> list:
    """Who made the attack in which people were taken: 'in Hamas's October 7 assault', 'during an
    attack by the ELN', 'in the Boko Haram raid'."""
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("in", "during")):
        for n in (p for p in prep.children if p.dep_ == "pobj" and p.lemma_.lower() in ATTACK_NOUNS):
            got = [a for c in n.children if c.dep_ in ("poss", "compound", "amod", "nmod")
                   for a in actors(ctx, c, ("Country", "Organization", "Group"))]
            got += [a for c in n.children if c.dep_ == "prep" and c.lower_ == "by" for p in c.children
                    if p.dep_ == "pobj" for a in actors(ctx, p, ("Country", "Organization", "Group"))]
            if got:
                return got
    return []


def _recent_perpetrators(ctx: Ctx, verb: Token, sentences: int = 3) -> list:
    """Who took hostages in a taking told just before (within a few sentences)."""
    start = verb.sent.start_char
    for f in reversed(ctx.facts):
        if f.cls != "HostageTaking" or not f.args.get("perpetrator"):
            continue
        ev = f.evidence[0]
        between = ctx.text[ev.end:start]
        if between.count(". ") + between.count("\n\n") <= sentences:
            return [(e, None) for e in f.args["perpetrator"]]
        break
    return []

