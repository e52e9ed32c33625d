"""The query page in a real browser: headless Chromium (Debian's) driven by Playwright runs a query through YASGUI
and sees the result rows; the page loads nothing from outside the server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .browser import CHROMIUM, FLAGS
from .conftest import copy_of
from .server_fixture import running_server


@pytest.fixture(scope="module")
def server(corpus_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    with running_server(copy_of(corpus_store, tmp_path_factory.mktemp("page"))) as base:
        yield base


def test_a_query_run_from_the_page_shows_its_rows(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    requested: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page()
        page.on("request", lambda r: requested.append(r.url))
        page.goto(server + "/")
        page.wait_for_selector(".yasqe .CodeMirror", timeout=20_000)
        assert page.locator("#examples button").count() >= 10
        page.evaluate("""() => window.yasgui.getTab().setQuery(
            'SELECT ?label WHERE { <https://w3id.org/diplograph/id/person/gustavo-petro> ' +
            '<http://www.w3.org/2000/01/rdf-schema#label> ?label }')""")
        page.click(".yasqe_queryButton")
        page.wait_for_selector(".yasr table tbody tr", timeout=20_000)
        rows = page.locator(".yasr table tbody tr").all_inner_texts()
        page.screenshot(path=str(tmp_path / "page.png"))
        browser.close()
    assert any("Gustavo Petro" in r for r in rows), rows
    assert requested and all(u.startswith(server) or u.startswith("data:") for u in requested), requested


def test_an_example_button_loads_a_named_query(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page()
        page.goto(server + "/")
        page.wait_for_selector("#examples button", timeout=20_000)
        page.get_by_role("button", name="Conflicting claims between sources").click()
        text = page.evaluate("() => window.yasgui.getTab().getQuery()")
        browser.close()
    assert "dip:earliest" in text and "VALUES ?only_type" in text
