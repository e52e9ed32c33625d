"""Date expressions in news text, and their resolution against the day the text speaks from.

Finding and resolving are separate: an expression is kept in its raw parts (year, month, day, weekday,
relative offsets, the tense of its clause) so it can be resolved once the article's anchor is known. A
weekday in a past clause is the latest such day on or before publication, in a future clause the next one;
"yesterday" inside a quote counts from the day the quote was said. Year-less absolute dates ("January 8")
take the year of the publication date or of an anchor inferred from the article's own full dates or from
events it shares with other articles. A language's words live in kg/lang/<code>/dates.yaml.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from . import langfile

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


@dataclass(frozen=True)
class Words:
    """One language's date words (kg/lang/<code>/dates.yaml)."""

    months: dict[str, int]
    ambiguous_months: frozenset[str]
    weekdays: dict[str, int]
    dayparts: tuple[str, ...]
    deictic: dict[str, int]
    narrative: dict[str, int]
    counts: dict[str, int]
    ago_units: dict[str, str]
    ago: str
    ordinals: dict[str, int]
    month_parts: dict[str, str]
    relative: dict[str, int]
    relative_units: tuple[str, ...]
    within: dict[str, int]
    open_bounds: tuple[str, ...]
    bound_then_clause: str
    effective_cues: tuple[str, ...]
    stamp_cues: tuple[str, ...]
    future_aux: frozenset[str]
    future_heads: frozenset[str]
    perfect_aux: frozenset[str]
    background: tuple[str, ...]
    event_offsets: dict[str, int]


class DatesError(ValueError):
    """A bad dates file; the message names the file and the missing or malformed entry."""


@lru_cache(maxsize=4)
def words(lang: str = "en") -> Words:
    """One language's date words (kg/lang/<lang>/dates.yaml), checked as they load."""
    return parse_words(*langfile.read(lang, "dates.yaml"))


def parse_words(source: str, text: str) -> Words:
    """Date words from the text of a dates file; a missing or malformed entry is an error naming it."""
    data = langfile.parse(source, text, DatesError)
    if not isinstance(data, dict):
        raise DatesError(f"{source}: not a mapping of date words")
    try:
        return _words(data)
    except KeyError as e:
        raise DatesError(f"{source}: missing entry {e.args[0]!r}") from None
    except (TypeError, ValueError, AttributeError) as e:
        raise DatesError(f"{source}: malformed entry ({e})") from None


def _words(data: dict[str, Any]) -> Words:
    tense = data["tense"]
    return Words(
        months=dict(data["months"]), ambiguous_months=frozenset(data["ambiguous_months"]),
        weekdays=dict(data["weekdays"]), dayparts=tuple(data["dayparts"]), deictic=dict(data["deictic"]),
        narrative=dict(data["narrative"]),
        counts=dict(data["counts"]), ago_units=dict(data["ago_units"]), ago=data["ago"],
        ordinals=dict(data["ordinals"]), month_parts=dict(data["month_parts"]), relative=dict(data["relative"]),
        relative_units=tuple(data["relative_units"]), within=dict(data["within"]),
        open_bounds=tuple(data["open_bounds"]), bound_then_clause=data["bound_then_clause"],
        effective_cues=tuple(data["effective_cues"]), stamp_cues=tuple(data["stamp_cues"]),
        future_aux=frozenset(tense["future_aux"]), future_heads=frozenset(tense["future_heads"]),
        perfect_aux=frozenset(tense["perfect_aux"]), background=tuple(tense["background"]),
        event_offsets=dict(data["event_offsets"]))


def _alternation(names: Any, title: bool = False) -> str:
    """A regex alternation of words, longest first (so "sept" is tried before "sep")."""
    ordered = sorted(names, key=len, reverse=True)
    return "|".join(re.escape(n.title() if title else n).replace(r"\ ", r"\s+") for n in ordered)


@lru_cache(maxsize=4)
def patterns(lang: str = "en") -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The date patterns of a language, most specific first; spans found by an earlier one are taken."""
    w = words(lang)
    month = r"(?P<month>" + _alternation(w.months, title=True) + r")\.?"
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
    day2 = r"(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?"
    year = r"(?P<year>(?:19|20)\d\d)"
    weekday = r"(?P<weekday>" + _alternation(w.weekdays, title=True) + r")"
    opt_year = r"(?:,?\s+" + year + r")?"
    rel = _alternation(w.relative)
    table = [
        ("iso", r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
        ("range", r"\b(?:(?:between|from)\s+)?" + month + r"\s+" + day + r"\s*(?:-|–|to|and|until)\s*" + day2
         + r"\b(?!\s+(?:" + _alternation(w.months, title=True) + r"))" + opt_year),
        ("range", r"\b(?:(?:between|from)\s+)?" + day + r"\s*(?:-|–|to|and|until)\s*" + day2 + r"\s+" + month
         + opt_year),
        ("weekday_md", r"\b(?:on\s+)?" + weekday + r"\s*(?:,\s*|\(\s*)" + month + r"\s+" + day + opt_year
         + r"\s*\)?"),
        ("weekday_md", r"\b(?:on\s+)?" + weekday + r"\s*(?:,\s*|\(\s*)" + day + r"\s+" + month + opt_year
         + r"\s*\)?"),
        ("week_of", r"(?i:\b(?:the\s+)?(?P<ord>" + _alternation(w.ordinals) + r")\s+week\s+of\s+)" + month
         + opt_year + r"\b"),
        ("part_of", r"(?i:\b(?P<part>(?:the\s+)?(?:" + _alternation(w.month_parts) + r")(?:\s+of)?)[-\s]+)"
         + month + opt_year + r"\b"),
        ("mdy", r"\b" + month + r"\s+" + day + opt_year + r"\b(?!\s*(?:%|percent|tons))"),
        ("dmy", r"\b" + day + r"\s+(?:of\s+)?" + month + opt_year + r"\b"),
        ("my", r"\b" + month + r",?\s+" + year + r"\b"),
        ("month", r"\b(?P<prep>in|since|during|until|by|from|of|" + rel + r")\s+" + month + r"(?![\w-])"),
        ("relative", r"(?i:\b(?P<which>" + rel + r")\s+(?P<unit>" + _alternation(w.relative_units) + r"))\b"),
        ("earlier", r"(?i:\b(?P<which>" + _alternation(w.within) + r")\s+this\s+(?P<unit>"
         + _alternation(w.relative_units) + r"))\b"),
        ("narrative", r"(?i:\b(?P<narrative>" + _alternation(w.narrative) + r"))\b"),
        ("deictic", r"(?i:\b(?P<deictic>" + _alternation(w.deictic) + r"))\b"),
        ("ago", r"(?i:\b(?P<count>\d{1,2}|" + _alternation(w.counts) + r")\s+(?P<unit>" + _alternation(w.ago_units)
         + r")\s+" + re.escape(w.ago) + r")\b"),
        ("weekday_range", r"\b(?:(?P<wprep>on|from|between)\s+)?" + weekday
         + r"\s+(?:and|to|through|until|-|–)\s+(?P<weekday2>" + _alternation(w.weekdays, title=True) + r")\b"),
        ("weekday", r"\b(?:(?P<wprep>on|last|this|next|from|since|by|until|coming|past)\s+)?" + weekday
         + r"(?:\s+(?P<daypart>" + _alternation(w.dayparts) + r"))?(?:'s|’s)?\b"),
        ("year", r"\b(?P<yprep>in|during|of|since|by|until)\s+" + year + r"\b"),
    ]
    return tuple((kind, re.compile(p)) for kind, p in table)


@dataclass(frozen=True)
class DateExpr:
    """A date expression as written, in raw parts; offsets are within the text it was found in."""

    start: int
    end: int
    text: str
    kind: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    offset: int = 0  # -1 last, 0 this, +1 next (relative units and weekdays)
    unit: str = ""  # week, month, year, day
    part: str = ""  # early, mid, late, week1..week4, weeklast
    open_bound: str = ""  # "since"/"until": not a point date
    day2: int | None = None  # the last day of a range ("March 6-10")
    tense: str = ""  # the tense of its clause: past, perfect, pluperfect, future, or "" when unknown
    quoted: bool = False  # inside a quotation: relative to the day the quote was said
    narrated: bool = False  # counted from the day the report speaks of ("the previous evening")
    effective: bool = False  # the day a measure takes effect ("will come into effect on March 1")
    extra_days: int = 0  # a span of weekdays ("on Thursday and Friday"): the days after the first

    @property
    def needs_publication_date(self) -> bool:
        return self.kind in ("relative", "earlier", "deictic", "weekday")


@dataclass(frozen=True)
class TimeValue:
    """A resolved date: the value at the precision given, and day bounds."""

    value: str | None  # YYYY-MM-DD, YYYY-MM, YYYY, or --MM-DD when the year is unknown
    precision: str  # day, month, year, monthday, period, none
    earliest: dt.date | None
    latest: dt.date | None
    text: str
    inferred: bool = False  # the year or day came from an inference, not from the text or publication date

    @property
    def datatype(self) -> str:
        return {"day": "date", "month": "gYearMonth", "year": "gYear", "monthday": "gMonthDay"}.get(
            self.precision, "")


def offset_from_frame(sentence: str) -> int | None:
    """Days from the event an opening frame names ('On the eve of the talks, ...': -1), or None."""
    w = words()
    m = re.match(r"\s*(" + _alternation(w.event_offsets) + r")\b", sentence, re.I)
    return w.event_offsets[" ".join(m.group(1).lower().split())] if m else None


def shifted(t: TimeValue, days: int, text: str) -> TimeValue:
    """A day's date moved by some days (the frame's words as its text)."""
    assert t.earliest is not None
    day = t.earliest + dt.timedelta(days=days)
    return TimeValue(day.isoformat(), "day", day, day, text, inferred=True)


def find_dates(text: str) -> list[DateExpr]:
    """All date expressions in `text`, left to right, without overlaps (no parse: tense unknown)."""
    w = words()
    taken: list[tuple[int, int]] = []
    found: list[DateExpr] = []
    for kind, pattern in patterns():
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < b and a < e for a, b in taken):
                continue
            expr = _to_expr(kind, m)
            if expr is None:
                continue
            taken.append((s, e))
            found.append(_with_context(expr, text, w))
    return sorted(found, key=lambda x: x.start)


def dates_in_text(text: str, doc: Doc | None = None) -> list[DateExpr]:
    """All date expressions of a body, each with the tense of its clause when the body's parse is given."""
    found = find_dates(text)
    if doc is None:
        return found
    return [replace(d, tense=clause_tense(doc, d.start, d.end)) for d in found]


def dates_in(sentence_start: int, sentence_end: int, dates: list[DateExpr]) -> list[DateExpr]:
    """The body's date expressions inside one sentence, with offsets relative to the sentence."""
    return [replace(d, start=d.start - sentence_start, end=d.end - sentence_start)
            for d in dates if d.start >= sentence_start and d.end <= sentence_end]


def _with_context(expr: DateExpr, text: str, w: Words) -> DateExpr:
    """What the words around an expression say about it: a bound, a measure's start, inside a quote."""
    before = text[max(0, expr.start - 40):expr.start].lower()
    last = re.search(r"(\w+)\s*$", before[-14:])
    if not expr.open_bound and last and last.group(1) in w.open_bounds[:4]:
        expr = replace(expr, open_bound=last.group(1))
    if expr.open_bound and text[expr.end:expr.end + len(w.bound_then_clause)].lower() == w.bound_then_clause:
        expr = replace(expr, open_bound="")  # 'held since February 15, when he was captured'
    cue = next((c for c in w.effective_cues if re.search(r"\b" + re.escape(c) + r"(?:\s+on)?\s+$", before)), None)
    if cue is not None:
        expr = replace(expr, effective=True, open_bound="" if expr.open_bound == "from" else expr.open_bound)
    return replace(expr, quoted=_inside_quote(text, expr.start))


def _inside_quote(text: str, at: int) -> bool:
    """Whether an offset is inside a quotation of its paragraph (curly quotes, or an odd count of straight ones)."""
    para = text.rfind("\n", 0, at) + 1
    head = text[para:at]
    if head.count("“") > head.count("”"):
        return True
    return head.count('"') % 2 == 1


def _int(m: re.Match[str], name: str) -> int | None:
    value = m.groupdict().get(name)
    return int(value) if value else None


def _month(m: re.Match[str]) -> int | None:
    value = m.groupdict().get("month")
    if not value:
        return None
    return int(value) if value.isdigit() else words().months.get(value.lower().rstrip("."))


def _to_expr(kind: str, m: re.Match[str]) -> DateExpr | None:
    base = DateExpr(start=m.start(), end=m.end(), text=m.group(), kind=kind, year=_int(m, "year"), month=_month(m))
    if kind in ("iso", "mdy", "dmy", "weekday_md", "range"):
        return _day_expr(base, m)
    if kind in ("week_of", "part_of", "my", "month"):
        return _month_expr(base, m)
    return _relative_expr(base, m)


def _day_expr(base: DateExpr, m: re.Match[str]) -> DateExpr | None:
    g = m.groupdict()
    day = _int(m, "day")
    if not day or not base.month or day > 31:
        return None
    if base.kind == "mdy" and g["month"].lower().rstrip(".") in words().ambiguous_months and not base.year \
            and not g["month"][0].isupper():
        return None  # 'may 3' in lower case is a verb and a number
    if base.kind == "range":
        day2 = _int(m, "day2")
        if not day2 or day2 > 31 or day2 <= day:
            return None
        return replace(base, day=day, day2=day2)
    if base.kind == "weekday_md":
        return replace(base, kind="mdy", day=day, weekday=words().weekdays[g["weekday"].lower()])
    return replace(base, day=day)


def _month_expr(base: DateExpr, m: re.Match[str]) -> DateExpr | None:
    g = m.groupdict()
    w = words()
    if base.kind == "week_of":
        ordinal = w.ordinals[g["ord"].lower()]
        return replace(base, part=f"week{ordinal}" if ordinal > 0 else "weeklast")
    if base.kind == "part_of":
        word = next(x for x in reversed(g["part"].lower().split()) if x != "of")
        return replace(base, part=w.month_parts.get(word, word))
    if base.kind == "month":
        prep = g["prep"].lower()
        if g["month"].lower() in w.ambiguous_months:
            return None  # "mar", "may" are words before they are months
        if prep in w.relative:
            return replace(base, kind="month_rel", offset=w.relative[prep])
        return replace(base, open_bound=prep if prep in ("since", "until", "by") else "")
    return base


def _relative_expr(base: DateExpr, m: re.Match[str]) -> DateExpr | None:
    g = m.groupdict()
    w = words()
    kind = base.kind
    if kind in ("relative", "earlier"):
        which = g["which"].lower()
        offset = w.relative.get(which, 0) if kind == "relative" else 0
        unit = g["unit"].lower()
        return replace(base, offset=offset, unit="week" if unit == "weekend" else unit,
                       part=which if kind == "earlier" else "")
    if kind == "deictic":
        return replace(base, offset=w.deictic[" ".join(g["deictic"].lower().split())], unit="day")
    if kind == "narrative":
        return replace(base, kind="deictic", offset=w.narrative[" ".join(g["narrative"].lower().split())],
                       unit="day", narrated=True)
    if kind == "ago":
        count = g["count"].lower()
        n = int(count) if count.isdigit() else w.counts[count]
        return replace(base, kind="relative", offset=-n, unit=w.ago_units[g["unit"].lower()])
    if kind in ("weekday", "weekday_range"):
        prep = (g.get("wprep") or "").lower()
        first = w.weekdays[g["weekday"].lower()]
        extra = (w.weekdays[g["weekday2"].lower()] - first) % 7 if kind == "weekday_range" else 0
        return replace(base, kind="weekday", weekday=first, extra_days=extra,
                       offset=w.relative.get(prep, 0) if prep not in ("this", "on") else 0,
                       open_bound=prep if prep in ("since", "by", "until") else "")
    if kind == "year":
        prep = g["yprep"].lower()
        return replace(base, open_bound=prep if prep in ("since", "until", "by") else "")
    return None


# --- the tense of a clause, from the parse ---------------------------------------------------------------

def clause_tense(doc: Doc, start: int, end: int) -> str:
    """The tense of the clause that the text between two body offsets sits in: past, perfect, pluperfect,
    future, present, or "" when the parse does not say."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return ""
    w = words()
    verb = _governing_verb(span.root)
    path = [t for t in span.root.ancestors if t.i != verb.i and verb.is_ancestor(t)] + [span.root]
    if any(t.lower_ in w.future_heads for t in path):
        return "future"  # 'due in Moscow on Thursday', 'the upcoming talks on Monday'
    return verb_tense(verb)


def verb_tense(verb: Token) -> str:
    """The tense of a verb from its auxiliaries and tag; an infinitive ('to meet on Friday') lies ahead of the
    verb that governs it, and a verb governed by 'due', 'set', 'expected' or 'plans' lies ahead."""
    w = words()
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in w.future_aux for a in aux):
        return "future"
    if any(a.lower_ == "to" for a in aux) or verb.tag_ == "VB" and any(a.tag_ == "TO" for a in aux):
        return "future"
    head = verb.head
    if verb.dep_ in ("xcomp", "ccomp", "advcl") and head.i != verb.i and head.lower_ in w.future_heads:
        return "future"
    if any(a.lower_ in ("had", "'d") and a.tag_ == "VBD" for a in aux):
        return "pluperfect"
    if any(a.lower_ in w.perfect_aux and a.tag_ in ("VBZ", "VBP") for a in aux) and verb.tag_ == "VBN":
        return "perfect"
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in aux):
        return "past"
    if verb.lower_ in w.future_heads or any(c.lower_ in w.future_heads for c in verb.children
                                             if c.dep_ in ("acomp", "xcomp", "oprd")):
        return "future"  # 'is due', 'is set to', 'is scheduled for'
    if verb.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in aux):
        return "present"
    return ""


# --- resolution ------------------------------------------------------------------------------------------

def _month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _period(start: dt.date, end: dt.date, text: str, inferred: bool = False) -> TimeValue:
    """A span of days: its value is the month when most of the span lies in one month."""
    days = (end - start).days + 1
    counts: dict[tuple[int, int], int] = {}
    for i in range(days):
        d = start + dt.timedelta(days=i)
        counts[(d.year, d.month)] = counts.get((d.year, d.month), 0) + 1
    (y, mo), n = max(counts.items(), key=lambda kv: kv[1])
    value = f"{y:04d}-{mo:02d}" if n * 2 > days else None
    return TimeValue(value, "period" if value is None else "month", start, end, text, inferred)


def _nearest_year(month: int, day: int, anchor: dt.date, future: bool, weekday: int | None = None) -> int:
    """The year that puts month/day nearest the anchor (after it for future events, else not long after);
    with a weekday ('Monday (Nov 27)'), a year in which the day falls on that weekday when there is one."""
    best = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidate = dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))
        except ValueError:
            continue
        distance = (candidate - anchor).days
        # Past events lean backwards, planned ones forwards: penalise the other direction.
        cost = abs(distance) + (0 if (distance >= -14 if future else distance <= 45) else 200)
        if weekday is not None and candidate.weekday() != weekday:
            cost += 1000
        if best is None or cost < best[0]:
            best = (cost, year)
    assert best is not None
    return best[1]


def is_future(expr: DateExpr, future: bool) -> bool:
    """Whether an expression points ahead: by its clause's tense when the parse gave one, else by the event's
    modality (`future`)."""
    if expr.tense == "future":
        return True
    if expr.tense in ("past", "perfect", "pluperfect"):
        return False
    return future


def resolve(expr: DateExpr, published: dt.date | None, anchor: dt.date | None = None,
            future: bool = False, said_on: dt.date | None = None) -> TimeValue:
    """Resolve a date expression against the publication date. `anchor` (no publication date) only supplies
    years, never relative dates; `said_on` is the day a quotation was said, for relative dates inside it."""
    none = TimeValue(None, "none", None, None, expr.text)
    if expr.open_bound:
        return none  # "since January": a bound on something else, not the date of an event
    ahead = is_future(expr, future)
    if expr.needs_publication_date or expr.kind == "month_rel":
        speaking = said_on if (expr.quoted or expr.narrated) and said_on is not None else published
        if speaking is None:
            return none
        return _resolve_relative(expr, speaking, ahead)
    reference = published or anchor
    inferred = published is None and anchor is not None and expr.year is None
    if expr.kind in ("iso", "mdy", "dmy", "range"):
        return _resolve_day(expr, reference, ahead, inferred)
    if expr.kind in ("my", "month", "week_of", "part_of"):
        return _resolve_month(expr, reference, ahead, inferred)
    if expr.kind == "year" and expr.year:
        y = expr.year
        return TimeValue(f"{y:04d}", "year", dt.date(y, 1, 1), dt.date(y, 12, 31), expr.text)
    return none


def _resolve_day(expr: DateExpr, reference: dt.date | None, ahead: bool, inferred: bool) -> TimeValue:
    assert expr.month and expr.day
    year = expr.year
    if year is None:
        if reference is None:
            if expr.kind == "range":
                return TimeValue(None, "none", None, None, expr.text)
            return TimeValue(f"--{expr.month:02d}-{expr.day:02d}", "monthday", None, None, expr.text)
        year = _nearest_year(expr.month, expr.day, reference, ahead, expr.weekday)
    try:
        day = dt.date(year, expr.month, expr.day)
        last = dt.date(year, expr.month, expr.day2) if expr.day2 else day
    except ValueError:
        return TimeValue(None, "none", None, None, expr.text)
    if expr.kind == "range":
        return _period(day, last, expr.text, inferred)
    return TimeValue(day.isoformat(), "day", day, day, expr.text, inferred)


def _resolve_month(expr: DateExpr, reference: dt.date | None, ahead: bool, inferred: bool) -> TimeValue:
    assert expr.month
    year = expr.year
    if year is None:
        if reference is None:
            return TimeValue(None, "none", None, None, expr.text)
        year = _nearest_year(expr.month, 15, reference, ahead)
    first, last = _month_bounds(year, expr.month)
    if expr.part.startswith("week"):
        if expr.part == "weeklast":
            first = last - dt.timedelta(days=6)
        else:
            first = first + dt.timedelta(days=7 * (int(expr.part[4:]) - 1))
            last = first + dt.timedelta(days=6)
    elif expr.part == "early":
        last = first + dt.timedelta(days=9)
    elif expr.part == "mid":
        first, last = first + dt.timedelta(days=10), first + dt.timedelta(days=19)
    elif expr.part == "late":
        first = first + dt.timedelta(days=20)
    return TimeValue(f"{year:04d}-{expr.month:02d}", "month", first, last, expr.text, inferred)


def weekday_near(weekday: int, published: dt.date, offset: int, ahead: bool) -> dt.date:
    """A weekday named in a report: 'next Friday' after publication, 'last Friday' before it; otherwise the
    next one on or after publication in a future clause, the latest one on or before it in any other."""
    if offset > 0 or (ahead and offset == 0):
        delta = (weekday - published.weekday()) % 7
        if offset > 0 and delta == 0:
            delta = 7
        return published + dt.timedelta(days=delta)
    delta = (published.weekday() - weekday) % 7
    if offset < 0 and delta == 0:
        delta = 7
    return published - dt.timedelta(days=delta)


def _resolve_relative(expr: DateExpr, published: dt.date, ahead: bool) -> TimeValue:
    if expr.kind == "deictic":
        day = published + dt.timedelta(days=expr.offset)
        return TimeValue(day.isoformat(), "day", day, day, expr.text)
    if expr.kind == "weekday":
        assert expr.weekday is not None
        day = weekday_near(expr.weekday, published, expr.offset, ahead)
        # a span of days ('on Thursday and Friday') is dated by its first day, and bounded by its last
        return TimeValue(day.isoformat(), "day", day, day + dt.timedelta(days=expr.extra_days), expr.text)
    if expr.kind == "month_rel":
        assert expr.month
        year = published.year + expr.offset
        if expr.offset < 0 and expr.month < published.month:
            year = published.year  # "last September" said in November is this year's
        if expr.offset > 0 and expr.month > published.month:
            year = published.year  # "next March" said in January is this year's
        first, last = _month_bounds(year, expr.month)
        return TimeValue(f"{year:04d}-{expr.month:02d}", "month", first, last, expr.text)
    return _resolve_unit(expr, published)


def _resolve_unit(expr: DateExpr, published: dt.date) -> TimeValue:
    unit, offset = expr.unit, expr.offset
    if unit == "day":
        day = published + dt.timedelta(days=offset)
        return TimeValue(day.isoformat(), "day", day, day, expr.text)
    if unit == "week":
        monday = published - dt.timedelta(days=published.weekday()) + dt.timedelta(weeks=offset)
        sunday = monday + dt.timedelta(days=6)
        if expr.kind == "earlier":
            return _period(monday, published, expr.text) if expr.part == "earlier" else \
                _period(published, sunday, expr.text)
        return _period(monday, sunday, expr.text)
    if unit == "month":
        month_index = published.year * 12 + published.month - 1 + offset
        year, month = divmod(month_index, 12)
        first, last = _month_bounds(year, month + 1)
        return TimeValue(f"{year:04d}-{month + 1:02d}", "month", first, last, expr.text)
    if unit == "year":
        year = published.year + offset
        return TimeValue(f"{year:04d}", "year", dt.date(year, 1, 1), dt.date(year, 12, 31), expr.text)
    return TimeValue(None, "none", None, None, expr.text)


def full_dates(text: str, found: list[DateExpr] | None = None) -> list[dt.date]:
    """Dates written in full (with year, month and day) in a text: the candidates for an anchor."""
    out = []
    for e in found if found is not None else find_dates(text):
        if e.kind in ("iso", "mdy", "dmy") and e.year and e.month and e.day and not e.open_bound:
            try:
                out.append(dt.date(e.year, e.month, e.day))
            except ValueError:
                pass
    return out


# --- the days a report speaks from -----------------------------------------------------------------------

LEAD_CHARS = 800  # the lead: headline, deck and first paragraphs, where a report states its day


@dataclass(frozen=True)
class ReportDays:
    """The days one report speaks from: its publication date (or, without a header, the page's own date
    stamp) and its news day, the day of the lead's events (a dateline, 'on Tuesday' in the lead), which is
    also the day its quotations were said unless the text dates them."""

    published: dt.date | None
    news_day: dt.date | None
    stamped: bool = False  # `published` is the page's stamp, not the header's date


def page_stamp(text: str, found: list[DateExpr]) -> tuple[dt.date, int] | None:
    """A full date that a page stamps itself with ('Last Updated: February 04, 2026') and where it stands."""
    cues = words().stamp_cues
    for e in found:
        if not (e.year and e.month and e.day) or e.kind not in ("iso", "mdy", "dmy"):
            continue
        line = text[text.rfind("\n", 0, e.start) + 1:e.start].lower().strip(" :-,")
        if any(line == c or line.endswith(" " + c) for c in cues):
            try:
                return dt.date(e.year, e.month, e.day), e.start
            except ValueError:
                continue
    return None


def report_days(text: str, found: list[DateExpr], published: dt.date | None) -> ReportDays:
    """The publication date (or page stamp) and the news day of a body, given its date expressions."""
    stamped, stamp_at = False, -1
    if published is None:
        stamp = page_stamp(text, found)
        if stamp is not None:
            published, stamped, stamp_at = stamp[0], True, stamp[1]
    if published is None:
        return ReportDays(None, None)
    for e in found:
        if e.start > LEAD_CHARS:
            break
        if e.open_bound or e.quoted or e.tense in ("future", "pluperfect") or e.kind == "range" \
                or e.start == stamp_at:
            continue
        value = resolve(e, published)
        if value.precision == "day" and value.earliest and \
                published - dt.timedelta(days=7) <= value.earliest <= published:
            return ReportDays(published, value.earliest, stamped)
    return ReportDays(published, published, stamped)


def takes_news_day(sentence: str, tense: str, modality: str) -> bool:
    """Whether an event the text does not date happened on the report's news day: an act told as done in the
    past, perfect or present, or announced, threatened or refused (the saying is the event, whatever the tense
    of what is said), and not set back in time ('had', 'years ago', 'since'). Plans have no such day."""
    if modality == "planned" or tense == "pluperfect" or (modality == "actual" and tense == "future"):
        return False
    lowered = sentence.lower()
    return not any(re.search(r"\b" + re.escape(cue) + (r"\b" if cue[-1].isalnum() else ""), lowered)
                   for cue in words().background)


def news_time(days: ReportDays) -> TimeValue | None:
    """The news day as an (inferred) date of an event the text does not date."""
    if days.news_day is None:
        return None
    return TimeValue(days.news_day.isoformat(), "day", days.news_day, days.news_day, "", inferred=True)


def effective_date(dates: list[DateExpr]) -> DateExpr | None:
    """The day a measure takes effect, when a sentence states one ('will come into effect on March 1')."""
    return next((d for d in dates if d.effective and not d.open_bound), None)


SUBORDINATE = ("relcl", "acl", "advcl", "ccomp", "csubj")


def _governing_verb(tok: Token) -> Token:
    while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
        tok = tok.head
    return tok


def belongs_elsewhere(doc: Doc | None, start: int, end: int, trigger: tuple[int, int]) -> bool:
    """Whether a date (body offsets) sits in a subordinate clause that leaves the trigger out, so it dates
    that clause's own event ('contacts that China severed after Pelosi visited Taiwan in August 2022');
    a relative clause of the trigger itself ('the talks, which took place on Monday') dates the trigger."""
    if doc is None:
        return False
    span = doc.char_span(start, end, alignment_mode="expand")
    trig = doc.char_span(trigger[0], trigger[1], alignment_mode="expand")
    if span is None or trig is None or len(span) == 0 or len(trig) == 0:
        return False
    inside = {t.i for t in trig}
    verb = _governing_verb(span.root)
    if verb.dep_ not in SUBORDINATE or any(t.i in inside for t in verb.subtree):
        return False
    return verb.head.i not in inside


def owned_dates(doc: Doc | None, dates: list[DateExpr], sentence_start: int,
                trigger: tuple[int, int]) -> list[DateExpr]:
    """A sentence's dates (sentence offsets) that may date the event of a trigger (body offsets)."""
    return [d for d in dates if not belongs_elsewhere(doc, d.start + sentence_start, d.end + sentence_start,
                                                      trigger)]
