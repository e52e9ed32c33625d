"""Export the event table (the schema of EVALUATION.md) and the entity table, from SPARQL queries in queries/."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from typing import Any

from .event_types import strongest_modality
from .names import WD, Term
from .resources import resource_dir
from .store import OxigraphStore

QUERIES = resource_dir("queries")


def load_query(name: str) -> str:
    return (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def _v(term: Term | None) -> str | None:
    return None if term is None else term.value  # type: ignore[union-attr]


def actor_table(store: OxigraphStore) -> dict[str, dict[str, Any]]:
    out = {}
    for r in store.select(load_query("actors")):
        wd = _v(r["wikidata"])
        out[_v(r["actor"]) or ""] = {"label": _v(r["label"]), "kind": _v(r["kind"]),
                                     "wikidata": wd[len(WD):] if wd else None}
    return out


def events(store: OxigraphStore) -> list[dict[str, Any]]:
    """One record per event, with all its sources, in the export schema."""
    actors = actor_table(store)
    by_event: dict[str, dict[str, Any]] = {}
    for r in store.select(load_query("export-events")):
        iri = _v(r["event"]) or ""
        e = by_event.setdefault(iri, {"id": iri, "type": _v(r["type"]), "_roles": {}, "_sources": {},
                                      "_places": []})
        graph = _v(r["graph"]) or ""
        if r["role"] is not None:
            e["_roles"].setdefault(_v(r["role"]), {})[_v(r["actor"])] = None
        key = (graph, int(_v(r["start"]) or 0))
        if key not in e["_sources"]:
            e["_sources"][key] = {
                "article": _v(r["article"]), "url": _v(r["url"]), "evidence": _v(r["evidence"]),
                "start": int(_v(r["start"]) or 0), "end": int(_v(r["end"]) or 0),
                "confidence": float(_v(r["confidence"]) or 0), "modality": _v(r["modality"]),
                "date": _v(r["date"]), "earliest": _v(r["earliest"]), "latest": _v(r["latest"])}
        if r["place"] is not None:
            e["_places"].append(_v(r["place"]))
    return [_finish(e, actors) for e in by_event.values()]


def _actor(iri: str | None, actors: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    if iri is None:
        return None
    a = actors.get(iri, {})
    return {"label": a.get("label") or iri.rsplit("/", 1)[-1], "wikidata": a.get("wikidata"), "id": iri}


def _finish(e: dict[str, Any], actors: dict[str, dict[str, Any]]) -> dict[str, Any]:
    roles = e.pop("_roles")
    sources = sorted(e.pop("_sources").values(), key=lambda s: (s["article"], s["start"]))
    places = e.pop("_places")
    e["modality"] = strongest_modality([s["modality"] for s in sources])
    e["participants"] = [_actor(a, actors) for a in roles.get("participant", {})]
    agents = list(roles.get("agent", {}))
    e["agent"] = _actor(agents[0], actors) if agents else None
    targets = [_actor(a, actors) for a in roles.get("target", {})]
    e["target"] = targets[0] if len(targets) == 1 else (targets or None)
    e["subjects"] = [_actor(a, actors) for a in roles.get("subject", {})]
    e["date"], e["earliest"], e["latest"] = _consensus_date(sources)
    e["place"] = _actor(Counter(places).most_common(1)[0][0], actors) if places else None
    e["sources"] = sources
    return e


def _consensus_date(sources: list[dict[str, Any]]) -> tuple[str | None, str | None, str | None]:
    """The date most sources give (per article), preferring the most precise; bounds likewise."""
    per_article: dict[str, dict[str, Any]] = {}
    for s in sources:
        if s["date"] or s["earliest"]:
            per_article.setdefault(s["article"], s)
    if not per_article:
        return None, None, None
    votes = Counter((s["date"], s["earliest"], s["latest"]) for s in per_article.values())
    (date, earliest, latest), _ = max(votes.items(), key=lambda kv: (kv[1], len(kv[0][0] or ""), kv[0][0] or ""))
    if date and len(date) == 4:
        date = None  # the export format has no year-only dates; the bounds keep the year
    return date, earliest, latest


def to_jsonl(records: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def to_csv(records: list[dict[str, Any]]) -> str:
    """The same as a flat table: one row per event and source."""
    out = io.StringIO()
    fields = ["id", "type", "modality", "date", "earliest", "latest", "participants", "agent", "target", "subjects",
              "place", "article", "url", "evidence", "start", "end", "confidence", "source_modality", "source_date"]
    w = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    w.writeheader()

    def names(x: Any) -> str:
        items = x if isinstance(x, list) else [x] if x else []
        return "; ".join(f"{a['label']}" + (f" ({a['wikidata']})" if a.get("wikidata") else "") for a in items)

    for r in records:
        for s in r["sources"]:
            w.writerow({"id": r["id"], "type": r["type"], "modality": r["modality"], "date": r["date"],
                        "earliest": r["earliest"], "latest": r["latest"], "participants": names(r["participants"]),
                        "agent": names(r["agent"]), "target": names(r["target"]), "subjects": names(r["subjects"]),
                        "place": names(r["place"]), "article": s["article"], "url": s["url"],
                        "evidence": s["evidence"], "start": s["start"], "end": s["end"],
                        "confidence": s["confidence"], "source_modality": s["modality"], "source_date": s["date"]})
    return out.getvalue()


def entities(store: OxigraphStore) -> list[dict[str, Any]]:
    """One record per actor: label, kind, Wikidata id, how it was linked, and how many events name it."""
    rows = store.select("""
        SELECT ?actor (COUNT(DISTINCT ?event) AS ?events) WHERE {
          ?event ?role ?actor . VALUES ?role { dip:participant dip:agent dip:target dip:subject } }
        GROUP BY ?actor""")
    counts = {_v(r["actor"]): int(_v(r["events"]) or 0) for r in rows}
    methods = {_v(r["s"]): _v(r["m"]) for r in store.select(
        "SELECT DISTINCT ?s ?m WHERE { ?l a dip:WikidataLink ; dip:linkSubject ?s ; dip:linkMethod ?m }")}
    out = []
    for iri, a in sorted(actor_table(store).items(), key=lambda kv: kv[1]["label"] or ""):
        if a["kind"] in ("post",) or (iri not in counts and not a["wikidata"]):
            continue
        out.append({"id": iri, "label": a["label"], "kind": a["kind"], "wikidata": a["wikidata"],
                    "linked_by": methods.get(iri), "events": counts.get(iri, 0)})
    return out


def entities_csv(records: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=["id", "label", "kind", "wikidata", "linked_by", "events"], lineterminator="\n")
    w.writeheader()
    w.writerows(records)
    return out.getvalue()
