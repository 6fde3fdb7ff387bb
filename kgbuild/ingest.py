"""Read articles from files and folders into `Document`s, one at a time.

Everything here is a generator: a folder of a million articles is never held in memory. Bad input
does not raise; it yields an `IngestError` naming the file and the problem, and the caller reports
it and goes on with the rest.
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .facts import DocMeta
from .labels import clean_label

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
    return Document(
        DocMeta(id=sanitize_id(ident), title=clean_label(title or ""), date=date or meta.get("date"),
                url=url or meta.get("url"), source=src or meta.get("source"), path=source, chars=len(text)),
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


_SURROGATE = re.compile("[\ud800-\udfff]")


def _field(rec: dict, key: str) -> str | None:
    """A metadata field of a JSON record as text: strings and numbers only (a nested object where
    a title should be is ignored), with unpaired surrogates ("\\ud800", valid JSON but not text)
    replaced by U+FFFD."""
    v = rec.get(key)
    if isinstance(v, bool) or not isinstance(v, (str, int, float)):
        return None
    return _SURROGATE.sub("\ufffd", str(v)) or None


def _from_record(rec, source: str, fallback_id: str) -> Document | IngestError:
    if not isinstance(rec, dict):
        return IngestError(source, "JSON record is not an object")
    if not isinstance(rec.get("text"), str):
        return IngestError(source, "JSON record has no 'text' string")
    # the same length with U+FFFD for unpaired surrogates, so offsets into it are offsets into the record's text
    text = _field(rec, "text") or ""
    return _document(_field(rec, "id") or fallback_id, text, source, title=_field(rec, "title"),
                     date=_field(rec, "date"), url=_field(rec, "url"), src=_field(rec, "source"), structured=False)


def _loads(text: str):
    """json.loads, with every way it fails as ValueError: a record nested thousands of levels deep
    exhausts the parser's recursion (RecursionError), a 5,000-digit number exceeds int's limit."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError(f"nested too deeply (over {sys.getrecursionlimit()} levels of arrays/objects)") from None


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
            data = _loads(text)
        except ValueError as exc:
            where = f" at line {exc.lineno}" if isinstance(exc, json.JSONDecodeError) else ""
            yield IngestError(str(path), f"invalid JSON: {getattr(exc, 'msg', exc)}{where}")
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
                rec = _loads(line)
            except ValueError as exc:
                yield IngestError(f"{path}:{n}", f"invalid JSON: {getattr(exc, 'msg', exc)}")
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
            try:
                files = sorted(f for f in p.rglob("*")
                               if f.is_file() and f.suffix.lower() in SUFFIXES and not f.name.endswith(".gold.json"))
            except (OSError, RuntimeError) as exc:  # unreadable sub-folder; RuntimeError: a symlink loop on old Pythons
                yield IngestError(str(p), f"cannot list the folder: {one_line(exc)}")
                continue
            yield from files
        elif p.is_file():
            yield p
        else:
            yield IngestError(str(p), "no such file or folder")


def one_line(exc: BaseException) -> str:
    """An exception as a short single line: its type and the first line of its message."""
    msg = str(exc).strip().splitlines()
    first = msg[0].strip() if msg else ""
    return f"{type(exc).__name__}: {first[:200]}" if first else type(exc).__name__


def _guarded(items: Iterator[Document | IngestError], path: Path) -> Iterator[Document | IngestError]:
    """A file's documents; an exception while reading it (a parser bug, a library's surprise)
    ends that file only, as a one-line error, never the build."""
    try:
        yield from items
    except Exception as exc:  # noqa: BLE001 - one file must not stop the build
        yield IngestError(str(path), f"cannot read: {one_line(exc)}")


def iter_documents(paths: Iterable[Path], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Document | IngestError]:
    seen: dict[str, int] = {}
    for p in iter_paths(paths):
        if isinstance(p, IngestError):
            yield p
            continue
        for item in _guarded(read_file(p, max_bytes), p):
            if isinstance(item, Document):
                n = seen.get(item.meta.id, 0)
                seen[item.meta.id] = n + 1
                if n:  # two files with one stem: keep both, deterministically renamed
                    item = Document(DocMeta(**{**item.meta.__dict__, "id": f"{item.meta.id}-{n + 1}"}),
                                    item.text, item.body_start)
            yield item
