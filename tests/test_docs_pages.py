"""The API's documentation pages work offline: /docs (Swagger UI) and /redoc (ReDoc) come from the package's
vendored copies, render the endpoint's operations in a real browser, and load nothing from outside the server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .browser import browser_page, only_local, screenshot
from .conftest import copy_of
from .server_fixture import running_server


@pytest.fixture(scope="module")
def server(corpus_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_server(copy_of(corpus_store, tmp_path_factory.mktemp("docs")), "--workers", "1") as base:
        yield base


def test_swagger_ui_renders_the_operations_from_the_package(server: str, tmp_path: Path) -> None:
    requested: list[str] = []
    with browser_page(requested) as page:
        page.goto(server + "/docs")
        page.wait_for_selector(".opblock", timeout=30_000)
        summaries = page.locator(".opblock-summary-path").all_inner_texts()
        shot = screenshot(page, tmp_path, "docs")
    assert {"/sparql", "/queries/{name}", "/rdf-graphs"} <= {s.replace("\u200b", "") for s in summaries}, summaries
    assert shot.stat().st_size > 0
    assert only_local(requested, server), requested


def test_redoc_renders_the_operations_from_the_package(server: str, tmp_path: Path) -> None:
    requested: list[str] = []
    with browser_page(requested) as page:
        page.goto(server + "/redoc")
        page.wait_for_selector("[data-section-id^='operation/']", timeout=30_000)
        sections = page.locator("[data-section-id^='operation/']").count()
        shot = screenshot(page, tmp_path, "redoc")
    assert sections >= 5 and shot.stat().st_size > 0
    assert only_local(requested, server), requested


def test_the_docs_assets_ship_with_their_licences(server: str) -> None:
    for path in ("swagger-ui/LICENSE", "swagger-ui/NOTICE", "redoc/LICENSE"):
        assert httpx.get(f"{server}/static/vendor/{path}").status_code == 200, path
