"""The map step: documents in, `DocResult`s out, one per document, in input order.

`extract_documents` reads its input in chunks of 64 documents and, per chunk:

1. triages each document from its words (`kgbuild.triage`, no NLP at all): a document that cannot
   hold the facts yields an empty `DocResult` with its metadata and costs nothing more;
2. tokenises the topical documents and runs the model over them (tagger, parser, attribute
   ruler, lemmatizer, the gazetteer ruler, NER; `nlp.pipe` in batches);
3. runs kgbuild's own components (mentions, then the extractor families) on each parsed Doc and
   keeps only the plain `DocResult`.

A Doc is dropped as soon as its result is made and texts live no longer than their chunk, so
memory does not grow with the text read. The same code runs in this process, in `--jobs N`
worker processes and on Dask workers (`extract_batch`, `kgbuild.parallel`), so every way of
running gives the same results.
"""
from __future__ import annotations

import logging
import threading
import time
import traceback
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from .facts import DocResult, Entity
from .ingest import Document, IngestError

log = logging.getLogger("kgbuild")

# kgbuild's components that read the finished parse; everything before them is "NLP".
EXTRACTION_PIPES = ("kgbuild_mentions", "kgbuild_facts")
DEFAULT_BATCH_SIZE = 32   # documents per nlp.pipe batch
DEFAULT_CHUNK_SIZE = 64   # documents read, triaged and parsed together


@dataclass
class MapStats:
    """Counts and CPU seconds (`time.process_time`) of the map step; plain and picklable, summed
    over workers."""

    documents: int = 0
    parsed: int = 0                  # documents triage let through (all of them without triage)
    words: int = 0
    parsed_words: int = 0
    failed: int = 0                  # documents whose extraction raised (they yield no facts)
    seconds: dict[str, float] = field(default_factory=lambda: {"triage": 0.0, "nlp": 0.0, "extraction": 0.0})

    def merge(self, other: "MapStats") -> None:
        self.documents += other.documents
        self.parsed += other.parsed
        self.words += other.words
        self.parsed_words += other.parsed_words
        self.failed += other.failed
        for k, v in other.seconds.items():
            self.seconds[k] = self.seconds.get(k, 0.0) + v


@dataclass
class BatchOutput:
    """What one batch sent to a worker returns: results in input order, stats, error messages."""

    results: list[DocResult]
    stats: MapStats
    errors: list[IngestError] = field(default_factory=list)


def _words(doc) -> int:
    return sum(1 for t in doc if not t.is_space and not t.is_punct)


def to_result(doc, document: Document) -> DocResult:
    """Keep only what the reduce step needs: the facts and the entities they mention."""
    ents = doc._.kg_entities
    facts = doc._.kg_facts or []
    used: set[str] = set()
    for f in facts:
        for vals in f.args.values():
            used.update(vals)
    entities = {eid: Entity(e.local_id, e.key, e.cls, e.label, set(e.alt_labels))
                for eid, e in ents.entities.items() if eid in used} if ents is not None else {}
    sents = sum(1 for _ in doc.sents)
    return DocResult(meta=document.meta, entities=entities, facts=facts, words=_words(doc), sentences=sents,
                     parsed_sentences=sents)


def skipped_result(document: Document) -> DocResult:
    """A document triage left out: its metadata and (estimated) word count, no entities, no facts."""
    from .triage import count_words

    return DocResult(meta=document.meta, words=count_words(document.text), sentences=0, parsed_sentences=0)


def make_doc(nlp, document: Document):
    """The unparsed Doc of a document: the parser reads its text with page furniture blanked
    (`Document.nlp_text`, same offsets), while evidence is cut from the text as read (kg_text)."""
    text = document.nlp_text()
    sd = nlp.make_doc(text)
    sd.user_data["kg_body_start"] = document.body_start
    sd.user_data["kg_doc_date"] = document.meta.date  # relative time words resolve against it
    if text is not document.text:
        sd.user_data["kg_text"] = document.text
    return sd


def batched(items: Iterable, size: int) -> Iterator[list]:
    """Consecutive lists of `size` items (the last may be shorter), read lazily."""
    chunk: list = []
    for it in items:
        chunk.append(it)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def extract_documents(documents: Iterable[Document], nlp, batch_size: int = DEFAULT_BATCH_SIZE,
                      triage: bool | None = None, stats: MapStats | None = None,
                      on_error: Callable[[IngestError], None] | None = None,
                      chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[DocResult]:
    """One `DocResult` per document, in input order. `triage` None reads KGBUILD_TRIAGE (default
    on). `stats`, if given, accumulates counts and per-stage seconds. A document whose extraction
    raises yields an empty result and an `IngestError` to `on_error` (default: a logged warning), so
    one bad article never stops a corpus build."""
    from . import triage as triage_mod

    tri = triage_mod.get() if triage_mod.enabled(triage) else None
    st = stats if stats is not None else MapStats()
    pipes = [(name, proc) for name, proc in nlp.pipeline if name in EXTRACTION_PIPES]
    disable = [name for name, _ in pipes]
    report = on_error or (lambda err: log.warning("%s", err))
    clock = time.process_time  # CPU seconds: stage times stay meaningful on a busy machine

    for chunk in batched(documents, max(1, chunk_size)):
        t0 = clock()
        keep = [tri.assess(d.text).topical for d in chunk] if tri is not None else [True] * len(chunk)
        st.seconds["triage"] += clock() - t0
        t0 = clock()
        sdocs = []
        for d, k in zip(chunk, keep):
            if k:
                sdocs.append(make_doc(nlp, d))
        parsed = nlp.pipe(sdocs, batch_size=batch_size, disable=disable) if sdocs else iter(())
        del sdocs  # nlp.pipe holds them only until each is yielded
        st.seconds["nlp"] += clock() - t0
        for d, k in zip(chunk, keep):
            st.documents += 1
            if not k:
                r = skipped_result(d)
                st.words += r.words
                yield r
                continue
            t1 = clock()
            doc = next(parsed)
            t2 = clock()
            try:
                for _, proc in pipes:
                    doc = proc(doc)
                r = to_result(doc, d)
            except Exception as exc:  # noqa: BLE001 - one article must not stop the build
                st.failed += 1
                log.debug("extraction failed for %s\n%s", d.meta.id, traceback.format_exc())
                report(IngestError(d.meta.path or d.meta.id, f"extraction failed ({type(exc).__name__}: {exc}); "
                                                            "the document yields no facts"))
                r = DocResult(meta=d.meta, words=_words(doc), sentences=0, parsed_sentences=0)
            del doc
            t3 = clock()
            st.seconds["nlp"] += t2 - t1
            st.seconds["extraction"] += t3 - t2
            st.parsed += 1
            st.words += r.words
            st.parsed_words += r.words
            yield r


# ----------------------------------------------------------------------------- worker entry points

_LOCK = threading.Lock()  # a spaCy pipeline is not safe to run from two threads at once


def extract_batch(items: list[Document], model: str | None = None, triage: bool | None = None,
                  batch_size: int = DEFAULT_BATCH_SIZE) -> BatchOutput:
    """A picklable batch entry point for worker processes and Dask tasks. The pipeline is loaded
    once per process (`nlp.load` is cached; `parallel` warms it when a worker starts)."""
    from .nlp import load

    stats = MapStats()
    errors: list[IngestError] = []
    with _LOCK:
        nlp = load(model)
        results = list(extract_documents(items, nlp, batch_size=batch_size, triage=triage, stats=stats,
                                         on_error=errors.append, chunk_size=max(1, len(items))))
    return BatchOutput(results, stats, errors)
