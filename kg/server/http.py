"""What every route needs: content negotiation, plain-text errors, bodies read within limits, jobs run in the
store's worker pool, and the write token."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from .. import formats
from ..http_guard import BodyTooLarge, bearer_matches, read_body
from ..jobs import Answer, QueryJob, Staged, run_query
from ..journal import agent_iri
from ..store.engine import Backend, Written
from ..store.pool import Cancelled, Crashed, Saturated, TimeLimit
from .settings import Settings

FORMAT_ALIASES = formats.SHORT_NAMES
MEDIA_ALIASES = {"application/json": "application/sparql-results+json", "application/xml":
                 "application/sparql-results+xml", "text/xml": "application/sparql-results+xml",
                 "application/x-turtle": "text/turtle", "text/plain": "application/n-triples"}


def engine_of(request: Request) -> Backend:
    """The app's engine (one per app, made by create_app)."""
    engine: Backend = request.app.state.engine
    return engine


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


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


async def request_body(request: Request, settings: Settings) -> bytes | Response:
    try:
        return await read_body(request.stream(), request.headers.get("content-length"), settings.max_request_bytes)
    except BodyTooLarge as e:
        return text(413, str(e))


async def in_worker(engine: Backend, job: Callable[..., Any], args: tuple[Any, ...],
                    request: Request | None = None) -> Response:
    """Run a job that answers HTTP in a worker, mapping what can go wrong there to statuses."""
    try:
        result = await engine.read(job, args, request.is_disconnected if request is not None else None)
    except (Saturated, TimeLimit, Crashed, Cancelled) as e:
        return worker_failure(e)
    return answer(result) if isinstance(result, Answer) else result


async def select(request: Request, query: str) -> list[dict[str, Any]] | Response:
    """A SELECT of the server's own, run in a worker: its SPARQL JSON bindings, or the response that says why
    there are none (busy, time limit, crash)."""
    job = QueryJob(query, "application/sparql-results+json", None, [], [], base_url(request))
    found = await in_worker(engine_of(request), run_query, (job, settings_of(request).policy()), request)
    if found.status_code != 200:
        return found
    bindings: list[dict[str, Any]] = json.loads(bytes(found.body))["results"]["bindings"]
    return bindings


def worker_failure(e: Exception) -> Response:
    """The status of a job that did not finish: busy pool 503 (Retry-After), time limit 503, dead worker 500."""
    if isinstance(e, Saturated):
        return text(503, f"the server is busy ({e}); try again shortly", {"Retry-After": "1"})
    if isinstance(e, TimeLimit):
        return text(503, f"the request was {e}; narrow it or add a LIMIT")
    if isinstance(e, Crashed):
        return text(500, f"the query engine crashed ({e})")
    return text(499, "the client went away")


def authorised(request: Request, settings: Settings) -> Response | None:
    """None when the request carries a write token (the configured one, or the local one of kg.store.served)."""
    given = request.headers.get("authorization")
    if settings.local_token and bearer_matches(given, settings.local_token):
        return None
    if not settings.token:
        return text(403, "this endpoint is read-only: no write token is configured")
    if not bearer_matches(given, settings.token):
        return text(401, "a write needs the configured token (Authorization: Bearer <token>)",
                    {"WWW-Authenticate": 'Bearer realm="diplograph"'})
    return None


def writer(settings: Settings) -> str:
    """Who writes: the token holder, known by a digest of the token (the token itself is never stored)."""
    return agent_iri("token", hashlib.sha256((settings.token or "").encode()).hexdigest()[:12])


async def written(engine: Backend, settings: Settings, request: Request, stage: Callable[..., Staged],
                  args: tuple[Any, ...], description: str) -> Response | Written:
    try:
        return await engine.write(stage, args, writer(settings), description)
    except (Saturated, TimeLimit, Crashed) as e:
        return worker_failure(e)


def activity_header(outcome: Written) -> dict[str, str] | None:
    return {"X-Activity": outcome.activity.iri} if outcome.activity is not None else None
