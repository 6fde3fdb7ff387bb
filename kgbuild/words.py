"""Tokens by word (where a rule's trigger words occur in a parsed Doc), and the entity a token is in.

Most rules start from a few words ("release", "mediate", "the two sides"); reading every token's
lemma in every rule was most of the extraction time. `with_words` looks them up in an index built
once per Doc (kept in `doc.user_data`, so that entities, coreference and the extractor families
share it) from the Doc's attribute arrays, each distinct value's string read once.
"""
from __future__ import annotations

from typing import Iterable

from spacy.tokens import Doc, Token

_KEY = "kgbuild.words"


def _index(doc: Doc, attr: str) -> dict[str, list[int]]:
    """Lower-cased LEMMA (or LOWER) → token positions."""
    import numpy as np
    from spacy import attrs

    if not len(doc):
        return {}
    uniq, inverse = np.unique(doc.to_array([getattr(attrs, attr)]), return_inverse=True)
    strings = doc.vocab.strings
    lowered = [strings[int(h)].lower() for h in uniq.tolist()]
    out: dict[str, list[int]] = {}
    for i, u in enumerate(inverse.ravel().tolist()):
        out.setdefault(lowered[u], []).append(i)
    return out


def with_words(doc: Doc, lemmas: Iterable[str] = (), lowers: Iterable[str] = (), start: int = 0,
               end: int | None = None) -> list[Token]:
    """The tokens whose lower-cased lemma is in `lemmas` or whose lower-cased form is in `lowers`,
    in order, within doc[start:end]. Callers still test what they need of each token: this only
    spares them the tokens that cannot be a trigger."""
    cache = doc.user_data.get(_KEY)
    if not isinstance(cache, dict) or cache.get("n") != len(doc):
        cache = doc.user_data[_KEY] = {"n": len(doc)}
    hits: set[int] = set()
    for attr, words in (("LEMMA", lemmas), ("LOWER", lowers)):
        if words:
            index = cache.get(attr)
            if index is None:
                index = cache[attr] = _index(doc, attr)
            hits.update(i for w in words for i in index.get(w, ()))
    end = len(doc) if end is None else end
    return [doc[i] for i in sorted(hits) if start <= i < end]


def entity_at(doc: Doc, i: int):
    """The entity span (of `doc.ents`) that token i is in, or None. `doc.ents` makes every span
    anew on each call; the spans are listed once per Doc (they do not change after NER)."""
    cache = doc.user_data.get(_KEY)
    if not isinstance(cache, dict) or cache.get("n") != len(doc):
        cache = doc.user_data[_KEY] = {"n": len(doc)}
    at = cache.get("ents")
    if at is None:
        at = cache["ents"] = {j: e for e in doc.ents for j in range(e.start, e.end)}
    return at.get(i)
