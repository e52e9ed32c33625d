"""What every store is: its write batch and the interface the rest of diplograph uses.

A batch's new quads go in in one transaction, and what it replaces is pruned in a second: a failed or
interrupted batch never leaves part of itself behind, and never loses what was stored before it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from ..names import Term

DEFAULT_PATH = Path(".diplograph")

EXPORT_FORMATS = ("nquads", "trig")  # the formats that keep graph names


@dataclass
class WriteBatch:
    """What one transaction does: drop whole graphs, drop a subject's triples in a graph, insert quads."""

    drop_graphs: list[str] = field(default_factory=list)
    drop_subjects: list[tuple[str, str]] = field(default_factory=list)  # (graph, subject)
    insert: list[ox.Quad] = field(default_factory=list)


def canonical(quads: Iterable[ox.Quad]) -> set[ox.Quad]:
    """The quads as the store will hold them (it normalises some literals), so old and new compare right."""
    scratch = ox.Store()
    scratch.extend(quads)
    return set(scratch)


class Store(Protocol):
    """What the rest of diplograph needs from a store, embedded or remote."""

    path: Path | None

    def write(self, batch: WriteBatch) -> None: ...
    def bulk_load(self, quads: Iterable[ox.Quad]) -> None: ...
    def changes(self, batch: WriteBatch) -> tuple[set[ox.Quad], set[ox.Quad]]: ...
    def replace_graph(self, graph: str, quads: Iterable[ox.Quad]) -> None: ...
    def remove_graph(self, graph: str) -> None: ...
    def query(self, sparql: str, **kwargs: object) -> object: ...
    def select(self, sparql: str, **kwargs: object) -> list[dict[str, Any]]: ...
    def quads_for_pattern(self, subject: Term | None = None, predicate: Term | None = None,
                          obj: Term | None = None, graph: Term | None = None) -> Iterator[ox.Quad]: ...
    def count(self, graph: str | None = None) -> int: ...
    def graphs(self) -> list[str]: ...
    def export(self, fmt: str = "nquads") -> bytes: ...
    def flush(self) -> None: ...
    def close(self) -> None: ...
    def __enter__(self) -> Store: ...
    def __exit__(self, *exc: object) -> None: ...
