"""Time expressions in news sentences, resolved against the document's date.

Pure functions over strings and `datetime.date`s: nothing here knows about spaCy or RDF.

- `find_times(text)` finds the expressions of a sentence ("October 7", "7 October 2023", "Oct. 7",
  "on Friday", "last Monday", "yesterday", "this week", "last month", "in January", "earlier this
  year", "in 2022", "two weeks ago", "a day after", "the third day of the truce", "a 42-day
  ceasefire") with their character offsets; the words they are read with live in `data/dates.json`.
- `resolve(expr, anchor, tense)` turns one into an ISO value at the precision the words give:
  "YYYY-MM-DD", "YYYY-MM" or "YYYY", or None.
- `normalize_date` reads a document's own date (a `Date:` line, JSON or HTML metadata) with
  python-dateutil; `line_date` reads the day a line of page furniture shows (a date line, a
  dateline such as "DOHA, Sept 18 (Reuters) -"), once ingest's furniture rules have found it.

News convention, which general-purpose parsers get wrong: a bare weekday or a date without a year
in a past-tense sentence is the most recent such day on or before the document's date ("On Friday"
in an article dated Saturday 25 November 2023 is 2023-11-24), in a future-tense sentence the next
one on or after it, and otherwise the nearest one.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from .resources import load_json

PAST, FUTURE = "past", "future"


@dataclass(frozen=True)
class TimeExpr:
    """One time expression: `start`/`end` are offsets into the text it was found in.

    `kind` is one of: date (day and month, maybe a year), month, year, weekday, relday ("today",
    "yesterday"), period ("this week", "last month"), ago ("two weeks ago"), offset ("a day
    after", "two days later": relative to another time), dayof ("the third day of the truce"),
    span ("a 42-day ceasefire": a duration, no point in time)."""

    start: int
    end: int
    text: str
    kind: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    shift: int | None = None       # -1 last, 0 this, +1 next; for relday the day offset
    unit: str | None = None        # day, week, weekend, month, year
    amount: int | None = None      # "two weeks ago": 2; "the third day": 3
    direction: str | None = None   # offset: "after"/"later" or "before"/"earlier"
    noun: str | None = None        # dayof/span: the period it counts in ("truce")
    length: int | None = None      # dayof: the period's stated length in days ("of the 42-day truce")
    bound: str | None = None       # "since", "until", "by", "before", "after", "range": not the time of the event itself

    @property
    def is_point(self) -> bool:
        """Whether the expression names when something happened (a duration or a bound does not)."""
        return self.kind not in ("span",) and self.bound is None


# ----------------------------------------------------------------------------- lexicon and patterns

@lru_cache(maxsize=1)
def lexicon() -> dict:
    return load_json("dates.json")


@lru_cache(maxsize=1)
def _not_points() -> list[re.Pattern]:
    return [re.compile(re.escape(p)) for p in lexicon()["not_points"]]


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern]]:
    lx = lexicon()
    month, weekday = _alt(lx["months"]), _alt(lx["weekdays"])
    num = rf"\d+|{_alt(lx['number_words'])}"
    ordinal = rf"\d+(?:st|nd|rd|th)|{_alt(lx['ordinals'])}"
    span_nouns = _alt(lx["span_nouns"])
    parts = _alt(lx["day_parts"])
    i = re.IGNORECASE
    return [
        ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b")),
        ("dmy", re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{month})\b\.?"
                           rf"(?:,?\s+(?P<y>(?:1[89]|20)\d\d)\b)?", i)),
        ("mdy", re.compile(rf"\b(?P<month>{month})\b\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?![.,]?\d)"
                           rf"(?:,?\s+(?P<y>(?:1[89]|20)\d\d)\b)?", i)),
        ("my", re.compile(rf"\b(?:(?P<mod>early|late|mid)[\s-]+)?(?P<month>{month})\b\.?,?\s+(?P<y>(?:1[89]|20)\d\d)\b", i)),
        ("m", re.compile(rf"\b(?:(?P<prep>[A-Za-z]+)\s+)?(?:(?P<mod>early|late|mid)[\s-]+)?(?P<month>{month})\b\.?", i)),
        ("year", re.compile(rf"\b(?P<prep>[A-Za-z]+)[\s-]+(?:(?:early|late|mid)[\s-]+)?(?P<y>(?:19|20)\d\d)\b(?!\s*[-%])", i)),
        ("year", re.compile(rf"(?:\b(?P<poss>{_alt(lx['possessives'])})|'s)\s+(?P<y>(?:19|20)\d\d)(?=\s+[a-z])")),
        ("weekday", re.compile(rf"\b(?:(?P<shift>last|next|this|coming)\s+)?(?P<wd>{weekday})\b"
                               rf"(?:\s+(?P<part>{parts}))?", i)),
        ("relday", re.compile(rf"\b(?:{_alt(lx['relative_days'])})\b", i)),
        ("period", re.compile(rf"\b(?:(?P<pre>earlier|later|late|early)\s+(?:in\s+)?)?(?:the\s+)?"
                              rf"(?P<shift>this|last|next|coming)\s+(?P<unit>week|weekend|month|year)\b", i)),
        ("period", re.compile(r"\b(?:(?P<pre>earlier|later)\s+in|over|at|during)\s+the\s+(?P<unit>week|weekend|month|year)\b", i)),
        ("ago", re.compile(rf"\b(?P<n>{num})\s+(?P<unit>day|week|month|year)s?\s+ago\b", i)),
        # "the day before", "the week after": one unit
        ("offset", re.compile(rf"\b(?P<n>{num}|the)\s+(?P<unit>day|week|month|year)s?\s+(?P<dir>later|earlier|after|before)\b", i)),
        ("dayof", re.compile(rf"\b(?:the\s+)?(?P<ord>{ordinal})\s+day\s+of\s+(?:the\s+|a\s+|its\s+)?"
                             rf"(?:(?P<len>{num})[\s-]+day[\s-]+)?(?:[A-Za-z-]+\s+)?(?P<noun>{span_nouns})\b", i)),
        ("dayof", re.compile(rf"\bday\s+(?P<ord>{num})\s+of\s+(?:the\s+|a\s+|its\s+)?"
                             rf"(?:(?P<len>{num})[\s-]+day[\s-]+)?(?:[A-Za-z-]+\s+)?(?P<noun>{span_nouns})\b", i)),
        ("span", re.compile(rf"\b(?P<n>{num})[\s-]+(?P<unit>day|week|month|hour)s?(?:[\s-]+long)?(?=[\s-]+(?:[A-Za-z-]+\s+)?(?:{span_nouns})\b)", i)),
    ]


def _number(word: str) -> int | None:
    w = word.lower()
    if w.isdigit():
        return int(w)
    m = re.match(r"(\d+)(?:st|nd|rd|th)$", w)
    if m:
        return int(m.group(1))
    return lexicon()["number_words"].get(w, lexicon()["ordinals"].get(w))


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _make(kind: str, m: re.Match, text: str) -> TimeExpr | None:
    lx = lexicon()
    months, weekdays = lx["months"], lx["weekdays"]
    g = m.groupdict()
    start, end = m.start(), m.end()
    if kind == "iso":
        y, mo, d = int(g["y"]), int(g["m"]), int(g["d"])
        if not _valid(y, mo, d):
            return None
        return TimeExpr(start, end, m.group(0), "date", year=y, month=mo, day=d)
    if kind in ("dmy", "mdy"):
        if not _capitalised(g["month"]):
            return None  # "a May 5 deadline" is capitalised; "they may 5 …" is not a month
        mo, d = months[g["month"].lower()], int(g["d"])
        y = int(g["y"]) if g.get("y") else None
        if not 1 <= d <= 31 or (y and not _valid(y, mo, d)):
            return None
        return TimeExpr(start, end, m.group(0), "date", year=y, month=mo, day=d)
    if kind == "my":
        if not _capitalised(g["month"]):
            return None
        return TimeExpr(start, end, m.group(0), "month", year=int(g["y"]), month=months[g["month"].lower()])
    if kind == "m":
        word, mod = g["month"], g.get("mod")
        prep = (g.get("prep") or "").lower()
        if not _capitalised(word):
            return None
        known_prep = prep in lx["point_prepositions"] or prep in lx["period_shifts"]
        if prep and not known_prep:
            start = m.start("mod") if mod else m.start("month")  # "Russia January": only the month
        if not (known_prep or mod) and (word.lower() in lx["ambiguous_months"] or len(word) < 4):
            return None  # "May", "March" or a bare "Oct" are months only where a preposition says so
        shift = lx["period_shifts"][prep] if prep in ("last", "next", "this", "coming") else None
        return TimeExpr(start, end, text[start:end], "month", month=months[word.lower()], shift=shift)
    if kind == "year":
        if "poss" in g:  # "its 2007 proposal", "Hamas's 2017 charter": the year of the thing
            start = m.start("y")
            return TimeExpr(start, end, text[start:end], "year", year=int(g["y"]))
        prep = g["prep"].lower()
        if prep not in lx["point_prepositions"] and prep not in lx["year_prepositions"]:
            return None  # a bare four-digit number is as likely a count as a year
        return TimeExpr(start, end, m.group(0), "year", year=int(g["y"]))
    if kind == "weekday":
        if not _capitalised(g["wd"]):
            return None
        shift = lx["period_shifts"].get((g.get("shift") or "").lower()) if g.get("shift") else None
        return TimeExpr(start, end, m.group(0), "weekday", weekday=weekdays[g["wd"].lower()], shift=shift)
    if kind == "relday":
        key = re.sub(r"\s+", " ", m.group(0).lower())
        return TimeExpr(start, end, m.group(0), "relday", shift=lx["relative_days"][key])
    if kind == "period":
        shift = lx["period_shifts"].get((g.get("shift") or "this").lower(), 0)
        return TimeExpr(start, end, m.group(0), "period", unit=g["unit"].lower(), shift=shift)
    if kind in ("ago", "offset"):
        n = 1 if kind == "offset" and g["n"].lower() == "the" else _number(g["n"])
        if n is None:
            return None
        direction = None
        if kind == "offset":
            direction = "after" if g["dir"].lower() in ("after", "later") else "before"
        return TimeExpr(start, end, m.group(0), kind, unit=g["unit"].lower(), amount=n, direction=direction)
    if kind == "dayof":
        n = _number(g["ord"])
        if n is None:
            return None
        length = _number(g["len"]) if g.get("len") else None
        return TimeExpr(start, end, m.group(0), "dayof", amount=n, noun=g["noun"].lower(), length=length)
    if kind == "span":
        n = _number(g["n"])
        return TimeExpr(start, end, m.group(0), "span", unit=g["unit"].lower(), amount=n) if n else None
    return None


def _valid(y: int, m: int, d: int) -> bool:
    try:
        dt.date(y, m, d)
        return True
    except ValueError:
        return False


def _rank(e: TimeExpr) -> int:
    if e.kind == "date":
        return 0
    return 1 if e.year is not None or e.kind in ("dayof", "ago", "offset", "span") else 2


@lru_cache(maxsize=1)
def _needs() -> dict[str, tuple[bool, tuple[frozenset, ...]]]:
    """What a sentence must hold for each kind of pattern to match at all: a digit, and a word of
    each listed set. Most sentences name no time; these tests skip the patterns (whose leading
    optional words make the regex engine try every position) without changing what they find."""
    lx = lexicon()
    months, weekdays = frozenset(lx["months"]), frozenset(lx["weekdays"])
    units = frozenset(u + s for u in ("day", "week", "weekend", "month", "year", "hour") for s in ("", "s"))
    last_words = frozenset(p.split()[-1] for p in lx["relative_days"])
    return {"iso": (True, ()), "dmy": (True, (months,)), "mdy": (True, (months,)), "my": (True, (months,)),
            "m": (False, (months,)), "year": (True, ()), "weekday": (False, (weekdays,)),
            "relday": (False, (last_words,)), "period": (False, (units,)), "ago": (False, (units, frozenset({"ago"}))),
            "offset": (False, (units, frozenset({"later", "earlier", "after", "before"}))),
            "dayof": (False, (frozenset({"day"}),)), "span": (False, (units,))}


def find_times(text: str) -> list[TimeExpr]:
    """The time expressions of a sentence, in text order, none overlapping (the longest wins)."""
    lx = lexicon()
    found: list[TimeExpr] = []
    # casefold: the patterns ignore case the way Unicode does ("ſept" is "sept")
    words = set(re.findall(r"[^\W\d_]+", text.casefold()))
    digit = re.search(r"\d", text) is not None
    needs = _needs()
    for kind, pat in _patterns():
        need_digit, need_words = needs[kind]
        if (need_digit and not digit) or any(words.isdisjoint(w) for w in need_words):
            continue
        for m in pat.finditer(text):
            e = _make(kind, m, text)
            if e is not None:
                found.append(e)
    # the most specific reading of a stretch of text wins ("January 19" over "on January"), then
    # the longest ("7 October 2023" over "October")
    found.sort(key=lambda e: (_rank(e), -(e.end - e.start), e.start))
    kept: list[TimeExpr] = []
    for e in found:
        if all(e.end <= k.start or e.start >= k.end for k in kept):
            kept.append(e)
    if not kept:
        return []
    kept.sort(key=lambda e: e.start)
    low = text.lower()
    stretches = [(m.start(), m.end()) for p in _not_points() for m in p.finditer(low)]
    out: list[TimeExpr] = []
    for e in kept:
        if any(a < e.end + 4 and e.start < b + 4 for a, b in stretches):
            continue  # "so far this year", "the year to date": a stretch up to now, not a time
        bound = _bound(text, e)
        if bound:
            e = _replace(e, bound=bound)
        if out and e.kind == "date" and out[-1].kind == "weekday" and \
                re.fullmatch(r"[\s,(]*", text[out[-1].end:e.start]):
            # "Tuesday (September 19)", "Monday, Oct. 7": one day, read from the date
            prev = out.pop()
            end = e.end + 1 if text[e.end:e.end + 1] == ")" and "(" in text[prev.end:e.start] else e.end
            e = _replace(e, start=prev.start, end=end, text=text[prev.start:end], bound=prev.bound or e.bound)
        out.append(e)
    return out


def _replace(e: TimeExpr, **kw) -> TimeExpr:
    return TimeExpr(**{**e.__dict__, **kw})


def _bound(text: str, e: TimeExpr) -> str | None:
    """'since August', 'until Friday', 'by Sunday': the edge of a stretch of time, not when the
    event happened."""
    own = re.match(r"(?:between|from)\s+", e.text, re.IGNORECASE)  # the preposition inside the expression
    before = text[max(0, e.start - 45):e.start] + (own.group(0) if own else "")
    if e.kind in ("date", "month", "year", "weekday") and (
            re.match(r"\s*(?:-|to|until|till|through|and)\s", text[e.end:e.end + 9]) and
            re.search(r"\b(?:between|from)\s*$", before, re.IGNORECASE) or
            re.search(r"\b(?:between|from)\b[^,;.]{1,30}\b(?:and|to|until|till|through)\s*$", before, re.IGNORECASE)):
        return "range"  # "between January and March", "from 1998 to 2000": a stretch, not a point
    words = re.findall(r"[A-Za-z]+", text[max(0, e.start - 24):e.start])
    inner = re.match(r"[A-Za-z]+", e.text)
    first = inner.group(0).lower() if inner else ""
    bounds = lexicon()["bounds"]
    if first in bounds and e.kind in ("month", "year"):
        return bounds[first]
    if e.kind in ("offset", "span", "dayof"):
        return None
    if words:
        w = words[-1].lower()
        if w in bounds:
            if w in ("before", "after") and e.kind in ("ago",):
                return None
            if w == "since" and len(words) >= 2 and words[-2].lower() == "ever":
                return "since"
            return bounds[w]
        if w == "to" and len(words) >= 2 and words[-2].lower() in ("up", "from"):
            return "until"
    return None


# ----------------------------------------------------------------------------- resolution

def to_date(value) -> dt.date | None:
    """A `date` from an ISO day string ("2024-08-24", also with a time after it), else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", str(value or ""))
    if m and _valid(*map(int, m.groups())):
        return dt.date(*map(int, m.groups()))
    return None


def _pick(cands: list[dt.date], anchor: dt.date, tense: str | None, slack: int = 0) -> dt.date | None:
    """The candidate the tense allows: the latest on or before the anchor in the past (give or take
    `slack` days), the earliest on or after it in the future, else the nearest (the earlier one on
    a tie)."""
    if not cands:
        return None
    if tense == PAST:
        before = [c for c in cands if c <= anchor + dt.timedelta(days=slack)]
        if before:
            return max(before)
    elif tense == FUTURE:
        after = [c for c in cands if c >= anchor]
        if after:
            return min(after)
    return min(cands, key=lambda c: (abs((c - anchor).days), c))


def _month_range(y: int, m: int) -> tuple[dt.date, dt.date]:
    return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def common_precision(a: dt.date, b: dt.date) -> str | None:
    """The most precise value that holds both ends of a stretch of time."""
    if a == b:
        return a.isoformat()
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.year:04d}-{a.month:02d}"
    if a.year == b.year:
        return f"{a.year:04d}"
    return None


def _shift_by(anchor: dt.date, unit: str, n: int) -> tuple[dt.date, str]:
    """The anchor moved by n units, and the precision such an approximate count supports."""
    if unit == "day":
        return anchor + dt.timedelta(days=n), "day"
    if unit == "week":
        return anchor + dt.timedelta(days=7 * n), "month"
    if unit == "month":
        y, m = _add_months(anchor.year, anchor.month, n)
        return dt.date(y, m, 1), "month"
    return dt.date(anchor.year + n, 1, 1), "year"


def _at(d: dt.date, precision: str) -> str:
    return {"day": d.isoformat(), "month": d.isoformat()[:7], "year": d.isoformat()[:4]}[precision]


def resolve(e: TimeExpr, anchor: dt.date | None, tense: str | None = None,
            base: dt.date | None = None) -> str | None:
    """The ISO value of an expression: "YYYY-MM-DD", "YYYY-MM" or "YYYY", or None.

    `anchor` is the document's date; `tense` ("past", "future" or None) the tense of the clause the
    expression sits in; `base` the time an offset or a day count is relative to ("two days
    later": the time named before; "the third day of the truce": the day the truce began)."""
    if e.kind == "date":
        if e.year:
            return dt.date(e.year, e.month, e.day).isoformat()
        if anchor is None:
            return None
        cands = [dt.date(y, e.month, e.day) for y in (anchor.year - 1, anchor.year, anchor.year + 1)
                 if _valid(y, e.month, e.day)]
        # a document's date can trail the events by a day or two (time zones, a later edition):
        # "freed on January 3" in a report dated 2 January is not a year earlier
        got = _pick(cands, anchor, tense, slack=2)
        return got.isoformat() if got else None
    if e.kind == "month":
        if e.year:
            return f"{e.year:04d}-{e.month:02d}"
        if anchor is None:
            return None
        this = dt.date(anchor.year, e.month, 1)
        here = dt.date(anchor.year, anchor.month, 1)
        cands = [dt.date(anchor.year + k, e.month, 1) for k in (-1, 0, 1)]
        if e.shift == -1:  # "last January": the one before this month
            got = max(c for c in cands if c < here)
        elif e.shift == 1:
            got = min(c for c in cands if c > here)
        else:
            got = this if this == here else _pick(cands, here, tense)
        return f"{got.year:04d}-{got.month:02d}"
    if e.kind == "year":
        return f"{e.year:04d}"
    if anchor is None and e.kind not in ("offset", "dayof"):  # those count from `base`
        return None
    if e.kind == "weekday":
        back = (anchor.weekday() - e.weekday) % 7
        prev = anchor - dt.timedelta(days=back)
        nxt = anchor + dt.timedelta(days=(e.weekday - anchor.weekday()) % 7)
        if e.shift == -1:
            return (prev if back else prev - dt.timedelta(days=7)).isoformat()
        if e.shift == 1:
            return (nxt if nxt != anchor else nxt + dt.timedelta(days=7)).isoformat()
        return _pick(sorted({prev, nxt}), anchor, tense).isoformat()
    if e.kind == "relday":
        return (anchor + dt.timedelta(days=e.shift)).isoformat()
    if e.kind == "period":
        return _period(e, anchor, tense)
    if e.kind == "ago":
        d, precision = _shift_by(anchor, e.unit, -e.amount)
        return _at(d, precision)
    if e.kind == "offset":
        if base is None:
            return None
        d, precision = _shift_by(base, e.unit, e.amount if e.direction == "after" else -e.amount)
        return _at(d, precision)
    if e.kind == "dayof":
        if base is None:
            return None
        n = e.amount if e.amount > 0 else e.length
        if not n:
            return None
        return (base + dt.timedelta(days=n - 1)).isoformat()
    return None


def _period(e: TimeExpr, anchor: dt.date, tense: str | None) -> str | None:
    shift = e.shift or 0
    if e.unit == "year":
        return f"{anchor.year + shift:04d}"
    if e.unit == "month":
        y, m = _add_months(anchor.year, anchor.month, shift)
        return f"{y:04d}-{m:02d}"
    if e.unit == "week":
        monday = anchor - dt.timedelta(days=anchor.weekday()) + dt.timedelta(days=7 * shift)
        sunday = monday + dt.timedelta(days=6)
        if shift == 0:  # this week so far, or what is left of it
            monday, sunday = (anchor, sunday) if tense == FUTURE else (monday, anchor) if tense == PAST else (monday, sunday)
        return common_precision(monday, sunday)
    if e.unit == "weekend":
        saturday = anchor + dt.timedelta(days=(5 - anchor.weekday()) % 7)
        if shift == -1 or (shift == 0 and tense != FUTURE and anchor.weekday() < 5):
            saturday -= dt.timedelta(days=7)
        elif shift == 1 and anchor.weekday() >= 5:
            saturday += dt.timedelta(days=7)
        return common_precision(saturday, saturday + dt.timedelta(days=1))
    return None


# ----------------------------------------------------------------------------- tense from words

def guess_tense(text: str) -> str | None:
    """The tense of a clause from its words alone (for callers without a parse): future when it
    has a future or modal marker, past when it has a past auxiliary or a past form, else None."""
    low = " " + re.sub(r"[^a-z' ]+", " ", text.lower()) + " "
    if any(f" {w} " in low for w in lexicon()["future_words"]):
        return FUTURE
    words = low.split()
    if any(w in lexicon()["past_words"] or (w.endswith("ed") and len(w) > 4) for w in words):
        return PAST
    return None


def date_of(text: str, anchor, tense: str | None = None) -> str | None:
    """The date a sentence gives for what it reports: the first point-in-time expression that
    resolves. A convenience for callers without a parse; the extractor uses the parse instead."""
    anchor = to_date(anchor)
    for e in find_times(text):
        if not e.is_point:
            continue
        value = resolve(e, anchor, tense if tense is not None else guess_tense(text[:e.start] or text))
        if value:
            return value
    return None


# ----------------------------------------------------------------------------- a document's own date

_SENTINELS = (dt.datetime(1901, 1, 1), dt.datetime(1902, 2, 2))


def normalize_date(raw) -> str | None:
    """A document's date as ISO YYYY-MM-DD, from the forms metadata comes in ("2024-08-24",
    "2024-08-24T10:00:00Z", "May 31, 2024", "Sat, 25 Nov 2023 10:00 GMT", "18:46 03.01.2024");
    None unless year, month and day are all there."""
    from dateutil import parser as du

    text = str(raw or "").strip()
    if not text:
        return None
    day = to_date(text)
    if day:
        return day.isoformat()
    m = re.search(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b", text)  # dotted numbers are day first
    if m:
        d, mo, y = map(int, m.groups())
        return dt.date(y, mo, d).isoformat() if _valid(y, mo, d) else None
    got = []
    for default in _SENTINELS:
        try:
            got.append(du.parse(text, default=default, fuzzy=True).date())
        except (ValueError, OverflowError):
            return None
    a, b = got
    if a != b or a.year < 1900:
        return None  # a part of the date was missing and filled in by the parser's default
    return a.isoformat()


def year_in_url(url: str | None) -> int | None:
    """A publication year in a URL path ("…/2024/08/24/…"), a common place for it."""
    m = re.search(r"/((?:19|20)\d\d)/(?:\d{1,2}/)?", url or "")
    return int(m.group(1)) if m else None


_LINE_PARTS = re.compile(r"\s*(?:\||\u2022|\u00b7)\s*|\s+[-\u2013\u2014]\s+")
_LINE_PREFIX = re.compile(r"^(?:last\s+)?(?:updated|published|posted|modified|created|date)\s*(?:on|at)?\s*:?\s*",
                          re.IGNORECASE)
_SHORT_DOTTED = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{2})\b(?![.:]?\d)")
_NUMERIC_DATE = re.compile(r"\b\d{1,2}[./-]\d{1,2}[./-](?:19|20)\d\d\b")


def line_date(line: str, year: int | None = None) -> str | None:
    """The day a line of page furniture shows, as ISO YYYY-MM-DD: a date line ("Updated 6:42 PM GMT,
    November 14, 2025", "Published: 24/10/2025 - 18:02", "NEWSDESK | World | 05.02.24 | 10:12") or
    a dateline ("DOHA, Sept 18 (Reuters) -", "MINSK, 21 February (Wire) -"). Which lines are date
    lines and datelines is furniture's business (`kgbuild/data/furniture.json`); this only reads the
    first date the line holds. A date without a year ("Sept 18") takes `year`, else gives None."""
    for part in _LINE_PARTS.split(line.strip()):
        part = _LINE_PREFIX.sub("", part.strip())
        if not part:
            continue
        named = next((e for e in find_times(part) if e.kind == "date"), None)
        if named is not None:
            y = named.year or year
            if y and _valid(y, named.month, named.day):
                return dt.date(y, named.month, named.day).isoformat()
            continue
        m = _SHORT_DOTTED.search(part)
        if m:  # "11.06.25": day, month and the year's last two digits
            d, mo, y = int(m.group(1)), int(m.group(2)), 2000 + int(m.group(3))
            if _valid(y, mo, d):
                return dt.date(y, mo, d).isoformat()
            continue
        if _NUMERIC_DATE.search(part):
            got = normalize_date(part)
            if got:
                return got
    return None
