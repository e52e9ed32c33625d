"""Every path that writes goes through the gate: a non-conforming batch on any of them leaves the store as it was."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.gate import admit
from kg.ingest import article_batch
from kg.store import WriteBatch, open_store
from kg.wikidata import link_quads

from .conftest import copy_of
from .server_fixture import running_server

TOKEN = "door-token"
PETRO = "https://w3id.org/diplograph/id/person/gustavo-petro"
# A person with no label: the actor shapes refuse it, whichever door it comes through.
UNLABELLED = "<https://w3id.org/diplograph/id/person/nameless> a <https://w3id.org/diplograph/ontology#Person> ."


def content_hash(store: Path) -> str:
    with open_store(store, read_only=True) as s:
        return hashlib.sha256(b"".join(sorted(s.export("nquads").splitlines()))).hexdigest()


@pytest.fixture
def store(corpus_store: Path, tmp_path: Path) -> Path:
    return copy_of(corpus_store, tmp_path)


@pytest.fixture
def server(store: Path) -> Iterator[str]:
    with running_server(store, "--token", TOKEN) as base:
        yield base


def test_ingest_of_an_article_whose_batch_does_not_conform_changes_nothing(
        store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg import ingest as ingesting

    def without_quotes(*args: Any) -> WriteBatch:  # an extractor bug: evidence that quotes no sentence
        batch = article_batch(*args)
        return WriteBatch(batch.drop_graphs, batch.drop_subjects,
                          [q for q in batch.insert if q.predicate.value != "http://www.w3.org/ns/oa#exact"])

    article = tmp_path / "new.txt"
    article.write_text("url: https://example.org/new\npublished: 2026-03-02\n\nPresident Donald Trump met Colombian "
                       "President Gustavo Petro at the White House on Monday.\n", encoding="utf-8")
    before = content_hash(store)
    monkeypatch.setattr(ingesting, "article_batch", without_quotes)
    with open_store(store) as s:
        results = ingesting.ingest(s, [article])
    assert [r.status for r in results] == ["refused"] and "quote exactly one sentence" in results[0].message
    assert content_hash(store) == before


def test_merge_of_a_non_conforming_file_changes_nothing(store: Path, tmp_path: Path) -> None:
    before = content_hash(store)
    bad = tmp_path / "people.ttl"
    bad.write_text(UNLABELLED + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["merge", str(bad), "--store", str(store)])
    assert result.exit_code == 1
    assert content_hash(store) == before


def test_bulk_load_of_a_non_conforming_dump_changes_nothing(store: Path, tmp_path: Path) -> None:
    before = content_hash(store)
    bad = tmp_path / "people.trig"
    bad.write_text("<http://example.org/people> { " + UNLABELLED + " }\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["load", str(bad), "--store", str(store)])
    assert result.exit_code == 1
    assert content_hash(store) == before


def test_a_link_that_breaks_the_link_shapes_is_refused(store: Path) -> None:
    before = content_hash(store)
    with open_store(store) as s:
        report = admit(s, WriteBatch(insert=link_quads(PETRO, "Q123", "guess", "a hunch")))
    assert not report.conforms and any("how it was made" in v.message for v in report.violations)
    assert content_hash(store) == before


def test_a_conforming_link_goes_in(store: Path) -> None:
    with open_store(store) as s:
        assert admit(s, WriteBatch(insert=link_quads(PETRO, "Q123", "review", "a reviewer"))).conforms
        assert any(r["o"] is not None for r in s.select(f"SELECT ?o WHERE {{ <{PETRO}> owl:sameAs ?o }}"))


@pytest.mark.parametrize("method", ["update", "put", "post"])
def test_non_conforming_http_writes_change_nothing(server: str, store: Path, method: str) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    graph = {"graph": "http://example.org/people"}
    before = httpx.get(server + "/rdf-graphs", params={"default": ""}, headers={"Accept": "application/n-quads"})
    if method == "update":
        r = httpx.post(server + "/sparql", content=f"INSERT DATA {{ GRAPH <{graph['graph']}> {{ {UNLABELLED} }} }}",
                       headers={"Content-Type": "application/sparql-update", **auth})
    else:
        send = httpx.put if method == "put" else httpx.post
        r = send(server + "/rdf-graphs", params=graph, content=UNLABELLED,
                 headers={"Content-Type": "text/turtle", **auth})
    assert r.status_code == 422
    after = httpx.get(server + "/rdf-graphs", params={"default": ""}, headers={"Accept": "application/n-quads"})
    assert sorted(after.text.splitlines()) == sorted(before.text.splitlines())
