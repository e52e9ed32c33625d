"""The SPARQL endpoint: a thin FastAPI app over the store.

SPARQL 1.1 Protocol at /sparql (queries; updates with a token), the Graph Store HTTP Protocol at /rdf-graphs,
SHACL reports at /validate, the named queries of queries/ at /queries, and a query page at /.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import urllib.parse
import uuid
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.formparsers import MultiPartParser

from kg import formats, jobs, linked_data
from kg.engine import Engine, Written
from kg.http_guard import BodyTooLarge, bearer_matches, read_body
from kg.jobs import GRAPH_FORMATS, RESULT_FORMATS, Answer, Policy, QueryJob, Staged
from kg.journal import agent_iri
from kg.names import ID
from kg.queries import QueryParamError, load_queries
from kg.sparql_tree import MAX_DEPTH
from kg.store import DEFAULT_PATH
from kg.work import Cancelled, Crashed, Saturated, TimeLimit

STATIC = Path(__file__).resolve().parent / "static"
FORMAT_ALIASES = formats.SHORT_NAMES
MEDIA_ALIASES = {"application/json": "application/sparql-results+json", "application/xml":
                 "application/sparql-results+xml", "text/xml": "application/sparql-results+xml",
                 "application/x-turtle": "text/turtle", "text/plain": "application/n-triples"}


@dataclass
class Settings:
    store: Path | str | None = DEFAULT_PATH
    token: str | None = None
    timeout: float = 10.0
    allow_service: list[str] = field(default_factory=list)
    allow_drop_all: bool = False
    max_query_bytes: int = 100_000
    max_request_bytes: int = 20_000_000
    max_result_bytes: int = 50_000_000
    max_literal: int = 1_000_000
    max_depth: int = MAX_DEPTH
    workers: int = 6
    memory_bytes: int = 4_000_000_000
    engine: str = "turbo"
    wikidata_endpoint: str = "https://query.wikidata.org/sparql"

    def policy(self) -> Policy:
        return Policy(self.allow_service, self.allow_drop_all, self.max_depth, self.max_result_bytes,
                      self.max_literal, self.engine)


def _accept_choices(accept: str) -> list[tuple[float, int, str]]:
    """The media types of an Accept header with their q-values, in the client's order of preference."""
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
    return sorted(choices, reverse=True)


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
    for q, _, media in _accept_choices(accept):
        if q <= 0:
            continue
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*"):
            return default
    return None


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


def text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(message.rstrip("\n") + "\n", status_code=status, media_type="text/plain", headers=headers)


def answer(a: Answer) -> Response:
    media = a.media_type + ("; charset=utf-8" if a.media_type.startswith("text/") else "")
    return Response(a.body, status_code=a.status, media_type=media, headers=a.headers or None)


def charset_ok(ctype_header: str) -> bool:
    for part in ctype_header.split(";")[1:]:
        k, _, v = part.strip().partition("=")
        if k.lower() == "charset" and v.strip().strip('"').lower() not in ("utf-8", "utf8"):
            return False
    return True


def base_url(request: Request) -> str:
    return str(request.url).split("?")[0]


async def in_worker(engine: Engine, job: Callable[..., Any], args: tuple[Any, ...],
                    request: Request | None = None) -> Response:
    """Run a job that answers HTTP in a worker, mapping what can go wrong there to statuses."""
    try:
        result = await engine.read(job, args, request.is_disconnected if request is not None else None)
    except (Saturated, TimeLimit, Crashed, Cancelled) as e:
        return worker_failure(e)
    return answer(result) if isinstance(result, Answer) else result


def worker_failure(e: Exception) -> Response:
    """The status of a job that did not finish: busy pool 503 (Retry-After), time limit 503, dead worker 500."""
    if isinstance(e, Saturated):
        return text(503, f"the server is busy ({e}); try again shortly", {"Retry-After": "1"})
    if isinstance(e, TimeLimit):
        return text(503, f"the request was {e}; narrow it or add a LIMIT")
    if isinstance(e, Crashed):
        return text(500, f"the query engine crashed ({e})")
    return text(499, "the client went away")


def create_app(settings: Settings | None = None) -> FastAPI:
    """The endpoint for the store folder in the settings."""
    settings = settings or Settings()
    engine = Engine(Path(settings.store or DEFAULT_PATH), settings.policy(), settings.workers, settings.timeout,
                    settings.memory_bytes)
    queries = load_queries()
    app = FastAPI(title="diplograph SPARQL endpoint", version="0.1.0",
                  description="SPARQL 1.1 Protocol and Graph Store Protocol over a knowledge graph of diplomatic "
                              "events built from news articles. Read-only unless a write token is configured.")
    app.state.engine = engine
    app.state.settings = settings
    if STATIC.exists():
        app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.on_event("shutdown")
    def _close() -> None:
        engine.close()

    _sparql_routes(app, engine, settings)
    _graph_store_routes(app, engine, settings)
    _other_routes(app, engine, settings, queries)
    return app


def authorised(request: Request, settings: Settings) -> Response | None:
    if not settings.token:
        return text(403, "this endpoint is read-only: no write token is configured")
    if not bearer_matches(request.headers.get("authorization"), settings.token):
        return text(401, "a write needs the configured token (Authorization: Bearer <token>)",
                    {"WWW-Authenticate": 'Bearer realm="diplograph"'})
    return None


def writer(settings: Settings) -> str:
    """Who writes: the token holder, known by a digest of the token (the token itself is never stored)."""
    return agent_iri("token", hashlib.sha256((settings.token or "").encode()).hexdigest()[:12])


async def written(engine: Engine, settings: Settings, request: Request, stage: Callable[..., Staged],
                  args: tuple[Any, ...], description: str) -> Response | Written:
    try:
        return await engine.write(stage, args, writer(settings), description)
    except (Saturated, TimeLimit, Crashed) as e:
        return worker_failure(e)


async def run_query(request: Request, engine: Engine, settings: Settings, query: str, dgu: list[str],
                    ngu: list[str], fmt: str | list[str] | None) -> Response:
    if len(query.encode("utf-8")) > settings.max_query_bytes:
        return text(413, f"the query is over {settings.max_query_bytes:,} bytes")
    accept = request.headers.get("accept", "")
    job = QueryJob(query, negotiate(accept, fmt, RESULT_FORMATS, "application/sparql-results+json"),
                   negotiate(accept, fmt, GRAPH_FORMATS, "text/turtle"), dgu, ngu, base_url(request))
    return await in_worker(engine, jobs.run_query, (job, settings.policy()), request)


async def run_update(request: Request, engine: Engine, settings: Settings, update: str, using: list[str],
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


def activity_header(outcome: Written) -> dict[str, str] | None:
    return {"X-Activity": outcome.activity.iri} if outcome.activity is not None else None


async def request_body(request: Request, settings: Settings) -> bytes | Response:
    try:
        return await read_body(request.stream(), request.headers.get("content-length"), settings.max_request_bytes)
    except BodyTooLarge as e:
        return text(413, str(e))


async def sparql_get(request: Request, engine: Engine, settings: Settings) -> Response:
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


async def sparql_post(request: Request, engine: Engine, settings: Settings) -> Response:
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


async def _sparql_form(request: Request, engine: Engine, settings: Settings, body_text: str) -> Response:
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


def _sparql_routes(app: FastAPI, engine: Engine, settings: Settings) -> None:
    @app.get("/sparql", summary="SPARQL query by GET; the service description without a query")
    async def sparql_by_get(request: Request) -> Response:
        return await sparql_get(request, engine, settings)

    @app.post("/sparql", summary="SPARQL query or update by POST (form-encoded or direct)")
    async def sparql_by_post(request: Request) -> Response:
        return await sparql_post(request, engine, settings)


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


async def graph_exists(engine: Engine, target: ox.NamedNode) -> bool:
    return await asyncio.get_running_loop().run_in_executor(None, engine.store.contains_named_graph, target)


Target = ox.NamedNode | ox.DefaultGraph | None


async def gsp_read(request: Request, engine: Engine, target: Target) -> Response:
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


async def gsp_write(request: Request, engine: Engine, settings: Settings, target: Target) -> Response:
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
    if method == "DELETE" and isinstance(target, ox.NamedNode) and not await graph_exists(engine, target):
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


async def gsp(request: Request, engine: Engine, settings: Settings, direct: str | None = None) -> Response:
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


def _graph_store_routes(app: FastAPI, engine: Engine, settings: Settings) -> None:
    async def indirect(request: Request) -> Response:
        return await gsp(request, engine, settings)

    for path in ("/rdf-graphs", "/rdf-graphs/"):
        app.add_api_route(path, indirect, methods=["GET", "HEAD", "PUT", "POST", "DELETE"],
                          summary="Graph Store Protocol (indirect: ?graph=IRI or ?default)")

    @app.api_route("/rdf-graphs/{direct:path}", methods=["GET", "HEAD", "PUT", "POST", "DELETE"],
                   summary="Graph Store Protocol (direct naming: the URL is the graph IRI)")
    async def gsp_direct(request: Request, direct: str) -> Response:
        return await gsp(request, engine, settings, direct)


async def dereference(request: Request, engine: Engine, settings: Settings, rest: str) -> Response:
    """One of our own IRIs: HTML for a browser, its concise description as RDF for anyone else; 404 if unknown."""
    try:
        iri = ox.NamedNode(ID + rest).value
    except ValueError:
        return text(400, f"not an IRI: {ID + rest!r}")
    job = QueryJob(linked_data.rows_query(iri), "application/sparql-results+json", None, [], [], base_url(request))
    found = await in_worker(engine, jobs.run_query, (job, settings.policy()), request)
    if found.status_code != 200:
        return found
    bindings = json.loads(bytes(found.body))["results"]["bindings"]
    if not bindings:
        return text(404, f"nothing is known about <{iri}>")
    formats_asked = request.query_params.getlist("format")
    if not formats_asked and linked_data.wants_html(request.headers.get("accept", "")):
        return HTMLResponse(linked_data.render(iri, bindings))
    return await run_query(request, engine, settings, linked_data.describe_query(iri), [], [], formats_asked)


def _other_routes(app: FastAPI, engine: Engine, settings: Settings, queries: dict) -> None:
    @app.post("/validate", summary="The SHACL report for a posted batch, without merging it")
    async def validate(request: Request) -> Response:
        body = await request_body(request, settings)
        if isinstance(body, Response):
            return body
        ctype = request.headers.get("content-type", "text/turtle").split(";")[0].strip().lower()
        return await in_worker(engine, jobs.validate_posted,
                               (body, ctype, request.headers.get("accept", ""), settings.policy()), request)

    @app.get("/id/{rest:path}", summary="Our own IRIs, dereferenced: HTML for browsers, RDF by content negotiation")
    async def by_iri(request: Request, rest: str) -> Response:
        return await dereference(request, engine, settings, rest)

    @app.get("/status", summary="The worker pool and its isolation")
    async def status() -> JSONResponse:
        return JSONResponse(await asyncio.get_running_loop().run_in_executor(None, engine.status))

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
        return await run_query(request, engine, settings, sparql, [], [], request.query_params.getlist("format"))

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

