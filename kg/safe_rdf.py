"""Reading RDF that a caller sent, safely: nothing in a document makes the server fetch anything or expand it.

RDF/XML is first read by expat, which refuses any DTD (entity declarations are how a 1 KB document expands to
gigabytes) and elements nested deeper than a bound (deep nesting makes the RDF/XML parser quadratic). JSON-LD
remote contexts are never loaded (pyoxigraph has no document loader here; the refusal is named). `@base`, `BASE`
and owl:imports are plain data: no parser or validator here fetches them.
"""

from __future__ import annotations

import xml.parsers.expat
from collections.abc import Callable

import pyoxigraph as ox

from .formats import syntax_position

MAX_XML_DEPTH = 64
MAX_LITERAL = 1_000_000  # characters


class RdfError(ValueError):
    """A document that is refused (400), with where and why."""


class RdfTooLarge(RdfError):
    """A document with a literal over the limit (413)."""


def check_xml(data: bytes, max_depth: int = MAX_XML_DEPTH, name: str = "request body") -> None:
    """Refuse an XML document with a DTD or nested deeper than `max_depth` (linear time, nothing expanded)."""
    parser = xml.parsers.expat.ParserCreate()
    depth = [0]

    def refuse(message: str) -> Callable[..., None]:
        def handler(*_: object) -> None:
            raise RdfError(f"{name}: line {parser.CurrentLineNumber}: {message}")
        return handler

    def start(*_: object) -> None:
        depth[0] += 1
        if depth[0] > max_depth:
            refuse(f"elements nest deeper than {max_depth} levels")()

    def end(*_: object) -> None:
        depth[0] -= 1

    parser.StartDoctypeDeclHandler = refuse("a DTD (<!DOCTYPE>) is not accepted: entities are not expanded")
    parser.EntityDeclHandler = refuse("entity declarations are not accepted")
    # pyexpat's stubs type this handler as returning int; ours raises, which is what refusing means.
    parser.ExternalEntityRefHandler = refuse("external entities are not accepted")  # type: ignore[assignment]
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as e:
        raise RdfError(f"{name}: line {e.lineno}, column {e.offset + 1}: not well-formed XML "
                       f"({xml.parsers.expat.ErrorString(e.code)})") from None


def parse_rdf(data: bytes, fmt: ox.RdfFormat, base: str | None = None, name: str = "request body",
              max_literal: int = MAX_LITERAL) -> list[ox.Quad]:
    """Parse a caller's document into quads; RdfError naming the line and column when it is refused."""
    if fmt == ox.RdfFormat.RDF_XML:
        check_xml(data, name=name)
    try:
        parsed = list(ox.parse(data, fmt, base_iri=base))
    except SyntaxError as e:
        text = str(e)
        if "LoadDocumentCallback" in text or "remote context" in text.lower():
            raise RdfError(f"{name}: JSON-LD remote contexts are not loaded; inline the @context") from None
        raise RdfError(f"{name}: {syntax_position(e)}: {text}") from None
    for q in parsed:
        if isinstance(q.object, ox.Literal) and len(q.object.value) > max_literal:
            raise RdfTooLarge(f"{name}: a literal of {len(q.object.value):,} characters on {q.subject} {q.predicate} "
                           f"is over the {max_literal:,}-character limit")
    return [q if isinstance(q, ox.Quad) else ox.Quad(q.subject, q.predicate, q.object) for q in parsed]
