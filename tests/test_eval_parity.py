"""`kg eval` gives the reference scorer's figures (../shared/tools/score_events.py) on both evaluation sets."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from typer.testing import CliRunner

from kg import eval as ev
from kg import export
from kg.cli import app
from kg.ingest import ingest, read_all
from kg.store import open_store

from .conftest import needs_shared

SETS = {"dev": ("dev/articles", "dev/gold"), "seeds": ("seeds", "gold/seeds")}
FIGURES = ("precision", "recall", "f1", "date_accuracy", "modality_accuracy")


def reference_scorer() -> ModuleType:
    path = needs_shared("tools/score_events.py")
    spec = importlib.util.spec_from_file_location("score_events", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module", params=sorted(SETS))
def scored_set(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One set ingested once: its folders and its events export on disk."""
    articles, gold = (needs_shared(sub) for sub in SETS[request.param])
    store = open_store(None)
    assert all(r.status == "ingested" for r in ingest(store, [articles]))
    events = [e.to_json() for e in export.events(store)]  # the JSON form both scorers read
    jsonl = tmp_path_factory.mktemp(request.param) / "events.jsonl"
    jsonl.write_text(export.to_jsonl(export.events(store)), encoding="utf-8")
    return {"name": request.param, "articles": articles, "gold": gold, "events": events, "jsonl": jsonl,
            "reference": needs_shared("reference/wikidata_entities.tsv")}


def test_kg_eval_gives_the_reference_scorers_figures(scored_set: dict[str, Any]) -> None:
    theirs = reference_scorer().score(scored_set["articles"], scored_set["gold"], scored_set["jsonl"],
                                      ref_tsv=scored_set["reference"])
    read, _ = read_all([scored_set["articles"]])
    golds = [ev.load_gold(p) for p in sorted(scored_set["gold"].glob("*.yaml"))]
    scores = ev.score({Path(a.path).stem: a.body for a in read}, golds, scored_set["events"],
                      ev.load_reference(scored_set["reference"]))
    ours = ev.total(scores)
    assert ours.figures() == {k: theirs[k] for k in FIGURES}
    assert (ours.tp, ours.fp, ours.neutral, ours.required) == (theirs["tp"], theirs["fp"], theirs["neutral"],
                                                               theirs["required"])
    assert [(s.article, s.tp, s.fp, s.neutral, s.required) for s in scores] == [tuple(r) for r in theirs["rows"]]


def test_the_figures_without_a_reference_table_agree_too(scored_set: dict[str, Any]) -> None:
    theirs = reference_scorer().score(scored_set["articles"], scored_set["gold"], scored_set["jsonl"])
    read, _ = read_all([scored_set["articles"]])
    golds = [ev.load_gold(p) for p in sorted(scored_set["gold"].glob("*.yaml"))]
    ours = ev.total(ev.score({Path(a.path).stem: a.body for a in read}, golds, scored_set["events"]))
    assert ours.figures() == {k: theirs[k] for k in FIGURES}


def test_the_kg_eval_command_prints_the_reference_scorers_figures(scored_set: dict[str, Any]) -> None:
    theirs = reference_scorer().score(scored_set["articles"], scored_set["gold"], scored_set["jsonl"],
                                      ref_tsv=scored_set["reference"])
    result = CliRunner().invoke(app, ["eval", str(scored_set["articles"]), "--gold", str(scored_set["gold"]),
                                      "--reference", str(scored_set["reference"]), "--json"])
    assert result.exit_code == 0, result.output
    ours = json.loads(result.stdout.strip().splitlines()[-1])
    assert {k: ours[k] for k in FIGURES} == {k: theirs[k] for k in FIGURES}


def test_kg_eval_refuses_a_missing_reference_table(tmp_path: Path) -> None:
    gold = needs_shared("gold/seeds")
    result = CliRunner().invoke(app, ["eval", str(needs_shared("seeds")), "--gold", str(gold),
                                      "--reference", str(tmp_path / "absent.tsv")])
    assert result.exit_code == 2
    assert "absent.tsv" in result.output


GOLD = {
    "entities": [
        {"label": "United States", "kind": "state", "aliases": ["US", "Washington"]},
        {"label": "Mexico", "kind": "state"},
        {"label": "State Department", "kind": "organisation"},
        {"label": "Claudia Sheinbaum", "kind": "person"},
        {"label": "Marco Rubio", "kind": "person"},
    ],
    "offices": [{"person": "Claudia Sheinbaum", "post": "President of Mexico"}],
}


def _event(kind: str, **roles: Any) -> dict[str, Any]:
    return {"type": kind, "participants": [{"label": p} for p in roles.get("participants", [])],
            "agent": {"label": roles["agent"]} if roles.get("agent") else None,
            "target": [{"label": t} for t in roles.get("target", [])]}


def test_an_organ_named_by_the_gold_is_matched_by_its_state() -> None:
    gold_event = {"type": "sanction_imposed", "agent": "State Department", "target": "Mexico"}
    system = _event("sanction_imposed", agent="Washington", target=["Mexico"])
    assert ev.matches(system, gold_event, ev.Actors(GOLD, {}), GOLD)


def test_a_state_named_by_the_gold_is_matched_by_the_official_acting_for_it() -> None:
    gold_event = {"type": "meeting", "participants": ["Mexico", "Marco Rubio"]}
    system = _event("meeting", participants=["Claudia Sheinbaum", "Rubio"])
    assert ev.matches(system, gold_event, ev.Actors(GOLD, {}), GOLD)


def test_events_of_another_type_or_other_actors_do_not_match() -> None:
    gold_event = {"type": "meeting", "participants": ["Mexico", "Marco Rubio"]}
    actors = ev.Actors(GOLD, {})
    assert not ev.matches(_event("phone_call", participants=["Mexico", "Marco Rubio"]), gold_event, actors, GOLD)
    assert not ev.matches(_event("meeting", participants=["Canada", "Mark Carney"]), gold_event, actors, GOLD)


def test_a_month_matches_a_gold_day_of_that_month_but_a_year_does_not() -> None:
    gold_event = {"date": "2025-03-14"}
    assert ev.date_ok({"date": "2025-03"}, gold_event)
    assert not ev.date_ok({"date": "2025"}, gold_event)
    assert not ev.date_ok({"date": "2025-03-13"}, gold_event)
    assert ev.date_ok({"date": None}, {"date": None}) is None
