"""What a SPARQL request would do, read from the syntax tree of a real parser (rdflib's), never from its text.

`analyse` gives the query form, every SERVICE endpoint (in subqueries, OPTIONAL, EXISTS ... alike), LOAD sources,
FROM / FROM NAMED, and for an update the graphs it may touch (None when a variable or ALL means any graph). A
tokenizer bounds the nesting depth before the parser runs, so a deeply nested request is refused in linear time
instead of exhausting the parser's stack. Endpoint IRIs are normalised (scheme, host, port, dot-segments) before
they are compared with the allowlist.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from pyparsing import ParseBaseException
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef, Variable

MAX_DEPTH = 64  # brackets nested deeper than this are refused before parsing
FRAMES_PER_LEVEL = 400  # the parser's Python frames per nesting level, with room to spare
DEFAULT_PORTS = {"http": 80, "https": 443}

_TOKEN = re.compile(
    r"""(?P<ws>\s+)|(?P<comment>\#[^\n\r]*)"""
    r"""|(?P<long>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\")"""
    r"""|(?P<short>'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")"""
    r"""|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)|(?P<open>[({\[])|(?P<close>[)}\]])"""
    r"""|(?P<word>[^\s#'"<(){}\[\]]+)|(?P<other>.)""",
    re.S,
)


class SparqlError(ValueError):
    """A request that is not valid SPARQL (400), with the position in the caller's own text."""


class TooDeep(SparqlError):
    """A request nested deeper than the configured bound (400)."""


class Forbidden(ValueError):
    """A request the server refuses to carry out (403)."""


def nesting_depth(text: str) -> int:
    """The deepest nesting of (), {} and [] outside strings, IRIs and comments (linear time, no recursion)."""
    depth = deepest = 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth = max(0, depth - 1)
    return deepest


def keywords(text: str, wanted: frozenset[str] = frozenset({"SERVICE", "LOAD"})) -> dict[str, int]:
    """How many times each wanted keyword occurs as a token (outside strings, IRIs and comments)."""
    found = dict.fromkeys(wanted, 0)
    for m in _TOKEN.finditer(text):
        if m.lastgroup == "word" and m.group().upper() in found:
            found[m.group().upper()] += 1
    return found


def _agree(text: str, result: Analysis) -> None:
    """A second, independent look: the lexer's SERVICE and LOAD tokens must be the ones the tree has, so a
    request that two parsers would read differently is refused rather than guessed at."""
    counts = keywords(text)
    if counts["SERVICE"] != len(result.services) or counts["LOAD"] != len(result.loads):
        raise SparqlError("the request's SERVICE/LOAD keywords and its syntax tree disagree; it is refused")


def _position(text: str, loc: int) -> str:
    line = text.count("\n", 0, loc) + 1
    return f"line {line}, column {loc - (text.rfind(chr(10), 0, loc) + 1) + 1}"


def parse(text: str, update: bool, max_depth: int = MAX_DEPTH) -> Any:
    """The rdflib syntax tree of a query or update; SparqlError (with line and column) when it is not SPARQL."""
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    depth = nesting_depth(text)
    if depth > max_depth:
        raise TooDeep(f"the request nests brackets {depth} deep, over the limit of {max_depth}")
    # The parser recurses per nesting level; within the bound it must not run out of frames. Only ever raised,
    # never lowered, as other threads may be deeper.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), FRAMES_PER_LEVEL * (max_depth + 2)))
    try:
        return parseUpdate(text) if update else parseQuery(text)
    except ParseBaseException as e:
        # rdflib expands \\u escapes before parsing; without them the position is the caller's own.
        where = _position(text, e.loc) if "\\u" not in text and "\\U" not in text else f"line {e.lineno}"
        raise SparqlError(f"SPARQL syntax error at {where}: {e.msg}") from None
    except RecursionError:
        raise TooDeep("the request is nested too deeply to parse") from None


def normalise_iri(iri: str) -> str:
    """An IRI compared as a location: lower-case scheme and host, no default port, dot-segments removed."""
    parts = urlsplit(iri)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    if parts.username is not None or parts.password is not None:
        netloc = f"{parts.username or ''}@{netloc}"  # kept, so that it never equals an allowlisted endpoint
    path = _remove_dot_segments(parts.path) or ("/" if netloc else "")
    return urlunsplit((scheme, netloc, path, parts.query, ""))


def _remove_dot_segments(path: str) -> str:
    out: list[str] = []
    segments = path.split("/")
    for i, seg in enumerate(segments):
        last = i == len(segments) - 1
        if seg == "..":
            if len(out) > 1:
                out.pop()
            if last:
                out.append("")
        elif seg == ".":
            if last:
                out.append("")
        else:
            out.append(seg)
    return "/".join(out)


def allowed(target: str, allow: list[str]) -> bool:
    """Whether a normalised endpoint is an allowlisted one or below it (same scheme, host and port)."""
    t = urlsplit(normalise_iri(target))
    for entry in allow:
        a = urlsplit(normalise_iri(entry))
        if (t.scheme, t.netloc) != (a.scheme, a.netloc) or "@" in t.netloc:
            continue
        base = a.path.rstrip("/")
        if t.path == a.path or t.path.startswith(base + "/"):
            if not a.query or t.query == a.query:
                return True
    return False


@dataclass
class Analysis:
    """What the tree says a request does."""

    form: str  # SELECT, ASK, CONSTRUCT, DESCRIBE or UPDATE
    services: list[str | None] = field(default_factory=list)  # None: a variable endpoint
    loads: list[str] = field(default_factory=list)
    from_default: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)
    graphs: set[str] | None = field(default_factory=set)  # named graphs an update may touch; None: any
    drops_all: bool = False  # DROP/CLEAR ALL or NAMED
    dataset_clause: bool = False  # USING or WITH in an update
    reads_default: bool = False  # an update operation that may read the default graph (WHERE, COPY DEFAULT ...)
    tree: Any = field(default=None, repr=False, compare=False)  # the parser's tree itself

    def remote(self) -> list[str | None]:
        return self.services + list(self.loads)


def check_remote(analysis: Analysis, allow: list[str]) -> None:
    """Raise Forbidden when the request would make the server fetch a URL not on the allowlist."""
    listed = ", ".join(allow) if allow else "empty"
    for target in analysis.remote():
        if target is None:
            raise Forbidden("SERVICE with a variable endpoint is not allowed")
        if not allowed(target, allow):
            raise Forbidden(f"the server does not fetch <{target}> (SERVICE and LOAD allowlist: {listed})")


class _Resolver:
    def __init__(self, base: str | None) -> None:
        self.base = base
        self.prefixes: dict[str, str] = {}

    def prologue(self, decls: Any) -> None:
        for d in _flat(decls):
            if isinstance(d, CompValue) and d.name == "PrefixDecl":
                self.prefixes[_get(d, "prefix") or ""] = self.iri(d["iri"]) or ""
            elif isinstance(d, CompValue) and d.name == "Base":
                self.base = self.iri(d["iri"])

    def iri(self, term: Any) -> str | None:
        """A term as an absolute IRI string; None for a variable."""
        if isinstance(term, Variable):
            return None
        if isinstance(term, CompValue) and term.name == "pname":
            prefix = _get(term, "prefix") or ""
            if prefix not in self.prefixes:
                raise SparqlError(f"unknown prefix {prefix!r}:")
            return self.prefixes[prefix] + (_get(term, "localname") or "")
        value = str(term)
        return urljoin(self.base, value) if self.base and not urlsplit(value).scheme else value


def _get(node: Any, key: str) -> Any:
    """A child of a tree node, or None (CompValue.get answers the key itself when it is missing)."""
    return node[key] if isinstance(node, CompValue) and key in node else None


def _flat(node: Any) -> Iterator[Any]:
    """Every node under `node` (depth first, without recursion, so a deep tree cannot exhaust the stack)."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, CompValue):
            stack.extend(reversed(list(n.values())))
        elif isinstance(n, list | tuple) or type(n).__name__ == "ParseResults":
            stack.extend(reversed(list(n)))


def analyse(text: str, update: bool = False, base: str | None = None, max_depth: int = MAX_DEPTH) -> Analysis:
    """Parse a query (or update) and say what it does; SparqlError when it is not SPARQL."""
    tree = parse(text, update, max_depth)
    result = _analyse_update(tree, base) if update else _analyse_query(tree, base)
    _agree(text, result)
    result.tree = tree
    return result


@functools.lru_cache(maxsize=4096)
def analysed(text: str, base: str | None = None, max_depth: int = MAX_DEPTH) -> Analysis:
    """A query's analysis without its tree, kept per process: a text the endpoint checked and the store then runs
    is parsed once. Do not change the answer; it is shared."""
    result = analyse(text, base=base, max_depth=max_depth)
    result.tree = None
    return result


def _analyse_query(tree: Any, base: str | None) -> Analysis:
    resolver = _Resolver(base)
    prologue, body = tree[0], tree[1]
    resolver.prologue(prologue)
    form = body.name.replace("Query", "").upper()
    result = Analysis(form=form)
    for clause in _get(body, "datasetClause") or []:
        if _get(clause, "default") is not None:
            result.from_default.append(resolver.iri(clause["default"]) or "")
        if _get(clause, "named") is not None:
            result.from_named.append(resolver.iri(clause["named"]) or "")
    _services(body, resolver, result)
    return result


def _services(node: Any, resolver: _Resolver, result: Analysis) -> None:
    for n in _flat(node):
        if isinstance(n, CompValue) and n.name == "ServiceGraphPattern":
            result.services.append(_endpoint(resolver.iri(n["term"])))


def _endpoint(iri: str | None) -> str | None:
    return None if iri is None else normalise_iri(iri)


_DATA_OPS = ("InsertData", "DeleteData", "DeleteWhere")


def _analyse_update(tree: Any, base: str | None) -> Analysis:
    resolver = _Resolver(base)
    result = Analysis(form="UPDATE")
    graphs: set[str] | None = set()
    prologues = list(_get(tree, "prologue") or [])
    for i, op in enumerate(_get(tree, "request") or []):
        if i < len(prologues):
            resolver.prologue(prologues[i])
        _services(op, resolver, result)
        touched = _op_graphs(op, resolver, result)
        graphs = None if touched is None or graphs is None else graphs | touched
    result.graphs = graphs
    return result


def _graph_ref(ref: Any, resolver: _Resolver, result: Analysis) -> set[str] | None:
    """The named graphs a graph reference of CLEAR/DROP/ADD/MOVE/COPY/CREATE denotes."""
    if isinstance(ref, str) and not isinstance(ref, URIRef) and ref.upper() in ("ALL", "NAMED"):
        result.drops_all = True
        return None
    if isinstance(ref, str) and not isinstance(ref, URIRef) and ref.upper() == "DEFAULT":
        return set()
    iri = resolver.iri(ref)
    return None if iri is None else {iri}


def _template_graphs(node: Any, resolver: _Resolver) -> set[str] | None:
    """Graphs named by GRAPH in a template or pattern (None when one is a variable)."""
    found: set[str] = set()
    for n in _flat(node):
        if isinstance(n, CompValue) and n.name in ("QuadsNotTriples", "GraphGraphPattern"):
            iri = resolver.iri(n["term"])
            if iri is None:
                return None
            found.add(iri)
    return found


def _op_graphs(op: CompValue, resolver: _Resolver, result: Analysis) -> set[str] | None:
    name = op.name
    if name in ("Modify", "DeleteWhere"):
        result.reads_default = True
    if name in _DATA_OPS:
        return _template_graphs(op, resolver)
    if name == "Modify":
        return _modify_graphs(op, resolver, result)
    if name == "Load":
        result.loads.append(normalise_iri(resolver.iri(op["iri"]) or ""))
        target = _get(op, "graphiri")
        return set() if target is None else _graph_ref(target, resolver, result)
    if name in ("Clear", "Drop", "Create"):
        return _graph_ref(op["graphiri"], resolver, result)
    if name in ("Add", "Move", "Copy"):
        found: set[str] | None = set()
        result.reads_default |= any(isinstance(r, str) and str(r).upper() == "DEFAULT" for r in op["graph"])
        for ref in op["graph"]:
            g = _graph_ref(ref, resolver, result)
            found = None if g is None or found is None else found | g
        return found
    raise SparqlError(f"unsupported update operation {name}")


def _modify_graphs(op: CompValue, resolver: _Resolver, result: Analysis) -> set[str] | None:
    found: set[str] | None = set()
    if _get(op, "withClause") is not None:
        result.dataset_clause = True
        with_iri = resolver.iri(op["withClause"])
        found = None if with_iri is None else {with_iri}
    for clause in _get(op, "using") or []:
        result.dataset_clause = True
        for key in ("default", "named"):
            if _get(clause, key) is not None and found is not None:
                found.add(resolver.iri(clause[key]) or "")
    for part in ("delete", "insert", "where"):
        if _get(op, part) is None:
            continue
        g = _template_graphs(op[part], resolver)
        found = None if g is None or found is None else found | g
    return found
