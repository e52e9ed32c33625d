"""Extraction on the bundled corpus: quality against gold, one event per real-world event, exact evidence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kg import eval as ev
from kg import export
from kg.articles import read_article
from kg.ingest import ingest
from kg.queries import load_queries
from kg.store import OxigraphStore, open_store

from .conftest import ARTICLES, needs_shared


@pytest.fixture(scope="module")
def corpus_store() -> OxigraphStore:
    store = open_store(None)
    results = ingest(store, [ARTICLES])
    assert all(r.status == "ingested" for r in results)
    return store


@pytest.fixture(scope="module")
def exported(corpus_store: OxigraphStore) -> list[dict[str, Any]]:
    return [e.to_json() for e in export.events(corpus_store)]  # the JSON form the scorer reads


def test_quality_on_the_bundled_gold_meets_the_bar(exported: list[dict[str, Any]]) -> None:
    gold_dir = needs_shared("gold/seeds")
    bodies = {f.stem: read_article(f).body for f in sorted(ARTICLES.glob("*.txt"))}
    total = ev.total(ev.score(bodies, [ev.load_gold(p) for p in sorted(gold_dir.glob("*.yaml"))], exported))
    assert total.precision >= 0.85 and total.recall >= 0.85
    assert total.date_accuracy >= 0.9 and total.modality_accuracy >= 0.85


def test_the_white_house_meeting_is_one_event_with_at_least_four_sources(exported: list[dict[str, Any]]) -> None:
    meetings = [e for e in exported if e["type"] == "meeting" and e["date"] == "2026-02-03"
                and {p["wikidata"] for p in e["participants"]} >= {"Q22686", "Q704022"}]
    assert len(meetings) == 1
    sources = meetings[0]["sources"]
    assert len({s["article"] for s in sources}) >= 4
    by_article = {s["article"]: s["modality"] for s in sources}
    assert "planned" in by_article.values() and "actual" in by_article.values()


def test_the_january_call_is_one_event_whose_sources_disagree_on_the_date(exported: list[dict[str, Any]]) -> None:
    calls = [e for e in exported if e["type"] == "phone_call"
             and {p["wikidata"] for p in e["participants"]} == {"Q22686", "Q704022"}]
    assert len(calls) == 1
    dates = {s["date"] for s in calls[0]["sources"] if s["date"]}
    assert {"2026-01-07", "2026-01-08"} <= dates


def test_the_conflicts_query_lists_the_call_date(corpus_store: OxigraphStore) -> None:
    q = load_queries()["conflicts"]
    rows = list(corpus_store.query(q.bound({"only_type": "phone_call"})))
    assert {(r["kind"].value, frozenset({r["value1"].value, r["value2"].value})) for r in rows} == {
        ("date", frozenset({"2026-01-07", "2026-01-08"}))}


def test_every_evidence_is_the_article_body_between_its_offsets(exported: list[dict[str, Any]]) -> None:
    bodies = {}
    for f in ARTICLES.glob("*.txt"):
        a = read_article(f)
        bodies[f"https://w3id.org/diplograph/id/article/{a.id}"] = a.body
    checked = 0
    for e in exported:
        for s in e["sources"]:
            body = bodies[s["article"]]
            assert body[s["start"]:s["end"]] == s["evidence"]
            checked += 1
    assert checked > 50


def test_every_exported_event_names_a_type_and_an_actor(exported: list[dict[str, Any]]) -> None:
    for e in exported:
        assert e["type"] and (e["participants"] or e["agent"] or e["target"])


def test_verified_wikidata_ids_are_the_reference_ones(exported: list[dict[str, Any]]) -> None:
    reference = needs_shared("reference/wikidata_entities.tsv")
    verified = {}
    for line in Path(reference).read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) > 4 and cols[4] == "VERIFIED":
            verified[cols[0]] = cols[1]
    seen = {}
    for e in exported:
        for a in [*e["participants"], e["agent"], *(e["target"] if isinstance(e["target"], list) else
                                                    [e["target"]])]:
            if a and a["wikidata"]:
                seen[a["label"]] = a["wikidata"]
    assert seen, "no linked actors"
    for label, qid in seen.items():
        if label in verified:
            assert verified[label] == qid


def test_re_ingesting_gives_the_same_event_iris(corpus_store: OxigraphStore, exported: list[dict[str, Any]]) -> None:
    again = open_store(None)
    ingest(again, [ARTICLES])
    assert {e.id for e in export.events(again)} == {e["id"] for e in exported}


def test_ingesting_articles_one_by_one_merges_into_the_same_events(exported: list[dict[str, Any]]) -> None:
    store = open_store(None)
    for f in sorted(ARTICLES.glob("*.txt")):
        ingest(store, [f])
    calls = [e for e in map(export.EventRecord.to_json, export.events(store)) if e["type"] == "phone_call"
             and {p["wikidata"] for p in e["participants"]} == {"Q22686", "Q704022"}]
    assert len(calls) == 1 and len({s["article"] for s in calls[0]["sources"]}) >= 3
