"""Named queries as pages: a browser gets /queries as a list and each query as a form for its typed parameters
with one page of its results as a table (IRIs as links named by their labels), paging and downloads; API clients
keep getting JSON. Results and parameter values are untrusted and are escaped."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import httpx
import pytest

from kg.pages.named import Results, cell, fields
from kg.pages.templating import render
from kg.queries import load_queries, parse_query_file

from .browser import browser_page, only_local, screenshot
from .conftest import copy_of
from .server_fixture import running_server

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
MEETINGS = "/queries/meetings-of-person"


@pytest.fixture(scope="module")
def server(corpus_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_server(copy_of(corpus_store, tmp_path_factory.mktemp("named")), "--workers", "2") as base:
        yield base


def page(server: str, path: str, **params: str) -> httpx.Response:
    return httpx.get(server + path, params=params, headers=HTML, timeout=30)


def table_rows(html: str) -> list[str]:
    body = html.split('<table class="results">', 1)[1].split("</table>", 1)[0]
    return [unescape(re.sub(r"<[^>]+>", " ", r)) for r in re.findall(r"<tr>(.*?)</tr>", body, re.S)][1:]


def test_a_browser_gets_the_list_of_named_queries_as_a_page(server: str) -> None:
    r = page(server, "/queries")
    assert r.headers["content-type"].startswith("text/html")
    links = re.findall(r'href="/queries/([\w-]+)"', r.text)
    assert sorted(links) == sorted(load_queries())


def test_an_api_client_still_gets_json(server: str) -> None:
    assert httpx.get(server + "/queries", headers={"Accept": "application/json"}).json()[0]["url"].startswith("/")
    r = httpx.get(server + MEETINGS, headers={"Accept": "application/sparql-results+json"})
    assert r.headers["content-type"].startswith("application/sparql-results+json")


def test_the_query_page_has_a_typed_input_per_parameter_filled_with_the_default(server: str) -> None:
    html = page(server, "/queries/timeline").text
    inputs = re.findall(r'<input id="p-(\w+)" name="\w+" type="(\w+)" value="([^"]*)"', html)
    assert inputs == [("a", "text", "https://w3id.org/diplograph/id/state/united-states"),
                      ("b", "text", "https://w3id.org/diplograph/id/state/colombia")]


def test_dates_and_integers_get_date_and_number_inputs(tmp_path: Path) -> None:
    rq = tmp_path / "since.rq"
    rq.write_text("#+ title: Since\n#+ params:\n#+   day: {type: date, default: '2026-01-01', description: From}\n"
                  "#+   n: {type: integer, default: '3', description: How many}\n"
                  "SELECT ?e WHERE { ?e dip:earliest ?d FILTER(?d >= ?day) } LIMIT 3\n")
    found = fields(parse_query_file(rq), {"n": "7"})
    assert [(f.name, f.input_type, f.value) for f in found] == [("day", "date", "2026-01-01"), ("n", "number", "7")]


def test_a_label_is_accepted_for_an_iri_parameter_and_iris_show_as_links_with_labels(server: str) -> None:
    html = page(server, MEETINGS, person="Donald Trump").text
    rows = table_rows(html)
    assert any("Claudia Sheinbaum" in r for r in rows) and not any("Donald Trump" in r for r in rows), rows
    assert re.search(r'<a href="/id/event/[0-9a-f]+">event/[0-9a-f]+</a>', html)


def test_the_json_route_accepts_short_ids_and_labels_too(server: str) -> None:
    by_label = httpx.get(server + MEETINGS, params={"person": "Donald Trump", "format": "json"}).json()
    by_short_id = httpx.get(server + MEETINGS, params={"person": "person/donald-trump", "format": "json"}).json()
    assert by_label == by_short_id and by_label["results"]["bindings"]


def test_iris_are_named_by_their_labels_else_by_prefixed_names(server: str) -> None:
    html = page(server, "/queries/actors", limit="1000").text
    assert '<a href="/id/person/gustavo-petro">Gustavo Petro</a>' in html
    assert '<a href="http://www.wikidata.org/entity/Q704022">wd:Q704022</a>' in html


def test_results_are_paged_on_the_server(server: str) -> None:
    first = page(server, "/queries/export-events", limit="3").text
    second = page(server, "/queries/export-events", limit="3", offset="3").text
    assert len(table_rows(first)) == 3 and len(table_rows(second)) == 3
    assert table_rows(first) != table_rows(second)
    assert 'rel="next" href="?offset=3&amp;limit=3"' in first and 'rel="prev"' not in first
    assert 'rel="prev" href="?offset=0&amp;limit=3"' in second and "Rows 4–6" in second


@pytest.mark.parametrize(("fmt", "media"), [("json", "application/sparql-results+json"),
                                            ("xml", "application/sparql-results+xml"), ("csv", "text/csv"),
                                            ("tsv", "text/tab-separated-values")])
def test_every_download_link_gives_all_rows_in_its_format(server: str, fmt: str, media: str) -> None:
    html = page(server, MEETINGS, person="gustavo-petro", limit="1").text
    href = unescape(re.search(rf'href="(\?[^"]*format={fmt})"', html).group(1))  # type: ignore[union-attr]
    r = httpx.get(server + MEETINGS + href, headers=HTML)
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    assert "Donald Trump" in r.text and "person=gustavo-petro" in href


def test_a_bad_parameter_is_a_400_page_with_the_form_and_the_value_escaped(server: str) -> None:
    r = page(server, MEETINGS, person="<script>alert(1)</script>")
    assert r.status_code == 400 and 'role="alert"' in r.text and '<input id="p-person"' in r.text
    assert "<script>alert" not in r.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text


def test_a_bad_page_number_is_a_400_page(server: str) -> None:
    r = page(server, MEETINGS, limit="many")
    assert r.status_code == 400 and "whole numbers" in r.text


def test_untrusted_results_are_escaped_and_only_web_iris_are_links() -> None:
    q = load_queries()["actors"]
    rows = [[cell({"type": "literal", "value": "<img src=x onerror=alert(1)>"}, {}),
             cell({"type": "uri", "value": "javascript:alert(1)"}, {}),
             cell({"type": "uri", "value": "https://example.org/x"}, {"https://example.org/x": "<b>x</b>"})]]
    html = render("query.html", q=q, fields=[], limit=50, results=Results(["a", "b", "c"], rows))
    assert "<img" not in html and "&lt;img src=x" in html and "<b>x" not in html and "&lt;b&gt;x" in html
    assert 'href="javascript:' not in html and '<a href="https://example.org/x">' in html


def test_a_named_query_form_runs_with_a_changed_parameter_in_a_browser(server: str, tmp_path: Path) -> None:
    requested: list[str] = []
    with browser_page(requested) as browser:
        browser.goto(server + "/queries")
        browser.get_by_role("link", name="All meetings and calls of a person").click()
        browser.wait_for_selector("table.results tbody tr")
        before = browser.locator("table.results tbody tr").all_inner_texts()
        browser.fill("#p-person", "Donald Trump")
        browser.get_by_role("button", name="Run").click()
        browser.wait_for_url("**person=Donald+Trump**")
        after = browser.locator("table.results tbody tr").all_inner_texts()
        screenshot(browser, tmp_path, "named-query")
    assert any("Donald Trump" in r for r in before) and not any("Claudia Sheinbaum" in r for r in before)
    assert any("Claudia Sheinbaum" in r for r in after), after
    assert only_local(requested, server), requested
