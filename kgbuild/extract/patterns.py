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

import numpy as np
from spacy.attrs import DEP, ENT_TYPE, HEAD, LEMMA, LIKE_NUM, LOWER, ORTH, POS, TAG
from spacy.matcher import DependencyMatcher, Matcher
from spacy.strings import get_string_id
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


# ----------------------------------------------------------------------------- matching
#
# spaCy's DependencyMatcher first runs a token Matcher with every node of every rule over every
# token, which made it most of the extraction time. The rules here use only the `>` and `>>`
# operators and plain attribute tests, so `_TreeRules` finds the same matches from a few numpy
# masks over `Doc.to_array` and a walk down the parse from each anchor. It returns exactly what the
# DependencyMatcher returns, in the same order (tests/test_patterns.py compares the two); a rule
# set using anything else runs through the DependencyMatcher.

_ATTRS = {"LEMMA": LEMMA, "LOWER": LOWER, "ORTH": ORTH, "TEXT": ORTH, "POS": POS, "TAG": TAG, "DEP": DEP,
          "ENT_TYPE": ENT_TYPE, "LIKE_NUM": LIKE_NUM}
_COLUMNS = list(_ATTRS.values()) + [HEAD]
_COL = {a: i for i, a in enumerate(_COLUMNS)}
# the attribute an anchor is looked up by, most selective first: a word picks out a few tokens, a
# part of speech hundreds (and each attribute looked up costs an index over the Doc)
_SELECTIVE = [_COL[a] for a in (LEMMA, LOWER, ORTH, ENT_TYPE, TAG, DEP, POS, LIKE_NUM)]


class _TreeRules:
    """Dependency rules compiled to attribute tests and tree steps; None from `compile` when a rule
    uses something this does not model."""

    def __init__(self, compiled: list[tuple[str, list]]) -> None:
        self.rules = compiled   # (rule id, [(left node index or -1, op, [(column, values)])])

    @classmethod
    def compile(cls, rules_: list[Rule]) -> "_TreeRules | None":
        out = []
        for r in rules_:
            pat = _thaw(r.pattern)
            index: dict[str, int] = {}
            nodes = []
            for k, node in enumerate(pat):
                if k == 0:
                    left, op = -1, None
                    if set(node) - {"RIGHT_ID", "RIGHT_ATTRS"}:
                        return None
                else:
                    if set(node) - {"LEFT_ID", "REL_OP", "RIGHT_ID", "RIGHT_ATTRS"} or node.get("REL_OP") not in (">", ">>") \
                            or node.get("LEFT_ID") not in index:
                        return None
                    left, op = index[node["LEFT_ID"]], node["REL_OP"]
                tests = []
                for attr, want in node.get("RIGHT_ATTRS", {}).items():
                    if attr not in _ATTRS:
                        return None
                    if isinstance(want, dict):
                        if set(want) != {"IN"} or not isinstance(want["IN"], list):
                            return None
                        vals = want["IN"]
                    else:
                        vals = [want]
                    if attr == "LIKE_NUM":
                        if not all(isinstance(v, bool) for v in vals):
                            return None
                        ids = [int(v) for v in vals]
                    else:
                        if not all(isinstance(v, str) for v in vals):
                            return None
                        ids = [get_string_id(v) for v in vals]
                    tests.append((_COL[_ATTRS[attr]], frozenset(ids)))
                index[node["RIGHT_ID"]] = k
                nodes.append((left, op, tests))
            out.append((r.id, nodes))
        return cls(out)

    def __call__(self, doc: Doc) -> list[tuple[str, list[int]]]:
        if not len(doc):
            return []
        view = _DocView.of(doc)
        passes = view.passes
        found = []
        for rid, nodes in self.rules:
            words = [min(t, key=lambda x: _SELECTIVE.index(x[0])) for _, _, t in nodes if _worded(t)]
            if any(not view.count(c, vals) for c, vals in words):
                continue  # a word the rule needs is nowhere in the Doc
            tests = nodes[0][2]
            if _worded(tests):  # anchors from the most selective test's index, then the other tests
                c, vals = min(tests, key=lambda t: _SELECTIVE.index(t[0]))
                anchors = [i for i in view.positions(c, vals) if passes(i, tests)]
            else:
                # a part-of-speech anchor ("a proper noun with a 'mediator' compound"): the heads of
                # the tokens that pass a worded child node, rather than every noun of the Doc
                via = [t for left, op, t in nodes[1:] if left == 0 and op == ">" and _worded(t)]
                if via:
                    c, vals = min(via[0], key=lambda t: _SELECTIVE.index(t[0]))
                    pool = sorted({view.head[i] for i in view.positions(c, vals)} - {None})
                else:
                    pool = range(len(doc))
                anchors = [i for i in pool if passes(i, tests)]
            if not anchors:
                continue
            hits: list[tuple[int, ...]] = []
            self._extend(nodes, view.children, passes, anchors, [], hits)
            # the DependencyMatcher yields the product of each node's positions in ascending order
            found.extend((rid, list(h)) for h in sorted(hits))
        return found

    @staticmethod
    def _extend(nodes, children, passes, choices: list[int], partial: list[int], hits: list) -> None:
        k = len(partial)
        for i in choices:
            now = partial + [i]
            if k + 1 == len(nodes):
                hits.append(tuple(now))
                continue
            left, op, tests = nodes[k + 1]
            j = now[left]
            below = children[j] if op == ">" else _descendants(children, j)
            nxt = [r for r in below if passes(r, tests)]
            if nxt:
                _TreeRules._extend(nodes, children, passes, nxt, now, hits)


_WORD_COLUMNS = {_COL[a] for a in (LEMMA, LOWER, ORTH)}


def _worded(tests) -> bool:
    """The node names its words: few tokens pass it."""
    return any(c in _WORD_COLUMNS for c, _ in tests)


class _DocView:
    """A parsed Doc's token attributes as plain lists, with a value → positions index per attribute,
    built once per Doc and shared by the families' rule sets (kept in `doc.user_data`)."""

    KEY = "kgbuild.patterns.view"

    def __init__(self, doc: Doc) -> None:
        n = len(doc)
        self.n = n
        self.arr = doc.to_array(_COLUMNS)
        head = (np.arange(n, dtype=np.int64) + self.arr[:, _COL[HEAD]].astype(np.int64)).tolist()
        self.children: list[list[int]] = [[] for _ in range(n)]
        for i, h in enumerate(head):
            if h != i:
                self.children[h].append(i)
        self.head: list[int | None] = [None if h == i else h for i, h in enumerate(head)]
        self.columns: dict[int, list] = {}
        self.indexes: dict[int, dict] = {}

    @classmethod
    def of(cls, doc: Doc) -> "_DocView":
        view = doc.user_data.get(cls.KEY)
        if not isinstance(view, cls) or view.n != len(doc):
            view = doc.user_data[cls.KEY] = cls(doc)
        return view

    def column(self, c: int) -> list:
        got = self.columns.get(c)
        if got is None:
            got = self.columns[c] = self.arr[:, c].tolist()
        return got

    def index(self, c: int) -> dict:
        got = self.indexes.get(c)
        if got is None:
            got = self.indexes[c] = {}
            for i, v in enumerate(self.column(c)):
                got.setdefault(v, []).append(i)
        return got

    def count(self, c: int, vals) -> int:
        idx = self.index(c)
        return sum(len(idx.get(v, ())) for v in vals)

    def positions(self, c: int, vals) -> list[int]:
        idx = self.index(c)
        return sorted(i for v in vals for i in idx.get(v, ()))

    def any(self, tests) -> bool:
        """Some token has one of the values of some test."""
        return any(self.count(c, vals) for c, vals in tests)

    def passes(self, i: int, tests) -> bool:
        columns = self.columns
        for c, vals in tests:
            col = columns.get(c)
            if col is None:
                col = self.column(c)
            if col[i] not in vals:
                return False
        return True


def _descendants(children: list[list[int]], j: int) -> list[int]:
    out, todo = [], list(children[j])
    while todo:
        r = todo.pop()
        out.append(r)
        todo.extend(children[r])
    return out


_MATCHERS: dict[tuple[int, str], tuple] = {}


def _openers(token_rules: list[Rule]) -> list | None:
    """Tests that every token rule's first token must pass: a Doc with no token passing any of
    them holds no match, and the Matcher need not run. None when a rule could start otherwise."""
    out = []
    for r in token_rules:
        first = _thaw(r.pattern)[0]
        spec = {k: v for k, v in first.items() if k != "OP"}
        if first.get("OP") not in (None, "1") or len(spec) != 1:
            return None
        (attr, want), = spec.items()
        if attr not in ("LOWER", "ORTH", "TEXT", "LEMMA"):
            return None
        vals = want["IN"] if isinstance(want, dict) and set(want) == {"IN"} else [want] if isinstance(want, str) else None
        if vals is None or not all(isinstance(v, str) for v in vals):
            return None
        out.append((_COL[_ATTRS[attr]], frozenset(get_string_id(v) for v in vals)))
    return out


@lru_cache(maxsize=None)
def _node_names(rule: Rule) -> tuple[str, ...]:
    return tuple(p["RIGHT_ID"] for p in _thaw(rule.pattern))


def _matchers(vocab, family: str):
    key = (id(vocab), family)
    if key not in _MATCHERS:
        dep, tok = DependencyMatcher(vocab), Matcher(vocab)
        deps = [r for r in rules(family) if r.kind == "dependency"]
        for r in rules(family):
            pat = _thaw(r.pattern)
            if r.kind == "dependency":
                dep.add(r.id, [pat])
            elif r.kind == "token":
                tok.add(r.id, [pat])
            else:
                raise ValueError(f"patterns/{family}.json: rule {r.id} has unknown kind {r.kind!r}")
        _MATCHERS[key] = (dep, tok, {r.id: r for r in rules(family)}, vocab, _TreeRules.compile(deps),
                          _openers([r for r in rules(family) if r.kind == "token"]))
    return _MATCHERS[key]


def matches(doc: Doc | Span, family: str, fast: bool = True) -> list[Match]:
    """Every match of the family's rules in a Doc (or a sentence Span), in text order. `fast`
    False runs spaCy's DependencyMatcher, which gives the same matches."""
    dep, tok, by_id, _, tree, openers = _matchers(doc.vocab, family)
    out: list[Match] = []
    target = doc.as_doc() if isinstance(doc, Span) else doc
    offset = doc.start if isinstance(doc, Span) else 0
    base = doc.doc if isinstance(doc, Span) else doc
    if len(dep):
        if fast and tree is not None:
            found = tree(target)
        else:
            found = [(doc.vocab.strings[m], ids) for m, ids in dep(target)]
        for rid, token_ids in found:
            rule = by_id[rid]
            names = _node_names(rule)
            out.append(Match(rule, {n: base[offset + i] for n, i in zip(names, token_ids)}))
    if len(tok) and (not fast or openers is None or isinstance(doc, Span) or _DocView.of(target).any(openers)):
        for match_id, start, end in tok(target):
            rule = by_id[doc.vocab.strings[match_id]]
            out.append(Match(rule, {}, base[offset + start: offset + end]))
    out.sort(key=lambda m: (min([t.i for t in m.tokens.values()] or [m.span.start if m.span is not None else 0]),
                            m.rule.id))
    return out
