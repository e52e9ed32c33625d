"""Event rules as data: a language's triggers, role prepositions and parse labels (kg/lang/<code>/events.yaml),
schema-checked on load: a bad entry is an error naming the file and the entry."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from . import langfile

STYLES = {"verb", "noun", "passive", "invite", "policy", "ultimatum", "consequence"}
ENTRY_KEYS = {"type", "pattern", "style", "confidence", "case"}
ROLES = {"agent", "target"}
FRAGMENT = re.compile(r"<([A-Z][A-Z0-9_]*)>")


class RulesError(ValueError):
    """A bad rules file; the message names the file and the entry."""


@dataclass(frozen=True)
class Trigger:
    type: str
    pattern: re.Pattern[str]
    style: str
    confidence: float


def event_types() -> set[str]:
    """The event types of the ontology's scheme (their skos:notation)."""
    from ..event_types import event_types as scheme

    return set(scheme())


@dataclass(frozen=True)
class Rules:
    """One language's event rules: triggers in file order, role prepositions per event type, parse labels."""

    triggers: tuple[Trigger, ...]
    preps: dict[tuple[str, str], tuple[str, ...]]  # (event type, role) -> prepositions
    subject_deps: tuple[str, ...]
    shared_subject_deps: tuple[str, ...]

    def prepositions(self, event_type: str, role: str) -> tuple[str, ...]:
        return self.preps.get((event_type, role), ())


@lru_cache(maxsize=4)
def load_rules(lang: str = "en") -> Rules:
    """The event rules of one language (kg/lang/<lang>/events.yaml), checked as they load."""
    return parse_rules(*langfile.read(lang, "events.yaml"))


def parse_rules(name: str, text: str) -> Rules:
    """Rules from the text of a rules file called `name` (errors name it)."""
    data = langfile.parse(name, text, RulesError)
    if not isinstance(data, dict) or not isinstance(data.get("triggers"), list):
        raise RulesError(f"{name}: needs a 'triggers' list")
    fragments = {str(k): str(v) for k, v in (data.get("fragments") or {}).items()}
    known = event_types()
    triggers = tuple(_trigger(name, i, entry, fragments, known) for i, entry in enumerate(data["triggers"], 1))
    parse = data.get("parse") or {}
    if not isinstance(parse, dict) or not all(isinstance(parse.get(k), list) for k in ("subject", "shared_subject")):
        raise RulesError(f"{name}: 'parse' needs the lists 'subject' and 'shared_subject'")
    return Rules(triggers, _arguments(name, data.get("arguments") or {}, known),
                 tuple(parse["subject"]), tuple(parse["shared_subject"]))


def load_triggers(lang: str = "en") -> tuple[Trigger, ...]:
    """The trigger table of one language, in file order."""
    return load_rules(lang).triggers


def _arguments(name: str, data: Any, known: set[str]) -> dict[tuple[str, str], tuple[str, ...]]:
    if not isinstance(data, dict):
        raise RulesError(f"{name}: 'arguments' must map event types to roles")
    out: dict[tuple[str, str], tuple[str, ...]] = {}
    for event_type, roles in data.items():
        if event_type not in known:
            raise RulesError(f"{name}: arguments of {event_type!r}, which is not an event type of the ontology")
        if not isinstance(roles, dict) or set(roles) - ROLES:
            raise RulesError(f"{name}: arguments of {event_type!r} may only name the roles {sorted(ROLES)}")
        for role, preps in roles.items():
            if not isinstance(preps, list) or not all(isinstance(p, str) and p.isalpha() for p in preps):
                raise RulesError(f"{name}: arguments of {event_type!r}, {role}: a list of prepositions")
            out[(event_type, role)] = tuple(preps)
    return out


def _trigger(name: str, i: int, entry: Any, fragments: dict[str, str], known: set[str]) -> Trigger:
    where = f"{name}: trigger {i}"
    if not isinstance(entry, dict):
        raise RulesError(f"{where}: must be a mapping")
    unknown = set(entry) - ENTRY_KEYS
    if unknown or not {"type", "pattern", "style"} <= set(entry):
        raise RulesError(f"{where}: needs type, pattern, style (confidence, case optional); "
                         f"unknown keys {sorted(unknown)}")
    if entry["type"] not in known:
        raise RulesError(f"{where}: type {entry['type']!r} is not an event type of the ontology")
    if entry["style"] not in STYLES:
        raise RulesError(f"{where}: style {entry['style']!r} is not one of {sorted(STYLES)}")
    confidence = float(entry.get("confidence", 0.8))
    if not 0 < confidence <= 1:
        raise RulesError(f"{where}: confidence {confidence} is not in (0, 1]")
    missing = [f for f in FRAGMENT.findall(entry["pattern"]) if f not in fragments]
    if missing:
        raise RulesError(f"{where}: undefined fragment(s) {missing}")
    source = FRAGMENT.sub(lambda m: fragments[m.group(1)], entry["pattern"])
    flags = 0 if entry.get("case") == "sensitive" else re.I
    try:
        pattern = re.compile(source, flags)
    except re.error as e:
        raise RulesError(f"{where}: bad pattern ({e})") from e
    return Trigger(entry["type"], pattern, entry["style"], confidence)
