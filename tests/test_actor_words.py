"""The actor words of a language are data (kg/lang/en/actors.yaml), checked as they load."""

from __future__ import annotations

import pytest

from kg.extract.words import WordsError, actor_words, parse_actor_words

GOOD = """
roles: {foreign minister: foreign-minister, president: president}
pronouns: {he: person}
head_roles: [president]
unnamed_officials: [ambassador]
name_particles: [de]
not_names: [The]
not_name_words: [Talks]
function_words: [with]
"""


def test_the_english_words_load_and_name_the_usual_posts() -> None:
    words = actor_words("en")
    assert words.roles["foreign minister"] == "foreign-minister"
    assert "president" in words.head_roles and words.pronouns["she"] == "person"


def test_a_misspelt_entry_is_an_error_naming_the_file_and_the_entry() -> None:
    with pytest.raises(WordsError, match=r"actors\.yaml: unknown entry 'head_role'.*missing entry 'head_roles'"):
        parse_actor_words("actors.yaml", GOOD.replace("head_roles:", "head_role:"))


def test_a_role_that_maps_to_a_list_is_refused() -> None:
    with pytest.raises(WordsError, match="'roles' must map words to keys"):
        parse_actor_words("actors.yaml", GOOD.replace("president: president}", "president: [president]}"))


def test_yaml_booleans_are_not_taken_for_words() -> None:
    with pytest.raises(WordsError, match="'not_names' must be a list of words"):
        parse_actor_words("actors.yaml", GOOD.replace("not_names: [The]", "not_names: [On, No]"))
