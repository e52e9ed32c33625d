"""Event identity across articles, as a table: when two reports are one event, and how reports cluster."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.identity import Item, KnownEvent, _clusters, same_event

US, CO, VE = "us", "co", "ve"
TRUMP, PETRO, RUBIO = "trump", "petro", "rubio"


def ev(type_: str, participants: tuple[str, ...] = (), agent: str = "", target: tuple[str, ...] = (),
       day: str | None = None, until: str | None = None, monthday: tuple[int, int] | None = None) -> KnownEvent:
    earliest = dt.date.fromisoformat(day) if day else None
    latest = dt.date.fromisoformat(until) if until else earliest
    return KnownEvent("", type_, frozenset(participants), agent, frozenset(target), earliest, latest, monthday)


SAME = [
    ("a meeting reported with the same two leaders and day",
     ev("meeting", (TRUMP, PETRO), day="2026-02-03"), ev("meeting", (TRUMP, PETRO), day="2026-02-03")),
    ("sources three days apart on the date stay one event (a date conflict)",
     ev("meeting", (TRUMP, PETRO), day="2026-02-03"), ev("meeting", (TRUMP, PETRO), day="2026-02-06")),
    ("a report that names only the month overlaps one that names the day",
     ev("meeting", (TRUMP, PETRO), day="2026-02-01", until="2026-02-28"),
     ev("meeting", (TRUMP, PETRO), day="2026-02-03")),
    ("an undated report joins a dated one of the same meeting",
     ev("meeting", (TRUMP, PETRO)), ev("meeting", (TRUMP, PETRO), day="2026-02-03")),
    ("a meeting seen from one side names a third participant too",
     ev("meeting", (TRUMP, PETRO, RUBIO), day="2026-02-03"), ev("meeting", (TRUMP, PETRO), day="2026-02-03")),
    ("sanctions by one state on another, one report without a target",
     ev("sanction", agent=US, target=(VE,), day="2026-01-10"), ev("sanction", agent=US, day="2026-01-11")),
    ("a year-less 'February 3' matches the dated report of that day",
     ev("meeting", (TRUMP, PETRO), monthday=(2, 3)), ev("meeting", (TRUMP, PETRO), day="2026-02-03")),
]

DIFFERENT = [
    ("different types are different events",
     ev("meeting", (TRUMP, PETRO), day="2026-02-03"), ev("phone_call", (TRUMP, PETRO), day="2026-02-03")),
    ("meetings a month apart are two meetings",
     ev("meeting", (TRUMP, PETRO), day="2026-02-03"), ev("meeting", (TRUMP, PETRO), day="2026-03-05")),
    ("meetings sharing one participant only are two meetings",
     ev("meeting", (TRUMP, PETRO), day="2026-02-03"), ev("meeting", (TRUMP, RUBIO), day="2026-02-03")),
    ("sanctions by different states are different measures",
     ev("sanction", agent=US, target=(VE,), day="2026-01-10"), ev("sanction", agent=CO, target=(VE,),
                                                                   day="2026-01-10")),
    ("an undated statement is never merged: one pair of leaders trades many",
     ev("statement", agent=TRUMP, target=(PETRO,)), ev("statement", agent=TRUMP, target=(PETRO,),
                                                       day="2026-01-05")),
    ("directed events with disjoint targets differ",
     ev("sanction", agent=US, target=(VE,), day="2026-01-10"), ev("sanction", agent=US, target=(CO,),
                                                                   day="2026-01-10")),
    ("year-less dates on different days differ",
     ev("meeting", (TRUMP, PETRO), monthday=(2, 3)), ev("meeting", (TRUMP, PETRO), monthday=(2, 9))),
]


@pytest.mark.parametrize(("why", "a", "b"), SAME, ids=[c[0] for c in SAME])
def test_reports_of_one_event_are_the_same_event(why: str, a: KnownEvent, b: KnownEvent) -> None:
    assert same_event(a, b) and same_event(b, a)


@pytest.mark.parametrize(("why", "a", "b"), DIFFERENT, ids=[c[0] for c in DIFFERENT])
def test_reports_of_different_events_stay_apart(why: str, a: KnownEvent, b: KnownEvent) -> None:
    assert not same_event(a, b) and not same_event(b, a)


def test_five_outlets_reporting_one_meeting_make_one_cluster() -> None:
    meeting = ev("meeting", (TRUMP, PETRO), day="2026-02-03")
    items: list[Item] = [((f"outlet-{n}", 0), meeting) for n in range(5)]
    assert sorted(map(sorted, _clusters(items))) == [[0, 1, 2, 3, 4]]


def test_two_events_of_one_article_are_never_merged_with_each_other() -> None:
    meeting = ev("meeting", (TRUMP, PETRO), day="2026-02-03")
    items: list[Item] = [(("one-article", 0), meeting), (("one-article", 1), meeting)]
    assert len(_clusters(items)) == 2


def test_a_cluster_does_not_swallow_a_different_event_between_its_reports() -> None:
    feb, mar = ev("meeting", (TRUMP, PETRO), day="2026-02-03"), ev("meeting", (TRUMP, PETRO), day="2026-03-05")
    items: list[Item] = [(("a", 0), feb), (("b", 0), mar), (("c", 0), feb), (("d", 0), mar)]
    assert sorted(map(sorted, _clusters(items))) == [[0, 2], [1, 3]]


def test_two_events_of_one_article_are_not_joined_through_another_articles_broader_report() -> None:
    with_putin = ev("phone_call", (TRUMP, PETRO), day="2026-02-03")
    with_rubio = ev("phone_call", (TRUMP, RUBIO), day="2026-02-03")
    everyone = ev("phone_call", (TRUMP, PETRO, RUBIO), day="2026-02-03")
    items: list[Item] = [(("a", 0), everyone), (("b", 0), with_putin), (("b", 1), with_rubio)]
    clusters = _clusters(items)
    assert not any({1, 2} <= set(c) for c in clusters)
