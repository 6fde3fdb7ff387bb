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
