"""RDF and query-result formats: one table of media types, short names and file extensions.

Built on pyoxigraph's own RdfFormat and QueryResultsFormat, so the CLI, the store, validation and the endpoint
agree on what a format is called and how it is negotiated.
"""

from __future__ import annotations

import pyoxigraph as ox

RDF: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
RESULTS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
# Media types clients send for bodies that are another name of one of the above.
RDF_SYNONYMS = {"application/x-turtle": "text/turtle", "text/plain": "application/n-triples"}
# Short names (a `format=` parameter, a CLI option) for media types.
SHORT_NAMES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
    "tsv": "text/tab-separated-values", "turtle": "text/turtle", "ttl": "text/turtle",
    "ntriples": "application/n-triples", "nt": "application/n-triples", "jsonld": "application/ld+json",
    "json-ld": "application/ld+json", "rdf": "application/rdf+xml", "rdfxml": "application/rdf+xml",
    "trig": "application/trig", "nquads": "application/n-quads", "nq": "application/n-quads",
}
# File extensions a user's batch may have (pyoxigraph's own, plus common spellings).
EXTENSIONS: dict[str, ox.RdfFormat] = {
    **{"." + f.file_extension: f for f in RDF.values()},
    ".turtle": ox.RdfFormat.TURTLE, ".json": ox.RdfFormat.JSON_LD, ".xml": ox.RdfFormat.RDF_XML,
}
QUAD_FORMATS = frozenset({ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS})


def syntax_position(e: SyntaxError) -> str:
    """Where pyoxigraph's parser stopped, as a message gives it ('line 2, column 23')."""
    return f"line {e.lineno}, column {e.offset}" if e.lineno else "unknown position"


def media_type(name: str) -> str:
    """The media type of a short name or media type (lower case, parameters dropped)."""
    key = name.split(";")[0].strip().lower()
    return RDF_SYNONYMS.get(SHORT_NAMES.get(key, key), SHORT_NAMES.get(key, key))


def rdf_format_of_body(content_type: str) -> ox.RdfFormat | None:
    """The RDF format of a request body's Content-Type, or None when it is not RDF we read."""
    return RDF.get(media_type(content_type))


def rdf_format_of_file(suffix: str) -> ox.RdfFormat | None:
    """The RDF format of a file extension ('.ttl'), or None when it is not one we read."""
    return EXTENSIONS.get(suffix.lower())
