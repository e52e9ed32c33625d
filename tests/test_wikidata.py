"""Wikidata linking: offline from the catalog, and online against a real SPARQL server on 127.0.0.1
(`oxigraph serve`, PyPI oxigraph) loaded with a small Wikidata-shaped fixture; and a federated named query."""

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

from kg import export
from kg.cli import app
from kg.store import open_store

from .conftest import ARTICLES, copy_of, needs_shared
from .server_fixture import free_port, running_server

FIXTURE = Path(__file__).parent / "fixtures" / "wikidata.ttl"
OXIGRAPH = Path(sys.executable).parent / "oxigraph"
runner = CliRunner()
ID = "https://w3id.org/diplograph/id/"


@pytest.fixture(scope="module")
def wikidata(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`oxigraph serve` on a free port with the fixture loaded; yields its query URL."""
    if not OXIGRAPH.exists():
        pytest.skip("the oxigraph CLI (PyPI package oxigraph) is not installed")
    location = tmp_path_factory.mktemp("wikidata") / "store"
    subprocess.run([str(OXIGRAPH), "load", "--location", str(location), "--file", str(FIXTURE)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = free_port()
    proc = subprocess.Popen([str(OXIGRAPH), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    try:
        for _ in range(200):
            try:
                httpx.get(url, params={"query": "ASK {}"}, timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def base_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("articles")
    for f in ARTICLES.glob("*.txt"):
        shutil.copy(f, folder)
    (folder / "madrid.txt").write_text("published: 2025-06-12\n\nPedro Sánchez met Gustavo Petro in Madrid on "
                                       "Tuesday to discuss trade.\n", encoding="utf-8")
    store = tmp_path_factory.mktemp("kg") / "store"
    assert runner.invoke(app, ["ingest", str(folder), "--store", str(store)]).exit_code == 0
    return store


@pytest.fixture
def store(base_store: Path, tmp_path: Path) -> Path:
    return copy_of(base_store, tmp_path)


def links(store: Path) -> dict[str, str]:
    s = ox.Store.read_only(str(store))
    rows = s.query("SELECT ?a ?wd WHERE { ?a <http://www.w3.org/2002/07/owl#sameAs> ?wd }")
    return {r["a"].value.rsplit("/id/", 1)[-1]: r["wd"].value.rsplit("/", 1)[-1] for r in rows}


def test_every_catalog_actor_with_a_verified_id_is_linked_to_exactly_that_id(base_store: Path) -> None:
    reference = needs_shared("reference/wikidata_entities.tsv")
    verified = {}
    for line in reference.read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) > 4 and cols[4] == "VERIFIED" and cols[1]:
            verified[cols[0].replace(" (extra)", "")] = cols[1]
    found = links(base_store)
    s = open_store(base_store, read_only=True)
    labelled = {e.label: e.wikidata for e in export.entities(s)}
    for label, qid in verified.items():
        if label in labelled:
            assert labelled[label] == qid, label
    # No actor is linked to an id the reference does not give it.
    assert set(found.values()) <= set(verified.values())


def test_the_lookup_links_clear_candidates_and_refuses_namesakes(store: Path, wikidata: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["link", "--endpoint", wikidata, "--store", str(store), "--cache", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    found = links(store)
    assert found["person/tommy-pigott"] == "Q90000001"  # the racehorse of the same name is not a human
    assert found["person/daniel-garcia-pena"] == "Q90000002"
    assert found["person/pedro-arnulfo-sanchez-suarez"] == "Q90000004"
    assert "person/pedro-sanchez" not in found  # two people of that name, nothing to tell them apart
    assert found["person/gustavo-petro"] == "Q704022"  # verified ids are never contradicted
    review = runner.invoke(app, ["link", "--review", "--store", str(store)])
    assert "Q90000003" in review.output and "Q90000004" in review.output


def test_a_second_run_makes_no_request(store: Path, wikidata: str, tmp_path: Path) -> None:
    cache = str(tmp_path / "c")
    runner.invoke(app, ["link", "--endpoint", wikidata, "--store", str(store), "--cache", cache])
    second = runner.invoke(app, ["link", "--endpoint", wikidata, "--store", str(store), "--cache", cache])
    assert second.exit_code == 0 and re.search(r"\b0 request\(s\)", second.output), second.output


def test_a_reviewer_decision_is_recorded(store: Path) -> None:
    result = runner.invoke(app, ["link", "--accept", "pedro-sanchez", "Q90000003", "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert links(store)["person/pedro-sanchez"] == "Q90000003"
    s = open_store(store, read_only=True)
    methods = {e.label: e.linked_by for e in export.entities(s)}
    assert methods["Pedro Sánchez"] == "review" and methods["Gustavo Petro"] == "catalog"


def test_an_unreachable_endpoint_is_a_clear_error(store: Path, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql"
    result = runner.invoke(app, ["link", "--endpoint", url, "--store", str(store), "--cache", str(tmp_path / "c")])
    assert result.exit_code == 1 and "cannot reach" in result.output


def test_a_federated_named_query_joins_the_graph_with_the_fixture(store: Path, wikidata: str) -> None:
    with running_server(store, "--allow-service", wikidata, "--wikidata-endpoint", wikidata) as base:
        r = httpx.get(base + "/queries/wikidata-positions", params={"format": "json"}, timeout=30)
    assert r.status_code == 200, r.text
    rows = {(b["name"]["value"], b.get("positionLabel", {}).get("value")) for b in r.json()["results"]["bindings"]}
    assert ("Donald Trump", "President of the United States") in rows
    assert ("Gustavo Petro", "President of Colombia") in rows


def test_the_federated_query_is_refused_without_the_allowlist(store: Path, wikidata: str) -> None:
    with running_server(store, "--wikidata-endpoint", wikidata) as base:
        r = httpx.get(base + "/queries/wikidata-positions", timeout=30)
    assert r.status_code == 403
