"""A remote SPARQL 1.1 store (Oxigraph server, Virtuoso, ...) behind the same interface as the embedded one.

Queries go to the query endpoint; a write batch goes to the update endpoint as ONE request, so a server that runs
an update request in one transaction (Oxigraph server does) applies it whole or not at all. The default graph is
kept the merge (a set) of the named graphs by the same request: triples only the replaced graphs stated leave it,
the batch's triples join it. Where the default graph cannot be written (Virtuoso, whose default graph is every graph
it holds, counted once per graph), the merge is the named graph MERGE_GRAPH, which every query reads as its default
graph (`GRAPH ?g` meets it too); there a batch takes several requests, and a request keeps the operations done
before a failing one, so a batch is not atomic (writing it again completes it).
Credentials come from the environment: DIPLOGRAPH_STORE_TOKEN (a bearer token) or DIPLOGRAPH_STORE_USER and
DIPLOGRAPH_STORE_PASSWORD (HTTP basic).
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import httpx
import pyoxigraph as ox

from .. import formats
from ..names import GENID, GRAPH, MERGE_GRAPH, Term, sparql_prefixes
from ..sparql_tree import MAX_DEPTH, analysed
from .base import EXPORT_FORMATS, WriteBatch, canonical

RESULTS_JSON = "application/sparql-results+json"


# How the default graph is kept the merge: "copy" (we write each triple's copy into it, as on Oxigraph server),
# "server" (the server does it, as diplograph's own does), "graph" (it is MERGE_GRAPH, as on Virtuoso).
Union = Literal["copy", "server", "graph"]


@dataclass(frozen=True)
class Endpoints:
    query: str
    update: str
    graph_store: str
    union: Union = "copy"
    dataset_post: bool = False  # its Graph Store endpoint takes a whole dataset (N-Quads) in one transaction


def endpoints_for(url: str, update: str | None = None, graph_store: str | None = None) -> Endpoints:
    """The update and Graph Store endpoints of a query endpoint, for servers we know (Oxigraph: /query, /update,
    /store; Virtuoso: /sparql, /sparql, /sparql-graph-crud-auth), unless given."""
    base, _, last = url.rstrip("/").rpartition("/")
    if last == "query":
        known = Endpoints(url, f"{base}/update", f"{base}/store", dataset_post=True)
    elif last == "sparql":
        known = Endpoints(url, url, f"{base}/sparql-graph-crud-auth", "graph")
    else:
        known = Endpoints(url, url, url)
    return Endpoints(url, update or known.update, graph_store or known.graph_store, known.union,
                     known.dataset_post and graph_store in (None, known.graph_store))


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


def _data(quads: Iterable[ox.Quad], union: Union) -> str:
    """INSERT DATA body: named quads in their graphs and, in the same operation (so blank nodes stay one node),
    their copies in the merge (unless the server keeps it itself)."""
    by_graph: dict[str, list[str]] = {}
    default: list[str] = []
    for q in quads:
        triple = f"{q.subject} {q.predicate} {q.object} ."
        if union != "server" or isinstance(q.graph_name, ox.DefaultGraph):
            default.append(triple)
        if not isinstance(q.graph_name, ox.DefaultGraph):
            by_graph.setdefault(str(q.graph_name), []).append(triple)
    parts = [f"GRAPH {g} {{\n" + "\n".join(ts) + "\n}" for g, ts in by_graph.items()]
    merged = "\n".join(sorted(set(default)))
    return "\n".join(parts + ([_in_merge(merged, union)] if merged else []))


def update_text(batch: WriteBatch, union: Union = "copy") -> str:
    """The batch as one SPARQL Update request that also keeps the default graph the merge of the named graphs."""
    ops = _removals(batch, union)
    if batch.insert:
        ops.append("INSERT DATA {\n" + _data(batch.insert, union) + "\n}")
    return " ;\n".join(ops)


VIRTUOSO_OPS = 500  # triples per INSERT DATA operation; Virtuoso 7 compiles ~1,500 triples at most per request
VIRTUOSO_REQUEST = 10_000  # quads per request (with their merge copies, well under its 10 MB per request)


def virtuoso_requests(batch: WriteBatch) -> list[str]:
    """The batch as Virtuoso 7 takes it: the removals in one request, then the insertions in requests of short
    INSERT DATA operations (its big-data mode breaks on other operations, so they do not share a request)."""
    removals = " ;\n".join(_removals(batch, "graph"))
    quads = skolemized(batch.insert)
    requests = [removals] if removals else []
    for start in range(0, len(quads), VIRTUOSO_REQUEST):
        part = quads[start:start + VIRTUOSO_REQUEST]
        ops = ["INSERT DATA {\n" + _data(part[i:i + VIRTUOSO_OPS], "graph") + "\n}"
               for i in range(0, len(part), VIRTUOSO_OPS)]
        requests.append("define sql:big-data-const 1\n" + " ;\n".join(ops))
    return requests


def _removals(batch: WriteBatch, union: Union) -> list[str]:
    """The operations that drop the batch's graphs and subjects, and the merge triples nothing else states."""
    ops: list[str] = []
    dropped = sorted(set(batch.drop_graphs))
    subjects: dict[str, list[str]] = {}
    for g, s in batch.drop_subjects:
        subjects.setdefault(g, []).append(s)
    gone = [f"(?h = <{g}>)" for g in dropped]
    gone += [f"(?h = <{g}> && ?s IN ({', '.join(f'<{s}>' for s in ss)}))" for g, ss in subjects.items()]
    if gone and union != "server":
        where = " UNION ".join([f"{{ GRAPH <{g}> {{ ?s ?p ?o }} }}" for g in dropped] + [
            f"{{ VALUES ?s {{ {' '.join(f'<{s}>' for s in ss)} }} GRAPH <{g}> {{ ?s ?p ?o }} }}"
            for g, ss in subjects.items()])
        if union == "graph":
            gone.append(f"(?h = <{MERGE_GRAPH}>)")
        ops.append(f"DELETE {{ {_in_merge('?s ?p ?o', union)} }} WHERE {{ {where} FILTER NOT EXISTS {{ "
                   f"GRAPH ?h {{ ?s ?p ?o }} FILTER(!({' || '.join(gone)})) }} }}")
    ops += [f"DROP SILENT GRAPH <{g}>" for g in dropped]
    ops += [f"DELETE WHERE {{ GRAPH <{g}> {{ <{s}> ?p ?o }} }}" for g, ss in subjects.items() for s in ss]
    return ops


def skolemized(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Blank nodes as fresh IRIs (RDF 1.1 section 3.5), for servers that take no blank nodes in INSERT DATA."""
    fresh: dict[ox.BlankNode, ox.NamedNode] = {}

    def iri(t: Any) -> Any:
        if isinstance(t, ox.BlankNode):
            return fresh.setdefault(t, ox.NamedNode(f"{GENID}{uuid.uuid4().hex}"))
        return t

    return [ox.Quad(iri(q.subject), q.predicate, iri(q.object), q.graph_name) for q in quads]


def _with_merge_nquads(quads: list[ox.Quad]) -> bytes:
    """The quads and their copies in the default graph (the merge) as one N-Quads document: one document, so a
    blank node and its copy stay one node."""
    copies = {ox.Quad(q.subject, q.predicate, q.object) for q in quads}
    return ox.serialize([*quads, *copies], format=ox.RdfFormat.N_QUADS) or b""


def _in_merge(triples: str, union: Union) -> str:
    return f"GRAPH <{MERGE_GRAPH}> {{\n{triples}\n}}" if union == "graph" else triples


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
                 timeout: float = 300.0, token: str | None = None, union: Union | None = None) -> None:
        self.endpoints = endpoints_for(url, update, graph_store)
        self.union: Union = union or self.endpoints.union
        headers, auth = _auth()
        if token:
            headers, auth = {"Authorization": f"Bearer {token}"}, None
        self._http = httpx.Client(headers=headers, auth=auth, timeout=timeout)
        self.path: Path | None = None  # nothing on this machine's disk

    def _post(self, url: str, form: dict[str, Any] | None = None, accept: str | None = None,
              body: bytes | None = None, media: str | None = None) -> httpx.Response:
        # Form-encoded, the one POST binding every SPARQL 1.1 server must take (Virtuoso 7 waits forever on a
        # direct application/sparql-query body); a Graph Store request sends its RDF as the body.
        headers = {"Accept": accept} if accept else {}
        try:
            if body is not None:
                r = self._http.post(url, content=body, headers={**headers, "Content-Type": media or ""})
            else:
                r = self._http.post(url, data=form, headers=headers)
        except httpx.HTTPError as e:
            raise RemoteStoreError(f"{url}: {e}") from None
        if r.status_code >= 400:
            raise RemoteStoreError(f"{url}: HTTP {r.status_code}: {r.text[:500]}")
        if "x-sparql-maxrows" in r.headers:  # Virtuoso cut the answer at its ResultSetMaxRows
            raise RemoteStoreError(f"{url}: the server cut the answer at {r.headers['x-sparql-maxrows']} rows "
                                   "(raise ResultSetMaxRows in its ini)")
        return r

    def query(self, sparql: str, **kwargs: Any) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a query on the remote; results come back as pyoxigraph's result objects. Takes pyoxigraph's
        `base_iri`, and `default_graph` and `named_graphs` (lists of NamedNode), sent as the protocol's dataset."""
        graph = analysed(sparql, kwargs.get("base_iri"), MAX_DEPTH).form in ("CONSTRUCT", "DESCRIBE")
        return self._run(sparql, graph, **kwargs)

    def _run(self, sparql: str, graph: bool, **kwargs: Any) -> ox.QuerySolutions | ox.QueryBoolean | \
            ox.QueryTriples:
        """A query whose form is known: `graph` when it answers with triples (CONSTRUCT, DESCRIBE)."""
        base_iri: str | None = kwargs.get("base_iri")
        default_graph: list[ox.NamedNode] = kwargs.get("default_graph") or []
        named_graphs: list[ox.NamedNode] = kwargs.get("named_graphs") or []
        form = {"query": [f"BASE <{base_iri}>\n{sparql}" if base_iri else sparql],
                "default-graph-uri": [g.value for g in default_graph],
                "named-graph-uri": [g.value for g in named_graphs]}
        if self.union == "graph" and not default_graph and not named_graphs:
            # Virtuoso's pragma: the merge is the default graph. Its named-graph-exclude would empty that default
            # graph too, so `GRAPH ?g` also meets the merge graph, which no article states.
            form["query"] = [f"define input:default-graph-uri <{MERGE_GRAPH}>\n{form['query'][0]}"]
        r = self._post(self.endpoints.query, form,
                       "application/n-triples" if graph else f"{RESULTS_JSON}, application/json;q=0.9")
        media = r.headers.get("content-type", "").split(";")[0].strip()
        if not graph:
            if media not in (RESULTS_JSON, "application/json"):
                raise RemoteStoreError(f"{self.endpoints.query}: answered {media or 'no media type'} to a "
                                       f"{RESULTS_JSON} request")
            return ox.parse_query_results(r.content, ox.QueryResultsFormat.JSON)
        syntax = formats.RDF.get(media, ox.RdfFormat.N_TRIPLES)
        scratch = ox.Store()
        scratch.extend(ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(r.content, syntax))
        return scratch.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")

    def select(self, sparql: str, **kwargs: object) -> list[dict[str, Term | None]]:
        """A SELECT as rows; the project's prefixes travel as PREFIX lines, the only way the protocol has. Its form
        is known, so it is not parsed here (the gate's neighbourhood reads are many)."""
        result = self._run(sparql_prefixes() + sparql, False)
        assert isinstance(result, ox.QuerySolutions)
        names = [v.value for v in result.variables]
        return [{n: row[n] for n in names} for row in result]

    def update(self, sparql: str) -> None:
        self._post(self.endpoints.update, {"update": sparql})

    def write(self, batch: WriteBatch) -> None:
        """The whole batch in one update request (on Virtuoso, in as few as it takes)."""
        requests = virtuoso_requests(batch) if self.union == "graph" else [update_text(batch, self.union)]
        for text in filter(None, requests):
            self.update(text)

    def apply(self, removed: list[ox.Quad], added: list[ox.Quad], dropped: list[str]) -> None:
        """An exact change (what the endpoint's gate staged and checked): these quads out, those in, emptied
        graphs dropped; the merge keeps a removed triple that another graph still states."""
        if any(isinstance(t, ox.BlankNode) for q in removed for t in (q.subject, q.object)):
            raise RemoteStoreError("a remote store cannot delete blank nodes by value (SPARQL's DELETE DATA takes "
                                   "none): replace the whole graph instead")
        # Virtuoso compiles about 1,500 triples per request: there each part is a request of its own.
        size = VIRTUOSO_OPS if self.union == "graph" else max(len(removed), 1)
        parts = [self._deletion(removed[i:i + size]) for i in range(0, len(removed), size)]
        drops = [f"DROP SILENT GRAPH <{g}>" for g in dropped]
        requests = [*parts, " ;\n".join(drops)] if self.union == "graph" else [" ;\n".join([*parts, *drops])]
        for text in filter(None, requests):
            self.update(text)
        if added:
            self.write(WriteBatch(insert=added))

    def _deletion(self, removed: list[ox.Quad]) -> str:
        """DELETE DATA of these quads, then the merge triples of theirs that no graph states any more."""
        ops = ["DELETE DATA {\n" + _data(removed, "server") + "\n}"]
        if self.union != "server":
            rows = " ".join(f"({q.subject} {q.predicate} {q.object})" for q in canonical(removed))
            unless = f"FILTER(?h != <{MERGE_GRAPH}>)" if self.union == "graph" else ""
            # The triple is matched in the merge before the NOT EXISTS: Virtuoso 7 finds no stored literal equal
            # to one bound by VALUES inside NOT EXISTS, and would drop a literal other graphs still state.
            merged = _in_merge("?s ?p ?o", self.union)
            ops.append(f"DELETE {{ {merged} }} WHERE {{ VALUES (?s ?p ?o) {{ {rows} }} {merged} "
                       f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} {unless} }} }}")
        return " ;\n".join(ops)

    def bulk_load(self, quads: Iterable[ox.Quad], chunk: int = 50_000) -> None:
        """Many quads, a chunk per request: where the Graph Store takes a dataset (Oxigraph server), the chunk and
        its copies in the merge as one N-Quads POST, which it loads in one transaction (3x faster than SPARQL
        Update); elsewhere as `write` sends a batch."""
        it = iter(quads)
        while part := list(itertools.islice(it, chunk)):
            if self.endpoints.dataset_post and self.union == "copy":
                self._post(self.endpoints.graph_store, body=_with_merge_nquads(part), media="application/n-quads")
            else:
                self.write(WriteBatch(insert=part))

    def _ours(self, whole: bool) -> str:
        """No merge graph among the named graphs; and on a shared server (Virtuoso keeps its own system graphs
        beside ours), a read of the `whole` store reads our graphs."""
        if self.union != "graph":
            return ""
        return f'FILTER(?g != <{MERGE_GRAPH}>{f" && STRSTARTS(STR(?g), {GRAPH!r})" if whole else ""})'

    def quads(self, where: str = "") -> set[ox.Quad]:
        """Named-graph quads, optionally limited by a graph pattern over ?s ?p ?o ?g."""
        rows = self.select(f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {where} {self._ours(not where)} }}")
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

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        """pyoxigraph's spelling of `graphs`, for the endpoint's jobs (kg.store.fronted)."""
        return iter([ox.NamedNode(g) for g in self.graphs()])

    def contains_named_graph(self, graph: ox.NamedNode) -> bool:
        result = self.query(f"ASK {{ VALUES ?g {{ {graph} }} GRAPH ?g {{ ?s ?p ?o }} }}")
        return bool(result)

    def count(self, graph: str | None = None) -> int:
        # `VALUES ?g`, not `GRAPH <iri>`: Virtuoso finds nothing in a named graph the query's dataset leaves out
        pattern = f"VALUES ?g {{ <{graph}> }} GRAPH ?g {{ ?s ?p ?o }}" if graph else \
            f"GRAPH ?g {{ ?s ?p ?o }} {self._ours(True)}"
        return int(_value(self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")[0]["n"]))

    def graphs(self) -> list[str]:
        return sorted(_value(r["g"]) for r in self.select(
            f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._ours(True)} }}"))

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
