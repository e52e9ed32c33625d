"""Every accepted write is a journaled PROV activity; `kg history` lists them and `kg revert` undoes one."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from typer.testing import CliRunner

from kg.cli import app
from kg.diffs import apply_change, stage_update
from kg.journal import Journal, agent_iri, journal_path
from kg.sparql_tree import analyse
from kg.store import release_unused_stores
from kg.store.union import with_union

G = "http://example.org/g/"


def write(store: ox.Store, journal: Journal, update: str) -> str:
    change = stage_update(store, analyse(update, update=True), update)
    apply_change(store, change)
    return journal.record(agent_iri("token", "t1"), "SPARQL Update", change.removed, change.added).id


def test_an_activity_keeps_who_when_and_the_exact_quads(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal")
    store = ox.Store()
    act_id = write(store, journal, f"INSERT DATA {{ GRAPH <{G}a> {{ <http://x> <http://p> _:b, 'é' }} }}")
    act = journal.get(act_id)
    assert act.agent == agent_iri("token", "t1") and act.started.endswith("Z")
    assert len(act.added) == 2 and not act.removed
    prov = (tmp_path / "journal" / act_id / "activity.ttl").read_text()
    assert "prov:Activity" in prov and "prov:wasAssociatedWith" in prov


def test_kg_revert_restores_a_graph_after_an_accepted_write(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = ox.Store(str(path))
    store.extend(with_union(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"),
                                    ox.Literal(str(i)), ox.NamedNode(G + "meta")) for i in range(5)))
    before = set(store)
    act_id = write(store, Journal(journal_path(path)), f"DELETE WHERE {{ GRAPH <{G}meta> {{ ?s ?p ?o }} }}")
    assert not any(True for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(G + "meta")))
    store.flush()
    del store
    release_unused_stores()  # the read-write handle must be closed before the command opens the store
    runner = CliRunner()
    listed = runner.invoke(app, ["history", "--store", str(path)])
    assert act_id in listed.output
    result = runner.invoke(app, ["revert", act_id, "--store", str(path)])
    assert result.exit_code == 0, result.output
    assert set(ox.Store(str(path))) == before
    assert len(Journal(journal_path(path)).ids()) == 2


def test_reverting_an_unknown_activity_is_a_clear_error(tmp_path: Path) -> None:
    del_store = ox.Store(str(tmp_path / "store"))  # an empty store, closed before kg revert opens it
    del del_store
    result = CliRunner().invoke(app, ["revert", "nope", "--store", str(tmp_path / "store")])
    assert result.exit_code == 1 and "no activity 'nope'" in result.output
