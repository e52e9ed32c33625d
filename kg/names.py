"""IRIs and namespaces: one place that decides how things are named."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from contextvars import ContextVar

import pyoxigraph as ox

BASE = "https://w3id.org/diplograph/"
DIP = BASE + "ontology#"
ID = BASE + "id/"
GRAPH = BASE + "graph/"
META_GRAPH = GRAPH + "meta"
ONTOLOGY_GRAPH = GRAPH + "ontology"
WD = "http://www.wikidata.org/entity/"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
GENID = BASE + ".well-known/genid/"  # skolem IRIs for blank nodes, where a store takes none
MERGE_GRAPH = GRAPH + "merge"  # the merge, on a remote whose default graph cannot be written (Virtuoso)
POSTED_GRAPH = GRAPH + "batch/posted"  # where /validate puts a posted batch while it checks it

# Any RDF term pyoxigraph hands back (its stubs name no common base class).
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | ox.DefaultGraph

PREFIXES: dict[str, str] = {
    "dip": DIP,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": XSD,
    "skos": SKOS,
    "prov": PROV,
    "oa": OA,
    "org": "http://www.w3.org/ns/org#",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "schema": "http://schema.org/",
    "dcterms": "http://purl.org/dc/terms/",
    "wd": WD,
    "wdt": "http://www.wikidata.org/prop/direct/",
}


def sparql_prefixes() -> str:
    """The PREFIX lines every query of the project may rely on."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


# Where the server serving this request has its root: '/', or the --base URL behind a proxy (set per request by
# the endpoint, so pages built anywhere link to the right place).
SITE: ContextVar[str] = ContextVar("SITE", default="/")


def served_at(iri: str) -> str:
    """Where a page links an IRI: our own things (under ID) at the server's /id/ (under SITE); anything else
    stays as it is."""
    return SITE.get() + "id/" + iri[len(ID):] if iri.startswith(ID) else iri


def slug(text: str) -> str:
    """A lower-case ASCII slug: 'Gustavo Petro' -> 'gustavo-petro', 'Bogotá' -> 'bogota'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def digest(*parts: str, length: int = 16) -> str:
    """A short, stable hash of the parts (order matters)."""
    h = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return h[:length]


def thing(kind: str, key: str) -> str:
    """IRI of a thing: thing('person', 'gustavo-petro')."""
    return f"{ID}{kind}/{key}"


def article_iri(article_id: str) -> str:
    return thing("article", article_id)


def article_graph(article_id: str) -> str:
    return f"{GRAPH}article/{article_id}"


def run_iri(article_id: str, extractor_version: str) -> str:
    return thing("run", digest(article_id, extractor_version))


def wikidata_iri(qid: str) -> str:
    return WD + qid
