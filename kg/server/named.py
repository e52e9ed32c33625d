"""The named queries of queries/ at /queries: their list, and each one run with its parameters bound as RDF
terms (never spliced into the text)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from ..queries import NamedQuery, QueryParamError
from .http import engine_of, settings_of, text
from .sparql import run_query

router = APIRouter()


def queries_of(request: Request) -> dict[str, NamedQuery]:
    """The app's named queries, loaded once by create_app."""
    queries: dict[str, NamedQuery] = request.app.state.queries
    return queries


@router.get("/queries", summary="The named queries, with their parameters")
async def list_named(request: Request) -> JSONResponse:
    return JSONResponse([{"name": q.name, "title": q.title, "description": q.description,
                          "parameters": [p.__dict__ for p in q.params], "url": f"/queries/{q.name}"}
                         for q in queries_of(request).values()])


@router.get("/queries/{name}", summary="Run a named query; parameters are bound as RDF terms, never spliced")
async def run_named(request: Request, name: str) -> Response:
    q = queries_of(request).get(name)
    if q is None:
        return text(404, f"no named query {name!r}; see /queries")
    settings = settings_of(request)
    values = {k: v for k, v in request.query_params.items() if k != "format"}
    try:
        sparql = q.bound(values, {"wikidata": settings.wikidata_endpoint})
    except QueryParamError as e:
        return text(400, str(e))
    return await run_query(request, engine_of(request), settings, sparql, [], [],
                           request.query_params.getlist("format"))
