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
from .ingest import DEFAULT_MAX_BYTES, Document, IngestError, iter_documents, one_line
from .pipeline import DEFAULT_DOC_TIMEOUT
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
    parsed: int = 0        # documents triage let through to the parser
    parsed_words: int = 0
    # CPU seconds per stage: ingest, triage, nlp, extraction (summed over all workers), reduce,
    # rdf, html; and "map_wall", the wall seconds of the map step as this process saw them
    stages: dict[str, float] = field(default_factory=dict)


def map_documents(docs: Iterable[Document], model: str | None = None, jobs: int = 1,
                  scheduler: str | None = None, batch_size: int | None = None, triage: bool | None = None,
                  stats=None, on_error: Callable[[IngestError], None] | None = None,
                  doc_timeout: float | None = DEFAULT_DOC_TIMEOUT) -> Iterator[DocResult]:
    """Extraction results in input order, however the work is spread. `triage` None reads
    KGBUILD_TRIAGE (default on); `stats` (a `pipeline.MapStats`) collects counts and stage times.
    A document that fails, takes longer than `doc_timeout` seconds (per 100,000 characters) or
    takes its worker down is reported to `on_error` and has no result."""
    from .triage import enabled

    triage = enabled(triage)  # decided here, so that remote workers do not read their own environment
    if scheduler:
        from .parallel import dask_map

        yield from dask_map(docs, model=model, scheduler=scheduler, triage=triage, stats=stats, on_error=on_error,
                            doc_timeout=doc_timeout, workers=jobs if jobs > 1 else None, **({"batch_size": batch_size} if batch_size else {}))
    elif jobs > 1:
        from .parallel import process_map

        yield from process_map(docs, model=model, jobs=jobs, triage=triage, stats=stats, on_error=on_error,
                               doc_timeout=doc_timeout, **({"batch_size": batch_size} if batch_size else {}))
    else:
        from .nlp import load
        from .pipeline import extract_documents

        yield from extract_documents(docs, load(model), triage=triage, stats=stats, on_error=on_error,
                                     doc_timeout=doc_timeout)


def run(paths: list[Path], out_dir: Path, *, model: str | None = None, formats=("turtle",), html: bool = True,
        jobs: int = 1, scheduler: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
        on_error: Callable[[IngestError], None] = lambda e: None,
        progress: Callable[[DocResult], None] = lambda r: None,
        builder: GraphBuilder | None = None, triage: bool | None = None,
        doc_timeout: float | None = DEFAULT_DOC_TIMEOUT) -> tuple[BuildReport, GraphBuilder]:
    from .pipeline import MapStats

    cpu, wall = time.process_time, time.perf_counter
    t0 = wall()
    report = BuildReport()
    b = builder or GraphBuilder()
    stats = MapStats()
    clock = {"ingest": 0.0, "reduce": 0.0, "ingest_wall": 0.0, "reduce_wall": 0.0}

    def failed(err: IngestError) -> None:
        report.errors.append(str(err))
        on_error(err)

    def documents():
        items = iter_documents(paths, max_bytes=max_bytes)
        while True:
            c, w = cpu(), wall()
            item = next(items, None)
            clock["ingest"] += cpu() - c
            clock["ingest_wall"] += wall() - w
            if item is None:
                return
            if isinstance(item, IngestError):
                failed(item)
            else:
                yield item

    for result in map_documents(documents(), model=model, jobs=jobs, scheduler=scheduler, triage=triage,
                                stats=stats, on_error=failed, doc_timeout=doc_timeout):
        c, w = cpu(), wall()
        try:
            b.add(result)
        except Exception as exc:  # noqa: BLE001 - one document must not stop the build
            b.discard(result.meta.id)
            failed(IngestError(result.meta.path or result.meta.id, f"merging failed ({one_line(exc)})"))
            continue
        finally:
            clock["reduce"] += cpu() - c
        clock["reduce_wall"] += wall() - w
        report.documents += 1
        report.words += result.words
        progress(result)
    c = cpu()
    b.finish()
    report.entities = len(b.referenced_entities())
    report.facts = b.counts()
    clock["reduce"] += cpu() - c
    map_wall = wall() - t0 - clock["ingest_wall"] - clock["reduce_wall"]
    report.parsed, report.parsed_words = stats.parsed, stats.parsed_words
    report.stages = {"ingest": clock["ingest"], **stats.seconds, "reduce": clock["reduce"], "map_wall": map_wall}
    if report.documents:
        from . import rdf

        c = cpu()
        report.outputs.update(rdf.write(b, out_dir, formats))
        report.stages["rdf"] = cpu() - c
        if html:
            from . import html as html_out

            c = cpu()
            report.outputs["html"] = html_out.write(b, out_dir / "graph.html")
            report.stages["html"] = cpu() - c
    report.seconds = wall() - t0
    return report, b
