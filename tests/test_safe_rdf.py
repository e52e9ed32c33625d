"""A caller's RDF is read without expanding entities, nesting without bound, or loading remote contexts."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.safe_rdf import RdfError, RdfTooLarge, parse_rdf
from tests.hostile import entity_expansion, nested_rdf_xml


def test_a_dtd_with_entities_is_refused_before_anything_expands() -> None:
    doc = entity_expansion()
    assert len(doc) < 1100
    with pytest.raises(RdfError, match="DTD"):
        parse_rdf(doc, ox.RdfFormat.RDF_XML)


def test_deeply_nested_rdf_xml_is_refused_with_its_line() -> None:
    with pytest.raises(RdfError, match="line 1: elements nest deeper"):
        parse_rdf(nested_rdf_xml(), ox.RdfFormat.RDF_XML)


def test_ordinary_rdf_xml_is_read() -> None:
    doc = (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
           b'<rdf:Description rdf:about="http://example.org/a"><ex:p>x</ex:p></rdf:Description></rdf:RDF>')
    assert [str(q.object) for q in parse_rdf(doc, ox.RdfFormat.RDF_XML)] == ['"x"']


def test_a_json_ld_remote_context_is_refused_by_name() -> None:
    doc = b'{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "http://example.org/a", "p": "x"}'
    with pytest.raises(RdfError, match="remote contexts"):
        parse_rdf(doc, ox.RdfFormat.JSON_LD)


def test_a_literal_over_the_limit_is_too_large() -> None:
    doc = b'<http://example.org/a> <http://example.org/p> "' + b"x" * 2000 + b'" .'
    with pytest.raises(RdfTooLarge):
        parse_rdf(doc, ox.RdfFormat.N_TRIPLES, max_literal=1000)


def test_syntax_errors_name_line_and_column() -> None:
    with pytest.raises(RdfError, match="line 2"):
        parse_rdf(b"<http://example.org/a> <http://example.org/p> 1 .\n<oops", ox.RdfFormat.TURTLE)
