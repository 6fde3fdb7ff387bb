"""No single input ends a build: each way one document can go wrong (too long for the model,
nested too deep, dirty names, an exception, a hang, a dead worker, an interruption) costs that
document at most, with a one-line message, and the rest is built."""
from __future__ import annotations

import signal
import subprocess
import sys
import time
import tomllib
import unicodedata
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import DCTERMS, RDFS, SKOS

from kgbuild.build import run
from kgbuild.facts import DocMeta
from kgbuild.ingest import Document
from kgbuild.namespace import KGO
from kgbuild.nlp import load
from kgbuild.pipeline import extract_documents

from faults import faulty_batch

REPO = Path(__file__).resolve().parent.parent
SWAP = ("Ukraine and Russia exchanged {n} prisoners of war on Tuesday after talks mediated by the "
        "United Arab Emirates, the Ukrainian defence ministry said. ")
TRUCE = "Egypt and Qatar mediated talks between Israel and Hamas in Cairo on Sunday, officials said. "


def cli(*args, **kw):
    return subprocess.run([sys.executable, "-m", "kgbuild", *args], capture_output=True, text=True, cwd=REPO,
                          timeout=600, **kw)


def article(path: Path, body: str, title: str = "Prisoners swapped") -> Path:
    path.write_text(f"{title}\n\n-----\n\n{body}\n", encoding="utf-8")
    return path


def evidence_rows(ttl: Path):
    g = Graph().parse(ttl, format="turtle")
    for ev in g.subjects(KGO.charStart, None):
        yield (str(g.value(ev, KGO.document)), int(g.value(ev, KGO.charStart)), int(g.value(ev, KGO.charEnd)),
               str(g.value(ev, KGO.text)))


# ------------------------------------------------------------------ the four classes of the issue

@pytest.fixture
def small_model():
    """The real pipeline with a model limit of 4,000 characters, so that a long article is a few
    kB rather than 2 MB (the same code path: spaCy refuses any text over nlp.max_length)."""
    nlp = load(None)  # the very object a build's map step uses (the cache tells load() from load(None))
    before = nlp.max_length
    nlp.max_length = 4000
    yield nlp
    nlp.max_length = before


def test_an_article_longer_than_the_model_limit_is_built_with_exact_offsets(small_model, tmp_path):
    paragraphs = [SWAP.format(n=n) + TRUCE for n in range(10, 60)]
    text = "Long report\n\n" + "\n\n".join(paragraphs) + "\n"
    assert len(text) > 3 * small_model.max_length
    (tmp_path / "long.txt").write_text(text, encoding="utf-8")
    errors = []
    report, _ = run([tmp_path / "long.txt"], tmp_path / "out", html=False, on_error=errors.append)
    assert not errors and report.documents == 1
    rows = list(evidence_rows(tmp_path / "out" / "graph.ttl"))
    assert len({start for _, start, _, _ in rows}) >= 40  # facts from all through the text, not the first piece
    assert max(start for _, start, _, _ in rows) > len(text) - 400
    assert all(text[s:e] == t for _, s, e, t in rows)


def test_a_deeply_nested_json_record_is_a_one_line_error(tmp_path):
    (tmp_path / "deep.json").write_text('{"text": "' + TRUCE + '", "tags": ' + "[" * 100_000 + "]" * 100_000 + "}")
    article(tmp_path / "ok.txt", TRUCE)
    res = cli("build", str(tmp_path), "--out", str(tmp_path / "out"), "-q")
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr and "RecursionError" not in res.stderr
    assert [line for line in res.stderr.splitlines() if line.startswith("skipped")] == [
        f"skipped {tmp_path / 'deep.json'}: invalid JSON: nested too deeply (over {sys.getrecursionlimit()} "
        "levels of arrays/objects)"]
    assert (tmp_path / "out" / "graph.ttl").is_file()


def test_what_the_html_reader_imports_is_a_direct_dependency():
    """jusText (under trafilatura) imports lxml.html.clean, which lxml 5.2+ ships as the separate
    lxml_html_clean; it asks for it as lxml[html_clean], which pip < 24 leaves out against lxml 6."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    deps = {d.split(">")[0].split("=")[0].split("<")[0].split("[")[0].strip().lower().replace("-", "_")
            for d in project["project"]["dependencies"]}
    assert {"lxml_html_clean", "trafilatura"} <= deps
    assert project["project"]["license"] == "MIT"  # an SPDX expression, not the deprecated table
    assert any(r.startswith("setuptools>=77") for r in project["build-system"]["requires"])
    import lxml_html_clean  # noqa: F401 - installed with the package


def test_control_and_format_characters_stay_out_of_names_and_titles(tmp_path):
    body = ("Qatar\u2019s prime minister Mohammed bin\u200d Abdul\u202erahman met Israeli officials in Doha on "
            "Monday, where Ha\u200bmas\u0007 agreed to free 5 hostages. Prime Minister Benjamin\u2060 Netanyahu "
            "said the talks would go on.")
    path = article(tmp_path / "dirty.txt", body, title="Truce\u200d talks\u0007 re\u202asume\t in  Doha")
    run([path], tmp_path / "out", html=False)
    g = Graph().parse(tmp_path / "out" / "graph.ttl", format="turtle")
    names = [str(o) for p in (RDFS.label, SKOS.altLabel, DCTERMS.title) for o in g.objects(None, p)]
    assert "Truce talks resume in Doha" in names
    assert {"Mohammed bin", "Benjamin Netanyahu"} <= set(names)
    dirty = [n for n in names if any(unicodedata.category(c) in ("Cc", "Cf") for c in n) or "  " in n
             or n != unicodedata.normalize("NFC", n) or n != n.strip()]
    assert not dirty
    text = path.read_text(encoding="utf-8")
    rows = list(evidence_rows(tmp_path / "out" / "graph.ttl"))
    assert rows and all(text[s:e] == t for _, s, e, t in rows)
    assert any("\u200d" in t for *_, t in rows)  # the evidence is the text as read


# ------------------------------------------------------------------ splitting

def test_long_texts_are_cut_at_paragraphs_then_sentences_then_spaces():
    from kgbuild.pipeline import split_text

    text = "Aa bb cc dd.\n\nEe ff. Gg hh ii jj kk ll.\n\nMm."
    pieces = split_text(text, 20)
    assert [text[a:b] for a, b in pieces] == ["Aa bb cc dd.\n\n", "Ee ff. Gg hh ii jj ", "kk ll.\n\nMm."]
    assert split_text("x" * 25, 10) == [(0, 10), (10, 20), (20, 25)]  # no space at all: cut anyway
    assert split_text("one two three four", 10) == [(0, 8), (8, 18)]


# ------------------------------------------------------------------ exit codes

def test_strict_makes_any_skipped_input_fail_the_command(tmp_path):
    article(tmp_path / "ok.txt", TRUCE)
    (tmp_path / "bad.json").write_text("{")
    plain = cli("build", str(tmp_path), "--out", str(tmp_path / "a"), "-q", "--no-html")
    strict = cli("build", str(tmp_path), "--out", str(tmp_path / "b"), "-q", "--no-html", "--strict")
    assert plain.returncode == 0 and strict.returncode == 1
    assert "1 input(s) skipped" in strict.stderr
    assert (tmp_path / "b" / "graph.ttl").read_bytes() == (tmp_path / "a" / "graph.ttl").read_bytes()


def test_a_document_the_reduce_step_cannot_take_is_skipped_whole(tmp_path, monkeypatch):
    from kgbuild.reduce import GraphBuilder

    real_add = GraphBuilder.add

    def add(self, result):  # a fault half-way through merging one document
        real_add(self, result)
        if result.meta.id == "b":
            raise RuntimeError("planted fault")

    article(tmp_path / "a.txt", TRUCE)
    article(tmp_path / "b.txt", SWAP.format(n=40))
    monkeypatch.setattr(GraphBuilder, "add", add)
    errors = []
    report, b = run([tmp_path / "a.txt", tmp_path / "b.txt"], tmp_path / "out", html=False, on_error=errors.append)
    assert report.documents == 1 and set(b.documents) == {"a"}
    assert [str(e) for e in errors] == [f"{tmp_path / 'b.txt'}: merging failed (RuntimeError: planted fault)"]
    assert all(ev[0] == "a" for cf in b.facts.values() for ev in cf.evidence)


# ------------------------------------------------------------------ faults inside workers

def _docs(markers):
    return [Document(DocMeta(id=f"d{i}", path=f"d{i}.txt"), f"{TRUCE}{SWAP.format(n=10 + i)}{m}")
            for i, m in enumerate(markers)]


def _summary(r):
    return r.meta.id, sorted((f.cls, f.rule, tuple((ev.start, ev.end) for ev in f.evidence)) for f in r.facts), sorted(
        (e.key, e.label) for e in r.entities.values())


def test_a_document_that_raises_hangs_or_kills_its_worker_costs_only_itself():
    from kgbuild.parallel import process_map

    docs = _docs(["", "FAULTRAISE", "", "FAULTHANG", "", "FAULTDIE", "", ""])
    errors = []
    t0 = time.monotonic()
    results = list(process_map(docs, model=None, jobs=2, batch_size=2, triage=False, on_error=errors.append,
                               doc_timeout=3, worker=faulty_batch))
    assert [r.meta.id for r in results] == ["d0", "d2", "d4", "d6", "d7"]
    # the rest of the build is intact: what a single process reads from the same documents
    alone = list(extract_documents([d for d in docs if d.meta.id in {"d0", "d2", "d4", "d6", "d7"}], load(None),
                                   triage=False))
    assert [_summary(r) for r in results] == [_summary(r) for r in alone]
    assert all(r.facts for r in results)
    got = {e.source: e.problem for e in errors}
    assert got["d1.txt"] == "extraction failed (RuntimeError: planted fault)"
    assert got["d3.txt"] == "extraction failed (DocumentTimeout: took longer than 3 s)"
    assert got["d5.txt"].startswith("a worker process died") and len(got) == 3
    assert time.monotonic() - t0 < 240


@pytest.mark.slow
def test_a_document_deaf_to_signals_is_ended_by_the_supervisor():
    from kgbuild.parallel import process_map

    errors = []
    results = list(process_map(_docs(["", "FAULTSTUCK", ""]), model=None, jobs=1, batch_size=1, triage=False,
                               on_error=errors.append, doc_timeout=2, grace=5, worker=faulty_batch))
    assert [r.meta.id for r in results] == ["d0", "d2"]
    assert [(e.source, e.problem) for e in errors] == [("d1.txt", "timed out: no result after 7 s")]


@pytest.mark.slow
def test_on_a_dask_cluster_a_dead_worker_or_a_hang_costs_only_its_document():
    distributed = pytest.importorskip("distributed")
    import dask

    from kgbuild.parallel import dask_map

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                     dashboard_address=None) as cluster:
        errors = []
        results = list(dask_map(_docs(["", "FAULTDIE", "", "FAULTSTUCK", "FAULTRAISE", ""]), model=None,
                                scheduler=cluster.scheduler_address, batch_size=2, triage=False,
                                on_error=errors.append, doc_timeout=2, grace=5, worker=faulty_batch))
    assert [r.meta.id for r in results] == ["d0", "d2", "d5"], errors
    got = {e.source: e.problem for e in errors}
    assert got["d1.txt"].startswith("killed the Dask workers that ran it")
    assert got["d3.txt"] == "timed out: no result after 7 s"
    assert got["d4.txt"] == "extraction failed (RuntimeError: planted fault)"


# ------------------------------------------------------------------ interrupted builds

def _quads(store_dir: Path) -> set[str]:
    import pyoxigraph as ox

    st = ox.Store.read_only(str(store_dir))
    quads = {str(q) for q in st}
    del st
    return quads


@pytest.mark.slow
def test_an_interrupted_build_keeps_earlier_outputs_and_a_rerun_repairs_the_store(tmp_path):
    """A real `kgbuild build --store` killed part-way through (SIGKILL, SIGTERM, Ctrl-C) at points
    spread over its run: the output folder holds the previous graph.ttl or the new one, whole; the
    store still opens; and running the build again gives the store an uninterrupted build gives."""
    import shutil

    corpus = sorted((REPO / "tests" / "corpus").glob("*.txt"))
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir(), second.mkdir()
    for f in corpus[:2]:
        shutil.copy(f, first)
    for f in corpus[:14]:
        shutil.copy(f, second)
    out, store = tmp_path / "out", tmp_path / "kg.store"
    assert cli("build", str(first), "--out", str(out), "--store", str(store), "-q").returncode == 0
    old = (out / "graph.ttl").read_bytes()

    ref_out, ref_store = tmp_path / "ref-out", tmp_path / "ref.store"
    shutil.copytree(store, ref_store)
    t0 = time.monotonic()
    assert cli("build", str(second), "--out", str(ref_out), "--store", str(ref_store), "-q").returncode == 0
    took = time.monotonic() - t0
    new = (ref_out / "graph.ttl").read_bytes()
    assert new != old

    for sig, at in ((signal.SIGKILL, 0.6), (signal.SIGTERM, 0.85), (signal.SIGINT, 0.95), (signal.SIGKILL, 0.97)):
        proc = subprocess.Popen([sys.executable, "-m", "kgbuild", "build", str(second), "--out", str(out),
                                 "--store", str(store), "-q"], cwd=REPO, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(took * at)
        proc.send_signal(sig)
        proc.wait(timeout=120)
        assert (out / "graph.ttl").read_bytes() in (old, new), sig
        assert _quads(store)  # opens, and is not empty
    assert cli("build", str(second), "--out", str(out), "--store", str(store), "-q").returncode == 0
    assert (out / "graph.ttl").read_bytes() == new
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]
    assert _quads(store) == _quads(ref_store)
