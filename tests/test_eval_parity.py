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
    events = export.events(store)
    jsonl = tmp_path_factory.mktemp(request.param) / "events.jsonl"
    jsonl.write_text(export.to_jsonl(events), encoding="utf-8")
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
