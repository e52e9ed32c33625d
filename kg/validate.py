"""The SHACL gate: every batch is validated before it is merged, as a delta with the part of the store it touches.

A batch (one article's graph, or a user's file) is validated together with its neighbourhood: what the store
says about the nodes the batch names (their types and labels, the articles its evidence cites, other sources'
claims about the same events), plus the ontology. Only the batch's own subjects are focus nodes, so the cost
follows the batch, not the store.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, SH

from .formats import EXTENSIONS, rdf_format_of_file, syntax_position
from .names import DIP, GRAPH, META_GRAPH, OA, ONTOLOGY_GRAPH, PREFIXES, Term
from .resources import resource_dir

SHAPES_DIR = resource_dir("shapes")
ONTOLOGY_DIR = resource_dir("ontology")
CATALOG_GRAPH = GRAPH + "catalog"
MAX_LITERAL = 1_000_000  # characters; a larger literal is refused (an article body is far smaller)
ENGINES = ("pyshacl", "turbo")
MAX_WARNING_SENTENCES = 200
DEFAULT_ENGINE = "turbo"  # measured 10-30x faster than pySHACL with the same verdicts (tests check parity)


class BatchError(ValueError):
    """A batch that cannot be validated at all (unreadable, empty, redefining the ontology ...)."""


@dataclass
class Result:
    severity: str  # Violation, Warning, Info
    focus: str
    path: str
    value: str
    message: str
    shape: str = ""
    sentence: str = ""  # the evidence sentence of the focus node, when it has one


@dataclass
class Report:
    conforms: bool
    results: list[Result] = field(default_factory=list)
    graph: rdflib.Graph | None = None  # the standard SHACL validation report

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[Result]:
        return [r for r in self.results if r.severity != "Violation"]


# --- conversion between pyoxigraph and rdflib ---------------------------------------------------------------


class QuadSource(Protocol):
    """What validation reads around a batch: the store object, or a pyoxigraph store in tests and benches."""

    def quads_for_pattern(self, subject: Any, predicate: Any, obj: Any, graph: Any = None, /) -> Iterator[ox.Quad]:
        ...

def to_rdflib(term: Term) -> rdflib.term.Node:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise TypeError(f"cannot convert {term!r}")


def graph_of(quads: Iterable[ox.Quad | ox.Triple], into: rdflib.Graph | None = None) -> rdflib.Graph:
    g = into if into is not None else rdflib.Graph()
    for q in quads:
        g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return g


@functools.lru_cache(maxsize=1)
def shapes_graph() -> rdflib.Graph:
    g = rdflib.Graph()
    for f in sorted(SHAPES_DIR.glob("*.ttl")):
        g.parse(f, format="turtle")
    return g


@functools.lru_cache(maxsize=1)
def _ontology_quads() -> tuple[ox.Triple, ...]:
    return tuple(t for f in sorted(ONTOLOGY_DIR.glob("*.ttl"))
                 for t in ox.parse(path=str(f), format=ox.RdfFormat.TURTLE))


def ontology_terms() -> set[str]:
    return {t.subject.value for t in _ontology_quads() if isinstance(t.subject, ox.NamedNode)}


# --- reading user batches -----------------------------------------------------------------------------------

def read_batch(path: str | Path, graph: str) -> list[ox.Quad]:
    """Read a user's RDF file into quads of `graph`; raises BatchError naming the file, line and column."""
    path = Path(path)
    fmt = rdf_format_of_file(path.suffix)
    if fmt is None:
        raise BatchError(f"{path}: unknown RDF format {path.suffix!r} (use one of {', '.join(sorted(EXTENSIONS))})")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise BatchError(f"{path}: cannot read: {e.strerror}") from None
    return parse_batch(data, fmt, graph, str(path))


def parse_batch(data: bytes | str, fmt: ox.RdfFormat, graph: str, name: str = "<batch>") -> list[ox.Quad]:
    try:
        parsed = list(ox.parse(data, fmt, base_iri=None))
    except SyntaxError as e:
        raise BatchError(f"{name}: {syntax_position(e)}: {e.msg if hasattr(e, 'msg') else e}") from None
    g = ox.NamedNode(graph)
    quads = [ox.Quad(q.subject, q.predicate, q.object, g) for q in parsed]
    check_batch(quads, name)
    return quads


def check_batch(quads: list[ox.Quad], name: str = "<batch>", allow_anonymous: bool = False) -> None:
    """Refuse batches that SHACL cannot sensibly judge: empty, ontology-redefining, anonymous-only, huge literals."""
    if not quads:
        raise BatchError(f"{name}: the batch is empty: there is nothing to validate or merge")
    terms = ontology_terms()
    redefined = sorted({q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)
                        and (q.subject.value in terms or q.subject.value.startswith(DIP))})
    if redefined:
        raise BatchError(f"{name}: the batch redefines ontology terms ({', '.join(redefined[:5])}); "
                         "change ontology/*.ttl instead")
    # The Graph Store Protocol manages whole graphs, anonymous content included; batches for the knowledge
    # graph (kg merge, /validate) must name what they describe.
    if not allow_anonymous and all(isinstance(q.subject, ox.BlankNode) for q in quads):
        raise BatchError(f"{name}: every subject is a blank node: nothing in the batch can be identified, "
                         "linked or validated against the graph; give the resources IRIs")
    for q in quads:
        if isinstance(q.object, ox.Literal) and len(q.object.value) > MAX_LITERAL:
            raise BatchError(f"{name}: a literal of {len(q.object.value):,} characters on <{q.subject}> "
                             f"{q.predicate} is over the {MAX_LITERAL:,}-character limit")


# --- neighbourhood and validation ---------------------------------------------------------------------------

def neighbourhood(store: QuadSource, quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """What the store says that the batch's constraints look at: for nodes the batch points to, their types and
    labels (from the catalog when it has them) and, for articles, their metadata; for the batch's subjects, the
    other sources' claims about them (other dates of the same event)."""
    quads = list(quads)
    subjects = {q.subject for q in quads if isinstance(q.subject, ox.NamedNode)}
    claims = {q.subject for q in quads if q.predicate.value == DIP + "evidence"}  # events, tenures
    out: list[ox.Quad] = []
    catalog = ox.NamedNode(CATALOG_GRAPH)
    for node in subjects:
        if node in claims:
            # What other sources say about the same event (their dates and bounds): grows with the number of
            # sources reporting it, not with the store.
            out.extend(store.quads_for_pattern(node, None, None, None))
            continue
        # Actors and posts are restated by every article that names them: their catalog entry, or a bounded
        # look at their types and label, is what the shapes need.
        described = list(store.quads_for_pattern(node, None, None, catalog))
        out.extend(described if described else _description(store, node))
    objects = {q.object for q in [*quads, *out] if isinstance(q.object, ox.NamedNode)
               and q.predicate.value != PREFIXES["rdf"] + "type"}
    meta = ox.NamedNode(META_GRAPH)
    for node in objects - subjects:
        from_meta = list(store.quads_for_pattern(node, None, None, meta))
        if from_meta:  # an article the evidence cites
            out.extend(from_meta)
            continue
        described = list(store.quads_for_pattern(node, None, None, catalog))
        out.extend(described if described else _description(store, node))
    return out


def _description(store: QuadSource, node: ox.NamedNode, scan: int = 64) -> list[ox.Quad]:
    """A node's distinct types and one label, reading at most `scan` statements of each (they repeat)."""
    out: list[ox.Quad] = []
    rdf_type, label = ox.NamedNode(PREFIXES["rdf"] + "type"), ox.NamedNode(PREFIXES["rdfs"] + "label")
    for predicate, keep in ((rdf_type, scan), (label, 1)):
        seen: set[str] = set()
        for i, q in enumerate(store.quads_for_pattern(node, predicate, None, None)):
            if i >= scan or len(seen) >= keep:
                break
            if str(q.object) not in seen:
                seen.add(str(q.object))
                out.append(q)
    return out


def _validate(data: rdflib.Graph | ox.Store, focus: list[rdflib.term.Node] | None, engine: str) -> Report:
    shacl = importlib.import_module("pyshacl_turbo" if engine == "turbo" else "pyshacl")
    if focus is not None and not focus:
        return Report(True)
    # pySHACL 0.40 skips sh:or inside property shapes when given focus_nodes (it then accepts a visa revoked
    # for a state); with it, the delta is validated whole and the results kept for the batch's own nodes.
    kwargs = {"focus_nodes": focus} if focus is not None and engine == "turbo" else {}
    conforms, report_graph, _ = shacl.validate(data, shacl_graph=shapes_graph(), inference="none",
                                               allow_warnings=True, advanced=True, **kwargs)
    results = _results(report_graph, data)
    if focus is not None and engine != "turbo":
        keep = {str(f) for f in focus}
        results = [r for r in results if r.focus in keep]
    return Report(not any(r.severity == "Violation" for r in results), results, report_graph)


def _sentence_of(data: rdflib.Graph | ox.Store, focus: str) -> str:
    """The evidence sentence of a node, to show beside a violation."""
    query = f"""SELECT ?q WHERE {{ <{focus}> <{DIP}evidence>/<{OA}hasSelector>/<{OA}exact> ?q }} LIMIT 1"""
    if not focus.startswith(("http://", "https://", "urn:")):
        return ""
    if isinstance(data, ox.Store):
        solutions = data.query(query)
        assert isinstance(solutions, ox.QuerySolutions)
        rows = list(solutions)
        return rows[0]["q"].value if rows else ""
    rows = list(data.query(query))
    return str(rows[0][0]) if rows else ""


def _results(report: rdflib.Graph, data: rdflib.Graph | ox.Store) -> list[Result]:
    out = []
    looked_up = 0
    for r in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(r, SH.focusNode)
        path = report.value(r, SH.resultPath)
        value = report.value(r, SH.value)
        severity = str(report.value(r, SH.resultSeverity) or SH.Violation).rsplit("#", 1)[-1]
        message = str(report.value(r, SH.resultMessage) or "")
        # The source sentence for every violation, and for the first warnings: a large batch has thousands of
        # warnings, and a lookup each would cost more than the validation.
        sentence = ""
        if severity == "Violation" or looked_up < MAX_WARNING_SENTENCES:
            sentence = _sentence_of(data, str(focus))
            looked_up += severity != "Violation"
        out.append(Result(severity, str(focus), _short(path), "" if value is None else str(value), message,
                          str(report.value(r, SH.sourceShape) or ""), sentence))
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    return sorted(out, key=lambda r: (order.get(r.severity, 3), r.focus, r.path, r.message))


def _short(path: rdflib.term.Node | None) -> str:
    if path is None:
        return ""
    text = str(path)
    for prefix, iri in PREFIXES.items():
        if text.startswith(iri):
            return f"{prefix}:{text[len(iri):]}"
    return text if not isinstance(path, rdflib.BNode) else "(path)"


def _data(engine: str, *parts: Iterable[ox.Quad | ox.Triple]) -> rdflib.Graph | ox.Store:
    """The data graph to validate: an in-memory pyoxigraph store for pyshacl-turbo (no conversion), rdflib
    for pySHACL."""
    if engine == "turbo":
        store = ox.Store()
        for part in parts:
            store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in part)
        return store
    graph = rdflib.Graph()
    for part in parts:
        graph_of(part, graph)
    return graph


def validate_batch(store: QuadSource, quads: list[ox.Quad], engine: str = DEFAULT_ENGINE) -> Report:
    """Validate a batch as a delta: the batch, its neighbourhood in the store, and the ontology."""
    data = _data(engine, _ontology_quads(), neighbourhood(store, quads), quads)
    focus = sorted({to_rdflib(q.subject) for q in quads if isinstance(q.subject, ox.NamedNode)}, key=str)
    return _validate(data, focus, engine)


def validate_store(store: QuadSource, engine: str = DEFAULT_ENGINE) -> Report:
    """Validate everything in the store (the union of its graphs) with the ontology: the full check."""
    ontology = ox.NamedNode(ONTOLOGY_GRAPH)
    data = _data(engine, _ontology_quads(),
                 (q for q in store.quads_for_pattern(None, None, None, None) if q.graph_name != ontology))
    return _validate(data, None, engine)


def batch_digest(quads: Iterable[ox.Quad]) -> str:
    return hashlib.sha256("".join(sorted(f"{q.subject} {q.predicate} {q.object}\n" for q in quads))
                          .encode("utf-8")).hexdigest()[:16]


def _referrers(store: QuadSource, nodes: set[ox.NamedNode], limit: int = 10_000) -> set[ox.NamedNode]:
    """Named nodes with a statement pointing at one of `nodes` (an event citing an article that loses its data)."""
    found: set[ox.NamedNode] = set()
    for node in nodes:
        for i, q in enumerate(store.quads_for_pattern(None, None, node, None)):
            if i >= limit:
                break
            if isinstance(q.subject, ox.NamedNode):
                found.add(q.subject)
    return found


def _triple(q: ox.Quad) -> tuple[Term, Term, Term]:
    return q.subject, q.predicate, q.object


def _gone(store: QuadSource, removed: list[ox.Quad], added: list[ox.Quad]) -> set[tuple[Term, Term, Term]]:
    """Statements no graph will state once the change is applied (the default graph's merge copy included)."""
    removed_set = set(removed)
    kept = {_triple(q) for q in added}
    gone = set()
    for q in removed:
        t = _triple(q)
        if t in kept or t in gone:
            continue
        if not any(o not in removed_set and not isinstance(o.graph_name, ox.DefaultGraph)
                   for o in store.quads_for_pattern(*t)):
            gone.add(t)
    return gone


def validate_change(store: QuadSource, removed: list[ox.Quad], added: list[ox.Quad],
                    engine: str = DEFAULT_ENGINE) -> Report:
    """Validate the result of a change (deletions as well as insertions): every node it touches, and every node
    pointing at one that lost statements, as it will be described once the change is applied."""
    touched = {q.subject for q in [*removed, *added] if isinstance(q.subject, ox.NamedNode)}
    losers = {q.subject for q in removed if isinstance(q.subject, ox.NamedNode)}
    focus = touched | _referrers(store, losers)
    gone = _gone(store, removed, added)
    after = [q for node in focus for q in store.quads_for_pattern(node, None, None, None) if _triple(q) not in gone]
    after.extend(added)
    around = [q for q in neighbourhood(store, after) if _triple(q) not in gone]
    data = _data(engine, _ontology_quads(), around, after)
    return _validate(data, sorted((to_rdflib(n) for n in focus), key=str), engine)
