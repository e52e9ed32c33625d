"""The SPARQL endpoint: a thin FastAPI app over the store (SPARQL 1.1 Protocol)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import pyoxigraph as ox
from fastapi import FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from kg.names import sparql_prefixes
from kg.store import DEFAULT_PATH, OxigraphStore, open_store

RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
# Short names for the `format` parameter fallback.
FORMAT_ALIASES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
    "tsv": "text/tab-separated-values", "turtle": "text/turtle", "ttl": "text/turtle",
    "ntriples": "application/n-triples", "nt": "application/n-triples", "rdfxml": "application/rdf+xml",
    "trig": "application/trig", "nquads": "application/n-quads", "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
}
ALIASES_OF_MEDIA = {"application/json": "application/sparql-results+json", "application/xml":
                    "application/sparql-results+xml", "text/xml": "application/sparql-results+xml"}


@dataclass
class Settings:
    store: Path | str | None = DEFAULT_PATH
    token: str | None = None
    timeout: float = 10.0
    allow_service: list[str] = field(default_factory=list)
    max_query_bytes: int = 100_000


def negotiate(accept: str, fmt: str | None, offered: dict[str, object], default: str) -> str | None:
    """Pick a media type from the `format` parameter or the Accept header (q-values honoured)."""
    if fmt:
        media = FORMAT_ALIASES.get(fmt.lower(), fmt.lower())
        media = ALIASES_OF_MEDIA.get(media, media)
        return media if media in offered else None
    choices: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media, q = pieces[0].lower(), 1.0
        for p in pieces[1:]:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        media = ALIASES_OF_MEDIA.get(media, media)
        choices.append((q, -i, media))
    for q, _, media in sorted(choices, reverse=True):
        if q <= 0:
            continue
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*", ""):
            return default
    return default if not accept.strip() else None


def service_description(base: str) -> str:
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix fmt: <http://www.w3.org/ns/formats/> .
<{base}> a sd:Service ;
    sd:endpoint <{base}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:feature sd:UnionDefaultGraph ;
    sd:resultFormat fmt:SPARQL_Results_JSON , fmt:SPARQL_Results_XML , fmt:SPARQL_Results_CSV ,
        fmt:SPARQL_Results_TSV , fmt:Turtle , fmt:N-Triples , fmt:RDF_XML , fmt:JSON-LD , fmt:TriG , fmt:N-Quads .
"""


def create_app(settings: Settings | None = None, store: OxigraphStore | None = None) -> FastAPI:
    """The endpoint app for a store (an open one, or the folder named in the settings)."""
    settings = settings or Settings()
    if store is None:
        store = open_store(settings.store)
    app = FastAPI(title="diplograph SPARQL endpoint",
                  description="SPARQL 1.1 Protocol over a knowledge graph of diplomatic events.")
    app.state.store = store
    app.state.settings = settings

    async def run_query(request: Request, query: str, default_graph_uri: list[str],
                        named_graph_uri: list[str], fmt: str | None) -> Response:
        if len(query.encode("utf-8")) > settings.max_query_bytes:
            return JSONResponse({"error": f"query over {settings.max_query_bytes} bytes"}, status_code=413)
        kwargs: dict[str, object] = {}
        if default_graph_uri:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graph_uri]
        if named_graph_uri:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graph_uri]
        try:
            result = await run_in_threadpool(store.query, query, **kwargs)
        except SyntaxError as e:
            return Response(f"SPARQL syntax error: {e}\n", status_code=400, media_type="text/plain")
        except (OSError, ValueError) as e:
            return Response(f"query failed: {e}\n", status_code=400, media_type="text/plain")
        accept = request.headers.get("accept", "")
        if isinstance(result, ox.QueryTriples):
            media = negotiate(accept, fmt, GRAPH_FORMATS, "text/turtle")
            if media is None:
                return Response("no acceptable RDF format\n", status_code=406, media_type="text/plain")
            body = await run_in_threadpool(result.serialize, format=GRAPH_FORMATS[media])
            return Response(body, media_type=media)
        media = negotiate(accept, fmt, RESULT_FORMATS, "application/sparql-results+json")
        if media is None:
            return Response("no acceptable results format\n", status_code=406, media_type="text/plain")
        body = await run_in_threadpool(result.serialize, format=RESULT_FORMATS[media])
        return Response(body, media_type=media)

    @app.get("/sparql", summary="SPARQL query via GET (service description without a query)")
    async def sparql_get(request: Request,
                         query: Annotated[str | None, Query()] = None,
                         default_graph_uri: Annotated[list[str], Query(alias="default-graph-uri")] = [],  # noqa: B006
                         named_graph_uri: Annotated[list[str], Query(alias="named-graph-uri")] = [],  # noqa: B006
                         format: Annotated[str | None, Query()] = None) -> Response:
        if query is None:
            return Response(service_description(str(request.url).split("?")[0]), media_type="text/turtle")
        return await run_query(request, query, default_graph_uri, named_graph_uri, format)

    @app.post("/sparql", summary="SPARQL query via POST (form-encoded or direct)")
    async def sparql_post(request: Request) -> Response:
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        params = request.query_params
        if ctype == "application/x-www-form-urlencoded":
            form = await request.form()
            query = form.get("query")
            dgu = [str(v) for v in form.getlist("default-graph-uri")] + params.getlist("default-graph-uri")
            ngu = [str(v) for v in form.getlist("named-graph-uri")] + params.getlist("named-graph-uri")
            fmt = form.get("format") or params.get("format")
        elif ctype == "application/sparql-query":
            query = (await request.body()).decode("utf-8")
            dgu, ngu, fmt = params.getlist("default-graph-uri"), params.getlist("named-graph-uri"), \
                params.get("format")
        else:
            return Response("POST a query as application/x-www-form-urlencoded or application/sparql-query\n",
                            status_code=415, media_type="text/plain")
        if not isinstance(query, str) or not query:
            return Response("missing 'query'\n", status_code=400, media_type="text/plain")
        return await run_query(request, query, dgu, ngu, str(fmt) if fmt else None)

    @app.get("/prefixes", summary="The prefixes the named queries use")
    async def prefixes() -> Response:
        return Response(sparql_prefixes(), media_type="text/plain")

    return app
