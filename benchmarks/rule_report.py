"""Per-rule report in the manner of Snorkel's LFAnalysis: for every extraction rule (kgo:rule on
each fact), how many facts it made, how many of the scorer's tuples it got right or wrong, and how
often it overlaps with other rules. Tells which rule to fix.

    python benchmarks/rule_report.py ../shared/eval/dev tests/corpus
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from rdflib import Graph, Literal

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from baseline import load_scorer  # noqa: E402
from kgbuild.build import run  # noqa: E402
from kgbuild.namespace import KGO  # noqa: E402


def only_rule(g: Graph, rule: str) -> Graph:
    """The graph with just the facts one rule made (linked releases kept for exchanges)."""
    keep = set(g.subjects(KGO.rule, Literal(rule)))
    keep |= {r for f in keep for r in g.objects(f, KGO.hasRelease)}
    facts = set(g.subjects(KGO.rule, None))
    out = Graph()
    for s, p, o in g:
        if s in facts and s not in keep:
            continue
        out.add((s, p, o))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data_dirs", type=Path, nargs="+")
    args = ap.parse_args()
    score = load_scorer()
    rows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # facts, tp, fp, overlaps
    for data_dir in args.data_dirs:
        texts = {p.stem: p.read_text(encoding="utf-8") for p in data_dir.glob("*.txt")}
        with tempfile.TemporaryDirectory() as tmp:
            run(sorted(data_dir.glob("*.txt")), Path(tmp), html=False)
            g = Graph().parse(Path(tmp) / "graph.ttl", format="turtle")
        rules = sorted({str(o) for o in g.objects(None, KGO.rule)})
        produced: dict[str, set] = {}
        for rule in rules:
            sub = only_rule(g, rule)
            totals, details, *_ = score.score(data_dir, sub, texts)
            rows[rule][0] += len(set(g.subjects(KGO.rule, Literal(rule))))
            rows[rule][1] += sum(v[0] for v in totals.values())
            rows[rule][2] += sum(v[1] for v in totals.values())
            produced[rule] = {(d["doc"], t) for d in details for t in d["fp"]}
        for rule in rules:
            others = set().union(*(v for r, v in produced.items() if r != rule)) if len(produced) > 1 else set()
            rows[rule][3] += len(produced[rule] & others)
    print(f"{'rule':<40} {'facts':>6} {'tp':>5} {'fp':>5} {'prec':>6} {'shared fp':>9}")
    for rule, (n, tp, fp, ov) in sorted(rows.items(), key=lambda kv: -kv[1][2]):
        prec = tp / (tp + fp) if tp + fp else 0.0
        print(f"{rule:<40} {n:6d} {tp:5d} {fp:5d} {prec:6.2f} {ov:9d}")


if __name__ == "__main__":
    main()
