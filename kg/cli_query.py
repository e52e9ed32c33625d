"""`kg query` without surprises: a named query found by name (or a close one suggested), parameters checked
(NAME=VALUE, IRIs given as short ids or catalog labels), the output format checked against the query's result
kind before anything runs, a time limit, and syntax errors placed in the user's own text."""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Literal

import pyoxigraph as ox

from . import formats
from .names import ID, PREFIXES, Term, sparql_prefixes

RESULT_FORMATS = {
    "SELECT": ("table", "json", "csv", "tsv"),
    "ASK": ("table", "json"),
    "CONSTRUCT": ("turtle", "ntriples", "jsonld", "rdfxml"),
    "DESCRIBE": ("turtle", "ntriples", "jsonld", "rdfxml"),
}
ALL_FORMATS = tuple(dict.fromkeys(f for fs in RESULT_FORMATS.values() for f in fs))
GRAPH_SYNTAX = {name: formats.RDF[formats.media_type(name)] for name in RESULT_FORMATS["CONSTRUCT"]}
_BARE_NAME = re.compile(r"^[A-Za-z][\w-]*$")


class QueryInputError(ValueError):
    """Bad input to `kg query`: exit 2, nothing run."""


@dataclass
class PreparedQuery:
    text: str  # what the user wrote (or the named query / file), without the injected prefixes
    sparql: str  # what runs
    source: str  # how messages name it: 'query', the file, or 'named query NAME'
    hidden_lines: int  # lines in front of `text` in `sparql`


def parse_params(params: list[str]) -> dict[str, str]:
    """NAME=VALUE pairs; anything else is refused."""
    values: dict[str, str] = {}
    for p in params:
        name, sep, value = p.partition("=")
        if not sep or not name.strip():
            raise QueryInputError(f"-p {p!r}: expected NAME=VALUE (for example -p person=person/gustavo-petro)")
        values[name.strip()] = value
    return values


def prepare(query_text: str, params: list[str]) -> PreparedQuery:
    """The query to run: a named query (parameters bound), a .rq file, or SPARQL text."""
    from .queries import QueryParamError, load_queries

    values = parse_params(params)
    queries = load_queries()
    if query_text in queries:
        named = queries[query_text]
        try:
            sparql = named.bound(values)  # IRI parameters may be short ids or catalog labels (kg.queries)
        except QueryParamError as e:
            raise QueryInputError(f"named query {query_text!r}: {e}") from None
        return PreparedQuery(named.text, sparql, f"queries/{query_text}.rq", sparql_prefixes().count("\n"))
    if values:
        raise QueryInputError(f"-p is for named queries (see `kg queries`); {query_text[:40]!r} is not one")
    path = Path(query_text)
    if query_text.endswith(".rq") or (len(query_text) < 256 and "\n" not in query_text and path.is_file()):
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            raise QueryInputError(f"{path}: {e.strerror}") from None
        return PreparedQuery(text, sparql_prefixes() + text, str(path), sparql_prefixes().count("\n"))
    if _BARE_NAME.match(query_text):
        close = difflib.get_close_matches(query_text, list(queries), n=3, cutoff=0.6)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise QueryInputError(f"no named query {query_text!r}{hint} (`kg queries` lists them)")
    return PreparedQuery(query_text, sparql_prefixes() + query_text, "query", sparql_prefixes().count("\n"))


def query_form(sparql: str) -> tuple[str | None, tuple[int, int] | None]:
    """SELECT, ASK, CONSTRUCT or DESCRIBE from the parser's tree; when it does not parse, None and the (line,
    column) where that parser failed (the store's parser then reports the error)."""
    from .sparql_tree import SparqlError, analyse

    try:
        return analyse(sparql).form, None
    except SparqlError as e:
        m = re.search(r"at line (\d+), column (\d+)", str(e))
        return None, (int(m.group(1)), int(m.group(2))) if m else None


def check_format(fmt: str, form: str | None) -> None:
    """Refuse a format that is unknown, or that the query's result kind cannot take."""
    if fmt not in ALL_FORMATS:
        raise QueryInputError(f"unknown format {fmt!r}: choose one of {', '.join(ALL_FORMATS)}")
    if form in RESULT_FORMATS and fmt not in RESULT_FORMATS[form]:
        gives = {"SELECT": "rows", "ASK": "true or false"}.get(form, "a graph")
        raise QueryInputError(f"{'an' if form == 'ASK' else 'a'} {form} query gives {gives}; --format {fmt} does "
                              f"not fit it: choose one of {', '.join(RESULT_FORMATS[form])}")


def compact(term: Term | None) -> str:
    """A term as a table shows it: short ids for the project's things, prefixed names for vocabularies."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        iri = term.value
        if iri.startswith(ID):
            return iri[len(ID):]
        for prefix, ns in PREFIXES.items():
            if iri.startswith(ns) and re.fullmatch(r"[\w.-]*", iri[len(ns):]):
                return f"{prefix}:{iri[len(ns):]}"
        return iri
    return term.value if hasattr(term, "value") else str(term)


def rows_text(result: ox.QuerySolutions, fmt: str) -> tuple[list[str], list[list[Term | None]], str | None]:
    """Variables and rows; for json/csv/tsv also the finished text."""
    names = [v.value for v in result.variables]
    rows = [[r[n] for n in names] for r in result]
    if fmt == "json":
        records = [{n: (t.value if t is not None else "") for n, t in zip(names, r, strict=True)} for r in rows]
        return names, rows, json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if fmt in ("csv", "tsv"):
        out = io.StringIO()
        w = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        w.writerow(names)
        w.writerows([[t.value if t is not None else "" for t in r] for r in rows])
        return names, rows, out.getvalue()
    return names, rows, None


def graph_text(triples: list[ox.Triple], fmt: str) -> str:
    prefixes = PREFIXES if fmt == "turtle" else None
    return (ox.serialize(triples, format=GRAPH_SYNTAX[fmt], prefixes=prefixes) or b"").decode("utf-8")


@dataclass
class Outcome:
    """What running a query gave: 'rows' (SPARQL results JSON), 'graph' (N-Triples), 'syntax' or 'failed'."""

    kind: Literal["rows", "graph", "syntax", "failed"]
    body: bytes


def _run(path: str, sparql: str) -> Outcome:
    from .store import open_store
    from .store.remote import RemoteStoreError

    try:
        with open_store(path, read_only=True) as store:
            result = store.query(sparql)
    except SyntaxError as e:
        return Outcome("syntax", str(e).encode("utf-8"))
    except (OSError, ValueError, RuntimeError, RemoteStoreError) as e:
        return Outcome("failed", str(e).encode("utf-8"))
    assert isinstance(result, (ox.QuerySolutions, ox.QueryBoolean, ox.QueryTriples))
    if isinstance(result, ox.QueryTriples):
        return Outcome("graph", result.serialize(format=ox.RdfFormat.N_TRIPLES) or b"")
    return Outcome("rows", result.serialize(format=ox.QueryResultsFormat.JSON) or b"")


def _child(conn: Connection, path: str, sparql: str) -> None:
    conn.send(_run(path, sparql))


def run_with_timeout(path: Path, sparql: str, timeout: float) -> Outcome | None:
    """Run a query on a read-only handle in a child process; None when it ran past `timeout` seconds (the
    child is then killed: pyoxigraph cannot cancel a query in progress)."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, str(path), sparql), daemon=True)
    proc.start()
    child.close()
    try:
        if parent.poll(timeout):
            return parent.recv()
        return None
    except EOFError:
        return Outcome("failed", b"the query process ended without an answer")
    finally:
        proc.kill()
        proc.join(timeout=5)
        parent.close()
