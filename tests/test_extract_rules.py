"""The event rules file is data checked when it loads: a bad entry is an error naming the file and the entry."""

from __future__ import annotations

import pytest

from kg.extract.rules import RulesError, load_rules, parse_rules

GOOD = """
fragments: {W: '[\\w-]+'}
triggers:
  - {type: meeting, pattern: '\\bmet\\b', style: verb, confidence: 0.9}
arguments:
  visit: {target: ["to", "in"]}
parse: {subject: [nsubj], shared_subject: [conj]}
"""


def test_the_english_rules_load_with_every_event_type_of_the_ontology() -> None:
    rules = load_rules("en")
    assert {t.type for t in rules.triggers} >= {"meeting", "phone_call", "visit", "agreement", "sanction_imposed",
                                                "sanction_lifted", "visa_revocation", "visa_grant_or_waiver",
                                                "extradition", "deportation", "expulsion", "arrest",
                                                "military_operation", "threat", "statement"}
    assert rules.prepositions("military_operation", "target")[:2] == ("on", "in")


def test_a_good_file_gives_its_triggers_and_roles() -> None:
    rules = parse_rules("x.yaml", GOOD)
    assert rules.triggers[0].pattern.search("They met on Monday")
    assert rules.prepositions("visit", "target") == ("to", "in") and rules.subject_deps == ("nsubj",)


@pytest.mark.parametrize(("old", "new", "words"), [
    ("type: meeting", "type: summitry", "trigger 1: type 'summitry' is not an event type"),
    ("style: verb", "style: adverb", "trigger 1: style 'adverb'"),
    ("'\\bmet\\b'", "'\\bmet('", "trigger 1: bad pattern"),
    ("'\\bmet\\b'", "'<NOPE>met'", "trigger 1: undefined fragment(s) ['NOPE']"),
    ("confidence: 0.9", "confidence: 1.5", "trigger 1: confidence 1.5"),
    ('target: ["to", "in"]', "target: [on]", "arguments of 'visit', target: a list of prepositions"),
    ("parse: {subject: [nsubj], shared_subject: [conj]}", "", "'parse' needs the lists"),
])
def test_a_bad_entry_is_an_error_naming_the_file_and_the_entry(old: str, new: str, words: str) -> None:
    assert old in GOOD
    with pytest.raises(RulesError) as e:
        parse_rules("x.yaml", GOOD.replace(old, new))
    assert str(e.value).startswith("x.yaml: ") and words in str(e.value)
