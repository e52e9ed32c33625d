"""Updates are staged and applied as exact changes: a graph the update does not name is never touched."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.diffs import ChangeError, apply_change, stage_update
from kg.sparql_tree import analyse
from kg.store.union import DIRECT_GRAPH, with_union

G = "http://example.org/g/"


def store_with_graphs() -> ox.Store:
    """Three named graphs and, as in every store, their merge as the default graph."""
    s = ox.Store()
    for name in ("catalog", "meta", "other"):
        s.extend(with_union(ox.Quad(ox.NamedNode(f"http://example.org/{name}{i}"), ox.NamedNode("http://example.org/p"),
                                    ox.Literal(str(i)), ox.NamedNode(G + name)) for i in range(3)))
    return s


def run(store: ox.Store, update: str) -> None:
    apply_change(store, stage_update(store, analyse(update, update=True), update))


def count(store: ox.Store, graph: str) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(G + graph)))


@pytest.mark.parametrize("update", [
    f"PREFIX g: <{G}> INSERT DATA {{ GRAPH g:catalog {{ <http://example.org/new> <http://example.org/p> 9 }} }}",
    f"INSERT DATA {{ GRAPH<{G}catalog> {{ <http://example.org/new> <http://example.org/p> 9 }} }}",
])
def test_insert_data_into_a_named_graph_keeps_every_graph(update: str) -> None:
    s = store_with_graphs()
    run(s, update)
    assert (count(s, "catalog"), count(s, "meta"), count(s, "other")) == (4, 3, 3)


@pytest.mark.parametrize("update", [
    f"PREFIX g: <{G}> DELETE {{ GRAPH g:catalog {{ ?s ?p '0' }} }} WHERE {{ GRAPH g:catalog {{ ?s ?p '0' }} }}",
    f"PREFIX g: <{G}> WITH g:catalog DELETE {{ ?s ?p '0' }} WHERE {{ ?s ?p '0' }}",
    f"PREFIX g: <{G}> DELETE {{ GRAPH g:catalog {{ ?s ?p '0' }} }} USING g:catalog WHERE {{ ?s ?p '0' }}",
])
def test_delete_where_acts_on_the_named_graph_only(update: str) -> None:
    s = store_with_graphs()
    run(s, update)
    assert (count(s, "catalog"), count(s, "meta"), count(s, "other")) == (2, 3, 3)


def test_the_inverse_restores_the_store() -> None:
    s = store_with_graphs()
    before = set(s)
    change = stage_update(s, analyse(f"DROP GRAPH <{G}meta>", update=True), f"DROP GRAPH <{G}meta>")
    apply_change(s, change)
    assert count(s, "meta") == 0
    apply_change(s, change.inverse())
    assert set(s) == before


def test_an_update_that_changes_a_graph_its_tree_does_not_name_is_refused() -> None:
    s = store_with_graphs()
    wrong = analyse(f"INSERT DATA {{ GRAPH <{G}meta> {{ <http://a> <http://b> 1 }} }}", update=True)
    with pytest.raises(ChangeError, match="does not name"):
        stage_update(s, wrong, f"INSERT DATA {{ GRAPH <{G}other> {{ <http://a> <http://b> 1 }} }}")


def test_what_is_sent_to_the_default_graph_lands_in_the_direct_graph_and_the_merge() -> None:
    s = store_with_graphs()
    run(s, "INSERT DATA { <http://example.org/d> <http://example.org/p> 'd' }")
    direct = ox.NamedNode(DIRECT_GRAPH)
    assert len(list(s.quads_for_pattern(None, None, None, direct))) == 1
    assert len(list(s.quads_for_pattern(None, None, None, ox.DefaultGraph()))) == 10
    run(s, "DELETE WHERE { <http://example.org/d> ?p ?o }")
    assert len(list(s.quads_for_pattern(None, None, None, ox.DefaultGraph()))) == 9
