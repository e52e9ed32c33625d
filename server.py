"""The SPARQL endpoint: a thin FastAPI app over the store.

SPARQL 1.1 Protocol at /sparql (queries; updates with a token), the Graph Store HTTP Protocol at /rdf-graphs,
SHACL reports at /validate, the named queries of queries/ at /queries, and a query page at /.
"""

from __future__ import annotations

import hmac
import json
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from kg.executor import GRAPH_FORMATS, RESULT_FORMATS, Executor, QueryRequest, QueryResponse
from kg.queries import QueryParamError, load_queries
from kg.sparql_guard import Forbidden, check_remote, has_dataset_clause, query_form
from kg.store import DEFAULT_PATH, OxigraphStore
from kg.union import DIRECT_GRAPH, drop_graph
from kg.updates import UpdateError, apply_update, graph_write, parse_body
from kg.validate import BatchError, Report, validate_batch

STATIC = Path(__file__).resolve().parent / "kg" / "static"
FORMAT_ALIASES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
    "tsv": "text/tab-separated-values", "turtle": "text/turtle", "ttl": "text/turtle",
    "ntriples": "application/n-triples", "nt": "application/n-triples", "rdfxml": "application/rdf+xml",
    "rdf": "application/rdf+xml", "trig": "application/trig", "nquads": "application/n-quads",
    "jsonld": "application/ld+json", "json-ld": "application/ld+json",
}
MEDIA_ALIASES = {"application/json": "application/sparql-results+json", "application/xml":
                 "application/sparql-results+xml", "text/xml": "application/sparql-results+xml",
                 "application/x-turtle": "text/turtle", "text/plain": "application/n-triples"}


@dataclass
class Settings:
    store: Path | str | None = DEFAULT_PATH
    token: str | None = None
    timeout: float = 10.0
    allow_service: list[str] = field(default_factory=list)
    max_query_bytes: int = 100_000
    max_request_bytes: int = 20_000_000
    max_result_bytes: int = 50_000_000
    workers: int = 2
    engine: str = "turbo"
    wikidata_endpoint: str = "https://query.wikidata.org/sparql"


def negotiate(accept: str, fmt: str | list[str] | None, offered: dict, default: str) -> str | None:
    """A media type from the `format` parameter (names or media types, possibly several), else the Accept header
    (q-values honoured), else the default."""
    for value in ([fmt] if isinstance(fmt, str) else fmt or []):
        for item in value.split(","):
            media = FORMAT_ALIASES.get(item.strip().lower(), item.strip().lower())
            media = MEDIA_ALIASES.get(media, media)
            if media in offered:
                return media
    if not accept.strip():
        return default
    choices = []
    for i, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media, q = pieces[0].lower(), 1.0
        for p in pieces[1:]:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        choices.append((q, -i, MEDIA_ALIASES.get(media, media)))
    for q, _, media in sorted(choices, reverse=True):
        if q <= 0:
            continue
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*"):
            return default
    return None


def service_description(base: str) -> str:
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix fmt: <http://www.w3.org/ns/formats/> .
<{base}> a sd:Service ;
    sd:endpoint <{base}> ;
    sd:supportedLanguage sd:SPARQL11Query , sd:SPARQL11Update ;
    sd:feature sd:UnionDefaultGraph , sd:BasicFederatedQuery ;
    sd:resultFormat fmt:SPARQL_Results_JSON , fmt:SPARQL_Results_XML , fmt:SPARQL_Results_CSV ,
        fmt:SPARQL_Results_TSV , fmt:Turtle , fmt:N-Triples , fmt:RDF_XML , fmt:JSON-LD , fmt:TriG , fmt:N-Quads .
"""


def text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(message.rstrip("\n") + "\n", status_code=status, media_type="text/plain", headers=headers)


def report_response(report: Report, accept: str, status: int) -> Response:
    if "turtle" in accept and report.graph is not None:
        return Response(report.graph.serialize(format="turtle"), status_code=status, media_type="text/turtle")
    return JSONResponse({"conforms": report.conforms, "results": [r.__dict__ for r in report.results]},
                        status_code=status)


def create_app(settings: Settings | None = None, store: OxigraphStore | None = None) -> FastAPI:
    """The endpoint for the store folder in the settings (or an open in-memory store, for tests)."""
    settings = settings or Settings()
    if store is not None and store.path is None:
        executor = Executor(None, store.raw, settings.workers, settings.timeout)
    else:
        path = Path(store.path if store is not None and store.path else settings.store or DEFAULT_PATH)
        if store is None and not path.exists():
            ox.Store(str(path)).flush()  # an empty store to serve
        executor = Executor(path, None, settings.workers, settings.timeout)
    queries = load_queries()
    app = FastAPI(title="diplograph SPARQL endpoint", version="0.1.0",
                  description="SPARQL 1.1 Protocol and Graph Store Protocol over a knowledge graph of diplomatic "
                              "events built from news articles. Read-only unless a write token is configured.")
    app.state.executor = executor
    app.state.settings = settings
    if STATIC.exists():
        app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.on_event("shutdown")
    def _close() -> None:
        executor.close()

    def authorised(request: Request) -> Response | None:
        if not settings.token:
            return text(403, "this endpoint is read-only: no write token is configured")
        given = request.headers.get("authorization", "")
        if not given.startswith("Bearer ") or not hmac.compare_digest(given[7:], settings.token):
            return text(401, "a write needs the configured token (Authorization: Bearer <token>)",
                        {"WWW-Authenticate": 'Bearer realm="diplograph"'})
        return None

    async def run_query(request: Request, query: str, dgu: list[str], ngu: list[str],
                        fmt: str | list[str] | None) -> Response:
        if len(query.encode("utf-8")) > settings.max_query_bytes:
            return text(413, f"the query is over {settings.max_query_bytes:,} bytes")
        try:
            check_remote(query, settings.allow_service)
        except Forbidden as e:
            return text(403, str(e))
        form = query_form(query)
        accept = request.headers.get("accept", "")
        result_media = negotiate(accept, fmt, RESULT_FORMATS, "application/sparql-results+json")
        graph_media = negotiate(accept, fmt, GRAPH_FORMATS, "text/turtle")
        if (form in ("SELECT", "ASK") and result_media is None) or \
                (form in ("CONSTRUCT", "DESCRIBE") and graph_media is None):
            return text(406, "none of the acceptable media types can carry this query's results")
        req = QueryRequest(query, result_media or "application/sparql-results+json", graph_media or "text/turtle",
                           dgu, ngu, settings.max_result_bytes, base_iri=str(request.url).split("?")[0])
        res: QueryResponse = await run_in_threadpool(executor.run, req)
        media = res.media_type + ("; charset=utf-8" if res.media_type.startswith("text/") else "")
        return Response(res.body, status_code=res.status, media_type=media)

    async def run_update(request: Request, update: str, using: list[str], using_named: list[str]) -> Response:
        denied = authorised(request)
        if denied:
            return denied
        if (using or using_named) and has_dataset_clause(update):
            return text(400, "using-graph-uri/using-named-graph-uri cannot be combined with USING or WITH")
        try:
            check_remote(update, settings.allow_service)
        except Forbidden as e:
            return text(403, str(e))
        try:
            base = str(request.url).split("?")[0]
            outcome = await run_in_threadpool(executor.write, lambda s: apply_update(s, update, using, using_named,
                                                                                      settings.engine, base))
        except UpdateError as e:
            return text(400, str(e))
        if not outcome.ok:
            return report_response(outcome.report, request.headers.get("accept", ""), 422)
        return Response(status_code=204)

    def charset_ok(ctype_header: str) -> bool:
        for part in ctype_header.split(";")[1:]:
            k, _, v = part.strip().partition("=")
            if k.lower() == "charset" and v.strip().strip('"').lower() not in ("utf-8", "utf8"):
                return False
        return True

    @app.get("/sparql", summary="SPARQL query by GET; the service description without a query")
    async def sparql_get(request: Request) -> Response:
        params = request.query_params
        if "update" in params:
            return text(405, "updates must be sent with POST", {"Allow": "GET, POST"})
        queries_given = params.getlist("query")
        if not queries_given:
            return Response(service_description(str(request.url).split("?")[0]), media_type="text/turtle")
        if len(queries_given) > 1:
            return text(400, "give exactly one 'query' parameter")
        return await run_query(request, queries_given[0], params.getlist("default-graph-uri"),
                               params.getlist("named-graph-uri"), params.getlist("format"))

    @app.post("/sparql", summary="SPARQL query or update by POST (form-encoded or direct)")
    async def sparql_post(request: Request) -> Response:
        header = request.headers.get("content-type", "")
        ctype = header.split(";")[0].strip().lower()
        params = request.query_params
        body = await request.body()
        if len(body) > settings.max_request_bytes:
            return text(413, f"the request is over {settings.max_request_bytes:,} bytes")
        if not charset_ok(header):
            return text(415, "requests must be UTF-8")
        try:
            body_text = body.decode("utf-8")
        except UnicodeDecodeError:
            return text(400, "the request body is not UTF-8")
        if ctype == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body_text, keep_blank_values=True)
            q, u = form.get("query", []), form.get("update", [])
            if len(q) + len(u) != 1:
                return text(400, "give exactly one 'query' or one 'update' field")

            def both(name: str) -> list[str]:
                return form.get(name, []) + params.getlist(name)

            if q:
                return await run_query(request, q[0], both("default-graph-uri"), both("named-graph-uri"),
                                       both("format"))
            return await run_update(request, u[0], both("using-graph-uri"), both("using-named-graph-uri"))
        if ctype == "application/sparql-query":
            return await run_query(request, body_text, params.getlist("default-graph-uri"),
                                   params.getlist("named-graph-uri"), params.getlist("format"))
        if ctype == "application/sparql-update":
            return await run_update(request, body_text, params.getlist("using-graph-uri"),
                                    params.getlist("using-named-graph-uri"))
        return text(415, "POST a query as application/x-www-form-urlencoded, application/sparql-query or "
                         "application/sparql-update")

    # --- Graph Store HTTP Protocol ---------------------------------------------------------------------------
    def target_graph(request: Request, direct: str | None) -> ox.NamedNode | ox.DefaultGraph | Response | None:
        params = request.query_params
        if direct is not None:
            return ox.NamedNode(str(request.url).split("?")[0])
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

    async def gsp(request: Request, direct: str | None = None) -> Response:
        target = target_graph(request, direct)
        if isinstance(target, Response):
            return target
        method = request.method
        if method in ("GET", "HEAD"):
            if target is None:
                return text(400, "name a graph with ?graph=IRI or ?default")
            media = negotiate(request.headers.get("accept", ""), request.query_params.getlist("format"),
                              GRAPH_FORMATS, "text/turtle")
            if media is None:
                return text(406, "no acceptable RDF format")

            def read(s: ox.Store) -> bytes | None:
                if isinstance(target, ox.NamedNode) and not s.contains_named_graph(target):
                    return None
                quads = [ox.Triple(q.subject, q.predicate, q.object)
                         for q in s.quads_for_pattern(None, None, None, target)]
                return ox.serialize(quads, format=GRAPH_FORMATS[media] if media not in (
                    "application/trig", "application/n-quads") else ox.RdfFormat.TURTLE)

            body = await run_in_threadpool(executor.read, read)
            if body is None:
                return text(404, "no such graph")
            media_type = media + ("; charset=utf-8" if media.startswith("text/") else "")
            return Response(b"" if method == "HEAD" else body, media_type=media_type,
                            headers={"Content-Length": str(len(body))} if method == "HEAD" else None)
        denied = authorised(request)
        if denied:
            return denied
        if method == "DELETE":
            if target is None:
                return text(400, "name a graph with ?graph=IRI or ?default")

            def drop(s: ox.Store) -> bool:
                if isinstance(target, ox.DefaultGraph):  # what was sent to the default graph itself
                    drop_graph(s, ox.NamedNode(DIRECT_GRAPH))
                    return True
                if not s.contains_named_graph(target):
                    return False
                drop_graph(s, target)
                return True

            found = await run_in_threadpool(executor.write, drop)
            return Response(status_code=204) if found else text(404, "no such graph")
        body = await request.body()
        if len(body) > settings.max_request_bytes:
            return text(413, f"the request is over {settings.max_request_bytes:,} bytes")
        created_location = None
        if target is None:
            if method != "POST":
                return text(400, "name a graph with ?graph=IRI or ?default")
            import uuid

            created_location = str(request.url).split("?")[0].rstrip("/") + "/" + uuid.uuid4().hex
            target = ox.NamedNode(created_location)
        base = target.value if isinstance(target, ox.NamedNode) else str(request.url).split("?")[0]
        ctype = request.headers.get("content-type", "text/turtle").split(";")[0].strip().lower()
        try:
            if ctype == "multipart/form-data":
                form = await request.form()
                quads: list[ox.Quad] = []
                for _, part in form.multi_items():
                    if hasattr(part, "read"):
                        data = await part.read()
                        media = (part.content_type or "text/turtle").split(";")[0].strip().lower()
                        quads.extend(parse_body(data, media, target, base))
            else:
                quads = parse_body(body, ctype, target, base)
            outcome = await run_in_threadpool(executor.write, lambda s: graph_write(s, target, quads, method == "PUT",
                                                                                    settings.engine))
        except UpdateError as e:
            return text(400, str(e))
        if not outcome.ok:
            return report_response(outcome.report, request.headers.get("accept", ""), 422)
        if created_location:
            return Response(status_code=201, headers={"Location": created_location})
        return Response(status_code=201 if outcome.created else 204)

    for path in ("/rdf-graphs", "/rdf-graphs/"):
        app.add_api_route(path, gsp, methods=["GET", "HEAD", "PUT", "POST", "DELETE"],
                          summary="Graph Store Protocol (indirect: ?graph=IRI or ?default)")

    @app.api_route("/rdf-graphs/{direct:path}", methods=["GET", "HEAD", "PUT", "POST", "DELETE"],
                   summary="Graph Store Protocol (direct naming: the URL is the graph IRI)")
    async def gsp_direct(request: Request, direct: str) -> Response:
        return await gsp(request, direct)

    # --- validation and named queries --------------------------------------------------------------------
    @app.post("/validate", summary="The SHACL report for a posted batch, without merging it")
    async def validate(request: Request) -> Response:
        body = await request.body()
        if len(body) > settings.max_request_bytes:
            return text(413, f"the request is over {settings.max_request_bytes:,} bytes")
        ctype = request.headers.get("content-type", "text/turtle").split(";")[0].strip().lower()
        graph = ox.NamedNode("https://w3id.org/diplograph/graph/batch/posted")
        try:
            quads = parse_body(body, ctype, graph, "https://w3id.org/diplograph/id/")
            from kg.validate import check_batch

            check_batch(quads, "request body")
        except (UpdateError, BatchError) as e:
            return text(400, str(e))
        report = await run_in_threadpool(executor.read, lambda s: validate_batch(s, quads, settings.engine))
        return report_response(report, request.headers.get("accept", ""), 200)

    @app.get("/queries", summary="The named queries, with their parameters")
    async def list_named() -> JSONResponse:
        return JSONResponse([{"name": q.name, "title": q.title, "description": q.description,
                              "parameters": [p.__dict__ for p in q.params], "url": f"/queries/{q.name}"}
                             for q in queries.values()])

    @app.get("/queries/{name}", summary="Run a named query; parameters are bound as RDF terms, never spliced")
    async def run_named(request: Request, name: str) -> Response:
        q = queries.get(name)
        if q is None:
            return text(404, f"no named query {name!r}; see /queries")
        values = {k: v for k, v in request.query_params.items() if k != "format"}
        try:
            sparql = q.bound(values, {"wikidata": settings.wikidata_endpoint})
        except QueryParamError as e:
            return text(400, str(e))
        return await run_query(request, sparql, [], [], request.query_params.getlist("format"))

    @app.get("/", response_class=HTMLResponse, summary="The query page")
    async def index() -> HTMLResponse:
        page = STATIC / "index.html"
        if not page.exists():
            return HTMLResponse("<h1>diplograph</h1><p>SPARQL endpoint at <a href='/sparql'>/sparql</a></p>")
        order = sorted(queries.values(), key=lambda q: (q.name in ("export-events", "actors"), q.title))
        examples = [{"name": q.title, "query": q.bound({})} for q in order]
        # '</' would end the script element early; JSON allows it escaped.
        return HTMLResponse(page.read_text(encoding="utf-8").replace("__EXAMPLES__",
                                                                     json.dumps(examples).replace("</", "<\\/")))

    return app
