"""Spreading the map step: local worker processes (`--jobs N`) or a Dask cluster (`--scheduler`).

Both cut the document stream into batches, send each batch to a worker that has loaded the spaCy
pipeline once (a process initializer here, a worker plugin on Dask; `nlp.load` caches it per
process), and get back a `pipeline.BatchOutput` of plain `DocResult`s. Results are yielded in
input order and at most `2 × workers` batches are in flight, so memory stays bounded whatever the
corpus size and the reduce step, hence the output bytes, are the same as a single-process build.
"""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterable, Iterator

from .facts import DocResult
from .ingest import Document, IngestError
from .pipeline import DEFAULT_CHUNK_SIZE, BatchOutput, MapStats, batched, extract_batch

# One BLAS/OpenMP thread per worker: the workers are the parallelism.
_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _collect(out: BatchOutput, stats: MapStats | None, on_error: Callable[[IngestError], None] | None) -> list[DocResult]:
    if stats is not None:
        stats.merge(out.stats)
    if on_error is not None:
        for msg in out.errors:
            on_error(msg)
    return out.results


def _init_worker(model: str | None) -> None:
    for var in _THREAD_VARS:  # before numpy is first imported in this fresh process
        os.environ.setdefault(var, "1")
    from .nlp import load

    load(model)  # once per worker process, before the first batch arrives


def process_map(docs: Iterable[Document], model: str | None, jobs: int, batch_size: int = 32,
                triage: bool | None = None, stats: MapStats | None = None,
                on_error: Callable[[IngestError], None] | None = None) -> Iterator[DocResult]:
    """The map step in `jobs` local worker processes (spawned, so nothing the parent holds, such
    as threads or a loaded pipeline, leaks into them)."""
    ctx = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker, initargs=(model,))
    pending: deque = deque()
    try:
        for batch in batched(docs, batch_size):
            pending.append(pool.submit(extract_batch, batch, model, triage))
            while len(pending) >= 2 * jobs:
                yield from _collect(pending.popleft().result(), stats, on_error)
        while pending:
            yield from _collect(pending.popleft().result(), stats, on_error)
    except BrokenProcessPool as exc:
        raise RuntimeError(f"a worker process died (out of memory?): {exc}") from exc
    finally:
        for f in pending:
            f.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


# ----------------------------------------------------------------------------- Dask

def _plugin_class():
    from distributed.diagnostics.plugin import WorkerPlugin

    class KgbuildPipeline(WorkerPlugin):
        """Loads the spaCy pipeline once when a worker starts (or joins), not per task."""

        name = "kgbuild-pipeline"

        def __init__(self, model: str | None = None) -> None:
            self.model = model

        def setup(self, worker) -> None:
            from .nlp import load

            load(self.model)

    return KgbuildPipeline


def worker_plugin(model: str | None = None):
    return _plugin_class()(model)


def _register(client, plugin) -> None:
    if hasattr(client, "register_plugin"):
        client.register_plugin(plugin)
    else:  # distributed < 2023.9
        client.register_worker_plugin(plugin)


def dask_map(docs: Iterable[Document], model: str | None, scheduler: str, batch_size: int = DEFAULT_CHUNK_SIZE,
             triage: bool | None = None, stats: MapStats | None = None,
             on_error: Callable[[IngestError], None] | None = None, workers: int | None = None) -> Iterator[DocResult]:
    """The map step on a Dask cluster: `scheduler` is an address (tcp://HOST:8786) or "local"
    (a LocalCluster of `workers` processes on this machine, default: one per CPU). Workers need
    kgbuild and the spaCy model installed. Batches of `batch_size` documents are one task each
    (Dask adds ~1 ms per task), and the reduce runs here, on results in input order."""
    from dask.distributed import Client, LocalCluster

    cluster = None
    if scheduler == "local":
        n = workers or os.cpu_count() or 2
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None, env={v: "1" for v in _THREAD_VARS})
        client = Client(cluster)
    else:
        client = Client(scheduler)
    pending: deque = deque()
    try:
        _register(client, worker_plugin(model))
        info = client.scheduler_info()
        slots = sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()) or 1
        for batch in batched(docs, batch_size):
            pending.append(client.submit(extract_batch, batch, model, triage, pure=False))
            while len(pending) >= 2 * slots:
                yield from _collect(pending.popleft().result(), stats, on_error)
        while pending:
            yield from _collect(pending.popleft().result(), stats, on_error)
    finally:
        for f in pending:
            f.cancel()
        client.close()
        if cluster is not None:
            import logging

            nanny = logging.getLogger("distributed.nanny")
            level = nanny.level
            nanny.setLevel(logging.ERROR)  # "still alive after 4 s, killing": expected, ours to stop
            try:
                cluster.close()
            finally:
                nanny.setLevel(level)
