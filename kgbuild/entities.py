"""Entity mentions of one document: names, demonyms, capital metonyms, titles and references.

`resolve_mentions(doc)` turns spaCy's entity spans (after the gazetteer ruler) into `Mention`s,
each pointing at one or more local `Entity`s:

- gazetteer names, aliases and demonyms map to their state or organisation ("US", "Israeli");
- a capital stands for its state only where it acts ("Doha said", "mediation by Washington");
  otherwise it is a place of its own ("met in Paris");
- "Israeli officials", "the Israeli government" are the state; "Russia's defence ministry" is an
  organisation of its own;
- person-name fragments merge into the fullest form in the document ("Al Thani" → "Mohammed bin
  Abdulrahman bin Jassim al Thani");
- pronouns, definite descriptions ("the group", "the Gulf state", "the two sides") and bare
  titles ("the prime minister") are resolved by `coref.resolve`.

The result is stored on the Doc (`doc._.kg_mentions`, `doc._.kg_entities`) for the extractors.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from .facts import Entity
from .resources import gazetteer, norm, titles
from .words import entity_at, with_words

# Nouns that, with a state's name or demonym, stand for the state itself.
STATE_NOUNS = {"government", "cabinet", "official", "authority", "side", "leadership", "negotiator",
               "delegation", "administration", "team", "regime", "figure", "force", "military", "army",
               "troop", "source", "mediator", "diplomat", "security", "tally", "estimate", "count", "data",
               "statistic", "record", "presidency"}
# Nouns that, with a state's name, make an organisation of its own.
ORG_NOUNS = {"police", "ministry", "service", "agency", "intelligence", "office", "council", "committee",
             "parliament", "court", "commission", "directorate", "department", "bureau", "forum"}
# Of those, the words that alone never name one body ("the Ministry said" refers back, or to nothing).
BARE_ORG_NOUNS = {"ministry", "office", "department", "directorate", "bureau", "committee", "agency", "service"}
SIDES = "?sides"
# People who speak or act for a state: a capital naming them is the state ("Kremlin spokesman").
SPOKES_NOUNS = {"spokesman", "spokeswoman", "spokesperson", "adviser", "advisor", "aide", "official", "envoy",
                "negotiator", "source", "diplomat", "delegation", "negotiators", "officials"}
# A capital modifying these, itself acting, is its state ("the Kyiv regime", "the Tehran government").
RULING_NOUNS = {"government", "regime", "authority", "administration", "leadership", "cabinet", "junta"}
PLACE_NOUNS = {"town", "city", "capital", "village", "resort", "island", "region", "province", "port", "district"}
PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}


@dataclass
class Mention:
    start: int                       # token index
    end: int                         # token index, exclusive
    entities: tuple[str, ...]        # local entity ids (several for "the two sides")
    via: str = "name"                # name | demonym | capital | state-noun | coref | title
    antecedent: tuple[int, int] | None = None  # char span of the sentence a reference resolved to
    title: str | None = None         # for a title description: the title it carries

    @property
    def entity(self) -> str:
        return self.entities[0]


@dataclass
class DocEntities:
    entities: dict[str, Entity] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    by_token: dict[int, Mention] = field(default_factory=dict)
    titles: list = field(default_factory=list)      # titles.TitleMatch of named people
    described: list = field(default_factory=list)   # (Mention, state id) of bare titles resolved to people

    def add_mention(self, m: Mention) -> Mention:
        for i in range(m.start, m.end):
            if i in self.by_token:  # first claim wins: names before references
                return self.by_token[i]
        self.mentions.append(m)
        for i in range(m.start, m.end):
            self.by_token[i] = m
        return m

    def entity_for_key(self, key: str, cls: str, label: str, surface: str | None = None) -> str:
        for eid, e in self.entities.items():
            if e.key == key:
                if surface:
                    _add_alt(e, surface)
                return eid
        eid = f"e{len(self.entities)}"
        e = Entity(eid, key, cls, label)
        if surface:
            _add_alt(e, surface)
        self.entities[eid] = e
        return eid

    def cls(self, eid: str) -> str:
        return self.entities[eid].cls if eid in self.entities else "Sides"

    def sides(self, candidates: tuple[str, ...] = ()) -> str:
        """A stand-in for "the two sides": the article's main parties, or the candidates (the list
        named just before) if they are among them; filled in by extract.finalize."""
        return SIDES + (":" + ",".join(candidates) if candidates else "")


def _add_alt(e: Entity, surface: str) -> None:
    surface = _clean(surface)
    if not surface or norm(surface) == norm(e.label):
        return
    if surface.islower() and e.cls not in ("Group", "Organization"):
        return  # "he", "the group": references are never labels
    e.alt_labels.add(surface)


for _name in ("kg_entities", "kg_mentions"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


# ----------------------------------------------------------------------------- helpers

def is_agentive(tok: Token) -> bool:
    """Does this noun act (subject, agent, possessor, mediator, side of a 'between')?"""
    t = tok
    while t.dep_ in ("conj", "appos") and t.head.i != t.i:
        t = t.head
    if t.dep_ in ("nsubj", "nsubjpass", "poss"):
        return True
    if t.dep_ == "pobj" and t.head.lower_ in ("by", "between", "with", "from") and t.head.dep_ in ("agent", "prep"):
        # "talks between Washington and Tehran", "mediation by Doha", "officials from Moscow"
        return t.head.lower_ != "from" or t.head.head.lemma_ in STATE_NOUNS
    if t.dep_ in ("compound", "amod", "npadvmod") and "-" in t.doc[t.i + 1: t.i + 2].text:
        return True  # "Doha-brokered"
    if t.dep_ in ("compound", "nmod") and t.head.lemma_.lower() in SPOKES_NOUNS:
        return True  # "a Kremlin adviser", "White House spokesman"
    if t.dep_ in ("compound", "nmod") and t.head.lemma_.lower() in RULING_NOUNS and is_agentive(t.head):
        return True  # "territory held by the Kyiv regime", "the Kabul government said"
    return False


JOURNEY_VERBS = {"travel", "fly", "arrive", "head", "return", "go", "come", "drive", "journey"}


def _journey_end(span: Span) -> bool:
    root = span.root
    return len(span) == 1 and root.dep_ == "pobj" and root.head.lower_ in ("to", "in") and \
        root.head.head.lemma_ in JOURNEY_VERBS and root.head.head.pos_ == "VERB"


def _title_words() -> set[str]:
    from .titles import title_words

    return set(title_words())


def _honorifics() -> set[str]:
    return set(titles()["honorifics"])


def person_label(span: Span) -> str:
    """A person's name without leading titles or honorifics ("President Sheikh X Y" → "X Y")."""
    toks = [t for t in span if not t.is_punct or t.text in ("-", ".")]
    hon = _honorifics()
    while len(toks) > 1 and (toks[0].lower_.rstrip(".") in hon or toks[0].lower_ in ("the", "crown", "deputy")):
        toks = toks[1:]
    text = "".join(t.text_with_ws for t in toks).strip()
    return re.sub(r"'s?$", "", text.replace("\u2019", "'")).strip()


def _name_tokens(label: str) -> list[str]:
    return [w for w in re.split(r"[\s-]+", label.lower()) if w]


# ----------------------------------------------------------------------------- main entry

def resolve_mentions(doc: Doc) -> DocEntities:
    gaz = gazetteer()
    out = DocEntities()
    persons: list[tuple[Span, str]] = []

    for span, label in _consistent_labels(doc):
        key_hint = span.ent_id_
        text = span.text
        if label == "KG_GROUP" and key_hint:
            eid = out.entity_for_key(key_hint, "Group", gaz.entries[key_hint]["label"], text)
            out.add_mention(Mention(span.start, span.end, (eid,)))
        elif key_hint.startswith("capital:"):
            country = f"country:{key_hint.split(':', 1)[1]}"
            if is_agentive(span.root):
                eid = out.entity_for_key(country, "Country", gaz.entries[country]["label"], text)
                out.add_mention(Mention(span.start, span.end, (eid,), via="capital"))
            else:
                eid = out.entity_for_key(f"place:{norm(text)}", "Place", _clean(text), text)
                out.add_mention(Mention(span.start, span.end, (eid,)))
        elif key_hint.startswith("country:"):
            _country_mention(doc, span, key_hint, out, via="demonym" if label == "NORP" else "name")
        elif key_hint.startswith("org:"):
            eid = out.entity_for_key(key_hint, "Organization", gaz.entries[key_hint]["label"], text)
            out.add_mention(Mention(span.start, span.end, (eid,)))
        elif label == "PERSON" and _journey_end(span):
            # "travelled to Mekelle for talks": nobody travels to a person; the tagger took a town for one
            eid = out.entity_for_key(f"place:{norm(text)}", "Place", _clean(text), text)
            out.add_mention(Mention(span.start, span.end, (eid,)))
        elif label == "PERSON":
            lab = person_label(span)
            if not lab or norm(lab) in gaz.names or norm(lab) in gaz.demonyms or lab.islower():
                continue  # ("the ministry's general diwan": a name has a capital letter)
            persons.append((span, lab))
        elif label in ("ORG",):
            if all(t.lower_ in _title_words() for t in span if t.is_alpha):
                continue  # "National Security" in "National Security Minister Itamar Ben-Gvir"
            known = gaz.names.get(norm(text))
            before = out.by_token.get(span.start - 1) or out.by_token.get(span.start - 2)
            bare = [t.lower_ for t in span if t.is_alpha and t.lower_ != "the"]
            if not known and len(bare) == 1 and bare[0] in ORG_NOUNS:
                # "The Ministry said": the ministry named before, never a node of its own
                ante = next((m for m in reversed(out.mentions) if m.start < span.start and len(m.entities) == 1
                             and out.cls(m.entity) == "Organization"
                             and bare[0] in out.entities[m.entity].label.lower().split()), None)
                if ante is not None:
                    out.add_mention(Mention(span.start, span.end, ante.entities, via="coref"))
                if ante is not None or bare[0] in BARE_ORG_NOUNS:
                    continue
            if known:
                eid = out.entity_for_key(known, gaz.entries[known]["cls"], gaz.entries[known]["label"], text)
            elif before is not None and out.cls(before.entity) == "Country" and span.root.lemma_.lower() in ORG_NOUNS \
                    and doc[span.start - 1].text in ("'s", "\u2019s", *[doc[before.start].text]):
                # "Iranian [foreign ministry] spokesman": the parser hung the demonym elsewhere
                rest = " ".join(t.lower_ for t in span if t.is_alpha and t.lower_ != "the")
                eid = state_organ(out, out.entities[before.entity].key, rest, doc[before.start: span.end].text)
            else:
                lab = _clean(text)
                if not lab or lab.lower() in ("state", "government"):
                    continue
                eid = out.entity_for_key(f"org:{norm(lab)}", "Organization", lab, text)
            out.add_mention(Mention(span.start, span.end, (eid,)))
        elif label in ("GPE", "LOC", "FAC"):
            known = gaz.names.get(norm(text))
            if known and gaz.entries[known]["cls"] == "Country":
                _country_mention(doc, span, known, out, via="name")
                continue
            lab = _clean(text)
            if lab:
                eid = out.entity_for_key(f"place:{norm(lab)}", "Place", lab, text)
                out.add_mention(Mention(span.start, span.end, (eid,)))
        elif label == "NORP":
            _collective_mention(doc, span, out)

    _untagged_organisations(doc, out)
    _untagged_persons(doc, out, persons)
    _merge_persons(doc, out, persons)
    _surnames(doc, out)
    _generic_organisations(doc, out)
    from .coref import resolve as resolve_references  # after names: references point at them

    resolve_references(doc, out)
    return out


def _consistent_labels(doc: Doc) -> list[tuple[Span, str]]:
    """The small model labels one name differently from sentence to sentence ("Obasanjo" ORG,
    "Tigray" PERSON). Within one article a name keeps one label: a word of a person's full name is
    a person; an unknown ORG made of capitalised words with no organisation word, in a title or
    surname context, is a person; otherwise the label the name gets most often wins."""
    gaz = gazetteer()
    org_words = set(titles().get("organisation_words", []))
    org_words |= {w + "s" for w in org_words} | {w[:-1] + "ies" for w in org_words if w.endswith("y")}
    spans = [s for s in doc.ents if s.label_ in ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "KG_GROUP")]
    def person_like_org(s: Span, person_words: set[str]) -> bool:
        if s.ent_id_ or norm(s.text) in gaz.names:
            return False
        words = [t for t in s if t.is_alpha]
        if not words or any(t.lower_ in org_words for t in words) or any(t.is_upper and len(t) > 1 for t in words):
            return False
        if not all(t.is_title for t in words):
            return False
        if len(words) == 1 or len(words) > 4:
            return len(words) == 1 and words[0].lower_ in person_words
        # "Olusegun Obasanjo" tagged ORG: a surname seen as a person, or a title right before it
        # ("Boko Haram", "Foro Penal" have neither)
        prev = doc[s.start - 1] if s.start > 0 else None
        root = s.root
        coordinated_with_person = root.dep_ == "conj" and root.head.ent_type_ == "PERSON" or any(
            c.dep_ == "conj" and c.ent_type_ == "PERSON" for c in root.children)
        speaks = root.dep_ == "nsubj" and root.head.lemma_ in ("say", "tell", "add", "write")
        return words[-1].lower_ in person_words or (prev is not None and prev.lower_ in _title_words()) or any(
            c.dep_ == "appos" and c.lemma_.lower() in _title_words() for c in root.children) or \
            coordinated_with_person or speaks

    person_words: set[str] = set()
    for s in spans:
        if len(s) > 1 and s.label_ == "PERSON":
            person_words.update(t.lower_ for t in s if t.is_alpha and t.lower_ not in _honorifics())
    for s in spans:
        if len(s) > 1 and s.label_ == "ORG" and person_like_org(s, person_words):
            person_words.update(t.lower_ for t in s if t.is_alpha and t.lower_ not in _honorifics())
    # words that name places or organisations elsewhere ("Tigray" in "Tigray People's Liberation Front")
    other_words = {t.lower_ for s in spans if s.label_ in ("ORG", "GPE", "LOC", "FAC") and len(s) > 1 for t in s}

    spans = _join_adjacent_people(doc, spans)
    spans = _complete_of_names(doc, spans)
    spans = _complete_hyphened_names(doc, spans)
    votes: dict[str, dict[str, int]] = {}
    for s in spans:
        votes.setdefault(s.text, {}).setdefault(s.label_, 0)
        votes[s.text][s.label_] += 1
    out = []
    for s in spans:
        label = s.label_
        if s.ent_id_:
            out.append((s, label))
            continue
        root = s.root
        if label in ("ORG", "PERSON") and not s.ent_id_ and (
                root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lemma_ in PLACE_NOUNS
                or root.dep_ in ("appos", "compound") and root.head.lemma_ in PLACE_NOUNS):
            label = "GPE"  # "the lakeside town of Ohrid", "the Cuban capital, Havana"
        elif label == "ORG" and person_like_org(s, person_words):
            label = "PERSON"
        elif label != "PERSON" and len(s) == 1 and s[0].lower_ in person_words and s[0].is_title and label != "NORP":
            label = "PERSON"
        elif label == "PERSON" and len(s) == 1 and s[0].lower_ not in person_words:
            v = votes.get(s.text, {})
            place = v.get("GPE", 0) + v.get("LOC", 0)
            if place and place >= v.get("PERSON", 0) or s[0].lower_ in other_words:
                label = "GPE"
        out.append((s, label))
    return out


def _complete_of_names(doc: Doc, spans: list[Span]) -> list[Span]:
    """'[National Democratic Front of the] [Philippines]': a name cut after 'of (the)' goes on
    with the entity that follows it."""
    out: list[Span] = []
    for s in spans:
        prev = out[-1] if out else None
        if prev is not None and prev.label_ == "ORG" and s.start == prev.end and prev[-1].lower_ in ("of", "the") \
                and not prev.ent_id_:
            out[-1] = Span(doc, prev.start, s.end, label="ORG")
        else:
            out.append(s)
    return out


def _complete_hyphened_names(doc: Doc, spans: list[Span]) -> list[Span]:
    """'[Abdul Malik al-][Houthi]': a person's name cut after 'al-' (where the gazetteer took the
    rest for a group or the model stopped) goes on with the word glued to the hyphen."""
    out: list[Span] = []
    skip_from = -1
    for s in spans:
        if s.start < skip_from:
            continue
        end = s.end
        if s.label_ == "PERSON" and len(s) >= 2 and s[-1].text == "-" and not s[-1].whitespace_ and \
                s[-2].lower_ in ("al", "el", "ad", "as", "ash", "an", "ar", "az", "at", "abu", "bin") and \
                end < len(doc) and doc[end].is_title and doc[end].is_alpha:
            doc[end].ent_id_ = ""  # the word is part of a name now, no longer the gazetteer's group
            out.append(Span(doc, s.start, end + 1, label="PERSON"))
            skip_from = end + 1
            continue
        out.append(s)
    return out


def _join_adjacent_people(doc: Doc, spans: list[Span]) -> list[Span]:
    """The model sometimes cuts a long Arabic name in two ("Mohammed bin Abdulrahman" | "bin Jassim
    al Thani"): two person spans with nothing between them are one name."""
    particles = {"al", "el", "bin", "ibn", "bint", "abu", "ould"}
    ent_tokens = {i for s in spans for i in range(s.start, s.end)}
    out: list[Span] = []
    for s in spans:
        prev = out[-1] if out else None
        if prev is not None and prev.label_ == "PERSON" and s.label_ == "PERSON" and s.start == prev.end:
            out[-1] = Span(doc, prev.start, s.end, label="PERSON")
        else:
            out.append(s)
    for n, s in enumerate(out):
        if s.label_ != "PERSON":
            continue
        end = s.end
        # "… bin Jassim" + "al Thani": a particle and a capitalised name continue the name
        while end + 1 < len(doc) and doc[end].lower_ in particles and doc[end + 1].is_title and \
                doc[end + 1].pos_ == "PROPN" and end not in ent_tokens and end + 1 not in ent_tokens:
            end += 2
        if end != s.end:
            out[n] = Span(doc, s.start, end, label="PERSON")
    return out


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text.replace("\u2019", "'")).strip()
    text = re.sub(r"^(the|The)\s+", "", text)
    return re.sub(r"'s?$", "", text).strip(" ,.")


def _country_mention(doc: Doc, span: Span, key: str, out: DocEntities, via: str) -> None:
    """A state's name or demonym, possibly heading a larger phrase: 'Israeli officials' is Israel,
    'Russia's defence ministry' is an organisation of its own."""
    gaz = gazetteer()
    entry = gaz.entries[key]
    head = span.root.head if span.root.dep_ in ("poss", "amod", "compound", "nmod") else None
    if head is not None and head.i > span.end - 1 and head.pos_ in ("NOUN", "PROPN"):
        between = doc[span.end: head.i]
        org_span = entity_at(doc, head.i)
        own_org = org_span is not None and org_span.label_ == "ORG" and not org_span.ent_id_ and \
            org_span.start >= span.end and org_span.end == head.i + 1  # "Russia's [defence ministry]"
        own = range(org_span.start, org_span.end) if own_org else range(0)
        ok = all(t.pos_ in ("ADJ", "NOUN", "PROPN", "PART", "ADV") or t.dep_ in ("case", "compound", "amod")
                 for t in between) and not any(t.ent_type_ and t.i not in own for t in between)
        if ok and head.lemma_.lower() in ORG_NOUNS and (not head.ent_type_ or own_org):
            rest = " ".join(t.lower_ for t in doc[span.end: head.i + 1] if t.dep_ != "case" and t.text != "'s")
            eid = state_organ(out, key, rest, doc[span.start: head.i + 1].text)
            if span.root.dep_ == "poss" or via == "demonym":
                out.add_mention(Mention(span.start, head.i + 1, (eid,), via="name"))
                return
        named = any(c.dep_ == "appos" for c in head.children) or (
            head.i + 1 < len(doc) and doc[head.i + 1].ent_type_ == "PERSON")
        internal = head.lemma_.lower() in ("side", "party") and head.tag_ in ("NNS", "NNPS")
        # "Sudan's warring sides", "Libya's rival parties" are the sides within the state, not the state
        if ok and head.lemma_.lower() in STATE_NOUNS and head.dep_ not in ("compound",) and not named and not internal:
            # "Israeli officials" act for Israel; "the Swedish diplomat Johan Floderus" is a person
            eid = out.entity_for_key(key, "Country", entry["label"], span.text)
            start = span.start
            if start > 0 and doc[start - 1].lower_ == "the":
                start -= 1
            out.entities[eid].alt_labels.add(_clean(doc[span.start: head.i + 1].text))
            # the state noun joins the mention so that "Israeli officials" acts as Israel
            out.add_mention(Mention(span.start, head.i + 1, (eid,), via="state-noun"))
            return
    gov = span.root.head.head if span.root.dep_ == "pobj" and span.root.head.lower_ == "of" else None
    if gov is not None and gov.lemma_.lower() in STATE_NOUNS and gov.i < span.start and not gov.ent_type_:
        # "the government of the Democratic Republic of Congo" acts as the state
        eid = out.entity_for_key(key, "Country", entry["label"], span.text)
        out.entities[eid].alt_labels.add(_clean(doc[gov.i: span.end].text))
        out.add_mention(Mention(gov.i, span.end, (eid,), via="state-noun"))
        return
    eid = out.entity_for_key(key, "Country", entry["label"], span.text)
    out.add_mention(Mention(span.start, span.end, (eid,), via=via))


def state_organ(out: DocEntities, key: str, rest: str, surface: str) -> str:
    """An organ of a state ("Russian defence ministry"), labelled with the demonym, with the other
    usual forms ("Russia's defence ministry", "Russia defence ministry") as alternative labels."""
    entry = gazetteer().entries[key]
    demonym = entry.get("demonym") or entry["label"]
    eid = out.entity_for_key(f"org:{key.split(':')[1]}-{rest}", "Organization", f"{demonym} {rest}", surface)
    e = out.entities[eid]
    e.part_of = key
    for alias in [entry["label"], *entry.get("aliases", [])]:
        e.alt_labels.add(f"{alias}'s {rest}")
        e.alt_labels.add(f"{alias} {rest}")
    return eid


def _collective_mention(doc: Doc, span: Span, out: DocEntities) -> None:
    """A demonym of no known state heading an official noun: 'Palestinian health officials'."""
    head = span.root.head
    if span.root.dep_ in ("amod", "compound") and head.i >= span.end and head.lemma_.lower() in (
            STATE_NOUNS | ORG_NOUNS) and head.lemma_ != "force":
        lab = _clean(doc[span.start: head.i + 1].text)
        eid = out.entity_for_key(f"org:{norm(lab)}", "Organization", lab, lab)
        out.add_mention(Mention(span.start, head.i + 1, (eid,)))


def _untagged_organisations(doc: Doc, out: DocEntities) -> None:
    """Capitalised names ending in an organisation word that the model missed: 'The Hostages and
    Missing Families Forum', 'the Centre for Analysis and Research in Human Rights'."""
    org_words = set(titles().get("organisation_words", [])) - {"state", "states", "government", "house"}
    i = 0
    while i < len(doc):
        tok = doc[i]
        if not (tok.is_title and tok.is_alpha) or tok.ent_type_ or i in out.by_token or tok.is_sent_start and \
                tok.pos_ not in ("PROPN", "NOUN"):
            i += 1
            continue
        j = i
        while j + 1 < len(doc) and not doc[j + 1].ent_type_ and (doc[j + 1].is_title and doc[j + 1].is_alpha or (
                doc[j + 1].lower_ in ("and", "of", "for", "in") and j + 2 < len(doc) and doc[j + 2].is_title)):
            j += 1
        span = doc[i: j + 1]
        if j > i and span[-1].lower_ in org_words and span[-1].pos_ in ("PROPN", "NOUN") and \
                not any(k in out.by_token for k in range(i, j + 1)):
            lab = span.text
            eid = out.entity_for_key(f"org:{norm(lab)}", "Organization", lab, lab)
            out.add_mention(Mention(i, j + 1, (eid,)))
        i = j + 1


def _untagged_persons(doc: Doc, out: DocEntities, persons: list[tuple[Span, str]]) -> None:
    """Proper-noun chains the NER model missed, kept where the sentence vouches for a person:
    'Dmytro Lubinets, Ukraine's … commissioner', 'Foreign Minister Hakan Fidan', 'Olivier
    Vandecasteele, a Belgian aid worker, was freed'."""
    gaz = gazetteer()
    taken = {i for s, _ in persons for i in range(s.start, s.end)} | set(out.by_token) | {
        i for e in doc.ents for i in range(e.start, e.end)}
    title_words = _title_words()
    org_words = set(titles().get("organisation_words", []))
    for tok in doc:
        if tok.i in taken or tok.pos_ != "PROPN" or tok.dep_ == "compound" or not tok.is_title:
            continue
        chain = [t for t in tok.lefts if t.dep_ == "compound" and t.pos_ == "PROPN" and t.i not in taken
                 and t.is_title and t.lower_ not in title_words]
        if not chain or len(chain) > 3:
            continue
        start = min(c.i for c in chain)
        span = doc[start: tok.i + 1]
        if any(i in taken for i in range(start, tok.i + 1)) or any(t.lower_ in org_words for t in span) or \
                norm(span.text) in gaz.names or len(chain) != tok.i - start:
            continue
        vouched = any(c.dep_ == "appos" and c.pos_ in ("NOUN", "PROPN") for c in tok.children) or (
            start > 0 and doc[start - 1].lower_ in title_words and doc[start - 1].is_title) or (
            tok.dep_ in ("nsubj", "nsubjpass") and tok.head.pos_ == "VERB")
        if vouched:
            persons.append((span, person_label(span)))
            taken.update(range(start, tok.i + 1))


def _surnames(doc: Doc, out: DocEntities) -> None:
    """A bare surname the model did not tag ('Vandecasteele was flown …') is the person of this
    article whose name ends with it."""
    last: dict[str, str] = {}
    for eid, e in out.entities.items():
        if e.cls == "Person" and len(e.label.split()) > 1:
            last.setdefault(e.label.split()[-1].lower(), eid)
    for tok in doc:
        if tok.i in out.by_token or tok.pos_ != "PROPN" or not tok.is_title:
            continue
        eid = last.get(tok.lower_)
        if eid and not (tok.i > 0 and doc[tok.i - 1].pos_ == "PROPN" and doc[tok.i - 1].i not in out.by_token):
            out.add_mention(Mention(tok.i, tok.i + 1, (eid,)))


def _merge_persons(doc: Doc, out: DocEntities, persons: list[tuple[Span, str]]) -> None:
    """One entity per person: a fragment joins the fullest name that contains all its words, the
    most recent one where two would fit."""
    persons.sort(key=lambda p: p[0].start)
    full: list[tuple[list[str], str]] = []  # (name words, entity id), in order of first mention
    # The longest forms first define the people; then every mention finds its person.
    for span, lab in sorted(persons, key=lambda p: (-len(_name_tokens(p[1])), p[0].start)):
        words = _name_tokens(lab)
        match = [eid for fw, eid in full if _contains(fw, words)]
        if not match:
            eid = out.entity_for_key(f"person:{' '.join(words)}", "Person", lab)
            full.append((words, eid))
    for span, lab in persons:
        words = _name_tokens(lab)
        match = [eid for fw, eid in full if _contains(fw, words)]
        if not match:
            continue
        if len(match) > 1:  # ambiguous fragment: the person mentioned most recently before it
            recent = [m for m in out.mentions if m.entity in match and m.start < span.start]
            eid = recent[-1].entity if recent else match[0]
        else:
            eid = match[0]
        e = out.entities[eid]
        for form in (lab, _clean(span.text)):
            if norm(form) != norm(e.label):
                e.alt_labels.add(form)
        out.add_mention(Mention(span.start, span.end, (eid,)))


def _contains(full_words: list[str], words: list[str]) -> bool:
    particles = {"al", "el", "bin", "ibn", "al-", "de", "van", "von"}
    fw = set(full_words)
    core = [w for w in words if w not in particles] or words
    return all(w in fw for w in core)


def _generic_organisations(doc: Doc, out: DocEntities) -> None:
    """Unnamed official bodies the model does not tag: 'the health ministry in the Hamas-run
    enclave' is the health ministry, an organisation; "Prime Minister Netanyahu's office" is the
    office of that person."""
    from .resources import known_people

    for tok in with_words(doc, ("government", "administration", "regime")):
        if tok.i in out.by_token:
            continue
        poss = next((c for c in tok.lefts if c.dep_ == "poss" and c.i in out.by_token), None)
        if poss is None:  # "the government of Nicolás Maduro"
            poss = next((p for c in tok.rights if c.dep_ == "prep" and c.lower_ == "of" for p in c.children
                         if p.dep_ == "pobj" and p.i in out.by_token), None)
        if poss is None or out.cls(out.by_token[poss.i].entity) != "Person":
            continue
        person = out.entities[out.by_token[poss.i].entity]
        key = next((known_people().get(norm(n)) for n in [person.label, *person.alt_labels]
                    if known_people().get(norm(n))), None)
        if key and key.startswith("country:") and key in gazetteer().entries:
            # "Maduro's government", "the Trump administration"-like: the state it governs
            eid = out.entity_for_key(key, "Country", gazetteer().entries[key]["label"])
            out.add_mention(Mention(tok.i, tok.i + 1, (eid,), via="state-noun"))
    for tok in with_words(doc, ("office", "service")):
        if tok.i in out.by_token or tok.pos_ != "NOUN":
            continue
        if tok.lemma_.lower() == "service" and not any(c.lower_ == "press" for c in tok.lefts):
            continue
        poss = next((c for c in tok.lefts if c.dep_ == "poss" and c.i in out.by_token), None)
        if poss is None or out.cls(out.by_token[poss.i].entity) != "Person":
            continue
        person = out.entities[out.by_token[poss.i].entity]
        noun = "press service" if tok.lemma_.lower() == "service" else tok.lower_
        lab = f"{person.label}'s {noun}"
        eid = out.entity_for_key(f"org:{norm(lab)}", "Organization", lab)
        surname = next((w for w in reversed(person.label.split()) if w.rstrip(".") not in ("Jr", "Sr", "II", "III")),
                       person.label)
        out.entities[eid].alt_labels.update({f"{surname}'s {noun}", f"{surname} {noun}"})
        start = tok.i - 1 if noun == "press service" else tok.i
        out.add_mention(Mention(start, tok.i + 1, (eid,)))
    for tok in with_words(doc, ("ministry",)):
        if tok.i in out.by_token or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        comps = [c for c in tok.lefts if c.dep_ in ("compound", "amod") and c.i not in out.by_token
                 and c.lower_ not in ("the", "a")]
        if not comps:
            continue
        start = min(c.i for c in comps)
        lab = " ".join(t.lower_ for t in doc[start: tok.i + 1])
        j = start - 2 if start >= 2 and doc[start - 1].text in ("'s", "\u2019s") else start - 1
        state = out.by_token.get(j) if j >= 0 else None
        if state is not None and len(state.entities) == 1 and out.cls(state.entity) == "Country":
            # "Iranian foreign ministry", "Iran's foreign ministry": an organ of that state
            eid = state_organ(out, out.entities[state.entity].key, lab, doc[state.start: tok.i + 1].text)
            out.add_mention(Mention(start, tok.i + 1, (eid,)))
            continue
        eid = out.entity_for_key(f"org:{norm(lab)}", "Organization", lab, lab)
        span_start = start
        out.add_mention(Mention(span_start, tok.i + 1, (eid,)))
