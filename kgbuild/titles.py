"""Titles attached to people: "Israeli Prime Minister Benjamin Netanyahu", "Ismail Haniyeh, the
head of Hamas's political bureau", "Qatar's emir, Sheikh Tamim", "then headed by Murad Muwafi";
and bare title descriptions ("Qatar's prime minister", "the Israeli prime minister") that refer to
a person named elsewhere.

These are found while resolving mentions (a bare title is a reference) and become `kgo:Role`
facts in `extract.roles`.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Token

from .resources import titles
from .words import entity_at

TITLE_HEAD_VERBS = {"head", "lead", "chair", "run", "command"}


@dataclass(frozen=True)
class TitleMatch:
    holder_token: int            # a token of the person's mention
    title: str                   # lower-case title ("prime minister")
    of_token: int | None         # a token of the organisation's or state's mention, if named
    of_default: str | None       # a gazetteer key the title implies ("secretary of state" → US)
    tokens: tuple[int, int]      # span of the title phrase, for evidence
    government: str | bool = False  # "Government/ministry spokesman X": the government or ministry named before


@lru_cache(maxsize=None)
def title_words() -> frozenset[str]:
    return frozenset(w for t in titles()["titles"] for w in t.split())


@lru_cache(maxsize=None)
def title_heads() -> frozenset[str]:
    """The last word of each title: what heads a title noun phrase."""
    # "secretary of state" is headed by "secretary", not "state"
    return frozenset(t.split(" of ")[0].split()[-1] for t in titles()["titles"])


def longest_title(words: list[str]) -> str | None:
    """The longest known title that the words end with ("political bureau head" → "head")."""
    known = set(titles()["titles"])
    for k in range(len(words), 0, -1):
        for i in range(0, len(words) - k + 1):
            cand = " ".join(words[i:i + k])
            if cand in known:
                return " ".join(w for w in words if w in title_words() or w in ("parliamentary", "human", "rights",
                                                                                 "national", "security", "political",
                                                                                 "foreign", "senior", "deputy",
                                                                                 "crown")) or cand
    return None


def title_phrase(head: Token) -> tuple[str | None, list[Token]]:
    """Title words of a noun phrase headed by `head` ("Ukraine's parliamentary human rights
    commissioner" → "parliamentary human rights commissioner") and its modifier tokens."""
    mods = [t for t in head.lefts if t.dep_ in ("amod", "compound") and t.pos_ in ("ADJ", "NOUN", "PROPN")
            and not t.ent_type_]
    words = [t.lower_ for t in mods] + [head.lower_]
    if head.lemma_.lower() not in title_heads() and head.lower_ not in title_heads():
        return None, []
    title = " ".join(w for w in words if w.isalpha() or "-" in w)
    return (title or None), mods


def find_titles(doc: Doc, person_tokens: dict[int, str], mention_at) -> list[TitleMatch]:
    """Explicit titles of named people. `person_tokens` maps token index → person entity id;
    `mention_at(i)` gives the entity id of a state or organisation mention at token i, or None."""
    out: list[TitleMatch] = []
    seen_heads: set[int] = set()
    defaults = titles()["default_of"]
    starts = sorted({i for i in person_tokens if i - 1 not in person_tokens or
                     person_tokens.get(i - 1) != person_tokens[i]})
    for s in starts:
        # (a) titles before the name: "UAE President Sheikh Mohamed", "Fatah leader Marwan Barghouti"
        i = s - 1
        words: list[str] = []
        of_tok = None
        capital_of = None
        former = False
        government = False
        while i >= 0:
            t = doc[i]
            low = t.lower_.rstrip(".")
            if low in ("of", "for", "the", "and") and not (words and words[0] in ("state", "staff")):
                break  # "the main residence of senior official X": 'of' ends the title
            if low in title_words() and (t.is_title or t.is_lower or t.is_upper):
                words.insert(0, low)
            elif words and t.is_lower and t.pos_ in ("NOUN", "ADJ") and t.dep_ in ("compound", "amod") and \
                    t.head.i >= i + 1 and t.head.i < s and low not in ("former", "ex", "then", "government", "ministry"):
                pass  # a portfolio: "Ukraine's infrastructure minister X", "its energy minister"
            elif low in set(titles()["honorifics"]) or t.text in ("'s", "\u2019s", "-"):
                pass
            elif low in ("former", "ex", "then"):
                former = True
            elif low in ("government", "ministry") and words:
                government = low
            elif mention_at(i) is not None and of_tok is None:
                of_tok = i
            elif _capital_at(doc, i) and of_tok is None and capital_of is None:
                capital_of, i = _capital_at(doc, i)  # "Kremlin spokesman Dmitry Peskov", "White House …"
            else:
                break
            i -= 1
        title = longest_title(words) if words else None
        head = _mention_root(doc, s, person_tokens)
        if title and of_tok is None:
            # "General X, who heads the paramilitary RSF": the body the person heads
            of_tok = next((m.of_token for m in _heads_of(doc, s, head, mention_at)), None)
        if not words and of_tok is not None and of_tok == s - 2 and doc[s - 1].text in ("'s", "\u2019s") and \
                _is_state(mention_at, of_tok, doc):
            # "Rwanda's Paul Kagame": a state's own man, title unsaid
            out.append(TitleMatch(s, "leader", of_tok, None, (of_tok, s)))
            continue
        if title:
            if of_tok is None:
                of_tok = _of_after(head, mention_at)  # "Sultan Haitham bin Tarik of Oman"
            out.append(TitleMatch(s, ("former " if former else "") + title, of_tok,
                                  capital_of or defaults.get(title), (i + 1, s), government))
            continue
        # (b) an apposition: "Ismail Haniyeh, the head of Hamas's political bureau"
        appositions = [c for c in head.children if c.dep_ == "appos"]
        # "… leader and its spokesman"; not a plural that starts a new list member ("…, and representatives of Y")
        appositions += [cc for c in appositions for cc in c.children if cc.dep_ == "conj" and cc.tag_ not in ("NNS", "NNPS")]
        for child in appositions:
            if child.dep_ in ("appos", "conj"):
                t, mods = title_phrase(child)
                if t:
                    of = _of_in_phrase(child, mention_at)
                    seen_heads.add(child.i)
                    out.append(TitleMatch(s, t, of, defaults.get(t), (child.left_edge.i, child.right_edge.i + 1)))
        # (c') "the sultan of Oman, Haitham bin Tariq": the name hangs on the state, the state on the title
        if head.dep_ == "appos" and head.head.dep_ == "pobj" and head.head.head.lower_ == "of" and \
                mention_at(head.head.i) is not None:
            t, mods = title_phrase(head.head.head.head)
            if t:
                out.append(TitleMatch(s, t, head.head.i, None, (head.head.head.head.left_edge.i, head.i + 1)))
                continue
        # (c) the title first: "Qatar's emir, Sheikh Tamim bin Hamad Al Thani"
        if head.dep_ == "appos" and head.head.i not in person_tokens:
            t, mods = title_phrase(head.head)
            if t:
                of = _of_in_phrase(head.head, mention_at, stop=head)
                seen_heads.add(head.head.i)
                out.append(TitleMatch(s, t, of, defaults.get(t), (head.head.left_edge.i, head.i + 1)))
        # (d) "the service, then headed by Murad Muwafi"
        if head.dep_ == "pobj" and head.head.dep_ == "agent" and head.head.head.lemma_ in TITLE_HEAD_VERBS:
            verb = head.head.head
            target = verb.head if verb.dep_ in ("acl", "relcl") else None
            if verb.dep_ in ("advcl", "conj") and verb.head.pos_ == "VERB":  # "was run by X, then headed by Y"
                target = next((p for a in verb.head.children if a.dep_ == "agent" for p in a.children
                               if p.dep_ == "pobj"), None)
            if target is not None:
                of = mention_at(target.i)
                if of is not None:
                    out.append(TitleMatch(s, "head", target.i, None, (target.left_edge.i, head.i + 1)))
        # (e) "Abdulqader al-Murtada, who heads the Houthis' prisoner affairs committee"
        out.extend(_heads_of(doc, s, head, mention_at))
    return out


def _heads_of(doc: Doc, s: int, head: Token, mention_at) -> list[TitleMatch]:
    """'X, who heads/leads/controls Y', 'X, who is in control (charge) of Y': X heads Y."""
    out = []
    for rel in (c for c in head.children if c.dep_ == "relcl"):
        objs = [c for c in rel.children if c.dep_ == "dobj"] if rel.lemma_ in TITLE_HEAD_VERBS | {"control"} else []
        if rel.lemma_ == "be":  # "who is in control of the army"
            objs = [p for c in rel.children if c.dep_ == "prep" and c.lower_ == "in" for n in c.children
                    if n.dep_ == "pobj" and n.lemma_ in ("control", "charge", "command")
                    for o in n.children if o.dep_ == "prep" and o.lower_ == "of" for p in o.children if p.dep_ == "pobj"]
        for obj in objs:
            of = obj.i if mention_at(obj.i) is not None else _of_in_phrase(obj, mention_at)
            if of is not None:
                title = "leader" if rel.lemma_ == "lead" else "head"
                out.append(TitleMatch(s, title, of, None, (head.i, obj.right_edge.i + 1)))
    return out


def _capital_at(doc: Doc, i: int):
    """(country key, first token index) when a capital's name ends at token i."""
    e = entity_at(doc, i)
    if e is not None and e.end - 1 == i and e.ent_id_.startswith("capital:"):
        return f"country:{e.ent_id_.split(':', 1)[1]}", e.start
    return None


def _is_state(mention_at, i: int, doc: Doc) -> bool:
    e = entity_at(doc, i)
    return e is not None and e.ent_id_.startswith("country:") and e.label_ == "GPE"


def _of_after(head: Token, mention_at) -> int | None:
    for c in head.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for p in c.children:
                if p.dep_ == "pobj" and mention_at(p.i) is not None:
                    return p.i
    return None


def _mention_root(doc: Doc, start: int, person_tokens: dict[int, str]) -> Token:
    eid = person_tokens[start]
    toks = [doc[i] for i in range(start, len(doc)) if person_tokens.get(i) == eid]
    toks = [t for t in toks if t.i - start < len(toks) + 1]
    for t in toks:
        if t.head.i not in {x.i for x in toks} or t.head.i == t.i:
            return t
    return toks[-1]


def _of_in_phrase(head: Token, mention_at, stop: Token | None = None) -> int | None:
    """The state or organisation a title belongs to, inside the title's phrase: a possessor, a
    modifier, or the object of 'of' ("head of Hamas's political bureau")."""
    # not into a further apposition, list member or clause ("adviser to X, and representatives of Y")
    fenced = {x.i for c in head.children if c.dep_ in ("conj", "appos", "relcl", "acl", "cc") for x in c.subtree}
    for t in head.subtree:
        if stop is not None and t.i >= stop.i and stop.i > head.i:
            break
        if t.i != head.i and t.i not in fenced and mention_at(t.i) is not None:
            return t.i
    return None


def title_descriptions(doc: Doc, taken: set[int]) -> list[tuple[Token, str]]:
    """Bare titles that refer to a person: "Qatar's prime minister", "the Israeli prime minister"
    (heads with a determiner or a possessive, no name attached)."""
    out = []
    for tok in doc:
        if tok.i in taken or tok.pos_ != "NOUN" or tok.lemma_.lower() not in title_heads():
            continue
        if tok.tag_ in ("NNS", "NNPS") or tok.dep_ == "compound":
            continue
        dets = [c for c in tok.lefts if c.dep_ in ("det", "poss")]
        if not dets or any(c.lower_ in ("a", "an", "any", "every", "each", "no") for c in dets):
            continue
        if any(c.dep_ == "appos" for c in tok.children) or tok.dep_ == "appos" or (
                tok.dep_ == "conj" and tok.head.dep_ == "appos"):
            continue  # handled as an explicit title ("X, a senior TPLF leader and its spokesman")
        if any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children) and tok.lemma_ in ("head", "leader", "chief"):
            pass
        t, _ = title_phrase(tok)
        if t and t not in ("official", "source", "figure"):
            out.append((tok, t))
    return out
