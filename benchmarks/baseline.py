"""A naive baseline scored beside kgbuild: spaCy NER co-occurrence per sentence plus a verb lexicon.

For every sentence with a trigger lemma of a fact kind, the entities spaCy finds in it fill the
kind's slots in order of appearance (first entity = mediator/releaser/speaker…, the rest = parties),
and the first cardinal number is the count. No parse, no coreference, no gazetteer, no negation.
It writes a graph through kgbuild's own RDF layer, so both are scored by the same scorer:

    python benchmarks/baseline.py ../shared/eval/dev          # prints baseline and kgbuild scores
"""
from __future__ import annotations

import argparse
import importlib.util
import re
import sys
import tempfile
from pathlib import Path

import spacy
from rdflib import Graph

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kgbuild import rdf  # noqa: E402
from kgbuild.build import run  # noqa: E402
from kgbuild.facts import DocResult, Entity, Evidence, Fact  # noqa: E402
from kgbuild.ingest import Document, iter_documents  # noqa: E402
from kgbuild.nlp import pick_model  # noqa: E402
from kgbuild.reduce import GraphBuilder  # noqa: E402

TRIGGERS = {  # lemma → (fact class, slot for the first entity, slot for the others)
    "mediate": ("Negotiation", "mediator", "party"), "broker": ("Negotiation", "mediator", "party"),
    "facilitate": ("Negotiation", "mediator", "party"), "mediation": ("Negotiation", "mediator", "party"),
    "release": ("Release", "releasedBy", None), "free": ("Release", "releasedBy", None),
    "seize": ("HostageTaking", "perpetrator", None), "hostage": ("HostageTaking", "perpetrator", None),
    "meet": ("Meeting", "participant", "participant"), "talk": ("Meeting", "participant", "participant"),
    "demand": ("Demand", "demandedBy", None), "propose": ("Proposal", "proposedBy", None),
    "proposal": ("Proposal", "proposedBy", None), "reject": ("Proposal", "rejectedBy", None),
    "say": ("Statement", "speaker", None), "kill": ("CasualtyReport", "reportedBy", None),
}
CLASSES = {"PERSON": "Person", "ORG": "Organization", "GPE": "Country", "NORP": "Country", "LOC": "Place"}


def baseline_result(nlp, d: Document) -> DocResult:
    doc = nlp(d.text)
    res = DocResult(meta=d.meta)
    for sent in doc.sents:
        if sent.start_char < d.body_start:
            continue
        ents = [e for e in sent.ents if e.label_ in CLASSES]
        nums = [e for e in sent.ents if e.label_ == "CARDINAL"]
        for lemma in {t.lemma_.lower() for t in sent} & TRIGGERS.keys():
            cls, first, rest = TRIGGERS[lemma]
            if not ents:
                continue
            f = Fact(fid=f"f{len(res.facts)}", cls=cls, rule=f"baseline:{lemma}",
                     evidence=[Evidence(sent.start_char, sent.end_char, sent.text)])
            for n, e in enumerate(ents):
                eid = f"{e.label_}:{e.text}"
                res.entities.setdefault(eid, Entity(eid, f"{CLASSES[e.label_].lower()}:{e.text.lower()}",
                                                    CLASSES[e.label_], e.text))
                if n == 0:
                    f.add(first, eid)
                elif rest:
                    f.add(rest, eid)
            if cls in ("Release", "HostageTaking", "CasualtyReport") and nums:
                digits = re.sub(r"[^\d]", "", nums[0].text)
                if digits:
                    f.values["count"] = int(digits)
                    f.values["countQualifier"] = "exact"
            res.facts.append(f)
    return res


def load_scorer():
    path = Path(__file__).resolve().parents[2] / "shared" / "eval" / "score.py"
    spec = importlib.util.spec_from_file_location("kg_score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def score_graph(score, data_dir: Path, ttl: Path) -> dict:
    g = Graph().parse(ttl, format="turtle")
    texts = {p.stem: p.read_text(encoding="utf-8") for p in data_dir.glob("*.txt")}
    totals, *_ = score.score(data_dir, g, texts)
    tp, fp, fn = (sum(v[i] for v in totals.values()) for i in range(3))
    out = {"overall": score.prf(tp, fp, fn)}
    out.update({k: score.prf(*v) for k, v in totals.items()})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data_dirs", type=Path, nargs="+")
    args = ap.parse_args()
    nlp = spacy.load(pick_model())
    score = load_scorer()
    for data_dir in args.data_dirs:
        with tempfile.TemporaryDirectory() as tmp:
            b = GraphBuilder()
            for d in iter_documents(sorted(data_dir.glob("*.txt"))):
                if isinstance(d, Document):
                    b.add(baseline_result(nlp, d))
            rdf.write(b, Path(tmp) / "baseline")
            base = score_graph(score, data_dir, Path(tmp) / "baseline" / "graph.ttl")
            run(sorted(data_dir.glob("*.txt")), Path(tmp) / "kgbuild", html=False)
            ours = score_graph(score, data_dir, Path(tmp) / "kgbuild" / "graph.ttl")
        print(f"\n{data_dir}  (F1; P/R in brackets)")
        print(f"{'kind':<11} {'baseline':>22} {'kgbuild':>22}")
        for k in ours:
            bp, br, bf = base[k]
            kp, kr, kf = ours[k]
            print(f"{k:<11} {bf:6.3f} ({bp:.2f}/{br:.2f})    {kf:6.3f} ({kp:.2f}/{kr:.2f})")


if __name__ == "__main__":
    main()
