"""Extraction cases as data: each case of tests/extract_cases.yaml is a news sentence (or a few) and the
events it states. A case lists the expected events field by field (only the fields it names are compared);
unless it says `exact: false`, the sentence states no other event. `absent` names event types that must not
be found, `keys`/`not_keys` catalog ids that must (not) be actors, `offices` (person, post) pairs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from kg.articles import parse_text
from kg.extract import Extraction, Extractor

CASES_FILE = Path(__file__).with_name("extract_cases.yaml")
CASES: list[dict[str, Any]] = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
FIELDS = ("type", "modality", "date", "participants", "agent", "target", "subjects")


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def as_records(x: Extraction) -> list[dict[str, Any]]:
    def label(k: str) -> str:
        return x.actors[k].label

    return [{"type": e.type, "modality": e.claim.modality, "date": e.time.value if e.time else None,
             "participants": sorted(label(k) for k in e.claim.participants),
             "agent": label(e.claim.agent) if e.claim.agent else None,
             "target": sorted(label(k) for k in e.claim.target),
             "subjects": sorted(label(k) for k in e.claim.subjects)} for e in x.events]


def fits(expected: dict[str, Any], found: dict[str, Any]) -> bool:
    for key in FIELDS:
        if key not in expected:
            continue
        want = expected[key]
        want = sorted(want) if isinstance(want, list) else want
        if key == "date" and want is not None:
            want = str(want)
        if found[key] != want:
            return False
    return True


def test_the_cases_file_is_well_formed() -> None:
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)), "case names are unique"
    for c in CASES:
        assert set(c) <= {"name", "text", "published", "events", "exact", "absent", "keys", "not_keys", "offices"}, c
        for e in c.get("events", []):
            assert set(e) <= set(FIELDS), (c["name"], e)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(extractor: Extractor, case: dict[str, Any]) -> None:
    published = str(case.get("published", "2025-06-12"))
    x = extractor.extract(parse_text(f"published: {published}\n\n{case['text']}"))
    found = as_records(x)
    for expected in case.get("events", []):
        assert any(fits(expected, f) for f in found), f"expected {expected}, found {found}"
    if case.get("exact", True):
        assert len(found) == len(case.get("events", [])), f"found {found}"
    for t in case.get("absent", []):
        assert all(f["type"] != t for f in found), f"found {found}"
    for k in case.get("keys", []):
        assert k in x.actors
    for k in case.get("not_keys", []):
        assert k not in x.actors
    posts = {(x.actors[o.person].label, o.post.label) for o in x.offices}
    for person, post in case.get("offices", []):
        assert (person, post) in posts, posts
