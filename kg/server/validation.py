"""SHACL reports at /validate: what the gate would say of a posted batch, without merging it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from .. import jobs
from .http import engine_of, in_worker, request_body, settings_of

router = APIRouter()


@router.post("/validate", summary="The SHACL report for a posted batch, without merging it")
async def validate(request: Request) -> Response:
    settings = settings_of(request)
    body = await request_body(request, settings)
    if isinstance(body, Response):
        return body
    ctype = request.headers.get("content-type", "text/turtle").split(";")[0].strip().lower()
    return await in_worker(engine_of(request), jobs.validate_posted,
                           (body, ctype, request.headers.get("accept", ""), settings.policy()), request)
