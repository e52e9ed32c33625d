"""From query rows to what a page shows: an event with its sources side by side, an actor with posts and events.

Rows are SPARQL JSON bindings reduced to {variable: value}; every function here is plain data in, data out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..event_types import as_modality, event_types, strongest_modality
from ..names import ID, PREFIXES, served_at

Row = dict[str, str]
KIND_NAMES = {"Person": "person", "State": "state", "Organisation": "organisation", "Group": "group",
              "Place": "place", "Post": "post"}


def local(iri: str) -> str:
    """Where the server answers for one of our IRIs (/id/… under --base); other http(s) IRIs stay as they are, and
    any other scheme (a stored <javascript:…> IRI) links nowhere."""
    href = served_at(iri)
    return href if href.startswith(("/", "http://", "https://")) else "#"


def short(iri: str) -> str:
    """An IRI as a reader would write it: our own ids without the base, others by prefix."""
    if iri.startswith(ID):
        return iri[len(ID):]
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


@dataclass
class Link:
    href: str
    text: str


@dataclass
class Passage:
    """A paragraph of an article with one sentence marked."""

    before: str
    mark: str
    after: str


def passage(body: str | None, start: int, end: int, exact: str) -> Passage:
    """The paragraph (line) of `body` that holds [start, end), with that span marked; the sentence alone when the
    body is unknown or does not hold it (a changed article)."""
    if not body or body[start:end] != exact:
        return Passage("", exact, "")
    para_start = body.rfind("\n", 0, start) + 1
    para_end = body.find("\n", end)
    para_end = len(body) if para_end < 0 else para_end
    return Passage(body[para_start:start], body[start:end], body[end:para_end])


@dataclass
class Source:
    """One article's report of the event."""

    article: str
    headline: str
    publisher: str
    published: str
    url: str
    modality: str
    confidence: float
    date: str
    date_text: str
    bounds: str
    place: Link | None
    first: Passage
    more: list[str] = field(default_factory=list)


@dataclass
class EventView:
    iri: str
    type: str
    label: str
    cameo: list[str]
    plover: str
    plover_mode: str
    actors: dict[str, list[Link]]
    modality: str
    date: str
    bounds: str
    places: list[Link]
    sources: list[Source]
    disagreements: dict[str, list[tuple[str, str]]]  # what differs -> (source headline, its value)


def _type_of(classes: list[Row]) -> tuple[str, str, list[str], str, str]:
    """(export name, label, CAMEO codes, PLOVER type, PLOVER mode) of the event's class."""
    by_class = {t.cls: (name, t) for name, t in event_types().items()}
    for row in classes:
        local_name = row["class"].rsplit("#", 1)[-1]
        if local_name in by_class:
            name, t = by_class[local_name]
            return name, name.replace("_", " ").capitalize(), list(t.cameo), t.plover, t.plover_mode
    return "", "Event", [], "", ""


def _actor_links(rows: list[Row]) -> dict[str, list[Link]]:
    out: dict[str, list[Link]] = {}
    for r in rows:
        out.setdefault(r["role"], []).append(Link(local(r["actor"]), r.get("name") or short(r["actor"])))
    return out


def _bounds(earliest: str, latest: str) -> str:
    if earliest and latest and earliest != latest:
        return f"between {earliest} and {latest}"
    return ""


def _sources(rows: list[Row], bodies: dict[str, str]) -> list[Source]:
    by_graph: dict[str, list[Row]] = {}
    for r in rows:
        by_graph.setdefault(r["g"], []).append(r)
    out = []
    for group in by_graph.values():
        r = group[0]
        place = Link(local(r["place"]), r.get("placeLabel") or short(r["place"])) if r.get("place") else None
        modalities = [m for m in (as_modality(x.get("modality")) for x in group) if m]
        # The first sentence that sits inside a paragraph shows best in context (a headline is a paragraph alone).
        passages = [passage(bodies.get(x["article"]), int(x["start"]), int(x["end"]), x["exact"]) for x in group]
        first = next((p for p in passages if p.before.strip() or p.after.strip()), passages[0])
        sentences = [s for s in dict.fromkeys(x["exact"] for x in group) if s != first.mark]
        out.append(Source(
            r["article"], r.get("headline") or short(r["article"]), r.get("publisher", ""), r.get("published", ""),
            r.get("url", ""), strongest_modality(modalities) if modalities else "",
            max(float(x["confidence"]) for x in group), r.get("date", ""), r.get("dateText", ""),
            _bounds(r.get("earliest", ""), r.get("latest", "")), place, first, sentences))
    return out


def _disagreements(sources: list[Source]) -> dict[str, list[tuple[str, str]]]:
    """Where the sources differ: date, place, modality (only what takes more than one value)."""
    values = {"date": [(s.headline, s.date or "not given") for s in sources],
              "place": [(s.headline, s.place.text if s.place else "not given") for s in sources],
              "modality": [(s.headline, s.modality) for s in sources]}
    return {what: pairs for what, pairs in values.items() if len({v for _, v in pairs}) > 1}


def event_view(event: str, classes: list[Row], actors: list[Row], sources: list[Row],
               bodies: dict[str, str]) -> EventView:
    """The event page's content from its queries' rows."""
    name, type_label, cameo, plover, mode = _type_of(classes)
    cards = _sources(sources, bodies)
    links = _actor_links(actors)
    dates = Counter(s.date for s in cards if s.date)
    bounds = Counter(_bounds(r.get("earliest", ""), r.get("latest", "")) for r in sources)
    places = list({p.href: p for p in (s.place for s in cards) if p}.values())
    modalities = [m for m in (as_modality(s.modality) for s in cards) if m]
    who = ", ".join(a.text for role in ("participant", "agent", "target") for a in links.get(role, []))
    return EventView(
        event, name, f"{type_label}: {who}" if who else type_label, cameo, plover, mode, links,
        strongest_modality(modalities) if modalities else "", dates.most_common(1)[0][0] if dates else "",
        bounds.most_common(1)[0][0] if bounds else "", places, cards, _disagreements(cards))


@dataclass
class Post:
    post: Link
    state: Link | None
    sources: list[tuple[str, str, str]]  # (headline, published, sentence)


@dataclass
class ActorEvent:
    link: Link
    type: str
    role: str
    date: str
    sources: int


@dataclass
class ActorView:
    iri: str
    name: str
    kind: str
    labels: list[tuple[str, str]]  # (language, label)
    other_names: list[str]
    wikidata: str
    country: Link | None
    posts: list[Post]
    events: dict[str, list[ActorEvent]]  # by type
    counterparts: list[tuple[Link, int]]
    members: list[Link] = field(default_factory=list)  # a state's people and bodies


def _facts(actor: str, facts: list[Row]) -> tuple[str, str, list[tuple[str, str]], list[str], str, Link | None]:
    """(name, kind, labels, other names, Wikidata id, country) of an actor."""
    rdfs_label, alt, same, klass = (PREFIXES["rdfs"] + "label", PREFIXES["skos"] + "altLabel",
                                    PREFIXES["owl"] + "sameAs", PREFIXES["rdf"] + "type")
    labels = sorted({(r.get("lang") or "", r["o"]) for r in facts if r["p"] == rdfs_label})
    name = next((v for lang, v in labels if lang in ("en", "")), labels[0][1] if labels else short(actor))
    kinds = [KIND_NAMES.get(r["o"].rsplit("#", 1)[-1], "") for r in facts if r["p"] == klass]
    wikidata = next((r["o"].rsplit("/", 1)[-1] for r in facts if r["p"] == same and "wikidata.org" in r["o"]), "")
    country = next((Link(local(r["o"]), r.get("oLabel") or short(r["o"])) for r in facts
                    if r["p"].endswith(("#country", "#postIn"))), None)
    return (name, next((k for k in kinds if k), "actor"), labels,
            sorted({r["o"] for r in facts if r["p"] == alt}), wikidata, country)


def _posts(rows: list[Row]) -> list[Post]:
    out: dict[str, Post] = {}
    for r in rows:
        p = out.setdefault(r["post"], Post(
            Link(local(r["post"]), r.get("postLabel") or short(r["post"])),
            Link(local(r["state"]), r.get("stateLabel") or short(r["state"])) if r.get("state") else None, []))
        if r.get("article"):
            p.sources.append((r.get("headline") or short(r["article"]), r.get("published", ""), r.get("exact", "")))
    return list(out.values())


def event_title(rows: list[Row]) -> dict[str, str]:
    """Event IRI -> the names of its actors ('Donald Trump, Gustavo Petro')."""
    names: dict[str, list[str]] = {}
    for r in rows:
        names.setdefault(r["event"], []).append(r.get("name") or short(r["actor"]))
    return {e: ", ".join(dict.fromkeys(n)) for e, n in names.items()}


def actor_view(actor: str, facts: list[Row], posts: list[Row], events: list[Row], names: dict[str, str],
               counterparts: list[Row], members: list[Row] | None = None) -> ActorView:
    """The actor page's content from its queries' rows."""
    name, kind, labels, others, wikidata, country = _facts(actor, facts)
    by_type: dict[str, list[ActorEvent]] = {}
    for r in events:
        by_type.setdefault(r["type"], []).append(ActorEvent(
            Link(local(r["event"]), names.get(r["event"], short(r["event"]))), r["type"], r["role"],
            r.get("date") or r.get("earliest", ""), int(r.get("sources") or 0)))
    return ActorView(actor, name, kind, labels, [o for o in others if o != name], wikidata, country, _posts(posts),
                     by_type, [(Link(local(r["other"]), r.get("name") or short(r["other"])), int(r["events"]))
                               for r in counterparts],
                     [Link(local(r["member"]), r.get("name") or short(r["member"])) for r in members or []])


@dataclass
class TimelineEvent:
    href: str
    type: str
    label: str
    start: str  # ISO day
    end: str  # ISO day (the same as start for a dated day)
    date: str  # as the sources give it (a day, a month, a year) or ""
    modality: str
    sources: int
    span: bool  # known only within bounds: drawn as a span, not a point


def timeline_view(rows: list[Row], names: dict[str, str], modality: str = "") -> list[TimelineEvent]:
    """The timeline's marks; `modality` keeps only the events whose strongest modality it is."""
    out = []
    for r in rows:
        modalities = [m for m in (as_modality(x) for x in r.get("modalities", "").split()) if m]
        strongest = strongest_modality(modalities) if modalities else ""
        if modality and strongest != modality:
            continue
        start, end, date = r["earliest"][:10], (r.get("latest") or r["earliest"])[:10], r.get("date", "")
        kind = r["type"].replace("_", " ")
        out.append(TimelineEvent(local(r["event"]), r["type"], f"{kind}: {names.get(r['event'], short(r['event']))}",
                                 start, end, date, strongest, int(r.get("sources") or 0),
                                 end != start and len(date) != 10))
    return out


@dataclass
class Node:
    id: str
    href: str
    name: str
    kind: str
    degree: int


@dataclass
class Edge:
    source: str
    target: str
    type: str
    events: int
    label: str


def network_view(rows: list[Row], things: list[Row]) -> tuple[list[Node], list[Edge]]:
    """Actors as nodes (sized by how many events join them to others), event types between them as edges."""
    about = {r["thing"]: r for r in things}
    degree: Counter[str] = Counter()
    edges = []
    for r in rows:
        n = int(r["events"])
        degree[r["a"]] += n
        degree[r["b"]] += n
        names = [about.get(x, {}).get("name") or short(x) for x in (r["a"], r["b"])]
        edges.append(Edge(r["a"], r["b"], r["type"], n,
                          f"{names[0]} – {names[1]}: {r['type'].replace('_', ' ')} ×{n}"))
    nodes = [Node(x, local(x), about.get(x, {}).get("name") or short(x),
                  KIND_NAMES.get(about.get(x, {}).get("kind", "").rsplit("#", 1)[-1], "other"), d)
             for x, d in degree.items()]
    return nodes, edges
