"""Surface shapes as data: spaCy `DependencyMatcher` / `Matcher` patterns read from
`kgbuild/data/patterns/<family>.json`.

Each file holds a list of rules; a rule is a readable record, as medspaCy keeps its context rules:

    {"id": "meeting.arrive_for_talks",            # unique; becomes the fact's kgo:rule
     "example": "A Hamas delegation arrived in Cairo for truce talks on Monday.",
     "kind": "dependency",                         # or "token" for a plain Matcher pattern
     "pattern": [ {"RIGHT_ID": "trigger", "RIGHT_ATTRS": {"LEMMA": "arrive"}}, … ],
     "fires": true}                                # optional: false for a counter-example rule

A family asks `matches(doc, "meeting")` and gets, per match, the rule and the tokens bound to each
`RIGHT_ID` (for dependency rules) or the matched span (for token rules); what the tokens mean
(who met, where) stays in the family's code. `tests/test_patterns.py` parses every rule's example
and checks that the rule fires on it, so a rule never silently stops matching.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc, Span, Token


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    pattern: tuple
    example: str
    fires: bool = True
    meta: tuple = ()  # any further keys of the record, as (key, value) pairs, for the family's use

    def get(self, key: str, default=None):
        return dict(self.meta).get(key, default)


@dataclass
class Match:
    rule: Rule
    tokens: dict[str, Token]   # RIGHT_ID → token (dependency rules)
    span: Span | None = None   # the matched span (token rules)


def families() -> list[str]:
    root = resources.files("kgbuild.data").joinpath("patterns")
    return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".json"))


@lru_cache(maxsize=None)
def rules(family: str) -> tuple[Rule, ...]:
    path = resources.files("kgbuild.data").joinpath("patterns", f"{family}.json")
    if not path.is_file():
        return ()
    out = []
    for rec in json.loads(path.read_text(encoding="utf-8")):
        extra = tuple(sorted((k, json.dumps(v, sort_keys=True) if isinstance(v, (list, dict)) else v)
                             for k, v in rec.items() if k not in ("id", "kind", "pattern", "example", "fires")))
        out.append(Rule(rec["id"], rec.get("kind", "dependency"), _freeze(rec["pattern"]), rec.get("example", ""),
                        rec.get("fires", True), extra))
    ids = [r.id for r in out]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise ValueError(f"patterns/{family}.json: duplicate rule ids {sorted(dup)}")
    return tuple(out)


def _freeze(obj):
    if isinstance(obj, list):
        return tuple(_freeze(x) for x in obj)
    if isinstance(obj, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in obj.items()))
    return obj


def _thaw(obj):
    if isinstance(obj, tuple) and obj and all(isinstance(x, tuple) and len(x) == 2 and isinstance(x[0], str)
                                              for x in obj):
        return {k: _thaw(v) for k, v in obj}
    if isinstance(obj, tuple):
        return [_thaw(x) for x in obj]
    return obj


_MATCHERS: dict[tuple[int, str], tuple] = {}


def _matchers(vocab, family: str):
    key = (id(vocab), family)
    if key not in _MATCHERS:
        dep, tok = DependencyMatcher(vocab), Matcher(vocab)
        for r in rules(family):
            pat = _thaw(r.pattern)
            if r.kind == "dependency":
                dep.add(r.id, [pat])
            elif r.kind == "token":
                tok.add(r.id, [pat])
            else:
                raise ValueError(f"patterns/{family}.json: rule {r.id} has unknown kind {r.kind!r}")
        _MATCHERS[key] = (dep, tok, {r.id: r for r in rules(family)}, vocab)
    return _MATCHERS[key]


def matches(doc: Doc | Span, family: str) -> list[Match]:
    """Every match of the family's rules in a Doc (or a sentence Span), in text order."""
    dep, tok, by_id, _ = _matchers(doc.vocab, family)
    out: list[Match] = []
    target = doc.as_doc() if isinstance(doc, Span) else doc
    offset = doc.start if isinstance(doc, Span) else 0
    base = doc.doc if isinstance(doc, Span) else doc
    if len(dep):
        for match_id, token_ids in dep(target):
            rule = by_id[doc.vocab.strings[match_id]]
            pat = _thaw(rule.pattern)
            names = [p["RIGHT_ID"] for p in pat]
            out.append(Match(rule, {n: base[offset + i] for n, i in zip(names, token_ids)}))
    if len(tok):
        for match_id, start, end in tok(target):
            rule = by_id[doc.vocab.strings[match_id]]
            out.append(Match(rule, {}, base[offset + start: offset + end]))
    out.sort(key=lambda m: (min([t.i for t in m.tokens.values()] or [m.span.start if m.span is not None else 0]),
                            m.rule.id))
    return out
