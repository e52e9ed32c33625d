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


def test_the_timeline_draws_the_us_colombia_events_and_a_click_opens_one(server: str, tmp_path: Path) -> None:
    requested: list[str] = []
    with browser_page(requested) as page:
        page.goto(server + "/timeline?actor=state/united-states&with=state/colombia")
        page.wait_for_function("() => window.timelineChart && document.querySelectorAll('#timeline svg path').length")
        marks = page.evaluate("() => JSON.parse(document.getElementById('timeline-data').textContent)")
        assert len(marks) >= 10 and any("Gustavo Petro" in m["label"] for m in marks)
        screenshot(page, tmp_path, "timeline")
        spots = [(m["type"], m["start"]) for m in marks]
        target = next(m for m in marks if not m["span"] and spots.count((m["type"], m["start"])) == 1
                      and not any(o["span"] and o["type"] == m["type"] for o in marks))  # a dot nothing covers
        x, y = page.evaluate("""(m) => {
            const data = window.timelineChart.getOption().series[0].data;
            const item = data.find(d => d.href === m.href);
            return window.timelineChart.convertToPixel({seriesIndex: 0}, [item.value[0], item.value[2]]); }""",
                             target)
        box = page.locator("#timeline").bounding_box()
        page.mouse.click(box["x"] + x, box["y"] + y)
        page.wait_for_url(server + target["href"])
        assert page.locator("article.card.source").count() >= 1
    assert only_local(requested, server), requested


def test_the_network_shows_the_trump_petro_edges_and_a_click_opens_the_actor(server: str, tmp_path: Path) -> None:
    requested: list[str] = []
    with browser_page(requested) as page:
        page.goto(server + "/network")
        page.wait_for_function("() => window.networkChart && document.querySelectorAll('#network svg path').length")
        edges = page.evaluate("() => JSON.parse(document.getElementById('network-data').textContent).edges")
        pair = {f"{ID}person/donald-trump", f"{ID}person/gustavo-petro"}
        between = {e["type"] for e in edges if {e["source"], e["target"]} == pair}
        assert {"meeting", "phone_call"} <= between, between
        screenshot(page, tmp_path, "network")
        x, y = page.evaluate("""() => {
            const series = window.networkChart.getModel().getSeriesByIndex(0);
            const data = series.getData();
            const i = data.indexOfName('Gustavo Petro');
            return data.getItemLayout(i); }""")
        box = page.locator("#network").bounding_box()
        page.mouse.click(box["x"] + x, box["y"] + y)
        page.wait_for_url(server + "/id/person/gustavo-petro")
    assert only_local(requested, server), requested


def test_a_bad_filter_is_refused_with_its_name(server: str) -> None:
    r = httpx.get(server + "/timeline", params={"from": "last week"})
    assert r.status_code == 400 and "'from'" in r.text
