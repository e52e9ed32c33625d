"""Pages for people, in a real browser: the event page shows every source with its sentence highlighted in its
paragraph, the actor page lists posts and events; nothing is fetched from outside the server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib

from .browser import browser_page, only_local, screenshot
from .conftest import copy_of
from .server_fixture import running_server

ID = "https://w3id.org/diplograph/id/"
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
WHITE_HOUSE_MEETING = f"""PREFIX dip: <https://w3id.org/diplograph/ontology#>
SELECT DISTINCT ?e WHERE {{ ?e a dip:Meeting ; dip:participant <{ID}person/donald-trump>, <{ID}person/gustavo-petro> ;
  dip:date ?d FILTER(STR(?d) = "2026-02-03") }}"""


@pytest.fixture(scope="module")
def server(corpus_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_server(copy_of(corpus_store, tmp_path_factory.mktemp("pages"))) as base:
        yield base


@pytest.fixture(scope="module")
def meeting(server: str) -> str:
    """The local path of the 2026-02-03 White House meeting, found by query (its id is a hash)."""
    r = httpx.get(server + "/sparql", params={"query": WHITE_HOUSE_MEETING},
                  headers={"Accept": "application/sparql-results+json"})
    found = [b["e"]["value"] for b in r.json()["results"]["bindings"]]
    assert len(found) == 1, found
    return "/id/" + found[0][len(ID):]


def test_the_white_house_meeting_shows_its_five_sources_with_their_sentences_highlighted(
        server: str, meeting: str, tmp_path: Path) -> None:
    requested: list[str] = []
    with browser_page(requested) as page:
        page.goto(server + meeting)
        cards = page.locator("article.card.source")
        assert cards.count() == 5
        marks = [cards.nth(i).locator("p.passage mark").inner_text() for i in range(5)]
        assert all(len(m) > 25 for m in marks), marks
        assert page.locator("dd a.actor", has_text="Gustavo Petro").count() == 1
        screenshot(page, tmp_path, "event")
    assert only_local(requested, server), requested


def test_the_event_page_flags_the_sources_disagreement_on_date_and_place(server: str, meeting: str) -> None:
    page = httpx.get(server + meeting, headers=HTML).text
    section = page.split('id="disagreements"', 1)[1].split("</section>", 1)[0]
    assert "Date" in section and "2026-02-03" in section and "2026-02<" in section
    assert "Place" in section and "White House" in section and "Oval Office" in section


def test_the_event_page_names_its_cameo_and_plover_codes_and_links_its_rdf(server: str, meeting: str) -> None:
    page = httpx.get(server + meeting, headers=HTML).text
    assert "CAMEO" in page and "PLOVER" in page
    turtle = httpx.get(server + meeting, params={"format": "turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert len(rdflib.Graph().parse(data=turtle.text, format="turtle")) > 5


def test_the_actor_page_of_petro_lists_his_post_and_his_events(server: str, meeting: str, tmp_path: Path) -> None:
    requested: list[str] = []
    with browser_page(requested) as page:
        page.goto(server + "/id/person/gustavo-petro")
        assert page.locator("h1").inner_text() == "Gustavo Petro"
        assert "President of Colombia" in page.locator("table.posts").inner_text()
        assert page.locator("table.events tbody tr").count() >= 10
        assert page.locator(f'table.events a[href="{meeting}"]').count() == 1
        assert "Donald Trump" in page.locator("table.counterparts").inner_text()
        screenshot(page, tmp_path, "actor")
        page.locator(f'table.events a[href="{meeting}"]').click()
        page.wait_for_selector("article.card.source")
        assert page.url == server + meeting
    assert only_local(requested, server), requested


def test_a_state_has_an_actor_page_too(server: str) -> None:
    page = httpx.get(server + "/id/state/colombia", headers=HTML)
    assert page.status_code == 200 and "<h1>Colombia</h1>" in page.text and "Gustavo Petro" in page.text


def test_article_text_is_escaped_on_the_page(server: str, meeting: str) -> None:
    page = httpx.get(server + meeting, headers=HTML).text
    assert "<script" not in page.lower()
