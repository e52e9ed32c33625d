"""Pages for people at our own IRIs: an event with its evidence, an actor with posts, events and counterparts.

The queries (kg.pages.sparql) run in the store's worker pool like any other; kg.pages turns their rows into HTML.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ..event_types import MODALITIES, event_types
from ..names import ID
from ..pages import sparql
from ..pages.templating import render
from ..pages.views import actor_view, event_title, event_view, network_view, timeline_view
from .http import select, text

Rows = list[dict[str, str]]
ACTOR_KINDS = ("person", "state", "organisation", "group", "place", "post")
SHORT_ID = re.compile(r"^[a-z]+/[a-z0-9][a-z0-9-]*$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_MARKS = 1000  # events on one timeline (the oldest first); narrow the filters for more
MAX_EDGES = 600
router = APIRouter()


class QueryFailed(Exception):
    """A page's query did not answer; carries the response to send instead."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


async def rows(request: Request, query: str) -> Rows:
    """A SELECT run in a worker, as rows of plain values."""
    bindings = await select(request, query)
    if isinstance(bindings, Response):
        raise QueryFailed(bindings)
    return [{k: v["value"] for k, v in b.items()} for b in bindings]


async def event_page(request: Request, iri: str) -> Response:
    """The event, its actors, and every source with its evidence highlighted in its paragraph."""
    try:
        classes = await rows(request, sparql.event_classes(iri))
        actors = await rows(request, sparql.event_actors(iri))
        sources_query = sparql.event_sources(iri)
        sources = await rows(request, sources_query)
        articles = sorted({r["article"] for r in sources})
        bodies = {r["article"]: r["body"] for r in await rows(request, sparql.bodies(articles))} if articles else {}
    except QueryFailed as e:
        return e.response
    view = event_view(iri, classes, actors, sources, bodies)
    return HTMLResponse(render("event.html", e=view, query=sources_query))


async def actor_page(request: Request, iri: str) -> Response:
    """The actor: what it is, the posts it holds (with their sources), its events by type, its counterparts."""
    try:
        facts = await rows(request, sparql.actor_facts(iri))
        posts = await rows(request, sparql.actor_posts(iri))
        events = await rows(request, sparql.actor_events(iri))
        ids = sorted({r["event"] for r in events})
        names = event_title(await rows(request, sparql.event_names(ids))) if ids else {}
        counterparts = await rows(request, sparql.counterparts(iri))
        members = await rows(request, sparql.members(iri)) if "/state/" in iri else []
    except QueryFailed as e:
        return e.response
    return HTMLResponse(render("actor.html", a=actor_view(iri, facts, posts, events, names, counterparts, members)))


async def page_for(request: Request, iri: str, kind: str) -> Response | None:
    """The page for one of our things when it has one (events and actors), else None."""
    if kind == "event":
        return await event_page(request, iri)
    if kind in ACTOR_KINDS:
        return await actor_page(request, iri)
    return None


@dataclass
class Filters:
    """What a timeline or network is narrowed to, checked: actors by IRI or short id ('person/gustavo-petro')."""

    actors: list[str]
    types: list[str]
    modality: str
    start: str
    end: str


class BadFilter(ValueError):
    pass


def _actor(value: str) -> str:
    if SHORT_ID.match(value):
        return ID + value
    if value.startswith(ID) and SHORT_ID.match(value[len(ID):]):
        return value
    raise BadFilter(f"actor {value!r} is not one of ours: give an id like person/gustavo-petro or its full IRI")


def filters(request: Request) -> Filters:
    """The filters of a page's query string; a bad one is a BadFilter naming it."""
    q = request.query_params
    actors = [_actor(v) for v in q.getlist("actor") + q.getlist("with") if v]
    types = [t for t in q.getlist("type") if t]
    unknown = [t for t in types if t not in event_types()]
    if unknown:
        raise BadFilter(f"unknown event type {unknown[0]!r}; known: {', '.join(event_types())}")
    modality = q.get("modality", "")
    if modality and modality not in MODALITIES:
        raise BadFilter(f"unknown modality {modality!r}; known: {', '.join(MODALITIES)}")
    start, end = q.get("from", ""), q.get("to", "")
    for name, day in (("from", start), ("to", end)):
        if day and not DAY.match(day):
            raise BadFilter(f"{name!r} must be a day as YYYY-MM-DD, not {day!r}")
    return Filters(actors, types, modality, start, end)


async def _filtered(request: Request, build: Callable[[Filters], Awaitable[Response]]) -> Response:
    """A page narrowed by the query string's filters: 400 naming a bad filter, a failed query's own answer."""
    try:
        f = filters(request)
    except BadFilter as e:
        return text(400, str(e))
    try:
        return await build(f)
    except QueryFailed as e:
        return e.response


@router.get("/timeline", response_class=HTMLResponse, summary="Events over time, filterable; each mark opens its event")
async def timeline_page(request: Request) -> Response:
    async def build(f: Filters) -> Response:
        found = await rows(request, sparql.timeline(f.actors, f.types, f.start, f.end, MAX_MARKS))
        ids = sorted({r["event"] for r in found})
        names = event_title(await rows(request, sparql.event_names(ids))) if ids else {}
        choices = await rows(request, sparql.choices())
        marks = timeline_view(found, names, f.modality)
        return HTMLResponse(render("timeline.html", f=f, marks=marks, data=[asdict(m) for m in marks],
                                   truncated=len(found) >= MAX_MARKS, choices=choices, types=list(event_types()),
                                   modalities=MODALITIES))

    return await _filtered(request, build)


@router.get("/network", response_class=HTMLResponse, summary="Actors joined by their events, by type and period")
async def network_page(request: Request) -> Response:
    async def build(f: Filters) -> Response:
        found = await rows(request, sparql.network(f.types, f.start, f.end, MAX_EDGES))
        things = sorted({r["a"] for r in found} | {r["b"] for r in found})
        about = await rows(request, sparql.names_and_kinds(things)) if things else []
        nodes, edges = network_view(found, about)
        return HTMLResponse(render("network.html", f=f, nodes=nodes, edges=edges, types=list(event_types()),
                                   data={"nodes": [asdict(n) for n in nodes], "edges": [asdict(e) for e in edges]},
                                   truncated=len(found) >= MAX_EDGES))

    return await _filtered(request, build)
