"""A running server sees what commands commit to its store at once: they write through it (kg.store.served)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.store import OxigraphStore, open_store
from kg.store.remote import RemoteStore
from kg.store.served import note_path

from .conftest import ARTICLES
from .server_fixture import running_server

MEETINGS = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a <https://w3id.org/diplograph/ontology#Meeting> }"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    store = tmp_path / "store"
    with running_server(store, "--create") as base:
        yield store, base


def meetings(base: str) -> int:
    r = httpx.get(base + "/sparql", params={"query": MEETINGS}, headers={"Accept": "application/sparql-results+json"})
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_an_ingest_while_the_server_runs_is_answered_by_it_at_once(served: tuple[Path, str]) -> None:
    store, base = served
    assert meetings(base) == 0
    result = CliRunner().invoke(app, ["ingest", str(ARTICLES / "000_c77f2ab4ce5ebb67.txt"), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert meetings(base) >= 1


def test_a_merge_while_the_server_runs_is_answered_by_it_at_once(served: tuple[Path, str], tmp_path: Path) -> None:
    store, base = served
    place = tmp_path / "place.ttl"
    place.write_text('<https://w3id.org/diplograph/id/place/quito> a <https://w3id.org/diplograph/ontology#Place> ;\n'
                     '  <http://www.w3.org/2000/01/rdf-schema#label> "Quito"@en .\n', encoding="utf-8")
    assert CliRunner().invoke(app, ["merge", str(place), "--store", str(store)]).exit_code == 0
    ask = 'ASK { ?p <http://www.w3.org/2000/01/rdf-schema#label> "Quito"@en }'
    r = httpx.get(base + "/sparql", params={"query": ask}, headers={"Accept": "application/sparql-results+json"})
    assert r.json()["boolean"] is True


def test_commands_reach_a_served_store_through_the_server(served: tuple[Path, str]) -> None:
    store, _ = served
    with open_store(store) as s:
        assert isinstance(s, RemoteStore)
    result = CliRunner().invoke(app, ["query", MEETINGS, "--store", str(store), "--format", "csv"])
    assert result.exit_code == 0 and result.output.splitlines()[0] == "n"


def test_the_servers_note_is_readable_by_the_owner_only_and_gone_when_it_stops(tmp_path: Path) -> None:
    store = tmp_path / "store"
    with running_server(store, "--create"):
        assert note_path(store).stat().st_mode & 0o077 == 0
    assert not note_path(store).exists()


def test_a_note_left_by_a_dead_server_is_ignored(tmp_path: Path) -> None:
    store = tmp_path / "store"
    note_path(store).write_text(json.dumps({"pid": 2**22 + 12345, "url": "http://127.0.0.1:9/sparql",
                                            "token": "x"}), encoding="utf-8")
    with open_store(store) as s:
        assert isinstance(s, OxigraphStore)


def test_the_local_token_is_no_way_in_for_http_clients(served: tuple[Path, str]) -> None:
    _, base = served
    r = httpx.post(base + "/sparql", content="INSERT DATA { <http://a> <http://b> <http://c> }",
                   headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 403
