"""Consistency checking of the ontology (and optional data) with owlready2 and HermiT."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import rdflib

from .names import XSD
from .resources import resource_dir

ONTOLOGY_DIR = resource_dir("ontology")
# Datatypes our data uses that the OWL 2 datatype map lacks (HermiT refuses them): each value becomes the
# xsd:dateTime at the start of the period it names, a type the map has, so every literal still says when.
_TO_DATETIME = {
    XSD + "date": lambda v: f"{v[:10]}T00:00:00",
    XSD + "gYearMonth": lambda v: f"{v[:7]}-01T00:00:00",
    XSD + "gYear": lambda v: f"{v[:4]}-01-01T00:00:00",
}


class ReasonError(RuntimeError):
    """The reasoner could not run: no Java, unreadable input, or a failure inside the reasoner."""


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
    """The files as one graph; ReasonError naming the file (and line) when one cannot be read."""
    graph = rdflib.Graph()
    for p in paths:
        try:
            graph.parse(p, format=rdflib.util.guess_format(str(p)) or "turtle")
        except FileNotFoundError:
            raise ReasonError(f"{p}: no such file") from None
        except Exception as e:  # rdflib's parsers raise many unrelated types for bad input
            raise ReasonError(f"{p}: not readable as RDF: {_parser_message(str(e))}") from None
    return graph


def owl2_datatypes(graph: rdflib.Graph) -> int:
    """Rewrite literals of xsd:date, gYearMonth and gYear as xsd:dateTime in place; the number rewritten."""
    changed = [(s, p, o) for s, p, o in graph if isinstance(o, rdflib.Literal) and str(o.datatype) in _TO_DATETIME
               and re.match(r"^-?\d{4}", str(o))]
    for s, p, o in changed:
        graph.remove((s, p, o))
        graph.add((s, p, rdflib.Literal(_TO_DATETIME[str(o.datatype)](str(o)),
                                        datatype=rdflib.URIRef(XSD + "dateTime"))))
    return len(changed)


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else "unknown error"


def _parser_message(text: str) -> str:
    """rdflib's 'at line N of <>:' and its complaint, on one line, without the echo of the input."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if len(lines) >= 2 and lines[0].startswith("at line"):
        return lines[0].replace(" of <>", "").rstrip(":") + ": " + lines[1].split(" at ^ in:")[0]
    return _first_line(text)


def _java_message(text: str) -> str:
    """The one line of a Java failure that says what went wrong (its exception message), not the stack."""
    for line in text.splitlines():
        m = re.match(r"^(?:Exception in thread \S+ )?([\w.$]+(?:Exception|Error)): (.+)$", line.strip())
        if m:
            return f"{m.group(1).rsplit('.', 1)[-1]}: {m.group(2)}"
    return _first_line(text)


def check(extra: Iterable[str | Path] = ()) -> ReasonReport:
    """Run HermiT on the ontology plus any extra RDF files; report inconsistency and unsatisfiable classes.
    ReasonError when it cannot run (no Java, unreadable input, a reasoner failure)."""
    import owlready2

    java = shutil.which(owlready2.JAVA_EXE)
    if java is None:
        raise ReasonError("kg reason needs Java (a JRE, 11 or newer) to run the HermiT reasoner, and none was "
                          "found on PATH; install one (e.g. `apt install default-jre-headless`)")
    graph = load_graph([*ontology_files(), *map(Path, extra)])
    owl2_datatypes(graph)
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
        except owlready2.OwlReadyJavaError as e:
            raise ReasonError(f"the reasoner failed: {_java_message(str(e))}") from None
        except OSError as e:
            raise ReasonError(f"the reasoner could not be started: {e.strerror or e}") from None
        unsat = sorted(c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing)
        return ReasonReport(True, unsatisfiable=unsat, triples=len(graph))
