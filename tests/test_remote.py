"""The store behind a real Oxigraph server (`oxigraph serve`) and a real Virtuoso 7, each on 127.0.0.1: ingest, the
set-valued default graph, the gate, named queries and export, all through SPARQL Query and Update."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.jobs import Policy, QueryJob, run_query
from kg.queries import load_queries
from kg.sparql_tree import analysed
from kg.store import OxigraphStore, WriteBatch
from kg.store.remote import RemoteStore, endpoints_for, update_text

from .conftest import ARTICLES
from .remote_servers import oxigraph, virtuoso
from .server_fixture import running_server
from .test_validate import MEETING

EX = "http://example.org/"


SERVERS = {"oxigraph": oxigraph, "virtuoso": virtuoso}


@pytest.fixture(scope="module", params=sorted(SERVERS))
def remote_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server, then a real Virtuoso 7, each on 127.0.0.1 with an empty store of its own."""
    with SERVERS[request.param](tmp_path_factory.mktemp(request.param)) as url:
        yield url


@pytest.fixture(scope="module")
def ingested(remote_server: str) -> str:
    result = CliRunner().invoke(app, ["ingest", str(ARTICLES), "--store", remote_server])
    assert result.exit_code == 0, result.output
    return remote_server


def turtle(text: str) -> str:
    """A batch of test_validate as strict Turtle (its prefixed names hold slashes)."""
    return re.sub(r"\bid:([\w/#-]+)", r"<https://w3id.org/diplograph/id/\1>", text)


def quad(s: str, g: str) -> ox.Quad:
    return ox.Quad(ox.NamedNode(EX + s), ox.NamedNode(EX + "p"), ox.Literal("same"), ox.NamedNode(EX + g))


def count(store: RemoteStore, where: str) -> int:
    return int(store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")[0]["n"].value)  # type: ignore[union-attr]


def test_endpoints_are_derived_for_known_servers() -> None:
    assert endpoints_for("http://h:7878/query") == endpoints_for("http://h:7878/query", "http://h:7878/update",
                                                                   "http://h:7878/store")
    virtuoso = endpoints_for("http://h:8890/sparql")
    assert (virtuoso.update, virtuoso.graph_store) == ("http://h:8890/sparql", "http://h:8890/sparql-graph-crud-auth")


def test_a_batch_is_one_update_request() -> None:
    text = update_text(WriteBatch(drop_graphs=[EX + "g"], insert=[quad("a", "g")]))
    ox.Store().update(text)  # one request a SPARQL parser accepts whole
    assert text.count("INSERT DATA") == 1


def test_a_triple_two_graphs_state_is_counted_once_on_the_remote(remote_server: str) -> None:
    store = RemoteStore(remote_server)
    store.replace_graph(EX + "r1", [quad("twice", "r1")])
    store.replace_graph(EX + "r2", [quad("twice", "r2")])
    assert count(store, f"<{EX}twice> ?p ?o") == 1
    assert count(store, f"GRAPH ?g {{ <{EX}twice> ?p ?o }} FILTER(STRSTARTS(STR(?g), '{EX}'))") == 2
    store.remove_graph(EX + "r1")
    assert count(store, f"<{EX}twice> ?p ?o") == 1
    store.remove_graph(EX + "r2")
    assert count(store, f"<{EX}twice> ?p ?o") == 0


def test_ingest_writes_the_articles_to_the_remote(ingested: str) -> None:
    store = RemoteStore(ingested)
    assert len([g for g in store.graphs() if "/graph/article/" in g]) == len(list(ARTICLES.glob("*.txt")))


def test_kg_query_counts_on_the_remote_as_on_the_embedded_store(ingested: str, tmp_path: Path) -> None:
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    local = tmp_path / "store"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(ARTICLES), "--store", str(local)]).exit_code == 0
    remote_out = runner.invoke(app, ["query", q, "--store", ingested, "--format", "csv"]).output
    local_out = runner.invoke(app, ["query", q, "--store", str(local), "--format", "csv"]).output
    assert remote_out == local_out and int(remote_out.split()[1]) > 0


def events_of(result: object) -> list[str]:
    """A named query's answer as the sorted values of its first column: one value per row (SAMPLE'd sentences
    and the order inside GROUP_CONCAT may differ between engines; which events, and how many rows, may not)."""
    assert isinstance(result, ox.QuerySolutions)
    return sorted(str(getattr(row[0], "value", row[0])) for row in result)


@pytest.mark.parametrize("name", sorted(n for n, q in load_queries().items() if not q.services))
def test_each_named_query_answers_on_the_remote_as_on_the_embedded_store(ingested: str, corpus: OxigraphStore,
                                                                       name: str) -> None:
    text = load_queries()[name].bound({})
    assert events_of(RemoteStore(ingested).query(text)) == events_of(corpus.query(text))


def test_meetings_of_person_names_the_counterpart_on_the_remote(ingested: str) -> None:
    rows = list(RemoteStore(ingested).query(load_queries()["meetings-of-person"].bound({})))  # type: ignore[call-overload]
    assert any(r["type"].value == "phone_call" and r["with"].value == "Donald Trump" for r in rows)


def test_the_gate_refuses_a_bad_merge_and_the_remote_is_unchanged(ingested: str, tmp_path: Path) -> None:
    store = RemoteStore(ingested)
    before = store.count()
    bad = tmp_path / "bad.ttl"
    bad.write_text(turtle(MEETING.replace("id:person/donald-trump ,", "id:place/white-house ,")), encoding="utf-8")
    result = CliRunner().invoke(app, ["merge", str(bad), "--store", ingested])
    assert result.exit_code != 0 and "participant" in result.output
    assert store.count() == before


def test_a_conforming_merge_lands_on_the_remote(ingested: str, tmp_path: Path) -> None:
    good = tmp_path / "good.ttl"
    good.write_text(turtle(MEETING), encoding="utf-8")
    assert CliRunner().invoke(app, ["merge", str(good), "--store", ingested]).exit_code == 0
    assert count(RemoteStore(ingested), "<https://w3id.org/diplograph/id/event-t> a ?c") == 1


def test_export_reads_the_named_graphs_of_the_remote(ingested: str) -> None:
    store = RemoteStore(ingested)
    dumped = list(ox.parse(store.export("nquads"), ox.RdfFormat.N_QUADS))
    assert len(dumped) == store.count() and all(not isinstance(q.graph_name, ox.DefaultGraph) for q in dumped)


def test_a_batch_larger_than_one_virtuoso_request_lands_whole(remote_server: str) -> None:
    store = RemoteStore(remote_server)
    many = [quad(f"many/{i}", "many") for i in range(12_000)]
    store.replace_graph(EX + "many", many)
    assert store.count(EX + "many") == len(many)
    assert count(store, f"?s <{EX}p> ?o FILTER(STRSTARTS(STR(?s), '{EX}many/'))") == len(many)
    store.remove_graph(EX + "many")
    assert count(store, f"?s <{EX}p> ?o FILTER(STRSTARTS(STR(?s), '{EX}many/'))") == 0


def test_a_change_removing_more_than_one_virtuoso_request_lands(remote_server: str) -> None:
    store = RemoteStore(remote_server)
    many = [quad(f"gone/{i}", "gone") for i in range(2_000)]
    store.replace_graph(EX + "gone", [*many, quad("kept", "gone")])
    store.replace_graph(EX + "other", [quad("gone/0", "other")])
    store.apply(many, [], [])
    assert store.count(EX + "gone") == 1
    assert (count(store, f"<{EX}gone/0> ?p ?o"), count(store, f"<{EX}gone/1> ?p ?o")) == (1, 0)  # "other" states gone/0
    store.apply([quad("kept", "gone")], [], [EX + "gone"])
    assert EX + "gone" not in store.graphs() and count(store, f"<{EX}kept> ?p ?o") == 0


def test_a_query_the_endpoint_checked_is_not_parsed_again_to_run_on_the_remote(ingested: str) -> None:
    text = f"CONSTRUCT {{ ?s a ?c }} WHERE {{ ?s a ?c }} LIMIT 3  # parsed once for {ingested}"
    before = analysed.cache_info().misses
    answer = run_query(None, RemoteStore(ingested), QueryJob(text, None, "application/n-triples"), Policy())
    assert answer.status == 200 and answer.body.count(b"\n") == 3
    assert analysed.cache_info().misses == before + 1


def test_a_bulk_load_lands_in_the_graphs_and_once_in_the_merge(remote_server: str, tmp_path: Path) -> None:
    dump = tmp_path / "dump.nq"
    dump.write_text(f"<{EX}bulk> <{EX}p> _:b <{EX}bulk1> .\n_:b <{EX}q> \"deep\" <{EX}bulk1> .\n"
                    f"<{EX}bulk> <{EX}p> \"same\" <{EX}bulk1> .\n<{EX}bulk> <{EX}p> \"same\" <{EX}bulk2> .\n",
                    encoding="utf-8")
    result = CliRunner().invoke(app, ["load", "--no-validate", str(dump), "--store", remote_server])
    assert result.exit_code == 0, result.output
    store = RemoteStore(remote_server)
    assert (store.count(EX + "bulk1"), store.count(EX + "bulk2")) == (3, 1)
    assert count(store, f"<{EX}bulk> <{EX}p> ?o") == 2
    assert count(store, f"<{EX}bulk> <{EX}p> ?b . ?b <{EX}q> \"deep\"") == 1  # the blank node is one node


@pytest.fixture(scope="module")
def fronted(ingested: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`kg serve --store URL` in front of the remote, with a write token."""
    log = tmp_path_factory.mktemp("fronted") / "serve.log"
    with running_server(ingested, "--token", "t0k", "--workers", "2", log_path=log) as base:
        yield base


def test_the_endpoint_in_front_of_the_remote_counts_as_the_remote(fronted: str, ingested: str) -> None:
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    r = httpx.post(fronted + "/sparql", data={"query": q}, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and int(r.text.split()[1]) == count(RemoteStore(ingested), "?s ?p ?o")


def test_the_endpoint_in_front_of_the_remote_serves_named_queries_and_pages(fronted: str) -> None:
    rows = httpx.get(fronted + "/queries/meetings-of-person", headers={"Accept": "text/csv"}).text
    assert "phone_call" in rows and "Donald Trump" in rows
    page = httpx.get(fronted + "/id/person/gustavo-petro", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "President of Colombia" in page.text


def test_the_endpoint_in_front_of_the_remote_keeps_its_safety_checks(fronted: str) -> None:
    r = httpx.post(fronted + "/sparql", data={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"})
    assert r.status_code == 403
    update = {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}
    assert httpx.post(fronted + "/sparql", data=update).status_code == 401


def test_the_gate_in_front_of_the_remote_refuses_and_admits(fronted: str, ingested: str) -> None:
    store = RemoteStore(ingested)
    before = store.count()
    auth = {"Authorization": "Bearer t0k", "Content-Type": "text/turtle"}
    graph = {"graph": EX + "posted"}
    meeting = MEETING.replace("event-t", "event-f").replace("evidence-t", "evidence-f")
    bad = turtle(meeting.replace("id:person/donald-trump ,", "id:place/white-house ,"))
    r = httpx.put(fronted + "/rdf-graphs", params=graph, content=bad, headers=auth)
    assert r.status_code == 422 and "participant" in r.text
    assert store.count() == before
    r = httpx.put(fronted + "/rdf-graphs", params=graph, content=turtle(meeting), headers=auth)
    assert r.status_code in (200, 201, 204), r.text
    assert count(store, "<https://w3id.org/diplograph/id/event-f> a ?c") == 1
    assert httpx.delete(fronted + "/rdf-graphs", params=graph, headers=auth).status_code in (200, 204)
    assert count(store, "<https://w3id.org/diplograph/id/event-f> a ?c") == 0
    assert store.count() == before
