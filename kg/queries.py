"""Named queries: the SPARQL files of queries/, with their headers, and safe parameter binding."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .names import sparql_prefixes
from .resources import resource_dir

QUERY_DIR = resource_dir("queries")
# '# service: wikidata' marks a query whose SERVICE calls go to the Wikidata endpoint the server is configured with.
SERVICE_IRIS = {"wikidata": "https://query.wikidata.org/sparql"}
PARAM_TYPES = ("iri", "string", "integer", "date")


class QueryParamError(ValueError):
    """A parameter value that does not fit its declared type; the message names the parameter."""


@dataclass
class Param:
    name: str
    type: str
    default: str
    description: str


@dataclass
class NamedQuery:
    name: str
    title: str
    description: str
    text: str
    params: list[Param] = field(default_factory=list)
    services: list[str] = field(default_factory=list)

    def with_services(self, endpoints: dict[str, str]) -> str:
        """The query text with its SERVICE IRIs replaced by the endpoints the server is configured with (server
        settings, never request input)."""
        text = self.text
        for name in self.services:
            if name in endpoints:
                text = text.replace(f"<{SERVICE_IRIS[name]}>", f"<{endpoints[name]}>")
        return text

    @property
    def sparql(self) -> str:
        """The query with the project's prefixes declared."""
        return sparql_prefixes() + self.text

    def bind(self, values: dict[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
        """Parameter values (or defaults) as validated RDF terms."""
        unknown = sorted(set(values) - {p.name for p in self.params})
        if unknown:
            raise QueryParamError(f"unknown parameter(s) for {self.name}: {', '.join(unknown)}")
        return {p.name: _term(p, values.get(p.name, p.default)) for p in self.params}

    def bound(self, values: dict[str, str], services: dict[str, str] | None = None) -> str:
        """The query with its parameters bound by a VALUES block at the start of the outer WHERE group.
        The block holds RDF terms built and escaped by pyoxigraph from validated values: user text is never
        spliced into the query, so a value cannot change the query's shape."""
        terms = self.bind(values)
        text = self.with_services(services or {})
        if not terms:
            return sparql_prefixes() + text
        block = " ".join(f"VALUES ?{name} {{ {term} }}" for name, term in terms.items())
        m = re.search(r"\bWHERE\s*\{", text, re.I)
        if m is None:
            raise ValueError(f"{self.name}: a query with parameters needs a WHERE clause")
        return sparql_prefixes() + text[:m.end()] + " " + block + " " + text[m.end():]


def _term(p: Param, value: str) -> ox.NamedNode | ox.Literal:
    value = value.strip()
    if p.type == "iri":
        value = value.strip("<>")
        if not re.match(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", value, re.I):
            raise QueryParamError(f"parameter {p.name!r}: {value!r} is not an IRI")
        return ox.NamedNode(value)
    if p.type == "integer":
        if not re.fullmatch(r"-?\d+", value):
            raise QueryParamError(f"parameter {p.name!r}: {value!r} is not an integer")
        return ox.Literal(value, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    if p.type == "date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise QueryParamError(f"parameter {p.name!r}: {value!r} is not a date (YYYY-MM-DD)") from None
        return ox.Literal(value, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    return ox.Literal(value)


def parse_query_file(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    header: dict[str, list[str]] = {}
    current = ""
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = re.match(r"#\s*(title|description|param|service):\s*(.*)$", line)
        if m:
            current = m.group(1)
            header.setdefault(current, []).append(m.group(2).strip())
        elif current == "description":
            header["description"][-1] += " " + line.lstrip("# ").strip()
    params = []
    for spec in header.get("param", []):
        if spec == "none":
            continue
        m = re.match(r"(\w+)\s+(\w+)\s+(\"[^\"]*\"|<[^>]*>|\S+)\s*(.*)$", spec)
        if not m or m.group(2) not in PARAM_TYPES:
            raise ValueError(f"{path}: bad parameter line {spec!r} (name type default description)")
        params.append(Param(m.group(1), m.group(2), m.group(3).strip('"<>'), m.group(4)))
    services = [s for s in header.get("service", []) if s in SERVICE_IRIS]
    return NamedQuery(path.stem, (header.get("title") or [path.stem])[0],
                      " ".join(header.get("description", [])), text, params, services)


def load_queries(folder: Path = QUERY_DIR) -> dict[str, NamedQuery]:
    return {p.stem: parse_query_file(p) for p in sorted(folder.glob("*.rq"))}
