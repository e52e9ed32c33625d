"""The default graph as a set: the RDF merge of the named graphs, materialised and kept in step with them.

pyoxigraph 0.5's union default graph yields a triple once per graph that states it (oxigraph#1919), and
Virtuoso's default graph is a bag too, so counts and joins over the union would be inflated. Instead the store's
own default graph holds every triple any named graph states, once. Every write keeps it in step, in the same
transaction as the named graphs: what a batch adds is added to both; what a batch removes leaves the default graph
only when no other named graph still states it. Queries then run on the plain default graph (no union flag);
`GRAPH ?g { ... }` still sees each source's own graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from ..names import GRAPH

DEFAULT = ox.DefaultGraph()
# Statements sent to the default graph itself (SPARQL Update without GRAPH, Graph Store `?default`) are kept in
# a graph of their own, so the default graph stays exactly the merge of the named graphs.
DIRECT_GRAPH = GRAPH + "direct"


def triple_of(q: ox.Quad) -> ox.Quad:
    """The default-graph copy of a quad."""
    return ox.Quad(q.subject, q.predicate, q.object, DEFAULT)


def with_union(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """Each named-graph quad followed by its default-graph copy (default-graph quads pass through once)."""
    for q in quads:
        yield q
        if not isinstance(q.graph_name, ox.DefaultGraph):
            yield triple_of(q)


@dataclass
class Plan:
    """One write as the store applies it: quads to insert (named and default), then quads to delete."""

    insert: list[ox.Quad]
    delete: list[ox.Quad]


def orphans(store: ox.Store, removed: set[ox.Quad]) -> list[ox.Quad]:
    """Default-graph triples of `removed` (named-graph quads) that no remaining named graph states."""
    out: dict[tuple, ox.Quad] = {}
    for q in removed:
        key = (q.subject, q.predicate, q.object)
        if key in out:
            continue
        still = any(not isinstance(o.graph_name, ox.DefaultGraph) and o not in removed
                    for o in store.quads_for_pattern(q.subject, q.predicate, q.object))
        if not still:
            out[key] = triple_of(q)
    return list(out.values())


def plan(store: ox.Store, old: set[ox.Quad], new: set[ox.Quad]) -> Plan:
    """What replacing `old` named-graph quads by `new` ones does to the store, default graph included."""
    added = new - old
    stale = old - new
    insert = list(with_union(added))
    delete = list(stale)
    if stale:
        # `added` is inserted before the delete runs, so it counts as a graph that still states a triple.
        kept = {(q.subject, q.predicate, q.object) for q in added}
        delete += [t for t in orphans(store, stale) if (t.subject, t.predicate, t.object) not in kept]
    return Plan(insert, delete)


def apply(store: ox.Store, p: Plan) -> None:
    """Insert in one transaction, then delete in a second: stopped in between, the store holds the old and the
    new version together, never part of the write without the rest. Quads with blank nodes, which DELETE DATA
    cannot name, are removed one by one."""
    if p.insert:
        store.extend(p.insert)
    plain: list[ox.Quad] = []
    for q in p.delete:
        if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode):
            store.remove(q)
        else:
            plain.append(q)
    if plain:
        store.update("DELETE DATA {\n" + "\n".join(_data(q) for q in plain) + "\n}")


def _data(q: ox.Quad) -> str:
    triple = f"{q.subject} {q.predicate} {q.object} ."
    return triple if isinstance(q.graph_name, ox.DefaultGraph) else f"GRAPH {q.graph_name} {{ {triple} }}"


def replace(store: ox.Store, old: set[ox.Quad], new: set[ox.Quad]) -> None:
    """Replace named-graph quads `old` by `new`, keeping the default graph the merge of the named graphs."""
    apply(store, plan(store, old, new))


def drop_graph(store: ox.Store, graph: ox.NamedNode) -> None:
    """Remove a named graph and the default-graph triples only it stated."""
    replace(store, set(store.quads_for_pattern(None, None, None, graph)), set())
    store.remove_graph(graph)


def direct_writes(store: ox.Store, before: set[ox.Quad], after: set[ox.Quad]) -> tuple[set[ox.Quad], set[ox.Quad]]:
    """A write addressed to the default graph, as (old, new) quads of the graph that keeps such statements:
    what it added to the default graph goes there, what it removed leaves it (and leaves the default graph
    unless another named graph states it)."""
    graph = ox.NamedNode(DIRECT_GRAPH)
    old = set(store.quads_for_pattern(None, None, None, graph))
    gained = {ox.Quad(q.subject, q.predicate, q.object, graph) for q in after - before}
    lost = {ox.Quad(q.subject, q.predicate, q.object, graph) for q in before - after}
    return old, (old | gained) - lost


def rebuild(store: ox.Store) -> int:
    """Materialise the default graph from the named graphs (for stores written before it existed)."""
    store.update("DROP SILENT DEFAULT")
    store.bulk_extend(triple_of(q) for q in store.quads_for_pattern(None, None, None)
                      if not isinstance(q.graph_name, ox.DefaultGraph))
    return sum(1 for _ in store.quads_for_pattern(None, None, None, DEFAULT))


def needs_rebuild(store: ox.Store) -> bool:
    """True for a store with named graphs but an empty default graph (written before the union existed)."""
    for _ in store.quads_for_pattern(None, None, None, DEFAULT):
        return False
    for _ in store.named_graphs():
        return True
    return False


def storage_cost(store: ox.Store) -> tuple[int, int]:
    """(named-graph quads, default-graph triples): the union's share of the store."""
    default = sum(1 for _ in store.quads_for_pattern(None, None, None, DEFAULT))
    return len(store) - default, default
