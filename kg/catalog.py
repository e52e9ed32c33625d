"""The actor catalog: states, people, organisations, posts and places with aliases and Wikidata ids."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeGuard, get_args

from .names import slug, thing
from .resources import resource_path

DEFAULT_CATALOG = resource_path("data", "entities.tsv")
ActorKind = Literal["state", "person", "org", "post", "place", "group"]
KINDS: tuple[ActorKind, ...] = get_args(ActorKind)
# IRI path segment per kind (DESIGN.md: person/…, state/…, post/…).
IRI_KIND = {"state": "state", "person": "person", "org": "organisation", "post": "post", "place": "place",
            "group": "group"}
QID = re.compile(r"^Q[1-9][0-9]*$")


class CatalogError(ValueError):
    """A bad catalog row; the message names the file and line."""


@dataclass
class Entity:
    id: str
    kind: ActorKind
    label: str
    qid: str = ""
    country: str = ""
    role: str = ""
    aliases: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    label_es: str = ""
    source: str = ""  # file:line of the row, for provenance of links

    @property
    def iri(self) -> str:
        return thing(IRI_KIND[self.kind], self.id)


@dataclass
class Catalog:
    entities: dict[str, Entity] = field(default_factory=dict)

    def add(self, entity: Entity) -> None:
        self.entities[entity.id] = entity

    def get(self, key: str) -> Entity | None:
        return self.entities.get(key)

    def __iter__(self):
        return iter(self.entities.values())

    def names(self) -> dict[str, list[tuple[str, bool]]]:
        """Surface form -> [(entity id, ambiguous?)] for labels and aliases (not demonyms)."""
        index: dict[str, list[tuple[str, bool]]] = {}
        for e in self:
            for name in {e.label, *e.aliases}:
                index.setdefault(name, []).append((e.id, False))
            for name in e.ambiguous:
                index.setdefault(name, []).append((e.id, True))
        return index

    def demonyms(self) -> dict[str, str]:
        """Demonym -> state id ('Colombian' -> 'colombia')."""
        return {d: e.id for e in self if e.kind == "state" for d in e.demonyms}

    def post_for(self, role: str, country: str) -> Entity:
        """The post for a role in a country, from the catalog or made up from its parts (no Wikidata id)."""
        for e in self:
            if e.kind == "post" and e.role == role and e.country == country:
                return e
        state = self.get(country)
        where = state.label if state else country.replace("-", " ").title()
        label = f"{role.replace('-', ' ').capitalize()} of {'the ' if where.startswith('United') else ''}{where}"
        return Entity(id=slug(f"{role}-of-{where}"), kind="post", label=label, country=country, role=role)


def is_kind(kind: str) -> TypeGuard[ActorKind]:
    return kind in KINDS


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(";") if v.strip()]


def load_catalog(paths: Iterable[str | Path] = (DEFAULT_CATALOG,)) -> Catalog:
    """Load one or more catalog TSV files; later files add rows or override rows with the same id."""
    catalog = Catalog()
    for path in map(Path, paths):
        lines = path.read_text(encoding="utf-8").splitlines()
        data = [(n, line) for n, line in enumerate(lines, start=1) if line.strip() and not line.startswith("#")]
        if not data:
            continue
        header = data[0][1].split("\t")
        for required in ("id", "kind", "label"):
            if required not in header:
                raise CatalogError(f"{path}:{data[0][0]}: header lacks the column {required!r}")
        for number, line in data[1:]:
            row = dict(zip(header, next(csv.reader([line], delimiter="\t")), strict=False))
            where = f"{path}:{number}"
            kind, qid = row.get("kind", ""), row.get("qid", "").strip()
            if not is_kind(kind):
                raise CatalogError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
            if qid and not QID.match(qid):
                raise CatalogError(f"{where}: qid {qid!r} is not a Wikidata item id (Q followed by digits)")
            if not row.get("id") or not row.get("label"):
                raise CatalogError(f"{where}: id and label are required")
            aliases = _split(row.get("aliases", ""))
            catalog.add(Entity(
                id=row["id"], kind=kind, label=row["label"], qid=qid, country=row.get("country", ""),
                role=row.get("role", ""), aliases=[a for a in aliases if not a.startswith("?")],
                ambiguous=[a[1:] for a in aliases if a.startswith("?")], demonyms=_split(row.get("demonyms", "")),
                label_es=row.get("label_es", ""), source=where))
    return catalog
