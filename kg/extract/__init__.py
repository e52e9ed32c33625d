"""Extraction: an article becomes actors, events and office holdings, each tied to its sentences."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..articles import Article, Sentence
from ..catalog import Catalog, Entity, load_catalog
from .dates import (
    ReportDays,
    TimeValue,
    clause_tense,
    full_dates,
    news_time,
    offset_from_frame,
    report_days,
    resolve,
    shifted,
    takes_news_day,
)
from .events import SYMMETRIC, EventClaim, build_context, find_events
from .mentions import Actor, MentionFinder, title_case
from .nlp import parse, parse_many

if TYPE_CHECKING:
    from spacy.tokens import Doc

# When one article states the same event several times, the firmest statement wins.
MODALITY_RANK = {"actual": 6, "announced": 5, "planned": 4, "reported": 3, "threatened": 2, "refused": 1}


@dataclass
class OfficeClaim:
    person: str
    post: Entity
    sentence: Sentence


@dataclass
class ArticleEvent:
    """One event as one article reports it, possibly in several sentences."""

    claim: EventClaim
    time: TimeValue | None = None
    on_news_day: bool = False  # undated, it happened on the report's news day (dates.takes_news_day)

    @property
    def type(self) -> str:
        return self.claim.type


@dataclass
class Extraction:
    article: Article
    actors: dict[str, Actor]
    events: list[ArticleEvent]
    offices: list[OfficeClaim]
    mention_counts: dict[str, int] = field(default_factory=dict)
    anchor: dt.date | None = None
    anchor_source: str = ""  # "published", "article" (its own full dates) or "corpus" (shared events)
    days: ReportDays = field(default_factory=lambda: ReportDays(None, None))

    def resolve_dates(self, anchor: dt.date | None = None, source: str = "") -> None:
        """(Re)resolve every event's date against the publication date or the given anchor; an undated event
        told as done on the report's day takes its news day."""
        if anchor is not None:
            self.anchor, self.anchor_source = anchor, source
        for e in self.events:
            if e.claim.date is None:
                e.time = news_time(self.days) if e.on_news_day else None
                continue
            e.time = resolve(e.claim.date, self.days.published, self.anchor,
                             future=e.claim.modality == "planned", said_on=self.days.news_day)
            if e.time.value is None and e.time.earliest is None:
                e.time = None
        _date_by_framing_events(self.events)


def _date_by_framing_events(events: list[ArticleEvent]) -> None:
    """'On the eve of the conversation with Putin, Scholz spoke by phone with Zelensky': an event its sentence
    does not date is dated from the event the sentence's opening frame names (one the same sentence states, else
    the last one told before it: 'the meeting' refers back), when the article dates that one to the day."""
    for e in events:
        c = e.claim
        own = c.date is not None and c.sentence.start <= c.date.start < c.sentence.end
        offset = None if own else offset_from_frame(c.sentence.text)
        if offset is None:
            continue
        dated = [o for o in events if o is not e and o.time is not None and o.time.precision == "day"]
        frame = next((o for o in dated if c.sentence in o.claim.evidence), None) or max(
            (o for o in dated if o.claim.sentence.end <= c.sentence.start), key=lambda o: o.claim.sentence.start,
            default=None)
        if frame is not None and frame.time is not None:
            e.time = shifted(frame.time, offset, c.sentence.text[:40])


class Extractor:
    """The rule-based extractor for one catalog (patterns are compiled once)."""

    def __init__(self, catalog: Catalog | None = None) -> None:
        self.catalog = catalog or load_catalog()
        self.finder = MentionFinder(self.catalog)

    def extract_many(self, articles: list[Article]) -> list[Extraction]:
        """Every article, parsed batch-wise first."""
        docs = parse_many(a.body for a in articles)
        return [self.extract(a, d) for a, d in zip(articles, docs, strict=True)]

    def extract(self, article: Article, doc: Doc | None = None) -> Extraction:
        """One article; `doc` is its body's parse when the caller parsed it already."""
        doc = doc if doc is not None else parse(article.body)
        mentions = self.finder.find(article.body, doc)
        ctx = build_context(article.body, mentions, doc)
        claims: list[EventClaim] = []
        for sentence in article.sentences:
            claims.extend(find_events(sentence, ctx))
        claims = _fold_headlines(claims, article)
        _retarget_demonym_operations(claims)
        _date_at_the_time(claims)
        _date_by_the_previous_sentences(claims, article)
        days = report_days(article.body, ctx.dates, article.published)
        anchor = None if days.published else max(full_dates(article.body, ctx.dates), default=None)
        organs = {k: a.country for k, a in mentions.actors.items() if a.kind == "org" and a.country}
        events = _merge_within_article([ArticleEvent(c) for c in claims], days.published, anchor, organs)
        for e in events:
            e.on_news_day = takes_news_day(e.claim.sentence.text, clause_tense(doc, *e.claim.trigger),
                                           e.claim.modality)
        _date_visits_by_meetings([e.claim for e in events])
        for e in events:  # every actor an event names is described, even one only implied (a visit's host)
            c = e.claim
            for key in [*c.participants, *c.target, *c.subjects, *([c.agent] if c.agent else []),
                        *([c.place] if c.place else [])]:
                entity = self.catalog.get(key)
                if key not in mentions.actors and entity is not None:
                    mentions.actors[key] = Actor(entity.id, entity.kind, entity.label, entity.qid, entity.country,
                                                 entity.source, entity.role)
        offices = []
        seen: set[tuple[str, str]] = set()
        for o in mentions.offices:
            post = self.catalog.post_for(o.role, o.country)
            found = next((s for s in article.sentences if s.start <= o.start < s.end), None)
            if found is None or (o.person, post.id) in seen:
                continue
            seen.add((o.person, post.id))
            mentions.actors.setdefault(post.id, Actor(post.id, "post", post.label, post.qid, post.country,
                                                      post.source, post.role))
            offices.append(OfficeClaim(o.person, post, found))
        counts: dict[str, int] = {}
        for m in mentions.mentions:
            counts[m.key] = counts.get(m.key, 0) + 1
        extraction = Extraction(article, mentions.actors, events, offices, counts, days=days)
        extraction.resolve_dates(anchor, "published" if article.published else "article" if anchor else "")
        if days.published:  # a page's own date stamp serves as its publication date
            extraction.anchor_source = "published" if article.published else "article"
        return extraction


def _merge_within_article(events: list[ArticleEvent], published: dt.date | None,
                          anchor: dt.date | None, organs: dict[str, str] | None = None) -> list[ArticleEvent]:
    """Repeated statements of one event in one article become one event with several evidence sentences."""
    for e in events:
        c = e.claim
        e.time = resolve(c.date, published, anchor, future=c.modality == "planned") if c.date else None
    merged: list[ArticleEvent] = []
    for e in events:
        c = e.claim
        target = None
        for m in merged:
            mc = m.claim
            if mc.type != c.type or (mc.subjects != c.subjects and mc.subjects and c.subjects):
                continue
            if not _times_compatible(m.time, e.time) or _distinct_days(m, e):
                continue
            if c.type in SYMMETRIC:
                overlap = len(mc.actors & c.actors) >= 2
                nested = mc.actors <= c.actors or c.actors <= mc.actors
                same = mc.actors == c.actors or (overlap and nested)
            else:
                same = (_same_agent(mc.agent, c.agent, organs or {}) and
                        (not c.target or not mc.target or set(c.target) <= set(mc.target)
                         or set(mc.target) <= set(c.target)))
            if same:
                target = m
                break
        if target is None:
            merged.append(e)
            continue
        if e.time is not None and (target.time is None or c.date_strength > target.claim.date_strength):
            target.time = e.time
        _absorb(target.claim, c)
    return merged


def _same_agent(a: str | None, b: str | None, organs: dict[str, str]) -> bool:
    """One doer: the same actor, one left unsaid, or a state and one of its organs ('the Foreign Ministry')."""
    return a == b or not a or not b or organs.get(a) == b or organs.get(b) == a


def _distinct_days(a: ArticleEvent, b: ArticleEvent) -> bool:
    """Talks held on Monday and talks planned for Tuesday are two events, however alike."""
    ta, tb = a.time, b.time
    return (ta is not None and tb is not None and ta.precision == tb.precision == "day" and ta.value != tb.value
            and a.claim.modality != b.claim.modality)


def _times_compatible(a: TimeValue | None, b: TimeValue | None) -> bool:
    if a is None or b is None or a.earliest is None or b.earliest is None:
        return True
    slack = dt.timedelta(days=3)
    return a.earliest <= (b.latest or b.earliest) + slack and b.earliest <= (a.latest or a.earliest) + slack


def _absorb(into: EventClaim, other: EventClaim) -> None:
    if other.sentence not in into.evidence:
        into.evidence.append(other.sentence)
    for k in other.participants:
        if k not in into.participants:
            into.participants.append(k)
    for k in other.target:
        if k not in into.target:
            into.target.append(k)
    for k in other.subjects:
        if k not in into.subjects:
            into.subjects.append(k)
    # The first explicit statement (the lead, usually) sets the article's modality for the event.
    if other.explicit_modality and not into.explicit_modality:
        into.modality, into.explicit_modality = other.modality, True
    if other.date is not None and (into.date is None or other.date_strength > into.date_strength):
        into.date, into.date_strength = other.date, other.date_strength
    into.place = into.place or other.place
    into.agent = into.agent or other.agent
    into.confidence = max(into.confidence, other.confidence)
    into.anaphoric = into.anaphoric and other.anaphoric


def _fold_headlines(claims: list[EventClaim], article: Article) -> list[EventClaim]:
    """A headline states the body's event in fewer words: its claim becomes one more piece of evidence of the
    body's claim of that type sharing an actor, not a second, vaguer event."""
    heads = _headline_spans(article)
    is_head = [any(a <= c.sentence.start < b for a, b in heads) for c in claims]
    body = [c for c, head in zip(claims, is_head, strict=True) if not head]
    out = []
    for c, head in zip(claims, is_head, strict=True):
        match = next((b for b in body if b.type == c.type and b.actors & c.actors), None) if head else None
        if match is None:
            out.append(c)
        elif c.sentence not in match.evidence:
            match.evidence.append(c.sentence)
    return out


def _date_by_the_previous_sentences(claims: list[EventClaim], article: Article) -> None:
    """A report goes on about the same day: an undated actual or announced claim that shares an actor with a
    claim dated in its own or one of the two sentences before takes that date ('Pakistan on Thursday closed its
    airspace. Islamabad also cancelled visas ...')."""
    index = {s.start: i for i, s in enumerate(article.sentences)}
    for c in claims:
        if c.date is not None or c.modality not in ("actual", "announced") or c.anaphoric:
            continue
        here = index.get(c.sentence.start, -1)
        for p in reversed(claims):
            there = index.get(p.sentence.start, -9)
            if p.date is not None and p.date_strength >= 1 and 0 <= here - there <= 2 \
                    and p.sentence.start <= c.sentence.start and p.actors & c.actors:
                c.date, c.date_strength = p.date, 0
                break


def _headline_spans(article: Article) -> list[tuple[int, int]]:
    """The lines of headlines and decks that open a body: the title, title-case lines, and lines without a final
    full stop before the first line of prose."""
    spans = []
    offset = 0
    for line in article.body.split("\n"):
        text = line.strip()
        if text and re.search(r"[.!?][\"'”’)]*$", text) and not title_case(text):
            break
        if text:
            spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return spans


def _date_visits_by_meetings(claims: list[EventClaim]) -> None:
    """A visit the text does not date is dated to the meeting it serves (same visitor, same article)."""
    meetings = [c for c in claims if c.type == "meeting" and c.date is not None]
    for v in claims:
        if v.type != "visit" or v.date is not None or not v.agent:
            continue
        for m in meetings:
            if v.agent in m.participants:
                v.date, v.date_strength = m.date, 0
                break
    # ... and a meeting the text does not date took place during the visit of one of its participants.
    visits = [c for c in claims if c.type == "visit" and c.date is not None and c.modality == "actual"]
    for m in claims:
        if m.type == "meeting" and m.date is None and m.modality == "actual":
            visit = next((v for v in visits if v.agent in m.participants), None)
            if visit is not None:
                m.date, m.date_strength = visit.date, 0


def _retarget_demonym_operations(claims: list[EventClaim]) -> None:
    """'the Venezuelan raid' is a raid on Venezuela: when another operation in the article targets the state
    named as the adjective, the adjective names the target, not the attacker."""
    for c in claims:
        if c.type != "military_operation" or c.target or not c.agent:
            continue
        for other in claims:
            if other.type == "military_operation" and other.target == [c.agent] and other.agent:
                c.agent, c.target = other.agent, [c.agent]
                break


def _date_at_the_time(claims: list[EventClaim]) -> None:
    """'At the time, Washington accused ...': the date of the last dated event of an earlier sentence."""
    for i, c in enumerate(claims):
        if c.date is not None or not re.search(r"\b(?:at\s+the\s+time|back\s+then|at\s+that\s+time)\b",
                                               c.sentence.text, re.I):
            continue
        earlier = [p for p in claims[:i] if p.date is not None and p.sentence.start < c.sentence.start]
        if earlier:
            c.date, c.date_strength = earlier[-1].date, 0
