"""Show what kgbuild reads in one article: entities, references and facts with the rule that made
each and its evidence. For error analysis: `python scripts/explain.py ARTICLE.txt [--mentions]`."""
from __future__ import annotations

import argparse
from pathlib import Path

from kgbuild.ingest import Document, iter_documents
from kgbuild.nlp import load


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("path", type=Path)
    ap.add_argument("--mentions", action="store_true")
    ap.add_argument("--parse", help="print the dependency parse of sentences containing this word")
    args = ap.parse_args()
    nlp = load()
    for d in iter_documents([args.path]):
        if not isinstance(d, Document):
            print(d)
            continue
        sdoc = nlp.make_doc(d.text)
        sdoc.user_data["kg_body_start"] = d.body_start
        sdoc.user_data["kg_doc_date"] = d.meta.date
        sdoc = nlp(sdoc)
        ents = sdoc._.kg_entities
        print(f"== {d.meta.id}")
        for eid, e in ents.entities.items():
            print(f"  {eid} {e.cls:<12} {e.label!r} alt={sorted(e.alt_labels)} key={e.key}")
        if args.mentions:
            for m in ents.mentions:
                print(f"  mention {sdoc[m.start:m.end].text!r:40} -> {[ents.entities[x].label if x in ents.entities else x for x in m.entities]} via {m.via}")
        if args.parse:
            for s in sdoc.sents:
                if args.parse.lower() in s.text.lower():
                    print("  " + " ".join(f"{t.i}:{t.text}/{t.dep_}>{t.head.i}" for t in s))
        for f in sdoc._.kg_facts:
            args_s = {p: [ents.entities[x].label if x in ents.entities else x for x in v] for p, v in f.args.items()}
            print(f"  {f.fid} {f.cls:<14} {args_s} {f.values if f.cls != 'Statement' else ''} links={f.links} [{f.rule}]")
            print(f"      « {f.evidence[0].text[:160]} »")


if __name__ == "__main__":
    main()
