"""The endpoint's engine: the one read-write store handle, its snapshots, the worker pool and the journal.

Reads are jobs on the current snapshot (kg.store.pool, kg.store.snapshots). A write is checked and staged by a job
on the current snapshot, then its exact change is applied on the read-write handle, journaled, and a new snapshot is
taken; writes go one at a time, reads never wait for them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from .. import jail
from ..diffs import apply_change
from ..jobs import Policy, Staged
from ..journal import Activity, Journal, journal_path
from . import union
from .pool import Pool
from .snapshots import Snapshots, snapshots_path

Disconnected = Callable[[], Awaitable[bool]]


@dataclass
class Written:
    staged: Staged
    activity: Activity | None = None


class Backend(Protocol):
    """What the endpoint reads and writes through: the embedded store's Engine, or kg.store.fronted's
    RemoteEngine."""

    async def read(self, job: Callable[..., Any], args: tuple[Any, ...],
                   disconnected: Disconnected | None = None) -> Any: ...
    async def write(self, stage: Callable[..., Staged], args: tuple[Any, ...], agent: str,
                    description: str) -> Written: ...
    async def has_graph(self, graph: ox.NamedNode) -> bool: ...
    def status(self) -> dict[str, Any]: ...
    def close(self) -> None: ...


class Engine:
    def __init__(self, path: Path, policy: Policy, workers: int = 6, timeout: float = 10.0,
                 memory_bytes: int = jail.Limits().memory_bytes) -> None:
        path.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.policy = policy
        self.store = ox.Store(str(path))
        if union.needs_rebuild(self.store):  # a store written before the default graph was the merge
            union.rebuild(self.store)
        self.snapshots = Snapshots(self.store, snapshots_path(path))
        self.journal = Journal(journal_path(path))
        self.pool = Pool(workers, jail.Limits(network=bool(policy.allow_service), memory_bytes=memory_bytes),
                         timeout, preload=("kg.jobs",))
        self._write_lock = asyncio.Lock()

    async def read(self, job: Callable[..., Any], args: tuple[Any, ...],
                   disconnected: Disconnected | None = None) -> Any:
        """Run a job on the current snapshot in a worker."""
        with self.snapshots.reading() as snapshot:
            return await self.pool.run(job, args, snapshot, disconnected)

    async def write(self, stage: Callable[..., Staged], args: tuple[Any, ...], agent: str,
                    description: str) -> Written:
        """Check and stage a write in a worker, then apply, journal and publish its change (one write at a time)."""
        async with self._write_lock:
            staged: Staged = await self.read(stage, args)
            if staged.answer is not None or not staged.change:
                return Written(staged)
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, apply_change, self.store, staged.change)
            activity = self.journal.record(agent, description, staged.change.removed, staged.change.added)
            await loop.run_in_executor(None, self.snapshots.refresh)
            return Written(staged, activity)

    async def has_graph(self, graph: ox.NamedNode) -> bool:
        """Whether the store names this graph (read off the event loop)."""
        return await asyncio.get_running_loop().run_in_executor(None, self.store.contains_named_graph, graph)

    def status(self) -> dict[str, Any]:
        isolation = self.pool.isolation()
        return {"workers": self.pool.size, "busy": self.pool.busy(), "idle": self.pool.idle(),
                "network_cut": isolation.network_cut, "isolation": isolation.how,
                "snapshot": Path(self.snapshots.current).name}

    def close(self) -> None:
        self.pool.close()
        self.snapshots.close()
        self.store.flush()
