"""From a named query and one page of its results to what /queries/{name} shows a browser: a form for the query's
typed parameters, the rows as a table whose IRIs are links (our own to this server's /id/) named by their labels
or prefixed names, paging links and a download link per result format.

Plain data in, plain data out; the results are untrusted, so only http(s) IRIs become links and the templates
escape everything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from ..names import XSD, served_at
from ..queries import NamedQuery
from .views import Link, short

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
PAGE_KEYS = ("limit", "offset", "format")  # request parameters that are the page's, not the query's
INPUT_TYPES = {"iri": "text", "string": "text", "integer": "number", "date": "date"}
HINTS = {"iri": "an IRI, a short id (kind/name, as person/gustavo-petro) or a catalog label",
         "string": "text", "integer": "a whole number", "date": "YYYY-MM-DD"}
DOWNLOADS = {"SELECT": (("JSON", "json"), ("XML", "xml"), ("CSV", "csv"), ("TSV", "tsv")),
             "ASK": (("JSON", "json"), ("XML", "xml")),
             "GRAPH": (("Turtle", "turtle"), ("N-Triples", "ntriples"), ("JSON-LD", "jsonld"), ("RDF/XML", "rdfxml"))}
_LINKABLE = re.compile(r"^https?://", re.I)


class PageParamError(ValueError):
    """A limit or offset that is not a usable number."""


@dataclass
class Field:
    """One parameter of the query as a form input."""

    name: str
    type: str
    input_type: str
    value: str
    description: str
    hint: str


@dataclass
class Cell:
    text: str
    href: str | None = None
    title: str = ""  # the full IRI, or a literal's datatype or language


@dataclass
class Results:
    """One page of rows (or an ASK's answer) with the links around it."""

    names: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    boolean: bool | None = None
    first: int = 0  # 1-based number of the first row shown
    previous: str | None = None
    next: str | None = None
    downloads: list[Link] = field(default_factory=list)


def query_values(query: NamedQuery, params: dict[str, str]) -> dict[str, str]:
    """The request's values for the query (the page's own keys left out, empty fields meaning the default)."""
    return {k: v for k, v in params.items() if k not in PAGE_KEYS and (v.strip() or k not in _names(query))}


def _names(query: NamedQuery) -> set[str]:
    return {p.name for p in query.params}


def paging(params: dict[str, str]) -> tuple[int, int]:
    """(offset, limit) from the request: whole numbers, the limit between 1 and MAX_LIMIT."""
    try:
        offset, limit = int(params.get("offset") or 0), int(params.get("limit") or DEFAULT_LIMIT)
    except ValueError:
        raise PageParamError("offset and limit must be whole numbers") from None
    if offset < 0 or not 1 <= limit <= MAX_LIMIT:
        raise PageParamError(f"offset must be 0 or more and limit between 1 and {MAX_LIMIT}")
    return offset, limit


def fields(query: NamedQuery, values: dict[str, str]) -> list[Field]:
    """The query's parameters as inputs, filled with the request's values or else the defaults."""
    return [Field(p.name, p.type, INPUT_TYPES.get(p.type, "text"), values.get(p.name, p.default), p.description,
                  HINTS.get(p.type, "")) for p in query.params]


def cell(term: dict[str, str] | None, labels: dict[str, str]) -> Cell:
    """A SPARQL JSON term as a table cell: an IRI by its label or prefixed name, linked when it is ours or on the
    web; a literal as its text."""
    if term is None:
        return Cell("")
    value = term["value"]
    if term["type"] == "uri":
        href = served_at(value)
        return Cell(labels.get(value) or short(value), href if href != value or _LINKABLE.match(value) else None,
                    value)
    if term["type"] == "bnode":
        return Cell("_:" + value)
    lang, datatype = term.get("xml:lang"), term.get("datatype", XSD + "string")
    return Cell(value, None, f"@{lang}" if lang else short(datatype))


def _href(values: dict[str, str], **extra: str | int) -> str:
    """A link to this page (relative: '?...', so it works under any base) with the values and extra keys."""
    return "?" + urlencode({**values, **{k: str(v) for k, v in extra.items()}})


def results(answer: dict[str, Any], values: dict[str, str], offset: int, limit: int) -> Results:
    """One page of run_page's answer as table rows, with paging and download links that keep the values."""
    form = answer["form"]
    downloads = [Link(_href(values, format=fmt), label)
                 for label, fmt in DOWNLOADS["GRAPH" if form in ("CONSTRUCT", "DESCRIBE") else form]]
    if "boolean" in answer:
        return Results(boolean=answer["boolean"], downloads=downloads)
    names, labels = answer["head"]["vars"], answer["labels"]
    rows = [[cell(b.get(n), labels) for n in names] for b in answer["results"]["bindings"]]
    previous = _href(values, offset=max(0, offset - limit), limit=limit) if offset > 0 else None
    following = _href(values, offset=offset + limit, limit=limit) if answer["more"] else None
    return Results(names, rows, None, offset + 1, previous, following, downloads)
