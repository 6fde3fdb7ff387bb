"""A small rule-based coreference resolver over the names `entities` found.

coreferee's English model cannot be installed here (FIELD-NOTES.md) and resolves pronouns only;
news about talks leans on definite descriptions ("the group", "the Gulf state", "the two sides")
and bare titles ("the prime minister"), so the rules below pick the nearest compatible antecedent
by class, number and the tags the gazetteer gives ("armed", "gulf", "kingdom").
Every resolved reference remembers the sentence of its antecedent, so that evidence can quote it.
"""
from __future__ import annotations

from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from .entities import PERSON_PRONOUNS, DocEntities, Mention
from .resources import gazetteer
from .titles import find_titles, title_descriptions
from .words import with_words

WINDOW = 3  # sentences back that a reference may reach
GROUP_NOUNS = {"group", "movement", "militant", "rebel", "faction", "militia", "insurgent", "guerrilla",
               "fighter", "gang", "jihadist", "separatist"}
STATE_DESCRIPTIONS = {"gulf": {"state", "nation", "country", "emirate", "kingdom", "monarchy"},
                      "kingdom": {"kingdom"}, "emirate": {"emirate"}, "sultanate": {"sultanate"}}
PLURAL_SIDES = {"side", "country", "party", "nation", "government", "state", "neighbour", "neighbor", "foe",
                "adversary", "enemy", "rival", "delegation", "belligerent", "camp"}
ORG_DESCRIPTIONS = {"bloc", "organisation", "organization", "body", "agency", "alliance", "coalition", "union"}
ARMY_NOUNS = {"army", "military"}
GOVERNMENT_NOUNS = {"government", "administration", "regime", "cabinet"}
NUMBER_WORDS = {"two": 2, "both": 2, "three": 3, "four": 4}
# Groups of states named by their number ("the Quartet", "the Troika", "the trio"): a reference to
# the list of that many states that spells the group out or was named last, never an entity itself.
COLLECTIVES = {"quartet": 4, "quad": 4, "troika": 3, "trio": 3, "quintet": 5}
# Words between a group's name and the list that spells it out: "the Quartet, comprising X, Y, …",
# "the Troika (X, Y and Z)", "the Quad countries – X, Y, …", "the trio of X, Y and Z".
EXPANSION_WORDS = {",", "(", "-", "\u2013", "\u2014", ":", "comprising", "comprises", "including", "includes",
                   "consisting", "made", "up", "of", "which", "that", "grouping", "groups", "namely", "the"}
# every head noun `_description` reads: other nouns are never references
DESCRIPTION_LEMMAS = (GROUP_NOUNS | PLURAL_SIDES | GOVERNMENT_NOUNS | ORG_DESCRIPTIONS | ARMY_NOUNS
                      | {"side", "delegation", "ministry"} | {w for ws in STATE_DESCRIPTIONS.values() for w in ws})
GROUP_HEADS = {"country", "state", "nation", "group", "mediator", "member", "power", "government"}


def resolve(doc: Doc, out: DocEntities) -> None:
    sent_of = _sentence_index(doc)
    person_tokens = {i: m.entity for m in out.mentions if out.cls(m.entity) == "Person"
                     for i in range(m.start, m.end)}

    def mention_at(i: int):
        m = out.by_token.get(i)
        if m and len(m.entities) == 1 and out.cls(m.entity) in ("Country", "Organization", "Group"):
            return m.entity
        return None

    # Descriptions of states and organisations first ("the bloc's envoy", "the kingdom's adviser"):
    # the titles below read them.
    collectives: list[Token] = []
    for tok in with_words(doc, DESCRIPTION_LEMMAS, set(COLLECTIVES) | {"its", "country", "whose"}):
        if tok.lower in _COLLECTIVE_IDS:
            collectives.append(tok)
        elif tok.i not in out.by_token and tok.pos_ in ("NOUN", "PROPN") and _definite(tok) and not (
                tok.lemma_.lower() in PLURAL_SIDES and tok.tag_ in ("NNS", "NNPS")):
            _description(doc, tok, out, sent_of)  # "the government's chief negotiator", "the rebel group"
        elif tok.i not in out.by_token and tok.lower_ == "its" and tok.pos_ == "PRON":
            # "Egypt was represented by its foreign minister, Sameh Shoukry"
            ante = _nearest(out, tok, sent_of, lambda m: len(m.entities) == 1 and out.cls(m.entity) in
                            ("Country", "Organization"), window=1)
            if ante:
                out.add_mention(Mention(tok.i, tok.i + 1, ante.entities, via="coref", antecedent=_span(doc, ante.start)))
        elif tok.i not in out.by_token and tok.lower_ == "country" and tok.dep_ == "poss" and _definite(tok):
            # "the country's leader, Kim Jong Un": the state just named
            ante = _nearest(out, tok, sent_of, lambda m: len(m.entities) == 1 and out.cls(m.entity) == "Country",
                            window=1)
            if ante:
                out.add_mention(Mention(tok.i, tok.i + 1, ante.entities, via="coref", antecedent=_span(doc, ante.start)))
        elif tok.i not in out.by_token and tok.lower_ == "whose" and tok.head.dep_ in ("nsubj", "nsubjpass"):
            # "South Korea, whose president, Moon Jae-in, …": the noun the clause is about
            rel = next((a for a in tok.ancestors if a.dep_ == "relcl"), None)
            m = out.by_token.get(rel.head.i) if rel is not None else None
            if m is not None and len(m.entities) == 1 and out.cls(m.entity) in ("Country", "Organization"):
                out.add_mention(Mention(tok.i, tok.i + 1, m.entities, via="coref"))
    if collectives:
        _collectives(doc, collectives, out, sent_of)
    out.titles = find_titles(doc, person_tokens, mention_at)
    titled: dict[str, set[str]] = {}
    title_of: dict[str, set[str]] = {}  # person → states or organisations their titles name
    for tm in out.titles:
        titled.setdefault(person_tokens[tm.holder_token], set()).add(tm.title.split()[-1])
        of = mention_at(tm.of_token) if tm.of_token is not None else None
        if of:
            title_of.setdefault(person_tokens[tm.holder_token], set()).add(of)
    out.described = []

    # Bare titles: "Qatar's prime minister" is a person named elsewhere in the article.
    for tok, title in title_descriptions(doc, set(out.by_token)):
        of = next((mention_at(c.i) for c in tok.lefts if mention_at(c.i)), None)
        head_word = title.split()[-1]
        def compatible(pid: str) -> bool:  # "the Qatari prime minister" is not Israel's
            return of is None or not title_of.get(pid) or of in title_of[pid]

        same = [m for m in out.mentions if out.cls(m.entity) == "Person" and head_word in titled.get(m.entity, ())
                and abs(sent_of[m.start] - sent_of[tok.i]) <= WINDOW * 3 and compatible(m.entity)]
        if not same:
            same = [m for m in out.mentions if out.cls(m.entity) == "Person" and m.via == "name"
                    and not titled.get(m.entity) and abs(sent_of[m.start] - sent_of[tok.i]) <= WINDOW]
        if not same:
            continue
        ante = min(same, key=lambda m: (abs(sent_of[m.start] - sent_of[tok.i]), m.start > tok.i, abs(m.start - tok.i)))
        m = out.add_mention(Mention(tok.i, tok.i + 1, (ante.entity,), via="title", antecedent=_span(doc, ante.start),
                                    title=title))
        if m.via == "title":
            out.described.append((m, of))
            titled.setdefault(ante.entity, set()).add(head_word)
            if of:
                title_of.setdefault(ante.entity, set()).add(of)

    for tok in with_words(doc, DESCRIPTION_LEMMAS, set(PERSON_PRONOUNS) | {"it", "its"}):
        if tok.i in out.by_token:
            continue
        low = tok.lower_
        if tok.pos_ == "PRON" and low in PERSON_PRONOUNS:
            if tok.dep_ == "poss" and tok.head.lemma_ == "country" and tok.head.i not in out.by_token:
                _his_country(doc, tok, out, sent_of)
            ante = _nearest_subject_first(doc, out, tok, sent_of)
            if ante:
                out.add_mention(Mention(tok.i, tok.i + 1, ante.entities, via="coref", antecedent=_span(doc, ante.start)))
        elif low == "it" and tok.dep_ in ("nsubj", "nsubjpass") and _reported(tok):
            # "MIT said it had coordinated the exchange": 'it' is the speaker of its sentence
            speaker = _sentence_speaker(out, tok)
            if speaker:
                out.add_mention(Mention(tok.i, tok.i + 1, speaker.entities, via="coref"))
        elif low == "its" and tok.pos_ == "PRON":
            ante = _nearest(out, tok, sent_of, lambda m: len(m.entities) == 1 and out.cls(m.entity) in
                            ("Country", "Organization"), window=1)
            if ante:
                out.add_mention(Mention(tok.i, tok.i + 1, ante.entities, via="coref", antecedent=_span(doc, ante.start)))
        elif tok.pos_ in ("NOUN", "PROPN") and _definite(tok):
            _description(doc, tok, out, sent_of)


_COLLECTIVE_IDS = {get_string_id(w) for w in COLLECTIVES}


def _collectives(doc: Doc, toks: list[Token], out: DocEntities, sent_of: list[int]) -> None:
    """'the Quartet', 'the Quartet countries', 'the trio': the states of the list that spells the
    group out where it is named ("the Quartet, comprising the US, Saudi Arabia, Egypt and the UAE"),
    else of the last list of that many states ("the four states …: X, Y, Z and W … the quartet"),
    else of the list that spells it out elsewhere in the article."""
    spelled: dict[str, tuple[str, ...]] = {}
    own: dict[int, tuple[tuple[str, ...], int]] = {}
    for tok in toks:
        members = _spelled_out(doc, tok, out, COLLECTIVES[tok.lower_])
        if members:
            own[tok.i] = members, tok.i
            spelled.setdefault(tok.lower_, members)
    for tok in toks:
        n = COLLECTIVES[tok.lower_]
        ents, where = own.get(tok.i) or _recent_list(doc, tok, out, sent_of, n) or (None, None)
        if ents is None and tok.lower_ in spelled:
            ents, where = spelled[tok.lower_], None
        if not ents:
            continue
        old = out.by_token.get(tok.i)
        if old is not None and len(old.entities) == 1 and out.cls(old.entity) in ("Place", "Organization", "Person") \
                and old.end - old.start <= 2 and out.entities[old.entity].label.lower().split()[-1] == tok.lower_:
            # the tagger took "the Quartet" for a name: it is the group's members
            out.mentions.remove(old)
            for i in range(old.start, old.end):
                out.by_token.pop(i, None)
        elif old is not None:
            continue
        end = tok.i + 1
        if tok.dep_ == "compound" and tok.head.i == end and tok.head.lemma_.lower() in GROUP_HEADS and \
                end not in out.by_token:
            end += 1  # "the Quartet countries"
        out.add_mention(Mention(tok.i, end, ents, via="coref",
                                antecedent=_span(doc, where) if where is not None else None))


def _spelled_out(doc: Doc, tok: Token, out: DocEntities, n: int) -> tuple[str, ...] | None:
    """The n states or organisations listed right after a group's name."""
    sent = tok.sent
    i = tok.i + 1
    if i < sent.end and doc[i].lemma_.lower() in GROUP_HEADS:
        i += 1
    lead = 0
    while i < sent.end and doc[i].lower_ in EXPANSION_WORDS and lead < 4:
        i, lead = i + 1, lead + 1
    if not lead:
        return None
    found: list[str] = []
    while i < sent.end and len(found) <= n:
        m = out.by_token.get(i)
        if m is not None:
            if len(m.entities) != 1 or out.cls(m.entity) not in ("Country", "Organization"):
                break
            if m.entity not in found:
                found.append(m.entity)
            i = max(i + 1, m.end)
        elif doc[i].lower_ in (",", "and", "the", "&"):
            i += 1
        else:
            break
    return tuple(found) if len(found) == n else None


def _sentence_index(doc: Doc) -> list[int]:
    idx = [0] * len(doc)
    for n, s in enumerate(doc.sents):
        for i in range(s.start, s.end):
            idx[i] = n
    return idx


def _span(doc: Doc, token_i: int) -> tuple[int, int]:
    s = doc[token_i].sent
    return s.start_char, s.end_char


def _nearest(out: DocEntities, tok: Token, sent_of: list[int], ok, window: int = WINDOW) -> Mention | None:
    best = None
    for m in out.mentions:
        if m.start >= tok.i or sent_of[tok.i] - sent_of[m.start] > window or not ok(m):
            continue
        if best is None or m.start > best.start:
            best = m
    return best


def _nearest_subject_first(doc: Doc, out: DocEntities, tok: Token, sent_of: list[int]) -> Mention | None:
    """'he' is the person most recently a subject (a speaker, an actor) before falling back to the
    person most recently named: in 'Biden thanked … President el-Sisi for what he described …',
    'he' is Biden."""
    def person(m: Mention) -> bool:
        return out.cls(m.entity) == "Person" and len(m.entities) == 1

    def is_subject(m: Mention) -> bool:
        root = doc[m.end - 1]
        while root.dep_ in ("compound", "flat") and root.head.i != root.i:
            root = root.head
        return root.dep_ in ("nsubj", "nsubjpass")

    verb = next((a for a in tok.ancestors if a.pos_ == "VERB"), None)
    if verb is not None and tok.dep_ == "poss":
        # "thanked Bukele for his help": the person thanked, not the thanker
        for obj in (c for c in verb.children if c.dep_ == "dobj" and c.i < tok.i):
            m = out.by_token.get(obj.i)
            if m is not None and person(m):
                return m
    subj = _nearest(out, tok, sent_of, lambda m: person(m) and is_subject(m) and m.start < tok.i)
    near = _nearest(out, tok, sent_of, person)
    if subj is None:
        return near
    if near is not None and sent_of[near.start] == sent_of[tok.i] and not is_subject(near):
        # in its own sentence 'he' still prefers that sentence's subject, if it has one
        same = [m for m in out.mentions if person(m) and is_subject(m) and sent_of[m.start] == sent_of[tok.i]
                and m.start < tok.i]
        return same[-1] if same else subj
    return subj


def _reported(tok: Token) -> bool:
    head = tok.head
    return head.dep_ == "ccomp" and head.head.lemma_ in ("say", "announce", "confirm", "state", "add", "insist")


def _sentence_speaker(out: DocEntities, tok: Token) -> Mention | None:
    verb = tok.head.head
    if not any(c.dep_ == "nsubj" for c in verb.children) and verb.dep_ in ("advcl", "conj"):
        verb = verb.head  # "Moscow confirmed the swap, saying it had …": the subject of the clause 'saying' hangs on
    for s in (c for c in verb.children if c.dep_ == "nsubj"):
        # "Yemen's Houthi group said it would …": the phrase's own names before a possessor's
        # ("Yemen's Iran-aligned Houthi group": the group that names the head, not Yemen or Iran)
        owned = {x.i for c in s.children if c.dep_ == "poss" for x in c.subtree}
        span = range(s.left_edge.i, s.right_edge.i + 1)
        named = [c.i for c in s.children if c.dep_ in ("compound", "amod") and c.i < s.i and c.i in out.by_token
                 and out.cls(out.by_token[c.i].entity) == "Organization" and out.by_token[c.i] is not out.by_token.get(s.i)]
        for i in [*named, *(i for i in span if i not in owned), *(i for i in span if i in owned)]:
            m = out.by_token.get(i)
            if m is not None and len(m.entities) == 1 and out.cls(m.entity) in ("Country", "Organization"):
                return m
    return None


def _definite(tok: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("the", "both") for c in tok.lefts) or any(
        c.lower_ == "both" for c in tok.lefts) or (
        # "Sudan's warring sides": a state's own sides are as definite as "the two sides"
        tok.tag_ in ("NNS", "NNPS") and tok.lemma_.lower() in ("side", "party") and
        any(c.dep_ == "poss" and c.ent_type_ == "GPE" for c in tok.lefts))


ARMED_WORDS = {"army", "liberation", "front", "brigade", "brigades", "movement", "militia", "forces", "jihad",
               "mujahideen", "rebels", "gang", "resistance", "guard", "militants", "fighters"}


def _armed(out: DocEntities, eid: str) -> bool:
    """An armed group: tagged so in the gazetteer, or named like one ("Baloch Liberation Army")."""
    e = out.entities.get(eid)
    if e is None or e.cls not in ("Organization", "Group"):
        return False
    return "armed" in _tags(out, eid) or (e.key not in gazetteer().entries and
                                          bool(set(e.label.lower().split()) & ARMED_WORDS))


def _tags(out: DocEntities, eid: str) -> set[str]:
    e = out.entities.get(eid)
    entry = gazetteer().entries.get(e.key) if e else None
    return entry["tags"] if entry else set()


def _description(doc: Doc, tok: Token, out: DocEntities, sent_of: list[int]) -> None:
    """A definite description ("the group", "the two sides", "the Gulf state", "the ministry")
    pointing at a state or organisation named before; its head is one of DESCRIPTION_LEMMAS."""
    lemma = tok.lemma_.lower()
    mods = {c.lower_ for c in tok.lefts if c.dep_ in ("amod", "compound", "nummod", "det", "predet")}
    plural = tok.tag_ in ("NNS", "NNPS")
    ante: Mention | None = None
    if lemma in GROUP_NOUNS and not (mods & {"two", "three", "both"}):
        if any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children) or any(c.ent_type_ for c in tok.lefts):
            return  # "the group of mediators", "the Wagner group" are not references
        ante = _nearest(out, tok, sent_of, lambda m: len(m.entities) == 1 and _armed(out, m.entity), window=12)
    elif plural and lemma in PLURAL_SIDES and (mods & set(NUMBER_WORDS) or mods & {"the"} and lemma in (
            "side", "party", "belligerent") or "warring" in mods):
        n = next((NUMBER_WORDS[w] for w in mods if w in NUMBER_WORDS), None)
        # "the two sides", "the parties", "the two delegations" are the article's sides: which they
        # are is settled once the whole article is read; "the three countries" is the list just named
        ante_list = _recent_list(doc, tok, out, sent_of, n)
        if lemma in ("side", "party", "belligerent", "delegation", "camp"):
            # which the sides are is settled once the whole article is read: the list just named if
            # it names the article's main parties, else those (extract.finalize)
            cands = ante_list[0] if ante_list else ()
            out.add_mention(Mention(tok.i, tok.i + 1, (out.sides(cands),), via="coref",
                                    antecedent=_span(doc, ante_list[1]) if ante_list else None))
        elif ante_list:
            ents, where = ante_list
            out.add_mention(Mention(tok.i, tok.i + 1, ents, via="coref", antecedent=_span(doc, where)))
        return
    elif not plural and (lemma in GOVERNMENT_NOUNS and not (mods - {"the", "federal", "central"}) or lemma in (
            "side", "delegation") and "government" in mods):
        # "the government", "the government side": the state whose government was named before;
        # "the federal government" the one named with that word ("Ethiopia's federal government"),
        # not a nearer "Kenya's government"
        ante = None
        for word in mods & {"federal", "central"}:
            ante = _nearest(out, tok, sent_of, lambda m: m.via == "state-noun" and len(m.entities) == 1 and any(
                t.lower_ == word for t in doc[m.start: min(m.end + 3, len(doc))]), window=100)
        ante = ante or _nearest(out, tok, sent_of, lambda m: m.via == "state-noun" and len(m.entities) == 1, window=100)
    elif lemma in ORG_DESCRIPTIONS and not plural:
        ante = _nearest(out, tok, sent_of, lambda m: len(m.entities) == 1 and out.cls(m.entity) == "Organization",
                        window=6)
    elif lemma in ARMY_NOUNS and not plural and not (mods - {"the"}):
        ante = _nearest(out, tok, sent_of, lambda m: len(m.entities) == 1 and "army" in _tags(out, m.entity),
                        window=100)
    else:
        for tag, nouns in STATE_DESCRIPTIONS.items():
            if lemma in nouns and (tag in mods or tag != "gulf" and lemma == tag):
                ante = _nearest(out, tok, sent_of, lambda m: len(m.entities) == 1 and tag in _tags(out, m.entity),
                                window=6)
                break
        else:
            if lemma == "ministry" and not (mods - {"the"}):
                ante = _nearest(out, tok, sent_of, lambda m: len(m.entities) == 1 and m.entity in out.entities and "ministry" in out.entities[m.entity].label.lower())
    if ante:
        out.add_mention(Mention(tok.i, tok.i + 1, ante.entities, via="coref", antecedent=_span(doc, ante.start)))


def _recent_list(doc: Doc, tok: Token, out: DocEntities, sent_of: list[int], n: int | None):
    """The most recent coordination of two or more states or organisations ("Egypt, Israel and the
    United States") before `tok`, of size n when the text gives one."""
    groups: dict[int, list[Mention]] = {}
    window = WINDOW * 4 if n and n >= 3 else WINDOW  # "the four countries" can only be a list of four
    for m in out.mentions:
        if m.start >= tok.i or sent_of[tok.i] - sent_of[m.start] > window or len(m.entities) != 1:
            continue
        if out.cls(m.entity) not in ("Country", "Organization"):
            continue
        if m.via == "demonym" and doc[m.end - 1].dep_ in ("amod", "compound", "nmod") or \
                doc[m.end - 1].dep_ in ("amod",):
            continue  # "Saudi and Sudanese nationals" name no sides
        root = doc[m.end - 1]
        while root.dep_ == "conj" or root.dep_ == "appos" and root.head.i in out.by_token and \
                out.cls(out.by_token[root.head.i].entity) in ("Country", "Organization"):
            root = root.head  # "Saudi Arabia, the UAE, Bahrain and Egypt" (the parser mixes appos and conj)
        groups.setdefault(root.i, []).append(m)
    own_subjects = {c.i for a in tok.ancestors for c in a.children if c.dep_ in ("nsubj", "nsubjpass")}
    for root_i in sorted(groups, reverse=True):
        if root_i in own_subjects:
            continue  # "X and Y helped bring the two sides together": the sides are others
        ents = tuple(dict.fromkeys(m.entity for m in sorted(groups[root_i], key=lambda m: m.start)))
        if len(ents) >= 2 and (n is None or len(ents) == n):
            return ents, groups[root_i][0].start
    return None


def _his_country(doc: Doc, pron: Token, out: DocEntities, sent_of: list[int]) -> None:
    """'his country' is the state the person referred to holds a title of."""
    ante = _nearest(out, pron, sent_of, lambda m: out.cls(m.entity) == "Person" and len(m.entities) == 1)
    if not ante:
        return
    for m, of in getattr(out, "described", []):
        if m.entity == ante.entity and of and out.cls(of) == "Country":
            out.add_mention(Mention(pron.head.i, pron.head.i + 1, (of,), via="coref", antecedent=_span(doc, m.start)))
            return
    for tm in getattr(out, "titles", []):
        m = out.by_token.get(tm.holder_token)
        if m and m.entity == ante.entity and tm.of_token is not None:
            of_m = out.by_token.get(tm.of_token)
            if of_m and out.cls(of_m.entity) == "Country":
                out.add_mention(Mention(pron.head.i, pron.head.i + 1, (of_m.entity,), via="coref",
                                        antecedent=_span(doc, tm.holder_token)))
                return

