"""Writes lose nothing: the graphs an update touches come from its syntax tree, deletions pass the SHACL gate,
every accepted write is journaled and `kg revert` undoes it. And each kind of bad request gets its own status."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.names import GRAPH, META_GRAPH

from .conftest import copy_of
from .server_fixture import running_server

TOKEN = "writes-token"
AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
CATALOG = GRAPH + "catalog"
NOTES = GRAPH + "notes"
PREFIX = f"PREFIX g: <{GRAPH}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "


@pytest.fixture(scope="module")
def server(corpus_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_server(copy_of(corpus_store, tmp_path_factory.mktemp("writes")), "--token", TOKEN) as base:
        yield base


def counts(base: str) -> dict[str, int]:
    query = "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    r = httpx.get(base + "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    return {b["g"]["value"]: int(b["n"]["value"]) for b in r.json()["results"]["bindings"]}


def update(base: str, text: str, **params: str) -> httpx.Response:
    return httpx.post(base + "/sparql", content=text, headers=AUTH, params=params, timeout=60)


def changed_only(before: dict[str, int], after: dict[str, int], graph: str, delta: int) -> None:
    assert after[graph] == before.get(graph, 0) + delta
    assert {g: n for g, n in after.items() if g != graph} == {g: n for g, n in before.items() if g != graph}


@pytest.mark.parametrize("text", [
    PREFIX + "INSERT DATA { GRAPH g:catalog { <http://example.org/a1> rdfs:comment 'one' } }",
    f"INSERT DATA {{ GRAPH<{CATALOG}>{{<http://example.org/a2> <http://www.w3.org/2000/01/rdf-schema#comment> 'b'}}}}",
])
def test_insert_data_into_a_named_graph_acts_on_it_and_keeps_the_others(server: str, text: str) -> None:
    before = counts(server)
    assert update(server, text).status_code == 204
    changed_only(before, counts(server), CATALOG, 1)


@pytest.mark.parametrize("value, text, delta", [
    ("v1", PREFIX + "DELETE { GRAPH g:catalog { ?s rdfs:comment ?c } } "
                    "INSERT { GRAPH g:catalog { ?s rdfs:comment 'w1' } } "
                    "WHERE { GRAPH g:catalog { ?s rdfs:comment ?c FILTER(?c = 'v1') } }", 0),
    ("v2", PREFIX + "WITH g:catalog DELETE { ?s rdfs:comment 'v2' } INSERT { ?s rdfs:comment 'w2' } "
                    "WHERE { ?s rdfs:comment 'v2' }", 0),
    ("v3", PREFIX + "DELETE { GRAPH g:catalog { ?s rdfs:comment 'v3' } } USING g:catalog "
                    "WHERE { ?s rdfs:comment 'v3' }", -1),
    ("v4", PREFIX + "WITH g:catalog DELETE { ?s rdfs:comment 'v4' } WHERE { ?s rdfs:comment 'v4' }", -1),
])
def test_delete_insert_where_acts_on_the_named_graph_only(server: str, value: str, text: str, delta: int) -> None:
    setup = f"INSERT DATA {{ GRAPH g:catalog {{ <http://example.org/{value}> rdfs:comment '{value}' }} }}"
    assert update(server, PREFIX + setup).status_code == 204
    before = counts(server)
    assert update(server, text).status_code == 204
    changed_only(before, counts(server), CATALOG, delta)
    left = httpx.get(server + "/sparql", params={"query": f"ASK {{ ?s ?p '{value}' }}"},
                     headers={"Accept": "application/sparql-results+json"})
    assert left.json()["boolean"] is False


def test_using_graph_uri_is_the_where_clauses_dataset(server: str) -> None:
    update(server, PREFIX + "INSERT DATA { GRAPH g:catalog { <http://example.org/a4> rdfs:comment 'four' } }")
    before = counts(server)
    r = update(server, PREFIX + "DELETE { GRAPH g:catalog { ?s rdfs:comment 'four' } } "
                                "WHERE { ?s rdfs:comment 'four' }", **{"using-graph-uri": CATALOG})
    assert r.status_code == 204
    changed_only(before, counts(server), CATALOG, -1)


def test_a_deletion_that_breaks_a_shape_is_refused_with_422(server: str) -> None:
    before = counts(server)
    r = update(server, "DELETE WHERE { GRAPH ?g { ?e <https://w3id.org/diplograph/ontology#evidence> ?x } }")
    assert r.status_code == 422, r.text
    assert any("evidence" in x["message"] for x in r.json()["results"])
    assert counts(server) == before


def test_drop_all_needs_the_server_setting(server: str) -> None:
    before = counts(server)
    for text in ("DROP ALL", "CLEAR NAMED", "DROP SILENT ALL"):
        assert update(server, text).status_code == 403
    assert counts(server) == before


def test_kg_revert_restores_a_graph_after_an_accepted_write(corpus_store: Path, tmp_path: Path) -> None:
    path = copy_of(corpus_store, tmp_path)
    with running_server(path, "--token", TOKEN) as base:
        assert update(base, PREFIX + "INSERT DATA { GRAPH g:notes { <http://example.org/n> rdfs:comment 'a', 'b' } "
                                     "GRAPH g:catalog { <http://example.org/n> rdfs:comment 'c' } }").status_code == 204
        before = counts(base)
        r = update(base, PREFIX + "DELETE WHERE { GRAPH g:notes { ?s ?p ?o } } ; DELETE WHERE { GRAPH g:catalog { "
                                  "?s rdfs:comment 'c' } }")
        assert r.status_code == 204, r.text
        activity = r.headers["X-Activity"].rsplit("/", 1)[1]
        assert NOTES not in counts(base) and counts(base)[CATALOG] == before[CATALOG] - 1
    runner = CliRunner()
    assert activity in runner.invoke(app, ["history", "--store", str(path)]).output
    result = runner.invoke(app, ["revert", activity, "--store", str(path)])
    assert result.exit_code == 0, result.output
    store = ox.Store.read_only(str(path))
    after = {g.value: sum(1 for _ in store.quads_for_pattern(None, None, None, g)) for g in store.named_graphs()}
    assert after == before


def test_from_and_from_named_are_honoured(server: str) -> None:
    r = httpx.get(server + "/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) FROM <{CATALOG}> {{ ?s ?p ?o }}"},
                  headers={"Accept": "application/sparql-results+json"})
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == counts(server)[CATALOG]
    r = httpx.get(server + "/sparql", params={"query": f"SELECT DISTINCT ?g FROM NAMED <{META_GRAPH}> "
                                                       "{ GRAPH ?g { ?s ?p ?o } }"},
                  headers={"Accept": "application/sparql-results+json"})
    assert [b["g"]["value"] for b in r.json()["results"]["bindings"]] == [META_GRAPH]


def test_a_bad_dataset_iri_is_400(server: str) -> None:
    r = httpx.get(server + "/sparql", params={"query": "ASK {}", "default-graph-uri": "not an iri"})
    assert r.status_code == 400 and "not an IRI" in r.text


@pytest.mark.parametrize("header", ["Bearer t\u00e9ken", "Bearer", "Token abc", "Bearer " + "\u00ff" * 3])
def test_malformed_credentials_are_401(server: str, header: str) -> None:
    r = httpx.post(server + "/sparql", content=b"INSERT DATA { <http://a> <http://b> 1 }",
                   headers={"Authorization": header.encode("latin-1"), "Content-Type": "application/sparql-update"})
    assert r.status_code == 401


def test_the_bearer_scheme_is_case_insensitive(server: str) -> None:
    r = httpx.post(server + "/sparql", content=PREFIX + "INSERT DATA { GRAPH g:notes { <http://example.org/c> "
                                                        "rdfs:comment 'case' } }",
                   headers={"Authorization": f"bearer {TOKEN}", "Content-Type": "application/sparql-update"})
    assert r.status_code == 204


def test_an_oversized_literal_is_413(server: str) -> None:
    r = update(server, "INSERT DATA { <http://example.org/big> <http://example.org/p> '" + "x" * 1_100_000 + "' }")
    assert r.status_code == 413
