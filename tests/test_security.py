"""No request makes the server fetch anything: every known way to smuggle a SERVICE, LOAD, remote context or
import past a guard is tried against a listener on 127.0.0.1, with and without a write token, and the listener
must see 0 requests. The decisions come from the SPARQL parser's tree; the workers have no network anyway."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .conftest import copy_of
from .listener import listening
from .server_fixture import running_server

TOKEN = "security-token"
WITH_TOKEN = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def listener() -> Iterator[tuple[str, list[str]]]:
    with listening() as (base, hits):
        yield base, hits


@pytest.fixture(scope="module")
def servers(corpus_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A read-only server and one with a write token, each on its own copy of the corpus store."""
    with running_server(copy_of(corpus_store, tmp_path_factory.mktemp("ro"))) as ro, \
            running_server(copy_of(corpus_store, tmp_path_factory.mktemp("rw")), "--token", TOKEN) as rw:
        yield {"read-only": ro, "token": rw}


CALLERS = [("read-only", {}), ("token", {}), ("token", WITH_TOKEN)]
CALLER_IDS = ["no token configured", "token not sent", "token sent"]


def service_queries(url: str) -> list[str]:
    host = url.rsplit(":", 1)[0]
    port = url.rsplit(":", 1)[1]
    escaped = url.replace("127", "\\u0031\\u0032\\u0037", 1)
    return [
        f"SELECT * WHERE {{ SERVICE<{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT<{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <{escaped}/\\u0073parql> {{ ?s ?p ?o }} }}",
        f"# '''\nSELECT * WHERE {{\n# '''\nSERVICE <{url}/sparql> {{ ?s ?p ?o }}\n# '''\n}}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }} }} }}",
        f"SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }} }} LIMIT 1",
        f"ASK {{ FILTER EXISTS {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }} }}",
        f"ASK {{ FILTER NOT EXISTS {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ VALUES ?e {{ <{url}/sparql> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE ?e {{ ?s ?p ?o }} }} VALUES ?e {{ <{url}/sparql> }}",
        f"PREFIX x: <{url}/> SELECT * WHERE {{ SERVICE x:sparql {{ ?s ?p ?o }} }}",
        f"BASE <{url}/a/b/> SELECT * WHERE {{ SERVICE <../../sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <{host}:{port}/x/../sparql> {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"DESCRIBE <{url}/sparql>",
        f"SELECT * FROM <{url}/sparql> FROM NAMED <{url}/named> WHERE {{ ?s ?p ?o }} LIMIT 1",
    ]


@pytest.mark.parametrize("who, headers", CALLERS, ids=CALLER_IDS)
def test_no_query_reaches_the_listener(servers: dict[str, str], listener: tuple[str, list[str]], who: str,
                                       headers: dict[str, str]) -> None:
    url, hits = listener
    statuses = []
    for query in service_queries(url):
        statuses.append(httpx.get(servers[who] + "/sparql", params={"query": query}, headers=headers).status_code)
        statuses.append(httpx.post(servers[who] + "/sparql", content=query, headers={
            **headers, "Content-Type": "application/sparql-query"}).status_code)
    assert hits == []
    # Every SERVICE is refused by name (403); DESCRIBE and FROM / FROM NAMED only read the store (200).
    assert statuses == [403] * 2 * 14 + [200] * 2 * 2


def updates(url: str) -> list[str]:
    return [
        f"LOAD <{url}/data.ttl>",
        f"LOAD SILENT<{url}/data.ttl> INTO GRAPH <http://example.org/g>",
        f"PREFIX x: <{url}/> LOAD x:data.ttl",
        f"LOAD <{url.replace('127', chr(92) + 'u0031' + '27', 1)}/data.ttl>",
        f"# '''\nLOAD <{url}/data.ttl>\n# '''",
        f"INSERT {{ GRAPH <http://example.org/g> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"DELETE {{ ?s ?p ?o }} WHERE {{ OPTIONAL {{ SERVICE SILENT<{url}/sparql> {{ ?s ?p ?o }} }} }}",
        f"INSERT DATA {{ <http://example.org/a> <http://example.org/p> 1 }} ; LOAD <{url}/data.ttl>",
    ]


@pytest.mark.parametrize("who, headers", CALLERS, ids=CALLER_IDS)
def test_no_update_reaches_the_listener(servers: dict[str, str], listener: tuple[str, list[str]], who: str,
                                        headers: dict[str, str]) -> None:
    url, hits = listener
    expected = 403 if headers or who == "read-only" else 401
    for update in updates(url):
        r = httpx.post(servers[who] + "/sparql", content=update,
                       headers={**headers, "Content-Type": "application/sparql-update"})
        assert r.status_code == expected, (update, r.text)
    assert hits == []


@pytest.mark.parametrize("who, headers", CALLERS, ids=CALLER_IDS)
def test_dataset_parameters_cannot_inject_into_an_update(servers: dict[str, str], listener: tuple[str, list[str]],
                                                         who: str, headers: dict[str, str]) -> None:
    url, hits = listener
    injected = f"http://example.org/g> WHERE {{}} ; LOAD <{url}/data.ttl> ; INSERT {{}} USING <http://example.org/h"
    r = httpx.post(servers[who] + "/sparql", params={"using-graph-uri": injected},
                   content="DELETE { ?s ?p ?o } WHERE { ?s <http://example.org/none> ?o }",
                   headers={**headers, "Content-Type": "application/sparql-update"})
    assert r.status_code in (400, 401, 403)
    q = httpx.get(servers[who] + "/sparql", headers=headers, params={
        "query": "ASK {}", "default-graph-uri": f"http://x> }} SERVICE <{url}/sparql> {{"})
    assert q.status_code == 400
    assert hits == []


def remote_documents(url: str) -> list[tuple[str, str]]:
    return [
        ("application/ld+json", f'{{"@context": "{url}/context.jsonld", "@id": "http://example.org/a", '
                                f'"http://example.org/p": "x"}}'),
        ("application/ld+json", f'{{"@context": ["{url}/c1", {{"@base": "{url}/"}}], "@id": "a", '
                                f'"http://example.org/p": "x"}}'),
        ("text/turtle", f"@base <{url}/> . <a> <http://www.w3.org/2002/07/owl#imports> <{url}/ontology.ttl> ."),
        ("text/turtle", f"<http://example.org/o> a <http://www.w3.org/2002/07/owl#Ontology> ; "
                        f"<http://www.w3.org/2002/07/owl#imports> <{url}/ontology.ttl> ."),
        ("application/rdf+xml", f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "{url}/e.xml">]>'
                                f'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                                f'xml:base="{url}/"><rdf:Description rdf:about="a">&e;</rdf:Description></rdf:RDF>'),
    ]


@pytest.mark.parametrize("who, headers", CALLERS, ids=CALLER_IDS)
def test_no_document_makes_the_server_fetch(servers: dict[str, str], listener: tuple[str, list[str]], who: str,
                                            headers: dict[str, str]) -> None:
    url, hits = listener
    for media, body in remote_documents(url):
        v = httpx.post(servers[who] + "/validate", content=body, headers={**headers, "Content-Type": media})
        assert v.status_code in (200, 400), (media, body, v.text)
        p = httpx.put(servers[who] + "/rdf-graphs", params={"graph": "http://example.org/doc"}, content=body,
                      headers={**headers, "Content-Type": media})
        assert p.status_code in (201, 204, 400, 401, 403, 422), (media, body, p.text)
    assert hits == []


def test_the_workers_have_no_network_without_an_allowlist(servers: dict[str, str]) -> None:
    status = httpx.get(servers["read-only"] + "/status").json()
    assert status["network_cut"] is True, status


def test_the_service_description_states_what_this_server_allows(servers: dict[str, str]) -> None:
    ro = httpx.get(servers["read-only"] + "/sparql").text
    assert "SPARQL11Update" not in ro and "BasicFederatedQuery" not in ro
    assert "SPARQL11Update" in httpx.get(servers["token"] + "/sparql").text
