"""Date resolution, as a table: a sentence of news, its publication date, and the date its expression means.

Weekdays resolve by the tense of their clause (from the parse), measures by the day they take effect, ranges
and month-level phrases to their month, bounds ('since January') to no date."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.extract.dates import (
    DatesError,
    belongs_elsewhere,
    dates_in_text,
    parse_words,
    report_days,
    resolve,
    takes_news_day,
)
from kg.extract.nlp import parse

D = dt.date

# sentence, publication date (None: unknown), anchor year for an unknown publication, the expected value of
# the sentence's first date expression (None: no date of an event).
TABLE = [
    ("Pakistan on Thursday closed its airspace to Indian airlines.", D(2025, 4, 25), None, "2025-04-24"),
    ("The foreign ministers will meet on Friday in Geneva.", D(2025, 6, 12), None, "2025-06-13"),
    ("The foreign ministers met on Friday in Geneva.", D(2025, 6, 12), None, "2025-06-06"),
    ("The two presidents spoke by phone on Thursday.", D(2025, 6, 12), None, "2025-06-12"),
    ("The foreign minister is due in Moscow on Thursday to meet his counterpart.", D(2023, 8, 31), None,
     "2023-08-31"),
    ("The leaders are expected to sign the accord on Monday.", D(2025, 6, 12), None, "2025-06-16"),
    ("Kenya has recalled its ambassador on Tuesday.", D(2025, 6, 12), None, "2025-06-10"),
    ("The envoy had been summoned on Monday before the talks collapsed.", D(2025, 6, 12), None, "2025-06-09"),
    ("They will meet again next Friday.", D(2025, 6, 13), None, "2025-06-20"),
    ("The minister is due in Moscow on Thursday and Friday.", D(2023, 8, 31), None, "2023-08-31"),
    ("The delegations held talks from Monday to Wednesday.", D(2025, 6, 12), None, "2025-06-09"),
    ("They last met last Friday in Doha.", D(2025, 6, 13), None, "2025-06-06"),
    ("Friday night's call was the pair's first in two years.", D(2024, 11, 15), None, "2024-11-15"),
    ("The ambassador was expelled on Tuesday night.", D(2025, 6, 12), None, "2025-06-10"),
    ("The talks took place yesterday in Riyadh.", D(2025, 6, 12), None, "2025-06-11"),
    ("The leaders will meet tomorrow in Ankara.", D(2025, 6, 12), None, "2025-06-13"),
    ("Sanctions were imposed today on three officials.", D(2025, 6, 12), None, "2025-06-12"),
    ("Drones struck the capital last night.", D(2025, 6, 12), None, "2025-06-11"),
    ("The envoy was recalled two days ago.", D(2025, 6, 12), None, "2025-06-10"),
    ("The two states restored ties a year ago.", D(2025, 6, 12), None, "2024"),
    ("The border was closed three months ago.", D(2025, 6, 12), None, "2025-03"),
    ("Talks between the two sides were held last week.", D(2025, 6, 12), None, "2025-06"),
    ("Earlier this month, the envoy was ordered to leave.", D(2025, 6, 12), None, "2025-06"),
    ("The ban will take effect from next month.", D(2025, 6, 12), None, "2025-07"),
    ("Seoul expelled a diplomat last year.", D(2025, 6, 12), None, "2024"),
    ("The minister visited Cairo in early March.", D(2025, 6, 12), None, "2025-03"),
    ("The summit is set for the last week of January.", D(2025, 12, 20), None, "2026-01"),
    ("The president visited Beijing on January 8.", D(2026, 2, 1), None, "2026-01-08"),
    ("The summit is scheduled for January 8.", D(2025, 12, 20), None, "2026-01-08"),
    ("The visa exemption will come into effect on March 1, 2024.", D(2024, 1, 28), None, "2024-03-01"),
    ("The negotiators met in Beijing between March 6-10 to settle the issues.", D(2023, 3, 15), None, "2023-03"),
    ("Xi will pay a state visit to Russia from March 20 to 22.", D(2023, 3, 17), None, "2023-03"),
    ("Talks were held on 6-10 March in Muscat.", D(2023, 3, 15), None, "2023-03"),
    ("Anwar would also be meeting the Thai prime minister on Monday (Nov 27).", None, 2024, "2023-11-27"),
    ("The treaty was signed on Sunday, January 28, 2024.", D(2024, 1, 30), None, "2024-01-28"),
    ("The talks were held on 2025-03-14 in Jeddah.", None, None, "2025-03-14"),
    ("He has been held since February 15, when he was captured outside his home.", D(2022, 4, 21), None,
     "2022-02-15"),
    ("Sanctions have been in place since January.", D(2025, 6, 12), None, None),
    ("The offer stands until Friday.", D(2025, 6, 12), None, None),
    ("The ministers met on Friday in Geneva.", None, None, None),
]


@pytest.mark.parametrize(("sentence", "published", "anchor_year", "expected"), TABLE,
                         ids=[row[0][:60] for row in TABLE])
def test_a_date_expression_resolves_to_the_day_it_means(sentence: str, published: dt.date | None,
                                                        anchor_year: int | None, expected: str | None) -> None:
    found = dates_in_text(sentence, parse(sentence))
    assert found, f"no date expression found in {sentence!r}"
    anchor = D(anchor_year, 6, 1) if anchor_year else None
    assert resolve(found[0], published, anchor).value == expected


@pytest.mark.parametrize(("sentence", "tense"), [
    ("The ministers met on Friday.", "past"),
    ("The ministers will meet on Friday.", "future"),
    ("The ministers are set to meet on Friday.", "future"),
    ("Canada has expelled two diplomats on Friday.", "perfect"),
    ("The embassy had closed on Friday.", "pluperfect"),
])
def test_a_date_carries_the_tense_of_its_clause(sentence: str, tense: str) -> None:
    assert dates_in_text(sentence, parse(sentence))[0].tense == tense


def test_a_relative_date_in_a_quote_counts_from_the_day_the_quote_was_said() -> None:
    text = 'The prime minister arrived on Monday. "Looking forward to our talks tomorrow," he wrote.'
    found = dates_in_text(text, parse(text))
    quoted = next(d for d in found if d.text == "tomorrow")
    assert quoted.quoted
    assert resolve(quoted, D(2025, 6, 12), said_on=D(2025, 6, 9)).value == "2025-06-10"
    assert resolve(quoted, D(2025, 6, 12)).value == "2025-06-13"


def test_a_measure_is_dated_by_the_day_it_takes_effect() -> None:
    text = "The two ministers signed the agreement, which will come into effect on March 1, 2024."
    found = dates_in_text(text, parse(text))
    assert [d.effective for d in found] == [True]


def test_the_news_day_is_the_leads_date_not_the_publication_date() -> None:
    text = "Islamabad, April 24: Pakistan on Thursday closed its airspace for Indian airlines."
    days = report_days(text, dates_in_text(text, parse(text)), D(2025, 4, 25))
    assert (days.published, days.news_day) == (D(2025, 4, 25), D(2025, 4, 24))


def test_a_pages_own_date_stamp_stands_in_for_a_missing_publication_date() -> None:
    text = ("Petro holds talks with Trump\n\nLast Updated: February 04, 2026, 00:37 IST\n\n"
            "The two presidents held talks at the White House on Tuesday.")
    days = report_days(text, dates_in_text(text, parse(text)), None)
    assert days.stamped
    assert (days.published, days.news_day) == (D(2026, 2, 4), D(2026, 2, 3))


def test_an_article_without_publication_date_or_stamp_has_no_news_day() -> None:
    text = "The two presidents held talks at the White House on Tuesday."
    assert report_days(text, dates_in_text(text, parse(text)), None).news_day is None


@pytest.mark.parametrize(("sentence", "tense", "modality", "expected"), [
    ("Pakistan declared the advisers persona non grata.", "past", "actual", True),
    ("Pakistan will also revoke trade relations with India.", "future", "announced", True),
    ("The ministers will meet in Geneva.", "future", "planned", False),
    ("The embassy had been closed for years.", "pluperfect", "actual", False),
    ("The two states severed ties two years ago.", "past", "actual", False),
    ("In the wake of the raid, Trump warned Petro.", "past", "threatened", False),
])
def test_an_undated_event_takes_the_news_day_only_when_told_as_the_days_act(
        sentence: str, tense: str, modality: str, expected: bool) -> None:
    assert takes_news_day(sentence, tense, modality) is expected


def test_a_date_inside_a_relative_clause_dates_that_clause_not_the_trigger() -> None:
    text = ("Biden and Xi agreed to resume military contacts that China severed after Pelosi "
            "visited Taiwan in August 2022.")
    doc = parse(text)
    date = dates_in_text(text, doc)[0]
    agreed = text.index("agreed")
    assert belongs_elsewhere(doc, date.start, date.end, (agreed, agreed + len("agreed")))
    visited = text.index("visited")
    assert not belongs_elsewhere(doc, date.start, date.end, (visited, visited + len("visited")))


def test_a_relative_clause_of_the_trigger_dates_the_trigger() -> None:
    text = "The talks, which took place on Monday, ended without a deal."
    doc = parse(text)
    date = dates_in_text(text, doc)[0]
    talks = text.index("talks")
    assert not belongs_elsewhere(doc, date.start, date.end, (talks, talks + len("talks")))


def test_the_previous_evening_counts_from_the_day_the_report_speaks_of() -> None:
    text = "Islamabad closed the border post, mirroring steps taken the previous evening by India."
    found = dates_in_text(text, parse(text))
    assert found[0].narrated
    assert resolve(found[0], D(2025, 4, 25), said_on=D(2025, 4, 24)).value == "2025-04-23"


def test_a_dates_file_missing_an_entry_is_an_error_naming_the_file_and_the_entry() -> None:
    with pytest.raises(DatesError, match=r"xx/dates.yaml: missing entry 'tense'"):
        parse_words("xx/dates.yaml", "weekdays: {monday: 0}\n")
