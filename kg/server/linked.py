"""Our own IRIs dereferenced at /id/...: HTML for browsers, the node's description as RDF for anyone else."""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from .. import linked_data
from ..names import ID
from ..store.engine import Backend
from .http import engine_of, select, settings_of, text
from .pages import page_for
from .settings import Settings
from .sparql import run_query

router = APIRouter()


async def dereference(request: Request, engine: Backend, settings: Settings, rest: str) -> Response:
    """One of our own IRIs: HTML for a browser, its concise description as RDF for anyone else; 404 if unknown."""
    try:
        iri = ox.NamedNode(ID + rest).value
    except ValueError:
        return text(400, f"not an IRI: {ID + rest!r}")
    bindings = await select(request, linked_data.rows_query(iri))
    if isinstance(bindings, Response):
        return bindings
    if not bindings:
        return text(404, f"nothing is known about <{iri}>")
    formats_asked = request.query_params.getlist("format")
    if not formats_asked and linked_data.wants_html(request.headers.get("accept", "")):
        page = await page_for(request, iri, rest.split("/", 1)[0])
        return page if page is not None else HTMLResponse(linked_data.render(iri, bindings))
    return await run_query(request, engine, settings, linked_data.describe_query(iri), [], [], formats_asked)


@router.get("/id/{rest:path}", summary="Our own IRIs, dereferenced: HTML for browsers, RDF by content negotiation")
async def by_iri(request: Request, rest: str) -> Response:
    return await dereference(request, engine_of(request), settings_of(request), rest)
