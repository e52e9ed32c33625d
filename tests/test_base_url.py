"""`kg serve --base URL` behind a proxy: the project's w3id IRIs map onto the base, pages link there, and the
server answers both at the base's path (a proxy that passes it on) and without it (a proxy that strips it)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import httpx
import pytest
import rdflib
from typer.testing import CliRunner

from kg.cli import app

from .conftest import copy_of
from .server_fixture import running_server

BASE = "https://example.org/diplograph/"
PETRO = "https://w3id.org/diplograph/id/person/gustavo-petro"
HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def server(corpus_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = copy_of(corpus_store, tmp_path_factory.mktemp("base"))
    with running_server(store, "--base", BASE, "--workers", "1") as url:
        yield url


def petro_label(server: str, path: str) -> set[str]:
    r = httpx.get(server + path, headers={"Accept": "text/turtle"})
    assert r.status_code == 200, r.text
    return {str(o) for o in rdflib.Graph().parse(data=r.text, format="turtle").objects(rdflib.URIRef(PETRO),
                                                                                        rdflib.RDFS.label)}


def test_a_thing_is_dereferenced_at_the_base_path(server: str) -> None:
    assert "Gustavo Petro" in petro_label(server, "/diplograph/id/person/gustavo-petro")


def test_a_thing_is_dereferenced_when_the_proxy_strips_the_path(server: str) -> None:
    assert "Gustavo Petro" in petro_label(server, "/id/person/gustavo-petro")


def test_pages_link_our_things_at_the_base(server: str) -> None:
    page = httpx.get(server + "/diplograph/id/person/gustavo-petro", headers=HTML).text
    links = re.findall(r'href="([^"]+)"', page)
    assert BASE + "id/post/president-of-colombia" in links and BASE + "queries" in links
    assert not [u for u in links if u.startswith("/id/") or u.startswith("https://w3id.org/diplograph/id/")]


def test_the_docs_load_their_assets_under_the_base_path(server: str) -> None:
    page = httpx.get(server + "/diplograph/docs").text
    assets = re.findall(r"""(?:src|href)="([^"]+)"|url: '([^']+)'""", page)
    paths = [a or b for a, b in assets]
    assert paths and all(p.startswith("/diplograph/") for p in paths), paths
    assert all(httpx.get(server + p).status_code == 200 for p in paths)


def test_a_base_that_is_no_http_url_is_refused(corpus_store: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--store", str(corpus_store), "--base", "example.org/x"])
    assert result.exit_code == 2 and "expected an http(s) URL" in result.output


def test_the_named_query_pages_link_under_the_base(server: str) -> None:
    listed = httpx.get(server + "/diplograph/queries", headers=HTML).text
    assert f'href="{BASE}queries/timeline"' in listed
    table = httpx.get(server + "/diplograph/queries/actors", params={"limit": "1000"}, headers=HTML).text
    assert f'<a href="{BASE}id/person/gustavo-petro">Gustavo Petro</a>' in table


def links_elsewhere(server: str, path: str) -> list[str]:
    """The links and sources of a page under the base that point at neither the base nor Wikidata."""
    html = httpx.get(f"{server}/diplograph/{path}", headers=HTML).text
    links = [unescape(u) for u in re.findall(r'(?:href|src)="([^"]+)"', html)]
    assert links
    return [u for u in links if not u.startswith((BASE, "?", "#", "http://www.wikidata.org/",
                                                  "https://www.wikidata.org/"))]


@pytest.mark.parametrize("path", ["timeline", "network", "queries", "queries/actors", "id/person/gustavo-petro",
                                  "id/state/colombia"])
def test_every_link_of_a_page_to_this_server_is_under_the_base(server: str, path: str) -> None:
    assert not links_elsewhere(server, path)


def test_the_event_page_links_under_the_base(server: str) -> None:
    rows = httpx.get(server + "/queries/meetings-of-person", params={"format": "json"}).json()["results"]["bindings"]
    event = rows[0]["event"]["value"]
    assert not links_elsewhere(server, event[len("https://w3id.org/diplograph/"):])
