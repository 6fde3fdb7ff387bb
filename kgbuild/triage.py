"""Triage: which documents are worth parsing, decided from their words before any NLP.

Most articles in a news stream are about none of the things kgbuild extracts (talks, truces,
hostages, prisoners, the conflicts around them). Tagging, parsing and NER cost ~1,000× what a
regular-expression scan of the text does (and ~30× what spaCy's tokenizer does), so the map
step asks `Triage.assess(text)` first and runs the pipeline only on the documents that can hold
the facts. A document triaged out yields an empty `DocResult` with its metadata.

A document is topical when it contains one *strong* cue (a domain word such as "hostages",
"ceasefire", "mediated", or the name of an armed group from the gazetteer), or cues from two
different *weak* groups ("killed" + "troops", "freed" + "deal", "talks" + "delegation"). The cue
lists live in `kgbuild/data/triage.json`; the strong list also takes the domain noun families of
`kgbuild/data/lexicon.json` (inflected), so a new word for hostages or truces becomes a cue too.
Trigger verbs do not: the extractors need generic verbs ("carry off", "take") that a satellite
launch or an airline report uses as well, and a generic strong cue lets such news through. The
test is generous: letting an off-topic article through costs time, while missing a topical one
would cost facts; `tests/test_triage.py` holds both (off-topic pass count, topical recall).

Within a topical document every sentence is parsed: the extractors resolve references up to 9
sentences away, merge person names over the whole article and apply document-level rules to all
facts, and in the articles we have ~85-95 % of the sentences lie within that reach of a
fact-bearing sentence, so parsing only windows would save little and change facts (docs/scale.md).

Set `KGBUILD_TRIAGE=0` (or `kgbuild build --no-triage`) to parse every document.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache

from .resources import lexicon, load_json

ENV = "KGBUILD_TRIAGE"
_OFF = {"0", "off", "false", "no"}
# Lower-case words; a hyphen, apostrophe or full stop inside a word keeps it whole
# ("cease-fire", "p.o.w"), and the parts of hyphenated and possessive words are added too
# ("qatar-mediated" → "mediated", "mediator's" → "mediator").
_WORD = re.compile(r"[a-z0-9]+(?:[-.'\u2019][a-z0-9]+)*")
_SPLIT = re.compile(r"[-'\u2019]")
# What spaCy's English tokenizer counts as non-punctuation tokens, within ~1 %: a skipped
# document's word count without tokenising it.
_COUNT = re.compile(r"\w+(?:[.,]\w+)*|['\u2019]\w+")


def enabled(value: bool | None = None) -> bool:
    """An explicit option wins; else the KGBUILD_TRIAGE environment variable; else on."""
    if value is not None:
        return bool(value)
    return os.environ.get(ENV, "1").strip().lower() not in _OFF


def count_words(text: str) -> int:
    return len(_COUNT.findall(text))


@dataclass(frozen=True)
class Verdict:
    topical: bool
    strong: tuple[str, ...] = ()   # strong cues found
    weak: tuple[str, ...] = ()     # weak cue groups found


def inflections(lemma: str) -> set[str]:
    """Surface forms of a trigger lemma, generously over-generated ("kidnap" → kidnaps,
    kidnapped, kidnaped, kidnapping, …); forms that are not words simply never match."""
    words = lemma.lower().split()
    if len(words) > 1:  # "peace deal" → "peace deals"
        head = " ".join(words[:-1])
        return {f"{head} {w}" for w in inflections(words[-1])}
    w = words[0]
    forms = {w, w + "s", w + "es", w + "ed", w + "ing", w + "d"}
    if w.endswith("e"):
        forms |= {w[:-1] + "ing", w + "r", w + "rs"}
    if w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
        forms |= {w[:-1] + "ies", w[:-1] + "ied"}
    if len(w) > 2 and w[-1] not in "aeiouwxy" and w[-2] in "aeiou":
        forms |= {w + w[-1] + "ed", w + w[-1] + "ing", w + w[-1] + "er", w + w[-1] + "ers"}
    return forms


def _lexicon_path(lex: dict, path: str) -> list[str]:
    node = lex
    for part in path.split("."):
        node = node.get(part, {}) if isinstance(node, dict) else {}
    return [w for w in node if isinstance(w, str)] if isinstance(node, list) else []


def _norm_cue(cue: str) -> str:
    return " ".join(cue.lower().replace("\u2019", "'").split()).strip(".")


def _phrase_regex(phrases, flags=0) -> re.Pattern | None:
    if not phrases:
        return None
    alts = sorted({r"\s+".join(map(re.escape, p.split())) for p in phrases}, key=lambda s: (-len(s), s))
    return re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])", flags)


class Triage:
    """The cue lists, compiled once per process (`get()`)."""

    def __init__(self, config: dict | None = None) -> None:
        cfg = config or load_json("triage.json")
        self.weak_needed = int(cfg.get("weak_groups_needed", 2))
        lex = lexicon()
        generic = {w.lower() for w in cfg.get("lexicon_generic", [])}
        strong: set[str] = {_norm_cue(c) for c in cfg.get("strong", [])}
        for path in cfg.get("from_lexicon", []):
            for lemma in _lexicon_path(lex, path):
                if lemma.lower() not in generic:
                    strong |= {_norm_cue(f) for f in inflections(lemma)}
        weak: dict[str, str] = {}
        for group, cues in sorted(cfg.get("weak", {}).items()):
            for cue in cues:
                weak.setdefault(_norm_cue(cue), group)
        self.strong_words = {c for c in strong if " " not in c}
        self.weak_words = {c: g for c, g in weak.items() if " " not in c}
        self.strong_phrases = _phrase_regex([c for c in strong if " " in c])
        self.weak_phrases = {c: g for c, g in weak.items() if " " in c}
        self.weak_phrase_re = _phrase_regex(list(self.weak_phrases))
        tags = set(cfg.get("gazetteer_tags", []))
        orgs = load_json("organizations.json").get("organizations", [])
        names = {a for o in orgs if tags & set(o.get("tags", [])) for a in [o["label"], *o.get("aliases", [])]
                 if len(a) > 2}  # "IS" would match every shouted headline
        self.names = _phrase_regex(sorted(names))  # case-sensitive, as the gazetteer ruler matches

    def words(self, text: str) -> set[str]:
        words = set(_WORD.findall(text.lower()))
        for w in [w for w in words if _SPLIT.search(w)]:
            words.update(p for p in _SPLIT.split(w) if p)
        return words

    def assess(self, text: str) -> Verdict:
        words = self.words(text)
        strong = words & self.strong_words
        weak = {self.weak_words[w] for w in words if w in self.weak_words}
        if not strong and len(weak) < self.weak_needed:
            low = text.lower()
            m = self.strong_phrases.search(low) if self.strong_phrases else None
            if m:
                strong.add(" ".join(m.group(0).split()))
            elif self.weak_phrase_re is not None:
                weak |= {self.weak_phrases[" ".join(p.split())] for p in self.weak_phrase_re.findall(low)}
        if not strong and len(weak) < self.weak_needed and self.names is not None:
            m = self.names.search(text)
            if m:
                strong.add(m.group(0))
        return Verdict(bool(strong) or len(weak) >= self.weak_needed, tuple(sorted(strong)), tuple(sorted(weak)))


@lru_cache(maxsize=1)
def get() -> Triage:
    return Triage()


def assess(text: str) -> Verdict:
    return get().assess(text)
