"""The endpoint as clients see it: SPARQLWrapper against a real server on 127.0.0.1, named queries, /validate,
and the safety rules (read-only without a token, no outside fetches, hard query time limits)."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import httpx
import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, JSONLD, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from .conftest import copy_of
from .server_fixture import free_port, running_server

TOKEN = "test-token"
PETRO = "https://w3id.org/diplograph/id/person/gustavo-petro"


@pytest.fixture(scope="module")
def store(corpus_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_of(corpus_store, tmp_path_factory.mktemp("endpoint"))  # the tests write through the endpoint


@pytest.fixture(scope="module")
def server(store: Path) -> Iterator[str]:
    with running_server(store, "--token", TOKEN, "--timeout", "2") as base:
        yield base


@pytest.fixture(scope="module")
def readonly_server(tmp_path_factory: pytest.TempPathFactory, store: Path) -> Iterator[str]:
    import shutil

    copy = tmp_path_factory.mktemp("ro") / "store"
    shutil.copytree(store, copy)
    with running_server(copy) as base:
        yield base


def wrapper(base: str, query: str, fmt: str) -> SPARQLWrapper:
    w = SPARQLWrapper(base + "/sparql")
    w.setQuery(query)
    w.setReturnFormat(fmt)
    return w


SELECT = f"SELECT ?label WHERE {{ <{PETRO}> <http://www.w3.org/2000/01/rdf-schema#label> ?label }}"
ASK = f"ASK {{ <{PETRO}> a <https://w3id.org/diplograph/ontology#Person> }}"
CONSTRUCT = f"CONSTRUCT {{ <{PETRO}> ?p ?o }} WHERE {{ <{PETRO}> ?p ?o }}"
DESCRIBE = f"DESCRIBE <{PETRO}>"


def test_select_as_json(server: str) -> None:
    result = wrapper(server, SELECT, JSON).query().convert()
    assert "Gustavo Petro" in {b["label"]["value"] for b in result["results"]["bindings"]}


def test_select_as_xml(server: str) -> None:
    doc = wrapper(server, SELECT, XML).query().convert()
    assert "Gustavo Petro" in doc.toxml()


def test_select_as_csv_and_tsv(server: str) -> None:
    rows = list(csv.reader(io.StringIO(wrapper(server, SELECT, CSV).query().convert().decode())))
    assert rows[0] == ["label"] and ["Gustavo Petro"] in rows
    tsv = wrapper(server, SELECT, TSV).query().convert().decode()
    assert tsv.splitlines()[0] == "?label" and '"Gustavo Petro"@en' in tsv


def test_ask_in_every_result_format(server: str) -> None:
    assert wrapper(server, ASK, JSON).query().convert()["boolean"] is True
    assert "true" in wrapper(server, ASK, XML).query().convert().toxml()
    assert b"true" in wrapper(server, ASK, CSV).query().convert()
    assert b"true" in wrapper(server, ASK, TSV).query().convert()


@pytest.mark.parametrize("fmt", [TURTLE, RDFXML, JSONLD])
def test_construct_and_describe_as_rdf(server: str, fmt: str) -> None:
    for q in (CONSTRUCT, DESCRIBE):
        g = wrapper(server, q, fmt).query().convert()
        if not isinstance(g, rdflib.Graph):
            g = rdflib.Graph().parse(data=g, format={TURTLE: "turtle", RDFXML: "xml", JSONLD: "json-ld"}[fmt])
        assert (rdflib.URIRef(PETRO), rdflib.RDFS.label, rdflib.Literal("Gustavo Petro", lang="en")) in g


def test_a_bare_get_is_the_service_description(server: str) -> None:
    r = httpx.get(server + "/sparql")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    assert len(list(g.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/sparql-service-description#Service"))))


def test_a_malformed_query_is_400_with_the_parser_position(server: str) -> None:
    r = httpx.get(server + "/sparql", params={"query": "SELECT ?x WHERE { ?x"})
    assert r.status_code == 400 and "error at line 1, column" in r.text


def test_format_parameter_is_a_fallback_for_accept(server: str) -> None:
    r = httpx.get(server + "/sparql", params={"query": SELECT, "format": "csv"})
    assert r.headers["content-type"].startswith("text/csv")


def test_named_queries_are_listed_with_their_parameters(server: str) -> None:
    listed = {q["name"]: q for q in httpx.get(server + "/queries").json()}
    assert len(listed) >= 10 and [p["name"] for p in listed["timeline"]["parameters"]] == ["a", "b"]


def test_a_named_query_binds_its_parameters(server: str) -> None:
    r = httpx.get(server + "/queries/meetings-of-person", params={"person": PETRO, "format": "json"})
    rows = r.json()["results"]["bindings"]
    assert any("Donald Trump" in b["with"]["value"] for b in rows)


def test_a_named_query_parameter_cannot_change_the_query(server: str) -> None:
    attack = PETRO + "> } } ; DROP ALL ; SELECT * { <x"
    r = httpx.get(server + "/queries/meetings-of-person", params={"person": attack})
    assert r.status_code == 400 and "not an IRI" in r.text
    r = httpx.get(server + "/queries/conflicts", params={"only_type": '" ) } DROP ALL #', "format": "json"})
    assert r.status_code == 200 and r.json()["results"]["bindings"] == []


def test_the_conflicts_query_over_http(server: str) -> None:
    r = httpx.get(server + "/queries/conflicts", params={"only_type": "phone_call", "format": "csv"})
    assert "2026-01-07" in r.text and "2026-01-08" in r.text


def test_validate_reports_without_merging(server: str) -> None:
    bad = '<https://w3id.org/diplograph/id/person/x> a <https://w3id.org/diplograph/ontology#Person> .'
    before = httpx.get(server + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
                                                    "format": "csv"}).text
    r = httpx.post(server + "/validate", content=bad, headers={"Content-Type": "text/turtle"})
    assert r.status_code == 200 and r.json()["conforms"] is False
    assert any("no label" in x["message"] for x in r.json()["results"])
    after = httpx.get(server + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
                                                   "format": "csv"}).text
    assert before == after


def count(base: str) -> str:
    return httpx.get(base + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }",
                                               "format": "csv"}).text


def test_an_update_without_the_token_is_refused_and_changes_nothing(server: str) -> None:
    before = count(server)
    r = httpx.post(server + "/sparql", content="DROP ALL", headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 401
    r = httpx.post(server + "/sparql", content="DROP ALL", headers={"Content-Type": "application/sparql-update",
                                                                      "Authorization": "Bearer wrong"})
    assert r.status_code == 401 and count(server) == before


def test_a_server_without_a_token_is_read_only(readonly_server: str) -> None:
    before = count(readonly_server)
    r = httpx.post(readonly_server + "/sparql", content="DROP ALL",
                   headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer anything"})
    assert r.status_code == 403
    r = httpx.put(readonly_server + "/rdf-graphs", params={"graph": "http://example.org/g"},
                  content="<http://a> <http://b> <http://c> .", headers={"Content-Type": "application/n-triples"})
    assert r.status_code == 403 and count(readonly_server) == before


def test_a_non_conforming_update_is_refused_with_the_report(server: str) -> None:
    before = count(server)
    update = ("INSERT DATA { GRAPH <http://example.org/g> { <https://w3id.org/diplograph/id/person/y> "
              "a <https://w3id.org/diplograph/ontology#Person> } }")
    r = httpx.post(server + "/sparql", content=update, headers={"Content-Type": "application/sparql-update",
                                                                 "Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 422 and any("no label" in x["message"] for x in r.json()["results"])
    assert count(server) == before


def test_a_conforming_write_through_the_graph_store(server: str) -> None:
    body = ('<https://w3id.org/diplograph/id/person/z> a <https://w3id.org/diplograph/ontology#Person> ; '
            '<http://www.w3.org/2000/01/rdf-schema#label> "Zed"@en .')
    r = httpx.put(server + "/rdf-graphs", params={"graph": "http://example.org/people"}, content=body,
                  headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 201
    assert "Zed" in httpx.get(server + "/rdf-graphs", params={"graph": "http://example.org/people"}).text


class Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        Recorder.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    do_POST = do_GET  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[str]:
    Recorder.hits = []
    port = free_port()
    httpd = HTTPServer(("127.0.0.1", port), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}/sparql"
    httpd.shutdown()


def test_service_from_and_load_never_reach_an_outside_url(server: str, listener: str) -> None:
    service = httpx.get(server + "/sparql",
                        params={"query": f"SELECT * WHERE {{ SERVICE <{listener}> {{ ?s ?p ?o }} }}"})
    assert service.status_code == 403
    prefixed = httpx.get(server + "/sparql", params={
        "query": f"PREFIX x: <{listener.rsplit('/', 1)[0]}/> SELECT * WHERE {{ SERVICE x:sparql {{ ?s ?p ?o }} }}"})
    assert prefixed.status_code == 403
    variable = httpx.get(server + "/sparql", params={"query": "SELECT * WHERE { SERVICE ?e { ?s ?p ?o } }"})
    assert variable.status_code == 403
    from_clause = httpx.get(server + "/sparql", params={"query": f"SELECT * FROM <{listener}> WHERE {{ ?s ?p ?o }}"})
    assert from_clause.status_code == 200
    named = httpx.get(server + "/sparql", params={
        "query": f"SELECT * FROM NAMED <{listener}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"})
    assert named.status_code == 200
    load = httpx.post(server + "/sparql", content=f"LOAD <{listener}>", headers={
        "Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
    assert load.status_code == 403
    time.sleep(0.2)
    assert Recorder.hits == []


def test_a_runaway_query_ends_within_the_time_limit_while_a_simple_one_answers(server: str) -> None:
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    outcome: dict[str, object] = {}

    def run() -> None:
        started = time.monotonic()
        r = httpx.get(server + "/sparql", params={"query": runaway}, timeout=30)
        outcome["status"], outcome["seconds"], outcome["text"] = r.status_code, time.monotonic() - started, r.text

    t = threading.Thread(target=run)
    t.start()
    time.sleep(0.3)
    started = time.monotonic()
    simple = httpx.get(server + "/sparql", params={"query": ASK, "format": "json"}, timeout=30)
    simple_seconds = time.monotonic() - started
    t.join()
    assert simple.status_code == 200 and json.loads(simple.text)["boolean"] is True
    assert simple_seconds < 1.5
    assert outcome["status"] == 503 and float(outcome["seconds"]) < 2 + 2, outcome  # the 2 s limit, with slack


def count_of(base: str, where: str) -> int:
    r = httpx.get(base + "/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"},
                  headers={"Accept": "application/sparql-results+json"})
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_a_triple_two_graphs_state_is_counted_once_through_sparql(server: str) -> None:
    triple = '<http://example.org/twice> <http://example.org/p> "same" .'
    for g in ("http://example.org/source-1", "http://example.org/source-2"):
        r = httpx.put(server + "/rdf-graphs", params={"graph": g}, content=triple,
                      headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {TOKEN}"})
        assert r.status_code in (201, 204)
    assert count_of(server, "<http://example.org/twice> ?p ?o") == 1
    assert count_of(server, "GRAPH ?g { <http://example.org/twice> ?p ?o }") == 2


def test_describe_lists_each_statement_once(server: str) -> None:
    r = httpx.get(server + "/sparql", params={"query": DESCRIBE}, headers={"Accept": "application/n-triples"})
    lines = [line for line in r.text.splitlines() if line.strip()]
    assert lines and len(lines) == len(set(lines))
