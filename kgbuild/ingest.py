"""Read articles from files and folders into `Document`s, one at a time.

Everything here is a generator: a folder of a million articles is never held in memory. Bad input
does not raise; it yields an `IngestError` naming the file and the problem, and the caller reports
it and goes on with the rest.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from . import dates
from .facts import DocMeta

SUFFIXES = (".txt", ".md", ".html", ".htm", ".json", ".jsonl")
DEFAULT_MAX_BYTES = 5 * 1024 * 1024  # a news article is ~10 kB; 5 MB is surely not one
_META_LINE = re.compile(r"^(Date|Source|URL):[ \t]*(.*?)[ \t]*$", re.IGNORECASE)
_DASHES = re.compile(r"^\s*-{3,}\s*$")
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_ENGLISH_STOP = frozenset(
    "the of and to in a is that for on was with as by at from it said has have be are were this an".split()
)


@dataclass(frozen=True)
class Document:
    meta: DocMeta
    text: str
    body_start: int = 0  # where the article body begins (after headline and metadata lines)


@dataclass(frozen=True)
class IngestError:
    source: str
    problem: str

    def __str__(self) -> str:
        return f"{self.source}: {self.problem}"


def sanitize_id(raw: str) -> str:
    """A document id safe in IRIs and file names: letters, digits, '.', '_' and '-' only."""
    ident = _ID_UNSAFE.sub("-", raw.strip()).strip("-.")
    return ident[:120] or "document"


def looks_english(text: str) -> bool:
    words = re.findall(r"[A-Za-z]+", text[:20000].lower())
    if len(words) < 8:
        return bool(words) and any(w in _ENGLISH_STOP for w in words)
    return sum(w in _ENGLISH_STOP for w in words) / len(words) >= 0.08


def parse_article(text: str) -> tuple[str, dict[str, str], int]:
    """Headline, metadata and body offset of a plain-text article (CONTRACT.md, "Input")."""
    lines = text.splitlines(keepends=True)
    pos, i = 0, 0
    headline = ""
    while i < len(lines) and not lines[i].strip():
        pos += len(lines[i]); i += 1
    if i < len(lines):
        headline = lines[i].strip().lstrip("#").strip()
        pos += len(lines[i]); i += 1
    meta: dict[str, str] = {}
    # Skip blank lines, one optional dash separator and the metadata lines at the top of the body.
    while i < len(lines):
        line = lines[i]
        m = _META_LINE.match(line.strip())
        if not line.strip() or _DASHES.match(line):
            pass
        elif m:
            meta.setdefault(m.group(1).lower(), m.group(2))
        else:
            break
        pos += len(line); i += 1
    return headline, meta, pos


def _document(ident: str, text: str, source: str, *, title: str | None = None, date=None, url=None,
              src=None, structured: bool = True) -> Document | IngestError:
    if not text or not text.strip():
        return IngestError(source, "empty document: no text to read")
    if not looks_english(text):
        return IngestError(source, "not English: kgbuild reads English articles only")
    body_start = 0
    meta: dict[str, str] = {}
    if structured:
        headline, meta, body_start = parse_article(text)
        title = title or headline
    url = url or meta.get("url")
    date = str(date or meta.get("date") or "").strip() or None
    # an ISO day when the given date can be read, else the report's dateline ("DOHA, Sept 18 (Reuters) -")
    date = dates.normalize_date(date) or date or dates.dateline_date(text[body_start:], dates.year_in_url(url))
    return Document(
        DocMeta(id=sanitize_id(ident), title=(title or "").strip(), date=date,
                url=url, source=src or meta.get("source"), path=source, chars=len(text)),
        text, body_start)


def _read_text(path: Path, max_bytes: int) -> str | IngestError:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return IngestError(str(path), f"too large: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.1f} MB limit")
        raw = path.read_bytes()
    except OSError as exc:
        return IngestError(str(path), f"cannot read: {exc.strerror or exc}")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return IngestError(str(path), f"not UTF-8 text: undecodable byte 0x{raw[exc.start]:02x} at offset {exc.start}")


def _from_record(rec, source: str, fallback_id: str) -> Document | IngestError:
    if not isinstance(rec, dict):
        return IngestError(source, "JSON record is not an object")
    text = rec.get("text")
    if not isinstance(text, str):
        return IngestError(source, "JSON record has no 'text' string")
    ident = str(rec.get("id") or fallback_id)
    return _document(ident, text, source, title=rec.get("title") or None, date=rec.get("date"),
                     url=rec.get("url"), src=rec.get("source"), structured=False)


def read_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Document | IngestError]:
    suffix = path.suffix.lower()
    text = _read_text(path, max_bytes)
    if isinstance(text, IngestError):
        yield text
        return
    if suffix in (".txt", ".md"):
        yield _document(path.stem, text, str(path))
    elif suffix in (".html", ".htm"):
        yield _from_html(path, text)
    elif suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            yield IngestError(str(path), f"invalid JSON: {exc.msg} at line {exc.lineno}")
            return
        records = data if isinstance(data, list) else [data]
        for n, rec in enumerate(records):
            yield _from_record(rec, f"{path}[{n}]" if isinstance(data, list) else str(path),
                               path.stem if len(records) == 1 else f"{path.stem}-{n + 1}")
    elif suffix == ".jsonl":
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                yield IngestError(f"{path}:{n}", f"invalid JSON: {exc.msg}")
                continue
            yield _from_record(rec, f"{path}:{n}", f"{path.stem}-{n}")
    else:
        yield IngestError(str(path), f"unsupported file type '{suffix}' (expected one of {', '.join(SUFFIXES)})")


def _from_html(path: Path, html: str) -> Document | IngestError:
    import trafilatura  # imported here: only HTML input pays for it

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not text:
        return IngestError(str(path), "no article text found in the HTML")
    meta = trafilatura.extract_metadata(html)
    title = getattr(meta, "title", None) if meta else None
    date = getattr(meta, "date", None) if meta else None
    url = getattr(meta, "url", None) if meta else None
    return _document(path.stem, text, str(path), title=title or text.splitlines()[0][:200], date=date,
                     url=url, src=getattr(meta, "sitename", None) if meta else None, structured=False)


def iter_paths(paths: Iterable[Path]) -> Iterator[Path | IngestError]:
    """Files to read, in a stable order: folders recursively, sorted."""
    for p in paths:
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in SUFFIXES and not f.name.endswith(".gold.json"):
                    yield f
        elif p.is_file():
            yield p
        else:
            yield IngestError(str(p), "no such file or folder")


def iter_documents(paths: Iterable[Path], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Document | IngestError]:
    seen: dict[str, int] = {}
    for p in iter_paths(paths):
        if isinstance(p, IngestError):
            yield p
            continue
        for item in read_file(p, max_bytes):
            if isinstance(item, Document):
                n = seen.get(item.meta.id, 0)
                seen[item.meta.id] = n + 1
                if n:  # two files with one stem: keep both, deterministically renamed
                    item = Document(DocMeta(**{**item.meta.__dict__, "id": f"{item.meta.id}-{n + 1}"}),
                                    item.text, item.body_start)
            yield item
