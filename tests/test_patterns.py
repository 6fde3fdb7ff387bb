"""Every surface shape kept as data (`kgbuild/data/patterns/*.json`) is a readable rule with an
example sentence; parsing that example must make the rule fire (or, for a counter-example rule
marked `"fires": false`, must not)."""
import pytest

from kgbuild.extract import patterns

ALL = [(fam, r) for fam in patterns.families() for r in patterns.rules(fam)]


@pytest.mark.parametrize("family,rule", ALL, ids=[r.id for _, r in ALL])
def test_rule_fires_on_its_example(nlp, family, rule):
    assert rule.example, f"{rule.id} has no example sentence"
    doc = nlp(rule.example)
    fired = {m.rule.id for m in patterns.matches(doc, family)}
    assert (rule.id in fired) == rule.fires, f"{rule.id} on {rule.example!r}"


def test_rule_ids_carry_their_family():
    for fam, r in ALL:
        assert r.id.startswith(fam + "."), r.id


def _found(ms):
    return [(m.rule.id, tuple((k, t.i) for k, t in m.tokens.items()),
             (m.span.start, m.span.end) if m.span is not None else None) for m in ms]


def test_the_fast_matcher_finds_what_spacys_dependency_matcher_finds(nlp):
    """`matches` walks the parse itself rather than running spaCy's DependencyMatcher; both must
    give the same matches in the same order, on every rule's example and on running text."""
    texts = [r.example for _, r in ALL] + [
        "Mediators Egypt, Qatar and the United States said on Monday that a Hamas delegation had "
        "arrived in Cairo for talks, and that Israel sent its negotiators to Doha.\n\n"
        "Guarantor countries: Turkey, Russia and Iran. The talks were held in Astana with the help "
        "of Kazakhstan, and 185 prisoners returned home to each side.",
        "",
        "Talks.",
    ]
    assert any(patterns._matchers(nlp.vocab, fam)[4] is not None for fam in patterns.families())
    for doc in nlp.pipe(texts):
        for fam in patterns.families():
            assert _found(patterns.matches(doc, fam)) == _found(patterns.matches(doc, fam, fast=False)), doc.text


def test_a_rule_the_fast_matcher_cannot_model_runs_through_spacy():
    rule = patterns.Rule("x.sibling", "dependency", patterns._freeze([
        {"RIGHT_ID": "a", "RIGHT_ATTRS": {"LEMMA": "free"}},
        {"LEFT_ID": "a", "REL_OP": ".", "RIGHT_ID": "b", "RIGHT_ATTRS": {"POS": "NOUN"}}]), "")
    assert patterns._TreeRules.compile([rule]) is None
