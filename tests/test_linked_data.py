"""Our own IRIs dereference: RDF by content negotiation for clients, HTML for browsers, 404 for unknown things."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib

from kg.linked_data import wants_html

from .conftest import copy_of
from .server_fixture import running_server

PETRO = "https://w3id.org/diplograph/id/person/gustavo-petro"


@pytest.fixture(scope="module")
def server(corpus_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_server(copy_of(corpus_store, tmp_path_factory.mktemp("deref"))) as base:
        yield base


def test_turtle_for_an_rdf_client_parses_and_describes_the_person(server: str) -> None:
    r = httpx.get(server + "/id/person/gustavo-petro", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    assert (rdflib.URIRef(PETRO), rdflib.RDFS.label, None) in g
    assert any(str(o).startswith("https://w3id.org/diplograph/id/post/") for o in g.objects(rdflib.URIRef(PETRO)))


def test_a_browser_gets_html_with_the_label_and_links(server: str) -> None:
    r = httpx.get(server + "/id/person/gustavo-petro",
                  headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<h1>Gustavo Petro</h1>" in r.text and 'href="/id/post/' in r.text


def test_the_format_parameter_wins_over_a_browser_accept(server: str) -> None:
    r = httpx.get(server + "/id/person/gustavo-petro", params={"format": "ntriples"},
                  headers={"Accept": "text/html"})
    assert r.status_code == 200 and f"<{PETRO}>" in r.text


def test_an_unknown_thing_is_404(server: str) -> None:
    assert httpx.get(server + "/id/person/nobody-at-all", headers={"Accept": "text/turtle"}).status_code == 404


@pytest.mark.parametrize(("accept", "html"), [
    ("text/html", True), ("text/turtle", False), ("*/*", False), ("", False),
    ("application/ld+json, text/html;q=0.5", False), ("text/turtle;q=0.2, text/html", True),
])
def test_html_is_chosen_only_when_preferred(accept: str, html: bool) -> None:
    assert wants_html(accept) is html
