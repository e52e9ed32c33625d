"""`kg serve --store URL`: the endpoint (safety checks, gate, named queries, pages) in front of a remote store.

Reads run as jobs in the worker pool, as on the embedded store, each worker holding a RemoteStore instead of a
snapshot; the remote answers, so every read sees its latest commit. Workers keep the network (the remote is on it),
so only the syntax-tree checks of SERVICE and LOAD stand between a request and other hosts. A write is staged and
checked by the SHACL gate in a worker, as on the embedded store, then its exact change is sent to the remote. There
is no journal: the remote's own log is the record, and `kg revert` works on embedded stores only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import jail
from ..jobs import Staged
from .engine import Disconnected, Written
from .pool import Pool
from .remote import RemoteStore


@dataclass(frozen=True)
class RemoteSpec:
    """What a worker needs to open the remote store (picklable, sent with each job)."""

    url: str
    update: str | None = None
    graph_store: str | None = None

    def open(self) -> RemoteStore:
        return RemoteStore(self.url, self.update, self.graph_store, timeout=300.0)


class RemoteEngine:
    """The Engine's interface over a remote SPARQL store."""

    def __init__(self, spec: RemoteSpec, workers: int = 6, timeout: float = 10.0,
                 memory_bytes: int = jail.Limits().memory_bytes) -> None:
        self.spec = spec
        self.store = spec.open()
        self.pool = Pool(workers, jail.Limits(network=True, memory_bytes=memory_bytes), timeout,
                         preload=("kg.jobs",))
        self._write_lock = asyncio.Lock()

    async def read(self, job: Callable[..., Any], args: tuple[Any, ...],
                   disconnected: Disconnected | None = None) -> Any:
        """Run a job in a worker, on the remote store."""
        return await self.pool.run(job, args, self.spec, disconnected)

    async def write(self, stage: Callable[..., Staged], args: tuple[Any, ...], agent: str,
                    description: str) -> Written:
        """Check and stage a write in a worker, then send its exact change to the remote (one write at a time)."""
        async with self._write_lock:
            staged: Staged = await self.read(stage, args)
            if staged.answer is not None or not staged.change:
                return Written(staged)
            change = staged.change
            await asyncio.get_running_loop().run_in_executor(None, self.store.apply, change.removed, change.added,
                                                             change.dropped)
            return Written(staged)

    async def has_graph(self, graph: Any) -> bool:
        return await asyncio.get_running_loop().run_in_executor(None, self.store.contains_named_graph, graph)

    def status(self) -> dict[str, Any]:
        isolation = self.pool.isolation()
        return {"workers": self.pool.size, "busy": self.pool.busy(), "idle": self.pool.idle(),
                "network_cut": isolation.network_cut, "isolation": isolation.how, "store": self.spec.url}

    def close(self) -> None:
        self.pool.close()
        self.store.close()
