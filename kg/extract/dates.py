"""Date expressions in news text, and their resolution against the publication date.

Finding and resolving are separate: an expression is kept in its raw parts (year, month, day,
weekday, relative offsets) so it can be resolved once the article's anchor is known. Relative
expressions ("on Tuesday", "last week") need the publication date; year-less absolute dates
("January 8", "in September") may also take the year of an anchor inferred from the article's own
full dates or from events it shares with other articles.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1, "final": -1}

_MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|" \
         r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

# Order matters: longer, more specific patterns first; spans never overlap.
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("week_of", re.compile(r"\b(?:the\s+)?(?P<ord>first|second|third|fourth|last|final)\s+week\s+of\s+" + _MONTH
                           + r"(?:,?\s+" + _YEAR + r")?\b", re.I)),
    ("part_of", re.compile(r"\b(?P<part>early|mid|late|the\s+beginning\s+of|the\s+start\s+of|the\s+end\s+of|"
                           r"the\s+middle\s+of)[-\s]+" + _MONTH + r"(?:,?\s+" + _YEAR + r")?\b", re.I)),
    ("mdy", re.compile(r"\b" + _MONTH + r"\s+" + _DAY + r"(?:,?\s+" + _YEAR + r")?\b(?!\s*(?:%|percent|tons))")),
    ("dmy", re.compile(r"\b" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+" + _YEAR + r")?\b")),
    ("my", re.compile(r"\b" + _MONTH + r",?\s+" + _YEAR + r"\b")),
    ("month", re.compile(r"\b(?P<prep>in|since|during|until|by|from|last|this|next|of)\s+" + _MONTH
                         + r"(?![\w-])")),
    ("relative", re.compile(r"\b(?P<rel>(?P<which>last|this|next|past)\s+(?P<unit>week|month|year|weekend))\b", re.I)),
    ("earlier", re.compile(r"\b(?P<rel>earlier|later)\s+this\s+(?P<unit>week|month|year)\b", re.I)),
    ("deictic", re.compile(r"\b(?P<deictic>yesterday|today|tomorrow|tonight)\b", re.I)),
    ("weekday", re.compile(r"\b(?:(?P<wprep>on|last|this|next|from|since|by|until)\s+)?" + _WEEKDAY
                           + r"(?:\s+(?P<daypart>morning|afternoon|evening|night))?\b")),
    ("year", re.compile(r"\b(?P<yprep>in|during|of|since|by|until)\s+" + _YEAR + r"\b")),
]


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
    inferred: bool = False  # the year came from an inferred anchor, not from the text or the publication date

    @property
    def datatype(self) -> str:
        return {"day": "date", "month": "gYearMonth", "year": "gYear", "monthday": "gMonthDay"}.get(
            self.precision, "")


def find_dates(text: str) -> list[DateExpr]:
    """All date expressions in `text`, left to right, without overlaps."""
    taken: list[tuple[int, int]] = []
    found: list[DateExpr] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < b and a < e for a, b in taken):
                continue
            expr = _to_expr(kind, m)
            if expr is not None and not expr.open_bound:
                # "since January 2025", "until March 3": a bound of something else, not an event's date.
                before = re.search(r"(\w+)\s*$", text[max(0, s - 12):s])
                if before and before.group(1).lower() in ("since", "until", "till", "through"):
                    expr = DateExpr(**{**expr.__dict__, "open_bound": before.group(1).lower()})
            if expr is not None:
                taken.append((s, e))
                found.append(expr)
    return sorted(found, key=lambda x: x.start)


def _int(m: re.Match[str], name: str) -> int | None:
    value = m.groupdict().get(name)
    return int(value) if value else None


def _month(m: re.Match[str]) -> int | None:
    value = m.groupdict().get("month")
    if not value:
        return None
    return int(value) if value.isdigit() else MONTHS.get(value.lower().rstrip("."))


def _to_expr(kind: str, m: re.Match[str]) -> DateExpr | None:
    g = m.groupdict()
    base = dict(start=m.start(), end=m.end(), text=m.group(), kind=kind, year=_int(m, "year"), month=_month(m))
    if kind in ("iso", "mdy", "dmy"):
        day = _int(m, "day")
        if not day or not base["month"] or day > 31:
            return None
        if kind == "mdy" and g.get("month", "").lower().rstrip(".") == "may" and not base["year"]:
            # "may 3" as a verb is lower case; capitalised "May 3" is a date.
            if not g["month"][0].isupper():
                return None
        return DateExpr(**base, day=day)  # type: ignore[arg-type]
    if kind == "week_of":
        ordinal = ORDINALS[g["ord"].lower()]
        return DateExpr(**base, part=f"week{ordinal}" if ordinal > 0 else "weeklast")  # type: ignore[arg-type]
    if kind == "part_of":
        word = g["part"].lower().split()[-2] if " " in g["part"] else g["part"].lower()
        part = {"early": "early", "beginning": "early", "start": "early", "mid": "mid", "middle": "mid",
                "late": "late", "end": "late"}.get(word, g["part"].lower())
        return DateExpr(**base, part=part)  # type: ignore[arg-type]
    if kind == "my":
        return DateExpr(**base)  # type: ignore[arg-type]
    if kind == "month":
        prep = g["prep"].lower()
        if g["month"].lower().startswith(("mar", "may")) and len(g["month"]) <= 3:
            return None  # "mar", "may" are words before they are months
        offset = {"last": -1, "next": 1}.get(prep, 0)
        base["kind"] = "month_rel" if prep in ("last", "this", "next") else "month"
        return DateExpr(**base, offset=offset,  # type: ignore[arg-type]
                        open_bound=prep if prep in ("since", "until", "by") else "")
    if kind in ("relative", "earlier"):
        which = (g.get("which") or "this").lower()
        offset = {"last": -1, "past": -1, "next": 1}.get(which, 0)
        unit = g["unit"].lower()
        return DateExpr(**base, offset=offset, unit="week" if unit == "weekend" else unit)  # type: ignore[arg-type]
    if kind == "deictic":
        offset = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[g["deictic"].lower()]
        return DateExpr(**base, offset=offset, unit="day")  # type: ignore[arg-type]
    if kind == "weekday":
        prep = (g.get("wprep") or "").lower()
        return DateExpr(**base, weekday=WEEKDAYS[g["weekday"].lower()],  # type: ignore[arg-type]
                        offset={"last": -1, "next": 1}.get(prep, 0),
                        open_bound=prep if prep in ("since", "until", "by") else "")
    if kind == "year":
        prep = g["yprep"].lower()
        return DateExpr(**base, open_bound=prep if prep in ("since", "until", "by") else "")  # type: ignore[arg-type]
    return None


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


def _nearest_year(month: int, day: int, anchor: dt.date, future: bool) -> int:
    """The year that puts month/day nearest the anchor (after it for future events, else not long after)."""
    best = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidate = dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))
        except ValueError:
            continue
        distance = (candidate - anchor).days
        # Past events lean backwards, planned ones forwards: penalise the other direction.
        cost = abs(distance) + (0 if (distance >= -14 if future else distance <= 45) else 200)
        if best is None or cost < best[0]:
            best = (cost, year)
    assert best is not None
    return best[1]


def resolve(expr: DateExpr, published: dt.date | None, anchor: dt.date | None = None,
            future: bool = False) -> TimeValue:
    """Resolve a date expression. `anchor` (no publication date) only supplies years, never relative dates."""
    none = TimeValue(None, "none", None, None, expr.text)
    if expr.open_bound:
        return none  # "since January": a bound on something else, not the date of an event
    if expr.needs_publication_date or expr.kind == "month_rel":
        if published is None:
            return none
        return _resolve_relative(expr, published, future)
    reference = published or anchor
    inferred = published is None and anchor is not None and expr.year is None
    year = expr.year
    if expr.kind in ("iso", "mdy", "dmy"):
        assert expr.month and expr.day
        if year is None:
            if reference is None:
                return TimeValue(f"--{expr.month:02d}-{expr.day:02d}", "monthday", None, None, expr.text)
            year = _nearest_year(expr.month, expr.day, reference, future)
        try:
            day = dt.date(year, expr.month, expr.day)
        except ValueError:
            return none
        return TimeValue(day.isoformat(), "day", day, day, expr.text, inferred)
    if expr.kind in ("my", "month", "week_of", "part_of"):
        assert expr.month
        if year is None:
            if reference is None:
                return none
            year = _nearest_year(expr.month, 15, reference, future)
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
    if expr.kind == "year" and year:
        return TimeValue(f"{year:04d}", "year", dt.date(year, 1, 1), dt.date(year, 12, 31), expr.text)
    return none


def _resolve_relative(expr: DateExpr, published: dt.date, future: bool) -> TimeValue:
    if expr.kind == "deictic":
        day = published + dt.timedelta(days=expr.offset)
        return TimeValue(day.isoformat(), "day", day, day, expr.text)
    if expr.kind == "weekday":
        assert expr.weekday is not None
        if expr.offset > 0 or (future and expr.offset == 0):
            delta = (expr.weekday - published.weekday()) % 7 or 7
            day = published + dt.timedelta(days=delta)
        else:
            # "on Tuesday" in a report is the latest Tuesday on or before publication; "last Tuesday" too
            # (a week earlier only when publication day is itself Tuesday).
            delta = (published.weekday() - expr.weekday) % 7
            if expr.offset < 0 and delta == 0:
                delta = 7
            day = published - dt.timedelta(days=delta)
        return TimeValue(day.isoformat(), "day", day, day, expr.text)
    if expr.kind == "month_rel":
        assert expr.month
        year = published.year + (expr.offset if expr.offset else 0)
        if expr.offset < 0 and expr.month < published.month:
            year = published.year  # "last September" said in November is this year's
        first, last = _month_bounds(year, expr.month)
        return TimeValue(f"{year:04d}-{expr.month:02d}", "month", first, last, expr.text)
    unit, offset = expr.unit, expr.offset
    if unit == "week":
        monday = published - dt.timedelta(days=published.weekday()) + dt.timedelta(weeks=offset)
        sunday = monday + dt.timedelta(days=6)
        if expr.kind == "earlier":
            return _period(monday, published, expr.text)
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
