"""The SPARQL 1.1 Graph Store HTTP Protocol at /rdf-graphs: reads for anyone, writes with the token."""

from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.formparsers import MultiPartParser

from .. import jobs
from ..jobs import GRAPH_FORMATS
from ..store.engine import Backend
from .http import (
    activity_header,
    answer,
    authorised,
    base_url,
    engine_of,
    in_worker,
    negotiate,
    request_body,
    settings_of,
    text,
    written,
)
from .settings import Settings

router = APIRouter()
METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE"]
Target = ox.NamedNode | ox.DefaultGraph | None


def target_graph(request: Request, direct: str | None) -> ox.NamedNode | ox.DefaultGraph | Response | None:
    params = request.query_params
    if direct is not None:
        return ox.NamedNode(base_url(request))
    if "default" in params and "graph" in params:
        return text(400, "give either 'graph' or 'default', not both")
    if "default" in params:
        return ox.DefaultGraph()
    graph = params.get("graph")
    if graph:
        try:
            return ox.NamedNode(graph)
        except ValueError:
            return text(400, f"'graph' is not an IRI: {graph!r}")
    return None


async def body_parts(request: Request, body: bytes) -> list[tuple[bytes, str]]:
    """The RDF documents of a request: its body, or each file of a multipart form (split here, parsed in a
    worker)."""
    ctype = request.headers.get("content-type", "text/turtle").split(";")[0].strip().lower()
    if ctype != "multipart/form-data":
        return [(body, ctype)]

    async def replay() -> AsyncGenerator[bytes, None]:
        yield body

    form = await MultiPartParser(request.headers, replay()).parse()
    parts = []
    for _, part in form.multi_items():
        if not isinstance(part, str):
            media = (part.content_type or "text/turtle").split(";")[0].strip().lower()
            parts.append((await part.read(), media))
    return parts


async def gsp_read(request: Request, engine: Backend, target: Target) -> Response:
    """GET or HEAD of one graph, in the negotiated RDF format."""
    if target is None:
        return text(400, "name a graph with ?graph=IRI or ?default")
    media = negotiate(request.headers.get("accept", ""), request.query_params.getlist("format"),
                      GRAPH_FORMATS, "text/turtle")
    if media is None:
        return text(406, "no acceptable RDF format")
    response = await in_worker(engine, jobs.read_graph, (target, media), request)
    if request.method == "HEAD":
        return Response(b"", status_code=response.status_code, media_type=response.media_type,
                        headers={"Content-Length": str(len(response.body))})
    return response


async def gsp_write(request: Request, engine: Backend, settings: Settings, target: Target) -> Response:
    """PUT, POST or DELETE of one graph: staged in a worker, validated, journaled, then applied."""
    method = request.method
    if target is None and method != "POST":
        return text(400, "name a graph with ?graph=IRI or ?default")
    body = await request_body(request, settings)
    if isinstance(body, Response):
        return body
    location = None
    if target is None:
        location = base_url(request).rstrip("/") + "/" + uuid.uuid4().hex
        target = ox.NamedNode(location)
    if method == "DELETE" and isinstance(target, ox.NamedNode) and not await engine.has_graph(target):
        return text(404, "no such graph")
    parts = [] if method == "DELETE" else await body_parts(request, body)
    base = target.value if isinstance(target, ox.NamedNode) else base_url(request)
    args = (parts, target, base, method, settings.policy(), request.headers.get("accept", ""))
    outcome = await written(engine, settings, request, jobs.stage_graph_write, args, f"{method} {target}")
    if isinstance(outcome, Response):
        return outcome
    if outcome.staged.answer is not None:
        return answer(outcome.staged.answer)
    headers = activity_header(outcome) or {}
    if location:
        return Response(status_code=201, headers={**headers, "Location": location})
    return Response(status_code=201 if outcome.staged.change.created else 204, headers=headers)


async def gsp(request: Request, engine: Backend, settings: Settings, direct: str | None = None) -> Response:
    """The Graph Store Protocol: reads for anyone, writes with the token."""
    target = target_graph(request, direct)
    if isinstance(target, Response):
        return target
    if request.method in ("GET", "HEAD"):
        return await gsp_read(request, engine, target)
    denied = authorised(request, settings)
    if denied:
        return denied
    return await gsp_write(request, engine, settings, target)


async def gsp_indirect(request: Request) -> Response:
    return await gsp(request, engine_of(request), settings_of(request))


async def gsp_direct(request: Request, direct: str) -> Response:
    return await gsp(request, engine_of(request), settings_of(request), direct or None)


# One route per method, so each operation has its own id in the OpenAPI description.
for _method in METHODS:
    router.add_api_route("/rdf-graphs", gsp_indirect, methods=[_method], operation_id=f"graph_store_{_method.lower()}",
                         summary=f"Graph Store Protocol {_method} (indirect: ?graph=IRI or ?default)")
    router.add_api_route("/rdf-graphs/{direct:path}", gsp_direct, methods=[_method],
                         operation_id=f"graph_store_direct_{_method.lower()}",
                         summary=f"Graph Store Protocol {_method} (direct naming: the URL is the graph IRI)")
