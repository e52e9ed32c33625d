"""The event-type table, read once from the ontology (ontology/event-types.ttl): its one home.

Extraction, identity, RDF and export ask this module what an event type is called, which class it has,
whether its participants are interchangeable, whether two reports need matching dates to be one event,
and which CAMEO and PLOVER codes it corresponds to.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal, get_args

import pyoxigraph as ox

from .names import DIP, SKOS
from .resources import resource_path

TRUE = ("true", "1")


# How a source reports an event, strongest first (the order export and identity rank them by).
Modality = Literal["actual", "announced", "planned", "reported", "threatened", "refused"]
MODALITIES: tuple[Modality, ...] = get_args(Modality)


def as_modality(value: str | None) -> Modality | None:
    """A modality read from the graph or a file; None for anything else (the shapes allow no other)."""
    return next((m for m in MODALITIES if m == value), None)


def strongest_modality(modalities: list[Modality]) -> Modality:
    """The strongest of some modalities (in the order of MODALITIES)."""
    return min(modalities, key=MODALITIES.index)


@dataclass(frozen=True)
class EventType:
    """One event type as the ontology states it."""

    name: str
    cls: str
    label: str
    symmetric: bool
    needs_date: bool
    cameo: tuple[str, ...]
    plover: str
    plover_mode: str


def _values(store: ox.Store, subject: ox.NamedNode, prop: str) -> list[str]:
    found = store.quads_for_pattern(subject, ox.NamedNode(prop), None)
    return sorted(q.object.value for q in found if not isinstance(q.object, ox.Triple))


def _event_type(store: ox.Store, cls: ox.NamedNode) -> EventType:
    def one(prop: str, default: str = "") -> str:
        found = _values(store, cls, prop)
        return found[0] if found else default

    labels = [q.object for q in store.quads_for_pattern(cls, ox.NamedNode(SKOS + "prefLabel"), None)]
    label = next((lit.value for lit in labels if isinstance(lit, ox.Literal) and lit.language == "en"), "")
    return EventType(
        name=one(SKOS + "notation"), cls=cls.value[len(DIP):], label=label,
        symmetric=one(DIP + "participantStyle") == "symmetric",
        needs_date=one(DIP + "identityNeedsDate") in TRUE,
        cameo=tuple(_values(store, cls, DIP + "cameoCode")),
        plover=one(DIP + "ploverCode"), plover_mode=one(DIP + "ploverMode"),
    )


@cache
def event_types() -> dict[str, EventType]:
    """Every event type of the scheme, by export name."""
    store = ox.Store()
    store.load(path=str(resource_path("ontology", "event-types.ttl")), format=ox.RdfFormat.TURTLE)
    scheme = ox.NamedNode(DIP + "EventTypes")
    classes = [q.subject for q in store.quads_for_pattern(None, ox.NamedNode(SKOS + "inScheme"), scheme)]
    table = (_event_type(store, c) for c in classes if isinstance(c, ox.NamedNode))
    return {t.name: t for t in sorted(table, key=lambda t: t.name)}


def event_type(name: str) -> EventType:
    """The event type of an export name; a KeyError names the unknown type."""
    try:
        return event_types()[name]
    except KeyError:
        raise KeyError(f"unknown event type {name!r}; the ontology defines {sorted(event_types())}") from None


def symmetric_types() -> frozenset[str]:
    """Export names of the types whose participants are interchangeable."""
    return frozenset(t.name for t in event_types().values() if t.symmetric)


def dated_types() -> frozenset[str]:
    """Export names of the types whose reports are one event only when their dates agree."""
    return frozenset(t.name for t in event_types().values() if t.needs_date)
