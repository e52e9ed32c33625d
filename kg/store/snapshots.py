"""Read-only snapshots of the store for the workers, so reads go on while a write commits.

The server holds the one read-write handle. After each write it takes a RocksDB checkpoint of the store (hard
links, so cheap) into a folder of its own; each job names the snapshot it reads, and workers reopen only when a
newer one exists. No worker restarts, and no reader waits for a writer. A snapshot is deleted once a newer one
exists and no job still reads it.
"""

from __future__ import annotations

import contextlib
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox


def snapshots_path(store: Path) -> Path:
    return store.with_name(store.name + ".snapshots")


class Snapshots:
    def __init__(self, store: ox.Store, folder: Path) -> None:
        self.store = store
        self.folder = folder
        shutil.rmtree(folder, ignore_errors=True)  # left by an earlier run: never read again
        folder.mkdir(parents=True)
        self._lock = threading.Lock()
        self._generation = 0
        self._readers: dict[str, int] = {}
        self.current = ""
        self.refresh()

    def refresh(self) -> str:
        """Take a snapshot of the store as it is now (call after each write); it is what new jobs read."""
        with self._lock:
            self._generation += 1
            path = self.folder / str(self._generation)
        self.store.flush()
        self.store.backup(str(path))
        with self._lock:
            self.current = str(path)
            self._readers.setdefault(self.current, 0)
        self._collect()
        return str(path)

    @contextlib.contextmanager
    def reading(self) -> Iterator[str]:
        """The current snapshot, kept on disk until the block ends."""
        with self._lock:
            path = self.current
            self._readers[path] = self._readers.get(path, 0) + 1
        try:
            yield path
        finally:
            with self._lock:
                self._readers[path] -= 1
            self._collect()

    def _collect(self) -> None:
        with self._lock:
            stale = [p for p, n in self._readers.items() if n == 0 and p != self.current]
            for p in stale:
                del self._readers[p]
        for p in stale:
            shutil.rmtree(p, ignore_errors=True)

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
