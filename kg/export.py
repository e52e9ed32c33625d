"""Export the event table (the schema of EVALUATION.md) and the entity table, from SPARQL queries in queries/."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .event_types import Modality, as_modality, event_types, strongest_modality
from .names import WD, Term, thing
from .resources import resource_dir, resource_path
from .store import Store

QUERIES = resource_dir("queries")


@dataclass
class ActorRef:
    """An actor as an event record names it."""

    label: str
    wikidata: str | None
    id: str
    country: str | None  # ISO 3166-1 alpha-3 of the state it is or acts for


@dataclass
class Source:
    """One article's report of an event: where it says so, and what it says of modality and date."""

    article: str | None
    url: str | None
    evidence: str | None
    start: int
    end: int
    confidence: float
    modality: Modality | None
    date: str | None
    earliest: str | None
    latest: str | None


@dataclass
class EventRecord:
    """One event with all its sources, in the export schema of EVALUATION.md (field order is the JSON order)."""

    id: str
    type: str | None
    modality: Modality | None = None
    participants: list[ActorRef] = field(default_factory=list)
    agent: ActorRef | None = None
    target: ActorRef | list[ActorRef] | None = None  # one target as an object, several as a list
    subjects: list[ActorRef] = field(default_factory=list)
    date: str | None = None
    earliest: str | None = None
    latest: str | None = None
    place: ActorRef | None = None
    cameo: list[str] = field(default_factory=list)
    plover: str | None = None
    plover_mode: str | None = None
    sources: list[Source] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class EntityRecord:
    """One actor of the entity table."""

    id: str
    label: str | None
    kind: str | None
    wikidata: str | None
    country: str | None
    linked_by: str | None
    events: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Gathered:
    """An event's rows from the export query, before they become one record."""

    record: EventRecord
    roles: dict[str, dict[str, None]] = field(default_factory=dict)  # role -> actors, in order, once each
    sources: dict[tuple[str, int], Source] = field(default_factory=dict)
    places: list[str] = field(default_factory=list)


def load_query(name: str) -> str:
    return (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def _v(term: Term | None) -> str | None:
    return term.value if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)) else None


def iso_alpha3(path: Path | None = None) -> dict[str, str]:
    """State IRI -> ISO 3166-1 alpha-3 code, from the data file of the catalog's states."""
    out = {}
    for line in (path or resource_path("data", "iso3166.tsv")).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            state, _alpha2, alpha3 = line.split("\t")[:3]
            out[thing("state", state)] = alpha3
    return out


def actor_countries(store: Store) -> dict[str, str]:
    """Actor IRI -> ISO alpha-3 of the state it is or belongs to (a state is its own country)."""
    codes = iso_alpha3()
    rows = store.select("""
        SELECT DISTINCT ?actor ?state WHERE {
          { ?actor a dip:State . BIND(?actor AS ?state) } UNION { ?actor dip:country ?state }
          UNION { ?actor org:postIn ?state } }""")
    out: dict[str, str] = {}
    for r in rows:
        code = codes.get(_v(r["state"]) or "")
        if code:
            out.setdefault(_v(r["actor"]) or "", code)
    return out


def event_codes() -> dict[str, dict[str, Any]]:
    """Event type (export name) -> its CAMEO codes, PLOVER event type and mode, as the ontology states them."""
    return {name: {"cameo": list(t.cameo), "plover": t.plover or None, "plover_mode": t.plover_mode or None}
            for name, t in event_types().items()}


def actor_table(store: Store) -> dict[str, dict[str, Any]]:
    countries = actor_countries(store)
    out = {}
    for r in store.select(load_query("actors")):
        wd = _v(r["wikidata"])
        iri = _v(r["actor"]) or ""
        out[iri] = {"label": _v(r["label"]), "kind": _v(r["kind"]), "wikidata": wd[len(WD):] if wd else None,
                    "country": countries.get(iri)}
    return out


def events(store: Store) -> list[EventRecord]:
    """One record per event, with all its sources, in the export schema."""
    actors = actor_table(store)
    codes = event_codes()
    by_event: dict[str, _Gathered] = {}
    for r in store.select(load_query("export-events")):
        iri = _v(r["event"]) or ""
        e = by_event.setdefault(iri, _Gathered(EventRecord(iri, _v(r["type"]))))
        if r["role"] is not None:
            e.roles.setdefault(_v(r["role"]) or "", {})[_v(r["actor"]) or ""] = None
        key = (_v(r["graph"]) or "", int(_v(r["start"]) or 0))
        if key not in e.sources:
            e.sources[key] = Source(
                _v(r["article"]), _v(r["url"]), _v(r["evidence"]), int(_v(r["start"]) or 0), int(_v(r["end"]) or 0),
                float(_v(r["confidence"]) or 0), as_modality(_v(r["modality"])), _v(r["date"]), _v(r["earliest"]),
                _v(r["latest"]))
        if r["place"] is not None:
            e.places.append(_v(r["place"]) or "")
    return sorted((_finish(e, actors, codes) for e in by_event.values()), key=lambda r: r.id)


def _actor(iri: str, actors: dict[str, dict[str, Any]]) -> ActorRef:
    a = actors.get(iri, {})
    return ActorRef(a.get("label") or iri.rsplit("/", 1)[-1], a.get("wikidata"), iri, a.get("country"))


def _finish(g: _Gathered, actors: dict[str, dict[str, Any]], codes: dict[str, dict[str, Any]]) -> EventRecord:
    e, roles = g.record, g.roles
    e.sources = sorted(g.sources.values(), key=lambda s: (s.article or "", s.start))
    modalities = [s.modality for s in e.sources if s.modality]
    e.modality = strongest_modality(modalities) if modalities else None
    e.participants = [_actor(a, actors) for a in sorted(roles.get("participant", {}))]
    agents = sorted(roles.get("agent", {}))
    e.agent = _actor(agents[0], actors) if agents else None
    targets = [_actor(a, actors) for a in sorted(roles.get("target", {}))]
    e.target = targets[0] if len(targets) == 1 else (targets or None)
    e.subjects = [_actor(a, actors) for a in sorted(roles.get("subject", {}))]
    e.date, e.earliest, e.latest = _consensus_date(e.sources)
    e.place = _actor(Counter(g.places).most_common(1)[0][0], actors) if g.places else None
    type_codes = codes.get(e.type or "", {})
    e.cameo = type_codes.get("cameo", [])
    e.plover = type_codes.get("plover")
    e.plover_mode = type_codes.get("plover_mode")
    return e


def _consensus_date(sources: list[Source]) -> tuple[str | None, str | None, str | None]:
    """The date most sources give (per article), preferring the most precise; bounds likewise."""
    per_article: dict[str, Source] = {}
    for s in sources:
        if s.date or s.earliest:
            per_article.setdefault(s.article or "", s)
    if not per_article:
        return None, None, None
    votes = Counter((s.date, s.earliest, s.latest) for s in per_article.values())
    (date, earliest, latest), _ = max(votes.items(), key=lambda kv: (kv[1], len(kv[0][0] or ""), kv[0][0] or ""))
    if date and len(date) == 4:
        date = None  # the export format has no year-only dates; the bounds keep the year
    return date, earliest, latest


def to_jsonl(records: list[EventRecord] | list[EntityRecord]) -> str:
    return "".join(json.dumps(r.to_json(), ensure_ascii=False) + "\n" for r in records)


# The flat event table: one row per event and source. Documented in README.md ("Event tables").
EVENT_COLUMNS = [
    "id", "type", "cameo", "plover", "plover_mode", "modality", "date", "earliest", "latest",
    "participants", "participant_countries", "agent", "agent_country", "target", "target_countries",
    "subjects", "place", "place_country", "article", "url", "evidence", "start", "end", "confidence",
    "source_modality", "source_date"]


def _items(x: ActorRef | list[ActorRef] | None) -> list[ActorRef]:
    return x if isinstance(x, list) else [x] if x else []


def _names(x: ActorRef | list[ActorRef] | None) -> str:
    return "; ".join(a.label + (f" ({a.wikidata})" if a.wikidata else "") for a in _items(x))


def _countries(x: ActorRef | list[ActorRef] | None) -> str:
    return "; ".join(a.country or "" for a in _items(x)) if any(a.country for a in _items(x)) else ""


def event_rows(records: list[EventRecord]) -> list[dict[str, Any]]:
    """The event records as flat rows (EVENT_COLUMNS), one per event and source."""
    rows = []
    for r in records:
        event = {"id": r.id, "type": r.type, "cameo": " ".join(r.cameo), "plover": r.plover,
                 "plover_mode": r.plover_mode, "modality": r.modality, "date": r.date, "earliest": r.earliest,
                 "latest": r.latest, "participants": _names(r.participants),
                 "participant_countries": _countries(r.participants), "agent": _names(r.agent),
                 "agent_country": _countries(r.agent), "target": _names(r.target),
                 "target_countries": _countries(r.target), "subjects": _names(r.subjects),
                 "place": _names(r.place), "place_country": _countries(r.place)}
        for s in r.sources:
            rows.append({**event, "article": s.article, "url": s.url, "evidence": s.evidence, "start": s.start,
                         "end": s.end, "confidence": s.confidence, "source_modality": s.modality,
                         "source_date": s.date})
    return rows


def to_table(rows: list[dict[str, Any]], columns: list[str], delimiter: str = ",") -> str:
    """Rows as CSV (or TSV with delimiter '\\t'); in TSV, tabs and line breaks inside values become spaces."""
    out = io.StringIO()
    if delimiter == "\t":
        rows = [{k: " ".join(str(v).split()) if isinstance(v, str) else v for k, v in r.items()} for r in rows]
    w = csv.DictWriter(out, fieldnames=columns, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writeheader()
    w.writerows(rows)
    return out.getvalue()


def to_csv(records: list[EventRecord]) -> str:
    """The event records as a flat CSV table: one row per event and source."""
    return to_table(event_rows(records), EVENT_COLUMNS)


def entities(store: Store) -> list[EntityRecord]:
    """One record per actor: label, kind, Wikidata id, how it was linked, and how many events name it."""
    rows = store.select("""
        SELECT ?actor (COUNT(DISTINCT ?event) AS ?events) WHERE {
          ?event ?role ?actor . VALUES ?role { dip:participant dip:agent dip:target dip:subject } }
        GROUP BY ?actor""")
    counts = {_v(r["actor"]): int(_v(r["events"]) or 0) for r in rows}
    methods = {_v(r["s"]): _v(r["m"]) for r in store.select(
        "SELECT DISTINCT ?s ?m WHERE { ?l a dip:WikidataLink ; dip:linkSubject ?s ; dip:linkMethod ?m }")}
    out = []
    for iri, a in sorted(actor_table(store).items(), key=lambda kv: kv[1]["label"] or ""):
        if a["kind"] in ("post",) or (iri not in counts and not a["wikidata"]):
            continue
        out.append(EntityRecord(iri, a["label"], a["kind"], a["wikidata"], a["country"], methods.get(iri),
                                counts.get(iri, 0)))
    return out


ENTITY_COLUMNS = ["id", "label", "kind", "wikidata", "country", "linked_by", "events"]


def entities_csv(records: list[dict[str, Any]]) -> str:
    return to_table(records, ENTITY_COLUMNS)
