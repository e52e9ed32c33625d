"""Every bad input to `kg` is refused clearly: the message says what and where, the exit code says how bad,
and a store involved holds exactly what it held before."""

from __future__ import annotations

import gc
import hashlib
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.store import open_store

from .conftest import ARTICLES, copy_of

runner = CliRunner()


def kg(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def store_hash(path: Path) -> str:
    """The sha256 of the store's sorted N-Quads: equal hashes, equal contents."""
    gc.collect()
    s = open_store(path, read_only=True)
    lines = sorted(s.export("nquads").decode("utf-8").splitlines())
    del s
    gc.collect()
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "store"
    code, out = kg("ingest", str(ARTICLES), "--store", str(path))
    assert code == 0, out
    gc.collect()
    return path


@pytest.fixture
def store(corpus_store: Path, tmp_path: Path) -> Path:
    return copy_of(corpus_store, tmp_path)


# --- article input -------------------------------------------------------------------------------------------

def test_a_header_line_without_its_colon_is_refused_naming_file_and_line(store: Path, tmp_path: Path) -> None:
    before = store_hash(store)
    bad = tmp_path / "nocolon.txt"
    bad.write_text("url https://example.org/a\npublished: 2026-02-04\n\nPetro met Trump in Washington.\n",
                   encoding="utf-8")
    code, out = kg("ingest", str(bad), "--store", str(store))
    assert code == 1
    assert f"{bad}:1: header line 'url https://example.org/a': expected 'key: value'" in out
    assert store_hash(store) == before


@pytest.mark.parametrize("name, text", [
    ("batch.ttl", "@prefix dip: <https://w3id.org/diplograph/ontology#> .\n<urn:x:a> a dip:Meeting .\n"),
    ("batch.txt", "@prefix dip: <https://w3id.org/diplograph/ontology#> .\n<urn:x:a> a dip:Meeting .\n"),
    ("batch.json", '{"@context": {"dip": "https://w3id.org/diplograph/ontology#"}, "@id": "urn:x:a"}\n'),
    ("triples.txt", "<urn:x:a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <urn:x:Meeting> .\n"),
])
def test_an_rdf_file_given_to_ingest_is_refused_with_a_hint(store: Path, tmp_path: Path, name: str,
                                                             text: str) -> None:
    before = store_hash(store)
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    code, out = kg("ingest", str(f), "--store", str(store))
    assert code == 1
    assert f"{f}: this is an RDF file" in out and "kg merge" in out
    assert store_hash(store) == before


def test_an_article_in_an_unsupported_language_is_stored_with_a_warning_and_counted(store: Path,
                                                                                     tmp_path: Path) -> None:
    f = tmp_path / "es.txt"
    f.write_text("language: es\n\nEl presidente Petro se reunió con Trump en Washington.\n", encoding="utf-8")
    code, out = kg("ingest", str(f), "--store", str(store))
    assert code == 0
    assert "language 'es' has no extraction rules" in out and "no events were extracted" in out
    assert "1 in an unsupported language (stored without events)" in out
    code, out = kg("query", "ASK { ?a schema:inLanguage 'es' }", "--store", str(store))
    assert out.strip() == "true"


# --- honest records ------------------------------------------------------------------------------------------

def test_reingesting_the_bundled_articles_changes_nothing(store: Path) -> None:
    before = store_hash(store)
    code, out = kg("ingest", str(ARTICLES), "--store", str(store))
    assert code == 0
    assert "ingested 0 article(s)" in out and "5 unchanged" in out
    assert store_hash(store) == before


def test_the_store_records_no_absolute_path_of_the_ingest_folder(tmp_path: Path) -> None:
    folder = tmp_path / "incoming"
    shutil.copytree(ARTICLES, folder)
    store = tmp_path / "store"
    assert kg("ingest", str(folder), "--store", str(store))[0] == 0
    gc.collect()
    s = open_store(store, read_only=True)
    nquads = s.export("nquads").decode("utf-8")
    del s
    assert str(tmp_path) not in nquads and str(tmp_path.resolve()) not in nquads
    assert '"incoming/004_0c5d86e8ee898d62.txt"' in nquads
