"""Named queries: the SPARQL files of queries/, with their headers, and safe parameter binding."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from .names import ID, PREFIXES, XSD, sparql_prefixes
from .resources import resource_dir

QUERY_DIR = resource_dir("queries")
# 'service: wikidata' in a header: the query's SERVICE calls go to the Wikidata endpoint the server is configured with.
SERVICE_IRIS = {"wikidata": "https://query.wikidata.org/sparql"}
PARAM_TYPES = ("iri", "string", "integer", "date")
_SHORT_ID = re.compile(r"^([a-z]+)/([a-z0-9][a-z0-9-]*)$")


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
        """The query with its parameters bound by VALUES blocks: at the start of the outer WHERE group, and of each
        subquery's WHERE group that names the parameter, since a subquery does not see the outer group's bindings
        (and pyoxigraph evaluates a subquery whole before the join, so a parameter bound inside it narrows it
        early). The blocks hold RDF terms built and escaped by pyoxigraph from validated values: user text is
        never spliced into the query, so a value cannot change the query's shape."""
        terms = self.bind(values)
        text = self.with_services(services or {})
        if not terms:
            return sparql_prefixes() + text
        groups = [(m.end(), _group_end(text, m.end())) for m in _WHERE.finditer(text) if m.group(0)[0] in "wW"]
        if not groups:
            raise ValueError(f"{self.name}: a query with parameters needs a WHERE clause")
        inserts = []
        for n, (start, end) in enumerate(groups):
            named = [f"VALUES ?{name} {{ {term} }}" for name, term in terms.items()
                     if n == 0 or re.search(rf"\?{name}\b", text[start:end])]
            inserts.append((start, " " + " ".join(named) + " " if named else ""))
        for start, block in reversed(inserts):
            text = text[:start] + block + text[start:]
        return sparql_prefixes() + text


# What a brace inside does not count in: an IRI, a string literal, a comment.
_SKIPPED = r'<[^<>"{}|^`\\\s]*>|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*'
_WHERE = re.compile(rf"{_SKIPPED}|\bWHERE\s*\{{", re.I)
_BRACES = re.compile(rf"{_SKIPPED}|[{{}}]")


def _group_end(text: str, start: int) -> int:
    """Where the group opened just before `start` closes."""
    depth = 1
    for m in _BRACES.finditer(text, start):
        if m.group(0) in ("{", "}"):
            depth += 1 if m.group(0) == "{" else -1
            if depth == 0:
                return m.start()
    return len(text)


@functools.cache
def _catalog_names() -> dict[str, frozenset[str]]:
    """Each catalog id, label and alias (casefolded) with the IRIs it names; read once per process."""
    from .catalog import load_catalog

    names: dict[str, set[str]] = {}
    for e in load_catalog():
        for name in {e.id, e.label, *e.aliases}:
            names.setdefault(name.casefold(), set()).add(e.iri)
    return {name: frozenset(iris) for name, iris in names.items()}


def resolve_iri(value: str) -> str:
    """An IRI parameter as a full IRI: a full IRI stays; 'person/gustavo-petro' is a short id, 'dip:Meeting' a
    prefixed name; a catalog id ('gustavo-petro'), label or alias ('Gustavo Petro') names its entity. Anything
    else is refused with a QueryParamError."""
    v = value.strip().strip("<>")
    if _SHORT_ID.match(v):
        return ID + v
    if ":" in v and v.split(":", 1)[0] in PREFIXES:
        return PREFIXES[v.split(":", 1)[0]] + v.split(":", 1)[1]
    if re.match(r"^[a-z][a-z0-9+.-]*:", v, re.I):
        return v
    matches = _catalog_names().get(v.casefold(), frozenset())
    if len(matches) == 1:
        return next(iter(matches))
    problem = "names several entities" if matches else "is no full IRI, short id (kind/id) or catalog label"
    raise QueryParamError(f"{value!r} {problem}" + (f": {', '.join(sorted(matches))}" if matches else ""))


def _term(p: Param, value: str) -> ox.NamedNode | ox.Literal:
    value = value.strip()
    if p.type == "iri":
        try:
            value = resolve_iri(value)
        except QueryParamError as e:
            raise QueryParamError(f"parameter {p.name!r}: {e}") from None
        if not re.match(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", value, re.I):
            raise QueryParamError(f"parameter {p.name!r}: {value!r} is not an IRI")
        return ox.NamedNode(value)
    if p.type == "integer":
        if not re.fullmatch(r"-?\d+", value):
            raise QueryParamError(f"parameter {p.name!r}: {value!r} is not an integer")
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "integer"))
    if p.type == "date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise QueryParamError(f"parameter {p.name!r}: {value!r} is not a date (YYYY-MM-DD)") from None
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "date"))
    return ox.Literal(value)


class QueryFileError(ValueError):
    """A named query whose header does not fit the schema; the message names the file and the line."""


HEADER_KEYS = {"title": str, "description": str, "params": dict, "service": str}
PARAM_KEYS = {"type": str, "default": str, "description": str}


def _header(path: Path, text: str) -> tuple[yaml.MappingNode, int]:
    """The YAML of the leading '#+' lines (grlc's convention) as a node, and how many lines it spans."""
    lines = text.splitlines()
    count = next((i for i, line in enumerate(lines) if not line.startswith("#+")), len(lines))
    if count == 0:
        raise QueryFileError(f"{path}:1: no '#+' header (YAML with at least a title) before the query")
    try:
        node = yaml.compose("\n".join(line[2:] for line in lines[:count]))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise QueryFileError(f"{path}:{mark.line + 1 if mark else 1}: the header is not YAML: {e}") from None
    if not isinstance(node, yaml.MappingNode):
        raise QueryFileError(f"{path}:1: the header must be a mapping of keys (title, description, ...)")
    return node, count


def _checked(path: Path, node: yaml.MappingNode, schema: Mapping[str, type], what: str) -> dict[str, Any]:
    """A mapping node checked against its schema: every key known, every value of the right kind."""
    out: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key, line = key_node.value, key_node.start_mark.line + 1
        if key not in schema:
            raise QueryFileError(f"{path}:{line}: unknown {what} key {key!r}; expected one of {', '.join(schema)}")
        value = yaml.safe_load(yaml.serialize(value_node))
        if schema[key] is str and value is not None:
            value = str(value)
        if not isinstance(value, schema[key]):
            raise QueryFileError(f"{path}:{line}: {what} key {key!r} needs a {schema[key].__name__}")
        out[key] = value_node if schema[key] is dict else value
    return out


def _params(path: Path, node: yaml.MappingNode) -> list[Param]:
    params = []
    for name_node, spec_node in node.value:
        line = name_node.start_mark.line + 1
        if not isinstance(spec_node, yaml.MappingNode):
            raise QueryFileError(f"{path}:{line}: parameter {name_node.value!r} needs type, default and description")
        spec = _checked(path, spec_node, PARAM_KEYS, "parameter")
        if spec.get("type") not in PARAM_TYPES:
            raise QueryFileError(f"{path}:{line}: parameter {name_node.value!r} has type {spec.get('type')!r}; "
                                 f"expected one of {', '.join(PARAM_TYPES)}")
        params.append(Param(name_node.value, spec["type"], spec.get("default", ""), spec.get("description", "")))
    return params


def parse_query_file(path: Path) -> NamedQuery:
    """A named query: its '#+' YAML header (title, description, params, service), checked, and its text."""
    text = path.read_text(encoding="utf-8")
    node, _ = _header(path, text)
    header = _checked(path, node, HEADER_KEYS, "header")
    if "title" not in header:
        raise QueryFileError(f"{path}:1: the header has no title")
    service = header.get("service")
    if service is not None and service not in SERVICE_IRIS:
        raise QueryFileError(f"{path}: unknown service {service!r}; expected one of {', '.join(SERVICE_IRIS)}")
    params = _params(path, header["params"]) if "params" in header else []
    return NamedQuery(path.stem, header["title"], header.get("description", ""), text, params,
                      [service] if service else [])


def load_queries(folder: Path = QUERY_DIR) -> dict[str, NamedQuery]:
    return {p.stem: parse_query_file(p) for p in sorted(folder.glob("*.rq"))}
