"""The extractor families, one module each, run in a fixed order over a parsed document.

Each family is a pure function `extract(ctx)` that appends `Fact`s to `ctx.facts`; `finalize`
then applies the document-level rules that no single sentence can (the main parties of an
article, the other side of an exchange, a mediator is never also a party).
"""
from __future__ import annotations

from collections import Counter
from importlib import import_module

from spacy.tokens import Doc

from ..entities import SIDES, DocEntities
from ..facts import Fact
from .common import Ctx
from .dating import date_facts
from .roles import STATE, state_title

REQUIRED = {"Meeting": ("participant",), "Statement": ("speaker",), "Demand": ("demandedBy",),
            "HostageTaking": ("perpetrator",), "Truce": ("party",)}
FAMILIES = ("roles", "exchange", "mediation", "meeting", "speech", "casualties")


def run_families(doc: Doc, ents: DocEntities, families=FAMILIES) -> list[Fact]:
    ctx = Ctx(doc, ents, body_start=doc.user_data.get("kg_body_start", 0))
    order = [f for f in FAMILIES if f in families] + [f for f in families if f not in FAMILIES]
    for fam in order:
        import_module(f"{__name__}.{fam}").extract(ctx)
    finalize(ctx)
    return ctx.facts


def main_parties(ctx: Ctx, roles: dict[str, str] | None = None) -> list[str]:
    """The sides an article is about: those named as parties, sides of an exchange or a truce,
    takers of hostages, states whose people were freed, and the signatories of agreements (people
    standing for the state or organisation they lead); most often named first."""
    roles = roles or {}
    count: Counter = Counter()
    first: dict[str, int] = {}

    def vote(e: str, n: int, weight: float = 1.0) -> None:
        if e.startswith("?other:"):
            # "230 Ukrainians" were freed: Ukraine is a side, on weaker evidence than a side named
            # as freeing or negotiating ("15 Saudis freed" in a Yemeni swap)
            e, weight = e.split(":", 1)[1], 0.5
        if e.startswith("?"):
            return
        e = roles.get(e, e) if ctx.cls(e) == "Person" else e
        if ctx.cls(e) in ("Country", "Organization"):
            count[e] += weight
            first.setdefault(e, n)

    for n, f in enumerate(ctx.facts):
        props = {"Negotiation": ["party"], "Truce": ["party"], "Exchange": ["party"],
                 "HostageTaking": ["perpetrator"], "Release": ["releasedBy"]}.get(f.cls, [])
        for p in props:
            for e in f.args.get(p, []):
                vote(e, n)
        if f.cls == "Proposal":
            # who turns down or takes up a plan another made is a side to it ("the army rejected
            # the plan the mediators put to both sides"), on weaker evidence than a named party
            for e in f.args.get("rejectedBy", []) + f.args.get("acceptedBy", []):
                if e not in f.args.get("proposedBy", []) and not e.startswith("?"):
                    vote(e, n, 0.5)
    for e in ctx.side_hints:
        vote(e, len(ctx.facts))
    if len(count) < 2:  # who met says who the sides are only when nothing else does: mediators meet too
        mediators = {m for f in ctx.facts if f.cls == "Negotiation" for m in f.args.get("mediator", [])}
        for n, f in enumerate(ctx.facts):
            if f.cls == "Meeting":
                for e in f.args.get("participant", []):
                    if e not in mediators:
                        vote(e, n)
    return sorted(count, key=lambda e: (-count[e], first[e]))


def _dominant_state(ctx: Ctx) -> str | None:
    """The state an article is plainly about: named at least twice as often as any other."""
    count: Counter = Counter(m.entity for m in ctx.ents.mentions
                             if len(m.entities) == 1 and ctx.cls(m.entity) == "Country")
    top = count.most_common(2)
    if top and top[0][1] >= 3 and (len(top) == 1 or top[0][1] >= 2 * top[1][1]):
        return top[0][0]
    return None


def current_roles(ctx: Ctx) -> dict[str, str]:
    """Person → the state (else organisation) they hold a current title of."""
    roles: dict[str, str] = {}
    for f in ctx.facts:
        if f.cls == "Role" and not str(f.values.get("title", "")).startswith("former"):
            for h in f.args.get("holder", []):
                for o in f.args.get("roleOf", []):
                    if o == STATE:
                        continue
                    if h not in roles or (ctx.cls(o) == "Country" and ctx.cls(roles[h]) != "Country"):
                        roles[h] = o
    return roles


def _international(ctx: Ctx, eid: str) -> bool:
    from ..resources import gazetteer

    e = ctx.ents.entities.get(eid)
    entry = gazetteer().entries.get(e.key) if e else None
    return bool(entry and "international" in entry["tags"])


def finalize(ctx: Ctx) -> None:
    parties = main_parties(ctx, current_roles(ctx))
    states = [p for p in parties[:2] if ctx.cls(p) == "Country"]
    home = states[0] if len(states) == 1 else _dominant_state(ctx)
    for f in ctx.facts:  # "Prime Minister Abiy Ahmed" in an article whose one state party is Ethiopia
        if f.cls == "Role" and STATE in f.args.get("roleOf", []):
            f.args["roleOf"] = [home] if home else []
    roles = current_roles(ctx)
    rulers = {h: o for f in ctx.facts if f.cls == "Role" and state_title(str(f.values.get("title", "")))
              and not str(f.values.get("title", "")).startswith("former")
              for h in f.args.get("holder", []) for o in f.args.get("roleOf", []) if o in ctx.ents.entities
              and ctx.cls(o) == "Country"}
    by_id = {f.fid: f for f in ctx.facts}
    keep: list[Fact] = []
    for f in ctx.facts:
        # a headline is a summary without context: "Truce talks resume in Cairo" does not say that
        # both of the article's sides took part (the body says who did)
        headline_only = all(ev.start < ctx.body_start for ev in f.evidence)
        # the other side of an exchange, left open by the sentence
        for prop, vals in list(f.args.items()):
            fixed = []
            for e in vals:
                if e.startswith("?other:"):
                    mine = set(e.split(":", 1)[1].split(","))
                    e = next((p for p in parties if p not in mine), None)
                    if e is None and home and home not in mine:
                        e = home  # a group's swap with the state the article is about
                    if e is None:
                        continue  # no other side named anywhere in the article
                if e.startswith(SIDES) and headline_only:
                    continue
                if e.startswith(SIDES):  # "the two sides": the article's main parties
                    cands = [c for c in e[len(SIDES) + 1:].split(",") if c]
                    chosen = cands if cands and all(c in parties[:4] for c in cands) else parties[:2]
                    fixed.extend(p for p in chosen if p not in fixed)
                    continue
                if e is not None and e not in fixed:
                    fixed.append(e)
            f.args[prop] = fixed
        if f.cls == "Negotiation":
            for m in list(f.args.get("mediator", [])):
                part_of = ctx.ents.entities[m].part_of if m in ctx.ents.entities else None
                if part_of:  # "the Emirati foreign ministry … its mediation": the state mediates
                    f.args["mediator"] = [ctx.entity_for_key(part_of) if x == m else x for x in f.args["mediator"]]
                if ctx.cls(m) == "Person" and m in roles:
                    f.add("mediator", roles[m])
            for p in list(f.args.get("party", [])):
                if ctx.cls(p) == "Person":  # "the meeting between Kurti and Vucic": their states
                    f.args["party"] = [x for x in f.args["party"] if x != p] + ([roles[p]] if p in roles else [])
            f.args["mediator"] = [m for m in f.args.get("mediator", []) if m not in parties[:2]]
            if not f.args["mediator"]:
                continue
            if not f.args.get("party"):
                for p in parties[:2]:
                    if p not in f.args["mediator"]:
                        f.add("party", p)
            for p in [p for p in f.args.get("party", []) if _international(ctx, p)]:
                f.add("mediator", p)  # the Red Cross or the UN in a 'between' list are go-betweens
            f.args["party"] = [p for p in f.args.get("party", []) if p not in f.args["mediator"]]
        if f.cls == "Release":
            # "President Lukashenko pardoned 46 people": a head of state or government frees for the state
            for p in list(f.args.get("releasedBy", [])):
                if ctx.cls(p) == "Person" and p in rulers:
                    f.add("releasedBy", rulers[p])
        if f.cls == "Role" and not f.args.get("roleOf"):
            continue
        if any(not f.args.get(p) for p in REQUIRED.get(f.cls, ())):
            continue  # "the two sides" of an article whose sides were never named
        if f.cls == "Release" and not f.args.get("releasedBy") and "count" not in f.values:
            continue  # "the prisoners were handed over": nobody named as freeing them, and no number
        keep.append(f)
    kept_ids = {f.fid for f in keep}
    final = []
    sentence_sides = [{a for r in f.links.get("hasRelease", []) if r in kept_ids for a in by_id[r].args.get("releasedBy", [])}
                      for f in keep if f.cls == "Exchange" and f.rule != "exchange:document"]
    for f in keep:
        if f.cls == "Exchange" and f.rule == "exchange:document":
            # the other sides are known only now: one release for each side, and none already joined
            per_side: dict[str, str] = {}
            for r in (r for r in f.links.get("hasRelease", []) if r in kept_ids):
                for a in by_id[r].args.get("releasedBy", []):
                    per_side.setdefault(a, r)
            if any(set(per_side) <= s for s in sentence_sides):
                continue
            f.links["hasRelease"] = list(dict.fromkeys(per_side.values()))
        if f.cls == "Exchange":
            rels = [r for r in f.links.get("hasRelease", []) if r in kept_ids]
            agents = {a for r in rels for a in by_id[r].args.get("releasedBy", [])}
            if len(rels) < 2 or len(agents) < 2:
                continue
            f.links["hasRelease"] = rels
            f.args["party"] = sorted(agents, key=lambda a: f.args.get("party", []).index(a)
                                     if a in f.args.get("party", []) else 99)
        final.append(f)
    ctx.facts[:] = final
    date_facts(ctx, ctx.doc.user_data.get("kg_doc_date"))
