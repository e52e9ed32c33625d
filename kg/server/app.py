"""The app: one engine (the store's read-write handle and its worker pool) and the routers, by resource."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from ..names import SITE
from ..queries import load_queries
from ..store import DEFAULT_PATH, remote_url
from ..store.engine import Backend, Engine
from ..store.fronted import RemoteEngine, RemoteSpec
from . import docs, graph_store, linked, named, pages, sparql, validation
from .http import engine_of, settings_of
from .named import queries_of
from .settings import Settings

STATIC = Path(__file__).resolve().parent.parent / "static"
router = APIRouter()


class _AtSite:
    """Sets names.SITE for each request, so pages link our things under the server's root (--base)."""

    def __init__(self, app: ASGIApp, site: str) -> None:
        self.app, self.site = app, site

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = SITE.set(self.site)
        try:
            await self.app(scope, receive, send)
        finally:
            SITE.reset(token)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    app.state.engine.close()


def _engine(settings: Settings) -> Backend:
    """The embedded store's engine, or the remote one when the store is a URL (`kg serve --store URL`)."""
    url = remote_url(settings.store)
    if url is not None:
        return RemoteEngine(RemoteSpec(url), settings.workers, settings.timeout, settings.memory_bytes)
    return Engine(Path(settings.store or DEFAULT_PATH), settings.policy(), settings.workers, settings.timeout,
                  settings.memory_bytes)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The endpoint for the store folder in the settings."""
    settings = settings or Settings()
    engine = _engine(settings)
    # The docs come from the package (kg/server/docs.py), not FastAPI's CDN defaults; behind a proxy the base's
    # path is the root_path, so requests with or without that prefix reach the same routes.
    app = FastAPI(title="diplograph SPARQL endpoint", version="0.1.0", lifespan=_lifespan, docs_url=None,
                  redoc_url=None, root_path=settings.root_path(),
                  description="SPARQL 1.1 Protocol and Graph Store Protocol over a knowledge graph of diplomatic "
                              "events built from news articles. Read-only unless a write token is configured.")
    app.state.engine = engine
    app.state.settings = settings
    app.state.queries = load_queries()
    if STATIC.exists():
        app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(_AtSite, site=settings.site())
    for part in (sparql.router, graph_store.router, validation.router, named.router, linked.router, docs.router,
                 pages.router, router):
        app.include_router(part)
    return app


@router.get("/status", summary="The worker pool and its isolation")
async def status(request: Request) -> JSONResponse:
    return JSONResponse(await asyncio.get_running_loop().run_in_executor(None, engine_of(request).status))


@router.get("/", response_class=HTMLResponse, summary="The query page")
async def index(request: Request) -> HTMLResponse:
    page = STATIC / "index.html"
    if not page.exists():
        return HTMLResponse("<h1>diplograph</h1><p>SPARQL endpoint at <a href='/sparql'>/sparql</a></p>")
    order = sorted(queries_of(request).values(), key=lambda q: (q.name in ("export-events", "actors"), q.title))
    examples = [{"name": q.title, "query": q.bound({})} for q in order]
    # '</' would end the script element early; JSON allows it escaped.
    return HTMLResponse(page.read_text(encoding="utf-8").replace("__ROOT__", settings_of(request).root_path())
                        .replace("__EXAMPLES__", json.dumps(examples).replace("</", "<\\/")))
