"""Spreading the map step: local worker processes (`--jobs N`) or a Dask cluster (`--scheduler`).

Both cut the document stream into batches, send each batch to a worker that has loaded the spaCy
pipeline once (a process initializer here, a worker plugin on Dask; `nlp.load` caches it per
process), and get back a `pipeline.BatchOutput` of plain `DocResult`s. Results are yielded in
input order and at most `2 × workers` batches are in flight, so memory stays bounded whatever the
corpus size and the reduce step, hence the output bytes, are the same as a single-process build.

No document can stop or stall the build (`_supervised`): a batch whose worker dies (killed, out of
memory, a crash in native code), raises, or runs past its time limit is retried one document at a
time, alone on the workers, so that the one document to blame is found, reported and skipped while
every other document of the batch is built.
"""
from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterable, Iterator

from .facts import DocResult
from .ingest import Document, IngestError, one_line
from .pipeline import (DEFAULT_CHUNK_SIZE, DEFAULT_DOC_TIMEOUT, SEGMENT_CHARS, BatchOutput, MapStats, batched,
                       extract_batch)

# One BLAS/OpenMP thread per worker: the workers are the parallelism.
_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
# Added to a batch's time limit: a fresh worker loads the spaCy pipeline before its first batch.
STARTUP_GRACE = 120.0


class WorkerLost(Exception):
    """The worker running a batch died; `every_batch` when all batches in flight went with it, so
    the one to blame is unknown."""

    def __init__(self, message: str, every_batch: bool) -> None:
        super().__init__(message)
        self.every_batch = every_batch


def batch_limit(batch: list[Document], doc_timeout: float | None, grace: float) -> float | None:
    """Seconds a batch may take: each document's limit (per started SEGMENT_CHARS of it) plus the grace."""
    if not doc_timeout:
        return None
    return grace + sum(doc_timeout * max(1, -(-len(d.text) // SEGMENT_CHARS)) for d in batch)


def _supervised(docs: Iterable[Document], submit: Callable, wait: Callable, reset: Callable, slots: int,
                batch_size: int, limit: Callable[[list[Document]], float | None],
                stats: MapStats | None, on_error: Callable[[IngestError], None] | None,
                exact_blame: bool = False) -> Iterator[DocResult]:
    """The scheduling loop both backends share. `submit(batch)` → a future; `wait(future, seconds)`
    → its BatchOutput, or raises (TimeoutError, WorkerLost, or what the batch raised);
    `reset(future, error)` frees the workers after a failure (kills a stuck one).

    A failed batch comes back as single documents; a single document that fails is the culprit.
    With `exact_blame` (Dask: a failure belongs to the task that failed) the batches in flight
    carry on and the singles go ahead of them. Otherwise (a local pool, where a dead worker breaks
    every batch in flight) the batches in flight are cancelled and queued again in input order,
    and a single runs "solo", alone on the workers, so that its failure is surely its own; when a
    dead worker took every batch in flight with it, all of them come back as solo singles."""
    source = batched(docs, max(1, batch_size))
    retry: deque[tuple[list[Document], bool]] = deque()   # (batch, solo), before any new input
    pending: deque[tuple[list[Document], bool, object]] = deque()
    more = True
    report = on_error or (lambda err: None)
    while True:
        while len(pending) < 2 * slots and not (pending and pending[-1][1]):
            if retry:
                if retry[0][1] and pending:
                    break
                batch, solo = retry.popleft()
            elif more:
                batch, solo = next(source, None), False
                if batch is None:
                    more = False
                    break
            else:
                break
            pending.append((batch, solo, submit(batch)))
        if not pending:
            return
        batch, solo, fut = pending[0]
        try:
            out = wait(fut, limit(batch))
        except Exception as exc:  # noqa: BLE001 - a timeout, a dead worker, or the batch raised
            reset(fut, exc)
            pending.popleft()
            if len(batch) == 1 and (solo or exact_blame):
                d = batch[0]
                if stats is not None:
                    stats.failed += 1
                report(IngestError(d.meta.path or d.meta.id, _problem(exc, limit(batch))))
                continue
            if exact_blame:
                pending.extendleft(reversed([([d], False, submit([d])) for d in batch]))
                continue
            lost = [(b, s) for b, s, _ in pending]
            for *_, f in pending:
                f.cancel()
            pending.clear()
            if isinstance(exc, WorkerLost) and exc.every_batch:  # the culprit may be any of them
                lost = [([d], True) for b, _ in lost for d in b]
            retry.extendleft(reversed([([d], True) for d in batch] + lost))
            continue
        pending.popleft()
        yield from _collect(out, stats, on_error)


def _problem(exc: BaseException, seconds: float | None) -> str:
    if isinstance(exc, (TimeoutError, FutureTimeout)):
        return f"timed out: no result after {seconds:.0f} s"
    if isinstance(exc, WorkerLost):
        return str(exc)
    return f"failed in a worker ({one_line(exc)})"


def _collect(out: BatchOutput, stats: MapStats | None, on_error: Callable[[IngestError], None] | None) -> list[DocResult]:
    if stats is not None:
        stats.merge(out.stats)
    if on_error is not None:
        for msg in out.errors:
            on_error(msg)
    return out.results


_INIT_ERROR: str | None = None  # why this worker process could not load the pipeline


def _init_worker(model: str | None) -> None:
    global _INIT_ERROR
    for var in _THREAD_VARS:  # before numpy is first imported in this fresh process
        os.environ.setdefault(var, "1")
    from .nlp import load

    try:
        load(model)  # once per worker process, before the first batch arrives
    except Exception as exc:  # noqa: BLE001 - told to the parent by _ready, not blamed on a document
        _INIT_ERROR = one_line(exc)


def _ready() -> str | None:
    return _INIT_ERROR


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's worker processes now (a stuck worker never returns to take a shutdown)."""
    for p in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            p.kill()
        except (OSError, ValueError, AttributeError):
            pass


def process_map(docs: Iterable[Document], model: str | None, jobs: int, batch_size: int = 32,
                triage: bool | None = None, stats: MapStats | None = None,
                on_error: Callable[[IngestError], None] | None = None,
                doc_timeout: float | None = DEFAULT_DOC_TIMEOUT, grace: float = STARTUP_GRACE,
                worker: Callable = extract_batch) -> Iterator[DocResult]:
    """The map step in `jobs` local worker processes (spawned, so nothing the parent holds, such
    as threads or a loaded pipeline, leaks into them). `worker` is the batch function they run."""
    ctx = multiprocessing.get_context("spawn")
    state = {}

    def new_pool() -> ProcessPoolExecutor:
        """A pool with (at least) one worker that has loaded the pipeline, so that time limits
        do not count loading it; one that cannot load it (a wrong --model) would fail every
        document, so that ends the build, once."""
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker, initargs=(model,))
        problem = pool.submit(_ready).result()
        if problem:
            pool.shutdown(wait=True)
            raise RuntimeError(f"the worker processes cannot load the spaCy pipeline: {problem}")
        return pool

    def submit(batch):
        return state["pool"].submit(worker, batch, model, triage, doc_timeout=doc_timeout)

    def wait(fut, seconds):
        try:
            return fut.result(timeout=seconds)
        except BrokenProcessPool:
            raise WorkerLost("a worker process died (killed, out of memory, or crashed)", every_batch=True) from None

    def reset(fut, exc) -> None:
        # Always a fresh pool: a stuck worker would hold its slot for ever, and a cancelled batch
        # still running could take a worker down later and be blamed on a document run alone.
        pool = state["pool"]
        _kill_workers(pool)
        pool.shutdown(wait=True, cancel_futures=True)
        state["pool"] = new_pool()

    state["pool"] = new_pool()
    finished = False
    try:
        yield from _supervised(docs, submit, wait, reset, jobs, batch_size,
                               lambda b: batch_limit(b, doc_timeout, grace), stats, on_error)
        finished = True
    finally:
        pool = state["pool"]
        pool.shutdown(wait=finished, cancel_futures=True)
        if not finished:  # interrupted (Ctrl-C, SIGTERM, an error): do not wait for the batches in flight
            _kill_workers(pool)


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
             on_error: Callable[[IngestError], None] | None = None, workers: int | None = None,
             doc_timeout: float | None = DEFAULT_DOC_TIMEOUT, grace: float = STARTUP_GRACE,
             worker: Callable = extract_batch) -> Iterator[DocResult]:
    """The map step on a Dask cluster: `scheduler` is an address (tcp://HOST:8786) or "local"
    (a LocalCluster of `workers` processes on this machine, default: one per CPU). Workers need
    kgbuild and the spaCy model installed. Batches of `batch_size` documents are one task each
    (Dask adds ~1 ms per task), and the reduce runs here, on results in input order.

    A task whose workers keep dying ends as KilledWorker after Dask's own retries (the scheduler's
    `allowed-failures`); a task past its time limit has its worker restarted (Dask workers run
    under a nanny that starts a new one); either way its batch is retried document by document."""
    from dask.distributed import Client, LocalCluster
    from distributed.scheduler import KilledWorker

    cluster = None
    if scheduler == "local":
        n = workers or os.cpu_count() or 2
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None, env={v: "1" for v in _THREAD_VARS})
        client = Client(cluster)
    else:
        client = Client(scheduler)

    def submit(batch):
        return client.submit(worker, batch, model, triage, doc_timeout=doc_timeout, pure=False)

    def wait(fut, seconds):
        """The result; the time limit counts from when a worker took the task, not from when it
        was queued (behind other batches, or for a worker that is restarting)."""
        started = None
        while True:
            try:
                return fut.result(timeout=1.0)
            except KilledWorker as exc:
                raise WorkerLost(f"killed the Dask workers that ran it ({one_line(exc)})", every_batch=False) from None
            except (TimeoutError, FutureTimeout):
                if seconds is None:
                    continue
                now = time.monotonic()
                if started is None:
                    if any(fut.key in keys for keys in client.processing().values()):
                        started = now
                elif now - started > seconds:
                    raise TimeoutError(seconds) from None

    def reset(fut, exc) -> None:
        if isinstance(exc, (TimeoutError, FutureTimeout)):
            stuck = [w for w, keys in client.processing().items() if fut.key in keys]
            fut.cancel()
            if stuck:
                try:
                    client.restart_workers(stuck)
                except Exception:  # noqa: BLE001 - a worker without a nanny cannot be restarted
                    pass

    try:
        _register(client, worker_plugin(model))
        info = client.scheduler_info()
        slots = sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()) or 1
        yield from _supervised(docs, submit, wait, reset, slots, batch_size,
                               lambda b: batch_limit(b, doc_timeout, grace), stats, on_error, exact_blame=True)
    finally:
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
