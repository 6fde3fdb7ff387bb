"""Spreading the map step changes nothing in the output: a build with --jobs 2 and a build whose
map step runs on a real Dask cluster (two worker processes on 127.0.0.1) write the same graph.ttl
bytes as a single-process build."""
from __future__ import annotations

from pathlib import Path

import pytest

from kgbuild.build import run
from kgbuild.facts import DocMeta
from kgbuild.ingest import Document
from kgbuild.parallel import process_map

DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "dev"  # ../shared beside the repository
SAMPLE = Path(__file__).resolve().parent.parent / "kgbuild" / "data" / "sample"


def _articles() -> list[Path]:
    files = sorted(DEV.glob("*.txt"))[:3] or sorted(SAMPLE.glob("*.txt"))
    if not files:
        pytest.skip("no articles to build")
    return files


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> list[Path]:
    files = _articles()
    # an off-topic article too, so that triage's skipped results travel through the workers
    extra = tmp_path_factory.mktemp("extra") / "zz-bakery-award.txt"
    extra.write_text("Bakery wins bread award\n\nA family bakery won the regional sourdough prize on "
                     "Saturday, the organisers said.\n", encoding="utf-8")
    return [*files, extra]


@pytest.fixture(scope="module")
def single(articles, tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("single")
    report, _ = run(articles, out, html=False)
    assert report.documents == len(articles) and report.parsed == len(articles) - 1
    return (out / "graph.ttl").read_bytes()


def test_jobs_2_is_byte_identical(articles, single, tmp_path):
    report, _ = run(articles, tmp_path, html=False, jobs=2)
    assert report.documents == len(articles) and report.stages["nlp"] > 0
    assert (tmp_path / "graph.ttl").read_bytes() == single


def test_dask_cluster_is_byte_identical(articles, single, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        report, _ = run(articles, tmp_path, html=False, scheduler=cluster.scheduler_address)
        with distributed.Client(cluster) as client:  # the worker plugin loaded the pipeline on both
            loaded = client.run(lambda: __import__("kgbuild.nlp", fromlist=["load"]).load.cache_info().currsize)
    assert report.documents == len(articles)
    assert len(loaded) == 2 and all(n >= 1 for n in loaded.values())
    assert (tmp_path / "graph.ttl").read_bytes() == single


def test_process_map_keeps_order_and_bounds_work():
    texts = ["Qatar mediated talks between Israel and Hamas in Doha.", "The bakery sold bread on Monday."]
    docs = [Document(DocMeta(id=f"d{i}"), texts[i % 2]) for i in range(12)]
    seen = []

    def feed():
        for i, d in enumerate(docs):
            seen.append(i)
            yield d

    results = process_map(feed(), model=None, jobs=2, batch_size=1, triage=True)
    first = next(results)
    # bounded: with 2 jobs at most 2×2 batches of one document are read before the first result
    assert len(seen) <= 5
    rest = list(results)
    assert [r.meta.id for r in [first, *rest]] == [d.meta.id for d in docs]
    assert all(r.facts for r in rest[1::2]) and not any(r.facts for r in rest[::2])
