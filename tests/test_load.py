"""kg load: dumps in every quad and triple format (gzip too), validated whole through the gate, or loudly not."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.store import open_store

from .test_write_door import UNLABELLED, content_hash

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def kg(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def dump(corpus_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus's store as N-Quads."""
    path = tmp_path_factory.mktemp("dump") / "corpus.nq"
    with open_store(corpus_store, read_only=True) as s:
        path.write_bytes(s.export("nquads"))
    return path


def named_quads(store: Path) -> int:
    with open_store(store, read_only=True) as s:
        return s.count()


@pytest.mark.parametrize("packed", [False, True], ids=["nquads", "nquads.gz"])
def test_a_dump_of_the_corpus_loads_into_an_empty_store_whole(dump: Path, corpus_store: Path, tmp_path: Path,
                                                             packed: bool) -> None:
    source = dump
    if packed:
        source = tmp_path / "corpus.nq.gz"
        source.write_bytes(gzip.compress(dump.read_bytes()))
    code, out = kg("load", str(source), "--store", str(tmp_path / "s"))
    assert code == 0, out
    assert named_quads(tmp_path / "s") == named_quads(corpus_store)
    assert content_hash(tmp_path / "s") == content_hash(corpus_store)


def test_a_trig_dump_loads_the_same_as_nquads(dump: Path, corpus_store: Path, tmp_path: Path) -> None:
    import pyoxigraph as ox

    trig = tmp_path / "corpus.trig"
    ox.serialize(ox.parse(path=str(dump), format=ox.RdfFormat.N_QUADS), str(trig), ox.RdfFormat.TRIG)
    assert kg("load", str(trig), "--store", str(tmp_path / "s"))[0] == 0
    assert content_hash(tmp_path / "s") == content_hash(corpus_store)


def test_triples_go_into_the_named_graph_asked_for(tmp_path: Path) -> None:
    turtle = tmp_path / "places.ttl"
    turtle.write_text('<https://w3id.org/diplograph/id/place/x> <http://www.w3.org/2000/01/rdf-schema#label> "X" .\n',
                      encoding="utf-8")
    assert kg("load", str(turtle), "--graph", "http://example.org/g", "--store", str(tmp_path / "s"))[0] == 0
    with open_store(tmp_path / "s", read_only=True) as s:
        assert s.graphs() == ["http://example.org/g"]


def test_loading_the_same_dump_again_changes_nothing(dump: Path, tmp_path: Path) -> None:
    store = tmp_path / "s"
    kg("load", str(dump), "--store", str(store))
    before = content_hash(store)
    assert kg("load", str(dump), "--store", str(store))[0] == 0
    assert content_hash(store) == before


def test_a_syntax_error_names_the_file_and_line_and_loads_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.nq"
    bad.write_text('<http://a> <http://b> <http://c> <http://g> .\n<http://a> <http://b> "x\n', encoding="utf-8")
    code, out = kg("load", str(bad), "--store", str(tmp_path / "s"))
    assert code == 2 and f"{bad}: line 2" in out
    assert named_quads(tmp_path / "s") == 0


def test_a_file_whose_format_cannot_be_told_is_refused_with_a_hint(tmp_path: Path) -> None:
    odd = tmp_path / "dump.data"
    odd.write_text("", encoding="utf-8")
    code, out = kg("load", str(odd), "--store", str(tmp_path / "s"))
    assert code == 2 and "--format" in out


def test_a_non_conforming_dump_is_refused_whole(corpus_store: Path, tmp_path: Path) -> None:
    from .conftest import copy_of

    store = copy_of(corpus_store, tmp_path)
    before = content_hash(store)
    bad = tmp_path / "people.ttl"
    bad.write_text(UNLABELLED + "\n", encoding="utf-8")
    code, out = kg("load", str(bad), "--store", str(store))
    assert code == 1 and "refused" in out and "label" in out.lower()
    assert content_hash(store) == before


def test_no_validate_loads_what_the_gate_would_refuse_and_says_so(tmp_path: Path) -> None:
    bad = tmp_path / "people.ttl"
    bad.write_text(UNLABELLED + "\n", encoding="utf-8")
    code, out = kg("load", "--no-validate", str(bad), "--store", str(tmp_path / "s"))
    assert code == 0 and "WITHOUT the SHACL gate" in out and "(not validated)" in out
    assert named_quads(tmp_path / "s") == 1
