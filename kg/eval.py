"""Score exported events against gold facts by the matching rules of EVALUATION.md.

The rules are the reference scorer's (../shared/tools/score_events.py), so `kg eval` gives its figures: an
event belongs to an article by its evidence, is scored there on that source's own date and modality, and
matches a gold event of the same type whose actors it shares (names, gold aliases, Wikidata ids, surnames,
and the state an official or organ acts for).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

Event = dict[str, Any]
GoldFile = dict[str, Any]


@dataclass(frozen=True)
class Words:
    """The scoring rules' words: titles dropped from names, organs and demonyms naming a state."""

    titles: re.Pattern[str]
    organs: dict[str, str]
    demonyms: dict[str, str]


@lru_cache(maxsize=2)
def words(lang: str = "en") -> Words:
    data = yaml.safe_load(resources.files("kg").joinpath("lang", lang, "scoring.yaml").read_text(encoding="utf-8"))
    titles = re.compile(r"\b(" + "|".join(re.escape(w) for w in data["title_words"]) + r")\b")
    return Words(titles, dict(data["organs"]), dict(data["demonyms"]))


def norm(name: str | None) -> str:
    """A name as compared: ASCII, lower case, no punctuation, no titles."""
    s = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    s = re.sub(r"[^a-z0-9 ]+", " ", s)
    s = words().titles.sub(" ", s)
    return " ".join(s.split())


def as_list(x: Any) -> list[Any]:
    if x is None:
        return []
    return x if isinstance(x, list) else [x]


def load_reference(tsv: Path | None) -> dict[str, str]:
    """Normalised label or alias -> Wikidata id, from a reference table (label, qid, kind, aliases, ...)."""
    table: dict[str, str] = {}
    if not tsv or not Path(tsv).exists():
        return table
    for i, line in enumerate(Path(tsv).read_text(encoding="utf-8").splitlines()):
        if i == 0 or not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) < 2 or not cols[1]:
            continue
        aliases = cols[3].split(";") if len(cols) > 3 else []
        for name in [cols[0], *aliases]:
            if name.strip():
                table.setdefault(norm(name), cols[1])
    return table


def load_gold(path: Path) -> GoldFile:
    """One gold file; its `article` defaults to the file's name."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    data.setdefault("_key", path.stem)
    return data


class Actors:
    """The names by which one article's gold entities may be called."""

    def __init__(self, gold: GoldFile, ref: dict[str, str]) -> None:
        self.names: dict[str, str] = {}  # normalised name -> gold label
        self.qid: dict[str, str] = {}  # gold label -> Wikidata id
        for ent in gold.get("entities") or []:
            label = ent["label"]
            for name in [label, *(ent.get("aliases") or [])]:
                self.names.setdefault(norm(name), label)
            q = ref.get(norm(label))
            if q:
                self.qid[label] = q

    def canon(self, actor: Any) -> set[str]:
        """The gold labels a system actor ({label, wikidata}) may denote."""
        if isinstance(actor, str):
            actor = {"label": actor}
        label = norm(actor.get("label", ""))
        qid = actor.get("wikidata") or actor.get("qid")
        hits = set()
        if label in self.names:
            hits.add(self.names[label])
        if qid:
            hits |= {g for g, q in self.qid.items() if q == qid}
        if not hits and label:
            toks = set(label.split())
            for name, g in self.names.items():
                gt = set(name.split())
                if gt and toks and (toks <= gt or gt <= toks) and any(len(t) >= 4 for t in toks & gt):
                    hits.add(g)
        return hits


def _state_named_in(text: str, states: dict[str, str]) -> str | None:
    """The state named first in a text: by name, alias, demonym or a well-known organ."""
    t = f" {norm(text)} "
    hits = [(t.index(f" {name} "), -len(name), st) for name, st in states.items() if name and f" {name} " in t]
    known = set(states.values())
    w = words()
    for table in (w.demonyms, w.organs):
        hits += [(t.index(f" {word} "), -len(word), st) for word, st in table.items()
                 if f" {word} " in t and st in known]
    return min(hits)[2] if hits else None


def state_of_agent(label: str, gold: GoldFile) -> str | None:
    """The gold state that an official (by the post the gold gives) or an organ acts for, or None."""
    states: dict[str, str] = {}
    for e in gold.get("entities") or []:
        if e.get("kind") == "state":
            for name in [e["label"], *(e.get("aliases") or [])]:
                states[norm(name)] = e["label"]
    n = norm(label)
    for office in gold.get("offices") or []:
        if norm(office.get("person", "")) == n:
            st = _state_named_in(office.get("post", ""), states)
            if st:
                return st
    ent = next((e for e in gold.get("entities") or [] if e["label"] == label), None)
    if ent and ent.get("kind") in ("organisation", "group"):
        return _state_named_in(label, states)
    return None


def gold_actors(ev: Event) -> set[str]:
    return set(as_list(ev.get("participants")) + as_list(ev.get("agent")) + as_list(ev.get("target")))


def _system_actors(ev: Event, actors: Actors) -> set[str]:
    out: set[str] = set()
    for a in as_list(ev.get("participants")) + as_list(ev.get("agent")) + as_list(ev.get("target")):
        if a:
            out |= actors.canon(a)
    return out


def overlap(sys_ev: Event, gold_ev: Event, actors: Actors, gold: GoldFile) -> tuple[int, int, int]:
    """Gold actors the system event names (an organ or official counting for its state, both ways), and the
    sizes of the two actor sets."""
    g = gold_actors(gold_ev)
    s = _system_actors(sys_ev, actors)
    hit = len(g & s)
    for a in as_list(gold_ev.get("agent")):  # an organ or official named by the gold, matched by its state
        st = state_of_agent(a, gold)
        if a not in s and st and st in s and st not in g:
            hit += 1
    kinds = {e["label"]: e.get("kind") for e in gold.get("entities") or []}
    spare = [x for x in s - g if kinds.get(x) != "state"]
    for a in g - s:  # a state named by the gold, matched by an official or organ acting for it
        if kinds.get(a) == "state":
            acting = next((x for x in spare if state_of_agent(x, gold) == a), None)
            if acting:
                spare.remove(acting)
                hit += 1
    return hit, len(g), len(s)


def matches(sys_ev: Event, gold_ev: Event, actors: Actors, gold: GoldFile) -> bool:
    if sys_ev.get("type") != gold_ev.get("type"):
        return False
    hit, ng, ns = overlap(sys_ev, gold_ev, actors, gold)
    return hit >= max(1, min(2, ng, ns))


def date_ok(sys_ev: Event, gold_ev: Event) -> bool | None:
    """None when the gold date is unknown; else exact, or the same month when the system gives a month."""
    g, s = gold_ev.get("date"), sys_ev.get("date")
    if not g:
        return None
    return bool(s) and (str(s) == str(g) or str(g).startswith(str(s)) and len(str(s)) >= 7)


@dataclass
class Score:
    """Counts over one article or a whole set, and what went wrong."""

    article: str
    tp: int = 0
    fp: int = 0
    neutral: int = 0
    required: int = 0
    date_ok: int = 0
    date_n: int = 0
    modality_ok: int = 0
    false_positives: list[Event] = field(default_factory=list)
    missed: list[Event] = field(default_factory=list)
    wrong_dates: list[tuple[str, str, str | None]] = field(default_factory=list)
    wrong_modalities: list[tuple[str, str, str | None]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return round(self.tp / (self.tp + self.fp), 3) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return round(self.tp / self.required, 3) if self.required else 0.0

    @property
    def f1(self) -> float:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / self.required if self.required else 0.0
        return round(2 * p * r / (p + r), 3) if p + r else 0.0

    @property
    def date_accuracy(self) -> float:
        return round(self.date_ok / self.date_n, 3) if self.date_n else 0.0

    @property
    def modality_accuracy(self) -> float:
        return round(self.modality_ok / self.tp, 3) if self.tp else 0.0

    def add(self, other: Score) -> None:
        for k in ("tp", "fp", "neutral", "required", "date_ok", "date_n", "modality_ok"):
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def figures(self) -> dict[str, float]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1,
                "date_accuracy": self.date_accuracy, "modality_accuracy": self.modality_accuracy}


def place_events(bodies: dict[str, str], events: list[Event]) -> dict[str, list[Event]]:
    """Each article's view of the events whose evidence it contains, with that source's date and modality."""
    per_article: dict[str, list[Event]] = {k: [] for k in bodies}
    for ev in events:
        for src in ev.get("sources") or []:
            evidence = (src.get("evidence") or "").strip()
            if len(evidence) < 25:  # evidence is a sentence, not a name
                continue
            for k, body in bodies.items():
                if evidence in body and not any(e.get("id") == ev.get("id") for e in per_article[k] if "id" in e):
                    view = dict(ev)
                    for key in ("date", "modality"):
                        if key in src:
                            view[key] = src[key]
                    view["_evidence"] = evidence
                    per_article[k].append(view)
    return per_article


def _pair(mine: list[Event], gold_events: list[Event], actors: Actors, gold: GoldFile) -> dict[int, int]:
    """System event index -> gold event index, best pairs first (required, right date, right modality,
    more shared actors), each at most once."""
    pairs = []
    for si, sev in enumerate(mine):
        for gi, g in enumerate(gold_events):
            if matches(sev, g, actors, gold):
                key = (not g.get("optional"), bool(date_ok(sev, g)), sev.get("modality") == g.get("modality"),
                       overlap(sev, g, actors, gold)[0])
                pairs.append((key, si, gi))
    pairs.sort(key=lambda t: t[0], reverse=True)
    taken: dict[int, int] = {}
    for _, si, gi in pairs:
        if si not in taken and gi not in taken.values():
            taken[si] = gi
    return taken


def score_article(name: str, gold: GoldFile, mine: list[Event], ref: dict[str, str]) -> Score:
    """Match one article's system events to its gold events and count."""
    gold_events = gold.get("events") or []
    result = Score(name, required=sum(1 for g in gold_events if not g.get("optional")))
    taken = _pair(mine, gold_events, Actors(gold, ref), gold)
    for si, sev in enumerate(mine):
        if si not in taken:
            result.fp += 1
            result.false_positives.append(sev)
            continue
        g = gold_events[taken[si]]
        if g.get("optional"):
            result.neutral += 1
            continue
        result.tp += 1
        right = date_ok(sev, g)
        if right is not None:
            result.date_n += 1
            result.date_ok += right
            if not right:
                result.wrong_dates.append((g["type"], str(g["date"]), sev.get("date")))
        if sev.get("modality") == g.get("modality"):
            result.modality_ok += 1
        else:
            result.wrong_modalities.append((g["type"], str(g.get("modality")), sev.get("modality")))
    used = set(taken.values())
    result.missed = [g for i, g in enumerate(gold_events) if i not in used and not g.get("optional")]
    return result


def score(bodies: dict[str, str], golds: list[GoldFile], events: list[Event],
          ref: dict[str, str] | None = None) -> list[Score]:
    """Scores per gold file. `bodies` maps an article's file name (without suffix) to its body; a gold file
    names its article, else shares the article's file name."""
    per_article = place_events(bodies, events)
    out = []
    for gold in golds:
        key = gold.get("_key", "")
        mine = per_article.get(str(gold.get("article") or key), per_article.get(key, []))
        out.append(score_article(key, gold, mine, ref or {}))
    return out


def total(scores: list[Score]) -> Score:
    """The set's counts: the sum of its articles'."""
    out = Score("overall")
    for s in scores:
        out.add(s)
    return out
