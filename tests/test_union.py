"""The default graph is the RDF merge of the named graphs: a set, kept in step with every write."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.store import OxigraphStore, WriteBatch, open_store, union

EX = "http://example.org/"


def quad(s: str, o: str, g: str) -> ox.Quad:
    return ox.Quad(ox.NamedNode(EX + s), ox.NamedNode(EX + "p"), ox.Literal(o), ox.NamedNode(EX + g))


def count(store: OxigraphStore, where: str = "?s ?p ?o") -> int:
    return int(store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")[0]["n"].value)  # type: ignore[union-attr]


def test_a_triple_two_graphs_state_is_counted_once(mem_store: OxigraphStore) -> None:
    mem_store.replace_graph(EX + "g1", [quad("a", "1", "g1")])
    mem_store.replace_graph(EX + "g2", [quad("a", "1", "g2")])
    assert count(mem_store) == 1


def test_graph_patterns_still_see_each_source(mem_store: OxigraphStore) -> None:
    mem_store.replace_graph(EX + "g1", [quad("a", "1", "g1")])
    mem_store.replace_graph(EX + "g2", [quad("a", "1", "g2")])
    assert count(mem_store, "GRAPH ?g { ?s ?p ?o }") == 2


def test_removing_one_source_keeps_what_another_still_states(mem_store: OxigraphStore) -> None:
    mem_store.replace_graph(EX + "g1", [quad("a", "1", "g1"), quad("b", "2", "g1")])
    mem_store.replace_graph(EX + "g2", [quad("a", "1", "g2")])
    mem_store.remove_graph(EX + "g1")
    rows = mem_store.select("SELECT ?s WHERE { ?s ?p ?o }")
    assert [r["s"].value for r in rows] == [EX + "a"]  # type: ignore[union-attr]


def test_replacing_a_graph_drops_only_triples_no_graph_states(mem_store: OxigraphStore) -> None:
    mem_store.replace_graph(EX + "g1", [quad("a", "1", "g1"), quad("b", "2", "g1")])
    mem_store.replace_graph(EX + "g2", [quad("b", "2", "g2")])
    mem_store.replace_graph(EX + "g1", [quad("c", "3", "g1")])
    rows = mem_store.select("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s")
    assert [r["s"].value for r in rows] == [EX + "b", EX + "c"]  # type: ignore[union-attr]


def test_a_batch_moving_a_triple_between_graphs_keeps_it(mem_store: OxigraphStore) -> None:
    mem_store.replace_graph(EX + "g1", [quad("a", "1", "g1")])
    mem_store.write(WriteBatch(drop_graphs=[EX + "g1"], insert=[quad("a", "1", "g2")]))
    assert count(mem_store) == 1 and count(mem_store, f"GRAPH <{EX}g1> {{ ?s ?p ?o }}") == 0


def test_a_store_written_before_the_union_existed_gets_it_on_open(tmp_path: Path) -> None:
    raw = ox.Store(str(tmp_path / "s"))
    raw.extend([quad("a", "1", "g1"), quad("a", "1", "g2"), quad("b", "2", "g2")])
    del raw
    store = open_store(tmp_path / "s")
    assert count(store) == 2 and store.count() == 3


def test_export_holds_the_named_graphs_only(mem_store: OxigraphStore) -> None:
    mem_store.replace_graph(EX + "g1", [quad("a", "1", "g1")])
    dumped = list(ox.parse(mem_store.export("nquads"), ox.RdfFormat.N_QUADS))
    assert dumped == [quad("a", "1", "g1")]


def test_storage_cost_counts_union_triples_apart(mem_store: OxigraphStore) -> None:
    mem_store.replace_graph(EX + "g1", [quad("a", "1", "g1"), quad("b", "2", "g1")])
    mem_store.replace_graph(EX + "g2", [quad("a", "1", "g2")])
    assert union.storage_cost(mem_store.raw) == (3, 2)
