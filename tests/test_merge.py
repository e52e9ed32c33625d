"""`kg validate` and `kg merge` on real files and a real on-disk store, including a merge killed mid-way."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app

from .conftest import copy_of

runner = CliRunner()
GOOD = """@prefix dip: <https://w3id.org/diplograph/ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
<https://w3id.org/diplograph/id/person/jane-doe> a dip:Person ; rdfs:label "Jane Doe"@en ;
    owl:sameAs <http://www.wikidata.org/entity/Q42> .
"""
BAD = GOOD.replace("entity/Q42", "wiki/Q42")


@pytest.fixture
def store(corpus_store: Path, tmp_path: Path) -> Path:
    return copy_of(corpus_store, tmp_path)


def count(store: Path, graph: str | None = None) -> int:
    s = ox.Store.read_only(str(store))
    if graph is None:
        return len(s)
    return sum(1 for _ in s.quads_for_pattern(None, None, None, ox.NamedNode(graph)))


def test_validate_exit_codes(store: Path, tmp_path: Path) -> None:
    (tmp_path / "good.ttl").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.ttl").write_text(BAD, encoding="utf-8")
    (tmp_path / "broken.ttl").write_text(GOOD[:-3], encoding="utf-8")
    assert runner.invoke(app, ["validate", str(tmp_path / "good.ttl"), "--store", str(store)]).exit_code == 0
    bad = runner.invoke(app, ["validate", str(tmp_path / "bad.ttl"), "--store", str(store)])
    assert bad.exit_code == 1 and "does NOT conform: 1 violation" in bad.output and "sameAs" in bad.output
    broken = runner.invoke(app, ["validate", str(tmp_path / "broken.ttl"), "--store", str(store)])
    assert broken.exit_code == 2 and "broken.ttl: line" in broken.output


def test_validate_prints_the_standard_report_in_turtle(store: Path, tmp_path: Path) -> None:
    (tmp_path / "bad.ttl").write_text(BAD, encoding="utf-8")
    out = runner.invoke(app, ["validate", str(tmp_path / "bad.ttl"), "-f", "turtle", "--store", str(store)]).output
    report = ox.Store()
    report.load(out.encode("utf-8"), ox.RdfFormat.TURTLE)
    assert bool(report.query("ASK { ?r a <http://www.w3.org/ns/shacl#ValidationReport> ; "
                             "<http://www.w3.org/ns/shacl#conforms> false }"))


def test_a_refused_merge_leaves_the_store_unchanged(store: Path, tmp_path: Path) -> None:
    (tmp_path / "bad.ttl").write_text(BAD, encoding="utf-8")
    before = count(store)
    result = runner.invoke(app, ["merge", str(tmp_path / "bad.ttl"), "--store", str(store)])
    assert result.exit_code == 1 and "refused" in result.output
    assert count(store) == before


def test_a_conforming_merge_writes_its_graph_and_who_merged_it(store: Path, tmp_path: Path) -> None:
    (tmp_path / "people.ttl").write_text(GOOD, encoding="utf-8")
    graph = "https://w3id.org/diplograph/graph/batch/people"
    result = runner.invoke(app, ["merge", str(tmp_path / "people.ttl"), "--agent", "analyst", "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert count(store, graph) == 3
    s = ox.Store.read_only(str(store))
    prov = "http://www.w3.org/ns/prov#"
    rows = list(s.query(f"""SELECT ?who ?when WHERE {{ GRAPH ?m {{ <{graph}> <{prov}wasGeneratedBy> ?a .
        ?a <{prov}wasAssociatedWith> ?who ; <{prov}startedAtTime> ?when }} }}"""))
    assert len(rows) == 1 and rows[0]["who"].value.endswith("/agent/analyst")


def _big_batch(path: Path, people: int) -> int:
    with path.open("w", encoding="utf-8") as f:
        for i in range(people):
            s = f"<https://w3id.org/diplograph/id/person/p{i}>"
            f.write(f"{s} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                    "<https://w3id.org/diplograph/ontology#Person> .\n")
            f.write(f'{s} <http://www.w3.org/2000/01/rdf-schema#label> "Person {i}"@en .\n')
            f.write(f"{s} <http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q{i + 1}> .\n")
    return 3 * people


def _merge(store: Path, batch: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "kg.cli", "merge", str(batch), "--store", str(store)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_merge_killed_mid_way_leaves_all_or_none_of_the_batch(corpus_store: Path, tmp_path: Path) -> None:
    batch = tmp_path / "big.nt"
    size = _big_batch(batch, 10_000)
    graph = "https://w3id.org/diplograph/graph/batch/big"
    whole = tmp_path / "whole"
    shutil.copytree(corpus_store, whole)
    started = time.monotonic()
    assert _merge(whole, batch).wait(timeout=300) == 0
    duration = time.monotonic() - started
    assert count(whole, graph) == size
    outcomes = set()
    # Kill late in the run, where validation is over and the write is under way.
    for i, fraction in enumerate((0.75, 0.85, 0.92, 0.97)):
        store = tmp_path / f"killed{i}"
        shutil.copytree(corpus_store, store)
        before = count(store)
        proc = _merge(store, batch)
        try:
            proc.wait(timeout=duration * fraction)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        got = count(store, graph)
        assert got in (0, size), f"a kill left {got} of {size} triples"
        assert count(store) in (before, before + size + 7) or got == size
        outcomes.add(got)
    assert outcomes  # each kill left the store readable, with all or none of the batch


def test_merging_a_batch_twice_is_one_activity_with_one_start_and_no_absolute_path(store: Path,
                                                                                   tmp_path: Path) -> None:
    (tmp_path / "people.ttl").write_text(GOOD, encoding="utf-8")
    for _ in range(2):
        result = runner.invoke(app, ["merge", str(tmp_path / "people.ttl"), "--agent", "analyst", "--store",
                                     str(store)])
        assert result.exit_code == 0, result.output
    s = ox.Store.read_only(str(store))
    prov = "http://www.w3.org/ns/prov#"
    rows = list(s.query(f"""SELECT ?a ?when ?used WHERE {{ GRAPH ?m {{
        <https://w3id.org/diplograph/graph/batch/people> <{prov}wasGeneratedBy> ?a .
        ?a <{prov}startedAtTime> ?when ; <{prov}used> ?used }} }}"""))
    assert len(rows) == 1
    assert rows[0]["used"].value == "people.ttl"
    nquads = s.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8")
    assert str(tmp_path) not in nquads
