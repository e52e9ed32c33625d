"""Every bad input to `kg` is refused clearly: the message says what and where, the exit code says how bad,
and a store involved holds exactly what it held before."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.store import open_store, release_unused_stores

from .conftest import ARTICLES, copy_of

runner = CliRunner()


def kg(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def store_hash(path: Path) -> str:
    """The sha256 of the store's sorted N-Quads: equal hashes, equal contents."""
    release_unused_stores()
    s = open_store(path, read_only=True)
    lines = sorted(s.export("nquads").decode("utf-8").splitlines())
    del s
    release_unused_stores()
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


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
    release_unused_stores()
    s = open_store(store, read_only=True)
    nquads = s.export("nquads").decode("utf-8")
    del s
    assert str(tmp_path) not in nquads and str(tmp_path.resolve()) not in nquads
    assert '"incoming/004_0c5d86e8ee898d62.txt"' in nquads


# --- store paths ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [
    ["stats"], ["query", "ASK { ?s ?p ?o }"], ["export", "events"], ["export", "entities"],
    ["validate", "batch.ttl"], ["link", "--review"], ["history"], ["revert", "some-activity"],
    ["serve", "--port", "0"],
])
def test_a_reading_command_refuses_a_path_without_a_store(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "nowhere"
    code, out = kg(*command, "--store", str(missing))
    assert code == 2
    assert f"{missing} does not exist" in out
    assert not missing.exists()


def test_a_folder_that_is_not_a_store_is_named_and_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    code, out = kg("stats", "--store", str(folder))
    assert code == 2 and f"{folder} holds no store" in out
    assert list(folder.iterdir()) == []


# --- options -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("command, message", [
    (["export", "entities", "-f", "xml"], "'xml' is not one of"),
    (["export", "events", "-f", "bogus"], "'bogus' is not one of"),
    (["validate", "-f", "json", "batch.ttl"], "'json' is not one of"),
    (["query", "-f", "bogus", "SELECT * WHERE { ?s ?p ?o }"], "unknown format 'bogus'"),
    (["query", "-f", "turtle", "SELECT * WHERE { ?s ?p ?o }"], "a SELECT query gives rows; --format turtle"),
    (["query", "-f", "xml", "SELECT * WHERE { ?s ?p ?o }"], "unknown format 'xml'"),
    (["query", "-f", "csv", "CONSTRUCT WHERE { ?s ?p ?o }"], "a CONSTRUCT query gives a graph; --format csv"),
    (["query", "-f", "csv", "ASK { ?s ?p ?o }"], "an ASK query gives true or false; --format csv"),
])
def test_an_unknown_or_unfitting_format_is_refused_before_any_work(store: Path, command: list[str],
                                                                    message: str) -> None:
    before = store_hash(store)
    code, out = kg(*command, "--store", str(store))
    assert code == 2
    assert message in " ".join(out.replace("│", " ").split())
    assert store_hash(store) == before


def test_tsv_export_is_tab_separated_with_the_documented_columns(store: Path) -> None:
    from kg.export import EVENT_COLUMNS

    code, out = kg("export", "events", "-f", "tsv", "--store", str(store))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split("\t") == EVENT_COLUMNS
    assert all(len(line.split("\t")) == len(EVENT_COLUMNS) for line in lines[1:])


def test_a_misspelt_named_query_is_refused_with_a_suggestion(store: Path) -> None:
    code, out = kg("query", "timelines", "--store", str(store))
    assert code == 2
    assert "no named query 'timelines'; did you mean 'timeline'?" in out


def test_a_parameter_without_equals_sign_is_refused(store: Path) -> None:
    code, out = kg("query", "meetings-of-person", "-p", "person", "--store", str(store))
    assert code == 2
    assert "-p 'person': expected NAME=VALUE" in out


@pytest.mark.parametrize("value", ["person/gustavo-petro", "Gustavo Petro", "gustavo-petro",
                                   "https://w3id.org/diplograph/id/person/gustavo-petro"])
def test_an_iri_parameter_may_be_a_short_id_or_a_catalog_label(store: Path, value: str) -> None:
    code, out = kg("query", "meetings-of-person", "-p", f"person={value}", "-f", "csv", "--store", str(store))
    assert code == 0, out
    assert len(out.splitlines()) > 1


def test_an_iri_parameter_naming_nothing_is_refused(store: Path) -> None:
    code, out = kg("query", "meetings-of-person", "-p", "person=Nobody Atall", "--store", str(store))
    assert code == 2 and "'Nobody Atall' is no full IRI, short id (kind/id) or catalog label" in out


# --- SPARQL errors -------------------------------------------------------------------------------------------

def test_a_syntax_error_is_placed_in_the_users_own_text(store: Path) -> None:
    text = "SELECT ?s\nWHERE {\n  ?s ?p ?o .\n  FILTER(?s = )\n}"
    code, out = kg("query", text, "--store", str(store))
    assert code == 2
    assert "query:4:" in out  # the 4th line of what the user wrote, not of the text with prefixes in front
    assert "   4 |   FILTER(?s = )" in out


def test_a_misspelt_query_form_is_called_one(store: Path) -> None:
    code, out = kg("query", "SELEC ?s WHERE { ?s ?p ?o }", "--store", str(store))
    assert code == 2
    assert "query:1:1: expected a query form (SELECT, CONSTRUCT, ASK, DESCRIBE)" in out and "found 'SELEC'" in out
    assert "expected CONSTRUCT" not in out


def test_an_undeclared_prefix_is_named_plainly(store: Path) -> None:
    code, out = kg("query", "SELECT ?s WHERE {\n  ?s foo:bar ?o }", "--store", str(store))
    assert code == 2
    assert "query:2:6: undeclared prefix 'foo:'" in out
    assert "\\u{" not in out and len(out) < 600


def test_a_query_past_its_time_limit_is_stopped(store: Path) -> None:
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    code, out = kg("query", runaway, "--timeout", "1", "--store", str(store))
    assert code == 1
    assert "the query was stopped after 1 seconds (--timeout)" in out


# --- kg reason -----------------------------------------------------------------------------------------------

def test_reason_checks_an_article_graph_exported_from_our_own_store(store: Path, tmp_path: Path) -> None:
    code, graphs = kg("query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?e a dip:Meeting ; dip:date ?d } } LIMIT 1",
                      "-f", "csv", "--store", str(store))
    graph = graphs.splitlines()[1]
    code, turtle = kg("query", f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
                      "--store", str(store))
    assert code == 0 and "^^xsd:date" in turtle  # a datatype the OWL 2 datatype map lacks
    exported = tmp_path / "article.ttl"
    exported.write_text(turtle, encoding="utf-8")
    code, out = kg("reason", "--data", str(exported))
    assert code == 0, out
    assert "consistent:" in out and "no unsatisfiable classes" in out


def test_reason_on_unreadable_turtle_is_one_line_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix x: <urn:x:> .\nx:a x:b .\n", encoding="utf-8")
    code, out = kg("reason", "--data", str(bad))
    assert code == 2
    assert out.startswith(f"error: {bad}: not readable as RDF: at line 2")
    assert "Traceback" not in out and len(out.strip().splitlines()) == 1


def test_reason_without_java_on_path_says_so(tmp_path: Path) -> None:
    result = runner.invoke(app, ["reason"], env={"PATH": str(tmp_path)})
    assert result.exit_code == 2
    assert "kg reason needs Java" in result.output and "none was found on PATH" in result.output
    assert "Traceback" not in result.output


def test_stats_prints_the_quads_per_graph_kind_its_help_promises(store: Path) -> None:
    code, out = kg("stats", "--store", str(store))
    assert code == 0
    for kind in ("article", "meta", "ontology", "catalog"):
        assert f"quads in {kind} graphs" in out


# --- kg ingest URL -------------------------------------------------------------------------------------------

PAGE = """<html lang="en"><head><title>Petro and Trump meet</title></head><body><article><h1>Petro and Trump meet</h1>
<p>Colombian President Gustavo Petro and US President Donald Trump held talks at the White House on Tuesday,
officials said. The two leaders discussed drug trafficking and migration during the meeting in Washington.</p>
<p>Petro said after the meeting that the talks had been frank and that both governments would keep working
together on security, trade and the fight against armed groups in the border region.</p></article></body></html>"""


@pytest.fixture
def web(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A real HTTP server on 127.0.0.1 serving one news page, one image and nothing else."""
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            pages = {"/news.html": ("text/html; charset=utf-8", PAGE.encode()), "/logo.png": ("image/png", b"\x89PNG")}
            if self.path not in pages:
                self.send_error(404, "Not Found")
                return
            media, body = pages[self.path]
            self.send_response(200)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_ingest_fetches_a_news_page_by_url(web: str, tmp_path: Path) -> None:
    store = tmp_path / "store"
    code, out = kg("ingest", f"{web}/news.html", "--store", str(store))
    assert code == 0, out
    assert "ingested 1 article(s)" in out
    code, out = kg("query", f"ASK {{ ?a prov:atLocation '{web}/news.html' }}", "--store", str(store))
    assert out.strip() == "true"


@pytest.mark.parametrize("path, message", [("/missing.html", "the server answered 404"),
                                           ("/logo.png", "the server sent image/png, not an HTML page")])
def test_ingest_refuses_a_url_that_is_no_article(store: Path, web: str, path: str, message: str) -> None:
    before = store_hash(store)
    code, out = kg("ingest", web + path, "--store", str(store))
    assert code == 1
    assert f"{web}{path}: {message}" in out
    assert store_hash(store) == before


@pytest.mark.parametrize("label, worth", [("Gustavo Petro", True), ("European Union", True),
                                          ("two Russian diplomats", False), ("Two Russian diplomats", False),
                                          ("several officials", False), ("3 soldiers", False)])
def test_link_looks_up_names_not_descriptions_of_unnamed_people(label: str, worth: bool) -> None:
    from kg.cli import names_someone

    assert names_someone(label) is worth
