"""Turn articles and their extracted claims into quads: one named graph per article, plus PROV in the meta graph."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from . import __version__
from .articles import Article
from .names import DIP, META_GRAPH, PREFIXES, article_graph, article_iri, run_iri, thing

RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
XSD = PREFIXES["xsd"]
EXTRACTOR_AGENT = thing("agent", "diplograph-extractor")
EXTRACTOR_VERSION = f"diplograph-extractor/{__version__}"


def iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


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
    if article.path:
        g.add(a, "prov:atLocation", lit(article.path))
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
