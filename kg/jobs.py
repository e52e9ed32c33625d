"""What the workers do for the endpoint: every parse, check, query, validation and serialisation of a request.

Each job is a plain function `job(context, store, ...)` run in a locked-down worker (kg.store.pool) on a read-only
snapshot; it gets the caller's text and returns bytes or a change, never touching the event loop. Decisions come
from the syntax tree (kg.sparql_tree), and what runs is the text whose tree was checked.
"""

from __future__ import annotations

import io
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from . import formats
from .diffs import Change, ChangeError, graph_change, stage_update, stage_with_dataset
from .names import ID, POSTED_GRAPH, PREFIXES, XSD
from .safe_rdf import RdfError, RdfTooLarge, parse_rdf
from .sparql_tree import MAX_DEPTH, Forbidden, SparqlError, analyse, analysed, check_remote
from .validate import BatchError, Report, check_batch, validate_batch, validate_change

RESULT_FORMATS = formats.RESULTS
RDFS_LABEL = PREFIXES["rdfs"] + "label"
GRAPH_FORMATS = formats.RDF


@dataclass
class Answer:
    """An HTTP answer made in a worker."""

    status: int
    media_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def plain(status: int, message: str) -> Answer:
    return Answer(status, "text/plain", (message.rstrip("\n") + "\n").encode())


@dataclass
class Policy:
    """What the server allows, as the workers must know it."""

    allow_service: list[str] = field(default_factory=list)
    allow_drop_all: bool = False
    max_depth: int = MAX_DEPTH
    max_result_bytes: int = 50_000_000
    max_literal: int = 1_000_000
    engine: str = "turbo"


@dataclass
class QueryJob:
    query: str
    result_media: str | None  # None: no acceptable media type for SELECT/ASK results
    graph_media: str | None  # ... for CONSTRUCT/DESCRIBE
    default_graph: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    base_iri: str | None = None


class _Capped(io.RawIOBase):
    """A sink that stops serialisation as soon as the result is over the cap."""

    def __init__(self, cap: int) -> None:
        self.buffer = bytearray()
        self.cap = cap

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.buffer.extend(data)
        if len(self.buffer) > self.cap:
            raise OverflowError
        return len(data)


def _iris(values: list[str], what: str) -> list[ox.NamedNode]:
    out = []
    for v in values:
        try:
            out.append(ox.NamedNode(v))
        except ValueError as e:
            raise SparqlError(f"{what} is not an IRI: {v!r} ({e})") from None
    return out


def dataset(job: QueryJob, from_default: list[str], from_named: list[str]) -> dict[str, Any]:
    """The query's dataset by the SPARQL 1.1 rules: the protocol's graphs override FROM / FROM NAMED, which
    override the server's default (the default graph, which is the merge of the named graphs, and every named
    graph)."""
    default, named = job.default_graph, job.named_graphs
    if not default and not named:
        default, named = from_default, from_named
    if not default and not named:
        return {}
    return {"default_graph": _iris(default, "default-graph-uri"), "named_graphs": _iris(named, "named-graph-uri")}


def _run_checked(store: ox.Store, job: QueryJob, policy: Policy, media_needed: bool = True) -> Answer | tuple[
        str, ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, str | None]:
    """Parse and check a query, then run it on the snapshot: its form, its result and the media type to serialise
    it in; or the error answer."""
    try:
        tree = analysed(job.query, job.base_iri, policy.max_depth)
        check_remote(tree, policy.allow_service)
        kwargs = dataset(job, tree.from_default, tree.from_named)
    except SparqlError as e:
        return plain(400, str(e))
    except Forbidden as e:
        return plain(403, str(e))
    media = job.graph_media if tree.form in ("CONSTRUCT", "DESCRIBE") else job.result_media
    if media is None and media_needed:
        return plain(406, "none of the acceptable media types can carry this query's results")
    try:
        result = store.query(job.query, base_iri=job.base_iri, **kwargs)
    except SyntaxError as e:
        return plain(400, f"SPARQL syntax error: {e}")
    except (OSError, ValueError, RuntimeError) as e:
        return plain(400, f"query failed: {e}")
    return tree.form, result, media


def run_query(ctx: Any, store: ox.Store, job: QueryJob, policy: Policy) -> Answer:
    """Parse, check and run a query on the snapshot, and serialise its result under the cap."""
    ran = _run_checked(store, job, policy)
    if isinstance(ran, Answer):
        return ran
    _, result, media = ran
    assert media is not None
    sink = _Capped(policy.max_result_bytes)
    fmt: Any = GRAPH_FORMATS[media] if isinstance(result, ox.QueryTriples) else RESULT_FORMATS[media]
    try:
        result.serialize(sink, format=fmt)  # type: ignore[arg-type]  # _Capped is a writable binary file
    except OverflowError:
        return plain(413, f"the result is over the {policy.max_result_bytes:,}-byte limit: add a LIMIT or narrow "
                          "the query")
    except (OSError, ValueError, RuntimeError) as e:
        if isinstance(e.__context__, OverflowError) or "OverflowError" in str(e):
            return plain(413, f"the result is over the {policy.max_result_bytes:,}-byte limit")
        return plain(500, f"query failed while producing results: {e}")
    return Answer(200, media, bytes(sink.buffer))


def term_json(term: Any) -> dict[str, str] | None:
    """An RDF term as a SPARQL 1.1 Results JSON binding (None for an unbound variable)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD + "string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}  # an RDF-star triple, shown as its text


def _page_rows(result: ox.QuerySolutions | ox.QueryTriples, offset: int,
               limit: int) -> tuple[list[str], list[list[Any]], bool]:
    """Rows offset..offset+limit of a result (the engine stops after the page), and whether more follow."""
    if isinstance(result, ox.QueryTriples):
        names = ["subject", "predicate", "object"]
        picked = [[t.subject, t.predicate, t.object] for t in itertools.islice(result, offset, offset + limit + 1)]
    else:
        names = [v.value for v in result.variables]
        picked = [[s[n] for n in names] for s in itertools.islice(result, offset, offset + limit + 1)]
    return names, picked[:limit], len(picked) > limit


def _labels(store: ox.Store, iris: set[str]) -> dict[str, str]:
    """An English (else untagged, else any) rdfs:label of each IRI, by one SPARQL query whose VALUES holds
    terms pyoxigraph wrote from the result's own IRIs."""
    if not iris:
        return {}
    values = " ".join(str(ox.NamedNode(i)) for i in sorted(iris))
    rank: dict[str, tuple[int, str]] = {}
    found = store.query(f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {values} }} ?s <{RDFS_LABEL}> ?l }}")
    assert isinstance(found, ox.QuerySolutions)
    for row in found:
        label = row["l"]
        order = {"en": 0, "": 1}.get(label.language or "", 2) if isinstance(label, ox.Literal) else 3
        key = row["s"].value
        if key not in rank or (order, label.value) < rank[key]:
            rank[key] = (order, label.value)
    return {iri: text for iri, (_, text) in rank.items()}


def run_page(ctx: Any, store: ox.Store, job: QueryJob, policy: Policy, offset: int, limit: int) -> Answer:
    """One page of a query's results for an HTML table: SPARQL JSON of rows offset..offset+limit plus the query's
    form, whether more rows follow, and the labels of the IRIs on the page."""
    ran = _run_checked(store, job, policy, media_needed=False)
    if isinstance(ran, Answer):
        return ran
    form, result, _ = ran
    if isinstance(result, ox.QueryBoolean):
        return Answer(200, "application/json", json.dumps({"form": form, "boolean": bool(result)}).encode())
    try:
        names, rows, more = _page_rows(result, offset, limit)
    except (OSError, ValueError, RuntimeError) as e:
        return plain(400, f"query failed: {e}")
    iris = {t.value for row in rows for t in row if isinstance(t, ox.NamedNode)}
    body = {"form": form, "head": {"vars": names}, "more": more, "labels": _labels(store, iris),
            "results": {"bindings": [{n: term_json(t) for n, t in zip(names, row, strict=True) if t is not None}
                                     for row in rows]}}
    return Answer(200, "application/json", json.dumps(body).encode())


@dataclass
class Staged:
    """A write checked in a worker: the change it makes and the gate's verdict (a report to send back if not)."""

    change: Change
    answer: Answer | None = None  # set when the write is refused


def _report_answer(report: Report, accept: str, status: int) -> Answer:
    if "turtle" in accept and report.graph is not None:
        return Answer(status, "text/turtle", report.graph.serialize(format="turtle").encode())
    body = json.dumps({"conforms": report.conforms, "results": [r.__dict__ for r in report.results]})
    return Answer(status, "application/json", body.encode())


def _gate(store: ox.Store, change: Change, policy: Policy, accept: str) -> Staged:
    for q in change.added:
        if isinstance(q.object, ox.Literal) and len(q.object.value) > policy.max_literal:
            return Staged(change, plain(413, f"a literal of {len(q.object.value):,} characters on {q.subject} is "
                                             f"over the {policy.max_literal:,}-character limit"))
    if not any(isinstance(q.subject, ox.NamedNode) for q in [*change.removed, *change.added]):
        return Staged(change)
    report = validate_change(store, change.removed, change.added, policy.engine)
    return Staged(change, None if report.conforms else _report_answer(report, accept, 422))


def stage_sparql_update(ctx: Any, store: ox.Store, update: str, using: list[str], using_named: list[str],
                        base: str | None, policy: Policy, accept: str) -> Staged:
    """Parse and check an update, stage it on the snapshot, and pass its result through the SHACL gate."""
    try:
        tree = analyse(update, update=True, base=base, max_depth=policy.max_depth)
        check_remote(tree, policy.allow_service)
    except SparqlError as e:
        return Staged(Change(), plain(400, str(e)))
    except Forbidden as e:
        return Staged(Change(), plain(403, str(e)))
    if tree.drops_all and not policy.allow_drop_all:
        return Staged(Change(), plain(403, "DROP/CLEAR ALL and NAMED are off on this server (serve with "
                                           "--allow-drop-all to allow them)"))
    if (using or using_named) and tree.dataset_clause:
        return Staged(Change(), plain(400, "using-graph-uri/using-named-graph-uri cannot be combined with "
                                           "USING or WITH"))
    try:
        _iris(using + using_named, "using-graph-uri")
        change = (stage_with_dataset(store, tree, using, using_named, base) if using or using_named
                  else stage_update(store, tree, update, base))
    except (SparqlError, ChangeError) as e:
        return Staged(Change(), plain(400, str(e)))
    return _gate(store, change, policy, accept)


def parse_body(data: bytes, media: str, graph: ox.NamedNode | ox.DefaultGraph, base: str | None,
               policy: Policy) -> list[ox.Quad]:
    fmt = formats.rdf_format_of_body(media)
    if fmt is None:
        raise RdfError(f"unsupported RDF media type {media!r}")
    quads = parse_rdf(data, fmt, base, name=f"{media} body", max_literal=policy.max_literal)
    return [ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads]


def stage_graph_write(ctx: Any, store: ox.Store, parts: list[tuple[bytes, str]],
                      graph: ox.NamedNode | ox.DefaultGraph, base: str | None, method: str, policy: Policy,
                      accept: str) -> Staged:
    """A Graph Store Protocol PUT/POST (parts: bodies and their media types) or DELETE (no parts) through the
    gate."""
    try:
        quads = [q for data, media in parts for q in parse_body(data, media, graph, base, policy)]
        if quads:
            check_batch(quads, "request body", allow_anonymous=True)
    except RdfTooLarge as e:
        return Staged(Change(), plain(413, str(e)))
    except (RdfError, BatchError) as e:
        return Staged(Change(), plain(400, str(e)))
    return _gate(store, graph_change(store, graph, quads, method != "POST", drop=method == "DELETE"), policy, accept)


def validate_posted(ctx: Any, store: ox.Store, data: bytes, media: str, accept: str, policy: Policy) -> Answer:
    """The SHACL report of a posted batch, without merging it."""
    graph = ox.NamedNode(POSTED_GRAPH)
    try:
        quads = parse_body(data, media, graph, ID, policy)
        check_batch(quads, "request body")
    except RdfTooLarge as e:
        return plain(413, str(e))
    except (RdfError, BatchError) as e:
        return plain(400, str(e))
    return _report_answer(validate_batch(store, quads, policy.engine), accept, 200)


def read_graph(ctx: Any, store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph, media: str) -> Answer:
    """A graph's content for a Graph Store Protocol GET."""
    if isinstance(graph, ox.NamedNode) and not store.contains_named_graph(graph):
        return plain(404, "no such graph")
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, graph)]
    fmt = GRAPH_FORMATS[media] if GRAPH_FORMATS[media] not in formats.QUAD_FORMATS else ox.RdfFormat.TURTLE
    return Answer(200, media, ox.serialize(triples, format=fmt) or b"")
