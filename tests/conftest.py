"""Shared fixtures: the spaCy pipeline is loaded once per test session, and `read(text)` shows
what kgbuild extracts from a few sentences as plain, readable tuples."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kgbuild.nlp import load


@pytest.fixture(scope="session")
def nlp():
    return load()


class Reading:
    """The facts of one text, with entity labels in place of local ids."""

    def __init__(self, doc):
        self.doc = doc
        self.ents = doc._.kg_entities
        self.facts = doc._.kg_facts

    def label(self, eid: str) -> str:
        e = self.ents.entities.get(eid)
        return e.label if e else eid

    def of(self, cls: str) -> list[dict]:
        """Facts of one class as {property: sorted labels, plus literal values}."""
        out = []
        for f in self.facts:
            if f.cls == cls:
                row = {p: sorted(self.label(e) for e in v) for p, v in f.args.items()}
                row.update(f.values)
                out.append(row)
        return out

    def pairs(self, cls: str, a: str, b: str) -> set[tuple]:
        return {(x, y) for r in self.of(cls) for x in r.get(a, []) for y in r.get(b, [])}

    def values(self, cls: str, prop: str, key: str) -> set[tuple]:
        return {(x, r.get(key)) for r in self.of(cls) for x in r.get(prop, [])}

    def entity(self, label: str):
        return next((e for e in self.ents.entities.values() if e.label == label), None)


@pytest.fixture(scope="session")
def read(nlp):
    def _read(text: str) -> Reading:
        return Reading(nlp(text))

    return _read


@pytest.fixture(scope="session")
def sample_ttl(tmp_path_factory) -> Path:
    """The bundled sample, built once per session through the documented command line."""
    repo = Path(__file__).resolve().parent.parent
    out = tmp_path_factory.mktemp("sample-build")
    sample = repo / "kgbuild" / "data" / "sample" / "qatar-pm-gaza-truce-talks.txt"
    proc = subprocess.run([sys.executable, "-m", "kgbuild", "build", str(sample), "--out", str(out)],
                          capture_output=True, text=True, cwd=repo, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert (out / "graph.ttl").is_file()
    return out / "graph.ttl"
