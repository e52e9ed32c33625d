"""The store behind a real Oxigraph server (`oxigraph serve` on 127.0.0.1): ingest, the set-valued default
graph, the gate, named queries and export, all through SPARQL Query, Update and the Graph Store endpoints."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.queries import load_queries
from kg.store import WriteBatch
from kg.store.remote import RemoteStore, endpoints_for, update_text

from .conftest import ARTICLES
from .server_fixture import free_port
from .test_validate import MEETING

EX = "http://example.org/"


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if binary is None:
        pytest.fail("the oxigraph server (PyPI 'oxigraph', a test dependency) is not installed")
    port = free_port()
    proc = subprocess.Popen([binary, "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")), "--bind",
                             f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.post(url, content="ASK {}", headers={"Content-Type": "application/sparql-query"}).is_success:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("oxigraph serve did not start")
        time.sleep(0.1)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def ingested(oxigraph_server: str) -> str:
    result = CliRunner().invoke(app, ["ingest", str(ARTICLES), "--store", oxigraph_server])
    assert result.exit_code == 0, result.output
    return oxigraph_server


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


def test_a_triple_two_graphs_state_is_counted_once_on_the_remote(oxigraph_server: str) -> None:
    store = RemoteStore(oxigraph_server)
    store.replace_graph(EX + "r1", [quad("twice", "r1")])
    store.replace_graph(EX + "r2", [quad("twice", "r2")])
    assert count(store, f"<{EX}twice> ?p ?o") == 1
    assert count(store, f"GRAPH ?g {{ <{EX}twice> ?p ?o }}") == 2
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


def test_named_queries_answer_on_the_remote(ingested: str) -> None:
    store = RemoteStore(ingested)
    rows = list(store.query(load_queries()["meetings-of-person"].bound({})))  # type: ignore[call-overload]
    assert any(r["type"].value == "phone_call" and "Donald Trump" in r["with"].value for r in rows)


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
