"""The store: one object for every reader and writer, embedded (kg.store.embedded) or remote (kg.store.remote).

Everything that touches pyoxigraph's handles lives in this package: the materialised set union (union), the
server's read-write engine (engine), its snapshots (snapshots) and the worker pool that runs reads (pool).
"""

from __future__ import annotations

import re
from pathlib import Path

from .base import DEFAULT_PATH, EXPORT_FORMATS, Store, WriteBatch
from .embedded import OxigraphStore, release_unused_stores
from .remote import RemoteStore
from .served import served

__all__ = ["DEFAULT_PATH", "EXPORT_FORMATS", "OxigraphStore", "Store", "WriteBatch", "open_store",
           "release_unused_stores", "remote_url"]


def remote_url(path: str | Path | None) -> str | None:
    """The URL when `path` names a remote SPARQL endpoint (a command-line Path folds 'http://' to 'http:/')."""
    m = re.match(r"^(https?):/+(.*)$", str(path)) if path is not None else None
    return f"{m.group(1)}://{m.group(2)}" if m else None


def open_store(path: str | Path | None = DEFAULT_PATH, *, read_only: bool = False) -> Store:
    """Open the embedded store at `path` (None: in memory), or the remote SPARQL store at a URL
    (its query endpoint, e.g. http://127.0.0.1:7878/query)."""
    url = remote_url(path)
    if url is not None:
        return RemoteStore(url)
    through = served(Path(path)) if path is not None else None
    if through is not None:  # a running `kg serve` holds the files: go through it, so it sees the change at once
        return RemoteStore(through.url, graph_store=through.url.rsplit("/", 1)[0] + "/rdf-graphs", token=through.token,
                           union="server")
    return OxigraphStore(path, read_only=read_only)
