"""Hostile documents and requests, shared by the unit and security tests (each small to write, costly to take)."""

from __future__ import annotations

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def entity_expansion() -> bytes:
    """A 'billion laughs' RDF/XML document: under 1 KB, gigabytes once its entities are expanded."""
    entities = ['<!ENTITY a0 "lol">'] + [f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)]
    return (f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n{chr(10).join(entities)}\n]>\n'
            f'<rdf:RDF xmlns:rdf="{RDF_NS}" xmlns:ex="http://example.org/">\n'
            f'<rdf:Description rdf:about="http://example.org/a"><ex:p>&a9;</ex:p></rdf:Description>\n'
            f'</rdf:RDF>\n').encode()


def nested_rdf_xml(depth: int = 20_000) -> bytes:
    """RDF/XML whose node elements nest `depth` deep (quadratic for a naive parser)."""
    opening = "".join(f'<ex:p><rdf:Description rdf:about="http://example.org/n{i}">' for i in range(depth))
    closing = "</rdf:Description></ex:p>" * depth
    return (f'<rdf:RDF xmlns:rdf="{RDF_NS}" xmlns:ex="http://example.org/"><rdf:Description '
            f'rdf:about="http://example.org/root">{opening}{closing}</rdf:Description></rdf:RDF>').encode()


def deep_update(depth: int = 10_000) -> str:
    return "INSERT DATA { <http://example.org/a> <http://example.org/p> " + "(" * depth + ")" * depth + " }"
