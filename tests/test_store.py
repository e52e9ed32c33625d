"""The embedded store: named graphs, union default graph, transactional writes, export."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.store import OxigraphStore, open_store

EX = "http://example.org/"


def quad(s: str, o: str, g: str) -> ox.Quad:
    return ox.Quad(ox.NamedNode(EX + s), ox.NamedNode(EX + "p"), ox.Literal(o), ox.NamedNode(EX + g))


def test_replace_graph_swaps_the_whole_graph(mem_store: OxigraphStore) -> None:
    mem_store.replace_graph(EX + "g", [quad("a", "1", "g"), quad("b", "2", "g")])
    mem_store.replace_graph(EX + "g", [quad("c", "3", "g")])
    assert mem_store.count(EX + "g") == 1


def test_queries_see_the_union_of_graphs_as_default(mem_store: OxigraphStore) -> None:
    mem_store.replace_graph(EX + "g1", [quad("a", "1", "g1")])
    mem_store.replace_graph(EX + "g2", [quad("b", "2", "g2")])
    rows = mem_store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert rows[0]["n"].value == "2"


def test_a_failing_batch_writes_nothing(mem_store: OxigraphStore) -> None:
    mem_store.replace_graph(EX + "g", [quad("a", "1", "g")])
    update = (f"DROP SILENT GRAPH <{EX}g> ; INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}b> <{EX}p> \"2\" }} }} ; "
              "INSERT DATA { <not an iri> }")
    with pytest.raises(SyntaxError):
        mem_store.raw.update(update)
    assert mem_store.count(EX + "g") == 1


def test_remove_graph(mem_store: OxigraphStore) -> None:
    mem_store.replace_graph(EX + "g", [quad("a", "1", "g")])
    mem_store.remove_graph(EX + "g")
    assert mem_store.count() == 0 and mem_store.graphs() == []


def test_disk_store_keeps_data_across_opens(tmp_path) -> None:
    store = open_store(tmp_path / "s")
    store.replace_graph(EX + "g", [quad("a", "1", "g")])
    del store
    assert open_store(tmp_path / "s", read_only=True).count() == 1


def test_export_nquads_and_trig_round_trip(mem_store: OxigraphStore) -> None:
    mem_store.replace_graph(EX + "g", [quad("a", "1", "g")])
    for fmt, rdf_format in (("nquads", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG)):
        assert len(list(ox.parse(mem_store.export(fmt), rdf_format))) == 1
