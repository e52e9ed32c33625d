"""Event identity across articles: the same event reported by several outlets gets one IRI.

Two article events are the same event when they have the same type, compatible actors and
compatible dates (an unknown date is compatible with any; dates a few days apart are compatible,
so sources that disagree on a date stay on one event and show up as a conflict). Statements and
threats are merged only when both are dated, since one pair of leaders trades many of them.

An article without a publication date and without a full date of its own cannot resolve
'January 8' to a year; when it shares an event with an article that can, its anchor year is taken
from there (recorded as inferred).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .event_types import dated_types, symmetric_types
from .extract import ArticleEvent, Extraction
from .names import digest, thing

DAY_TOLERANCE = 3


@dataclass(frozen=True)
class KnownEvent:
    """An event already in the store (or in the batch): what identity needs to know of it."""

    iri: str
    type: str
    participants: frozenset[str]
    agent: str
    target: frozenset[str]
    earliest: dt.date | None
    latest: dt.date | None
    monthday: tuple[int, int] | None = None


def signature(e: ArticleEvent, actor_iri: dict[str, str]) -> KnownEvent:
    c = e.claim
    t = e.time
    monthday = None
    if t is not None and t.precision == "monthday" and t.value:
        monthday = (int(t.value[2:4]), int(t.value[5:7]))
    return KnownEvent(
        iri="", type=c.type,
        participants=frozenset(actor_iri[k] for k in c.participants if k in actor_iri),
        agent=actor_iri.get(c.agent or "", ""),
        target=frozenset(actor_iri[k] for k in c.target if k in actor_iri),
        earliest=t.earliest if t else None, latest=t.latest if t else None, monthday=monthday)


def actors_compatible(a: KnownEvent, b: KnownEvent) -> bool:
    if a.type != b.type:
        return False
    if a.type in symmetric_types():
        need = min(2, len(a.participants), len(b.participants))
        return need > 0 and len(a.participants & b.participants) >= need
    if a.agent != b.agent:
        return False
    return (not a.target or not b.target) and a.type not in dated_types() or bool(a.target & b.target)


def dates_compatible(a: KnownEvent, b: KnownEvent) -> bool:
    if a.type in dated_types() and (a.earliest is None or b.earliest is None):
        return False
    if a.monthday or b.monthday:
        return _monthday_close(a, b)
    if a.earliest is None or b.earliest is None or a.latest is None or b.latest is None:
        return True
    slack = dt.timedelta(days=DAY_TOLERANCE)
    return a.earliest <= b.latest + slack and b.earliest <= a.latest + slack


def _monthday_close(a: KnownEvent, b: KnownEvent) -> bool:
    if a.monthday and b.monthday:
        return a.monthday == b.monthday
    md, other = (a.monthday, b) if a.monthday else (b.monthday, a)
    if other.earliest is None or md is None:
        return other.earliest is None
    try:
        candidate = dt.date(other.earliest.year, md[0], md[1])
    except ValueError:
        return False
    slack = dt.timedelta(days=DAY_TOLERANCE)
    return other.earliest - slack <= candidate <= (other.latest or other.earliest) + slack


def _keys(e: KnownEvent) -> set[str]:
    return set(e.participants) | ({e.agent} if e.agent else set()) | set(e.target) or {""}


def same_event(a: KnownEvent, b: KnownEvent) -> bool:
    return actors_compatible(a, b) and dates_compatible(a, b)


DATED_SOURCES = ("published", "article")  # anchor sources that give an article its year


def _dated_index(extractions: list[Extraction], known: Iterable[KnownEvent],
                 actor_iris: dict[str, dict[str, str]]) -> dict[tuple[str, str], list[KnownEvent]]:
    """The events with a known day (stored, or from dated articles) by type and actor."""
    dated: dict[tuple[str, str], list[KnownEvent]] = {}
    sigs = [k for k in known if k.earliest]
    sigs += [signature(e, actor_iris[x.article.id]) for x in extractions if x.anchor_source in DATED_SOURCES
             for e in x.events if e.time and e.time.earliest]
    for k in sigs:
        for actor in _keys(k):
            dated.setdefault((k.type, actor), []).append(k)
    return dated


def _year_votes(sig: KnownEvent, dated: dict[tuple[str, str], list[KnownEvent]],
                years: Counter[int], anchor_day: dict[int, dt.date]) -> None:
    """Count the years of the dated events a year-less event (a month and day only) matches."""
    if sig.monthday is None:
        return
    candidates = {id(o): o for a in _keys(sig) for o in dated.get((sig.type, a), [])}.values()
    for other in candidates:
        if other.earliest and actors_compatible(sig, other) and _monthday_close(sig, other):
            year = other.earliest.year
            years[year] += 1
            anchor_day.setdefault(year, dt.date(year, *sig.monthday))


def infer_anchors(extractions: list[Extraction], known: Iterable[KnownEvent],
                  actor_iris: dict[str, dict[str, str]]) -> None:
    """Give year-less articles the year of the events they share with dated articles."""
    dated = _dated_index(extractions, known, actor_iris)
    for x in extractions:
        if x.anchor_source in DATED_SOURCES:
            continue
        years: Counter[int] = Counter()
        anchor_day: dict[int, dt.date] = {}
        for e in x.events:
            _year_votes(signature(e, actor_iris[x.article.id]), dated, years, anchor_day)
        if years:
            year = years.most_common(1)[0][0]
            x.resolve_dates(anchor_day[year], "corpus")


Item = tuple[tuple[str, int], KnownEvent]  # (article id, event index) and the event's signature


def _clusters(items: list[Item]) -> list[list[int]]:
    """Group the items that report one event (union-find over comparisons within type-and-actor buckets). A
    cluster never holds two events of one article: its extraction already told them apart, and a third article's
    broader report (a call 'between A, B and C') must not join them through itself."""
    parent = list(range(len(items)))
    articles = [{article} for (article, _), _ in items]  # per cluster root: the articles it holds

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Only events that share a type and an actor can be the same: compare within those buckets.
    buckets: dict[tuple[str, str], list[int]] = {}
    for i, (_, sig) in enumerate(items):
        for actor in _keys(sig):
            buckets.setdefault((sig.type, actor), []).append(i)
    # Within a bucket each event is compared with one representative per cluster found so far, so a story
    # repeated by a thousand outlets costs a thousand comparisons, not half a million.
    for members in buckets.values():
        reps: list[int] = []
        for i in members:
            r = next((r for r in reps if not articles[find(i)] & articles[find(r)]
                      and same_event(items[i][1], items[r][1])), None)
            if r is None:
                reps.append(i)
            else:
                root, into = find(i), find(r)
                parent[root] = into
                articles[into] |= articles[root]
    clusters: dict[int, list[int]] = {}
    for i in range(len(items)):
        clusters.setdefault(find(i), []).append(i)
    return list(clusters.values())


def _cluster_iri(items: list[Item], members: list[int], known_by: dict[tuple[str, str], list[KnownEvent]]) -> str:
    """A stored event's IRI when the cluster is an event the store knows, else a hash of the cluster's content."""
    sigs = [items[i][1] for i in members]
    existing = sorted({k.iri for s in sigs for a in _keys(s) for k in known_by.get((s.type, a), [])
                       if same_event(s, k)})
    if existing:
        return existing[0]
    first = min(members, key=lambda i: items[i][0])
    s = items[first][1]
    day = min((x.earliest.isoformat() for x in sigs if x.earliest), default="")
    return thing("event", digest(s.type, *sorted(s.participants), s.agent, *sorted(s.target), day,
                                 items[first][0][0]))


def assign_iris(extractions: list[Extraction], known: Iterable[KnownEvent],
                actor_iris: dict[str, dict[str, str]]) -> dict[tuple[str, int], str]:
    """One IRI per event cluster: an existing store event's IRI, else a hash of the cluster's content."""
    items: list[Item] = [((x.article.id, i), signature(e, actor_iris[x.article.id]))
                         for x in sorted(extractions, key=lambda x: x.article.id) for i, e in enumerate(x.events)]
    known_by: dict[tuple[str, str], list[KnownEvent]] = {}
    for k in known:
        for actor in _keys(k):
            known_by.setdefault((k.type, actor), []).append(k)
    out: dict[tuple[str, int], str] = {}
    for members in _clusters(items):
        iri = _cluster_iri(items, members, known_by)
        for i in members:
            out[items[i][0]] = iri
    return out
