"""A language's words for finding actors (kg/lang/<code>/actors.yaml): posts, name particles, words that are
never names, pronouns. Checked as they load: a missing, misspelt or mistyped entry is an error naming the file."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from . import langfile


class WordsError(ValueError):
    """An actors file that cannot be used."""


@dataclass(frozen=True)
class ActorWords:
    roles: dict[str, str]  # post words as written -> post key
    head_roles: frozenset[str]
    unnamed_officials: frozenset[str]
    name_particles: frozenset[str]
    not_names: frozenset[str]
    not_name_words: frozenset[str]
    pronouns: dict[str, str]  # pronoun -> the kind of actor it refers to
    function_words: frozenset[str]


MAPPINGS = ("roles", "pronouns")
SETS = ("head_roles", "unnamed_officials", "name_particles", "not_names", "not_name_words", "function_words")


@lru_cache(maxsize=4)
def actor_words(lang: str = "en") -> ActorWords:
    """The actor words of one language, checked as they load."""
    return parse_actor_words(*langfile.read(lang, "actors.yaml"))


def parse_actor_words(source: str, text: str) -> ActorWords:
    """Actor words from the text of an actors file called `source` (errors name it and the entry)."""
    data = langfile.parse(source, text, WordsError)
    if not isinstance(data, dict):
        raise WordsError(f"{source}: needs a mapping of the entries {', '.join(MAPPINGS + SETS)}")
    unknown = sorted(set(data) - set(MAPPINGS) - set(SETS))
    missing = [k for k in MAPPINGS + SETS if k not in data]
    if unknown or missing:
        raise WordsError(f"{source}: " + "; ".join(
            ([f"unknown entry {', '.join(map(repr, unknown))}"] if unknown else [])
            + ([f"missing entry {', '.join(map(repr, missing))}"] if missing else [])))
    for key in MAPPINGS:
        if not isinstance(data[key], dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                      for k, v in data[key].items()):
            raise WordsError(f"{source}: {key!r} must map words to keys (text to text)")
    for key in SETS:
        if not isinstance(data[key], list) or not all(isinstance(w, str) for w in data[key]):
            raise WordsError(f"{source}: {key!r} must be a list of words")
    return ActorWords(roles=dict(data["roles"]), pronouns=dict(data["pronouns"]),
                      **{k: frozenset(data[k]) for k in SETS})
