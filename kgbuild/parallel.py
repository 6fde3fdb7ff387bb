"""Spreading the map step: local worker processes or a Dask cluster.

Both send batches of `Document`s to workers that load the spaCy pipeline once (per process, via
`nlp.load`'s cache) and return `DocResult`s; results come back in input order so the reduce step,
and therefore the output bytes, are the same as a single-process build.
"""
from __future__ import annotations

from collections import deque
from concurrent.futures import ProcessPoolExecutor
from typing import Iterable, Iterator

from .facts import DocResult
from .ingest import Document
from .pipeline import extract_texts


def _batches(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    from .build import batched

    return batched(docs, size)


def process_map(docs: Iterable[Document], model: str | None, jobs: int, batch_size: int = 16) -> Iterator[DocResult]:
    """At most 2×jobs batches in flight: memory stays bounded whatever the corpus size."""
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: deque = deque()
        for batch in _batches(docs, batch_size):
            pending.append(pool.submit(extract_texts, batch, model))
            while len(pending) >= 2 * jobs:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def dask_map(docs: Iterable[Document], model: str | None, scheduler: str, batch_size: int = 16) -> Iterator[DocResult]:
    from dask.distributed import Client, LocalCluster

    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        pending: deque = deque()
        for batch in _batches(docs, batch_size):
            pending.append(client.submit(extract_texts, batch, model, pure=False))
            while len(pending) >= 2 * n_workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
