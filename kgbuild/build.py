"""A whole build: ingest → map (extract per document) → reduce (canonicalise) → outputs.

The map step runs in this process, in `jobs` local worker processes, or on a Dask cluster; all
three call `pipeline.extract_documents` on batches of documents, and the reduce step always runs
here, over results in input order, so every way of running gives the same bytes.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .facts import DocResult
from .ingest import DEFAULT_MAX_BYTES, Document, IngestError, iter_documents
from .reduce import GraphBuilder


@dataclass
class BuildReport:
    documents: int = 0
    errors: list[str] = field(default_factory=list)
    entities: int = 0
    facts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    words: int = 0
    outputs: dict[str, Path] = field(default_factory=dict)


def batched(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for it in items:
        batch.append(it)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def map_documents(docs: Iterable[Document], model: str | None = None, jobs: int = 1,
                  scheduler: str | None = None, batch_size: int = 16) -> Iterator[DocResult]:
    """Extraction results in input order, however the work is spread."""
    if scheduler:
        from .parallel import dask_map

        yield from dask_map(docs, model=model, scheduler=scheduler, batch_size=batch_size)
    elif jobs > 1:
        from .parallel import process_map

        yield from process_map(docs, model=model, jobs=jobs, batch_size=batch_size)
    else:
        from .nlp import load
        from .pipeline import extract_documents

        yield from extract_documents(docs, load(model), batch_size=batch_size)


def run(paths: list[Path], out_dir: Path, *, model: str | None = None, formats=("turtle",), html: bool = True,
        jobs: int = 1, scheduler: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
        on_error: Callable[[IngestError], None] = lambda e: None,
        progress: Callable[[DocResult], None] = lambda r: None,
        builder: GraphBuilder | None = None) -> tuple[BuildReport, GraphBuilder]:
    t0 = time.perf_counter()
    report = BuildReport()
    b = builder or GraphBuilder()

    def documents():
        for item in iter_documents(paths, max_bytes=max_bytes):
            if isinstance(item, IngestError):
                report.errors.append(str(item))
                on_error(item)
            else:
                yield item

    for result in map_documents(documents(), model=model, jobs=jobs, scheduler=scheduler):
        b.add(result)
        report.documents += 1
        report.words += result.words
        progress(result)
    b.finish()
    report.entities = len(b.referenced_entities())
    report.facts = b.counts()
    if report.documents:
        from . import rdf

        report.outputs.update(rdf.write(b, out_dir, formats))
        if html:
            from . import html as html_out

            report.outputs["html"] = html_out.write(b, out_dir / "graph.html")
    report.seconds = time.perf_counter() - t0
    return report, b
