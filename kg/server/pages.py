"""Pages for people at our own IRIs: an event with its evidence, an actor with posts, events and counterparts.

The queries (kg.pages.sparql) run in the store's worker pool like any other; kg.pages turns their rows into HTML.
"""

from __future__ import annotations

import json

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from .. import jobs
from ..jobs import QueryJob
from ..pages import sparql
from ..pages.templating import render
from ..pages.views import actor_view, event_title, event_view
from .http import base_url, engine_of, in_worker, settings_of

Rows = list[dict[str, str]]
ACTOR_KINDS = ("person", "state", "organisation", "group", "place", "post")


class QueryFailed(Exception):
    """A page's query did not answer; carries the response to send instead."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


async def rows(request: Request, query: str) -> Rows:
    """A SELECT run in a worker, as rows of plain values."""
    job = QueryJob(query, "application/sparql-results+json", None, [], [], base_url(request))
    answer = await in_worker(engine_of(request), jobs.run_query, (job, settings_of(request).policy()), request)
    if answer.status_code != 200:
        raise QueryFailed(answer)
    bindings = json.loads(bytes(answer.body))["results"]["bindings"]
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
