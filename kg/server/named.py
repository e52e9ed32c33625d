"""The named queries of queries/ at /queries: their list, and each one run with its parameters bound as RDF
terms (never spliced into the text). API clients get JSON and the query's results; a browser gets the list as a
page, and each query as a form with one page of its results as a table (kg.pages.named)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from .. import jobs
from ..jobs import QueryJob
from ..linked_data import wants_html
from ..pages import named as view
from ..pages.templating import render
from ..queries import NamedQuery, QueryParamError
from .http import base_url, engine_of, in_worker, settings_of, text
from .sparql import run_query

router = APIRouter()


def queries_of(request: Request) -> dict[str, NamedQuery]:
    """The app's named queries, loaded once by create_app."""
    queries: dict[str, NamedQuery] = request.app.state.queries
    return queries


def _browser(request: Request) -> bool:
    """A browser asking for a page: it prefers HTML and names no result format."""
    return "format" not in request.query_params and wants_html(request.headers.get("accept", ""))


@router.get("/queries", summary="The named queries, with their parameters (an HTML list for browsers)")
async def list_named(request: Request) -> Response:
    if _browser(request):
        return HTMLResponse(render("queries.html", queries=list(queries_of(request).values())))
    return JSONResponse([{"name": q.name, "title": q.title, "description": q.description,
                          "parameters": [p.__dict__ for p in q.params], "url": f"/queries/{q.name}"}
                         for q in queries_of(request).values()])


async def named_page(request: Request, q: NamedQuery) -> Response:
    """The query's form, and one page (limit/offset) of its results run in a worker, as HTML."""
    params = dict(request.query_params)
    values = view.query_values(q, params)
    page = {"q": q, "fields": view.fields(q, values), "limit": view.DEFAULT_LIMIT}
    try:
        offset, limit = view.paging(params)
        sparql = q.bound(values, {"wikidata": settings_of(request).wikidata_endpoint})
    except (view.PageParamError, QueryParamError) as e:
        return HTMLResponse(render("query.html", **page, error=str(e)), status_code=400)
    job = QueryJob(sparql, None, None, [], [], base_url(request))
    answer = await in_worker(engine_of(request), jobs.run_page, (job, settings_of(request).policy(), offset, limit),
                             request)
    if answer.status_code != 200:
        error = bytes(answer.body).decode("utf-8", "replace")
        return HTMLResponse(render("query.html", **page, error=error), status_code=answer.status_code)
    found = view.results(json.loads(bytes(answer.body)), values, offset, limit)
    return HTMLResponse(render("query.html", **{**page, "limit": limit}, results=found))


@router.get("/queries/{name}", summary="Run a named query; parameters are bound as RDF terms, never spliced "
                                       "(a form and a table of results for browsers)")
async def run_named(request: Request, name: str) -> Response:
    q = queries_of(request).get(name)
    if q is None:
        return text(404, f"no named query {name!r}; see /queries")
    if _browser(request):
        return await named_page(request, q)
    settings = settings_of(request)
    values = {k: v for k, v in request.query_params.items() if k != "format"}
    try:
        sparql = q.bound(values, {"wikidata": settings.wikidata_endpoint})
    except QueryParamError as e:
        return text(400, str(e))
    return await run_query(request, engine_of(request), settings, sparql, [], [],
                           request.query_params.getlist("format"))
