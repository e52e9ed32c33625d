"""The embedded store: pyoxigraph on disk (a folder) or in memory."""

from __future__ import annotations

import gc
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .. import formats
from ..names import PREFIXES, Term
from . import union
from .base import DEFAULT_PATH, EXPORT_FORMATS, WriteBatch, canonical


class OxigraphStore:
    """The embedded store: on disk (a folder) or in memory (path=None)."""

    def __init__(self, path: str | Path | None = DEFAULT_PATH, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        if self.path is None:
            self._store = ox.Store()
        elif read_only:
            self._store = ox.Store.read_only(str(self.path))
        else:
            self.path.mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(str(self.path))
        if not read_only and union.needs_rebuild(self._store):
            union.rebuild(self._store)

    @property
    def raw(self) -> ox.Store:
        """The pyoxigraph store, for the endpoint's own serialisers."""
        return self._store

    def __enter__(self) -> OxigraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the store now, with its files' lock, so a later command may open it read-only at once.
        pyoxigraph closes a store when its last reference goes; collecting here frees reference cycles too."""
        self.__dict__.pop("_store", None)
        release_unused_stores()

    def quads_for_pattern(self, subject: Term | None = None, predicate: Term | None = None,
                          obj: Term | None = None, graph: Term | None = None) -> Iterator[ox.Quad]:
        """The quads that match a pattern (None matches anything): what validation reads around a batch."""
        return self._store.quads_for_pattern(subject, predicate, obj, graph)  # type: ignore[arg-type]  # pyoxigraph's stubs take narrower term types

    def write(self, batch: WriteBatch) -> None:
        """Apply a batch: new quads go in first, in one transaction; then what the batch replaces and does not
        keep is removed, in a second. Killed in between, the store holds the old and the new version together:
        nothing stored is lost, nothing partial of the batch is missing, and writing the batch again fixes it."""
        union.replace(self._store, self._replaced(batch), canonical(batch.insert))

    def changes(self, batch: WriteBatch) -> tuple[set[ox.Quad], set[ox.Quad]]:
        """What writing `batch` would add and remove (both empty: the batch changes nothing)."""
        old = self._replaced(batch)
        new = canonical(batch.insert)
        return {q for q in new - old if q not in self._store}, old - new

    def _replaced(self, batch: WriteBatch) -> set[ox.Quad]:
        """The stored quads a batch replaces: its graphs, and its subjects' triples in their graphs."""
        old: set[ox.Quad] = set()
        for graph in {ox.NamedNode(g) for g in batch.drop_graphs}:
            old.update(self._store.quads_for_pattern(None, None, None, graph))
        for g, subject in batch.drop_subjects:
            old.update(self._store.quads_for_pattern(ox.NamedNode(subject), None, None, ox.NamedNode(g)))
        return old

    def __contains__(self, quad: ox.Quad) -> bool:
        return quad in self._store

    def replace_quads(self, old: Iterable[ox.Quad], new: Iterable[ox.Quad]) -> None:
        """Remove `old` and add `new` named-graph quads (a journaled change, or its inverse), keeping the default
        graph the merge; additions first, so a stop in between loses nothing."""
        union.replace(self._store, set(old), canonical(new))

    def bulk_load(self, quads: Iterable[ox.Quad]) -> None:
        """Load many quads fast with pyoxigraph's bulk loader, keeping the default graph their merge. No
        transaction: for dumps and benchmarks that are checked before or rebuilt after, never for one batch that
        must land whole or not at all (that is `write`)."""
        self._store.bulk_extend(union.with_union(quads))

    def flush(self) -> None:
        self._store.flush()

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad]) -> None:
        g = ox.NamedNode(graph)
        self.write(WriteBatch(drop_graphs=[graph],
                              insert=[ox.Quad(q.subject, q.predicate, q.object, g) for q in quads]))

    def remove_graph(self, graph: str) -> None:
        union.drop_graph(self._store, ox.NamedNode(graph))

    def query(self, sparql: str, **kwargs: object) -> object:
        """Run a query; the default graph is the merge (a set) of the named graphs, kept by kg.store.union."""
        return self._store.query(sparql, **kwargs)  # type: ignore[arg-type]  # options pass through to pyoxigraph, whose stubs type each one

    def select(self, sparql: str, **kwargs: object) -> list[dict[str, Any]]:  # pyoxigraph terms or None
        """A SELECT as a list of rows (variable name -> term), with the project's prefixes (given to the engine,
        not spliced into the text)."""
        result = self.query(sparql, prefixes=PREFIXES, **kwargs)
        assert isinstance(result, ox.QuerySolutions)
        names = [v.value for v in result.variables]
        return [{n: row[n] for n in names} for row in result]

    def count(self, graph: str | None = None) -> int:
        """Quads in one named graph, or in all of them (the default graph's union copies not counted)."""
        if graph is None:
            return union.storage_cost(self._store)[0]
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def export(self, fmt: str = "nquads") -> bytes:
        """The named graphs (the default graph is their merge, so it is left out: loading them rebuilds it)."""
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"cannot export the store as {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")
        out = io.BytesIO()
        ox.serialize((q for q in self._store if not isinstance(q.graph_name, ox.DefaultGraph)), out,
                     formats.RDF[formats.media_type(fmt)])
        return out.getvalue()


def release_unused_stores() -> None:
    """Close the stores nothing refers to any more (reference cycles included), releasing their files' lock."""
    gc.collect()
