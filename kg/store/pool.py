"""A pool of locked-down worker processes that parse, check, run and serialise requests off the event loop.

Each worker is isolated (kg.jail: no network, bounded memory) before it takes a job, and keeps a read-only
handle on the store snapshot its last job named. A job that outlives its time limit, or whose client hung up,
is ended by killing its worker (pyoxigraph cannot cancel a query), and a fresh worker takes the place. The pool
never queues: when every worker stays busy for a quarter of a second a job is refused (`Saturated`, a 503 with
Retry-After), so a few runaway requests cannot make every other caller wait behind them, while a burst of quick
requests from more clients than workers is still served.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import multiprocessing as mp
import os
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from .. import jail

POLL = 0.05  # seconds between looks at the client's connection while a job runs
ADMISSION = 0.25  # seconds a job may wait for a worker to come free; far shorter than any runaway holds one


class Saturated(RuntimeError):
    """Every worker is busy (503, Retry-After)."""


class TimeLimit(RuntimeError):
    """The job ran past its time limit and was stopped (503)."""


class Crashed(RuntimeError):
    """The worker died while running the job (500)."""


class Cancelled(RuntimeError):
    """The client went away; the job was stopped."""


@dataclass
class Context:
    """What a job gets in its worker: read-only handles on store snapshots, opened once and reused."""

    isolation: jail.Isolation
    _path: Any = None
    _store: Any = None

    def store(self, path: Any) -> Any:
        """The snapshot folder's store, read-only; or, for a remote store, its `open()` (kg.store.fronted)."""
        import pyoxigraph as ox

        if path is None:
            return None
        if path != self._path:
            self._store = None  # close the older snapshot before opening the new one
            self._store = path.open() if hasattr(path, "open") else ox.Store.read_only(path)
            self._path = path
        return self._store


def _worker_main(conn: Connection, limits: jail.Limits, preload: tuple[str, ...]) -> None:
    ctx = Context(jail.isolate(limits))
    for module in preload:  # imported before the worker says it is ready, so no job waits for imports
        importlib.import_module(module)
    conn.send(ctx.isolation)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        func, args, snapshot = job
        try:
            outcome: tuple[str, Any] = ("ok", func(ctx, ctx.store(snapshot), *args))
        except Exception as e:  # noqa: BLE001 - the job's own error goes back to the caller
            outcome = ("error", e)
        try:
            conn.send(outcome)
        except Exception as e:  # noqa: BLE001 - an unpicklable result or error is reported as text
            conn.send(("error", RuntimeError(f"{type(e).__name__}: {e}")))


class _Worker:
    def __init__(self, ctx: Any, limits: jail.Limits, preload: tuple[str, ...]) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, limits, preload), daemon=True)
        self.proc.start()
        child.close()
        self.isolation: jail.Isolation | None = None

    def ready(self) -> jail.Isolation:
        if self.isolation is None:
            self.isolation = self.conn.recv()
        return self.isolation

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.kill()
            self.proc.join(timeout=5)
        with contextlib.suppress(Exception):
            self.conn.close()


class Pool:
    """`size` workers; `run` sends a job to an idle one or refuses at once."""

    def __init__(self, size: int = 6, limits: jail.Limits | None = None, timeout: float = 10.0,
                 preload: tuple[str, ...] = (), admission: float = ADMISSION) -> None:
        self.size = max(1, size)
        self.admission = admission
        self.preload = preload
        self.limits = limits or jail.Limits()
        self.timeout = timeout
        self._ctx = mp.get_context("spawn")
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._busy = 0
        self._closed = False
        self._isolation: jail.Isolation | None = None
        starting = [_Worker(self._ctx, self.limits, preload) for _ in range(self.size)]
        for worker in starting:  # started together, waited for in turn
            worker.ready()
        self._idle.extend(starting)

    def isolation(self) -> jail.Isolation:
        """How the workers are isolated (asks an idle one the first time, waiting for it to start)."""
        if self._isolation is None:
            with self._lock:
                worker = self._idle[0] if self._idle else None
            if worker is None:
                return jail.Isolation(False, "unknown: every worker is busy")
            self._isolation = worker.ready()
        return self._isolation

    def busy(self) -> int:
        with self._lock:
            return self._busy

    def idle(self) -> int:
        with self._lock:
            return len(self._idle)

    def _take(self) -> _Worker:
        with self._lock:
            if self._closed or not self._idle:
                raise Saturated(f"all {self.size} workers are busy")
            self._busy += 1
            return self._idle.pop()

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            self._busy -= 1
            if not self._closed:
                self._idle.append(worker)
                return
        worker.kill()

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and start another in its place (in a thread: starting takes a while)."""
        worker.kill()

        def start() -> None:
            fresh = _Worker(self._ctx, self.limits, self.preload)
            try:
                fresh.ready()
            except (EOFError, OSError):
                fresh.kill()
                fresh = _Worker(self._ctx, self.limits, self.preload)
            self._give_back(fresh)

        threading.Thread(target=start, daemon=True).start()

    async def run(self, func: Callable[..., Any], args: tuple[Any, ...], snapshot: Any = None,
                  disconnected: Callable[[], Awaitable[bool]] | None = None, timeout: float | None = None) -> Any:
        """Run `func(context, store, *args)` in a worker and return its result (or raise its error)."""
        loop = asyncio.get_running_loop()
        worker = await self._admit(loop)
        try:
            if worker.isolation is None:  # a worker started since: wait for it off the event loop
                await loop.run_in_executor(None, worker.ready)
            worker.conn.send((func, args, snapshot))
        except (EOFError, OSError) as e:
            self._replace(worker)
            raise Crashed(f"the worker could not start: {e}") from None
        try:
            outcome = await self._wait(worker, disconnected, timeout or self.timeout)
        except asyncio.CancelledError:  # the server dropped the request: its job must not run on
            self._replace(worker)
            raise
        self._give_back(worker)
        status, value = outcome
        if status == "error":
            raise value
        return value

    async def _admit(self, loop: asyncio.AbstractEventLoop) -> _Worker:
        deadline = loop.time() + self.admission
        while True:
            try:
                return self._take()
            except Saturated:
                if loop.time() >= deadline or self._closed:
                    raise
            await asyncio.sleep(0.002)

    async def _wait(self, worker: _Worker, disconnected: Callable[[], Awaitable[bool]] | None,
                    timeout: float) -> tuple[str, Any]:
        loop = asyncio.get_running_loop()
        readable = loop.create_future()
        fd = worker.conn.fileno()
        loop.add_reader(fd, lambda: None if readable.done() else readable.set_result(None))
        try:
            deadline = loop.time() + timeout
            while not readable.done():
                await asyncio.wait([readable], timeout=min(POLL, max(0.0, deadline - loop.time())))
                if readable.done():
                    break
                if loop.time() >= deadline:
                    self._replace(worker)
                    raise TimeLimit(f"stopped after the {timeout:g}-second time limit")
                if disconnected is not None and await disconnected():
                    self._replace(worker)
                    raise Cancelled("the client went away")
        finally:
            loop.remove_reader(fd)
            with contextlib.suppress(OSError):  # closed when the worker was killed
                os.set_blocking(fd, True)  # uvloop leaves a watched descriptor non-blocking; recv needs it blocking
        try:
            return await loop.run_in_executor(None, worker.conn.recv)
        except (EOFError, OSError) as e:
            worker.proc.join(timeout=1)
            code = worker.proc.exitcode
            self._replace(worker)
            raise Crashed(f"the query engine crashed while running the request ({type(e).__name__} {e}, exit code "
                          f"{code})") from None

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for w in idle:
            w.kill()
