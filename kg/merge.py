"""Merging user batches (Turtle, TriG, N-Triples, N-Quads, JSON-LD) through the SHACL gate, with a PROV record."""

from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .articles import locate
from .gate import admit
from .names import GRAPH, META_GRAPH, slug, thing
from .rdf import GraphBuilder, lit
from .store import Store, WriteBatch
from .validate import DEFAULT_ENGINE, Report, batch_digest, read_batch, validate_batch


@dataclass
class MergeResult:
    graph: str
    merged: bool
    report: Report
    quads: int


def batch_graph_for(path: Path) -> str:
    return f"{GRAPH}batch/{slug(path.stem)}"


def merge_file(store: Store, path: str | Path, graph: str | None = None, agent: str | None = None,
               engine: str = DEFAULT_ENGINE, full_paths: bool = False) -> MergeResult:
    """Validate a file as a delta; on success write it as one named graph (replacing that graph) in one
    transaction, with who merged what and when in the meta graph. On any violation nothing is written."""
    path = Path(path)
    graph = graph or batch_graph_for(path)
    quads = read_batch(path, graph)
    report = validate_batch(store, quads, engine)  # a refusal is decided on the user's triples alone
    if not report.conforms:
        return MergeResult(graph, False, report, len(quads))
    who = agent or getpass.getuser()
    activity = thing("merge", batch_digest(quads))
    # Merging the same batch again is the same activity: it keeps its first start time, so nothing changes.
    started = store.select(f"SELECT (MIN(?t) AS ?first) WHERE {{ VALUES ?m {{ <{META_GRAPH}> }} "
                           f"GRAPH ?m {{ <{activity}> "
                           "prov:startedAtTime ?t } }")
    first = started[0]["first"] if started else None
    start = first if isinstance(first, ox.Literal) else lit(dt.datetime.now(dt.UTC).replace(microsecond=0))
    meta = GraphBuilder(META_GRAPH)
    meta.add(graph, "prov:wasGeneratedBy", activity)
    meta.type(activity, "prov:Activity")
    meta.add(activity, "rdfs:label", lit(f"merge of {path.name}", lang="en"))
    meta.add(activity, "prov:used", lit(locate(path, path, full_paths)))
    meta.add(activity, "prov:startedAtTime", start)
    meta.add(activity, "prov:wasAssociatedWith", thing("agent", slug(who)))
    meta.add(activity, "dip:tripleCount", lit(len(quads)))
    meta.type(thing("agent", slug(who)), "prov:Agent")
    meta.add(thing("agent", slug(who)), "rdfs:label", lit(who))
    written = admit(store, WriteBatch(drop_graphs=[graph], drop_subjects=[(META_GRAPH, graph), (META_GRAPH, activity)],
                                      insert=quads + meta.quads), engine)
    return MergeResult(graph, written.conforms, report if written.conforms else written, len(quads))


def report_turtle(report: Report) -> str:
    assert report.graph is not None
    return report.graph.serialize(format="turtle")


def report_jsonld(report: Report) -> str:
    assert report.graph is not None
    return report.graph.serialize(format="json-ld")


__all__ = ["MergeResult", "merge_file", "report_turtle", "report_jsonld", "ox"]
