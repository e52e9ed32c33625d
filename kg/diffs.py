"""A write as a change: the exact quads it removes and adds, computed on a staging copy, applied as such.

An update runs on an in-memory copy of the default graph and of the graphs its syntax tree says it may touch;
what changed there is the change. If the engine changed a graph the tree did not name, the update is refused
(what runs is what was checked). The change, not the staging copy, is applied to the store, so a graph the
update did not touch can never be replaced or emptied by it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from .sparql_tree import Analysis

MAX_STAGE = 2_000_000  # quads an update may need copied to stage; a broader one is refused
DEFAULT = ox.DefaultGraph()


class ChangeError(ValueError):
    """An update that cannot be staged or applied (400), with the reason."""


@dataclass
class Change:
    removed: list[ox.Quad] = field(default_factory=list)
    added: list[ox.Quad] = field(default_factory=list)
    created: list[str] = field(default_factory=list)  # named graphs that exist after and not before
    dropped: list[str] = field(default_factory=list)  # named graphs that existed before and not after

    def __bool__(self) -> bool:
        return bool(self.removed or self.added or self.created or self.dropped)

    def inverse(self) -> Change:
        return Change(list(self.added), list(self.removed), list(self.dropped), list(self.created))

    def graphs(self) -> set[str]:
        return {q.graph_name.value for q in [*self.removed, *self.added] if isinstance(q.graph_name, ox.NamedNode)}


def _graphs(store: ox.Store, analysis: Analysis) -> list[ox.NamedNode]:
    if analysis.graphs is None:
        return [g for g in store.named_graphs() if isinstance(g, ox.NamedNode)]
    return [ox.NamedNode(g) for g in sorted(analysis.graphs)]


def stage_update(store: ox.Store, analysis: Analysis, update: str, base: str | None = None) -> Change:
    """The change an update makes, computed on a staging copy of what it may touch."""
    graphs = _graphs(store, analysis)
    staged = ox.Store()
    copied = 0
    existed = set()
    for g in [DEFAULT, *graphs]:
        quads = list(store.quads_for_pattern(None, None, None, g))
        copied += len(quads)
        if copied > MAX_STAGE:
            raise ChangeError(f"this update may touch over {MAX_STAGE:,} quads; name the graphs it works on, "
                              "or use the Graph Store Protocol")
        staged.extend(quads)
        if isinstance(g, ox.NamedNode) and store.contains_named_graph(g):
            staged.add_graph(g)
            existed.add(g.value)
    before = set(staged)
    try:
        staged.update(update, base_iri=base)
    except SyntaxError as e:
        raise ChangeError(f"SPARQL syntax error: {e}") from None
    except (OSError, ValueError, RuntimeError) as e:
        raise ChangeError(f"update failed: {e}") from None
    after = set(staged)
    named_after = {g.value for g in staged.named_graphs() if isinstance(g, ox.NamedNode)}
    change = Change(sorted(before - after, key=str), sorted(after - before, key=str),
                    sorted(named_after - existed), sorted(existed - named_after))
    unchecked = (change.graphs() | set(change.created)) - {g.value for g in graphs}
    if unchecked:
        raise ChangeError(f"the update changed graphs its syntax tree does not name ({', '.join(sorted(unchecked))})")
    return change


def _delete_data(quads: list[ox.Quad]) -> str:
    lines = []
    for q in quads:
        triple = f"{q.subject} {q.predicate} {q.object} ."
        lines.append(triple if isinstance(q.graph_name, ox.DefaultGraph) else f"GRAPH {q.graph_name} {{ {triple} }}")
    return "DELETE DATA {\n" + "\n".join(lines) + "\n}"


def apply_change(store: ox.Store, change: Change) -> None:
    """Apply a change: additions first, then removals (killed in between, nothing is lost, only doubled)."""
    if change.added:
        store.extend(change.added)
    for g in change.created:
        store.add_graph(ox.NamedNode(g))
    plain = [q for q in change.removed if not _has_blank(q)]
    if plain:
        store.update(_delete_data(plain))
    for q in change.removed:
        if _has_blank(q):  # DELETE DATA cannot name blank nodes; the store can remove them one by one
            store.remove(q)
    for g in change.dropped:
        node = ox.NamedNode(g)
        if store.contains_named_graph(node) and not any(True for _ in store.quads_for_pattern(None, None, None, node)):
            store.remove_graph(node)


def _has_blank(q: ox.Quad) -> bool:
    return isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)


def graph_change(store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph, quads: Iterable[ox.Quad],
                 replace: bool) -> Change:
    """The change of a Graph Store Protocol PUT (replace=True), POST (add) or DELETE (replace with nothing)."""
    old = set(store.quads_for_pattern(None, None, None, graph))
    scratch = ox.Store()  # the store normalises some literals; compare as it will hold them
    scratch.extend(ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads)
    new = set(scratch)
    exists = isinstance(graph, ox.DefaultGraph) or store.contains_named_graph(graph)
    created = [graph.value] if isinstance(graph, ox.NamedNode) and not exists else []
    if replace:
        return Change(sorted(old - new, key=str), sorted(new - old, key=str), created)
    return Change([], sorted(new - old, key=str), created)
