"""Running queries with a hard time limit.

Queries run in worker processes, each with a read-only handle on the store: a query that exceeds its time limit
is ended by killing its worker (pyoxigraph cannot cancel a query in progress, and a thread would keep burning a
core), and a fresh worker takes its place. The event loop never waits on a query, so a slow query never blocks
others. Writes pause the pool: the workers are stopped, the write happens on a read-write handle, and workers
start again on the new state (a read-only handle must not be open while another handle writes).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing as mp
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


@dataclass
class QueryRequest:
    query: str
    result_media: str  # for SELECT/ASK
    graph_media: str  # for CONSTRUCT/DESCRIBE
    default_graph: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    max_bytes: int = 50_000_000
    base_iri: str | None = None


@dataclass
class QueryResponse:
    status: int
    media_type: str
    body: bytes


def execute(store: ox.Store, req: QueryRequest) -> QueryResponse:
    """Run one query on a store and serialise its result (in a worker, or in-process for an in-memory store)."""
    kwargs: dict[str, Any] = {"base_iri": req.base_iri} if req.base_iri else {}
    if req.default_graph:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in req.default_graph]
    if req.named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in req.named_graphs]
        if not req.default_graph:
            kwargs["default_graph"] = []
    try:
        result = store.query(req.query, **kwargs)
    except SyntaxError as e:
        return QueryResponse(400, "text/plain", f"SPARQL syntax error: {e}\n".encode())
    except (OSError, ValueError, RuntimeError) as e:
        return QueryResponse(400, "text/plain", f"query failed: {e}\n".encode())
    try:
        if isinstance(result, ox.QueryTriples):
            body = result.serialize(format=GRAPH_FORMATS[req.graph_media])
            media = req.graph_media
        else:
            body = result.serialize(format=RESULT_FORMATS[req.result_media])
            media = req.result_media
    except (OSError, ValueError, RuntimeError) as e:
        return QueryResponse(500, "text/plain", f"query failed while producing results: {e}\n".encode())
    if len(body) > req.max_bytes:
        return QueryResponse(413, "text/plain", f"the result is {len(body):,} bytes, over the {req.max_bytes:,}-byte "
                                                f"limit: add a LIMIT or narrow the query\n".encode())
    return QueryResponse(200, media, body)


def _worker_main(conn: Connection, path: str) -> None:
    store = ox.Store.read_only(path)
    while True:
        try:
            req = conn.recv()
        except EOFError:
            return
        if req is None:
            return
        conn.send(execute(store, req))


class _Worker:
    def __init__(self, ctx: Any, path: str) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, path), daemon=True)
        self.proc.start()
        child.close()

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.kill()
            self.proc.join(timeout=5)
        with contextlib.suppress(Exception):
            self.conn.close()


class Executor:
    """Runs queries: in worker processes over an on-disk store, or in-process over an in-memory one."""

    def __init__(self, path: Path | None, memory_store: ox.Store | None = None, workers: int = 2,
                 timeout: float = 10.0) -> None:
        self.path = str(path) if path is not None else None
        self.memory_store = memory_store
        self.size = max(1, workers)
        self.timeout = timeout
        self._ctx = mp.get_context("spawn")
        self._idle: list[_Worker] = []
        self._running = 0
        self._cond = threading.Condition()
        self._paused = False

    def _take(self) -> _Worker:
        with self._cond:
            while self._paused or (not self._idle and self._running >= self.size):
                self._cond.wait()
            if self._idle:
                worker = self._idle.pop()
            else:
                assert self.path is not None
                worker = _Worker(self._ctx, self.path)
            self._running += 1
            return worker

    def _give_back(self, worker: _Worker | None) -> None:
        with self._cond:
            self._running -= 1
            if worker is not None:
                self._idle.append(worker)
            self._cond.notify_all()

    def run(self, req: QueryRequest) -> QueryResponse:
        """Run a query; a query over the time limit is ended and answered with 503."""
        if self.path is None:
            assert self.memory_store is not None
            with self._cond:
                while self._paused:
                    self._cond.wait()
            return execute(self.memory_store, req)
        worker = self._take()
        try:
            worker.conn.send(req)
            if worker.conn.poll(self.timeout):
                response = worker.conn.recv()
                self._give_back(worker)
                return response
        except (EOFError, OSError, BrokenPipeError):
            pass
        worker.kill()
        self._give_back(None)
        return QueryResponse(503, "text/plain", f"the query was stopped after the {self.timeout:g}-second time limit; "
                                                f"narrow it or add a LIMIT\n".encode())

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """Stop all workers (waiting for running queries) for the duration of a write."""
        with self._cond:
            self._paused = True
            while self._running:
                self._cond.wait()
            for w in self._idle:
                with contextlib.suppress(Exception):
                    w.conn.send(None)
                w.kill()
            self._idle.clear()
        try:
            yield
        finally:
            with self._cond:
                self._paused = False
                self._cond.notify_all()

    def write(self, action: Callable[[ox.Store], Any]) -> Any:
        """Run `action` on a read-write handle while no query runs."""
        with self.paused():
            if self.path is None:
                assert self.memory_store is not None
                return action(self.memory_store)
            store = ox.Store(self.path)
            error: BaseException | None = None
            result = None
            try:
                result = action(store)
            except BaseException as e:  # noqa: BLE001 - re-raised below, once the handle is closed
                error = e
            store.flush()
            del store
            if error is not None:
                # The tracebacks' frames (this exception's and those it was raised from) hold the read-write
                # handle; drop them so the store closes now.
                link: BaseException | None = error
                while link is not None:
                    link.__traceback__ = None
                    link = link.__context__ or link.__cause__
                gc.collect()
                raise error
            return result

    def read(self, action: Callable[[ox.Store], Any]) -> Any:
        """Run `action` on a read-only handle in this process (for small lookups like a GSP GET)."""
        if self.path is None:
            assert self.memory_store is not None
            return action(self.memory_store)
        with self._cond:
            while self._paused:
                self._cond.wait()
            self._running += 1
        try:
            store = ox.Store.read_only(self.path)
            return action(store)
        finally:
            with self._cond:
                self._running -= 1
                self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            for w in self._idle:
                w.kill()
            self._idle.clear()
