"""Consistency checking of the ontology (and optional data) with owlready2 and HermiT."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import rdflib

from .resources import resource_dir

ONTOLOGY_DIR = resource_dir("ontology")


def ontology_files() -> list[Path]:
    return sorted(ONTOLOGY_DIR.glob("*.ttl"))


@dataclass
class ReasonReport:
    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    message: str = ""
    triples: int = 0

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable


def load_graph(paths: Iterable[Path]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for p in paths:
        graph.parse(p, format=rdflib.util.guess_format(str(p)) or "turtle")
    return graph


def check(extra: Iterable[str | Path] = ()) -> ReasonReport:
    """Run HermiT on the ontology plus any extra RDF files; report inconsistency and unsatisfiable classes."""
    import owlready2

    graph = load_graph([*ontology_files(), *map(Path, extra)])
    # owlready2 reads RDF/XML or N-Triples, not Turtle.
    with tempfile.TemporaryDirectory() as tmp:
        nt = Path(tmp) / "ontology.nt"
        graph.serialize(nt, format="nt", encoding="utf-8")
        world = owlready2.World()
        onto = world.get_ontology(nt.as_uri()).load(format="ntriples")
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as e:
            return ReasonReport(False, message=str(e).strip().splitlines()[-1] if str(e).strip() else
                                "the ontology is inconsistent", triples=len(graph))
        unsat = sorted(c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing)
        return ReasonReport(True, unsatisfiable=unsat, triples=len(graph))
