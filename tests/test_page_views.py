"""What the pages make of query rows: the marked sentence in its paragraph, and what the sources disagree on."""

from __future__ import annotations

from kg.pages.views import Link, Passage, Source, _disagreements, local, passage

BODY = "Headline of the story\nFirst sentence of the lead. The leaders met on Monday. A third one.\nNext paragraph."


def test_a_sentence_is_marked_inside_its_own_paragraph() -> None:
    start = BODY.index("The leaders")
    end = start + len("The leaders met on Monday.")
    assert passage(BODY, start, end, BODY[start:end]) == Passage(
        "First sentence of the lead. ", "The leaders met on Monday.", " A third one.")


def test_a_body_that_no_longer_holds_the_sentence_shows_the_sentence_alone() -> None:
    assert passage(BODY, 0, 10, "something else entirely") == Passage("", "something else entirely", "")


def _source(headline: str, date: str, place: str | None, modality: str = "actual") -> Source:
    return Source("a", headline, "", "", "", modality, 0.9, date, "", "", Link("/p", place) if place else None,
                  Passage("", "x", ""))


def test_only_what_takes_more_than_one_value_is_a_disagreement() -> None:
    found = _disagreements([_source("A", "2026-02-03", "White House"), _source("B", "2026-02", "White House")])
    assert list(found) == ["date"] and found["date"] == [("A", "2026-02-03"), ("B", "2026-02")]


def test_an_iri_of_another_scheme_links_nowhere() -> None:
    assert local("javascript:alert(1)") == "#"


def test_our_iris_open_on_this_server_and_others_stay_as_they_are() -> None:
    assert local("https://w3id.org/diplograph/id/person/gustavo-petro") == "/id/person/gustavo-petro"
    assert local("http://www.wikidata.org/entity/Q704022") == "http://www.wikidata.org/entity/Q704022"
