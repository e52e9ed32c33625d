"""A remote SPARQL 1.1 store (Oxigraph server, Virtuoso, ...) behind the same interface as the embedded one.

Queries go to the query endpoint; a write batch goes to the update endpoint as ONE request, so a server that runs
an update request in one transaction (Oxigraph server does) applies it whole or not at all. The default graph is
kept the merge (a set) of the named graphs by the same request: triples only the replaced graphs stated leave it,
the batch's triples join it. Credentials come from the environment: DIPLOGRAPH_STORE_TOKEN (a bearer token) or
DIPLOGRAPH_STORE_USER and DIPLOGRAPH_STORE_PASSWORD (HTTP basic).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox

from .. import formats
from ..names import Term, sparql_prefixes
from .base import EXPORT_FORMATS, WriteBatch, canonical

RESULTS_JSON = "application/sparql-results+json"


@dataclass(frozen=True)
class Endpoints:
    query: str
    update: str
    graph_store: str


def endpoints_for(url: str, update: str | None = None, graph_store: str | None = None) -> Endpoints:
    """The update and Graph Store endpoints of a query endpoint, for servers we know (Oxigraph: /query, /update,
    /store; Virtuoso: /sparql, /sparql, /sparql-graph-crud-auth), unless given."""
    base, _, last = url.rstrip("/").rpartition("/")
    if last == "query":
        known = Endpoints(url, f"{base}/update", f"{base}/store")
    elif last == "sparql":
        known = Endpoints(url, url, f"{base}/sparql-graph-crud-auth")
    else:
        known = Endpoints(url, url, url)
    return Endpoints(url, update or known.update, graph_store or known.graph_store)


def is_remote(location: object) -> bool:
    return isinstance(location, str) and location.startswith(("http://", "https://"))


def _auth() -> tuple[dict[str, str], httpx.BasicAuth | None]:
    token = os.environ.get("DIPLOGRAPH_STORE_TOKEN")
    if token:
        return {"Authorization": f"Bearer {token}"}, None
    user = os.environ.get("DIPLOGRAPH_STORE_USER")
    if user:
        return {}, httpx.BasicAuth(user, os.environ.get("DIPLOGRAPH_STORE_PASSWORD", ""))
    return {}, None


class RemoteStoreError(RuntimeError):
    """A request the remote store refused or could not answer; the message names the endpoint and status."""


def _data(quads: Iterable[ox.Quad]) -> str:
    """INSERT DATA body: named quads in their graphs and, in the same operation (so blank nodes stay one node),
    their default-graph copies."""
    by_graph: dict[str, list[str]] = {}
    default: list[str] = []
    for q in quads:
        triple = f"{q.subject} {q.predicate} {q.object} ."
        default.append(triple)
        if not isinstance(q.graph_name, ox.DefaultGraph):
            by_graph.setdefault(str(q.graph_name), []).append(triple)
    parts = [f"GRAPH {g} {{\n" + "\n".join(ts) + "\n}" for g, ts in by_graph.items()]
    return "\n".join(parts + sorted(set(default)))


def update_text(batch: WriteBatch) -> str:
    """The batch as one SPARQL Update request that also keeps the default graph the merge of the named graphs."""
    ops: list[str] = []
    dropped = sorted(set(batch.drop_graphs))
    subjects: dict[str, list[str]] = {}
    for g, s in batch.drop_subjects:
        subjects.setdefault(g, []).append(s)
    gone = [f"(?h = <{g}>)" for g in dropped]
    gone += [f"(?h = <{g}> && ?s IN ({', '.join(f'<{s}>' for s in ss)}))" for g, ss in subjects.items()]
    if gone:
        # Default-graph triples no graph states once the replaced graphs and subjects are gone.
        where = " UNION ".join([f"{{ GRAPH <{g}> {{ ?s ?p ?o }} }}" for g in dropped] + [
            f"{{ VALUES ?s {{ {' '.join(f'<{s}>' for s in ss)} }} GRAPH <{g}> {{ ?s ?p ?o }} }}"
            for g, ss in subjects.items()])
        ops.append(f"DELETE {{ ?s ?p ?o }} WHERE {{ {where} FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} "
                   f"FILTER(!({' || '.join(gone)})) }} }}")
    ops += [f"DROP SILENT GRAPH <{g}>" for g in dropped]
    ops += [f"DELETE WHERE {{ GRAPH <{g}> {{ <{s}> ?p ?o }} }}" for g, ss in subjects.items() for s in ss]
    if batch.insert:
        ops.append("INSERT DATA {\n" + _data(batch.insert) + "\n}")
    return " ;\n".join(ops)


def _value(term: Term | None) -> str:
    if not isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        raise RemoteStoreError(f"the remote store answered {term!r} where a term was expected")
    return term.value


def _quad(s: Term | None, p: Term | None, o: Term | None, g: Term | None) -> ox.Quad:
    """A quad from a result row, checked: a remote that answers something else is named, not trusted."""
    if not isinstance(s, (ox.NamedNode, ox.BlankNode, ox.Triple)) or not isinstance(p, ox.NamedNode) \
            or not isinstance(o, (ox.NamedNode, ox.BlankNode, ox.Literal, ox.Triple)):
        raise RemoteStoreError(f"the remote store answered a row that is not a triple: {s} {p} {o}")
    return ox.Quad(s, p, o, g if isinstance(g, (ox.NamedNode, ox.BlankNode)) else ox.DefaultGraph())


class RemoteStore:
    """A SPARQL 1.1 Query/Update/Graph Store endpoint used as the store."""

    def __init__(self, url: str, update: str | None = None, graph_store: str | None = None,
                 timeout: float = 300.0) -> None:
        self.endpoints = endpoints_for(url, update, graph_store)
        headers, auth = _auth()
        self._http = httpx.Client(headers=headers, auth=auth, timeout=timeout)
        self.path: Path | None = None  # nothing on this machine's disk

    def _post(self, url: str, content: bytes, headers: dict[str, str]) -> httpx.Response:
        try:
            r = self._http.post(url, content=content, headers=headers)
        except httpx.HTTPError as e:
            raise RemoteStoreError(f"{url}: {e}") from None
        if r.status_code >= 400:
            raise RemoteStoreError(f"{url}: HTTP {r.status_code}: {r.text[:500]}")
        return r

    def query(self, sparql: str, **_: object) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a query on the remote; results come back as pyoxigraph's result objects."""
        r = self._post(self.endpoints.query, content=sparql.encode("utf-8"),
                       headers={"Content-Type": "application/sparql-query",
                                "Accept": f"{RESULTS_JSON}, application/n-triples;q=0.9"})
        media = r.headers.get("content-type", "").split(";")[0].strip()
        if media == RESULTS_JSON or media == "application/json":
            return ox.parse_query_results(r.content, ox.QueryResultsFormat.JSON)
        triples = [t for t in ox.parse(r.content, ox.RdfFormat.N_TRIPLES)]
        scratch = ox.Store()
        scratch.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        return scratch.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")

    def select(self, sparql: str, **kwargs: object) -> list[dict[str, Term | None]]:
        """A SELECT as rows; the project's prefixes travel as PREFIX lines, the only way the protocol has."""
        result = self.query(sparql_prefixes() + sparql)
        assert isinstance(result, ox.QuerySolutions)
        names = [v.value for v in result.variables]
        return [{n: row[n] for n in names} for row in result]

    def update(self, sparql: str) -> None:
        self._post(self.endpoints.update, content=sparql.encode("utf-8"),
                   headers={"Content-Type": "application/sparql-update"})

    def write(self, batch: WriteBatch) -> None:
        """The whole batch in one update request."""
        text = update_text(batch)
        if text:
            self.update(text)

    def bulk_load(self, quads: Iterable[ox.Quad], chunk: int = 50_000) -> None:
        """Many quads, one INSERT DATA request per chunk (each chunk lands whole or not at all)."""
        it = iter(quads)
        while part := list(itertools.islice(it, chunk)):
            self.write(WriteBatch(insert=part))

    def quads(self, where: str = "") -> set[ox.Quad]:
        """Named-graph quads, optionally limited by a graph pattern over ?s ?p ?o ?g."""
        rows = self.select(f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {where} }}")
        return {_quad(r["s"], r["p"], r["o"], r["g"]) for r in rows}

    def _replaced(self, batch: WriteBatch) -> set[ox.Quad]:
        old: set[ox.Quad] = set()
        if batch.drop_graphs:
            old |= self.quads(f"VALUES ?g {{ {' '.join(f'<{g}>' for g in set(batch.drop_graphs))} }}")
        if batch.drop_subjects:
            pairs = " ".join(f"(<{s}> <{g}>)" for g, s in batch.drop_subjects)
            old |= self.quads(f"VALUES (?s ?g) {{ {pairs} }}")
        return old

    def changes(self, batch: WriteBatch) -> tuple[set[ox.Quad], set[ox.Quad]]:
        """What writing `batch` would add and remove (both empty: the batch changes nothing)."""
        old, new = self._replaced(batch), canonical(batch.insert)
        return new - old, old - new

    def flush(self) -> None:
        """Each request is committed by the server."""

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad]) -> None:
        g = ox.NamedNode(graph)
        self.write(WriteBatch(drop_graphs=[graph], insert=[ox.Quad(q.subject, q.predicate, q.object, g)
                                                           for q in quads]))

    def remove_graph(self, graph: str) -> None:
        self.write(WriteBatch(drop_graphs=[graph]))

    def count(self, graph: str | None = None) -> int:
        pattern = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "GRAPH ?g { ?s ?p ?o }"
        return int(_value(self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")[0]["n"]))

    def graphs(self) -> list[str]:
        return sorted(_value(r["g"]) for r in self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))

    def export(self, fmt: str = "nquads") -> bytes:
        """The named graphs, read with SPARQL (the default graph is their merge)."""
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"cannot export the store as {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")
        return ox.serialize(sorted(self.quads(), key=str), format=formats.RDF[formats.media_type(fmt)]) or b""

    @property
    def raw(self) -> ox.Store:
        raise RemoteStoreError("this needs the embedded store; a remote store is read and written with SPARQL")

    def quads_for_pattern(self, subject: Term | None = None, predicate: Term | None = None,
                          obj: Term | None = None, graph: Term | None = None) -> Iterator[ox.Quad]:
        """The named-graph quads that match a pattern (None matches anything), read with one SELECT: what the
        SHACL gate reads around a batch. The default graph is the merge of the named graphs, so a pattern over
        it reads the named graphs once each."""
        if isinstance(graph, ox.DefaultGraph):
            where = " ".join(f"{t}" if t is not None else f"?{v}" for t, v in
                             ((subject, "s"), (predicate, "p"), (obj, "o")))
            rows = self.select(f"SELECT * WHERE {{ {where} }}")
            return iter([_quad(r.get("s") or subject, r.get("p") or predicate, r.get("o") or obj, None)
                         for r in rows])
        values = " ".join(f"VALUES ?{v} {{ {t} }}" for t, v in ((subject, "s"), (predicate, "p"), (obj, "o"),
                                                               (graph, "g")) if t is not None)
        return iter(self.quads(values))

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()
