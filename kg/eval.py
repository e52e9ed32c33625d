"""Score extracted events against gold facts, by the matching rules of EVALUATION.md."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .articles import Article


def norm(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(text.replace("-", " ").replace(".", "").split())


@dataclass
class Gold:
    article: str
    events: list[dict[str, Any]]
    aliases: dict[str, set[str]]  # normalised name -> normalised names of the same entity
    kinds: dict[str, str]


@dataclass
class Score:
    article: str
    tp: int = 0
    fp: int = 0
    neutral: int = 0
    required: int = 0
    date_ok: int = 0
    date_n: int = 0
    modality_ok: int = 0
    modality_n: int = 0
    false_positives: list[dict[str, Any]] = field(default_factory=list)
    missed: list[dict[str, Any]] = field(default_factory=list)
    wrong_dates: list[tuple[str, str, str | None]] = field(default_factory=list)
    wrong_modalities: list[tuple[str, str, str | None]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.required if self.required else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def date_accuracy(self) -> float:
        return self.date_ok / self.date_n if self.date_n else 1.0

    @property
    def modality_accuracy(self) -> float:
        return self.modality_ok / self.modality_n if self.modality_n else 1.0

    def add(self, other: Score) -> None:
        for k in ("tp", "fp", "neutral", "required", "date_ok", "date_n", "modality_ok", "modality_n"):
            setattr(self, k, getattr(self, k) + getattr(other, k))


def load_gold(path: Path) -> Gold:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    aliases: dict[str, set[str]] = {}
    kinds: dict[str, str] = {}
    for e in data.get("entities") or []:
        names = {norm(e["label"]), *(norm(a) for a in e.get("aliases") or [])}
        for n in names:
            aliases.setdefault(n, set()).update(names)
        kinds[norm(e["label"])] = e.get("kind", "")
    return Gold(str(data["article"]), data.get("events") or [], aliases, kinds)


def _gold_actors(e: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for key in ("participants", "agent", "target"):
        v = e.get(key)
        if isinstance(v, list):
            out.extend(v)
        elif v:
            out.append(v)
    return out


def _sys_actors(e: dict[str, Any]) -> list[dict[str, Any]]:
    out = list(e.get("participants") or [])
    if e.get("agent"):
        out.append(e["agent"])
    t = e.get("target")
    out.extend(t if isinstance(t, list) else [t] if t else [])
    return out


def _same_actor(gold_name: str, actor: dict[str, Any], gold: Gold) -> bool:
    g = norm(gold_name)
    s = norm(actor.get("label") or "")
    names = gold.aliases.get(g, {g})
    if s in names:
        return True
    # By surname for people.
    if gold.kinds.get(g) == "person" and s and any(n.split()[-1] == s.split()[-1] for n in names):
        return True
    return False


def _overlap(gold_event: dict[str, Any], sys_event: dict[str, Any], gold: Gold) -> int:
    g_actors = list(dict.fromkeys(_gold_actors(gold_event)))
    s_actors = _sys_actors(sys_event)
    used: set[int] = set()
    n = 0
    for ga in g_actors:
        for i, sa in enumerate(s_actors):
            if i not in used and _same_actor(ga, sa, gold):
                used.add(i)
                n += 1
                break
    return n


def _matches(gold_event: dict[str, Any], sys_event: dict[str, Any], gold: Gold) -> bool:
    if gold_event["type"] != sys_event["type"]:
        return False
    g_n = len(set(_gold_actors(gold_event)))
    s_n = len(_sys_actors(sys_event))
    return _overlap(gold_event, sys_event, gold) >= min(2, g_n, s_n)


def _source_in(sys_event: dict[str, Any], body: str) -> dict[str, Any] | None:
    for s in sys_event.get("sources") or []:
        ev = s.get("evidence") or ""
        if len(ev) >= 25 and ev in body:
            return s
    return None


def _date_ok(gold_date: str, date: str | None) -> bool:
    if not date:
        return False
    return date == gold_date or (len(date) == 7 and gold_date[:7] == date)


def _date_agreement(gold_date: object, date: str | None) -> int:
    if not gold_date or not date:
        return 1
    return 2 if _date_ok(str(gold_date), date) or str(gold_date)[:7] == date[:7] else 0


def score_article(body: str, gold: Gold, system: list[dict[str, Any]]) -> Score:
    """Match this article's system events to its gold events, each at most once, and count."""
    score = Score(gold.article, required=sum(1 for e in gold.events if not e.get("optional")))
    mine = [(e, src) for e in system if (src := _source_in(e, body)) is not None]
    # Every compatible pair, weighted: required gold first, then agreement on date and modality, then overlap.
    # Pairs are taken heaviest first, so two meetings on different days pair with the right gold events.
    pairs = []
    for si, (e, src) in enumerate(mine):
        date = src.get("date") or e.get("date")
        modality = src.get("modality") or e.get("modality")
        for gi, g in enumerate(gold.events):
            if _matches(g, e, gold):
                weight = (1000 * (not g.get("optional")) + 10 * _date_agreement(g.get("date"), date)
                          + 5 * (g.get("modality") == modality) + _overlap(g, e, gold))
                pairs.append((weight, si, gi))
    taken_sys: dict[int, int] = {}
    taken_gold: set[int] = set()
    for _, si, gi in sorted(pairs, key=lambda x: (-x[0], x[1], x[2])):
        if si not in taken_sys and gi not in taken_gold:
            taken_sys[si] = gi
            taken_gold.add(gi)
    for si, (e, src) in enumerate(mine):
        if si not in taken_sys:
            score.fp += 1
            score.false_positives.append(e)
            continue
        g = gold.events[taken_sys[si]]
        if g.get("optional"):
            score.neutral += 1
            continue
        score.tp += 1
        date = src.get("date") or e.get("date")
        if g.get("date"):
            score.date_n += 1
            if _date_ok(str(g["date"]), date):
                score.date_ok += 1
            else:
                score.wrong_dates.append((g["type"], str(g["date"]), date))
        modality = src.get("modality") or e.get("modality")
        score.modality_n += 1
        if modality == g.get("modality"):
            score.modality_ok += 1
        else:
            score.wrong_modalities.append((g["type"], str(g.get("modality")), modality))
    score.missed = [g for i, g in enumerate(gold.events) if i not in taken_gold and not g.get("optional")]
    return score


def score(articles: list[Article], golds: list[Gold], system: list[dict[str, Any]]) -> list[Score]:
    """Scores per gold article (matched to an article by name, or by its evidence appearing in the body)."""
    out = []
    for gold in golds:
        article = _article_for(gold, articles)
        if article is None:
            continue
        out.append(score_article(article.body, gold, system))
    return out


def _article_for(gold: Gold, articles: list[Article]) -> Article | None:
    for a in articles:
        if Path(a.path).stem == gold.article:
            return a
    for a in articles:
        evidence = [e.get("evidence") or "" for e in gold.events]
        if evidence and all(ev in a.body for ev in evidence if ev):
            return a
    return None
