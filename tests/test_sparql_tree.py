"""Decisions about SPARQL requests come from the parser's tree: forms, endpoints, datasets and touched graphs."""

from __future__ import annotations

import pytest

from kg.sparql_tree import (
    Forbidden,
    SparqlError,
    TooDeep,
    allowed,
    analyse,
    check_remote,
    keywords,
    nesting_depth,
    normalise_iri,
)

LOCAL = "http://127.0.0.1:9/x"
HIDDEN_SERVICES = [
    f"SELECT * {{ SERVICE<{LOCAL}> {{ ?s ?p ?o }} }}",
    f"SELECT * {{ SERVICE SILENT<{LOCAL}> {{ ?s ?p ?o }} }}",
    "SELECT * { SERVICE <http://127.0.0.1:9/\\u0078> { ?s ?p ?o } }",
    f"# '''\nSELECT * {{\n# '''\nSERVICE <{LOCAL}> {{ ?s ?p ?o }}\n# '''\n}}",
    f"SELECT * {{ {{ SELECT * {{ SERVICE <{LOCAL}> {{ ?s ?p ?o }} }} }} }}",
    f"SELECT * {{ ?a ?b ?c OPTIONAL {{ SERVICE <{LOCAL}> {{ ?s ?p ?o }} }} }}",
    f"SELECT * {{ ?a ?b ?c FILTER EXISTS {{ SERVICE <{LOCAL}> {{ ?s ?p ?o }} }} }}",
    "PREFIX l: <http://127.0.0.1:9/> SELECT * { SERVICE l:x { ?s ?p ?o } }",
    "BASE <http://127.0.0.1:9/a/> SELECT * { SERVICE <../x> { ?s ?p ?o } }",
]


@pytest.mark.parametrize("query", HIDDEN_SERVICES)
def test_every_spelling_of_service_is_found_and_normalised(query: str) -> None:
    assert analyse(query).services == [LOCAL]


def test_a_variable_endpoint_is_reported_as_such_and_refused() -> None:
    a = analyse(f"SELECT * {{ SERVICE ?e {{ ?s ?p ?o }} }} VALUES ?e {{ <{LOCAL}> }}")
    assert a.services == [None]
    with pytest.raises(Forbidden):
        check_remote(a, [LOCAL])


def test_service_in_strings_and_comments_is_no_service() -> None:
    a = analyse(f'SELECT * {{ ?s ?p "SERVICE <{LOCAL}> {{}}" }} # SERVICE <{LOCAL}> {{}}')
    assert a.services == []


def test_normalisation_compares_locations() -> None:
    assert normalise_iri("HTTP://Example.ORG:80/a/./b/../c") == "http://example.org/a/c"
    assert normalise_iri("https://example.org:443") == "https://example.org/"


def test_allowlist_matches_the_endpoint_or_below_it_only() -> None:
    allow = ["https://query.wikidata.org/sparql"]
    assert allowed("https://query.wikidata.org:443/sparql", allow)
    assert allowed("https://query.wikidata.org/x/../sparql", allow)
    assert not allowed("https://query.wikidata.org/sparqlx", allow)
    assert not allowed("https://query.wikidata.org@127.0.0.1/sparql", allow)
    assert not allowed("http://query.wikidata.org/sparql", allow)


def test_load_source_and_target_come_from_the_tree() -> None:
    a = analyse(f"PREFIX g: <http://g/> LOAD SILENT<{LOCAL}> INTO GRAPH g:z", update=True)
    assert a.loads == [LOCAL] and a.graphs == {"http://g/z"}
    with pytest.raises(Forbidden):
        check_remote(a, [])


def test_query_dataset_clauses() -> None:
    a = analyse("PREFIX g: <http://g/> SELECT (COUNT(*) AS ?n) FROM g:catalog FROM NAMED <http://g/meta> "
                "WHERE { ?s ?p ?o }")
    assert a.form == "SELECT" and a.from_default == ["http://g/catalog"] and a.from_named == ["http://g/meta"]


@pytest.mark.parametrize("update, graphs", [
    ("PREFIX g: <http://g/> INSERT DATA { GRAPH g:catalog { <http://a> <http://b> <http://c> } }", {"http://g/catalog"}),
    ("INSERT DATA { GRAPH<http://g/meta> { <http://a> <http://b> <http://c> } }", {"http://g/meta"}),
    ("PREFIX g: <http://g/> WITH g:a DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", {"http://g/a"}),
    ("PREFIX g: <http://g/> DELETE { GRAPH g:b { ?s ?p ?o } } USING g:c WHERE { ?s ?p ?o }",
     {"http://g/b", "http://g/c"}),
    ("DELETE WHERE { GRAPH <http://g/q> { ?s ?p ?o } }", {"http://g/q"}),
    ("COPY <http://g/a> TO <http://g/b>", {"http://g/a", "http://g/b"}),
    ("DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }", None),
    ("INSERT DATA { <http://a> <http://b> 'GRAPH <http://g/x> {}' }", set()),
])
def test_graphs_an_update_touches(update: str, graphs: set[str] | None) -> None:
    assert analyse(update, update=True).graphs == graphs


def test_drop_all_and_clear_named_touch_everything_and_are_flagged() -> None:
    for update in ("DROP ALL", "CLEAR NAMED", "drop silent all"):
        a = analyse(update, update=True)
        assert a.graphs is None and a.drops_all


def test_depth_is_bounded_before_parsing() -> None:
    assert nesting_depth("{ ( '(((' ) # (((\n <http://x/(> }") == 2
    with pytest.raises(TooDeep):
        analyse("INSERT DATA { <http://a> <http://b> " + "(" * 10_000 + " }", update=True)
    analyse("SELECT * { FILTER(" + "(" * 60 + "1" + ")" * 60 + ") }")


def test_syntax_errors_name_the_position_in_the_callers_text() -> None:
    with pytest.raises(SparqlError, match="line 3, column 2"):
        analyse("SELECT * {\n ?s ?p ?o .\n foo }")


def test_a_query_of_comment_characters_is_an_error_not_a_freeze() -> None:
    with pytest.raises(SparqlError):
        analyse("#" * 100_000)


def test_the_lexer_and_the_tree_must_agree_on_service_and_load() -> None:
    assert keywords("SELECT * { ?s <http://x/SERVICE> 'LOAD' ; ?service ?o } # SERVICE") == {"SERVICE": 0, "LOAD": 0}
    assert keywords("LOAD<http://x> ; SELECT * { SERVICE<http://y> {} }") == {"SERVICE": 1, "LOAD": 1}
