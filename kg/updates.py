"""Writes through the endpoint: SPARQL Update and the Graph Store Protocol, each through the SHACL gate.

An update runs first on a staging copy of the graphs it can touch; the graphs it changed are validated (what
they gained is the batch), and only then replaced in the store, all in one transaction. Nothing of a refused
or failed update reaches the store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

from . import union
from .sparql_guard import strip_strings_and_comments
from .validate import BatchError, Report, check_batch, validate_batch

DEFAULT = ox.DefaultGraph()
MAX_STAGE = 2_000_000  # quads an update may need copied to stage; a broader one is refused


class UpdateError(ValueError):
    """An update that cannot be carried out (400), with the reason."""


@dataclass
class WriteOutcome:
    ok: bool
    report: Report | None = None
    created: bool = False


def graphs_touched(update: str) -> set[str] | None:
    """The named graphs an update can read or write, or None when it may touch any graph."""
    clean = strip_strings_and_comments(update)
    if re.search(r"\bGRAPH\s+[?$]|\b(?:CLEAR|DROP)\s+(?:SILENT\s+)?(?:ALL|NAMED)\b", clean, re.I):
        return None
    iris = set(re.findall(r"\b(?:GRAPH|WITH|USING(?:\s+NAMED)?|INTO|TO|FROM)\s+<([^>]*)>", clean, re.I))
    iris |= set(re.findall(r"\b(?:ADD|MOVE|COPY)\s+(?:SILENT\s+)?(?:GRAPH\s+)?<([^>]*)>", clean, re.I))
    return iris


def _copy(source: ox.Store, target: ox.Store, graph: ox.NamedNode | ox.DefaultGraph) -> int:
    quads = list(source.quads_for_pattern(None, None, None, graph))
    target.extend(quads)
    return len(quads)


def _graph_sets(store: ox.Store, graphs: list[ox.NamedNode | ox.DefaultGraph]) -> dict[str, set[ox.Quad]]:
    return {str(g): set(store.quads_for_pattern(None, None, None, g)) for g in graphs}


def _replace_graphs(store: ox.Store, staged: ox.Store, changed: list[ox.NamedNode | ox.DefaultGraph]) -> None:
    """Replace each changed graph by its staged content, keeping the default graph the merge of the named
    graphs (kg.union); what a write sends to the default graph itself is kept in the direct-writes graph."""
    old: set[ox.Quad] = set()
    new: set[ox.Quad] = set()
    for g in changed:
        after = set(staged.quads_for_pattern(None, None, None, g))
        if isinstance(g, ox.DefaultGraph):
            before = set(store.quads_for_pattern(None, None, None, g))
            o, n = union.direct_writes(store, before, after)
        else:
            o, n = set(store.quads_for_pattern(None, None, None, g)), after
        old |= o
        new |= n
    union.replace(store, old, new)


def _gate(store: ox.Store, before: dict[str, set[ox.Quad]], staged: ox.Store,
          graphs: list[ox.NamedNode | ox.DefaultGraph], engine: str) -> tuple[list, Report | None]:
    changed, gained = [], []
    for g in graphs:
        after = set(staged.quads_for_pattern(None, None, None, g))
        if after != before.get(str(g), set()):
            changed.append(g)
            gained.extend(after - before.get(str(g), set()))
    if not any(isinstance(q.subject, ox.NamedNode) for q in gained):
        return changed, None
    report = validate_batch(store, gained, engine)
    return changed, report


def apply_update(store: ox.Store, update: str, using: list[str], using_named: list[str],
                 engine: str = "turbo", base_iri: str | None = None) -> WriteOutcome:
    """Run a SPARQL Update through the gate. `using`/`using_named` are the protocol's dataset parameters."""
    if using or using_named:
        clause = " ".join([f"USING <{g}>" for g in using] + [f"USING NAMED <{g}>" for g in using_named])
        update = re.sub(r"\bWHERE\b", clause + " WHERE", update, flags=re.I)
    touched = graphs_touched(update)
    all_graphs = [g for g in store.named_graphs() if isinstance(g, ox.NamedNode)]
    graphs: list[ox.NamedNode | ox.DefaultGraph] = [DEFAULT]
    if touched is None:
        graphs += all_graphs
    else:
        graphs += [ox.NamedNode(g) for g in sorted(touched)]
    staged = ox.Store()
    copied = sum(_copy(store, staged, g) for g in graphs)
    if copied > MAX_STAGE:
        raise UpdateError(f"this update may touch {copied:,} quads, over the {MAX_STAGE:,} an update may stage; "
                          "name the graphs it works on, or use the Graph Store Protocol")
    before = _graph_sets(staged, graphs)
    try:
        staged.update(update, base_iri=base_iri)
    except SyntaxError as e:
        raise UpdateError(f"SPARQL syntax error: {e}") from None
    except (OSError, ValueError, RuntimeError) as e:
        raise UpdateError(f"update failed: {e}") from None
    # Graphs the update created are among the staged store's graphs now.
    for g in staged.named_graphs():
        if isinstance(g, ox.NamedNode) and g not in graphs:
            graphs.append(g)
    changed, report = _gate(store, before, staged, graphs, engine)
    if report is not None and not report.conforms:
        return WriteOutcome(False, report)
    _replace_graphs(store, staged, changed)
    for g in changed:  # an update that empties a graph drops it, as CLEAR/DROP do
        if not isinstance(g, ox.NamedNode):
            continue
        emptied = not any(True for _ in staged.quads_for_pattern(None, None, None, g))
        if emptied and store.contains_named_graph(g):
            union.drop_graph(store, g)
        elif not emptied and not store.contains_named_graph(g):
            store.add_graph(g)
    return WriteOutcome(True, report)


def parse_body(data: bytes, media: str, graph: ox.NamedNode | ox.DefaultGraph, base: str) -> list[ox.Quad]:
    formats = {"text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
               "application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
               "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/ld+json": ox.RdfFormat.JSON_LD,
               "application/trig": ox.RdfFormat.TRIG, "application/n-quads": ox.RdfFormat.N_QUADS}
    fmt = formats.get(media)
    if fmt is None:
        raise UpdateError(f"unsupported RDF media type {media!r}")
    try:
        parsed = list(ox.parse(data, fmt, base_iri=base))
    except SyntaxError as e:
        raise UpdateError(f"{media} body: line {e.lineno}, column {e.offset}: {e}") from None
    return [ox.Quad(q.subject, q.predicate, q.object, graph) for q in parsed]


def graph_write(store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph, quads: list[ox.Quad], replace: bool,
                engine: str = "turbo") -> WriteOutcome:
    """PUT (replace) or POST (add) a graph's content through the gate, in one transaction."""
    exists = isinstance(graph, ox.DefaultGraph) or store.contains_named_graph(graph)
    if quads:
        try:
            check_batch(quads, "request body", allow_anonymous=True)
        except BatchError as e:
            raise UpdateError(str(e)) from None
        report = validate_batch(store, quads, engine)
        if not report.conforms:
            return WriteOutcome(False, report)
    else:
        report = None
    staged = ox.Store()
    if not replace:
        _copy(store, staged, graph)
    staged.extend(quads)
    if isinstance(graph, ox.NamedNode):
        staged.add_graph(graph)
    _replace_graphs(store, staged, [graph])
    if isinstance(graph, ox.NamedNode) and not store.contains_named_graph(graph):
        store.add_graph(graph)
    return WriteOutcome(True, report, created=not exists)
