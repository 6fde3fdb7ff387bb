"""Triage: which documents are worth parsing, decided from the tokenizer's output alone.

Most articles in a news stream are about none of the things kgbuild extracts (talks, truces,
hostages, prisoners, the conflicts around them). Tagging, parsing and NER cost ~50× what
tokenising does, so the map step tokenises every document, asks `Triage.assess` whether it can
hold the facts, and runs the rest of the pipeline only on those that can. A document triaged out
yields an empty `DocResult` with its metadata.

A document is topical when it contains one *strong* cue (a domain word such as "hostages",
"ceasefire", "mediated", "talks", or the name of an armed group from the gazetteer), or cues
from two different *weak* groups ("killed" + "troops", "freed" + "deal"). The cue lists live in
`kgbuild/data/triage.json`; the strong list also takes the domain families of
`kgbuild/data/lexicon.json` (inflected), so a trigger lemma the extractors learn is a triage cue
too. The test is deliberately generous: letting an off-topic article through costs time, while
missing a topical one would cost facts. Within a topical document every sentence is parsed: the
extractors resolve references up to 9 sentences away and merge person names over the whole
article, so skipping sentences would change facts for a small gain (docs/scale.md).

Set `KGBUILD_TRIAGE=0` (or `kgbuild build --no-triage`) to parse every document.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

from spacy.attrs import LOWER
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import hash_string
from spacy.tokens import Doc

from .resources import lexicon, load_json

ENV = "KGBUILD_TRIAGE"
_OFF = {"0", "off", "false", "no"}


def enabled(value: bool | None = None) -> bool:
    """An explicit option wins; else the KGBUILD_TRIAGE environment variable; else on."""
    if value is not None:
        return bool(value)
    return os.environ.get(ENV, "1").strip().lower() not in _OFF


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


class Triage:
    """Cue matcher for one pipeline's vocabulary. Build once per process (`for_pipeline`)."""

    def __init__(self, nlp: Language, config: dict | None = None) -> None:
        cfg = config or load_json("triage.json")
        self.weak_needed = int(cfg.get("weak_groups_needed", 2))
        lex = lexicon()
        generic = {w.lower() for w in cfg.get("lexicon_generic", [])}
        strong: set[str] = {c.lower() for c in cfg.get("strong", [])}
        for path in cfg.get("from_lexicon", []):
            for lemma in _lexicon_path(lex, path):
                if lemma.lower() not in generic:
                    strong |= inflections(lemma)
        self.strong_words: dict[int, str] = {}
        self.weak_words: dict[int, str] = {}
        self.phrases = PhraseMatcher(nlp.vocab, attr=LOWER)
        self.names = PhraseMatcher(nlp.vocab)  # gazetteer names match case and all
        tok = nlp.tokenizer
        for cue in sorted(strong):
            self._add(tok, cue, "STRONG", self.strong_words)
        for group, cues in sorted(cfg.get("weak", {}).items()):
            for cue in cues:
                self._add(tok, cue.lower(), group, self.weak_words)
        tags = set(cfg.get("gazetteer_tags", []))
        orgs = load_json("organizations.json").get("organizations", [])
        names = sorted({a for o in orgs if tags & set(o.get("tags", []))
                        for a in [o["label"], *o.get("aliases", [])] if len(a) > 2})
        for name in names:
            self.names.add("STRONG", [tok(name)])
        self.vocab = nlp.vocab

    def _add(self, tok, cue: str, label: str, words: dict[int, str]) -> None:
        doc = tok(cue)
        if len(doc) == 1:
            words[hash_string(doc[0].lower_)] = label if label != "STRONG" else cue
        else:
            self.phrases.add(label, [doc])

    def assess(self, doc: Doc) -> Verdict:
        """Verdict for a tokenised document (`nlp.make_doc(text)`); reads no annotation but the
        tokens themselves."""
        counts = doc.count_by(LOWER)
        strong = {self.strong_words[h] for h in counts if h in self.strong_words}
        weak = {self.weak_words[h] for h in counts if h in self.weak_words}
        if not strong and len(weak) < self.weak_needed:
            for match_id, start, end in self.phrases(doc):
                label = self.vocab.strings[match_id]
                if label == "STRONG":
                    strong.add(doc[start:end].text.lower())
                    break
                weak.add(label)
        if not strong and len(weak) < self.weak_needed:
            for _, start, end in self.names(doc):
                strong.add(doc[start:end].text)
                break
        return Verdict(bool(strong) or len(weak) >= self.weak_needed, tuple(sorted(strong)), tuple(sorted(weak)))

    def assess_text(self, text: str, tokenizer) -> Verdict:
        return self.assess(tokenizer(text))


_BY_PIPELINE: dict[int, tuple[Language, Triage]] = {}


def for_pipeline(nlp: Language) -> Triage:
    """The Triage for this pipeline's vocabulary, built once per process and pipeline."""
    got = _BY_PIPELINE.get(id(nlp))
    if got is None or got[0] is not nlp:
        got = _BY_PIPELINE[id(nlp)] = (nlp, Triage(nlp))
    return got[1]


@lru_cache(maxsize=1)
def _blank():
    import spacy

    return spacy.blank("en")


def assess_text(text: str) -> Verdict:
    """Convenience for callers without a pipeline at hand (a blank English tokenizer)."""
    nlp = _blank()
    return for_pipeline(nlp).assess(nlp.make_doc(text))
