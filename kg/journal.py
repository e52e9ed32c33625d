"""The journal of accepted writes: who changed what, when, and exactly which quads went and came.

Each accepted write is a PROV activity in a folder of its own beside the store (outside it, so no SPARQL Update
can erase its own trace): `activity.ttl` says who and when, `removed.nq` and `added.nq` hold the quads. Reverting
an activity applies its inverse (what it added goes, what it removed comes back) as a new, journaled activity.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import secrets
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .names import BASE, PREFIXES

ACTIVITY = BASE + "activity/"
AGENT = BASE + "agent/"
PROV = PREFIXES["prov"]
RDFS = PREFIXES["rdfs"]
DIP_REMOVED = BASE + "ontology#removedQuads"
DIP_ADDED = BASE + "ontology#addedQuads"
DIP_REVERTS = BASE + "ontology#reverts"


class JournalError(ValueError):
    """An activity that is not in the journal, or a journal that cannot be read."""


@dataclass
class Activity:
    id: str
    agent: str
    started: str  # ISO 8601, UTC
    description: str
    removed: list[ox.Quad] = field(default_factory=list)
    added: list[ox.Quad] = field(default_factory=list)
    reverts: str | None = None

    @property
    def iri(self) -> str:
        return ACTIVITY + self.id

    def prov(self) -> list[ox.Triple]:
        """The activity as PROV triples."""
        s = ox.NamedNode(self.iri)
        xsd = PREFIXES["xsd"]
        triples = [
            ox.Triple(s, ox.NamedNode(PREFIXES["rdf"] + "type"), ox.NamedNode(PROV + "Activity")),
            ox.Triple(s, ox.NamedNode(PROV + "wasAssociatedWith"), ox.NamedNode(self.agent)),
            ox.Triple(s, ox.NamedNode(PROV + "startedAtTime"),
                      ox.Literal(self.started, datatype=ox.NamedNode(xsd + "dateTime"))),
            ox.Triple(s, ox.NamedNode(RDFS + "comment"), ox.Literal(self.description)),
            ox.Triple(s, ox.NamedNode(DIP_REMOVED), ox.Literal(str(len(self.removed)),
                                                               datatype=ox.NamedNode(xsd + "integer"))),
            ox.Triple(s, ox.NamedNode(DIP_ADDED), ox.Literal(str(len(self.added)),
                                                             datatype=ox.NamedNode(xsd + "integer"))),
        ]
        if self.reverts:
            triples.append(ox.Triple(s, ox.NamedNode(DIP_REVERTS), ox.NamedNode(ACTIVITY + self.reverts)))
        return triples


def agent_iri(kind: str, name: str) -> str:
    """The IRI of who wrote: agent_iri('token', digest) or agent_iri('cli', user)."""
    return f"{AGENT}{kind}/{name}"


def _nquads(quads: Iterable[ox.Quad]) -> bytes:
    return ox.serialize(list(quads), format=ox.RdfFormat.N_QUADS) or b""


def journal_path(store: Path) -> Path:
    """Where the journal of the store folder `store` lives."""
    return store.with_name(store.name + ".journal")


class Journal:
    """Activities in a folder (or in memory when folder is None)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._memory: dict[str, Activity] = {}

    def record(self, agent: str, description: str, removed: Iterable[ox.Quad], added: Iterable[ox.Quad],
               reverts: str | None = None) -> Activity:
        """Journal one accepted write and return its activity."""
        now = dt.datetime.now(dt.UTC)
        act = Activity(f"{now:%Y%m%dT%H%M%S%fZ}-{secrets.token_hex(3)}", agent,
                       now.isoformat().replace("+00:00", "Z"), description, list(removed), list(added), reverts)
        if self.folder is None:
            self._memory[act.id] = act
            return act
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".{act.id}.tmp"
        tmp.mkdir()
        (tmp / "activity.ttl").write_bytes(ox.serialize(act.prov(), format=ox.RdfFormat.TURTLE,
                                                        prefixes={"prov": PROV, "rdfs": RDFS}) or b"")
        (tmp / "removed.nq").write_bytes(_nquads(act.removed))
        (tmp / "added.nq").write_bytes(_nquads(act.added))
        os.replace(tmp, self.folder / act.id)  # whole or absent, never half written
        return act

    def ids(self) -> list[str]:
        if self.folder is None:
            return sorted(self._memory)
        if not self.folder.exists():
            return []
        return sorted(p.name for p in self.folder.iterdir() if p.is_dir() and not p.name.startswith("."))

    def get(self, activity_id: str, with_quads: bool = True) -> Activity:
        """An activity by its id (or IRI)."""
        activity_id = activity_id.removeprefix(ACTIVITY)
        if self.folder is None:
            if activity_id not in self._memory:
                raise JournalError(f"no activity {activity_id!r} in the journal")
            return self._memory[activity_id]
        path = self.folder / activity_id
        if "/" in activity_id or not (path / "activity.ttl").exists():
            raise JournalError(f"no activity {activity_id!r} in the journal ({self.folder})")
        return _read(path, with_quads)

    def history(self) -> list[Activity]:
        """Every activity, oldest first (without their quads, but with their counts in `prov`)."""
        return [self.get(i, with_quads=True) for i in self.ids()]

    def clear(self) -> None:
        if self.folder is not None and self.folder.exists():
            shutil.rmtree(self.folder)
        self._memory.clear()


def _read(path: Path, with_quads: bool) -> Activity:
    triples = list(ox.parse(path=str(path / "activity.ttl"), format=ox.RdfFormat.TURTLE))
    values = {t.predicate.value: t.object for t in triples}

    def quads(name: str) -> list[ox.Quad]:
        data = (path / name).read_bytes()
        return list(ox.parse(io.BytesIO(data), format=ox.RdfFormat.N_QUADS)) if with_quads and data else []

    reverts = values.get(DIP_REVERTS)
    return Activity(path.name, values[PROV + "wasAssociatedWith"].value, values[PROV + "startedAtTime"].value,
                    values[RDFS + "comment"].value, quads("removed.nq"), quads("added.nq"),
                    reverts.value.removeprefix(ACTIVITY) if reverts is not None else None)
