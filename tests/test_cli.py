"""The `kg` command line on the bundled corpus and a real on-disk store."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from kg.cli import app
from kg.store import open_store, release_unused_stores

from .conftest import ARTICLES

runner = CliRunner()


def kg(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_help_lists_the_commands() -> None:
    code, out = kg("--help")
    assert code == 0
    for command in ("ingest", "query", "stats", "reason", "serve"):
        assert command in out


def test_ingest_twice_gives_the_same_triple_count(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    assert kg("ingest", str(ARTICLES), "--store", store)[0] == 0
    first = kg("query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "-f", "json", "--store", store)
    assert kg("ingest", str(ARTICLES), "--store", store)[0] == 0
    second = kg("query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "-f", "json", "--store", store)
    assert first == second and json.loads(first[1])[0]["n"] != "0"


def test_malformed_article_is_reported_and_the_store_is_unchanged(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    kg("ingest", str(ARTICLES), "--store", store)
    before = kg("query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "-f", "csv", "--store", store)
    bad = tmp_path / "bad.txt"
    bad.write_text("published: 2026-02-31\n\nPetro met Trump at the White House.", encoding="utf-8")
    code, out = kg("ingest", str(bad), "--store", store)
    assert code == 1
    assert f"{bad}:1: published: '2026-02-31' is not a date" in out
    after = kg("query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "-f", "csv", "--store", store)
    assert before == after


def test_a_bad_file_does_not_stop_the_good_ones(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(ARTICLES / "004_0c5d86e8ee898d62.txt", folder)
    (folder / "broken.json").write_text("{", encoding="utf-8")
    code, out = kg("ingest", str(folder), "--store", str(tmp_path / "store"))
    assert code == 1 and "broken.json" in out and "ingested 1 article" in out


def test_query_reads_a_file_and_prints_csv(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    kg("ingest", str(ARTICLES), "--store", store)
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT ?h WHERE { ?a schema:headline ?h } ORDER BY ?h", encoding="utf-8")
    code, out = kg("query", str(rq), "-f", "csv", "--store", store)
    assert code == 0 and out.splitlines()[0] == "h" and len(out.splitlines()) == 5


def test_invalid_sparql_is_a_clear_error(tmp_path: Path) -> None:
    open_store(tmp_path / "store")  # an empty store, closed when collected
    release_unused_stores()
    code, out = kg("query", "SELECT ?x WHERE { ?x", "--store", str(tmp_path / "store"))
    assert code == 2 and "invalid SPARQL" in out


def test_reason_passes_on_the_ontology() -> None:
    code, out = kg("reason")
    assert code == 0 and "consistent" in out


def test_reason_fails_on_an_individual_that_is_both_state_and_person(tmp_path: Path) -> None:
    planted = tmp_path / "planted.ttl"
    planted.write_text("@prefix dip: <https://w3id.org/diplograph/ontology#> .\n"
                       "<https://w3id.org/diplograph/id/person/x> a dip:State , dip:Person .\n", encoding="utf-8")
    code, out = kg("reason", "--data", str(planted))
    assert code == 1 and "inconsistent" in out
