"""Named-query headers: YAML in '#+' lines (grlc's convention), checked against a schema when loaded."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.names import DIP, ID, PREFIXES
from kg.queries import QueryFileError, load_queries, parse_query_file

GOOD = """#+ title: Meetings of a person
#+ description: Every meeting a person took part in.
#+ params:
#+   person:
#+     type: iri
#+     default: https://w3id.org/diplograph/id/person/gustavo-petro
#+     description: The person.
SELECT ?e WHERE { ?e dip:participant ?person }
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "q.rq"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_header_gives_title_description_and_typed_parameters(tmp_path: Path) -> None:
    q = parse_query_file(write(tmp_path, GOOD))
    assert (q.title, q.description) == ("Meetings of a person", "Every meeting a person took part in.")
    assert [(p.name, p.type, p.default) for p in q.params] == [
        ("person", "iri", "https://w3id.org/diplograph/id/person/gustavo-petro")]


def test_a_misspelt_key_is_an_error_naming_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("#+ description:", "#+ descripton:"))
    with pytest.raises(QueryFileError, match=rf"{path}:2: unknown header key 'descripton'"):
        parse_query_file(path)


def test_a_misspelt_parameter_key_is_an_error_naming_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("#+     default:", "#+     defualt:"))
    with pytest.raises(QueryFileError, match=rf"{path}:6: unknown parameter key 'defualt'"):
        parse_query_file(path)


def test_an_unknown_parameter_type_is_refused(tmp_path: Path) -> None:
    with pytest.raises(QueryFileError, match="has type 'person'"):
        parse_query_file(write(tmp_path, GOOD.replace("type: iri", "type: person")))


def test_a_query_without_a_header_is_refused(tmp_path: Path) -> None:
    with pytest.raises(QueryFileError, match="no '#\\+' header"):
        parse_query_file(write(tmp_path, "# title: old style\nSELECT * WHERE { ?s ?p ?o }\n"))


def test_a_header_that_is_not_yaml_names_its_line(tmp_path: Path) -> None:
    with pytest.raises(QueryFileError, match=r":3: the header is not YAML"):
        parse_query_file(write(tmp_path, "#+ title: x\n#+ params:\n#+  - [unclosed\nSELECT * {}\n"))


def test_every_bundled_query_has_a_valid_header() -> None:
    queries = load_queries()
    assert queries and all(q.title and q.title != name for name, q in queries.items())


def test_a_parameter_is_bound_inside_each_subquery_that_names_it(tmp_path: Path) -> None:
    # A subquery does not see the outer group's bindings: bound only outside, the count would be of every meeting.
    counted = GOOD.replace("Every meeting", "Counted WHERE { it says } every meeting").replace(
        "SELECT ?e WHERE { ?e dip:participant ?person }", """SELECT ?n WHERE {
  { SELECT (COUNT(*) AS ?n) WHERE { ?e dip:participant ?person } }  # a brace in a comment: }
  { SELECT ?label WHERE { ?x rdfs:label ?label FILTER(?label != "}") } }
}""")
    q = parse_query_file(write(tmp_path, counted))
    store = ox.Store()
    for who in ("gustavo-petro", "donald-trump"):
        store.add(ox.Quad(ox.NamedNode(f"{ID}event/m"), ox.NamedNode(DIP + "participant"),
                          ox.NamedNode(f"{ID}person/{who}")))
    store.add(ox.Quad(ox.NamedNode(f"{ID}x"), ox.NamedNode(PREFIXES["rdfs"] + "label"), ox.Literal("x")))
    text = q.bound({})
    assert [int(row["n"].value) for row in store.query(text)] == [1]  # type: ignore[union-attr]
    assert text.count("VALUES ?person") == 2  # the outer group and the subquery that names it
