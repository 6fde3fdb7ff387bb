"""Read articles from files and folders into `Document`s, one at a time.

Everything here is a generator: a folder of a million articles is never held in memory. Bad input
does not raise; it yields an `IngestError` naming the file and the problem, and the caller reports
it and goes on with the rest.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import sys
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

from . import dates
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


class Furniture(NamedTuple):
    """A span of page furniture: text as read[start:end] is not part of the report."""

    start: int
    end: int
    kind: str  # navigation, logo, advertisement, share, promotion, byline, date, credit, dateline, meta, …


@dataclass(frozen=True)
class Document:
    meta: DocMeta
    text: str
    body_start: int = 0  # where the article body begins (after headline and metadata lines)
    furniture: tuple[Furniture, ...] = ()  # spans that are never entities or evidence, in text order
    dateline: tuple[int, int] | None = None  # the dateline opening the body ("KYIV, Aug 24 (AFP) -")

    def nlp_text(self) -> str:
        """What the parser reads: the text with its furniture blanked, same length and same line
        breaks, so that every offset into it is an offset into the text as read."""
        return mask(self.text, self.furniture)


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
    """Headline, metadata and body offset of a plain-text article (CONTRACT.md, "Input"). The
    headline is "" when the first line is the report's lead sentence rather than a headline."""
    lay = layout(text)
    return lay.headline, lay.meta, lay.body_start


# ----------------------------------------------------------------------------- page layout

class Layout(NamedTuple):
    headline: str
    meta: dict
    body_start: int
    furniture: tuple[Furniture, ...]
    dateline: tuple[int, int] | None
    place: str | None


class _Rules:
    """furniture.json compiled once per process."""

    def __init__(self) -> None:
        from .resources import load_json

        cfg = load_json("furniture.json")
        agencies = sorted(cfg["agencies"], key=lambda a: (-len(a), a))
        agency = "|".join(re.escape(a) for a in agencies)
        month = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
                 r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
        capitals = sorted({c for country in load_json("countries.json")["countries"] for c in country.get("capitals", [])
                           if c[:1].isupper()}, key=lambda c: (-len(c), c))
        capital = "|".join(re.escape(c) for c in capitals) or "(?!)"

        shapes = {k: v for k, v in cfg["shapes"].items() if not k.startswith("_")}

        def fill(pattern: str) -> str:
            for name, shape in shapes.items():
                pattern = pattern.replace(name, shape)
            return pattern.replace("AGENCY", agency).replace("MONTH", month).replace("CAPITAL", f"(?:{capital})")

        self.lines = [(e["kind"], re.compile(fill(e["pattern"]), 0 if e.get("case_sensitive") else re.IGNORECASE),
                       e.get("max_words", 12)) for e in cfg["lines"]]
        self.line_needs = [tuple(e.get("needs", ())) for e in cfg["lines"]]
        # (kind, pattern, needs an agency word, ends at the line's end: only its tail is searched)
        self.inline = [(e["kind"], re.compile(fill(e["pattern"])), e.get("agency_required", False),
                        e["pattern"].endswith("$")) for e in cfg["inline"]]
        self.inline_needs = [tuple(e.get("needs", ())) for e in cfg["inline"]]
        self.agency_line = re.compile(rf"^(?:by\s+)?(?:{agency})(?:\s*(?:,|/|and|&)\s*(?:{agency}))*\s*[,.]?$",
                                      re.IGNORECASE)
        self.agency_word = re.compile(rf"(?<![\w-])(?:{agency}|photo|getty|images?|pool|file|handout)(?![\w-])",
                                      re.IGNORECASE)
        self.datelines = [re.compile(fill(e["pattern"])) for e in cfg["dateline"]["patterns"]]
        self.place_line = re.compile(fill(cfg["dateline"]["place_line"]["pattern"]))
        self.date_kinds = frozenset(cfg["date_kinds"])
        self.examples = {"lines": [(e["example"], k) for e, (k, _, _) in zip(cfg["lines"], self.lines)],
                         "inline": [(e["example"], x[0]) for e, x in zip(cfg["inline"], self.inline)],
                         "dateline": [e["example"] for e in cfg["dateline"]["patterns"]]
                         + [cfg["dateline"]["place_line"]["example"]]}

    def line_kind(self, line: str) -> str | None:
        """The kind of furniture a whole (stripped) line is, or None."""
        words = len(line.split())
        if self.agency_line.match(line):
            return "byline"
        low = line.lower()
        for (kind, rx, max_words), needs in zip(self.lines, self.line_needs):
            if words <= max_words and (not needs or any(n in low for n in needs)) and rx.search(line):
                return kind
        return None

    def inline_spans(self, line: str) -> list[tuple[int, int, str]]:
        """Furniture inside a line (credits glued to the caption, sign-offs), as offsets into it."""
        out = []
        tail = max(0, len(line) - _CREDIT_REACH)
        low = line.lower()
        for (kind, rx, need_agency, at_end), needs in zip(self.inline, self.inline_needs):
            if needs and not any(n in low for n in needs):
                continue
            for m in rx.finditer(line, tail if at_end else 0):
                if m.end() > m.start() and (not need_agency or self.agency_word.search(m.group(0))):
                    out.append((m.start(), m.end(), kind))
        return out

    def dateline(self, line: str):
        for rx in self.datelines:
            m = rx.match(line)
            if m:
                return m
        return None


# A credit or sign-off at a line's end is shorter than this; searching only the tail keeps the
# scan of long paragraphs cheap ('^' and look-behinds still see the whole line).
_CREDIT_REACH = 300


@lru_cache(maxsize=1)
def rules() -> _Rules:
    return _Rules()


_NAME_LINE = re.compile(r"^(?:[A-Z][\w.'\u2019-]*|de|da|del|van|von|al|el|bin|ibn)(?:[ ,]+(?:[A-Z][\w.'\u2019-]*|de|da|"
                        r"del|van|von|al|el|bin|ibn|and|&)){1,7},?$")
_FUNCTION_WORDS = frozenset("a an the and or but of to in on at by for from with between as that than its their his her".split())
_SENTENCE_END = re.compile(r"[.!?…][\"'\u201d\u2019)\]]*$")


def _lines(text: str) -> list[tuple[int, int, str]]:
    """(start, end, stripped text) of every line; start/end bound the stripped text."""
    out, pos = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lead = len(body) - len(body.lstrip())
        stripped = body.strip()
        out.append((pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw)
    return out


def _is_headline(line: str, following: str | None) -> bool:
    """A headline: short, no final full stop, and set apart from what follows (a blank line, a
    separator, metadata or other page furniture) or shaped like a title. A lead sentence ends with a full stop."""
    words = line.split()
    if not words or len(words) > 22 or re.search(r"[.;,:]$", line) and not line.endswith("..."):
        return False
    if following is None or not following.strip() or _DASHES.match(following) or _META_LINE.match(following.strip()) \
            or rules().line_kind(following.strip()) in ("byline", "date", "reading-time"):  # "By …", "May 6, 2024"
        return True
    caps = sum(w[:1].isupper() or not w[:1].isalpha() for w in words)
    if len(words) <= 15 and caps >= 0.6 * len(words):
        return True
    # a sentence-case headline straight above its lead: the next line is a whole paragraph, and
    # this one does not break off mid-phrase as a hard-wrapped line would ("talks between the")
    nxt = following.strip()
    return (len(words) <= 15 and len(nxt.split()) >= 12 and bool(_SENTENCE_END.search(nxt))
            and nxt[:1].isupper() and words[-1].lower() not in _FUNCTION_WORDS)


def layout(text: str) -> Layout:
    """Where the headline, metadata, body, furniture and dateline of a plain-text page are.

    Line one is the headline only when it reads as one (`_is_headline`); a page that opens on its
    lead sentence has no headline and its body starts at that sentence. Navigation, logos and
    section labels above the headline are furniture, not the headline."""
    r = rules()
    lines = _lines(text)
    furniture: list[Furniture] = []
    kinds: dict[int, str] = {}

    def mark(i: int, kind: str) -> None:
        s, e, _ = lines[i]
        if e > s:
            furniture.append(Furniture(s, e, kind))
        kinds[i] = kind

    i = 0
    while i < len(lines) and (not lines[i][2] or r.line_kind(lines[i][2])):
        if lines[i][2]:
            mark(i, r.line_kind(lines[i][2]))
        i += 1
    headline, body_line = "", i
    if i < len(lines):
        nxt = next((l for _, _, l in lines[i + 1:i + 2]), None)
        cand = lines[i][2].lstrip("#").strip()
        if _is_headline(cand, nxt) and not r.dateline(cand):
            headline, body_line = cand, i + 1
    meta: dict[str, str] = {}
    # blank lines, one dash separator and the metadata lines between headline and body
    j = body_line
    while j < len(lines):
        line = lines[j][2]
        m = _META_LINE.match(line)
        if not line:
            pass
        elif _DASHES.match(line):
            mark(j, "meta")
        elif m and headline:
            meta.setdefault(m.group(1).lower(), m.group(2))
            mark(j, "meta")
        else:
            break
        j += 1
    body_line = j if headline else body_line
    body_start = lines[body_line][0] if body_line < len(lines) else len(text)
    if not headline:  # the lead opens the body; the lines above it were furniture
        body_start = lines[i][0] if i < len(lines) else len(text)

    # the top block: bylines, agency lines, dates, section labels and the dateline before the first paragraph
    dateline: tuple[int, int] | None = None
    place: str | None = None
    top = True
    for k in range(body_line if headline else i, len(lines)):
        s, e, line = lines[k]
        if not line or k in kinds:
            continue
        kind = r.line_kind(line)
        if kind:
            mark(k, kind)
            continue
        if not top:
            continue
        if len(line.split()) == 1 and not _SENTENCE_END.search(line) and k + 1 < len(lines):
            mark(k, "section")  # "Facts", "World": a label above the report
            continue
        near = [lines[x][2] for x in (k - 1, k + 1) if 0 <= x < len(lines)]
        if _NAME_LINE.match(line) and len(line.split()) <= 8 and any(
                n and (r.agency_line.match(n) or r.line_kind(n) in ("byline", "date")) for n in near):
            mark(k, "byline")  # "Jane Roe" above "Associated Press"
            continue
        pm = r.place_line.match(line) if dateline is None else None
        if pm and any(c.isalpha() for c in pm.group("place")) and len(pm.group("place")) > 2:
            dateline, place = (s, e), _place(pm)
            furniture.append(Furniture(s, e, "dateline"))
            kinds[k] = "dateline"
            continue
        dm = r.dateline(line) if dateline is None else None
        if dm:
            dateline = (s, s + dm.end())
            place = _place(dm)
            furniture.append(Furniture(s, s + dm.end(), "dateline"))
            top = False
            continue
        if len(line.split()) >= 12:
            top = False  # the first paragraph: no dateline after it
    # furniture inside lines: credits glued to captions, sign-offs in brackets
    for k, (s, e, line) in enumerate(lines):
        if not line or k in kinds:
            continue
        for a, b, kind in r.inline_spans(line):
            # keep the caption's own words: only the credit is furniture
            a += len(line[a:b]) - len(line[a:b].lstrip())
            if b > a:
                furniture.append(Furniture(s + a, s + b, kind))
    furniture.sort()
    return Layout(headline, meta, body_start, tuple(_merge(furniture)), dateline, place)


def _place(m) -> str | None:
    place = m.groupdict().get("place")
    if not place:
        return None
    words = [w.capitalize() if w.isupper() and len(w) > 2 else w for w in place.split()]
    out = " ".join(words)
    region = m.groupdict().get("region")
    return f"{out}, {region}" if region else out


def _merge(spans: list[Furniture]) -> list[Furniture]:
    out: list[Furniture] = []
    for f in spans:
        if out and f.start < out[-1].end:
            prev = out[-1]
            out[-1] = Furniture(prev.start, max(prev.end, f.end), prev.kind)
        else:
            out.append(f)
    return out


def mask(text: str, spans: Iterable[Furniture]) -> str:
    """`text` with every span blanked: spaces for characters, line breaks kept."""
    spans = list(spans)
    if not spans:
        return text
    parts, pos = [], 0
    for s, e, _ in spans:
        parts.append(text[pos:s])
        parts.append("".join(c if c in "\r\n" else " " for c in text[s:e]))
        pos = e
    parts.append(text[pos:])
    out = "".join(parts)
    assert len(out) == len(text)
    return out


def _document(ident: str, text: str, source: str, *, title: str | None = None, date=None, url=None,
              src=None, structured: bool = True) -> Document | IngestError:
    if not text or not text.strip():
        return IngestError(source, "empty document: no text to read")
    if not looks_english(text):
        return IngestError(source, "not English: kgbuild reads English articles only")
    lay = layout(text)
    meta: dict[str, str] = {}
    body_start = 0
    if structured:
        meta, body_start = lay.meta, lay.body_start
        title = title or lay.headline
    furniture = lay.furniture if structured else tuple(f for f in lay.furniture if f.kind != "meta")
    dateline_text = text[lay.dateline[0]:lay.dateline[1]].strip(" \t-\u2013\u2014:") if lay.dateline else None
    url = url or meta.get("url")
    date = str(date or meta.get("date") or "").strip() or None
    # an ISO day when the given date can be read, else the day the page itself shows
    date = dates.normalize_date(date) or date or _shown_date(text, lay, url)
    return Document(
        DocMeta(id=sanitize_id(ident), title=clean_label(title or ""), date=date,
                url=url, source=src or meta.get("source"), path=source, chars=len(text),
                dateline=dateline_text, place=lay.place),
        text, body_start, furniture, lay.dateline)


def _shown_date(text: str, lay: Layout, url: str | None) -> str | None:
    """The day a page shows, read from the furniture that layout found: the dateline's day ("DOHA,
    Sept 18 (Reuters) -"; its year from the URL or the page's date line), else the first date line
    ("Updated 6:42 PM GMT, November 14, 2025"). A dateline is the report's own day; a date line
    may be a later update."""
    kinds = rules().date_kinds
    shown = next((got for f in lay.furniture if f.kind in kinds
                  for got in [dates.line_date(text[f.start:f.end])] if got), None)
    if lay.dateline:
        line = text[lay.dateline[0]:lay.dateline[1]]
        own = dates.line_date(line)  # "GAZA, January 14, 2026 (Wire) -"
        if own:
            return own
        year = dates.year_in_url(url)
        if year:
            return dates.line_date(line, year) or shown
        if shown:  # the year that puts the dateline's day nearest the page's date ("Dec 31" on a page of 1 January)
            near = dt.date.fromisoformat(shown)
            got = [d for y in (near.year - 1, near.year, near.year + 1) for d in [dates.line_date(line, y)] if d]
            if got:
                return min(got, key=lambda d: (abs((dt.date.fromisoformat(d) - near).days), d))
    return shown


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
                    item = replace(item, meta=replace(item.meta, id=f"{item.meta.id}-{n + 1}"))
            yield item
