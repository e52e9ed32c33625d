"""Finding actors in a text: catalog names, demonyms, 'Role Name' patterns, role phrases, groups, pronouns.

Every mention is resolved to an actor key: a catalog id, or `new:{kind}:{slug}` for a name the
catalog does not know (it becomes an unlinked actor of its own).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..catalog import ActorKind, Catalog, Entity
from ..names import slug
from .words import actor_words

if TYPE_CHECKING:
    from spacy.tokens import Doc

NAME_WORD = r"(?:[A-Z]\.(?:[A-Z]\.)*|[A-ZÁÉÍÓÚÑÜ][\w‑-]*(?:['’][A-Za-z]{2,}[\w‑-]*)?)"
SP = r"[^\S\n]"  # space within a line: names and roles never run across lines
NAME = rf"{NAME_WORD}(?:{SP}+(?:(?:de|del|la|da|van|von|bin|al|el){SP}+)?{NAME_WORD}){{0,4}}"

WORDS = actor_words("en")
# Role words -> role key. Longer first; case-insensitive matching, capitalised in running text.
ROLES: dict[str, str] = WORDS.roles
# An organisation the parser finds is an actor when its name says it is an organ of a state or a political body.
ORGAN_WORDS = re.compile(r"\b(?:Ministry|Department|Embassy|Council|Committee|Commission|Office|Agency|Army|Navy|"
                         r"Air\s+Force|Police|Guard|Court|Parliament|Senate|Cabinet|Government|Presidency|"
                         r"High\s+Commission|Consulate|Directorate|Command|Forces|Party|party|Movement|Front|"
                         r"Alliance|Coalition)\b")
PARTICLES = WORDS.name_particles
UNNAMED_OFFICIALS = WORDS.unnamed_officials
HEAD_ROLES = WORDS.head_roles
PARTY = r"(?:Republican|Democratic|Democrat|Conservative|Labour|Liberal|leftist|right-wing|left-wing|former)"
NOT_NAMES = WORDS.not_names  # capitalised words that do not start a person's name after a role
NOT_NAME_WORDS = WORDS.not_name_words  # headline and page-furniture words that never belong to a name
GROUP_NOUNS = r"(?:family|families|relatives|associates|allies|aides|senior officials|officials|migrants|" \
              r"deportees|diplomats|soldiers|troops|nationals|citizens|family members|cartel figures|" \
              r"cartel members|cartel leaders|suspects|prisoners|detainees|fugitives|traffickers|drug lords?|" \
              r"gang members|militants|fighters|journalists|activists|ministers|lawmakers|legislators|" \
              r"(?:military\s+|defen[cs]e\s+|naval\s+|air\s+)?(?:advis[eo]rs|attach[eé]s)|heads\s+of\s+mission)"
QUANTITY = r"(?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|dozens\s+of|hundreds\s+of|several|many)"
PRONOUNS = WORDS.pronouns


@dataclass
class Actor:
    key: str
    kind: ActorKind
    label: str
    qid: str = ""
    country: str = ""
    linked_by: str = ""  # catalog row (file:line) when the id comes from the catalog
    role: str = ""  # the catalog's usual post (people) or role flag (places: capital, seat; orgs: media)


@dataclass
class Mention:
    start: int
    end: int
    text: str
    key: str
    kind: ActorKind
    how: str  # name, demonym, metonym, role-name, role-phrase, group, pronoun
    modifier: bool = False  # a state named as an adjective ('US President', 'Colombian leader')
    place: str = ""  # for a capital used as its state ('a raid on Caracas'): the place itself


@dataclass
class Office:
    person: str
    role: str
    country: str
    start: int
    end: int


@dataclass
class Mentions:
    mentions: list[Mention] = field(default_factory=list)
    actors: dict[str, Actor] = field(default_factory=dict)
    offices: list[Office] = field(default_factory=list)
    occupied: bytearray = field(default_factory=bytearray)  # 1 where a mention already claims the character

    def claim(self, start: int, end: int) -> None:
        self.occupied[start:end] = b"\x01" * (end - start)

    def release(self, start: int, end: int) -> None:
        self.occupied[start:end] = bytes(end - start)

    def is_free(self, start: int, end: int) -> bool:
        return self.occupied.find(1, start, end) == -1



class MentionFinder:
    """Compiled patterns for one catalog; `find(text)` gives the mentions of one article."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.names = catalog.names()
        self.demonyms = catalog.demonyms()
        # 'Russiaʼs' (a modifier letter apostrophe, a word character to regex) ends the name too.
        self.name_re = re.compile(r"(?<![\w‑-])(" + trie_pattern(self.names) + r")(?!(?!ʼ)[\w‑-])")
        dem = trie_pattern(self.demonyms)
        # 'Malaysians' are its state too; 'Iranian-backed' names no actor.
        self.dem_re = re.compile(rf"(?<![\w.])({dem})(?:s(?=\s|[,.;]))?(?![\w])(?![-‑](?:backed|led|allied|aligned|"
                                 rf"born|based|made|funded|sponsored|supported)\b)")
        states = trie_pattern({n for n, ids in self.names.items()
                               if any(catalog.entities[i].kind == "state" for i, _ in ids)})
        self.state_adj = rf"(?:(?:{dem})|(?:{states})(?:['’]s)?)"
        # "Colombian President Gustavo Petro", "Republican Senator Bernie Moreno", "State Department spokesman X"
        role_re = trie_pattern({*ROLES, *(r.capitalize() for r in ROLES), *(r.title() for r in ROLES)})
        self.role_word_re = re.compile(rf"{SP}+(?:Press{SP}+)?(?:{role_re})\b")
        # 'a French national': a person the article never names, known by nationality and what they are
        self.unnamed_re = re.compile(rf"\b(?:a|an)\s+(?P<adj>{dem})\s+(?P<what>national|citizen|journalist|"
                                     rf"diplomat|aid\s+worker|tourist|student|businessman|businesswoman|academic)\b")
        self.role_name_re = re.compile(
            rf"(?:(?P<adj>{self.state_adj}){SP}+)?(?:(?P<org>State Department|Foreign Ministry){SP}+)?"
            rf"(?:{PARTY}{SP}+)?(?P<role>{role_re})(?:{SP}+of{SP}+(?P<of>{states}))?"
            rf"(?:{SP}+to{SP}+(?:the{SP}+)?(?P<to>{states}))?,?{SP}+(?P<name>{NAME})")
        # "German Ambassador in Beijing", "Pakistan Foreign Secretary", "State Department Press Spokesperson": the
        # title right before a name the parser found (words between the state and the role are part of the title).
        self.title_re = re.compile(
            rf"(?:(?P<adj>{self.state_adj})(?:['’]s)?{SP}+)?(?:[A-Z][\w.-]*{SP}+){{0,3}}(?P<role>{role_re})"
            rf"(?:{SP}+(?:in|to|of|at){SP}+(?:the{SP}+)?(?P<of>{states})?[\w ]{{0,20}}?)?,?{SP}+$")
        # "Gustavo Petro, the President of Colombia" / "Daniel García-Peña, Colombia's ambassador"
        self.name_role_re = re.compile(
            rf"(?P<name>{NAME}),{SP}+(?:the{SP}+|a{SP}+|his{SP}+|her{SP}+)?(?:(?P<adj>{self.state_adj}){SP}+)?"
            rf"(?P<role>{role_re})(?:{SP}+of{SP}+(?:the{SP}+)?(?P<of>{states}))?(?=[\s,.;])"
            rf"(?!{SP}+[A-ZÁÉÍÓÚÑ][a-zà-ÿ])")  # 'X, Indian Prime Minister Narendra Modi': the role is Modi's
        # "the Colombian leader", "his US counterpart", "the two leaders"
        self.role_phrase_re = re.compile(
            rf"\b(?P<det>the|his|her|its|their){SP}+(?:(?P<adj>{self.state_adj}){SP}+)?(?P<role>leader|president|"
            rf"head of state|counterpart|foreign minister|prime minister|chancellor|premier|ambassador|envoy|"
            rf"defen[cs]e minister|"
            rf"interior minister|foreign secretary|high commissioner)\b", re.I)
        self.pair_re = re.compile(r"\b(?:the two|both)\s+(?:leaders|presidents|heads of state|men)\b", re.I)
        self.group_re = re.compile(
            rf"\b(?:(?P<poss>his|her|{NAME}['’]s)\s+)?(?P<qual>(?:{QUANTITY}\s+(?:[a-z][\w-]*\s+)?)?(?:(?:{dem})\s+)?"
            rf"(?:(?:government|senior|cabinet|top|military|security|far-right|hard-line|hardline)\s+)?)"
            rf"(?P<group>(?:{GROUP_NOUNS}|(?:accused|alleged|former)\s+{GROUP_NOUNS})"
            rf"(?:\s+and\s+{GROUP_NOUNS})?)\b")

    # -- actors
    def _catalog_actor(self, e: Entity) -> Actor:
        return Actor(e.id, e.kind, e.label, e.qid, e.country, e.source, e.role)

    def _new_actor(self, kind: ActorKind, label: str, country: str = "") -> Actor:
        return Actor(f"new:{kind}:{slug(label)}", kind, label, "", country)

    def find(self, text: str, doc: Doc | None = None) -> Mentions:
        """The mentions of one text; `doc` (its parse) adds the people the catalog and the patterns miss."""
        out = Mentions(occupied=bytearray(len(text)))
        free = out.is_free

        def add(m: Mention, actor: Actor) -> None:
            out.mentions.append(m)
            out.actors.setdefault(actor.key, actor)
            out.claim(m.start, m.end)

        # 1. Role + name patterns first: they give offices, and vouch for ambiguous names.
        for pattern in (self.role_name_re, self.name_role_re):
            for m in pattern.finditer(text):
                self._role_name(m, text, out, add, free)
        # 1a. People the parser names (PERSON), with the title written before them when there is one.
        if doc is not None:
            self._ner_people(text, doc, out, add, free)
        # 1a'. Organs of states the catalog lacks ('the Security Committee (NSC)', 'Nigerien Foreign Ministry').
        if doc is not None:
            self._ner_organs(text, doc, out, add, free)
        # 1b. People named in full once are named by one of their names afterwards ('Milei', 'Lula').
        self._short_names(text, out, add, free)
        # 2. Catalog names and aliases; 3. demonyms ('Colombian', 'American'): states as adjectives.
        self._catalog_names(text, out, add, free)
        self._demonyms(text, add, free)
        out.mentions.sort(key=lambda x: x.start)
        # 4. Role phrases, pairs, groups and pronouns resolve to actors already found.
        self._role_phrases(text, out, add, free)
        self._groups(text, out, add, free)
        self._unnamed_people(text, out, add, free)
        self._pronouns(text, out, add, free)
        out.mentions.sort(key=lambda x: x.start)
        return out

    def _catalog_names(self, text: str, out: Mentions, add, free) -> None:
        for m in self.name_re.finditer(text):
            a, b = m.span()
            if not free(a, b):
                continue
            candidates = self.names[m.group(1)]
            entity_id, ambiguous = candidates[0]
            if ambiguous or len({c for c, _ in candidates}) > 1:
                # An ambiguous name stands alone here (no role vouched for it): an unlinked actor of its own.
                add(Mention(a, b, m.group(1), f"new:person:{slug(m.group(1))}", "person", "name"),
                    self._new_actor("person", m.group(1)))
                continue
            e = self.catalog.entities[entity_id]
            actor = self._catalog_actor(e)
            kind, key, how, place = e.kind, e.id, "name", ""
            if e.kind == "place" and e.role in ("capital", "seat") and e.country and not _is_location(text, a, b):
                state = self.catalog.entities[e.country]
                actor, kind, key, how, place = self._catalog_actor(state), "state", state.id, "metonym", e.id
                out.actors.setdefault(e.id, self._catalog_actor(e))
            modifier = kind == "state" and _is_modifier(text, b)
            add(Mention(a, b, m.group(1), key, kind, how, modifier, place), actor)

    def _demonyms(self, text: str, add, free) -> None:
        for m in self.dem_re.finditer(text):
            a, b = m.span()
            if free(a, b):
                state = self.catalog.entities[self.demonyms[m.group(1)]]
                if b - a > len(m.group(1)):  # 'Indians': the people of a state, a group of their own
                    people = Actor(f"new:group:{slug(m.group())}", "group", m.group(), "", state.id)
                    add(Mention(a, b, m.group(), people.key, "group", "group"), people)
                    continue
                add(Mention(a, b, m.group(), state.id, "state", "demonym", True), self._catalog_actor(state))

    def _role_name(self, m: re.Match[str], text: str, out: Mentions, add, free) -> None:
        name = _trim_name(m.group("name"))
        if not name:
            return
        name_start = m.start("name")
        name_end = name_start + len(name)
        role = ROLES[m.group("role").lower()]
        if m.group("role")[0].islower() and not m.group("adj") and role not in ("ambassador", "spokesperson"):
            return  # "the leader Petro" is rare; lower-case role words are mostly prose
        adj = m.group("adj") or m.group("of") or ""
        country = self._state_of_phrase(adj)
        if any(self.catalog.entities[i].kind != "person" for i, _ in self.names.get(name, [])):
            return  # a state, place or organisation the catalog knows is not a person
        entity = self._person_by_name(name, country)
        if entity is not None:
            # 'President Petro Holds Talks': the name is as long as the catalog's.
            known = next(n for n in range(len(name.split()), 0, -1)
                         if self._person_exact(" ".join(name.split()[:n]), country) is not None)
            name = " ".join(name.split()[:known])
            name_end = name_start + len(name)
        elif (name.split()[0] in NOT_NAMES or _in_title_case_line(text, name_start)
              or any(w in NOT_NAME_WORDS for w in name.split())):
            return
        if entity is not None:
            actor = self._catalog_actor(entity)
            country = country or entity.country
        else:
            if len(name.split()) < 2 and not country:
                return  # a bare capitalised word after a role is too weak to make a person of
            actor = self._new_actor("person", name, country)
        if not free(name_start, name_end):
            return
        add(Mention(name_start, name_end, name, actor.key, "person", "role-name"), actor)
        if "State Department" in (m.groupdict().get("org") or ""):
            country = country or "united-states"
        if country and role != "counterpart":
            out.offices.append(Office(actor.key, role, country, m.start(), m.end()))
        adj_span = m.span("adj") if m.group("adj") else m.span("of") if m.group("of") else None
        if adj_span and free(*adj_span) and country:
            state = self.catalog.entities[country]
            add(Mention(adj_span[0], adj_span[1], text[adj_span[0]:adj_span[1]], country, "state", "demonym", True),
                self._catalog_actor(state))

    def _ner_people(self, text: str, doc: Doc, out: Mentions, add, free) -> None:
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                continue
            name = re.sub(r"['’]s?$", "", ent.text).strip()
            a = ent.start_char
            b = a + len(name)
            words = name.split()
            if not words or not free(a, b) or "\n" in name or not all(w[0].isupper() or w in PARTICLES for w in words):
                continue
            if (words[0] in NOT_NAMES or any(w in NOT_NAME_WORDS for w in words) or _in_title_case_line(text, a)
                    or any(w in self.names or w in self.demonyms for w in [name, *words])):
                continue  # a known actor, a headline, or a word the catalog already gives a meaning
            title = self.title_re.search(text[max(0, a - 90):a])
            country = ""
            if title:
                country = self._state_of_phrase(title.group("adj") or title.group("of") or "")
            if len(words) < 2 and not title:
                continue
            actor = self._new_actor("person", name, country)
            add(Mention(a, b, name, actor.key, "person", "role-name" if title else "name"), actor)
            if title and country:
                role = ROLES[title.group("role").lower()]
                if role != "counterpart":
                    out.offices.append(Office(actor.key, role, country, a - len(title.group()), b))

    def _ner_organs(self, text: str, doc: Doc, out: Mentions, add, free) -> None:
        acronyms: dict[str, Actor] = {}
        for ent in doc.ents:
            if ent.label_ != "ORG" or not ORGAN_WORDS.search(ent.text) or "\n" in ent.text:
                continue
            name = re.sub(r"^(?:the|The)\s+", "", ent.text)
            a = ent.end_char - len(name)
            b = ent.end_char
            if not free(a, b) or name in self.names or _in_title_case_line(text, a) \
                    or self.role_word_re.match(text[b:b + 40]):
                continue  # 'Supreme Court Justice X', 'State Department spokesman X': part of a title
            country = self._organ_state(text, name, a)
            actor = self._new_actor("org", name, country)
            add(Mention(a, b, name, actor.key, "org", "name"), actor)
            acronym = re.match(r"\s*\(([A-Z]{2,6})\)", text[b:b + 10])
            if acronym:
                acronyms[acronym.group(1)] = actor
        for short, actor in acronyms.items():
            for m in re.finditer(rf"(?<![\w‑-]){short}(?![\w‑-])", text):
                if free(*m.span()):
                    add(Mention(m.start(), m.end(), short, actor.key, "org", "name"), actor)

    def _organ_state(self, text: str, name: str, at: int) -> str:
        """The state an organ belongs to: named in it ('Nigerien Foreign Ministry', 'Ministry of Defence of
        Ukraine') or right before it ('Russia's foreign ministry')."""
        for word in re.findall(r"[A-Z][\w‑-]*(?:\s+[A-Z][\w‑-]*)?", name):
            state = self._state_of_phrase(word) or self._state_of_phrase(word.split()[0])
            if state:
                return state
        before = re.search(r"([A-Z][\w‑-]*(?:\s+[A-Z][\w‑-]*)?)(?:['’]s)?\s+$", text[max(0, at - 30):at])
        return self._state_of_phrase(before.group(1)) if before else ""

    def _short_names(self, text: str, out: Mentions, add, free) -> None:
        """Later mentions of people the catalog does not know, by one word of their full name."""
        owners: dict[str, set[str]] = {}
        for actor in out.actors.values():
            if actor.kind != "person" or not actor.key.startswith("new:"):
                continue
            for word in actor.label.split():
                if len(word) >= 3 and word[0].isupper() and word not in NOT_NAMES and word not in self.names:
                    owners.setdefault(word, set()).add(actor.key)
        if not owners:
            return
        pattern = re.compile(r"(?<![\w‑-])(" + trie_pattern(owners) + r")(?![\w‑-])")
        for m in pattern.finditer(text):
            a, b = m.span()
            if not free(a, b):
                continue
            # 'Duterte' after 'Rodrigo Duterte' and 'Sara Duterte': whoever of them was named last before it
            named = [x for x in out.mentions if x.key in owners[m.group(1)] and x.end <= a]
            key = max(named, key=lambda x: x.end).key if named else min(owners[m.group(1)])
            add(Mention(a, b, m.group(1), key, "person", "name"), out.actors[key])

    def _person_by_name(self, name: str, country: str = "") -> Entity | None:
        """A catalog person for the name; ambiguous aliases count here, because a role vouches for them. When
        the role names a country, only a person of that country will do."""
        words = name.split()
        for n in range(len(words), 0, -1):
            found = self._person_exact(" ".join(words[:n]), country)
            if found is not None:
                return found
        return None

    def _person_exact(self, name: str, country: str = "") -> Entity | None:
        for candidate in (name, name.replace("‑", "-")):
            people = [self.catalog.entities[i] for i, _ in self.names.get(candidate, [])
                      if self.catalog.entities[i].kind == "person"]
            if country:
                people = [e for e in people if not e.country or e.country == country]
            if people:
                return people[0]
        return None

    def _state_of_phrase(self, phrase: str) -> str:
        phrase = re.sub(r"['’]s$", "", phrase.strip())
        if not phrase:
            return ""
        if phrase in self.demonyms:
            return self.demonyms[phrase]
        for entity_id, _ in self.names.get(phrase, []):
            e = self.catalog.entities[entity_id]
            if e.kind == "state":
                return e.id
        return ""

    def _role_phrases(self, text: str, out: Mentions, add, free) -> None:
        people = _people_by_salience(out)
        for m in self.role_phrase_re.finditer(text):
            a, b = m.span()
            inner = [x for x in out.mentions if x.start >= a and x.end <= b]
            if any(not x.modifier for x in inner):
                continue
            if re.match(r"\s+(?:of\s+)?" + NAME_WORD, text[b:b + 40]) and \
                    re.match(r"\s+" + NAME, text[b:b + 40]) and not m.group("adj"):
                continue
            role = m.group("role").lower()
            country = self._state_of_phrase(m.group("adj") or "")
            key = self._resolve_role(role, country, people, out, a)
            if not key and country and role in UNNAMED_OFFICIALS:
                # 'the Russian ambassador' whom the article never names: an official known by post and state.
                key = self._new_actor("person", f"{m.group('adj')} {role}", country).key
                out.actors.setdefault(key, self._new_actor("person", f"{m.group('adj')} {role}", country))
            if key:
                for x in inner:  # the demonym inside is part of the phrase now
                    out.mentions.remove(x)
                    out.release(x.start, x.end)
                add(Mention(a, b, m.group(), key, "person", "role-phrase"), out.actors[key])
        for m in self.pair_re.finditer(text):
            a, b = m.span()
            if free(a, b) and len(people) >= 2:
                for key in people[:2]:
                    out.mentions.append(Mention(a, b, m.group(), key, "person", "pair"))
                out.claim(a, b)

    def _resolve_role(self, role: str, country: str, people: list[str], out: Mentions, at: int) -> str:
        def holds_head(key: str) -> bool:
            actor = out.actors[key]
            if any(o.person == key and o.role in HEAD_ROLES for o in out.offices):
                return True
            post = self.catalog.get(actor.role) if actor.role else None
            return bool(post and post.role in HEAD_ROLES)

        if role == "counterpart":
            if country:
                candidates = [k for k in people if out.actors[k].country == country]
                return candidates[0] if candidates else ""
            subject = _nearest_person(out, at)
            others = [k for k in people[:2] if k != subject]
            return others[0] if others else ""
        if not country:
            # 'the chancellor': the one person of the article who holds that post, whatever the state
            post = ROLES.get(role, role)
            holders = {o.person for o in out.offices if o.role == post and o.person in people}
            return next(iter(holders)) if len(holders) == 1 and post not in ("leader", "president") else ""
        candidates = [k for k in people if out.actors[k].country == country and holds_head(k)]
        if role not in ("leader", "president", "head of state", "prime minister", "chancellor", "premier"):
            post = ROLES.get(role, role)
            candidates = [k for k in people if any(o.person == k and o.role == post and o.country == country
                                                   for o in out.offices)]
        return candidates[0] if len(candidates) >= 1 else ""

    def _groups(self, text: str, out: Mentions, add, free) -> None:
        for m in self.group_re.finditer(text):
            a, b = m.span("group")
            if not free(a, b):
                continue
            # 'five Colombian officials': the group's label includes its qualifiers, while 'Colombian' stays a
            # mention of its state too (a statement to 'American soldiers' is addressed to the United States).
            a = m.start("qual") if m.group("qual") else a
            owner = ""
            poss = m.group("poss")
            if poss and poss.lower() in ("his", "her"):
                owner = _nearest_person(out, m.start())
            elif poss:
                hits = [x for x in out.mentions if x.start == m.start() and x.kind == "person"]
                owner = hits[0].key if hits else ""
                if not owner:
                    continue
            elif re.match(r"(?:family|families|relatives|associates|family members)\b", m.group("group")):
                owner = _nearest_person(out, m.start())
            label = text[a:b] if m.group("qual") else m.group("group")
            if owner:
                surname = out.actors[owner].label.split()[-1] if out.actors[owner].kind == "person" else \
                    out.actors[owner].label
                if out.actors[owner].qid or owner in self.catalog.entities:
                    e = self.catalog.entities.get(owner)
                    surname = _short_name(e) if e else surname
                label = f"{surname}'s {label}"
            country = out.actors[owner].country if owner else self.demonyms.get(m.group("qual").split()[-1], "") \
                if m.group("qual") else ""
            actor = Actor(f"new:group:{slug(label)}", "group", label, "", country)
            start = a if not owner or not poss else m.start()
            out.mentions.append(Mention(start, b, text[start:b], actor.key, "group", "group"))
            out.actors.setdefault(actor.key, actor)
            out.claim(m.start("group"), b)

    def _unnamed_people(self, text: str, out: Mentions, add, free) -> None:
        for m in self.unnamed_re.finditer(text):
            a, b = m.start("adj"), m.end()
            inner = [x for x in out.mentions if a <= x.start and x.end <= b]
            if any(not x.modifier for x in inner):
                continue
            for x in inner:  # the demonym is part of the description now
                out.mentions.remove(x)
                out.release(x.start, x.end)
            actor = self._new_actor("person", f"{m.group('adj')} {m.group('what')}", self.demonyms[m.group("adj")])
            add(Mention(a, b, actor.label, actor.key, "person", "role-phrase"), actor)

    def _pronouns(self, text: str, out: Mentions, add, free) -> None:
        for m in re.finditer(r"\b(he|He|him|his|His|she|She|her|Her)\b", text):
            a, b = m.span()
            if not free(a, b):
                continue
            key = ""
            if m.group(1) in ("He", "She", "His", "Her") and _sentence_initial(text, a):
                # A sentence-opening 'He' continues the previous sentence's subject, not its object.
                key = _first_person_of_previous_sentence(out, text, a)
            key = key or _nearest_person(out, a)
            if key:
                add(Mention(a, b, m.group(), key, "person", "pronoun"), out.actors[key])


FUNCTION_WORDS = WORDS.function_words


def trie_pattern(words: Iterable[str]) -> str:
    """One regex alternation shaped as a trie ('Gustavo Petro|Gustavo Petro Urrego' shares its prefix), longest
    alternatives first: much faster to match than a flat list of hundreds of names."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)


def _in_title_case_line(text: str, at: int) -> bool:
    """Headlines capitalise every content word, so capitalised words there are no evidence of a name."""
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    return title_case(text[line_start:line_end if line_end >= 0 else None])


def title_case(line: str) -> bool:
    """Whether a line is written as a headline: every content word capitalised ('met', 'discuss' make prose)."""
    words = re.findall(r"[A-Za-zÀ-ÿ'’-]+", line)
    content = [w for w in words if len(w) >= 3 and w.lower() not in FUNCTION_WORDS]
    return len(content) >= 4 and all(w[0].isupper() for w in content)


def _sentence_initial(text: str, at: int) -> bool:
    return bool(re.search(r"(?:^|[.!?][\"'”’)]*\s+|\n\s*)$", text[max(0, at - 6):at]))


def _first_person_of_previous_sentence(out: Mentions, text: str, at: int) -> str:
    ends = [m.end() for m in re.finditer(r"[.!?][\"'”’)]*\s+|\n", text[:at])]
    if len(ends) < 2:
        return ""
    start, end = ends[-2], ends[-1]
    people = sorted((m for m in out.mentions if m.kind == "person" and start <= m.start < end and m.how != "pair"),
                    key=lambda m: m.start)
    return people[0].key if people else ""


def _short_name(e: Entity) -> str:
    """The shortest one-word alias of a person (their surname, as news writes it), or the last word of the label."""
    one_word = [a for a in e.aliases if " " not in a and a[0].isupper() and a != e.label]
    return min(one_word, key=len) if one_word else e.label.split()[-1]


def _nearest_person(out: Mentions, at: int) -> str:
    before = [m for m in out.mentions if m.kind == "person" and m.end <= at and m.how != "pair"]
    return max(before, key=lambda m: m.end).key if before else ""


def _people_by_salience(out: Mentions) -> list[str]:
    counts = Counter(m.key for m in out.mentions if m.kind == "person")
    first: dict[str, int] = {}
    for m in out.mentions:
        first.setdefault(m.key, m.start)
    return sorted(counts, key=lambda k: (-counts[k], first[k]))


def _trim_name(name: str) -> str:
    words = name.split()
    while words and words[-1] in NOT_NAMES:
        words.pop()
    # A name ends before a following capitalised role or organisation word.
    for i, w in enumerate(words):
        if w in NOT_NAMES and i > 0:
            words = words[:i]
            break
    return " ".join(words).rstrip(".,")


def _is_location(text: str, start: int, end: int) -> bool:
    """'in Washington', 'to Bogotá', 'streets of Bogotá': the place, not the government."""
    before = text[max(0, start - 30):start].lower()
    return bool(re.search(r"\b(in|to|at|from|into|near|across|around|visit|visiting|visited|"
                          r"streets of|left|reach|reached|arrive|arrived|landed in)\s+(the\s+)?$", before))


def _is_modifier(text: str, end: int) -> bool:
    """A state name used as an adjective: 'US President', 'US forces', 'U.S.-Colombia tensions'."""
    return bool(re.match(r"[\s‑-]+(?:[A-Z][a-z]+\s+)?(?:President|Vice|Secretary|Senator|leader|military|forces|"
                         r"troops|officials|Embassy|embassy|government|administration|strikes|deportation|"
                         r"support|capture|raid|sanctions|citizens|[A-Z][a-z]+-)", text[end:end + 30]))
