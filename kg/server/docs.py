"""/docs (Swagger UI) and /redoc (ReDoc) from the package's own copies under /static/vendor/, so the API's
documentation works offline and loads nothing from a CDN (FastAPI's documented self-hosting of the docs assets)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)
VENDOR = "/static/vendor"


def _root(request: Request) -> str:
    """The path the app is mounted at behind a proxy (from --base), so the pages' URLs work there too."""
    return str(request.scope.get("root_path", "")).rstrip("/")


@router.get("/docs")
async def swagger_ui(request: Request) -> HTMLResponse:
    root, app = _root(request), request.app
    return get_swagger_ui_html(
        openapi_url=root + app.openapi_url, title=app.title + " - Swagger UI",
        oauth2_redirect_url=root + "/docs/oauth2-redirect",
        swagger_js_url=f"{root}{VENDOR}/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{VENDOR}/swagger-ui/swagger-ui.css",
        swagger_favicon_url=f"{root}{VENDOR}/swagger-ui/favicon-32x32.png",
        # Swagger UI would otherwise send the spec's URL to its public validator for a badge.
        swagger_ui_parameters={"validatorUrl": None})


@router.get("/docs/oauth2-redirect")
async def swagger_ui_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc")
async def redoc(request: Request) -> HTMLResponse:
    root, app = _root(request), request.app
    return get_redoc_html(openapi_url=root + app.openapi_url, title=app.title + " - ReDoc",
                          redoc_js_url=f"{root}{VENDOR}/redoc/redoc.standalone.js",
                          redoc_favicon_url=f"{root}{VENDOR}/swagger-ui/favicon-32x32.png", with_google_fonts=False)
