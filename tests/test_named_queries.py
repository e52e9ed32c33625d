"""Each named query of queries/ on the bundled store: the rows it must give, one row per event where it lists
events, and defaults that exist."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from kg.articles import read_article
from kg.queries import load_queries
from kg.store import OxigraphStore

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"
ID = "https://w3id.org/diplograph/id/"
PETRO, TRUMP = ID + "person/gustavo-petro", ID + "person/donald-trump"


@pytest.fixture(scope="module")
def store(corpus: OxigraphStore) -> OxigraphStore:
    return corpus


def rows(store: OxigraphStore, name: str, **params: str) -> list[dict[str, str | None]]:
    result = store.query(load_queries()[name].bound(params))
    names = [v.value for v in result.variables]  # type: ignore[attr-defined]
    return [{n: (r[n].value if r[n] is not None else None) for n in names} for r in result]  # type: ignore[attr-defined]


def one_row_per_event(found: list[dict[str, str | None]]) -> bool:
    return bool(found) and max(Counter(r["event"] for r in found).values()) == 1


def test_actors_gives_petro_as_a_linked_person(store: OxigraphStore) -> None:
    petro = [r for r in rows(store, "actors") if r["actor"] == PETRO]
    assert petro == [{"actor": PETRO, "label": "Gustavo Petro", "kind": "person",
                      "wikidata": "http://www.wikidata.org/entity/Q704022"}]


def test_conflicts_lists_the_two_dates_of_the_january_call(store: OxigraphStore) -> None:
    found = rows(store, "conflicts", only_type="phone_call")
    assert {(r["kind"], frozenset({r["value1"], r["value2"]})) for r in found} == {
        ("date", frozenset({"2026-01-07", "2026-01-08"}))}
    assert all(r["article1"] != r["article2"] and r["sentence1"] and r["sentence2"] for r in found)


def test_event_sources_default_is_an_event_of_the_bundled_store_with_its_sentences(store: OxigraphStore) -> None:
    found = rows(store, "event-sources")
    bodies = {f"{ID}article/{a.id}": a.body for a in map(read_article, sorted(ARTICLES.glob("*.txt")))}
    assert len({r["article"] for r in found}) >= 3
    assert all(bodies[r["article"]][int(r["start"]):int(r["end"])] == r["evidence"] for r in found)  # type: ignore[index,arg-type]
    assert len(found) == len({(r["article"], r["start"]) for r in found})  # one row per sentence


def test_events_per_type_month_counts_each_event_once(store: OxigraphStore) -> None:
    found = rows(store, "events-per-type-month")
    distinct = store.select("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?c . ?c skos:inScheme dip:EventTypes }")
    assert sum(int(r["events"]) for r in found) == int(distinct[0]["n"].value)  # type: ignore[arg-type,union-attr]


def test_export_events_rows_name_their_source_graph_and_sentence(store: OxigraphStore) -> None:
    found = rows(store, "export-events")
    assert found and all(r["graph"] and r["article"] and r["evidence"] and r["type"] for r in found)


def test_measures_against_officials_of_colombia_target_colombians(store: OxigraphStore) -> None:
    found = rows(store, "measures-against-officials")
    assert {"sanction_imposed", "visa_grant_or_waiver"} <= {r["type"] for r in found}
    assert "Gustavo Petro" in {r["targetLabel"] for r in found}
    assert len(found) == len({(r["event"], r["targetLabel"]) for r in found})


def test_meetings_of_petro_are_one_row_per_event_with_the_sources_dates_as_a_range(store: OxigraphStore) -> None:
    found = rows(store, "meetings-of-person")
    assert one_row_per_event(found)
    call = next(r for r in found if r["type"] == "phone_call" and "Donald Trump" in (r["with"] or ""))
    assert (call["date"], call["latest"]) == ("2026-01-07", "2026-01-08") and int(call["sources"]) >= 3  # type: ignore[arg-type]


def test_newest_articles_lists_every_bundled_article(store: OxigraphStore) -> None:
    found = rows(store, "newest-articles")
    assert len(found) == len(list(ARTICLES.glob("*.txt"))) and all(int(r["events"]) > 0 for r in found)  # type: ignore[arg-type]


def test_office_holders_has_petro_as_president_of_colombia(store: OxigraphStore) -> None:
    found = rows(store, "office-holders")
    assert ("Gustavo Petro", "President of Colombia") in {(r["personLabel"], r["postLabel"]) for r in found}


def test_single_source_events_have_one_article_each(store: OxigraphStore) -> None:
    found = rows(store, "single-source-events")
    assert one_row_per_event(found)
    for r in found:
        n = store.select(f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ <{r['event']}> dip:evidence/oa:hasSource ?a }}")
        assert n[0]["n"].value == "1"  # type: ignore[union-attr]


def test_timeline_of_the_united_states_and_colombia_has_the_call_once(store: OxigraphStore) -> None:
    found = rows(store, "timeline")
    assert one_row_per_event(found)
    calls = [r for r in found if r["type"] == "phone_call" and {"Gustavo Petro", "Donald Trump"} <= set(
        (r["actors"] or "").split(", "))]
    assert len(calls) == 1 and (calls[0]["date"], calls[0]["latest"]) == ("2026-01-07", "2026-01-08")


def test_timeline_includes_events_naming_a_state_itself(store: OxigraphStore) -> None:
    found = rows(store, "timeline")
    role = "dip:agent|dip:target|dip:participant"
    direct = store.select(f"""SELECT DISTINCT ?e WHERE {{ ?e {role} <{ID}state/colombia> ; {role} ?x .
                                                        ?x dip:country? <{ID}state/united-states> }}""")
    assert direct and {r["e"].value for r in direct} <= {r["event"] for r in found}  # type: ignore[union-attr]


def test_unlinked_actors_have_no_wikidata_link(store: OxigraphStore) -> None:
    found = rows(store, "unlinked-actors")
    linked = store.select("SELECT DISTINCT ?a WHERE { ?a owl:sameAs ?wd }")
    assert found and not {r["actor"] for r in found} & {r["a"].value for r in linked}  # type: ignore[union-attr]


def test_every_named_query_with_parameters_has_defaults_that_answer(store: OxigraphStore) -> None:
    for name, q in load_queries().items():
        if q.params and not q.services:
            assert rows(store, name), name
