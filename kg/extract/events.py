"""Events in news sentences: triggers, arguments, modality, date and place.

Rules are written for the language of news reports, not for particular articles: a trigger (a verb
or noun) marks an event type; its arguments come from the actors of its clause (the subject before
it, the object or a prepositional phrase after it, a state used as an adjective before a noun);
modality comes from cue words around it; its date is the date expression that belongs to it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..articles import Sentence
from ..event_types import Modality
from .dates import DateExpr, dates_in, dates_in_text, effective_date, owned_dates
from .mentions import Mention, Mentions
from .rules import load_rules

if TYPE_CHECKING:
    from spacy.tokens import Doc

SYMMETRIC = {"meeting", "phone_call", "agreement"}
RULES = load_rules("en")
W = r"[\w’'‑-]+"  # a word


def _words(n: int) -> str:
    return rf"(?:{W}\s+){{0,{n}}}?"


POSS = r"(?:[\w‑-]+['’]s\s+|his\s+|her\s+|their\s+|its\s+|the\s+|a\s+|an\s+)"

# A military action someone only suggests or threatens is a threat, not an operation.
DEFINITE = re.compile(r"\b(?:the|this|that|these|its|their|his|her|our|my)\s+(?:[\w‑-]+\s+){0,2}$", re.I)
THREAT_CONTEXT = re.compile(r"\b(?:suggest\w*|threat\w*|warn\w*|could|would|may|might|possib\w*|consider\w*|"
                            r"vow\w*|pledg\w*|mull\w*|floated)\s+" + _words(5) + r"$", re.I)
NEGATION = re.compile(r"(?:\b(?:not|no|never|without|neither|nor|cancel(?:l?ed|s)?|called\s+off|postpon\w+|"
                      r"scrapp\w+|ruled\s+out)\b|n['’]t)\s+" + _words(3) + r"$", re.I)
CALLED_OFF = re.compile(r"[^.;]{0,60}?\b(?:was|were|has\s+been|have\s+been|had\s+been|is|are|got)\s+"
                        r"(?:cancell?ed|called\s+off|postponed|scrapped|shelved|suspended)\b", re.I)
REFUSAL = re.compile(r"\b(?:refus\w*|reject\w*|declin\w*|turn(?:ed|s)?\s+down|block\w*|halt\w*|den(?:ied|ies|y)\s+"
                     r"(?:landing|entry|permission|access|clearance))\s+" + _words(8) + r"$", re.I)
HYPOTHETICAL = re.compile(r"\b(?:might|could|may)\s+(?:be\s+|receive\s+|face\s+)?" + _words(3) + r"$|"
                          r"\b(?:if|fears?|feared|risk)\b[^,;]{0,50}$|\bsimilar\s+to\s+" + _words(3) + r"$", re.I)
CAPACITY = re.compile(r"\b(?:(?:power|powers|authority|right|ability|mandate)\s+to\s+(?:[\w‑-]+\s+(?:or|and)\s+)?|"
                      r"(?:subject|liable|exposed)\s+to\s+(?:[\w‑-]+\s+){0,2})$", re.I)
AIM = re.compile(r"\b(?:efforts?|bids?|attempts?|push|drive|aim|goal|quest|hopes?)\s+to\s+$", re.I)
PAST_FRAME = re.compile(r"\b(?:after|following|during|since|amid|in\s+the\s+wake\s+of|building\s+on|"
                        r"earlier)\s+" + _words(5) + r"$", re.I)
EARLIER_FRAME = re.compile(r"\b(?:after|following|since|in\s+the\s+wake\s+of|triggered\s+by|caused\s+by|"
                           r"prompted\s+by|sparked\s+by)\s+" + _words(5) + r"$", re.I)
PLANNED_BEFORE = re.compile(r"\b(?:will|would|shall|to\s+be|set\s+to|scheduled|due|upcoming|forthcoming|plans?|planned|"
                            r"planning|expect\w*|look(?:s|ing)?\s+forward|invit\w*|prepar\w*|ahead\s+of|arrang\w*|"
                            r"intend\w*|propos\w*|next|future|hopes?\s+to|aims?\s+to|agreed\s+to|going\s+to|"
                            r"tasked|for\s+the|confirmed\s+a|announc\w*|to\s+discuss|conditioned)\b"
                            r"[^.;]{0,80}$", re.I)
PLANNED_AFTER = re.compile(r"^[^.;]{0,60}?\b(?:is|are|was|were|has\s+been|will\s+be)?\s*(?:scheduled|expected|set|"
                           r"planned|to\s+be\s+held|to\s+take\s+place|will\s+take\s+place|would\s+take\s+place|"
                           r"being\s+arranged|arranged|will\s+attract|will\s+include|will\s+be|would\s+be)\b",
                           re.I)
ANNOUNCED = re.compile(r"\b(?:announc\w*|agreed\s+to|agreements?\s+to|authori[sz]\w*|approv\w*|decid\w*|will|"
                       r"would|pledg\w*|vow\w*|plans?\s+to|set\s+to|intend\w*|to\s+be|will\s+have|signed\s+off)\b"
                       r"[^.;]{0,60}$", re.I)
PAST_LOCAL_BEFORE = re.compile(r"\b(?:held|holds|hold|met|had|concluded|began|started|wrapped\s+up|ended|"
                               r"attended)\s+(?:[\w‑-]+\s+){0,3}$", re.I)
PAST_LOCAL_AFTER = re.compile(r"^(?:\s+[\w‑-]+){0,2}\s+(?:(?:was|were)\s+(?:being\s+)?held|took\s+place|began|ended|"
                              r"concluded|lasted|came|marked|went|got\s+under\s+way)\b", re.I)
REPORTED = re.compile(r"\b(?:reportedly|allegedly|purportedly|is\s+said\s+to|are\s+said\s+to|unconfirmed)\b", re.I)
PAST_TENSE_TRIGGER = re.compile(r"^(?:met|held|arrived|landed|visited|travell?ed|flew|signed|reached|struck|"
                                r"revoked|cancell?ed|imposed|lifted|waived|extradited|deported|captured|arrested|"
                                r"detained|raided|bombed|attacked|invaded|threatened|warned|accused|condemned)$", re.I)
# Clause boundaries: the subject of a verb is looked for inside its own clause first.
CLAUSE = re.compile(r";|:|\s[–—-]\s|—|"
                    r",\s+(?=(?:[A-Z][\w.’'‑-]*\s+){1,4}(?:\w+ly\s+)?(?:[a-z]+ed|[a-z]+s|said|told)\b)|"
                    r",\s+(?:while|whereas|but|and|when|where|which|who|after|before|as|"
                    r"with|saying|writing|calling|describing|accusing|reversing|including|amid)\b|"
                    r"\b(?:while|whereas|when|where|which|who|that|after|before|because|although)\b")
SUBJECT_KINDS = {"person", "state", "org"}
MEDIA_ROLES = {"media"}


@dataclass
class EventClaim:
    """One event as one sentence of one article states it (before merging within the article)."""

    type: str
    sentence: Sentence
    trigger: tuple[int, int]  # body offsets
    trigger_text: str
    participants: list[str] = field(default_factory=list)
    agent: str | None = None
    target: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    place: str | None = None
    date: DateExpr | None = None  # offsets in the body
    modality: Modality = "actual"
    explicit_modality: bool = False  # set by a cue word, not by default
    confidence: float = 0.8
    anaphoric: bool = False
    reciprocal: bool = False  # granted both ways: the mirrored event is stated too
    date_strength: int = 0  # 2: right next to the trigger; 1: elsewhere in the sentence
    style: str = "verb"
    evidence: list[Sentence] = field(default_factory=list)

    @property
    def actors(self) -> frozenset[str]:
        return frozenset([*self.participants, *([self.agent] if self.agent else []), *self.target])


@dataclass
class Context:
    """What an article knows when it reads one sentence."""

    text: str
    mentions: Mentions
    kinds: dict[str, str]
    countries: dict[str, str]
    roles: dict[str, str]
    main_pair: list[str]
    states_by_salience: list[str]
    triggers: list[tuple[int, int, str, str, float]] = field(default_factory=list)  # over the whole body
    dates: list[DateExpr] = field(default_factory=list)  # over the whole body
    doc: Doc | None = None  # the body's parse


def build_context(text: str, mentions: Mentions, doc: Doc | None = None) -> Context:
    people = Counter(m.key for m in mentions.mentions if m.kind == "person" and m.how != "pronoun")
    states = Counter(m.key for m in mentions.mentions if m.kind == "state")
    first: dict[str, int] = {}
    for m in mentions.mentions:
        first.setdefault(m.key, m.start)
    ranked = sorted(people, key=lambda k: (-people[k], first[k]))
    triggers = [(m.start(), m.end(), t.type, t.style, t.confidence) for t in RULES.triggers
                for m in t.pattern.finditer(text)]
    return Context(doc=doc, triggers=triggers, dates=[d for d in dates_in_text(text, doc) if not d.open_bound],
        text=text, mentions=mentions,
        kinds={k: a.kind for k, a in mentions.actors.items()},
        countries={k: (a.key if a.kind == "state" else a.country) for k, a in mentions.actors.items()},
        roles={k: a.role for k, a in mentions.actors.items()},
        main_pair=[k for k in ranked[:2] if people[k] >= 2],
        states_by_salience=sorted(states, key=lambda k: (-states[k], first[k])),
    )


def _clauses(sentence: Sentence) -> list[tuple[int, int]]:
    """Body-offset spans of the clauses of a sentence."""
    cuts = [sentence.start] + [sentence.start + m.start() for m in CLAUSE.finditer(sentence.text)] + [sentence.end]
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


def _clause_of(clauses: list[tuple[int, int]], at: int) -> int:
    for i, (a, b) in enumerate(clauses):
        if a <= at < b:
            return i
    return len(clauses) - 1


def _actor_mentions(ctx: Context, start: int, end: int) -> list[Mention]:
    return [m for m in ctx.mentions.mentions
            if m.start >= start and m.end <= end and m.kind in ("person", "state", "org", "group")
            and ctx.roles.get(m.key) not in MEDIA_ROLES]


def _standalone(text: str, ms: list[Mention], m: Mention) -> bool:
    """A state adjective standing for its state ('US forces'), not one qualifying a person ('US President X')."""
    if not m.modifier:
        return True
    follow = [x for x in ms if x.start >= m.end and x.start - m.end <= 45 and x.kind == "person"]
    if not follow:
        return True
    # Only capitalised role words between the adjective and the person: 'US Secretary of State Marco Rubio'.
    between = text[m.end:follow[0].start]
    return not re.fullmatch(r"[\s‑-]*(?:(?:[A-Z][\w.]*|of|the|leader|president|minister|foreign|defen[cs]e|"
                            r"secretary|ambassador|envoy|senator|spokes(?:man|woman|person)|counterpart|former|"
                            r"opposition|prime|vice|top|chief)\s+)*", between)



Trig = tuple[int, int, str, str, float]  # start, end, event type, style, confidence


def find_events(sentence: Sentence, ctx: Context) -> list[EventClaim]:
    """The event claims one sentence makes."""
    found: list[Trig] = []
    # Patterns ran once over the body (in file order); keep this sentence's, the first of overlapping ones.
    for a, b, etype, style, conf in ctx.triggers:
        if a < sentence.start or b > sentence.end:
            continue
        if any(a < y and x < b and (etype == t or _same_family(etype, t)) for x, y, t, _, _ in found):
            continue
        found.append((a, b, etype, style, conf))
    clauses = _clauses(sentence)
    dates = dates_in(sentence.start, sentence.end, ctx.dates)
    claims: list[EventClaim] = []
    for trig in sorted(found):
        claim = _claim(trig, sentence, ctx, clauses)
        if claim is None:
            continue
        if claim.type == "sanction_lifted":
            _lifted_as_imposed(claim, claims)
        if not _complete(claim, ctx):
            continue
        _date_and_place(claim, dates, found, ctx)
        claims.append(claim)
        # 'Britain, Canada and Norway imposed sanctions': one event per coordinated agent.
        claims.extend(replace(claim, agent=k, target=list(claim.target), evidence=[sentence])
                      for k in _coordinated_agents(ctx, claim))
        if claim.reciprocal and claim.agent:
            claims.append(replace(claim, agent=claim.target[0], target=[claim.agent], evidence=[sentence]))
    return _dedupe_sentence(claims)


def _claim(trig: Trig, sentence: Sentence, ctx: Context, clauses: list[tuple[int, int]]) -> EventClaim | None:
    """The claim one trigger makes, with its modality and arguments; None when the text says it did not happen."""
    a, b, etype, style, conf = trig
    before = ctx.text[max(sentence.start, a - 70):a]
    if etype == "military_operation" and THREAT_CONTEXT.search(before[-60:]):
        etype, style = "threat", "noun"
    if (NEGATION.search(before[-40:]) or CALLED_OFF.match(ctx.text[b:sentence.end]) or _negated(ctx, a)) \
            and etype != "threat":
        return None
    if HYPOTHETICAL.search(before) and etype in ("meeting", "threat") and style != "consequence":
        return None
    if CAPACITY.search(before[-50:]) or AIM.search(before[-40:]):
        return None  # 'the power to detain or deport', 'efforts to reach a ceasefire': no act
    claim = EventClaim(etype, sentence, (a, b), ctx.text[a:b], confidence=conf, style=style)
    claim.modality, claim.explicit_modality = _modality(etype, ctx.text, sentence, a, b, claim.trigger_text)
    if style == "policy" and claim.modality == "actual" and not BEGAN.search(before[-50:]):
        claim.modality = "announced"  # a policy is announced before it applies, unless the text says it began
    if style == "noun" and etype in SYMMETRIC and DEFINITE.search(before[-30:]) \
            and not re.match(r"\s+(?:with|between)\b", ctx.text[b:b + 12]):
        # 'the meeting', 'this high-level meeting': the event already spoken of, between the main pair.
        claim.participants = list(ctx.main_pair)
        claim.anaphoric = True
        claim.explicit_modality = claim.explicit_modality and (
            claim.modality != "actual" or bool(PAST_LOCAL_BEFORE.search(before[-40:])
                                               or PAST_LOCAL_AFTER.match(ctx.text[b:sentence.end])))
    else:
        _arguments(claim, style, ctx, clauses)
    return claim


BEGAN = re.compile(r"\b(?:granted|introduced|began|started|took\s+effect|came\s+into\s+(?:force|effect))\s+"
                   r"(?:\S+\s+){0,4}$", re.I)


def _lifted_as_imposed(claim: EventClaim, claims: list[EventClaim]) -> None:
    """Sanctions lifted without naming whose or on whom are the ones the sentence said were imposed."""
    if not claim.target:
        imposed = [c for c in claims if c.type == "sanction_imposed" and c.target]
        if imposed:
            claim.target, claim.agent = list(imposed[-1].target), claim.agent or imposed[-1].agent
            claim.confidence -= 0.15
    if claim.agent is None:
        imposed = [c for c in claims if c.type == "sanction_imposed" and c.agent]
        if imposed:
            claim.agent = imposed[-1].agent
            claim.confidence -= 0.15


def _date_and_place(claim: EventClaim, dates: list[DateExpr], found: list[Trig], ctx: Context) -> None:
    a, b = claim.trigger
    claim.date = _date_for(claim, owned_dates(ctx.doc, dates, claim.sentence.start, claim.trigger), claim.sentence,
                           found)
    effective = effective_date(dates) if claim.modality in ("announced", "planned") else None
    applies = effective is not None and (claim.style == "policy" or claim.date is None)
    if effective is not None and applies:
        # 'which will come into effect on March 1': an announced measure's date is the day it applies.
        claim.date = replace(effective, start=effective.start + claim.sentence.start,
                             end=effective.end + claim.sentence.start)
    if claim.date is not None:
        gap = min(abs(claim.date.start - b), abs(a - claim.date.end))
        claim.date_strength = 3 if applies else 2 if gap <= 20 or (
            claim.date.end <= a and not re.search(r"[,;]", ctx.text[claim.date.end:a])) else 1
    claim.place = _place_for(claim, ctx, claim.sentence)
    claim.evidence = [claim.sentence]


LIST_GAP = re.compile(r"\s*(?:,|,?\s+and|,?\s+as\s+well\s+as)\s+(?:the\s+)?")


def _coordinated_after(ctx: Context, first: Mention, end: int) -> list[str]:
    """The actors coordinated with `first` after it ('the US, Britain and France')."""
    out: list[str] = []
    cursor = first
    for m in _actor_mentions(ctx, first.end, end):
        if m.kind != first.kind or not LIST_GAP.fullmatch(ctx.text[cursor.end:m.start]):
            break
        out.append(m.key)
        cursor = m
    return out


def _coordinated_agents(ctx: Context, claim: EventClaim) -> list[str]:
    """The other states of a coordinated list that the agent state belongs to (before the trigger)."""
    if claim.type in SYMMETRIC or not claim.agent or ctx.kinds.get(claim.agent) != "state":
        return []
    s = claim.sentence
    ms = [m for m in _actor_mentions(ctx, s.start, claim.trigger[0]) if not m.modifier or m.kind == "state"]
    at = next((i for i in range(len(ms) - 1, -1, -1) if ms[i].key == claim.agent), None)
    if at is None:
        return []
    group = [ms[at]]
    for step in (-1, 1):
        i = at + step
        while 0 <= i < len(ms) and ms[i].kind == "state":
            left, right = (ms[i], group[0]) if step < 0 else (group[-1], ms[i])
            if not LIST_GAP.fullmatch(ctx.text[left.end:right.start]):
                break
            group.insert(0, ms[i]) if step < 0 else group.append(ms[i])
            i += step
    return [k for k in dict.fromkeys(m.key for m in group) if k != claim.agent and k not in claim.target]


def _same_family(a: str, b: str) -> bool:
    families = [{"visa_revocation", "visa_grant_or_waiver"}, {"sanction_imposed", "sanction_lifted"},
                {"meeting", "phone_call"}, {"military_operation", "threat"},
                # 'lifted the visa restrictions' is about visas, not sanctions
                {"visa_grant_or_waiver", "sanction_lifted"}, {"visa_revocation", "sanction_imposed"}]
    return any(a in f and b in f for f in families)


def _modality(etype: str, text: str, sentence: Sentence, a: int, b: int, trigger: str) -> tuple[Modality, bool]:
    """The source's modality for the event, and whether a cue word said so (rather than the default)."""
    start = _clause_start(sentence, a)
    before = text[max(start, a - 100):a]
    after = text[b:min(sentence.end, b + 80)]
    if etype == "threat":
        return "threatened", True
    if re.match(r"invit", trigger, re.I) or re.search(r"\bdue\b", trigger, re.I):
        return "planned", True  # an invitation is a visit still to come; so is a visitor 'due in' a capital
    if REFUSAL.search(text[max(sentence.start, a - 80):a]) or re.search(r"\b(?:rejections?|refusals?)\s+of\s+$",
                                                                        text[max(sentence.start, a - 20):a]):
        return "refused", True
    if re.search(r"\bthreat\w*\s+to\s+[^.;]{0,40}$", before, re.I):
        return "threatened", True  # 'threatened to impose 25% tariffs'

    if REPORTED.search(text[max(sentence.start, a - 80):min(sentence.end, b + 30)]):
        return "reported", True
    if PAST_FRAME.search(text[max(sentence.start, a - 50):a]) or PAST_TENSE_TRIGGER.match(trigger.split()[0]):
        if not re.search(r"\b(?:will|would|set\s+to|to)\s+$", before):
            return "actual", True
    encounter = etype in ("meeting", "phone_call", "visit", "agreement")
    if encounter:
        if PAST_LOCAL_BEFORE.search(text[max(sentence.start, a - 40):a]) or PAST_LOCAL_AFTER.match(after):
            return "actual", True
        if PLANNED_BEFORE.search(before) or PLANNED_AFTER.match(after):
            return "planned", True
        past = re.search(r"\b(?:held|met|took\s+place|came|was|were|had|spoke|talked|arrived|hosted)\b",
                         text[sentence.start:sentence.end])
        return "actual", bool(past)
    if ANNOUNCED.search(text[max(sentence.start, a - 60):a]) or re.match(r"^\s*(?:will|would)\b", after):
        return "announced", True
    return "actual", False


PREP_BEFORE = re.compile(r"\b(?:in|on|of|to|from|against|with|by|for|at|into|over|about|between|among|amid|"
                         r"like|toward|towards|than|via|through)\s+(?:the\s+|a\s+|an\s+)?"
                         r"(?:[\w‑-]+\s+){0,3}$",
                         re.I)
AGENTIVE_NOUNS = re.compile(r"^[\s‑-]+(?:military|forces|troops|government|administration|officials|authorities|"
                            r"navy|army|air\s+force|police|agents|embassy|Embassy|Treasury|Justice|warplanes|jets|"
                            r"drones|aircraft|missiles|artillery|soldiers|prosecutors|courts?|judges?)\b")


def _candidates(ctx: Context, start: int, end: int, sentence: Sentence, kinds: set[str]) -> list[Mention]:
    """Actors that can be the subject of a verb: not inside a prepositional phrase or a quote, not adjectives
    of a person, and adjectives only when they stand for an agent ('US forces', 'the US administration')."""
    ms = _actor_mentions(ctx, start, end)
    out = []
    for m in ms:
        if m.kind not in kinds or _inside_quote(ctx.text, sentence, m.start):
            continue
        if PREP_BEFORE.search(ctx.text[max(sentence.start, m.start - 30):m.start]):
            continue
        if m.modifier and not (_standalone(ctx.text, ms, m) and AGENTIVE_NOUNS.match(ctx.text[m.end:m.end + 25])):
            continue
        out.append(m)
    return out


def _subject(ctx: Context, clauses: list[tuple[int, int]], at: int, sentence: Sentence,
             kinds: set[str] = SUBJECT_KINDS) -> Mention | None:
    """The actor doing the verb at `at`: the nearest subject-like actor before it in its clause (the first one
    when verbs are coordinated: 'X condemned Y and accused Z'), else the first of an earlier clause."""
    parsed = _parsed_subject(ctx, at)
    if parsed == PASSIVE and kinds == SUBJECT_KINDS:
        return None  # 'was arrested', 'to be detained': the doer is only ever a 'by' phrase
    if parsed is not None and parsed != PASSIVE:
        start, end, head = parsed
        phrase = _actor_mentions(ctx, start, end)
        quoted = _inside_quote(ctx.text, sentence, at)  # a verb inside a quote has its subject there too
        inside = [m for m in phrase if m.kind in kinds and (quoted or not _inside_quote(ctx.text, sentence, m.start))
                  and (not m.modifier or AGENTIVE_NOUNS.match(ctx.text[m.end:m.end + 25]))]
        if inside:
            return next((m for m in inside if m.start <= head < m.end), inside[-1])
        phrase_span = ctx.doc.char_span(start, end, alignment_mode="expand") if ctx.doc is not None else None
        if phrase_span is not None and phrase_span.root.pos_ != "PRON":
            return None  # 'the strikes targeted ...', 'six missiles hit ...': the subject is no actor
    i = _clause_of(clauses, at)
    a, _ = clauses[i]
    own = _candidates(ctx, a, at, sentence, kinds)
    if own:
        nearest = own[-1]
        # 'X criticised Y and suggested ...': Y is the object of the first verb; the subject is X.
        if len(own) > 1 and re.search(r"\band\s+(?:\w+ly\s+)?(?:had\s+|has\s+)?\w+(?:ed|s)\b",
                                      ctx.text[nearest.end:at + 15]):
            return own[0]
        return nearest
    for j in range(i - 1, -1, -1):
        ca, cb = clauses[j]
        found = _candidates(ctx, ca, min(cb, at), sentence, kinds)
        if found:
            return found[0]
    return None


PASSIVE = (-1, -1, -1)  # the verb is passive: its grammatical subject is what is done to


def _parsed_subject(ctx: Context, at: int) -> tuple[int, int, int] | None:
    """The grammatical subject of the verb at `at` by the parse: (start, end) of its phrase and its head's offset;
    None when there is no parse, the trigger is no verb, or the parse names no subject."""
    if ctx.doc is None:
        return None
    span = ctx.doc.char_span(at, at + 1, alignment_mode="expand")
    if span is None or len(span) == 0 or span[0].pos_ not in ("VERB", "AUX"):
        return None
    verb = span[0]
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
        return PASSIVE
    for _ in range(4):
        subjects = [c for c in verb.children if c.dep_ in RULES.subject_deps]
        if subjects:
            s = subjects[0]
            last = s.right_edge
            return s.left_edge.idx, last.idx + len(last.text), s.idx
        if verb.dep_ not in RULES.shared_subject_deps or verb.head is verb:
            return None
        verb = verb.head
    return None


def _subject_is_no_actor(ctx: Context, at: int) -> bool:
    """The parse names a subject for the verb at `at`, and no actor is in it."""
    parsed = _parsed_subject(ctx, at)
    if parsed is None or parsed == PASSIVE:
        return False
    return not _actor_mentions(ctx, parsed[0], parsed[1])


def _subject_is_group(ctx: Context, at: int) -> bool:
    """The parse's subject of the verb at `at` names only groups ('the first 250 detainees')."""
    parsed = _parsed_subject(ctx, at)
    if parsed is None or parsed == PASSIVE:
        return False
    inside = _actor_mentions(ctx, parsed[0], parsed[1])
    return bool(inside) and all(m.kind == "group" for m in inside)


def _inside_quote(text: str, sentence: Sentence, at: int) -> bool:
    segment = text[sentence.start:at]
    return (segment.count("“") > segment.count("”")) or segment.count('"') % 2 == 1


def _after(ctx: Context, start: int, end: int, kinds: set[str], limit: int = 120) -> list[Mention]:
    ms = _actor_mentions(ctx, start, min(end, start + limit))
    return [m for m in ms if m.kind in kinds and _standalone(ctx.text, ms, m)]


# Words that end a noun phrase: an actor before them does not qualify the noun after them ('X said the strikes').
NOT_MODIFIER = re.compile(r"\b(?:the|a|an|any|this|that|these|those|said|says|told|and|or|of|to|in|on|at|by|for|"
                          r"with|against|from|into|over|after|before|about|under|during|was|were|is|are|has|have|had|"
                          r"will|would|could|may|might)\b", re.I)


def _negated(ctx: Context, at: int) -> bool:
    """The parse negates the trigger's verb ('has so far not imposed', 'never visited'), or the verb whose
    object the trigger is ('did not hold talks')."""
    if ctx.doc is None:
        return False
    span = ctx.doc.char_span(at, at + 1, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    token = span[0]
    verb = token if token.pos_ in ("VERB", "AUX") else token.head if token.dep_ in ("dobj", "nsubjpass") else None
    return verb is not None and any(c.dep_ == "neg" for c in verb.children)


def _nominal(ctx: Context, start: int, end: int) -> bool:
    """Only words of a noun phrase (adjectives, nouns, numbers, a possessive) between two offsets."""
    assert ctx.doc is not None
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    return span is None or all(t.pos_ in ("ADJ", "NOUN", "PROPN", "NUM", "PART", "PUNCT", "DET") or t.is_space
                               for t in span if t.idx >= start and t.idx < end)


def _modifier_before(ctx: Context, at: int, sentence: Sentence) -> Mention | None:
    """'US military raid', 'Washington's sanctions': a state (or person) named right before a noun."""
    ms = _actor_mentions(ctx, max(sentence.start, at - 40), at)
    if not ms:
        return None
    last = ms[-1]
    between = ctx.text[last.end:at]
    if ctx.doc is not None and between.strip() and not _nominal(ctx, last.end, at):
        return None  # 'Venezuela rejected deportation flights': a verb stands between, so no modifier
    if re.fullmatch(r"(?:['’]s)?\s*(?:" + _words(2) + r")?", between) and last.kind in ("state", "person", "org") \
            and not NOT_MODIFIER.search(between):
        return last
    return None


@dataclass
class Args:
    """What the argument rules of one claim read: its clause structure, the clause's subject and the actor named
    right before the trigger."""

    claim: EventClaim
    style: str
    ctx: Context
    clauses: list[tuple[int, int]]
    subject: Mention | None
    modifier: Mention | None

    def where(self) -> tuple[int, int, Sentence]:
        """The trigger's offsets and its sentence."""
        return self.claim.trigger[0], self.claim.trigger[1], self.claim.sentence

    def state_after(self, role: str, limit: int = 80) -> Mention | None:
        """The state named after the trigger behind one of the role's prepositions ('extradited to X',
        'deportation flights from X')."""
        _, b, s = self.where()
        return _prep_target(self.ctx, b, s.end, RULES.prepositions(self.claim.type, role), {"state"}, limit)


def _arguments(claim: EventClaim, style: str, ctx: Context, clauses: list[tuple[int, int]]) -> None:
    a = claim.trigger[0]
    s = claim.sentence
    if claim.type in SYMMETRIC:
        _participants(claim, ctx, clauses)
        return
    subject = _subject(ctx, clauses, a, s)
    if claim.type == "visit":
        _visit(claim, style, ctx, clauses, subject)
    elif style == "policy":
        _policy(claim, ctx, clauses, subject)
    elif style == "ultimatum":
        _ultimatum(claim, ctx)
    elif style == "consequence":
        _consequence(claim, ctx, clauses)
    elif claim.type in ARGUMENT_RULES:
        ARGUMENT_RULES[claim.type](Args(claim, style, ctx, clauses, subject, _modifier_before(ctx, a, s)))


def _args_visa(x: Args) -> None:
    claim, ctx, clauses, style = x.claim, x.ctx, x.clauses, x.style
    a, b, s = x.where()
    subject = x.subject
    holder = _possessor(ctx, s, a, b) or _first(_after(ctx, b, s.end, {"person", "group"}))
    by = _by_agent(ctx, b, s.end)
    if style == "passive" and holder is None:
        holder = _subject(ctx, clauses, a, s, {"person"})
    claim.target = [holder.key] if holder else []
    agent = by or (subject if subject and subject.key not in claim.target and subject.kind != "person" else None)
    if agent is None and subject and subject.kind == "person" and subject.key not in claim.target:
        agent = subject
    claim.agent = agent.key if agent else _foreign_state(ctx, claim.target)


def _args_sanction(x: Args) -> None:
    claim, ctx, clauses, style = x.claim, x.ctx, x.clauses, x.style
    a, b, s = x.where()
    subject, modifier = x.subject, x.modifier
    targets = _after(ctx, b, s.end, {"person", "state", "org", "group"}, limit=90)
    after_text = ctx.text[b:b + 6]
    if style == "passive" or not re.match(r"\s*(?:on|against)?\s*", after_text):
        # 'sanctions on X's exports were lifted': the target is named inside the trigger
        targets = [m for m in _actor_mentions(ctx, a, b) if m.kind != "person" or style == "passive"] \
            if style == "passive" and re.search(r"\b(?:on|against)\s", claim.trigger_text) else []
    if style == "passive":
        agent = _by_agent(ctx, b, s.end)  # 'sanctions were lifted by X'; else whoever imposed them
        claim.agent = agent.key if agent else None
    else:
        agent = subject if style == "verb" else (modifier or _own_clause_subject(ctx, clauses, a, s))
        if agent is not None and agent.kind == "group":
            agent = None
        claim.agent = agent.key if agent else None
    targets = _list_after(ctx, b, targets)
    claim.target = [m.key for m in targets if m.key != claim.agent]
    if claim.agent is None:
        claim.agent = _foreign_state(ctx, claim.target)


def _args_extradition(x: Args) -> None:
    claim, ctx = x.claim, x.ctx
    _, b, s = x.where()
    subjects = _after(ctx, b, s.end, {"person", "group"}, limit=60)
    to = x.state_after("target")
    claim.subjects = [m.key for m in subjects[:1]]
    claim.target = [to.key] if to else []
    actor = x.subject or x.modifier
    claim.agent = ctx.countries.get(actor.key) if actor else None
    if claim.agent == (claim.target[0] if claim.target else None):
        claim.agent = None
    if claim.agent is None and claim.target:  # the state sending people to the target is the other state talked of
        claim.agent = _foreign_state(ctx, claim.target)


def _args_deportation(x: Args) -> None:
    claim, ctx, s = x.claim, x.ctx, x.claim.sentence
    subject, modifier = x.subject, x.modifier
    agent = modifier if modifier and modifier.kind == "state" else None
    if agent is None:  # 'deportation flights from the United States'
        agent = x.state_after("agent", limit=40)
    to = x.state_after("target")
    receiver = to or (subject if subject and subject.kind == "state" and (not agent or subject.key != agent.key)
                      else None)
    claim.agent = agent.key if agent else None
    claim.target = [receiver.key] if receiver else []
    if claim.agent is None and subject and subject.kind == "state" and receiver is not subject:
        claim.agent = subject.key
    if claim.agent is None:
        claim.agent = _foreign_state(ctx, claim.target)
    if not claim.target and claim.agent:
        other = [k for k in ctx.states_by_salience if k != claim.agent]
        claim.target = other[:1]
    claim.subjects = [m.key for m in _actor_mentions(ctx, s.start, s.end) if m.kind == "group"][:1]


def _args_military(x: Args) -> None:
    claim, ctx, clauses, style = x.claim, x.ctx, x.clauses, x.style
    a, b, s = x.where()
    t = claim.type
    clause_end = clauses[_clause_of(clauses, a)][1]
    subject, modifier = x.subject, x.modifier
    agent = modifier if style == "noun" and modifier else subject
    if style == "noun" and not modifier and not (subject and subject.modifier) \
            and not _performed(ctx.text[s.start:a], claim.trigger_text):
        # 'in retaliation for the attack': a bare nominal operation is not done by the clause's subject.
        agent = _by_agent(ctx, b, s.end)
    if agent and agent.kind == "person" and modifier is None and subject is not None:
        agent = subject
    claim.agent = agent.key if agent else None
    target = _prep_target(ctx, b, clause_end if style == "verb" else s.end,
                          RULES.prepositions(t, "target"), {"state", "org"}, limit=50)
    if target is not None and target.kind == "org" and not ctx.countries.get(target.key) \
            and ctx.roles.get(target.key) in MEDIA_ROLES:
        target = None
    if target is None and (style == "verb" or re.search(r"ed$", claim.trigger_text)):
        nxt = _after(ctx, b, clause_end, {"state"}, limit=40)
        target = nxt[0] if nxt else None
    if target is None:  # 'struck Ukrainian cities': the object is inside the trigger
        inside = [m for m in _actor_mentions(ctx, a + 1, b) if m.kind == "state"]
        target = inside[0] if inside else None
    target_key = target.key if target else _place_state(ctx, b, s.end)
    claim.target = [target_key] if target_key and target_key != claim.agent else []


def _args_arrest(x: Args) -> None:
    claim, ctx, clauses = x.claim, x.ctx, x.clauses
    a, b, s = x.where()
    subject, modifier = x.subject, x.modifier
    possessive = modifier is not None and modifier.kind == "person" and \
        re.match(r"['’]s\s", ctx.text[modifier.end:modifier.end + 3])
    target = modifier if possessive else _first(_after(ctx, b, s.end, {"person", "group"}, limit=80))
    if target is None or re.match(r"\s+(?:was|were|had been)\b", ctx.text[b - 30:b]):
        target = target or _subject(ctx, clauses, a, s, {"person"})
    claim.target = [target.key] if target else []
    verbal = re.search(r"(?:ed|ing|s)$", claim.trigger_text) is not None
    # 'the ICC's request for his arrest': a nominal arrest is done by a state named on it, not by the subject
    agent = subject if verbal and subject and subject.kind in ("state", "org") else modifier
    if agent is not None and agent.kind == "person":
        agent = None
    claim.agent = agent.key if agent and agent.key not in claim.target else None
    if claim.agent is None:  # else the state whose forces are named, or where the arrest happened
        claim.agent = _nearby_agent_state(ctx, s) or (_place_state(ctx, b, s.end) if verbal else None)


def _args_directed(x: Args) -> None:
    claim, ctx, clauses, style = x.claim, x.ctx, x.clauses, x.style
    a, b, s = x.where()
    t = claim.type
    clause_end = clauses[_clause_of(clauses, a)][1]
    subject, modifier = x.subject, x.modifier
    if style == "passive":  # 'the ambassador's accreditation was revoked': the one named before is the target
        before = [m for m in _actor_mentions(ctx, s.start, a) if m.kind in ("person", "group")]
        by = _by_agent(ctx, b, s.end)
        claim.target = [before[-1].key] if before else []
        claim.agent = by.key if by else None
        return
    nominal = style == "noun" or re.search(r"(?:ions?|threats?)$", claim.trigger_text, re.I)
    if nominal and t == "statement":
        agent = modifier or _own_clause_subject(ctx, clauses, a, s)
    else:
        agent = subject if style == "verb" else (modifier or subject)
    if agent is None and _inside_quote(ctx.text, s, a):  # '"We condemn ...," the minister said': the speaker's
        agent = _speaker(ctx, s)
    claim.agent = agent.key if agent else None
    kinds = {"person", "state", "org"} if t != "expulsion" else {"state", "person", "group"}
    direct = _after(ctx, b, clause_end, kinds | {"group"}, limit=30 if t != "expulsion" else 60)
    if t == "expulsion":  # 'declared the Indian naval advisers persona non grata': the people, not their state
        direct = [m for m in direct if m.kind != "state" or not m.modifier] or direct
    target = direct[0] if direct and direct[0].start - b <= (14 if t != "expulsion" else 45) else None
    if target is None and NAMING.match(claim.trigger_text):
        claim.target = []  # 'what X has branded a ...': a naming verb's target is its direct object only
        return
    if target is None and not re.match(r"on\b", trigger_tail(claim)):
        target = _prep_target(ctx, b, s.end, RULES.prepositions(t, "target"), kinds, limit=60)
    if target is None:
        nxt = _after(ctx, b, clause_end if t == "statement" else s.end, kinds, limit=70)
        target = nxt[0] if nxt else None
    claim.target = [target.key] if target and target.key != claim.agent else []
    if target is not None:  # 'warned the US and Britain': every state of the list
        claim.target += [k for k in _coordinated_after(ctx, target, s.end) if k not in claim.target]


ARGUMENT_RULES: dict[str, Callable[[Args], None]] = {
    "visa_revocation": _args_visa,
    "visa_grant_or_waiver": _args_visa,
    "sanction_imposed": _args_sanction,
    "sanction_lifted": _args_sanction,
    "extradition": _args_extradition,
    "deportation": _args_deportation,
    "military_operation": _args_military,
    "arrest": _args_arrest,
    "threat": _args_directed,
    "statement": _args_directed,
    "expulsion": _args_directed,
}


PERFORMED = re.compile(r"\b(?:launch\w*|carr(?:y|ied|ies|ying)\s+out|conduct\w*|stag(?:e|ed|es|ing)|beg[au]n|"
                       r"start\w*|order\w*|mount\w*|unleash\w*|execut\w*|authori[sz]\w*|escalat\w*|"
                       r"continu\w*|intensif\w*|resum\w*|step\w*\s+up)\s+(?:[\w‑-]+\s+){0,5}$", re.I)


def _performed(before: str, trigger: str) -> bool:
    """Whether a nominal operation is done by the clause's subject: a verb form ('attacked', 'invaded') or the
    object of a verb of doing ('launched strikes', 'carried out a raid')."""
    return bool(re.search(r"(?:ed|ing)$", trigger.split()[-1], re.I)) or bool(PERFORMED.search(before))


NAMING = re.compile(r"(?:branded|dubbed|labell?ed|call(?:ed|ing|s)?|describ\w+)$", re.I)


def trigger_tail(claim: EventClaim) -> str:
    """The last word of the trigger ('on' for 'called on')."""
    return claim.trigger_text.split()[-1].lower()


def _own_clause_subject(ctx: Context, clauses: list[tuple[int, int]], at: int, s: Sentence) -> Mention | None:
    i = _clause_of(clauses, at)
    found = _candidates(ctx, clauses[i][0], at, s, SUBJECT_KINDS)
    return found[-1] if found else None


def _place_state(ctx: Context, b: int, end: int) -> str | None:
    """The state of a place struck: 'an air strike on Gaza' targets the state the place belongs to."""
    m = re.match(r"[^.;]{0,40}?\b(?:on|in|against|into)\s+(?:the\s+)?", ctx.text[b:end])
    if not m:
        return None
    start = b + m.end()
    for x in ctx.mentions.mentions:
        if start <= x.start <= start + 3 and (x.kind == "place" or x.place):
            return ctx.countries.get(x.place or x.key) or None
    return None


def _first(ms: list[Mention]) -> Mention | None:
    return ms[0] if ms else None


def _possessor(ctx: Context, s: Sentence, a: int, b: int) -> Mention | None:
    """Whose visa: 'Petro's visa', 'his visa', 'Petro, whose visa', 'the visa of Petro'."""
    window = _actor_mentions(ctx, max(s.start, a - 5), b)
    persons = [m for m in window if m.kind == "person"]
    if persons:
        return persons[-1]
    m = re.search(r"([\w‑-]+),\s+whose\s+" + _words(1) + r"$", ctx.text[s.start:a + 20][:a - s.start + 1])
    if m or re.search(r"\bwhose\b", ctx.text[max(s.start, a - 30):a]):
        before = [x for x in _actor_mentions(ctx, s.start, a) if x.kind == "person"]
        return before[-1] if before else None
    return None


def _by_agent(ctx: Context, b: int, end: int) -> Mention | None:
    m = re.match(r"[^.;]{0,30}?\bby\s+", ctx.text[b:end])
    if not m:
        return None
    ms = _actor_mentions(ctx, b + m.end(), min(end, b + m.end() + 40))
    # 'by X', 'by the Iranian-backed X': only a determiner and adjectives may stand between.
    return ms[0] if ms and re.fullmatch(r"(?:the\s+)?(?:[\w-]+-\w+\s+|[a-z]+\s+)?",
                                        ctx.text[b + m.end():ms[0].start]) else None


def _prep_target(ctx: Context, b: int, end: int, preps: tuple[str, ...], kinds: set[str],
                 limit: int = 80) -> Mention | None:
    segment = ctx.text[b:min(end, b + limit)]
    for m in re.finditer(r"\b(" + "|".join(preps) + r")\s+", segment):
        start = b + m.end()
        ms = [x for x in _actor_mentions(ctx, start, min(end, start + 45)) if x.kind in kinds]
        if ms and ms[0].start - start <= 25:
            return ms[0]
    return None


def _list_after(ctx: Context, b: int, ms: list[Mention]) -> list[Mention]:
    """The coordinated list right after a trigger: 'on Petro, his family and senior officials'."""
    out: list[Mention] = []
    cursor = b
    for m in ms:
        gap = ctx.text[cursor:m.start]
        if out and not re.fullmatch(r"\s*(?:,|and|,\s*and)\s*(?:his\s+|her\s+|their\s+|its\s+|the\s+)?\s*", gap):
            break
        if not out and not re.fullmatch(r"\s*(?:on|against|)\s*(?:" + _words(3) + r")?", gap):
            break
        if m.key not in {x.key for x in out}:
            out.append(m)
        cursor = m.end
    return out


def _nearby_agent_state(ctx: Context, s: Sentence) -> str | None:
    """The state acting in a raid or operation named in the same sentence ('US forces ... captured')."""
    for m in _actor_mentions(ctx, s.start, s.end):
        if m.kind == "state" and m.modifier and re.match(r"[\s‑-]+(?:military|forces|troops|raid|strikes|capture|"
                                                          r"arrest|agents|special)", ctx.text[m.end:m.end + 12]):
            return m.key
    return None


def _foreign_state(ctx: Context, targets: list[str]) -> str | None:
    """The most talked-about state other than the targets' own: who acts on a foreign leader."""
    own = {ctx.countries.get(t, "") for t in targets} | set(targets)
    for k in ctx.states_by_salience:
        if k not in own:
            return k
    return None


def _participants(claim: EventClaim, ctx: Context, clauses: list[tuple[int, int]]) -> None:
    s = claim.sentence
    a, b = claim.trigger
    ms = _actor_mentions(ctx, s.start, s.end)
    ms = [m for m in ms if not _inside_quote(ctx.text, s, m.start) or m.how == "role-name"]
    # Arrangers ('arranged by X and Y') and attributions ('according to X') are not participants.
    ms = [m for m in ms if not re.search(r"\b(?:arranged|organi[sz]ed|tasked)\s+(?:by|to)?\s*(?:" + _words(3) + r")?$",
                                          ctx.text[max(s.start, m.start - 40):m.start])
          and not _trailing_attribution(ctx.text, s, m)]
    # '... a conversation that the ambassador said eased tensions': whoever describes the event is its source.
    sources = [(s.start + r.start(1), s.start + r.end(1)) for r in RELATIVE_SOURCE.finditer(s.text)
               if s.start + r.start() >= b]
    ms = [m for m in ms if not any(lo <= m.start < hi for lo, hi in sources)]
    between = BETWEEN.match(ctx.text, b, min(s.end, b + 200))
    if between:  # 'a call between A and B': exactly the actors the phrase names, whoever speaks of the call
        named = [m for m in ms if between.start() <= m.start < between.end()]
        ms = named if len(named) >= 2 else ms
    frame_end = _frame_end(s)
    if frame_end <= a:
        # 'On the eve of the conversation with X, Y spoke with Z': the opening frame names another event's actors
        ms = [m for m in ms if m.start >= frame_end] or ms
    else:
        # ... and the frame's own event ('the conversation with X') is between X and the main clause's subject.
        main_subject = next((m for m in ms if m.start >= frame_end and m.kind == "person"), None)
        ms = [m for m in ms if m.start < frame_end] + ([main_subject] if main_subject else [])
    people = []
    for m in ms:
        if m.kind == "person" and m.key not in people:
            people.append(m.key)
    states = [m.key for m in ms if m.kind == "state" and _standalone(ctx.text, ms, m) and not m.modifier]
    # 'met Israeli officials': a group of one state's officials stands for that state among participants
    states += [ctx.countries[m.key] for m in ms if m.kind == "group" and ctx.countries.get(m.key)]
    parts = people if len(people) >= 2 else people + [k for k in dict.fromkeys(states)
                                                      if k not in {ctx.countries.get(p) for p in people}]
    if len(parts) < 2:
        parts = _fill_pair(parts, ctx)
        claim.anaphoric = True
        claim.confidence -= 0.2
    claim.participants = list(dict.fromkeys(parts))


BETWEEN = re.compile(r"\s+(?:\w+\s+){0,2}?between\s+[^,;]+?(?=\s+(?:was|were|is|are|has|had|have|lasted|took|came|"
                     r"ended|began|focused|covered|in|on|at|last|this|after|before|amid)\b|[,;.]|$)")
RELATIVE_SOURCE = re.compile(r"\b(?:which|that)\s+((?:[^,;]{1,60}?)(?:,[^,;]{1,40},)?)\s+"
                             r"(?:said|says|told|added|believes|believed|described\s+as)\b")
OPENING_FRAME = re.compile(r"(?:On\s+the\s+eve\s+of|Ahead\s+of|After|Before|Following|During|Prior\s+to|Since|"
                           r"Days\s+(?:after|before)|Hours\s+(?:after|before)|A\s+day\s+(?:after|before))\b[^,;]{3,90},\s")


def _frame_end(sentence: Sentence) -> int:
    """Where an opening frame ('On the eve of the talks, ...') ends; the sentence's start when it has none."""
    opening = OPENING_FRAME.match(sentence.text)
    return sentence.start + opening.end() if opening else sentence.start


def _clause_start(sentence: Sentence, a: int) -> int:
    """Where the trigger's part of the sentence starts: after an opening frame when the trigger follows it, so the
    frame's cues ('ahead of', 'after') do not colour the main clause's event."""
    end = _frame_end(sentence)
    return end if end <= a else sentence.start


def _trailing_attribution(text: str, s: Sentence, m: Mention) -> bool:
    """', said the minister.' / ', according to officials' / ', the spokesman X told reporters.': a source, not a
    participant."""
    before = text[max(s.start, m.start - 40):m.start]
    after = text[m.end:min(s.end, m.end + 30)]
    if re.search(r",\s*(?:" + _words(4) + r")?$", before) and re.match(
            r"\s+(?:said|says|told|added|noted|confirmed)\b[^,;]{0,20}(?:[.;]|$)", after):
        return True
    return bool(re.search(r"\b(?:said|says|told|according\s+to|confirmed|reported|announced)\s+(?:" + _words(3)
                          + r")?$", before, re.I) and re.match(r"^[^,;]{0,25}(?:[.;]|$)", after))


def _fill_pair(parts: list[str], ctx: Context) -> list[str]:
    if not ctx.main_pair or len(ctx.main_pair) < 2:
        return parts
    if not parts:
        return list(ctx.main_pair)
    if parts[0] in ctx.main_pair:
        return [parts[0], *[k for k in ctx.main_pair if k != parts[0]]]
    return parts


def _visit(claim: EventClaim, style: str, ctx: Context, clauses: list[tuple[int, int]],
           subject: Mention | None) -> None:
    s = claim.sentence
    a, b = claim.trigger
    visitor: str | None = None
    host: str | None = None
    if style == "invite":
        guest = _first(_after(ctx, b, s.end, {"person"}, limit=60))
        if guest is None:
            return
        visitor = guest.key
        host_actor = subject
        host = ctx.countries.get(host_actor.key) if host_actor else None
    else:
        if subject and subject.kind == "person":
            visitor = subject.key
        for_whom = re.search(r"\bfor\s+([\w‑-]+)\s+to\s+$", ctx.text[max(s.start, a - 30):a])
        if for_whom:
            ms = [m for m in _actor_mentions(ctx, a - 30, a) if m.kind == "person"]
            visitor = ms[-1].key if ms else visitor
        poss = _modifier_before(ctx, a, s)
        if poss and poss.kind == "person":
            visitor = poss.key
    dest = _prep_target(ctx, b, s.end, RULES.prepositions("visit", "target"), {"state", "org"}, limit=60)
    if dest is None:
        dest_after = _after(ctx, b, s.end, {"state"}, limit=30)
        dest = dest_after[0] if dest_after else None
    place = _place_mention(ctx, b, s.end)
    if dest is not None:
        host = dest.key
    elif place is not None and ctx.countries.get(place):
        host = host or ctx.countries.get(place)
    if visitor is None and (_subject_is_no_actor(ctx, a) or _subject_is_group(ctx, a)):
        return  # '250 detainees arrived in ...': the arrivals are not a visit by an actor
    if visitor is None:
        claim.anaphoric = True
        claim.confidence -= 0.2
        visitor = _guest_of(ctx, host)
    if host is None and visitor:
        host = _host_for(ctx, visitor)
    claim.agent = visitor
    claim.target = [host] if host and host != ctx.countries.get(visitor or "") else []


STANDING = re.compile(r"\b(?:enjoy\w*|already\s+(?:have|has|had|get)|benefit\w*\s+from|eligible\s+for)\s+"
                      r"(?:[\w‑-]+\s+){0,3}$", re.I)


TELLING = re.compile(r"\b(?:told|tells|warned|warns|informed|gave|give|gives|demanded\s+that|insisted\s+that)\s+",
                     re.I)


def _ultimatum(claim: EventClaim, ctx: Context) -> None:
    """'X told Y that it must ... or face retaliation': X threatens Y (the one told, else the clause's subject)."""
    s = claim.sentence
    tell = TELLING.search(ctx.text[s.start:claim.trigger[0]])
    if tell is None:
        return
    at = s.start + tell.start()
    before = [m for m in _actor_mentions(ctx, s.start, at) if m.kind in SUBJECT_KINDS and not m.modifier
              and not _inside_quote(ctx.text, s, m.start)]
    after = [m for m in _actor_mentions(ctx, s.start + tell.end(), claim.trigger[0]) if m.kind in SUBJECT_KINDS
             and (not m.modifier or _standalone(ctx.text, _actor_mentions(ctx, s.start, s.end), m))]
    claim.agent = before[-1].key if before else None
    claim.target = [after[0].key] if after and after[0].key != claim.agent else []


def _consequence(claim: EventClaim, ctx: Context, clauses: list[tuple[int, int]]) -> None:
    """'"... Indian people will also suffer," he told reporters': the speaker threatens the state that will."""
    s = claim.sentence
    a = claim.trigger[0]
    sufferer = next(iter(_actor_mentions(ctx, clauses[_clause_of(clauses, a)][0], a)[-1:]), None)
    speaker = _speaker(ctx, s) if _inside_quote(ctx.text, s, a) else _subject(ctx, clauses, a, s)
    claim.agent = speaker.key if speaker else None
    target = ctx.countries.get(sufferer.key) if sufferer and sufferer.kind == "group" else \
        sufferer.key if sufferer else None
    claim.target = [target] if target and target != claim.agent else []


def _speaker(ctx: Context, s: Sentence) -> Mention | None:
    """Who says the quote of a sentence: '"...," he told reporters', '"...," said X', 'X said: "..."'."""
    after = re.search(r"(?<=[\w.,!?])[”\"],?\s+(?:(?:said|says|added|told)\s+)?", s.text)  # a closing quote
    if after:
        follow = [m for m in _actor_mentions(ctx, s.start + after.end(), s.start + after.end() + 60)
                  if m.kind in SUBJECT_KINDS and not m.modifier]
        if follow:
            return follow[0]
    before = re.search(r"(?:said|says|told\s+\w+|added|wrote)[:,]?\s+[“\"]", s.text)
    if before:  # 'The statement by spokesperson X said: "..."': the person, else the first actor
        lead = [m for m in _actor_mentions(ctx, s.start, s.start + before.start()) if m.kind in SUBJECT_KINDS]
        return next((m for m in lead if m.kind == "person"), lead[0] if lead else None)
    return None


def _policy(claim: EventClaim, ctx: Context, clauses: list[tuple[int, int]], subject: Mention | None) -> None:
    """A measure for the citizens of states ('visa-free entry for French and German citizens'): those states are
    its targets; the state granting it is where they may go ('to China'), else the clause's subject's state, else
    the speaker's ('..., says Prime Minister X'). 'Between A and B' grants it both ways."""
    s = claim.sentence
    a, b = claim.trigger
    if STANDING.search(ctx.text[max(s.start, a - 40):a]) or re.match(r"\s*(?:scheme|programme|program|regime)\b",
                                                                      ctx.text[b:b + 12], re.I):
        return  # 'already enjoy visa-free entry', 'under the visa exemption scheme': no new measure
    ms = [m for m in _actor_mentions(ctx, s.start, s.end) if ctx.countries.get(m.key)
          and not (m.kind in ("person", "org") or (m.modifier and not _standalone(ctx.text, _actor_mentions(
              ctx, s.start, s.end), m)))]
    between = re.search(r"\bbetween\s+(?:the\s+)?(\S[^.;]{0,40}?)\s+and\s+", ctx.text[b:s.end])
    pair = [m for m in ms if between and b + between.start(1) <= m.start <= b + between.end() + 25]
    if between and len(pair) >= 2:
        claim.agent, claim.target, claim.reciprocal = pair[0].key, [pair[1].key], True
        return
    dest = _prep_target(ctx, b, s.end, RULES.prepositions(claim.type, "target"), {"state"}, limit=40)
    agent = dest.key if dest and not dest.modifier else None  # 'to China', not 'to Indian citizens'
    if agent is None and subject is not None:
        agent = ctx.countries.get(subject.key) or None
    if agent is None:  # '..., says Japanese Prime Minister X.' / '..., Japan's government said.'
        tail_start = s.start + ctx.text[s.start:s.end].rfind(",") + 1
        tail = ctx.text[tail_start:s.end]
        if tail_start > b and re.search(r"\b(?:says?|said|announced|told\s+\w+)\b", tail):
            spoken = _actor_mentions(ctx, tail_start, s.end)
            agent = next((ctx.countries[m.key] for m in spoken if ctx.countries.get(m.key)), None)
            ms = [m for m in ms if m.start < tail_start]  # the speaker's state grants, it is not a target
    claim.agent = agent
    claim.target = [k for k in dict.fromkeys(ctx.countries[m.key] for m in ms) if k != agent]


def _guest_of(ctx: Context, host: str | None) -> str | None:
    for k in ctx.main_pair:
        if ctx.countries.get(k) != host:
            return k
    return None


def _host_for(ctx: Context, visitor: str) -> str | None:
    for k in ctx.main_pair:
        if k != visitor and ctx.countries.get(k) and ctx.countries.get(k) != ctx.countries.get(visitor):
            return ctx.countries.get(k)
    return None


def _place_mention(ctx: Context, start: int, end: int) -> str | None:
    for m in ctx.mentions.mentions:
        if start <= m.start < end and (m.kind == "place" or m.place):
            return m.place or m.key
    return None


def _complete(claim: EventClaim, ctx: Context) -> bool:
    """Enough arguments for the event to be worth stating."""
    t = claim.type
    if t in SYMMETRIC:
        # A meeting among one state's own people and organs is domestic, not diplomatic.
        countries = {ctx.countries.get(k) for k in claim.participants}
        return len(claim.participants) >= 2 and not (len(countries) == 1 and None not in countries
                                                    and "" not in countries)
    if claim.style == "policy":
        return bool(claim.target)
    if t in ("visa_revocation", "visa_grant_or_waiver", "arrest"):
        return bool(claim.target) and ctx.kinds.get(claim.target[0]) in ("person", "group")
    if t in ("statement", "threat"):
        return bool(claim.agent and claim.target)
    if t == "visit":
        return bool(claim.agent and claim.target)
    if t in ("sanction_imposed", "sanction_lifted"):
        return bool(claim.agent and claim.target)
    if t in ("extradition", "deportation", "expulsion"):
        return bool(claim.agent or claim.target)
    if t == "military_operation":
        return bool(claim.agent)
    return True


def _date_for(claim: EventClaim, dates: list[DateExpr], s: Sentence,
              triggers: list[tuple[int, int, str, str, float]]) -> DateExpr | None:
    """The date expression that belongs to this trigger: right after it, else before it in the sentence."""
    a, b = claim.trigger
    rel_a, rel_b = a - s.start, b - s.start
    other_starts = sorted(x - s.start for x, _, t, _, _ in triggers
                          if s.start <= x < s.end and x != a and t != claim.type)
    best: tuple[float, DateExpr] | None = None
    for d in dates:
        opening = re.match(r"^\W*(?:\w+,?\s+)?(?:on|in|by|since|from)?\s*$", s.text[:d.start], re.I)
        if d.end <= rel_a and d.start <= 25 and not EARLIER_FRAME.search(s.text[:rel_a]) and opening and \
                (claim.modality != "planned" or claim.anaphoric):
            # 'Earlier, on January 8, ...': a date that opens the sentence is the date of its events.
            cost = 100.0
            if best is None or cost < best[0]:
                best = (cost, d)
            continue
        if d.start >= rel_b:
            distance = d.start - rel_b
            if any(rel_b <= o < d.start for o in other_starts) and distance > 25:
                continue
            cost = distance
        else:
            distance = rel_a - d.end
            if claim.modality == "planned" and not claim.anaphoric and d.tense != "future":
                continue  # 'on January 8 they agreed to meet': the date is the agreement's, not the meeting's
            chained = (len(dates) == 1 and claim.style == "verb" and claim.modality == "actual"
                       and "," not in s.text[:d.start] and re.search(r",\s+(?:when|where)\b", s.text[d.end:rel_a]))
            if any(d.end <= o < rel_a for o in other_starts) and not chained:
                continue
            cost = distance * 1.2 if not chained else 100.0
        if cost > 140:
            continue
        if best is None or cost < best[0]:
            best = (cost, d)
    if best is None:
        return None
    d = best[1]
    return DateExpr(**{**d.__dict__, "start": d.start + s.start, "end": d.end + s.start})


def _place_for(claim: EventClaim, ctx: Context, s: Sentence) -> str | None:
    if claim.type not in ("meeting", "visit", "military_operation", "arrest", "agreement"):
        return None
    a, b = claim.trigger
    for m in ctx.mentions.mentions:
        if not (s.start <= m.start < s.end) or not (m.kind == "place" or m.place):
            continue
        preceding = ctx.text[max(s.start, m.start - 12):m.start].lower()
        if re.search(r"\b(?:at|in|on|into|to)\s+(?:the\s+)?$", preceding) and m.start >= a - 80:
            return m.place or m.key
    return None


def _dedupe_sentence(claims: list[EventClaim]) -> list[EventClaim]:
    """One statement per event and sentence: two triggers of one event ('declared ... persona non grata') give
    one claim, the one naming more of its actors."""
    out: list[EventClaim] = []
    for c in claims:
        same = next((o for o in out if o.type == c.type and _restates(o, c)), None)
        if same is None:
            out.append(c)
            continue
        if len(c.actors) > len(same.actors):
            out[out.index(same)] = c
            c.date = c.date or same.date
        elif c.date and not same.date:
            same.date = c.date
    return out


def _restates(a: EventClaim, b: EventClaim) -> bool:
    if a.type in SYMMETRIC:
        return a.actors == b.actors
    if a.agent and b.agent and a.agent != b.agent:
        return False
    ta, tb = set(a.target), set(b.target)
    return ta <= tb or tb <= ta
