#!/usr/bin/env python3
"""How fast kgbuild builds a graph, against the spaCy pipeline it runs.

    .venv/bin/python benchmarks/build_speed.py              # 2,000 documents (a few minutes)
    .venv/bin/python benchmarks/build_speed.py --docs 300   # about a minute
    .venv/bin/python benchmarks/build_speed.py --json       # one JSON object on stdout

The corpus is generated: the dev articles (../shared/eval/dev) and the project's own test
corpus (tests/corpus) are the topical articles, benchmarks/corpus/offtopic the off-topic news,
mixed 1 topical : 4 off-topic and replicated (each replica a file of its own with a distinct id)
to --docs documents. Each configuration runs in a fresh subprocess, so that its peak memory
(ru_maxrss) is its own:

- raw: `nlp.pipe` of the plain model with all its components (tok2vec, tagger, parser,
  attribute_ruler, lemmatizer, ner; spaCy's default batch size) over the same texts;
- build: `kgbuild.build.run` (ingest → triage → NLP → extraction → reduce → graph.ttl and
  graph.html), in one process and with --jobs 2;
- the same on the topical articles alone, and the single-process build at 4× the documents.

Throughput is words (non-space, non-punctuation tokens) per wall-clock second in a warm process
(model loaded, one small article processed first, for raw and build alike); the --jobs 2 figure
includes starting the workers and loading the model in them, and is compared with a cold
single-process run that includes its model load and imports. Other processes on the
machine slow everything down: the load average is printed, and the CPU-time figures beside the
wall-clock ones are what to compare on a busy machine.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "eval" / "dev"  # ../shared beside the repository
CORPUS = ROOT / "tests" / "corpus"
OFFTOPIC = ROOT / "benchmarks" / "corpus" / "offtopic"
SAMPLE = ROOT / "kgbuild" / "data" / "sample" / "qatar-pm-gaza-truce-talks.txt"  # warm-up only


# ----------------------------------------------------------------------------- corpus

def sources() -> tuple[list[Path], list[Path]]:
    topical = sorted(DEV.glob("*.txt")) + sorted(CORPUS.glob("*.txt"))
    off = sorted(OFFTOPIC.glob("*.txt"))
    if not topical:
        sys.exit("no topical articles: ../shared/eval/dev and tests/corpus are empty")
    if not off:
        sys.exit(f"no off-topic articles in {OFFTOPIC}")
    return topical, off


def generate(folder: Path, n: int, topical: list[Path], off: list[Path], share: int = 5,
             only_topical: bool = False) -> dict:
    """n documents, every `share`-th topical, replicas renamed so that every id is distinct."""
    folder.mkdir(parents=True, exist_ok=True)
    t = o = 0
    for i in range(n):
        if only_topical or i % share == 0:
            src, t, kind = topical[t % len(topical)], t + 1, "t"
        else:
            src, o, kind = off[o % len(off)], o + 1, "o"
        shutil.copyfile(src, folder / f"{i:06d}-{kind}-{src.stem}.txt")
    return {"documents": n, "topical": t, "offtopic": o}


# ----------------------------------------------------------------------------- runners (subprocess)

def _rusage() -> dict:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"cpu_s": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
            "peak_rss_mb": me.ru_maxrss / 1024, "peak_rss_children_mb": kids.ru_maxrss / 1024}


def run_raw(folders: list[str]) -> dict:
    import spacy

    from kgbuild.nlp import pick_model

    nlp = spacy.load(pick_model())
    list(nlp.pipe([SAMPLE.read_text(encoding="utf-8")]))  # warm up, as the build runs do
    out = {"model": pick_model(), "pipes": nlp.pipe_names, "batch_size": nlp.batch_size, "parts": []}
    for folder in folders:
        texts = [p.read_text(encoding="utf-8") for p in sorted(Path(folder).glob("*.txt"))]
        c, w = time.process_time(), time.perf_counter()
        words = 0
        for doc in nlp.pipe(texts):
            words += sum(1 for t in doc if not t.is_space and not t.is_punct)
        out["parts"].append({"folder": folder, "documents": len(texts), "words": words,
                             "seconds": time.perf_counter() - w, "cpu_s": time.process_time() - c})
    return {**out, **_rusage()}


def run_build(folder: str, out: str, jobs: int, cold: bool) -> dict:
    w0 = time.perf_counter()
    from kgbuild.build import run

    if not cold and jobs == 1:
        # steady state: the model loaded and one small build done (imports, caches) before the clock
        # starts, as the raw run is warmed up; the cold run shows what the first build costs
        with tempfile.TemporaryDirectory() as tmp:
            run([SAMPLE], Path(tmp), html=True)
    c, w = time.process_time(), time.perf_counter()
    report, _ = run([Path(folder)], Path(out), jobs=jobs, html=True)
    seconds = time.perf_counter() - w
    return {"documents": report.documents, "parsed": report.parsed, "words": report.words,
            "parsed_words": report.parsed_words, "seconds": seconds, "cpu_s_main": time.process_time() - c,
            "seconds_with_startup": time.perf_counter() - w0, "stages": report.stages,
            "facts": sum(report.facts.values()), "entities": report.entities,
            "ttl_bytes": (Path(out) / "graph.ttl").stat().st_size, **_rusage()}


def subprocess_json(args: list[str]) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    before = os.getloadavg()[0]
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, env=env, cwd=ROOT)
    if proc.returncode:
        sys.exit(f"benchmark step failed: {' '.join(args)}\n{proc.stderr[-3000:]}")
    return {**json.loads(proc.stdout.strip().splitlines()[-1]), "load_average": [before, os.getloadavg()[0]]}


# ----------------------------------------------------------------------------- main

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=2000, help="documents in the mixed corpus (default 2000)")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--keep", type=Path, help="keep the generated corpora and outputs in this folder")
    ap.add_argument("--_run", nargs="+", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a._run:
        kind, *rest = a._run
        res = run_raw(rest) if kind == "raw" else run_build(rest[0], rest[1], int(rest[2]), rest[3] == "cold")
        print(json.dumps(res))
        return

    say = (lambda *x: print(*x, file=sys.stderr, flush=True)) if a.json else (lambda *x: print(*x, flush=True))
    topical, off = sources()
    work = a.keep or Path(tempfile.mkdtemp(prefix="kgbuild-bench-"))
    n = a.docs
    corpora = {"mixed": work / "mixed", "topical": work / "topical", "off": work / "off", "mixed4": work / "mixed4"}
    for f in corpora.values():
        shutil.rmtree(f, ignore_errors=True)
    info = generate(corpora["mixed"], n, topical, off)
    # the same documents split by kind, for the raw baseline and the topical-only build
    for p in sorted(corpora["mixed"].glob("*.txt")):
        dest = corpora["topical"] if "-t-" in p.name else corpora["off"]
        dest.mkdir(exist_ok=True)
        shutil.copyfile(p, dest / p.name)
    generate(corpora["mixed4"], 4 * n, topical, off)
    load0 = os.getloadavg()
    say(f"corpus: {info['documents']} documents ({info['topical']} topical, {info['offtopic']} off-topic) "
        f"from {len(topical)} topical and {len(off)} off-topic articles; load average {load0[0]:.1f}")

    say("raw nlp.pipe …")
    raw = subprocess_json(["--_run", "raw", str(corpora["topical"]), str(corpora["off"])])
    rt, ro = raw["parts"]
    raw_words, raw_s, raw_cpu = rt["words"] + ro["words"], rt["seconds"] + ro["seconds"], rt["cpu_s"] + ro["cpu_s"]

    def build(name: str, corpus: Path, jobs: int = 1, cold: bool = False) -> dict:
        say(f"build {name} …")
        out = work / f"out-{name}"
        return subprocess_json(["--_run", "build", str(corpus), str(out), str(jobs), "cold" if cold else "warm"])

    single = build("single", corpora["mixed"])
    single_cold = build("single-cold", corpora["mixed"], cold=True)
    jobs2 = build("jobs2", corpora["mixed"], jobs=2)
    top = build("topical", corpora["topical"])
    big = build("single-4n", corpora["mixed4"])
    load1 = os.getloadavg()

    # words as spaCy counts them in the raw run (the build estimates those of skipped documents)
    raw_wps = raw_words / raw_s
    raw_top_wps = rt["words"] / rt["seconds"]
    res = {
        "documents": n, "topical_documents": info["topical"], "words": raw_words,
        "raw_words_per_s": raw_wps,
        "raw_words_per_s_cpu": raw_words / raw_cpu,
        "build_words_per_s": raw_words / single["seconds"],
        "build_words_per_s_cpu": raw_words / single["cpu_s_main"],
        "jobs2_words_per_s": raw_words / jobs2["seconds"],
        "ratio": raw_words / single["seconds"] / raw_wps,
        "ratio_cpu": raw_cpu / single["cpu_s_main"],
        "ratio_jobs2": raw_words / jobs2["seconds"] / raw_wps,
        "speedup_jobs2": single_cold["seconds_with_startup"] / jobs2["seconds_with_startup"],
        "speedup_jobs2_warm_single": single["seconds"] / jobs2["seconds"],
        "topical_ratio": rt["words"] / top["seconds"] / raw_top_wps,
        "topical_ratio_cpu": rt["cpu_s"] / top["cpu_s_main"],
        "peak_rss_mb_n": single["peak_rss_mb"],
        "peak_rss_mb_4n": big["peak_rss_mb"],
        "peak_rss_mb_jobs2_workers": jobs2["peak_rss_children_mb"],
        "stages_cpu_s": single["stages"],
        "topical_stages_cpu_s": top["stages"],
        "parsed_documents": single["parsed"],
        "facts": single["facts"], "facts_4n": big["facts"], "ttl_bytes_n": single["ttl_bytes"],
        "ttl_bytes_4n": big["ttl_bytes"],
        "load_average": [round(load0[0], 2), round(load1[0], 2)],
        "runs": {"raw": raw, "single": single, "single_cold": single_cold, "jobs2": jobs2, "topical": top,
                 "single_4n": big},
    }
    if a.json:
        print(json.dumps(res))
    else:
        report(res)
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


def report(r: dict) -> None:
    runs = r["runs"]
    print()
    print(f"{r['documents']} documents ({r['topical_documents']} topical), {r['words']:,} words; "
          f"load average {r['load_average'][0]} → {r['load_average'][1]} on {os.cpu_count()} CPUs")
    print(f"{'configuration':34} {'words/s':>9} {'× raw':>7} {'CPU words/s':>12} {'× raw (CPU)':>12} {'peak RSS':>9}")
    rows = [
        ("raw nlp.pipe (plain model)", r["raw_words_per_s"], 1.0, r["raw_words_per_s_cpu"], 1.0,
         runs["raw"]["peak_rss_mb"]),
        ("kgbuild build, 1 process", r["build_words_per_s"], r["ratio"], r["build_words_per_s_cpu"], r["ratio_cpu"],
         runs["single"]["peak_rss_mb"]),
        ("kgbuild build, --jobs 2", r["jobs2_words_per_s"], r["ratio_jobs2"], None, None,
         runs["jobs2"]["peak_rss_mb"]),
        ("topical only: raw nlp.pipe", runs["raw"]["parts"][0]["words"] / runs["raw"]["parts"][0]["seconds"], 1.0,
         None, None, None),
        ("topical only: kgbuild, 1 process", runs["raw"]["parts"][0]["words"] / runs["topical"]["seconds"],
         r["topical_ratio"], None, r["topical_ratio_cpu"], runs["topical"]["peak_rss_mb"]),
    ]
    for name, wps, ratio, cwps, cratio, rss in rows:
        print(f"{name:34} {wps:9,.0f} {ratio:7.2f} {'' if cwps is None else f'{cwps:12,.0f}':>12} "
              f"{'' if cratio is None else f'{cratio:12.2f}':>12} {'' if rss is None else f'{rss:7.0f}MB':>9}")
    print(f"--jobs 2 vs 1 process (both from start, model loads included): {r['speedup_jobs2']:.2f}× "
          f"(vs a warm single process: {r['speedup_jobs2_warm_single']:.2f}×); "
          f"worker peak RSS {r['peak_rss_mb_jobs2_workers']:.0f} MB")
    print(f"documents parsed after triage: {r['parsed_documents']} of {r['documents']}")
    print()
    print("stage breakdown, CPU seconds (1 process, mixed corpus | topical only):")
    st, tt = r["stages_cpu_s"], r["topical_stages_cpu_s"]
    keys = ["ingest", "triage", "nlp", "extraction", "reduce", "rdf", "html"]
    total, ttotal = sum(st.get(k, 0) for k in keys), sum(tt.get(k, 0) for k in keys)
    for k in keys:
        print(f"  {k:11} {st.get(k, 0):8.2f} s {100 * st.get(k, 0) / total:5.1f} %   | {tt.get(k, 0):8.2f} s "
              f"{100 * tt.get(k, 0) / ttotal:5.1f} %")
    print()
    print(f"peak RSS, 1 process: {r['peak_rss_mb_n']:.0f} MB at {r['documents']} documents, "
          f"{r['peak_rss_mb_4n']:.0f} MB at {4 * r['documents']} "
          f"({r['peak_rss_mb_4n'] / r['peak_rss_mb_n']:.2f}×); graph.ttl {r['ttl_bytes_n'] / 1e6:.1f} MB → "
          f"{r['ttl_bytes_4n'] / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
