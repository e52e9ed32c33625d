"""Turn articles and their extracted claims into quads: one named graph per article, plus PROV in the meta graph."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import pyoxigraph as ox

from . import __version__
from .articles import Article, Sentence
from .event_types import event_type

if TYPE_CHECKING:
    from .catalog import Catalog
    from .extract import Extraction

from .names import DIP, GRAPH, META_GRAPH, PREFIXES, article_graph, article_iri, run_iri, thing

RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
XSD = PREFIXES["xsd"]
EXTRACTOR_AGENT = thing("agent", "diplograph-extractor")
EXTRACTOR_VERSION = f"diplograph-extractor/{__version__}"


def iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


@functools.lru_cache(maxsize=4096)
def term(prefixed: str) -> ox.NamedNode:
    """'dip:Event' -> NamedNode."""
    prefix, _, local = prefixed.partition(":")
    return ox.NamedNode(PREFIXES[prefix] + local)


def lit(value: object, datatype: str | None = None, lang: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(str(value), language=lang)
    if datatype:
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + datatype))
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(f"{value:.3f}", datatype=ox.NamedNode(XSD + "decimal"))
    if isinstance(value, dt.datetime):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "dateTime"))
    if isinstance(value, dt.date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    return ox.Literal(str(value))


@dataclass
class GraphBuilder:
    """Collects quads for one named graph; subjects and predicates are IRIs or prefixed names."""

    graph: str
    quads: list[ox.Quad] = field(default_factory=list)

    def add(self, s: str | ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal | str) -> None:
        subject = s if isinstance(s, ox.NamedNode) else iri(s)
        obj = o if not isinstance(o, str) else iri(o)
        self.quads.append(ox.Quad(subject, term(p), obj, iri(self.graph)))

    def type(self, s: str, cls: str) -> None:
        self.add(s, "rdf:type", term(cls))


def article_meta(article: Article, run_time: dt.datetime | None = None) -> GraphBuilder:
    """The article's metadata and the PROV record of its extraction run, for the meta graph."""
    run_time = run_time or dt.datetime.now(dt.UTC).replace(microsecond=0)
    a = article_iri(article.id)
    run = run_iri(article.id, EXTRACTOR_VERSION)
    g = GraphBuilder(META_GRAPH)
    g.type(a, "schema:NewsArticle")
    g.add(a, "dip:sha256", lit(article.sha256))
    g.add(a, "dip:body", lit(article.body))
    g.add(a, "schema:inLanguage", lit(article.language))
    if article.url:
        g.add(a, "schema:url", lit(article.url, "anyURI"))
    if article.published:
        g.add(a, "schema:datePublished", lit(article.published))
    if article.outlet:
        g.add(a, "schema:publisher", lit(article.outlet))
    if article.title:
        g.add(a, "schema:headline", lit(article.title))
    if article.location or article.path:
        g.add(a, "prov:atLocation", lit(article.location or article.path))
    graph = article_graph(article.id)
    g.add(graph, "prov:wasDerivedFrom", a)
    g.add(graph, "prov:wasGeneratedBy", run)
    g.type(run, "prov:Activity")
    g.add(run, "prov:used", a)
    g.add(run, "prov:wasAssociatedWith", EXTRACTOR_AGENT)
    g.add(run, "prov:startedAtTime", lit(run_time))
    g.add(run, "dip:extractorVersion", lit(EXTRACTOR_VERSION))
    g.type(EXTRACTOR_AGENT, "prov:SoftwareAgent")
    g.add(EXTRACTOR_AGENT, "rdfs:label", lit("diplograph rule-based extractor", lang="en"))
    g.add(EXTRACTOR_AGENT, "dip:extractorVersion", lit(EXTRACTOR_VERSION))
    return g


def meta_subjects(article: Article) -> list[str]:
    """The meta-graph subjects owned by one article: replaced whole when it is ingested again."""
    return [article_iri(article.id), article_graph(article.id), run_iri(article.id, EXTRACTOR_VERSION)]


def ntriples(quads: Iterable[ox.Quad]) -> str:
    """The quads as N-Quads text (for debugging and tests)."""
    return "".join(f"{q}\n" for q in quads)


__all__ = ["DIP", "GraphBuilder", "article_meta", "meta_subjects", "lit", "iri", "term"]


# --- extracted facts -------------------------------------------------------------------------------

ACTOR_CLASS = {"state": "dip:State", "person": "dip:Person", "org": "dip:Organisation", "group": "dip:Group",
               "place": "dip:Place", "post": "dip:Post"}


def actor_iris(extraction: Extraction) -> dict[str, str]:
    """Actor key -> IRI for one extraction: catalog ids keep their IRIs; new names get their own."""
    from .catalog import IRI_KIND
    from .names import slug

    out = {}
    for key, actor in extraction.actors.items():
        if key.startswith("new:"):
            _, kind, name = key.split(":", 2)
            out[key] = thing(IRI_KIND[kind], slug(name))
        else:
            out[key] = thing(IRI_KIND[actor.kind], key)
    return out


def _evidence(g: GraphBuilder, article: Article, about: str, sentence: Sentence, confidence: float,
              modality: str | None, run: str) -> None:
    from .names import digest

    ev = thing("evidence", digest(article.id, about, str(sentence.start)))
    a = article_iri(article.id)
    g.add(about, "dip:evidence", ev)
    g.type(ev, "oa:SpecificResource")
    g.add(ev, "oa:hasSource", a)
    g.add(ev, "oa:hasSelector", ev + "#quote")
    g.add(ev, "oa:hasSelector", ev + "#position")
    g.type(ev + "#quote", "oa:TextQuoteSelector")
    g.add(ev + "#quote", "oa:exact", lit(sentence.text))
    g.type(ev + "#position", "oa:TextPositionSelector")
    g.add(ev + "#position", "oa:start", lit(sentence.start, "integer"))
    g.add(ev + "#position", "oa:end", lit(sentence.end, "integer"))
    g.add(ev, "dip:confidence", lit(round(confidence, 3), "decimal"))
    if modality:
        g.add(ev, "dip:modality", term("dip:" + modality))
    g.add(ev, "prov:wasGeneratedBy", run)


def _event(g: GraphBuilder, ev: str, e: Any, iris: dict[str, str], article: Article, run: str) -> set[str]:
    """One event of an article: type, actors by role, place, time and evidence. Returns the actor keys used."""
    c = e.claim
    used: set[str] = set()
    g.type(ev, "dip:" + event_type(c.type).cls)
    for role, keys in (("dip:participant", c.participants), ("dip:target", c.target),
                       ("dip:subject", c.subjects), ("dip:agent", [c.agent] if c.agent else [])):
        for k in keys:
            g.add(ev, role, iris[k])
            used.add(k)
    if c.place and c.place in iris:
        g.add(ev, "dip:place", iris[c.place])
        used.add(c.place)
    t = e.time
    if t is not None:
        _time(g, ev, t)
    for sentence in c.evidence:
        _evidence(g, article, ev, sentence, c.confidence - (0.1 if t is not None and t.inferred else 0.0),
                  c.modality, run)
    return used


def _time(g: GraphBuilder, ev: str, t: Any) -> None:
    if t.value and t.datatype:
        g.add(ev, "dip:date", lit(t.value, t.datatype))
    if t.earliest:
        g.add(ev, "dip:earliest", lit(t.earliest))
    if t.latest:
        g.add(ev, "dip:latest", lit(t.latest))
    g.add(ev, "dip:dateText", lit(t.text))


def _office(g: GraphBuilder, o: Any, person: str, article: Article, run: str) -> None:
    """A post an article says a person holds, with the tenure that states it."""
    from .names import digest

    post = thing("post", o.post.id)
    tenure = thing("tenure", digest(person, post))
    g.type(tenure, "dip:Tenure")
    g.add(tenure, "dip:holder", person)
    g.add(tenure, "dip:post", post)
    g.add(person, "org:holds", post)
    _evidence(g, article, tenure, o.sentence, 0.85, None, run)
    if not o.post.source:  # a post the catalog does not describe is described here
        g.type(post, "dip:Post")
        g.add(post, "rdfs:label", lit(o.post.label, lang="en"))
        if o.post.country:
            g.add(post, "org:postIn", thing("state", o.post.country))


def extraction_graph(extraction: Extraction, event_iris: dict[tuple[str, int], str]) -> GraphBuilder:
    """Everything one article says, as one named graph."""
    article = extraction.article
    g = GraphBuilder(article_graph(article.id))
    run = run_iri(article.id, EXTRACTOR_VERSION)
    iris = actor_iris(extraction)
    used: set[str] = set()
    for i, e in enumerate(extraction.events):
        used |= _event(g, event_iris[(article.id, i)], e, iris, article, run)
    for o in extraction.offices:
        _office(g, o, iris[o.person], article, run)
        used.add(o.person)
    for k in used:
        actor = extraction.actors[k]
        # Catalog actors are described once, in the catalog graph: restating them in every article would make
        # the union default graph return each of their triples once per article (pyoxigraph 0.5 counts a triple
        # once per graph that holds it).
        if not actor.linked_by:
            g.type(iris[k], ACTOR_CLASS[actor.kind])
            g.add(iris[k], "rdfs:label", lit(actor.label, lang="en"))
            if actor.kind != "state" and actor.country:
                g.add(iris[k], "dip:country", thing("state", actor.country))
        g.add(iris[k], "dip:mentionCount", lit(extraction.mention_counts.get(k, 1)))
    return g

CATALOG_GRAPH = GRAPH + "catalog"


def catalog_graph(catalog: Catalog) -> GraphBuilder:
    """The catalog as RDF: kinds, labels, aliases, countries, and Wikidata links with their provenance."""
    from .catalog import IRI_KIND

    g = GraphBuilder(CATALOG_GRAPH)
    for e in catalog:
        s = thing(IRI_KIND[e.kind], e.id)
        g.type(s, ACTOR_CLASS[e.kind])
        g.add(s, "rdfs:label", lit(e.label, lang="en"))
        if e.label_es:
            g.add(s, "rdfs:label", lit(e.label_es, lang="es"))
        for alias in sorted(set(e.aliases) | set(e.ambiguous)):
            g.add(s, "skos:altLabel", lit(alias))
        if e.country:
            g.add(s, "org:postIn" if e.kind == "post" else "dip:country", thing("state", e.country))
        if e.kind == "place" and e.role in ("capital", "seat") and e.country:
            g.add(s, "dip:metonymOf", thing("state", e.country))
        if e.qid:
            add_link(g, s, e.qid, "catalog", e.source.rsplit("/", 1)[-1])
    return g


LinkMethod = Literal["catalog", "lookup", "review"]  # the catalog row, a Wikidata search, a person's decision


def add_link(g: GraphBuilder, actor: str, qid: str, method: LinkMethod, source: str,
             when: dt.datetime | None = None, note: str = "") -> None:
    """owl:sameAs to a Wikidata item, with the record of how the link was made (method, source, time, note)."""
    from .names import digest, wikidata_iri

    record = thing("link", digest(actor, qid))
    g.add(actor, "owl:sameAs", wikidata_iri(qid))
    g.type(record, "dip:WikidataLink")
    g.add(record, "dip:linkSubject", actor)
    g.add(record, "dip:linkTarget", wikidata_iri(qid))
    g.add(record, "dip:linkMethod", lit(method))
    g.add(record, "prov:wasDerivedFrom", lit(source))
    if when is not None:
        g.add(record, "prov:generatedAtTime", lit(when))
    if note:
        g.add(record, "rdfs:comment", lit(note))
