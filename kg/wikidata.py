"""Linking actors to Wikidata: offline from the catalog (written at ingest), online by SPARQL lookup for the rest.

The online path looks up exact English and Spanish labels and aliases on a SPARQL endpoint (Wikidata's public
service by default, or a mirror), keeps the candidates of the right kind (a person is an instance of human, a
state a sovereign state or country), ranks them by how well they fit what the articles say (citizenship, posts
held), links only a candidate that stands alone or clearly ahead, and lists the rest for a person to review.
Lookups are cached on disk, so a second run makes no request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
import urllib.error
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from . import __version__
from .names import BASE, GRAPH, WD, digest, thing
from .rdf import GraphBuilder, LinkMethod, add_link, lit

WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"
LINKS_GRAPH = GRAPH + "links"
REVIEW_GRAPH = GRAPH + "link-review"
USER_AGENT = f"diplograph/{__version__} (knowledge graph of diplomatic events; +{BASE})"
HUMAN, SOVEREIGN_STATE, COUNTRY = "Q5", "Q3624078", "Q6256"
KIND_CLASSES = {"person": {HUMAN}, "state": {SOVEREIGN_STATE, COUNTRY}}

if TYPE_CHECKING:
    from .store import Store


class LookupError_(RuntimeError):
    """The endpoint could not be asked (offline, refused, or failing after retries)."""


@dataclass
class Candidate:
    qid: str
    label: str
    description: str = ""
    classes: set[str] = field(default_factory=set)
    citizenship: set[str] = field(default_factory=set)
    positions: set[str] = field(default_factory=set)
    score: int = 0


@dataclass
class Actor:
    iri: str
    label: str
    kind: str  # person, state, organisation
    country_qid: str = ""
    post_qids: set[str] = field(default_factory=set)


@dataclass
class Decision:
    actor: Actor
    status: str  # linked, ambiguous, none
    chosen: Candidate | None = None
    candidates: list[Candidate] = field(default_factory=list)


class Lookup:
    """SPARQL lookups with a disk cache, a descriptive User-Agent, a rate limit and retries with backoff."""

    def __init__(self, endpoint: str = WIKIDATA_SPARQL, cache: Path | None = None, min_interval: float | None = None,
                 retries: int = 4) -> None:
        self.endpoint = endpoint
        self.cache = cache
        # One request a second to the public service; a local mirror can take them as fast as they come.
        self.min_interval = min_interval if min_interval is not None else (
            1.0 if "wikidata.org" in endpoint else 0.0)
        self.retries = retries
        self.requests = 0
        self._last = 0.0

    def _cache_file(self, query: str) -> Path | None:
        if self.cache is None:
            return None
        key = hashlib.sha256(f"{self.endpoint}\n{query}".encode()).hexdigest()
        return self.cache / f"{key}.json"

    def select(self, query: str) -> list[dict[str, str]]:
        cached = self._cache_file(query)
        if cached is not None and cached.exists():
            return json.loads(cached.read_text(encoding="utf-8"))
        rows = self._ask(query)
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_text(json.dumps(rows), encoding="utf-8")
        return rows

    def _ask(self, query: str) -> list[dict[str, str]]:
        from SPARQLWrapper import JSON, POST, SPARQLWrapper

        delay = 2.0
        for attempt in range(self.retries + 1):
            wait = self._last + self.min_interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            sparql = SPARQLWrapper(self.endpoint, agent=USER_AGENT)
            sparql.setQuery(query)
            sparql.setMethod(POST)
            sparql.setReturnFormat(JSON)
            sparql.setTimeout(60)
            self._last = time.monotonic()
            self.requests += 1
            try:
                result = sparql.queryAndConvert()
            except urllib.error.HTTPError as e:
                if e.code in (429, 503) and attempt < self.retries:
                    retry_after = e.headers.get("Retry-After") if e.headers else None
                    time.sleep(float(retry_after) if retry_after and retry_after.isdigit() else delay)
                    delay *= 2
                    continue
                raise LookupError_(f"{self.endpoint} answered HTTP {e.code}: {e.reason}") from None
            except urllib.error.URLError as e:
                raise LookupError_(f"cannot reach {self.endpoint} ({e.reason}); are you offline? "
                                   "Use --endpoint for a local mirror") from None
            except Exception as e:  # SPARQLWrapper wraps HTTP errors in its own exception types
                code = getattr(getattr(e, "__cause__", None), "code", None)
                if code in (429, 503) and attempt < self.retries:
                    time.sleep(delay)
                    delay *= 2
                    continue
                raise LookupError_(f"{self.endpoint}: {e}") from None
            assert isinstance(result, dict)
            return [{k: v["value"] for k, v in b.items()} for b in result["results"]["bindings"]]
        raise LookupError_(f"{self.endpoint} kept answering 429/503 after {self.retries} retries")


def _literal(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def candidates_query(label: str) -> str:
    lit_ = _literal(label)
    return f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
SELECT ?item ?label ?description ?class ?citizenship ?position WHERE {{
  VALUES ?name {{ {lit_}@en {lit_}@es }}
  {{ ?item rdfs:label ?name }} UNION {{ ?item skos:altLabel ?name }}
  OPTIONAL {{ ?item rdfs:label ?label FILTER(LANG(?label) = "en") }}
  OPTIONAL {{ ?item schema:description ?description FILTER(LANG(?description) = "en") }}
  OPTIONAL {{ ?item wdt:P31 ?class }}
  OPTIONAL {{ ?item wdt:P27 ?citizenship }}
  OPTIONAL {{ ?item wdt:P39 ?position }}
}} LIMIT 200"""


def _qid(iri: str) -> str:
    return iri[len(WD):] if iri.startswith(WD) else iri


def candidates(lookup: Lookup, actor: Actor) -> list[Candidate]:
    found: dict[str, Candidate] = {}
    for row in lookup.select(candidates_query(actor.label)):
        qid = _qid(row["item"])
        if not qid.startswith("Q"):
            continue
        c = found.setdefault(qid, Candidate(qid, row.get("label", actor.label), row.get("description", "")))
        for key, target in (("class", c.classes), ("citizenship", c.citizenship), ("position", c.positions)):
            if row.get(key):
                target.add(_qid(row[key]))
    return list(found.values())


def decide(actor: Actor, found: list[Candidate]) -> Decision:
    """Keep candidates of the actor's kind, score them by context, link one that stands alone or clearly ahead."""
    wanted = KIND_CLASSES.get(actor.kind)
    if wanted is not None:
        fitting = [c for c in found if c.classes & wanted]
    else:  # an organisation: anything that is not a human or a state
        fitting = [c for c in found if c.classes and not c.classes & {HUMAN, SOVEREIGN_STATE, COUNTRY}]
    for c in fitting:
        c.score = (2 if actor.country_qid and actor.country_qid in c.citizenship else 0) + \
                  (3 if actor.post_qids & c.positions else 0) - \
                  (1 if actor.country_qid and c.citizenship and actor.country_qid not in c.citizenship else 0)
    fitting.sort(key=lambda c: (-c.score, c.qid))
    if not fitting:
        return Decision(actor, "none", candidates=found)
    if len(fitting) == 1 and fitting[0].score >= 0:
        return Decision(actor, "linked", fitting[0], fitting)
    if len(fitting) > 1 and fitting[0].score >= 2 and fitting[0].score > fitting[1].score:
        return Decision(actor, "linked", fitting[0], fitting)
    return Decision(actor, "ambiguous", candidates=fitting)


def unlinked_actors(store: Store) -> list[Actor]:
    """People, states and organisations in the graph with no Wikidata link, with the context the articles give."""
    rows = store.select("""
        SELECT ?actor ?kind (SAMPLE(?l) AS ?label) (SAMPLE(?countryQid) AS ?country)
               (GROUP_CONCAT(DISTINCT STR(?postQid); separator=" ") AS ?posts)
        WHERE {
          ?actor a ?cls . VALUES (?cls ?kind) { (dip:Person "person") (dip:State "state")
                                                (dip:Organisation "organisation") }
          ?actor rdfs:label ?l . FILTER(LANG(?l) = "en")
          FILTER NOT EXISTS { ?actor owl:sameAs ?any }
          OPTIONAL { ?actor dip:country/owl:sameAs ?countryQid }
          OPTIONAL { ?actor org:holds/owl:sameAs ?postQid }
        } GROUP BY ?actor ?kind""")
    out = []
    for r in rows:
        posts = {_qid(p) for p in (r["posts"].value.split() if r["posts"] else [])}
        out.append(Actor(r["actor"].value, r["label"].value, r["kind"].value,
                         _qid(r["country"].value) if r["country"] else "", posts))
    return sorted(out, key=lambda a: a.label)


def link_quads(actor_iri: str, qid: str, method: LinkMethod, source: str, note: str = "") -> list[ox.Quad]:
    """owl:sameAs plus the record of how the link was made, in the links graph."""
    g = GraphBuilder(LINKS_GRAPH)
    add_link(g, actor_iri, qid, method, source, dt.datetime.now(dt.UTC).replace(microsecond=0), note)
    return g.quads


def review_quads(decision: Decision, endpoint: str) -> list[ox.Quad]:
    """Ambiguous candidates, kept for `kg link --review`."""
    g = GraphBuilder(REVIEW_GRAPH)
    for c in decision.candidates:
        node = thing("link-candidate", digest(decision.actor.iri, c.qid))
        g.type(node, "dip:LinkCandidate")
        g.add(node, "dip:linkSubject", decision.actor.iri)
        g.add(node, "dip:linkTarget", WD + c.qid)
        g.add(node, "rdfs:label", lit(c.label))
        g.add(node, "rdfs:comment", lit(c.description or "(no description)"))
        g.add(node, "dip:score", lit(c.score))
        g.add(node, "prov:wasDerivedFrom", lit(endpoint))
    return g.quads


def review_rows(store: Store) -> list[dict[str, Any]]:
    rows = store.select(f"""
        SELECT ?actor ?actorLabel ?item ?label ?description ?score WHERE {{
          VALUES ?r {{ <{REVIEW_GRAPH}> }}
          GRAPH ?r {{ ?c dip:linkSubject ?actor ; dip:linkTarget ?item ; rdfs:label ?label ;
                                        rdfs:comment ?description ; dip:score ?score }}
          OPTIONAL {{ ?actor rdfs:label ?actorLabel FILTER(LANG(?actorLabel) = "en") }}
          FILTER NOT EXISTS {{ ?actor owl:sameAs ?linked }}
        }} ORDER BY ?actorLabel DESC(?score)""")
    seen = set()
    out = []
    for r in rows:
        key = (r["actor"].value, r["item"].value)
        if key in seen:
            continue
        seen.add(key)
        out.append({"actor": r["actor"].value, "actor_label": r["actorLabel"].value if r["actorLabel"] else "",
                    "qid": _qid(r["item"].value), "label": r["label"].value,
                    "description": r["description"].value, "score": int(r["score"].value)})
    return out
