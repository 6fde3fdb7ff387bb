"""The map step: documents in, `DocResult`s out, one per document, in input order.

`extract_documents` runs the spaCy pipeline in batches (`nlp.pipe`) and keeps nothing of a
document once its result is yielded: no Doc, no text. It is the same code whether it runs in this
process, in `--jobs N` worker processes or on Dask workers (see `kgbuild.parallel`).
"""
from __future__ import annotations

from typing import Iterable, Iterator

from .facts import DocResult, Entity
from .ingest import Document, IngestError


def to_result(doc, document: Document) -> DocResult:
    """Keep only what the reduce step needs: the facts and the entities they mention."""
    ents = doc._.kg_entities
    facts = doc._.kg_facts or []
    used: set[str] = set()
    for f in facts:
        for vals in f.args.values():
            used.update(vals)
    entities = {eid: Entity(e.local_id, e.key, e.cls, e.label, set(e.alt_labels))
                for eid, e in ents.entities.items() if eid in used}
    sents = sum(1 for _ in doc.sents)
    return DocResult(meta=document.meta, entities=entities, facts=facts,
                     words=sum(1 for t in doc if not t.is_space and not t.is_punct), sentences=sents,
                     parsed_sentences=sents)


def extract_documents(documents: Iterable[Document], nlp, batch_size: int = 16) -> Iterator[DocResult]:
    def docs():
        for d in documents:
            sdoc = nlp.make_doc(d.text)
            sdoc.user_data["kg_body_start"] = d.body_start
            yield sdoc, d

    for sdoc, d in nlp.pipe(docs(), batch_size=batch_size, as_tuples=True):
        yield to_result(sdoc, d)


def extract_texts(items: list[Document], model: str | None = None) -> list[DocResult]:
    """A picklable batch entry point for worker processes: load the pipeline once per process."""
    from .nlp import load

    return list(extract_documents(items, load(model)))


def split_errors(items: Iterable[Document | IngestError], on_error) -> Iterator[Document]:
    for it in items:
        if isinstance(it, IngestError):
            on_error(it)
        else:
            yield it
