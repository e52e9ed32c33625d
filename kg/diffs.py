"""A write as a change: the exact quads it removes and adds, computed on a staging copy, applied as such.

An update runs on an in-memory copy of the graphs its syntax tree says it may touch, and of the default graph
(the merge of the named graphs, kg.store.union) when it may read it; what changed there is the change. What it sends
to the default graph itself lands in the direct-writes graph, as everywhere. If the engine changed a graph the
tree did not name, the update is refused (what runs is what was checked). The change, not the staging copy, is
applied to the store, keeping the default graph the merge, so a graph the update did not touch can never be
replaced or emptied by it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from .names import XSD
from .sparql_tree import Analysis
from .store import union

MAX_STAGE = 2_000_000  # quads an update may need copied to stage; a broader one is refused
DEFAULT = ox.DefaultGraph()
DIRECT = ox.NamedNode(union.DIRECT_GRAPH)


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


@dataclass
class _Stage:
    graphs: list[ox.NamedNode]
    named: list[ox.Quad]
    default: list[ox.Quad]  # as default-graph quads
    existed: set[str]


def _stage_input(store: ox.Store, analysis: Analysis) -> _Stage:
    """What an update may touch: its graphs, and the default graph as it reads it (the merge) or, when it does
    not read it, what was sent to the default graph itself."""
    graphs = _graphs(store, analysis)
    named: list[ox.Quad] = []
    for g in graphs:
        named.extend(store.quads_for_pattern(None, None, None, g))
        _bound(len(named))
    source = DEFAULT if analysis.reads_default else DIRECT
    default = [union.triple_of(q) for q in store.quads_for_pattern(None, None, None, source)]
    _bound(len(named) + len(default))
    return _Stage(graphs, named, default, {g.value for g in graphs if store.contains_named_graph(g)})


def _bound(copied: int) -> None:
    if copied > MAX_STAGE:
        raise ChangeError(f"this update may touch over {MAX_STAGE:,} quads; name the graphs it works on, "
                          "or use the Graph Store Protocol")


@dataclass
class _Diff:
    removed: set[ox.Quad]  # named-graph quads
    added: set[ox.Quad]
    lost: set[ox.Quad]  # default-graph quads
    gained: set[ox.Quad]


def _result(store: ox.Store, stage: _Stage, diff: _Diff, named_after: set[str], any_graph: bool) -> Change:
    """The change from a staged run: named-graph differences as they are, default-graph ones as changes of the
    direct-writes graph."""
    removed, added = set(diff.removed), set(diff.added)
    in_direct = set(store.quads_for_pattern(None, None, None, DIRECT))
    gained = {ox.Quad(q.subject, q.predicate, q.object, DIRECT) for q in diff.gained}
    lost = {ox.Quad(q.subject, q.predicate, q.object, DIRECT) for q in diff.lost}
    removed |= lost & in_direct
    added |= gained - in_direct
    change = Change(sorted(removed, key=str), sorted(added, key=str), sorted(named_after - stage.existed),
                    sorted(stage.existed - named_after))
    unchecked = (change.graphs() | set(change.created)) - {g.value for g in stage.graphs} - {DIRECT.value}
    if unchecked and not any_graph:  # a tree that says 'any graph' checked them all
        raise ChangeError(f"the update changed graphs its syntax tree does not name ({', '.join(sorted(unchecked))})")
    return change


def stage_update(store: ox.Store, analysis: Analysis, update: str, base: str | None = None) -> Change:
    """The change an update makes, computed on a staging copy of what it may touch."""
    stage = _stage_input(store, analysis)
    staged = ox.Store()
    staged.extend(stage.named)
    staged.extend(stage.default)
    for g in stage.existed:
        staged.add_graph(ox.NamedNode(g))
    try:
        staged.update(update, base_iri=base)
    except SyntaxError as e:
        raise ChangeError(f"SPARQL syntax error: {e}") from None
    except (OSError, ValueError, RuntimeError) as e:
        raise ChangeError(f"update failed: {e}") from None
    after = set(staged)
    after_named = {q for q in after if not isinstance(q.graph_name, ox.DefaultGraph)}
    before_named, before_default = set(stage.named), set(stage.default)
    diff = _Diff(before_named - after_named, after_named - before_named, before_default - (after - after_named),
                 (after - after_named) - before_default)
    named_after = {g.value for g in staged.named_graphs() if isinstance(g, ox.NamedNode)}
    return _result(store, stage, diff, named_after, analysis.graphs is None)


XSD_STRING = XSD + "string"


def _to_rdflib(term: Any) -> Any:
    """A term for rdflib's engine; simple literals stay simple (rdflib tells "a" and "a"^^xsd:string apart)."""
    import rdflib

    if isinstance(term, ox.Literal) and not term.language and term.datatype.value == XSD_STRING:
        return rdflib.Literal(term.value)
    from .validate import to_rdflib

    return to_rdflib(term)


def _from_rdflib(term: Any) -> Any:
    import rdflib

    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)


def _modify_on_dataset(ctx: Any, u: Any, using: list[str], using_named: list[str]) -> None:
    """DELETE/INSERT ... WHERE with the protocol's dataset: the WHERE sees the merge of the using-graph-uri graphs
    as its default graph and only the using-named-graph-uri graphs as named graphs (SPARQL 1.1 Protocol 2.2.3);
    the templates write to the store's graphs."""
    import rdflib
    from rdflib.plugins.sparql.evaluate import evalPart
    from rdflib.plugins.sparql.sparql import QueryContext
    from rdflib.plugins.sparql.update import _fillTemplate

    view = rdflib.Dataset()
    for g in using:
        for t in ctx.dataset.get_context(rdflib.URIRef(g)):
            view.default_context.add(t)
    for g in using_named:
        named = view.graph(rdflib.URIRef(g))
        for t in ctx.dataset.get_context(rdflib.URIRef(g)):
            named.add(t)
    where = QueryContext(view, initBindings=getattr(ctx, "initBindings", None) or {})
    where.prologue = ctx.prologue
    solutions = list(evalPart(where, u.where))
    default = ctx.dataset.default_context
    for c in solutions:
        for part, sign in ((u.delete, -1), (u.insert, 1)):
            if not part:
                continue
            targets = [(default, part.triples)]
            targets += [(ctx.dataset.get_context(c.get(g)), q) for g, q in part.quads.items()]
            for graph, template in targets:
                for t in _fillTemplate(template, c):
                    (graph.add if sign > 0 else graph.remove)(t)


def _run_on_dataset(dataset: Any, analysis: Analysis, using: list[str], using_named: list[str],
                    base: str | None) -> None:
    """Run the checked tree operation by operation on rdflib's engine (graphs are never fetched)."""
    import rdflib.plugins.sparql as rdflib_sparql
    import rdflib.plugins.sparql.update as rdflib_update
    from rdflib.plugins.sparql.algebra import translateUpdate
    from rdflib.plugins.sparql.sparql import QueryContext

    rdflib_sparql.SPARQL_LOAD_GRAPHS = False
    for u in translateUpdate(analysis.tree, base).algebra:
        ctx = QueryContext(dataset, initBindings={})
        ctx.prologue = u.prologue
        if u.name == "Modify":
            _modify_on_dataset(ctx, u, using, using_named)
        else:
            getattr(rdflib_update, "eval" + u.name)(ctx, u)


def stage_with_dataset(store: ox.Store, analysis: Analysis, using: list[str], using_named: list[str],
                       base: str | None = None) -> Change:
    """The change of an update run with the protocol's using-graph-uri / using-named-graph-uri as the dataset of
    its WHERE clauses: the tree that was checked is what runs (on rdflib's engine, over a staging copy)."""
    import rdflib

    read = Analysis("UPDATE", graphs=None if analysis.graphs is None else
                    analysis.graphs | set(using) | set(using_named), reads_default=analysis.reads_default)
    stage = _stage_input(store, read)
    dataset = rdflib.Dataset()
    originals: dict[tuple[Any, ...], ox.Quad] = {}  # rdflib's form (it normalises literals) -> the stored quad
    for q in [*stage.named, *stage.default]:
        graph = dataset.default_context if isinstance(q.graph_name, ox.DefaultGraph) else \
            dataset.graph(rdflib.URIRef(q.graph_name.value))
        triple = (_to_rdflib(q.subject), _to_rdflib(q.predicate), _to_rdflib(q.object))
        graph.add(triple)
        originals[(*triple, graph.identifier)] = q
    try:
        _run_on_dataset(dataset, analysis, using, using_named, base)
    except Exception as e:  # noqa: BLE001 - rdflib raises plain Exceptions for failed updates
        raise ChangeError(f"update failed: {e}") from None
    after = {(s, p, o, getattr(c, "identifier", c)) for s, p, o, c in dataset.quads((None, None, None, None))}
    gone = [originals[k] for k in set(originals) - after]
    def graph_of(c: object) -> ox.NamedNode | ox.DefaultGraph:
        return DEFAULT if c == dataset.default_context.identifier else ox.NamedNode(str(c))

    new = [ox.Quad(*(_from_rdflib(t) for t in k[:3]), graph_of(k[3]))  # type: ignore[call-arg]  # three terms
           for k in after - set(originals)]
    diff = _Diff({q for q in gone if not isinstance(q.graph_name, ox.DefaultGraph)},
                 {q for q in new if not isinstance(q.graph_name, ox.DefaultGraph)},
                 {q for q in gone if isinstance(q.graph_name, ox.DefaultGraph)},
                 {q for q in new if isinstance(q.graph_name, ox.DefaultGraph)})
    named_after = stage.existed | {q.graph_name.value for q in diff.added if isinstance(q.graph_name, ox.NamedNode)}
    return _result(store, stage, diff, named_after, read.graphs is None)


def apply_change(store: ox.Store, change: Change) -> None:
    """Apply a change, keeping the default graph the merge of the named graphs: additions first, then removals
    (stopped in between, nothing is lost, only doubled)."""
    union.replace(store, set(change.removed), set(change.added))
    for g in change.created:
        store.add_graph(ox.NamedNode(g))
    for g in change.dropped:
        node = ox.NamedNode(g)
        if store.contains_named_graph(node) and not any(True for _ in store.quads_for_pattern(None, None, None, node)):
            store.remove_graph(node)


def graph_change(store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph, quads: Iterable[ox.Quad],
                 replace: bool, drop: bool = False) -> Change:
    """The change of a Graph Store Protocol PUT (replace=True), POST (add) or DELETE (drop=True). The default
    graph is the merge of the named graphs: what is written to it is kept in the direct-writes graph."""
    if isinstance(graph, ox.DefaultGraph):
        graph = DIRECT
    old = set(store.quads_for_pattern(None, None, None, graph))
    if drop:
        return Change(sorted(old, key=str), [], [], [graph.value])
    scratch = ox.Store()  # the store normalises some literals; compare as it will hold them
    scratch.extend(ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads)
    new = set(scratch)
    created = [] if store.contains_named_graph(graph) else [graph.value]
    if replace:
        return Change(sorted(old - new, key=str), sorted(new - old, key=str), created)
    return Change([], sorted(new - old, key=str), created)
