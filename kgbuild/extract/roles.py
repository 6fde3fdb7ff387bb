"""kgo:Role facts: who holds which title of which state or organisation.

Read from the titles that mention resolution found: "Israeli Prime Minister Benjamin Netanyahu",
"Ismail Haniyeh, the head of Hamas's political bureau", "Qatar's emir, Sheikh Tamim", and bare
titles resolved to a person named in another sentence ("Qatar's prime minister" … "Al Thani").
"""
from __future__ import annotations

from ..resources import known_people, norm
from .common import Ctx

# Titles too generic to make a role on their own ("an official").
WEAK_TITLES = {"official", "source", "member"}
# Titles that only a state has: with no state named, the article's one state party holds them.
STATE_TITLES = {"president", "prime minister", "premier", "king", "emir", "sultan", "crown prince",
                "chancellor", "national security adviser", "national security advisor", "counterpart",
                "defense secretary", "defence secretary", "foreign secretary", "home secretary", "secretary of state",
                "chief negotiator", "dictator", "strongman", "autocrat", "ruler", "monarch"}


def state_title(title: str) -> bool:
    t = title.removeprefix("former ")
    return t in STATE_TITLES or t.endswith("minister")
STATE = "?state"


def _known_of(ctx: Ctx, person: str) -> str | None:
    from ..resources import gazetteer

    e = ctx.ents.entities[person]
    people = known_people()
    key = next((people[norm(n)] for n in [e.label, *e.alt_labels] if norm(n) in people), None)
    if key is None and len(e.label.split()) >= 2:
        # "Tayyip Erdogan" is "Recep Tayyip Erdogan"
        words = set(norm(e.label).split())
        cands = {k for name, k in people.items() if words <= set(name.split())}
        key = cands.pop() if len(cands) == 1 else None
    return ctx.entity_for_key(key) if key and key in gazetteer().entries else None


def extract(ctx: Ctx) -> None:
    seen: set[tuple] = set()
    doc = ctx.doc
    for tm in ctx.ents.titles:
        holder_m = ctx.ents.by_token.get(tm.holder_token)
        if holder_m is None or ctx.cls(holder_m.entity) != "Person" or doc[tm.holder_token].idx < ctx.body_start:
            continue
        of_m = ctx.ents.by_token.get(tm.of_token) if tm.of_token is not None else None
        of = of_m.entity if of_m is not None else (ctx.entity_for_key(tm.of_default) if tm.of_default else None)
        if of is None:
            of = _known_of(ctx, holder_m.entity) or _through_person(ctx, tm, holder_m.entity)
        if of is None and tm.government:
            of = _governed_state(ctx, tm.holder_token, str(tm.government))  # "Government spokesman Patrick Muyaya"
        if of is None and not state_title(tm.title) and not tm.government:
            of, of_m = _nearest_body(ctx, tm.holder_token)
        if of is None and state_title(tm.title):
            of = STATE  # "Prime Minister Abiy Ahmed": filled in by extract.finalize
        if of is None or of != STATE and ctx.cls(of) not in ("Country", "Organization") or (
                tm.title in WEAK_TITLES and of_m is None):
            continue
        _role(ctx, seen, holder_m.entity, of, tm.title, doc[tm.holder_token], [holder_m, of_m], "title")
        part_of = ctx.ents.entities[of].part_of if of in ctx.ents.entities else None
        if part_of:  # a spokesman of Iran's foreign ministry speaks for Iran
            _role(ctx, seen, holder_m.entity, ctx.entity_for_key(part_of), tm.title, doc[tm.holder_token],
                  [holder_m, of_m], "title-of-state-organ")
    for m, of in ctx.ents.described:
        if of is None or doc[m.start].idx < ctx.body_start:
            continue
        _role(ctx, seen, m.entity, of, m.title, doc[m.start], [m], "bare-title")


def _through_person(ctx: Ctx, tm, holder: str) -> str | None:
    """'Vladimir Medinsky, an aide to President Vladimir Putin': an aide's state is the state of
    the person he serves."""
    for i in range(*tm.tokens):
        m = ctx.ents.by_token.get(i)
        if m is not None and len(m.entities) == 1 and m.entity != holder and ctx.cls(m.entity) == "Person":
            return _known_of(ctx, m.entity)
    return None


def _governed_state(ctx: Ctx, tok_i: int, noun: str = "government") -> str | None:
    """The state whose government the article has named ('the government of X', 'X's government'),
    or for 'ministry spokeswoman X' the ministry named last."""
    best = None
    governments: dict[str, int] = {}
    for m in ctx.ents.mentions:
        if len(m.entities) != 1 or m.start >= tok_i:
            continue
        e = ctx.ents.entities.get(m.entity)
        if noun == "ministry" and e is not None and e.cls == "Organization" and "ministry" in e.label.lower():
            best = m.entity
        elif noun != "ministry" and (m.via == "state-noun" or m.via == "coref" and ctx.doc[m.end - 1].lemma_ in (
                "government", "administration", "regime", "cabinet")):
            best = m.entity
            governments[m.entity] = governments.get(m.entity, 0) + 1
    if noun != "ministry" and governments:
        # "Ethiopia's federal government … hosted by Kenya's government … Government spokesman X": the
        # government the article keeps coming back to, not merely the last one named
        # (of two named as often, the one the article named first: its lead's)
        top = max(governments.values())
        best = next(e for e, n in governments.items() if n == top)
    return best


def _nearest_body(ctx: Ctx, tok_i: int):
    """A title with no state named ('senior political official Ismail Haniyeh') belongs to the
    organisation named closest before it in the same sentence, if any."""
    sent = ctx.doc[tok_i].sent
    best = None
    for t in sent:
        if t.i >= tok_i:
            break
        m = ctx.mention(t)
        # not a body another person is said to head ('X, who heads the RSF, and General Y'), nor
        # one named far back in a long sentence
        owned = any(ctx.mention(a) is not None and ctx.cls(ctx.mention(a).entity) == "Person"
                    for a in t.ancestors)
        if m is not None and len(m.entities) == 1 and ctx.cls(m.entity) == "Organization" and not owned \
                and tok_i - t.i <= 12:
            best = m
    return (best.entity, best) if best else (None, None)


def _role(ctx: Ctx, seen: set, holder: str, of: str, title: str, anchor, used, rule: str) -> None:
    key = (holder, of, title)
    if key in seen or holder == of:
        return
    seen.add(key)
    f = ctx.new("Role", f"role:{rule}", anchor, used)
    f.add("holder", holder)
    f.add("roleOf", of)
    f.values["title"] = title
