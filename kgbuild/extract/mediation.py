"""kgo:Negotiation (who mediates between whom) and kgo:Truce.

Mediators come from:
- a mediating verb's subject or 'by' phrase: "Qatar brokered …", "a swap mediated by the UAE",
  "Egyptian officials shuttled between …", "Turkey and Saudi Arabia helped arrange a deal";
- a hyphenated modifier: "the Egyptian-brokered agreement", "a Qatar-mediated deal";
- a mediation noun: "mediation by Doha together with Egypt", "its humanitarian mediation",
  "with Qatari and Egyptian help", "a German mediator";
- leading or hosting talks: "Qatar and the US led negotiations", "talks hosted by Cuba".
- a role word, in the shapes of `data/patterns/mediation.json`: "Mediator Qatar said", "joint
  mediators X, Y and Z", "X, a mediator", "X and Y as guarantor countries", "Guarantor countries:
  X, Y", "under X's initiative", "with the help of X", "X helped secure the release", "X played a
  role in the talks", "thanked X for its efforts".
Parties come from 'between A and B' near the trigger, else the other actors of the sentence; a
negotiation with none is given the document's main parties in `extract.finalize`.
"""
from __future__ import annotations

from spacy.tokens import Span, Token

from ..coref import COLLECTIVES
from ..entities import SIDES, Mention
from ..resources import gazetteer
from . import patterns
from .common import Ctx, actors, conjuncts, hedged, inside_quote, negated, passive_agents, subjects, with_governor

ACTOR_CLASSES = ("Country", "Organization", "Person")
GATHERINGS = {"meeting", "summit", "round", "conference"}
SIDE_NOUNS = {"exchange", "swap", "ceasefire", "truce", "talk", "negotiation", "agreement", "accord", "deal"}
HOST_VERBS = {"host", "convene", "organise", "organize", "co-host", "cohost"}
# Words that show a sentence is about a deal, talks or captives: help or an initiative counts as
# mediation only there ("aid reached Gaza with the help of the UN" mediates nothing).
DEAL_WORDS = {"deal", "agreement", "accord", "ceasefire", "truce", "swap", "exchange", "release", "talk",
              "negotiation", "prisoner", "hostage", "captive", "detainee", "peace", "free", "return",
              "dialogue", "handover", "pow", "armistice", "settlement", "reconciliation", "meeting"}


def _between(ctx: Ctx, tok: Token):
    """Entities of a 'between A and B' phrase attached to tok or its object ('a go-between for
    Washington and the North' too)."""
    out = []
    for node in [*with_governor(tok), *[c for c in tok.children if c.dep_ in ("dobj", "pobj", "nsubjpass", "attr")]]:
        for c in node.children:
            if c.dep_ == "prep" and (c.lower_ == "between" or c.lower_ == "for" and (node.lemma_ in (
                    "go-between", "intermediary", "mediator", "channel", "conduit") or _go_between(node))):
                for p in c.children:
                    if p.dep_ == "pobj":
                        out.extend(actors(ctx, p, ACTOR_CLASSES))
    return out


def _hyphen_mediators(ctx: Ctx, sent: Span):
    """'the Egyptian-brokered agreement' → (Egypt, anchor token); 'US-led talks' too, but not a
    'Saudi-led coalition', which is led, not mediated."""
    out = []
    comp = set(ctx.lex["mediation"]["compound_adjectives"]) - {"led", "backed", "hosted", "negotiated", "arranged"}
    talk_words = set(ctx.lex["mediation"]["lead_objects"])
    for t in ctx.with_words((), comp | {"led", "hosted"}, sent.start, sent.end):
        led_talks = t.lower_ in ("led", "hosted") and t.head.lemma_ in talk_words
        if (t.lower_ in comp or led_talks) and t.i >= 2 and t.doc[t.i - 1].text == "-":
            m = ctx.mention(t.doc[t.i - 2])
            if m is not None:
                out.extend((e, m, t) for e in m.entities)
    return out


def _noun_mediators(ctx: Ctx, noun: Token):
    out = []
    for c in noun.children:
        if c.dep_ in ("poss", "amod", "compound", "nmod") and ctx.mention(c) is not None:
            out.extend(actors(ctx, c, ACTOR_CLASSES))
            for cc in c.children:
                if cc.dep_ == "conj":
                    out.extend(actors(ctx, cc, ACTOR_CLASSES))
        if c.dep_ == "prep" and c.lower_ in ("by", "of", "from"):
            for p in c.children:
                if p.dep_ == "pobj" and p.lemma_ not in ("talk", "negotiation", "prisoner", "captive", "hostage"):
                    for pc in conjuncts(p):  # "… of the office of the UN special envoy, …, and the ICRC"
                        got = actors(ctx, pc, ACTOR_CLASSES) or _first_actor_below(ctx, pc) or _own_people(ctx, pc)
                        out.extend(got)
        if c.dep_ == "prep" and c.lower_ == "together" or c.lower_ == "along":
            for cc in c.subtree:
                if cc.dep_ == "pobj":
                    out.extend(actors(ctx, cc, ACTOR_CLASSES))
        if c.dep_ == "acl" and c.lemma_ in ("lead", "run", "provide", "offer"):
            out.extend(a for p in passive_agents(c) for a in actors(ctx, p, ACTOR_CLASSES))
    # "with Qatari and Egyptian help": coordinated demonyms hang off each other
    return out


def _own_people(ctx: Ctx, tok: Token):
    """'X and Y said the swap came about thanks to mediation by their leaders': a possessive
    pronoun on a people noun refers to the states or organisations that report it."""
    if tok.lemma_ not in ("leader", "leadership", "government", "official", "diplomat", "envoy") or not any(
            c.dep_ == "poss" and c.lower_ in ("their", "its") and ctx.mention(c) is None for c in tok.children):
        return []
    for v in tok.ancestors:
        if v.pos_ == "VERB" and v.lemma_ in ctx.lex["report_verbs"]:
            return [a for s in subjects(v) for a in actors(ctx, s, ("Country", "Organization"))]
    return []


def _first_actor_below(ctx: Ctx, tok: Token):
    """'the office of the UN special envoy for Yemen' acts for the UN: the first state or
    organisation named inside the phrase."""
    for t in tok.subtree:
        m = ctx.mention(t)
        if t is not tok and m is not None and len(m.entities) == 1 and ctx.cls(m.entity) in ("Country", "Organization"):
            return [(m.entity, m)]
    return []


def _led_by_near_noun(ctx: Ctx, sent: Span, nouns: set[str]):
    """'mediation between the United States and Russia led by X and Y', where the parser hangs
    'led' on the verb: a passive 'led by' right after a mediation noun."""
    out = []
    for tok in ctx.with_words(("lead", "run", "spearhead", "steer"), (), sent.start, sent.end):
        if tok.lemma_ not in ("lead", "run", "spearhead", "steer") or tok.tag_ != "VBN":
            continue
        if negated(tok, ctx.lex) or hedged(tok, ctx.lex, attempts=False):
            continue  # "talks … are expected to be run by African officials" have no mediator yet
        noun = next((t for t in reversed(list(sent.doc[max(sent.start, tok.i - 10): tok.i]))
                     if t.lemma_.lower() in nouns and t.pos_ == "NOUN"), None)
        if noun is None or tok.head.i == noun.i:
            continue
        meds = [a for p in passive_agents(tok) for a in actors(ctx, p, ACTOR_CLASSES)]
        if meds:
            out.append((meds, noun))
    return out


def extract(ctx: Ctx) -> None:
    lex = ctx.lex["mediation"]
    verbs, nouns, lead_verbs, lead_objs = (set(lex["verbs"]) - {"negotiate"}, set(lex["nouns"]),
                                           set(lex["lead_verbs"]), set(lex["lead_objects"]))
    references: list[Token] = []  # "the mediators", "the two guarantors"
    # the words any branch below starts from; "-ing" forms the tagger took for nouns included
    cue_lemmas = verbs | lead_verbs | nouns
    cue_forms = nouns | {"between", "betweens"} | {v + "ing" for v in verbs} | {v[:-1] + "ing" for v in verbs if v.endswith("e")}
    for sent in ctx.sentences():
        found: list[tuple[list, Token, str]] = []  # (mediators, anchor, rule)
        for tok in ctx.with_words(cue_lemmas, cue_forms, sent.start, sent.end):
            lemma = tok.lemma_.lower()
            mistagged = _mistagged_verb(tok, verbs)
            if mistagged:
                lemma = mistagged
            if (tok.pos_ == "VERB" or mistagged) and lemma in verbs:
                if negated(tok, ctx.lex) or hedged(tok, ctx.lex, attempts=False):
                    continue
                if tok.dep_ in ("amod", "compound") and tok.i >= 1 and tok.doc[tok.i - 1].text == "-":
                    continue  # the hyphen rule reads it
                if is_passive_like(tok):
                    meds = [a for p in passive_agents(tok) for a in actors(ctx, p, ACTOR_CLASSES)]
                else:
                    meds = [a for s in subjects(tok) for a in actors(ctx, s, ACTOR_CLASSES)]
                    if lemma == "arrange" and not meds:
                        continue
                    if meds:
                        meds += _companions(ctx, tok)
                if not meds and tok.dep_ == "ccomp" and any(c.dep_ == "nsubj" and c.lower_ in ("it", "they", "we")
                                                            for c in tok.children):
                    # "the UAE, which stated it had brokered the deal": the speaker's own mediation
                    meds = [a for s in subjects(tok.head) for a in actors(ctx, s, ACTOR_CLASSES)]
                if tok.dep_ == "xcomp" and tok.head.lemma_ in lex["help_verbs"]:
                    meds = [a for s in subjects(tok.head) for a in actors(ctx, s, ACTOR_CLASSES)] or meds
                if not meds and tok.dep_ in ("acl", "xcomp") and tok.head.pos_ == "NOUN" and not is_passive_like(tok):
                    # "an effort by Oman to mediate between …"; but in "Sudan truce brokered in
                    # Jeddah" the noun is what was brokered and its modifier is no broker
                    meds = _noun_mediators(ctx, tok.head)
                if meds:
                    found.append((meds, tok, f"mediation:{lemma}"))
            elif tok.pos_ == "VERB" and lemma in lead_verbs:
                objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass") and c.lemma_ in lead_objs]
                if lemma not in HOST_VERBS:  # chairing a summit is not mediating; hosting talks is
                    objs = [o for o in objs if o.lemma_ not in GATHERINGS]
                if not objs and tok.dep_ in ("relcl", "conj") and any(
                        c.dep_ in ("nsubjpass", "dobj") and c.lower_ in ("which", "that") for c in tok.children):
                    # "negotiations …, which are hosted by Cuba"
                    objs = [a for a in [tok.head, *tok.head.ancestors][:4] if a.lemma_ in lead_objs][:1]
                if (tok.dep_ == "acl" or tok.dep_ == "conj" and tok.head.dep_ == "acl") and \
                        any(a.lemma_ in lead_objs for a in list(tok.ancestors)[:4]):
                    # "talks convened by the US and co-hosted by Saudi Arabia and Switzerland"
                    objs = [next(a for a in tok.ancestors if a.lemma_ in lead_objs)]
                if not objs or negated(tok, ctx.lex) or hedged(tok, ctx.lex):
                    continue
                if is_passive_like(tok):
                    # "convened and chaired by Guterres": the 'by' may sit on the coordinated verb
                    agents = passive_agents(tok) or [p for c in tok.children if c.dep_ == "conj" for p in passive_agents(c)]
                    meds = [a for p in agents for a in actors(ctx, p, ACTOR_CLASSES)]
                else:
                    meds = [a for s in subjects(tok) for a in actors(ctx, s, ACTOR_CLASSES)]
                if meds:
                    found.append((meds, tok, f"mediation:{lemma}-{objs[0].lemma_}"))
            elif tok.pos_ in ("NOUN", "ADP", "ADV") and _go_between(tok):
                meds = _acting_as(ctx, tok)  # "Moon has acted as a go-between for Washington and the North"
                if meds:
                    found.append((meds, tok, "mediation:go-between"))
            elif tok.pos_ in ("NOUN",) and (lemma in nouns or tok.lower_ in nouns):
                if lemma == "help" and not any(c.dep_ in ("amod", "nmod", "compound", "poss") for c in tok.children):
                    continue
                head_m = ctx.mention(tok.head) if tok.dep_ == "appos" else None
                if lemma in ("coordinator", "facilitator") and head_m is not None and ctx.cls(head_m.entity) == "Person":
                    continue  # "Gal Hirsch, the government's coordinator for prisoners": a title
                meds = _noun_mediators(ctx, tok)
                if not meds and lemma in ("mediator", "broker", "intermediary", "go-between", "facilitator", "guarantor"):
                    meds = _acting_as(ctx, tok)  # "with Beijing acting as mediator", "Oman served as a go-between"
                nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
                if not meds and nxt is not None and nxt.lower_ == "by" and nxt.i < sent.end:
                    # "credited to mediation by Kuwait and the US": the parser hangs 'by' on the verb
                    meds = [a for p in nxt.children if p.dep_ == "pobj" for a in actors(ctx, p, ACTOR_CLASSES)]
                if not meds and tok.dep_ == "compound" and tok.head.lemma_ in lead_objs:
                    meds = _noun_mediators(ctx, tok.head)  # "a mediation effort … by Angola's president"
                if not meds:  # "the UAE had assisted in the mediation efforts"
                    np = tok.head if tok.dep_ == "compound" else tok
                    verb = np.head.head if np.dep_ == "pobj" and np.head.lower_ in ("in", "with") else None
                    if verb is not None and verb.lemma_ in set(lex["help_verbs"]) | {"participate", "join", "engage"} \
                            and not hedged(verb, ctx.lex, attempts=False):
                        meds = [a for s in subjects(verb) for a in actors(ctx, s, ACTOR_CLASSES)]
                if meds:
                    found.append((meds, tok, f"mediation:noun-{lemma}"))
                elif tok.tag_ == "NNS" and lemma in REFERRING_NOUNS and ctx.mention(tok) is None:
                    references.append(tok)
        for meds, anchor, rule in _pattern_mediators(ctx, sent):
            if not {e for e, _ in meds} <= {e for ms, _, _ in found for e, _ in ms}:
                found.append((meds, anchor, rule))
        for meds, anchor in _led_by_near_noun(ctx, sent, nouns | lead_objs):
            found.append((meds, anchor, "mediation:led-by"))
        for meds, anchor in _brought_together(ctx, sent):
            found.append((meds, anchor, "mediation:brought-together"))
        for meds, anchor in _thanked_helpers(ctx, sent):
            found.append((meds, anchor, "mediation:thanked-for-help"))
        for eid, m, anchor in _hyphen_mediators(ctx, sent):
            found.append(([(eid, m)], anchor, f"mediation:hyphen-{anchor.lower_}"))
        for meds, anchor, rule in found:
            _negotiation(ctx, sent, meds, anchor, rule)
        _truces(ctx, sent)
        _side_hints(ctx, sent)
    if references:
        _mediator_references(ctx, references)


REFERRING_NOUNS = {"mediator", "co-mediator", "guarantor", "broker", "intermediary"}
REFERENCE_NUMBERS = {"two": 2, "three": 3, "four": 4, "both": 2}


def _mediator_references(ctx: Ctx, refs: list[Token]) -> None:
    """'the mediators', 'the two mediators', 'the guarantors' with no name of their own are the
    mediators the article names; the families after this one read them so ("called on the
    mediators to …"). Where the article names none but spells out a group of states ("the
    Quartet, comprising X, Y, Z and W … the mediators"), the group is who mediates."""
    known: list[str] = []
    for f in ctx.facts:
        if f.cls == "Negotiation":
            known += [m for m in f.args.get("mediator", []) if m not in known and not m.startswith("?")]
    groups = [m for m in ctx.ents.mentions if m.via == "coref" and len(m.entities) >= 2
              and ctx.doc[m.start].lower_ in COLLECTIVES]
    for ref in refs:
        mods = {c.lower_ for c in ref.lefts if c.dep_ in ("det", "nummod", "predet", "amod")}
        if not mods & {"the", "both", "two", "three", "four"} or any(
                c.dep_ in ("poss", "compound", "amod", "appos", "nmod") and ctx.mention(c) is not None
                for c in ref.children) or negated(ref.head, ctx.lex) or inside_quote(ref):
            continue  # "Egyptian mediators", "the mediators Egypt and Qatar": named, read above; a
            # quote's "the mediators" is the speaker's word, not the article's
        n = next((REFERENCE_NUMBERS[w] for w in mods if w in REFERENCE_NUMBERS), None)
        if known:
            if n is None or n == len(known):
                ctx.ents.add_mention(Mention(ref.i, ref.i + 1, tuple(known), via="coref"))
            continue
        group = next((g for g in reversed(groups) if g.start < ref.i), None) or (groups[0] if groups else None)
        if group is None or n is not None and n != len(group.entities):
            continue
        m = ctx.ents.add_mention(Mention(ref.i, ref.i + 1, group.entities, via="coref",
                                         antecedent=_sentence_span(ctx.doc[group.start])))
        _negotiation(ctx, ref.sent, [(e, m) for e in group.entities], ref, "mediation:group-reference")


def _gazetteer_tags(ctx: Ctx, eid: str) -> set[str]:
    e = ctx.ents.entities.get(eid)
    entry = gazetteer().entries.get(e.key) if e else None
    return set(entry["tags"]) if entry else set()


def _sentence_span(tok: Token) -> tuple[int, int]:
    return tok.sent.start_char, tok.sent.end_char


def _companions(ctx: Ctx, verb: Token):
    """Those who mediate 'along with', 'together with' or 'alongside' the subject: 'Qatar, along
    with Egypt and the US, has mediated …', '… for months alongside Egypt'."""
    out = []
    for t in verb.subtree:
        path = [a for a in t.ancestors if a.i != verb.i and verb in a.ancestors]
        if any(a.dep_ in ("relcl", "ccomp", "advcl", "acl", "xcomp", "conj") for a in [t, *path]):
            continue  # another clause's companions
        if t.lower_ in ("along", "together") and t.dep_ in ("prep", "advmod"):
            withs = [c for c in t.children if c.lower_ == "with"] or ([t.head] if t.head.lower_ == "with" else [])
            out += [a for w in withs for p in w.children if p.dep_ == "pobj" for a in actors(ctx, p, ACTOR_CLASSES)]
        elif t.lower_ == "alongside" and t.dep_ == "prep":
            out += [a for p in t.children if p.dep_ == "pobj" for a in actors(ctx, p, ACTOR_CLASSES)]
    return out


def matches_in_sentence(ctx: Ctx, sent: Span, family: str):
    """The family's pattern matches inside one sentence. The matchers run once over the whole
    document (a sentence Span would be copied into a Doc of its own for every call)."""
    key = f"patterns:{family}"
    got = ctx.cache.get(key)
    if got is None:
        got = {}
        for m in patterns.matches(ctx.doc, family):
            first = m.span[0] if m.span is not None else min(m.tokens.values(), key=lambda t: t.i)
            got.setdefault(first.sent.start, []).append(m)
        ctx.cache[key] = got
    return [m for m in got.get(sent.start, [])
            if all(sent.start <= t.i < sent.end for t in m.tokens.values())]


def _deal_context(sent: Span) -> bool:
    return any(t.lemma_.lower() in DEAL_WORDS for t in sent)


def _pattern_mediators(ctx: Ctx, sent: Span):
    """Mediators named by their role, in the shapes of `data/patterns/mediation.json`: 'Mediator
    Qatar said', 'joint mediators Egypt, Qatar and the US', 'Norway, a mediator, …', 'X, Y and Z as
    guarantor countries', 'Guarantor countries: X, Y, Z', 'under Kuwait's initiative', 'with the
    help of Oman'."""
    out = []
    for m in matches_in_sentence(ctx, sent, "mediation"):
        rid, tk = m.rule.id, m.tokens
        trig = tk.get("trigger")
        if trig is not None and (negated(trig.head, ctx.lex) or hedged(trig.head, ctx.lex, attempts=False)):
            continue
        meds = []
        if rid in ("mediation.role_compound", "mediation.role_appos", "mediation.appos_role",
                   "mediation.role_including", "mediation.role_countries_including", "mediation.role_together_with"):
            meds = actors(ctx, tk["named"], ACTOR_CLASSES)
            if rid == "mediation.role_together_with":
                # "X is one of the guarantors together with Y and Z": X is one as well
                verb = next((a for a in trig.ancestors if a.pos_ in ("VERB", "AUX")), None)
                if verb is not None and verb.lemma_ == "be":
                    meds += [a for s_ in subjects(verb) for a in actors(ctx, s_, ACTOR_CLASSES) if a not in meds]
        elif rid in ("mediation.provided_by", "mediation.provided") and not hedged(tk["verb"], ctx.lex, attempts=False):
            meds = actors(ctx, tk["named"], ACTOR_CLASSES)
        elif rid in ("mediation.plan_to_both_sides", "mediation.plan_to_both_sides_on_noun") and not negated(tk["verb"], ctx.lex) \
                and not hedged(tk["verb"], ctx.lex, attempts=False):
            # "X and Y presented a truce plan to both sides": who puts a plan to two warring sides
            # stands between them (the sides are filled in from the article's main parties)
            meds = actors(ctx, tk["named"], ACTOR_CLASSES)
        elif rid == "mediation.one_of_roles":
            meds = actors(ctx, tk["named"], ACTOR_CLASSES)
            # "X is one of the guarantors together with Y and Z"
            meds += [a for w in tk["one"].children if w.dep_ == "prep" and w.lower_ == "with" and any(
                c.lower_ in ("together", "along") for c in w.children) for p in w.children if p.dep_ == "pobj"
                for a in actors(ctx, p, ACTOR_CLASSES) if a not in meds]
        elif rid in ("mediation.as_role", "mediation.as_role_countries"):
            named = tk["named"]
            if named.pos_ in ("VERB", "AUX"):  # "welcomed X as guarantors", "serve as guarantors"
                objs = [c for c in named.children if c.dep_ == "dobj"]
                meds = [a for o in objs for a in actors(ctx, o, ACTOR_CLASSES)] or \
                    [a for s in subjects(named) for a in actors(ctx, s, ACTOR_CLASSES)]
            else:
                meds = actors(ctx, named, ACTOR_CLASSES)
                if not meds and named.lemma_ in ("role", "capacity", "position", "function"):
                    # "Qatar's role as mediator"
                    meds = [a for c in named.children if c.dep_ == "poss" for a in actors(ctx, c, ACTOR_CLASSES)]
        elif rid in ("mediation.role_list_colon", "mediation.role_then_names"):
            # a list with no verb ("Guarantor countries: X, Y, Z"), or names right after the role
            # word however the parser hangs them ("Joint mediators X, the US and Y will …")
            start = m.span.end if rid == "mediation.role_list_colon" else m.span.end - 1
            meds = named_list(ctx, sent, start)
            trig = m.span[0]
        elif rid in ("mediation.under_initiative", "mediation.with_help_of") and _deal_context(sent) and \
                next((v.dep_ for v in trig.ancestors if v.pos_ in ("VERB", "AUX")), "") != "xcomp":
            # ("agreed to work towards a swap with the help of X" plans help; it has not been given)
            meds = _noun_mediators(ctx, trig) if rid == "mediation.under_initiative" else \
                actors(ctx, tk["named"], ACTOR_CLASSES)
        elif rid == "mediation.in_coordination_with" and _deal_context(sent):
            # "Israel freed four detainees in coordination with the US": a third party the release
            # was arranged with; the side that acts is not its own go-between
            gov = next((v for v in trig.ancestors if v.pos_ in ("VERB", "AUX")), None)
            acting = {e for s_ in (subjects(gov) if gov is not None else []) for e, _ in actors(ctx, s_, ACTOR_CLASSES)}
            # ("the Houthis freed the crew in coordination with Hamas": an armed ally is no go-between)
            meds = [a for a in actors(ctx, tk["named"], ("Country", "Organization"))
                    if a[0] not in acting and "armed" not in _gazetteer_tags(ctx, a[0])]
        elif rid == "mediation.helped_secure":
            if tk["help"].dep_ == "relcl" or not _deal_context(sent):
                continue
            meds = [a for s_ in subjects(tk["help"]) for a in actors(ctx, s_, ACTOR_CLASSES)]
        elif rid == "mediation.played_role":
            meds = [a for s_ in subjects(tk["verb"]) for a in actors(ctx, s_, ACTOR_CLASSES)]
        elif rid == "mediation.talks_aided_by":
            # "direct talks …, aided by the UN and the ICRC": help given to talks or a swap
            helped = trig.head if trig.dep_ in ("acl", "advcl") else None
            subj = next((c for c in helped.children if c.dep_ in ("nsubj", "nsubjpass")), None) if helped is not None \
                and helped.pos_ in ("VERB", "AUX") else helped
            if subj is None or subj.lemma_ not in DEAL_WORDS | {"effort", "process", "operation"}:
                continue
            meds = [a for p in passive_agents(trig) for a in actors(ctx, p, ACTOR_CLASSES)]
        elif rid == "mediation.gratitude_to":
            why = tk["for"]
            if not any(t.lemma_ in set(ctx.lex["mediation"]["verbs"]) | set(ctx.lex["mediation"]["lead_verbs"]) |
                       set(ctx.lex["mediation"]["nouns"]) | {"effort", "role"} for t in why.subtree) or not _deal_context(sent):
                continue
            meds = actors(ctx, tk["named"], ACTOR_CLASSES)
        elif rid == "mediation.thanked_for_efforts" and _deal_context(sent):
            meds = actors(ctx, tk["named"], ACTOR_CLASSES)
        if meds and trig is not None:
            out.append((meds, trig, rid))
    return out


def named_list(ctx: Ctx, sent: Span, start: int, classes=("Country", "Organization", "Person")):
    """The states, organisations or people of a plain list starting at token `start`: names joined
    by commas, 'and', 'as well as'; it ends at the first other word."""
    out, i = [], start
    while i < sent.end:
        t = sent.doc[i]
        m = ctx.mention(t)
        if m is not None:
            if len(m.entities) == 1 and ctx.cls(m.entity) in classes and m.entity not in [e for e, _ in out]:
                out.append((m.entity, m))
            i = max(i + 1, m.end)
            continue
        if t.lower_ in (",", "and", "the", "&", "as", "well") or (t.pos_ == "PROPN" and not out):
            i += 1
            continue
        break
    return out


def _mistagged_verb(tok: Token, verbs: set[str]) -> str | None:
    """'… which the UN mission has been convening and mediating': the tagger may call a
    coordinated -ing form a noun; its dependency still shows the verb."""
    if tok.pos_ != "NOUN" or tok.dep_ not in ("conj", "relcl", "xcomp", "ccomp") or not tok.lower_.endswith("ing"):
        return None
    stem = tok.lower_[:-3]
    for cand in (stem, stem + "e"):
        if cand in verbs:
            return cand
    return None


def _go_between(tok: Token) -> bool:
    """The tokenizer splits 'go-between' into go / - / between."""
    return tok.lower_ in ("between", "betweens") and any(c.lower_ == "go" for c in tok.lefts) and \
        tok.dep_ in ("pobj", "attr")


def _acting_as(ctx: Ctx, noun: Token):
    gov = noun.head
    if noun.dep_ == "pobj" and gov.lower_ == "as":
        gov = gov.head
    elif noun.dep_ not in ("attr", "oprd"):
        return []
    if gov.pos_ not in ("VERB", "AUX") or negated(gov, ctx.lex) or hedged(gov, ctx.lex, attempts=False):
        return []
    return [a for s in subjects(gov) for a in actors(ctx, s, ACTOR_CLASSES)]


def _brought_together(ctx: Ctx, sent: Span):
    """'X helped to bring the two sides together': X mediated between them."""
    out = []
    for tok in ctx.with_words(("bring",), (), sent.start, sent.end):
        if tok.lemma_ != "bring" or not any(c.lower_ == "together" for c in tok.children):
            continue
        if not any(o.dep_ == "dobj" and o.lemma_ in ("side", "party", "leader", "rival", "delegation", "foe")
                   for o in tok.children) or negated(tok, ctx.lex) or hedged(tok, ctx.lex, attempts=False):
            continue
        gov = tok
        while gov.dep_ in ("xcomp", "pcomp", "pobj", "prep") and gov.head.i != gov.i:
            gov = gov.head  # "credited with helping to bring …"
        meds = [a for s in subjects(gov) for a in actors(ctx, s, ACTOR_CLASSES)] or \
            [a for p in passive_agents(gov) for a in actors(ctx, p, ACTOR_CLASSES)]
        if not meds and any(c.dep_ == "nsubjpass" for c in gov.children):
            meds = [a for c in gov.children if c.dep_ == "nsubjpass" for a in actors(ctx, c, ACTOR_CLASSES)]
        if meds:
            out.append((meds, tok))
    return out


def _thanked_helpers(ctx: Ctx, sent: Span):
    """'Biden thanked the emir of Qatar and Sultan Haitham of Oman for helping to secure their
    release', 'the ministry thanked the UAE for its mediation': the thanked helped broker."""
    out = []
    help_words = set(ctx.lex["mediation"]["help_verbs"]) | set(ctx.lex["mediation"]["verbs"])
    for tok in ctx.with_words(("thank",), (), sent.start, sent.end):
        if tok.lemma_ != "thank" or tok.pos_ != "VERB":
            continue
        for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "for"):
            if any(t.lemma_ in help_words and t.pos_ == "VERB" for t in prep.subtree):
                thanked = [o for o in tok.children if o.dep_ in ("dobj", "nsubjpass")]  # "X was thanked by both sides"
                meds = [a for o in thanked for a in actors(ctx, o, ACTOR_CLASSES)]
                if meds:
                    out.append((meds, tok))
    return out


def is_passive_like(tok: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass", "agent") for c in tok.children) or (
        tok.dep_ in ("acl", "amod") and tok.tag_ == "VBN")


def _negotiation(ctx: Ctx, sent: Span, meds, anchor: Token, rule: str) -> None:
    parties = _between(ctx, anchor)
    if not parties:
        for t in anchor.ancestors:
            parties = _between(ctx, t)
            if parties:
                break
    if not parties:
        parties = [a for t in sent for a in _between(ctx, t)]
    if not parties:
        parties = clause_sides(ctx, anchor, {e for e, _ in meds})
    med_ids = {e for e, _ in meds}
    parties = [p for p in parties if p[0] not in med_ids]
    f = ctx.new("Negotiation", rule, anchor, [m for _, m in meds] + [m for _, m in parties])
    for eid, _ in meds:
        f.add("mediator", eid)
    for eid, _ in parties:
        f.add("party", eid)  # a person party ("between Kurti and Vucic") stands for their state: finalize


def clause_sides(ctx: Ctx, anchor: Token, exclude: set[str]):
    """The coordinated subject of a clause the trigger hangs from: 'Russia and Ukraine carried out
    … a swap mediated by the UAE', 'a ceasefire that the army and the RSF agreed to in talks
    facilitated by …', 'Qatar announced that Israel and Hamas had agreed …, following mediation'."""
    verbs = [t for t in [anchor, *anchor.ancestors] if t.pos_ in ("VERB", "AUX")]
    for v in list(verbs):
        verbs += [c for c in v.children if c.dep_ == "ccomp"]
    for v in verbs:
        for s in (c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")):
            got = [a for a in actors(ctx, s, ("Country", "Organization")) if a[0] not in exclude]
            coordinated = any(c.dep_ == "conj" for c in s.children)
            with_other = [a for c in v.children if c.dep_ == "prep" and c.lower_ == "with" for p in c.children
                          if p.dep_ == "pobj" for a in actors(ctx, p, ("Country", "Organization"))
                          if a[0] not in exclude]  # "X signed an agreement with Y"
            if len(got) >= 2 or (got and (coordinated or with_other)):
                got += [w for w in with_other if w[0] not in {g[0] for g in got}]
                if len(got) < 2:  # "the army and the RSF agreed" with 'the army' not yet named
                    got.append((SIDES, None))
                return got
    return []


CARRY_VERBS = {"carry", "complete", "conduct", "implement", "stage"}   # "carried out an exchange"
FIGHT_VERBS = {"fight", "battle", "clash"}
SIDE_EVENT_NOUNS = {"talk", "negotiation", "war", "conflict", "dialogue", "fighting", "exchange", "swap", "deal",
                    "agreement", "ceasefire", "truce", "dispute", "rift", "standoff", "feud"}


def _side_hints(ctx: Ctx, sent: Span) -> None:
    """Who the article's sides are, even where no fact is stated: 'X and Y signed/agreed …',
    'talks between X and Y', 'the X-Y war'. Read by extract.main_parties."""
    agree = set(ctx.lex["truce"]["agree_verbs"]) | {"exchange", "swap", "trade", "meet", "hold", "negotiate"}
    cues = agree | CARRY_VERBS | FIGHT_VERBS | SIDE_EVENT_NOUNS  # every branch below starts from one
    for tok in ctx.with_words(cues, (), sent.start, sent.end):
        got = []
        carried = tok.pos_ == "VERB" and tok.lemma_ in CARRY_VERBS and \
            any(o.dep_ == "dobj" and o.lemma_ in SIDE_NOUNS for o in tok.children)  # "carried out an exchange"
        relative = any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("who", "which", "that") for c in tok.children)
        if tok.pos_ == "VERB" and (tok.lemma_ in agree or carried) and not negated(tok, ctx.lex) and not relative:
            # ("mediators from Egypt and Qatar, who signed a document guaranteeing it" are no sides)
            for s in subjects(tok):
                # people sign too: finalize reads them as the state or group they lead
                classes = ("Country", "Organization", "Person") if tok.lemma_ in ("sign", "agree") else \
                    ("Country", "Organization")
                got = [a for a in actors(ctx, s, classes) if not a[0].startswith(SIDES)]
                if len(got) == 1 and tok.lemma_ in ("sign", "agree", "reach", "exchange", "swap", "trade"):
                    # "Chad's government signed a peace agreement with the rebels"
                    got += [a for c in tok.children if c.dep_ == "prep" and c.lower_ == "with"
                            for p in c.children if p.dep_ == "pobj" for a in actors(ctx, p, ("Country", "Organization"))]
                if len(got) >= 2:
                    break
        elif tok.pos_ == "VERB" and tok.lemma_ in FIGHT_VERBS and not negated(tok, ctx.lex):
            # "the Polisario, which fought Morocco until …", "the army has battled the RSF since April"
            got = [a for s in subjects(tok) for a in actors(ctx, s, ("Country", "Organization"))]
            got += [a for o in tok.children if o.dep_ == "dobj" for a in actors(ctx, o, ("Country", "Organization"))]
            got += [a for c in tok.children if c.dep_ == "prep" and c.lower_ in ("with", "against") for p in c.children
                    if p.dep_ == "pobj" for a in actors(ctx, p, ("Country", "Organization"))]
            got = got if len({e for e, _ in got}) >= 2 else []
        elif tok.pos_ == "NOUN" and tok.lemma_ in SIDE_EVENT_NOUNS:
            got = [a for a in _between(ctx, tok) if ctx.cls(a[0]) in ("Country", "Organization")]
            if not got:
                got = _hyphen_pair(ctx, tok)  # "the US-Taliban prisoner swap"
            for c in (c for c in tok.children if not got and c.dep_ == "acl" and c.lemma_ == "pit"):
                # "negotiations pitting the army against the RSF"
                got = [a for o in c.children if o.dep_ == "dobj" for a in actors(ctx, o, ("Country", "Organization"))]
                got += [a for p in c.children if p.dep_ == "prep" and p.lower_ == "against" for o in p.children
                        if o.dep_ == "pobj" for a in actors(ctx, o, ("Country", "Organization"))]
            if not got and tok.lemma_ in ("war", "conflict", "fighting", "exchange", "swap", "dispute"):
                # "Russia's prisoner swap with Ukraine", "Israel's war with Hamas"
                mine = [a for c in tok.children if c.dep_ == "poss" for a in actors(ctx, c, ("Country", "Organization"))]
                other = [a for c in tok.children if c.dep_ == "prep" and c.lower_ == "with" for p in c.children
                         if p.dep_ == "pobj" for a in actors(ctx, p, ("Country", "Organization"))]
                got = mine + other if mine and other else []
        # a group named as one ("the Quartet agreed on the text") acts as one side, not as several
        got = [a for a in got if a[1] is None or ctx.doc[a[1].start].lower_ not in COLLECTIVES]
        if got and (len(got) >= 2 or tok.lemma_ in ("sign", "agree")):
            ctx.side_hints.extend(e for e, _ in got)


def _hyphen_pair(ctx: Ctx, noun: Token):
    """'the US-Taliban prisoner swap', 'the Russia-Ukraine war': the two names joined by a hyphen
    in front of the noun."""
    left = [t for t in noun.doc[max(noun.sent.start, noun.i - 6): noun.i]]
    for i, t in enumerate(left[1:-1], 1):
        if t.text in ("-", "–") and not t.whitespace_ and not left[i - 1].whitespace_:
            a, b = ctx.mention(left[i - 1]), ctx.mention(left[i + 1])
            if a is not None and b is not None and a.entity != b.entity and all(
                    len(m.entities) == 1 and ctx.cls(m.entity) in ("Country", "Organization") for m in (a, b)):
                return [(a.entity, a), (b.entity, b)]
    return []


def _truces(ctx: Ctx, sent: Span) -> None:
    lex = ctx.lex["truce"]
    nouns = set(lex["nouns"])
    for tok in ctx.with_words(nouns, (), sent.start, sent.end):
        if tok.pos_ != "NOUN":
            continue
        gov = tok.head if tok.dep_ in ("dobj", "nsubjpass", "pobj") else None
        hops = 0
        while gov is not None and gov.pos_ != "VERB" and hops < 4 and gov.head.i != gov.i:
            gov, hops = gov.head, hops + 1  # "signed an agreement for a permanent cessation of hostilities"
        if gov is not None and gov.pos_ != "VERB":
            gov = None
        status = None
        if gov is not None and gov.pos_ == "VERB" and not hedged(gov, ctx.lex):
            lemma = gov.lemma_.lower()
            if lemma in lex["agree_verbs"]:
                status = "rejected" if negated(gov, ctx.lex) else "agreed"
            elif lemma in ctx.lex["rejection"]["verbs"]:
                status = "rejected"
            elif lemma in ctx.lex["proposal"]["verbs"]:
                status = "proposed"
            elif lemma in lex["end_verbs"]:
                status = "ended"
        if status is None:
            continue
        parties = _between(ctx, tok) or [a for s in subjects(gov) for a in actors(ctx, s, ("Country", "Organization"))]
        if len(parties) < 2:
            continue
        f = ctx.new("Truce", f"truce:{status}", tok, [m for _, m in parties])
        for eid, _ in parties:
            f.add("party", eid)
        f.values["status"] = status

