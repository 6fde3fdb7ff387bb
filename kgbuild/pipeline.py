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
import re
import signal
import threading
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from .facts import DocResult, Entity, Evidence
from .ingest import Document, IngestError, one_line

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
    failed: int = 0                  # documents whose triage, parse or extraction raised (skipped)
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


def make_doc(nlp, document: Document, start: int = 0, end: int | None = None, nlp_text: str | None = None):
    """The unparsed Doc of a document, or of its piece text[start:end]: the parser reads the text
    with page furniture blanked (`Document.nlp_text`, same offsets), while evidence is cut from the
    text as read (kg_text)."""
    whole = nlp_text if nlp_text is not None else document.nlp_text()
    text = whole[start:end]
    sd = nlp.make_doc(text)
    sd.user_data["kg_body_start"] = max(0, document.body_start - start)
    sd.user_data["kg_doc_date"] = document.meta.date  # relative time words resolve against it
    if whole is not document.text:
        orig = document.text[start:end]
        if orig != text:
            sd.user_data["kg_text"] = orig
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


# Long documents are parsed in pieces of at most this many characters (or nlp.max_length, if
# smaller): spaCy refuses texts over nlp.max_length and its parser needs about 1 GB of memory per
# 100,000 characters parsed at once. A news article is ~10,000 characters and is never cut.
SEGMENT_CHARS = 100_000
DEFAULT_DOC_TIMEOUT = 120.0  # seconds a document (or a piece of a long one) may take
# Where a long text may be cut, best first: a paragraph break, a line break, the end of a
# sentence, any whitespace. A piece ends after the separator, so the pieces concatenate to the text.
_CUTS = (re.compile(r"\n[ \t\r\f\v]*\n\s*"), re.compile(r"\n\s*"),
         re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+"), re.compile(r"\s+"))


def split_text(text: str, limit: int) -> list[tuple[int, int]]:
    """(start, end) pieces of `text`, each at most `limit` characters, that together are the text:
    cut at the last paragraph break of the second half of each window, else a line break, else a
    sentence end, else whitespace anywhere, else (a 2 MB run without spaces) at the limit."""
    limit = max(1, limit)
    pieces, start, n = [], 0, len(text)
    while n - start > limit:
        end = start + limit
        cut = None
        for i, pat in enumerate(_CUTS):
            lo = start + (1 if i == len(_CUTS) - 1 else limit // 2)
            last = None
            for last in pat.finditer(text, lo, end):
                pass
            if last is not None and last.end() > start:
                cut = last.end()
                break
        pieces.append((start, cut or end))
        start = cut or end
    pieces.append((start, n))
    return pieces


class DocumentTimeout(Exception):
    pass


@contextmanager
def time_limit(seconds: float | None):
    """Raise DocumentTimeout in this thread after `seconds` of wall time, interrupting Python
    code (the extraction rules). Only the main thread of a process can take signals: elsewhere
    (Dask's worker threads) this does nothing and the caller's supervisor enforces the limit."""
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum, frame):
        raise DocumentTimeout(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _parse(nlp, pieces: list[tuple[Document, int, int, str]], batch_size: int, disable: list[str]) -> Iterator:
    """A parsed Doc, or the exception that parsing it raised, for each (document, start, end,
    text the parser reads), in order. spaCy parses in batches and an error ends its whole `pipe`;
    the rest of the batch is then parsed one by one, so only the text that raised fails."""
    done = 0
    try:
        for doc in nlp.pipe((make_doc(nlp, *p) for p in pieces), batch_size=batch_size, disable=disable):
            done += 1
            yield doc
        return
    except Exception:  # noqa: BLE001 - found again below, text by text
        log.debug("batch parse failed; parsing one by one\n%s", traceback.format_exc())
    for p in pieces[done:]:
        try:
            doc = nlp(make_doc(nlp, *p), disable=disable)
        except Exception as exc:  # noqa: BLE001
            doc = exc
        yield doc


def _shifted(r: DocResult, offset: int, tag: str) -> DocResult:
    """A piece's result in the coordinates of the whole text: evidence offsets moved by the
    piece's start (its text is already the same slice), local ids made unique across pieces."""
    ent = {eid: f"{tag}{eid}" for eid in r.entities}
    fid = {f.fid: f"{tag}{f.fid}" for f in r.facts}
    for k, e in r.entities.items():
        e.local_id = ent[k]
    r.entities = {ent[k]: e for k, e in r.entities.items()}
    for f in r.facts:
        f.fid = fid[f.fid]
        f.args = {p: [ent.get(x, x) for x in v] for p, v in f.args.items()}
        f.links = {p: [fid.get(x, x) for x in v] for p, v in f.links.items()}
        f.evidence = [Evidence(ev.start + offset, ev.end + offset, ev.text) for ev in f.evidence]
    return r


def extract_documents(documents: Iterable[Document], nlp, batch_size: int = DEFAULT_BATCH_SIZE,
                      triage: bool | None = None, stats: MapStats | None = None,
                      on_error: Callable[[IngestError], None] | None = None,
                      chunk_size: int = DEFAULT_CHUNK_SIZE, max_chars: int | None = None,
                      doc_timeout: float | None = DEFAULT_DOC_TIMEOUT) -> Iterator[DocResult]:
    """One `DocResult` per document that could be read, in input order. `triage` None reads KGBUILD_TRIAGE (default
    on). `stats`, if given, accumulates counts and per-stage seconds.

    A document longer than `max_chars` (default: SEGMENT_CHARS or nlp.max_length, the smaller) is
    parsed in pieces cut at paragraph breaks; its evidence offsets are into the whole text. A
    document whose triage, parse or extraction raises, or whose extraction takes longer than
    `doc_timeout` seconds per piece, yields no result: an `IngestError` (file, problem) goes to
    `on_error` (default: a logged warning) and the rest of the build goes on."""
    from . import triage as triage_mod

    tri = triage_mod.get() if triage_mod.enabled(triage) else None
    st = stats if stats is not None else MapStats()
    pipes = [(name, proc) for name, proc in nlp.pipeline if name in EXTRACTION_PIPES]
    disable = [name for name, _ in pipes]
    report = on_error or (lambda err: log.warning("%s", err))
    clock = time.process_time  # CPU seconds: stage times stay meaningful on a busy machine
    limit = max(1, min(max_chars or SEGMENT_CHARS, nlp.max_length))

    def fail(d: Document, stage: str, exc: BaseException) -> None:
        st.failed += 1
        log.debug("%s failed for %s\n%s", stage, d.meta.id, "".join(traceback.format_exception(exc)))
        report(IngestError(d.meta.path or d.meta.id, f"{stage} failed ({one_line(exc)})"))

    for chunk in batched(documents, max(1, chunk_size)):
        t0 = clock()
        keep: list[bool | None] = []
        for d in chunk:
            try:
                keep.append(tri.assess(d.text).topical if tri is not None else True)
            except Exception as exc:  # noqa: BLE001 - one article must not stop the build
                fail(d, "triage", exc)
                keep.append(None)
        st.seconds["triage"] += clock() - t0
        cuts = [split_text(d.text, limit) if k else [] for d, k in zip(chunk, keep)]
        # each document's blanked text once, however many pieces a long one is parsed in
        masked = [d.nlp_text() if c else None for d, c in zip(chunk, cuts)]
        parsed = _parse(nlp, [(d, a, b, m) for d, c, m in zip(chunk, cuts, masked) for a, b in c],
                        batch_size, disable)
        for d, k, c in zip(chunk, keep, cuts):
            if k is None:
                continue
            st.documents += 1
            if not k:
                r = skipped_result(d)
                st.words += r.words
                yield r
                continue
            parts: list[DocResult] = []
            problem: tuple[str, BaseException] | None = None
            words = 0
            for n, (a, _) in enumerate(c):
                t1 = clock()
                doc = next(parsed)
                t2 = clock()
                st.seconds["nlp"] += t2 - t1
                if problem is not None:
                    continue
                if isinstance(doc, BaseException):
                    problem = ("parsing", doc)
                    continue
                try:
                    with time_limit(doc_timeout):
                        for _, proc in pipes:
                            doc = proc(doc)
                        part = to_result(doc, d)
                    parts.append(_shifted(part, a, f"p{n}.") if len(c) > 1 else part)
                    words += part.words
                except Exception as exc:  # noqa: BLE001 - one article must not stop the build
                    problem = ("extraction", exc)
                del doc
                st.seconds["extraction"] += clock() - t2
            if problem is not None:
                fail(d, *problem)
                continue
            r = parts[0] if len(parts) == 1 else DocResult(
                meta=d.meta, entities={k: v for p in parts for k, v in p.entities.items()},
                facts=[f for p in parts for f in p.facts], words=words,
                sentences=sum(p.sentences for p in parts), parsed_sentences=sum(p.parsed_sentences for p in parts))
            st.parsed += 1
            st.words += r.words
            st.parsed_words += r.words
            yield r


# ----------------------------------------------------------------------------- worker entry points

_LOCK = threading.Lock()  # a spaCy pipeline is not safe to run from two threads at once


def extract_batch(items: list[Document], model: str | None = None, triage: bool | None = None,
                  batch_size: int = DEFAULT_BATCH_SIZE, doc_timeout: float | None = DEFAULT_DOC_TIMEOUT) -> BatchOutput:
    """A picklable batch entry point for worker processes and Dask tasks. The pipeline is loaded
    once per process (`nlp.load` is cached; `parallel` warms it when a worker starts)."""
    from .nlp import load

    stats = MapStats()
    errors: list[IngestError] = []
    with _LOCK:
        nlp = load(model)
        results = list(extract_documents(items, nlp, batch_size=batch_size, triage=triage, stats=stats,
                                         on_error=errors.append, chunk_size=max(1, len(items)),
                                         doc_timeout=doc_timeout))
    return BatchOutput(results, stats, errors)
