"""Extraction: an article becomes actors, events and office holdings, each tied to its sentences."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..articles import Article, Sentence
from ..catalog import Catalog, Entity, load_catalog
from .dates import TimeValue, full_dates, resolve
from .events import SYMMETRIC, EventClaim, build_context, find_events
from .mentions import Actor, MentionFinder

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

    def resolve_dates(self, anchor: dt.date | None = None, source: str = "") -> None:
        """(Re)resolve every event's date against the publication date or the given anchor."""
        if anchor is not None:
            self.anchor, self.anchor_source = anchor, source
        for e in self.events:
            if e.claim.date is None:
                e.time = None
                continue
            e.time = resolve(e.claim.date, self.article.published, self.anchor,
                             future=e.claim.modality == "planned")
            if e.time.value is None and e.time.earliest is None:
                e.time = None

    @property
    def has_unresolved_years(self) -> bool:
        return any(e.time is not None and e.time.precision == "monthday" for e in self.events) or any(
            e.claim.date is not None and e.time is None and not e.claim.date.needs_publication_date
            for e in self.events)


class Extractor:
    """The rule-based extractor for one catalog (patterns are compiled once)."""

    def __init__(self, catalog: Catalog | None = None) -> None:
        self.catalog = catalog or load_catalog()
        self.finder = MentionFinder(self.catalog)

    def extract(self, article: Article) -> Extraction:
        mentions = self.finder.find(article.body)
        ctx = build_context(article.body, mentions)
        claims: list[EventClaim] = []
        for sentence in article.sentences:
            claims.extend(find_events(sentence, ctx))
        events = [ArticleEvent(c) for c in _merge_within_article(claims)]
        offices = []
        seen: set[tuple[str, str]] = set()
        for o in mentions.offices:
            post = self.catalog.post_for(o.role, o.country)
            sentence = next((s for s in article.sentences if s.start <= o.start < s.end), None)
            if sentence is None or (o.person, post.id) in seen:
                continue
            seen.add((o.person, post.id))
            mentions.actors.setdefault(post.id, Actor(post.id, "post", post.label, post.qid, post.country,
                                                      post.source, post.role))
            offices.append(OfficeClaim(o.person, post, sentence))
        counts: dict[str, int] = {}
        for m in mentions.mentions:
            counts[m.key] = counts.get(m.key, 0) + 1
        extraction = Extraction(article, mentions.actors, events, offices, counts)
        anchor = None if article.published else max(full_dates(article.body), default=None)
        extraction.resolve_dates(anchor, "published" if article.published else "article" if anchor else "")
        if article.published:
            extraction.anchor_source = "published"
        return extraction


def _merge_within_article(claims: list[EventClaim]) -> list[EventClaim]:
    """Repeated statements of one event in one article become one claim with several evidence sentences."""
    merged: list[EventClaim] = []
    for c in claims:
        target = None
        for m in merged:
            if m.type != c.type or m.subjects != c.subjects and m.subjects and c.subjects:
                continue
            if c.type in SYMMETRIC:
                same = m.actors == c.actors
                overlap = len(m.actors & c.actors) >= 2
                nested = m.actors <= c.actors or c.actors <= m.actors
                same = same or (overlap and nested)
            else:
                same = (m.agent == c.agent and (not c.target or not m.target or set(c.target) <= set(
                    m.target) or set(m.target) <= set(c.target)))
            if same:
                target = m
                break
        if target is None:
            merged.append(c)
            continue
        _absorb(target, c)
    return merged


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
    if (other.explicit_modality, MODALITY_RANK[other.modality]) > (into.explicit_modality,
                                                                     MODALITY_RANK[into.modality]):
        into.modality, into.explicit_modality = other.modality, other.explicit_modality
    if into.date is None and other.date is not None:
        into.date = other.date
    into.place = into.place or other.place
    into.confidence = max(into.confidence, other.confidence)
    into.anaphoric = into.anaphoric and other.anaphoric
