"""The SPARQL 1.1 Protocol at /sparql: queries by GET and POST, updates by POST with the write token."""

from __future__ import annotations

import urllib.parse

from fastapi import APIRouter, Request
from fastapi.responses import Response

from .. import jobs
from ..jobs import GRAPH_FORMATS, RESULT_FORMATS, QueryJob
from ..store.engine import Backend
from .http import (
    activity_header,
    answer,
    authorised,
    base_url,
    charset_ok,
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


def service_description(base: str, settings: Settings) -> str:
    """What this server allows, as a SPARQL service description: Update only with a token, federation only with
    an allowlist."""
    languages = "sd:SPARQL11Query" + (" , sd:SPARQL11Update" if settings.token else "")
    features = "sd:UnionDefaultGraph" + (" , sd:BasicFederatedQuery" if settings.allow_service else "")
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix fmt: <http://www.w3.org/ns/formats/> .
<{base}> a sd:Service ;
    sd:endpoint <{base}> ;
    sd:supportedLanguage {languages} ;
    sd:feature {features} ;
    sd:resultFormat fmt:SPARQL_Results_JSON , fmt:SPARQL_Results_XML , fmt:SPARQL_Results_CSV ,
        fmt:SPARQL_Results_TSV , fmt:Turtle , fmt:N-Triples , fmt:RDF_XML , fmt:JSON-LD , fmt:TriG , fmt:N-Quads .
"""


async def run_query(request: Request, engine: Backend, settings: Settings, query: str, dgu: list[str],
                    ngu: list[str], fmt: str | list[str] | None) -> Response:
    if len(query.encode("utf-8")) > settings.max_query_bytes:
        return text(413, f"the query is over {settings.max_query_bytes:,} bytes")
    accept = request.headers.get("accept", "")
    job = QueryJob(query, negotiate(accept, fmt, RESULT_FORMATS, "application/sparql-results+json"),
                   negotiate(accept, fmt, GRAPH_FORMATS, "text/turtle"), dgu, ngu, base_url(request))
    return await in_worker(engine, jobs.run_query, (job, settings.policy()), request)


async def run_update(request: Request, engine: Backend, settings: Settings, update: str, using: list[str],
                     using_named: list[str]) -> Response:
    denied = authorised(request, settings)
    if denied:
        return denied
    args = (update, using, using_named, base_url(request), settings.policy(), request.headers.get("accept", ""))
    outcome = await written(engine, settings, request, jobs.stage_sparql_update, args, "SPARQL Update")
    if isinstance(outcome, Response):
        return outcome
    if outcome.staged.answer is not None:
        return answer(outcome.staged.answer)
    return Response(status_code=204, headers=activity_header(outcome))


async def sparql_get(request: Request, engine: Backend, settings: Settings) -> Response:
    """A query by GET; without one, the service description."""
    params = request.query_params
    if "update" in params:
        return text(405, "updates must be sent with POST", {"Allow": "GET, POST"})
    queries_given = params.getlist("query")
    if not queries_given:
        return Response(service_description(base_url(request), settings), media_type="text/turtle")
    if len(queries_given) > 1:
        return text(400, "give exactly one 'query' parameter")
    return await run_query(request, engine, settings, queries_given[0], params.getlist("default-graph-uri"),
                           params.getlist("named-graph-uri"), params.getlist("format"))


async def sparql_post(request: Request, engine: Backend, settings: Settings) -> Response:
    """A query or an update by POST: its body read within the limit and decoded, then dispatched by type."""
    header = request.headers.get("content-type", "")
    ctype = header.split(";")[0].strip().lower()
    body = await request_body(request, settings)
    if isinstance(body, Response):
        return body
    if not charset_ok(header):
        return text(415, "requests must be UTF-8")
    try:
        body_text = body.decode("utf-8")
    except UnicodeDecodeError:
        return text(400, "the request body is not UTF-8")
    if ctype == "application/x-www-form-urlencoded":
        return await _sparql_form(request, engine, settings, body_text)
    params = request.query_params
    if ctype == "application/sparql-query":
        return await run_query(request, engine, settings, body_text, params.getlist("default-graph-uri"),
                               params.getlist("named-graph-uri"), params.getlist("format"))
    if ctype == "application/sparql-update":
        return await run_update(request, engine, settings, body_text, params.getlist("using-graph-uri"),
                                params.getlist("using-named-graph-uri"))
    return text(415, "POST a query as application/x-www-form-urlencoded, application/sparql-query or "
                     "application/sparql-update")


async def _sparql_form(request: Request, engine: Backend, settings: Settings, body_text: str) -> Response:
    form = urllib.parse.parse_qs(body_text, keep_blank_values=True)
    q, u = form.get("query", []), form.get("update", [])
    if len(q) + len(u) != 1:
        return text(400, "give exactly one 'query' or one 'update' field")

    def both(name: str) -> list[str]:
        return form.get(name, []) + request.query_params.getlist(name)

    if q:
        return await run_query(request, engine, settings, q[0], both("default-graph-uri"),
                               both("named-graph-uri"), both("format"))
    return await run_update(request, engine, settings, u[0], both("using-graph-uri"),
                            both("using-named-graph-uri"))


@router.get("/sparql", summary="SPARQL query by GET; the service description without a query")
async def sparql_by_get(request: Request) -> Response:
    return await sparql_get(request, engine_of(request), settings_of(request))


@router.post("/sparql", summary="SPARQL query or update by POST (form-encoded or direct)")
async def sparql_by_post(request: Request) -> Response:
    return await sparql_post(request, engine_of(request), settings_of(request))
