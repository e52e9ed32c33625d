"""The ingest pipeline: article files -> extraction -> quads -> store, one transaction per article."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

import pyoxigraph as ox

from .articles import Article, ArticleError, locate, read_article, rooted_article_paths
from .catalog import Catalog
from .extract import Extraction, Extractor
from .identity import KnownEvent, assign_iris, infer_anchors
from .names import META_GRAPH, ONTOLOGY_GRAPH, PROV, XSD, article_graph
from .rdf import CATALOG_GRAPH, actor_iris, article_meta, catalog_graph, extraction_graph, meta_subjects
from .store import Store, WriteBatch

CHUNK = 64
EXTRACT_CHUNK = 16  # articles extracted between two progress updates
LANG_DIR = Path(__file__).parent / "lang"
STARTED = PROV + "startedAtTime"


class Progress(Protocol):
    """Where ingest reports how far it got: a stage with its total, then steps done."""

    def start(self, stage: str, total: int) -> None: ...
    def advance(self, steps: int = 1) -> None: ...


class _Silent:
    def start(self, stage: str, total: int) -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        pass


def supported_languages() -> frozenset[str]:
    """The languages the extractor has rules for: those with a kg/lang/<code>/events.yaml."""
    return frozenset(d.name for d in LANG_DIR.iterdir() if (d / "events.yaml").is_file())


def language_supported(language: str) -> bool:
    return language.split("-")[0].lower() in supported_languages()


# unsupported: stored, no events; duplicate: the same story (URL) as another article, so not a second source
IngestStatus = Literal["ingested", "unchanged", "unsupported", "duplicate", "error", "refused"]


@dataclass
class IngestResult:
    path: str
    status: IngestStatus
    message: str = ""
    article_id: str = ""
    quads: int = 0
    events: int = 0


def article_batch(extraction: Extraction, event_iris: dict[tuple[str, int], str]) -> WriteBatch:
    """The transaction that (re)writes one article: its graph and its meta records, replaced whole."""
    article = extraction.article
    meta = article_meta(article)
    facts = extraction_graph(extraction, event_iris)
    return WriteBatch(
        drop_graphs=[article_graph(article.id)],
        drop_subjects=[(META_GRAPH, s) for s in meta_subjects(article)],
        insert=meta.quads + facts.quads,
    )


def known_events(store: Store, exclude_graphs: frozenset[str] | set[str] = frozenset()) -> list[KnownEvent]:
    """The events already in the store, as identity needs them (one entry per event and article graph)."""
    rows = store.select(f"""
        SELECT ?g ?e ?type ?role ?actor ?earliest ?latest WHERE {{
          GRAPH ?g {{ ?e a ?cls .
                     OPTIONAL {{ ?e ?role ?actor . FILTER(?role IN (dip:participant, dip:agent, dip:target)) }}
                     OPTIONAL {{ ?e dip:earliest ?earliest }} OPTIONAL {{ ?e dip:latest ?latest }} }}
          VALUES ?o {{ <{ONTOLOGY_GRAPH}> }}
          GRAPH ?o {{ ?cls skos:inScheme dip:EventTypes ; skos:notation ?type }} }}""")
    events: dict[tuple[str, str], dict] = {}
    for r in rows:
        g = r["g"].value
        if g in exclude_graphs:
            continue
        e = events.setdefault((g, r["e"].value), {"type": r["type"].value, "participant": set(),
                                                  "agent": "", "target": set(), "earliest": None, "latest": None})
        role = r["role"].value.rsplit("#", 1)[-1] if r["role"] else ""
        if role == "agent":
            e["agent"] = r["actor"].value
        elif role:
            e[role].add(r["actor"].value)
        for k in ("earliest", "latest"):
            if r[k] is not None:
                e[k] = dt.date.fromisoformat(r[k].value)
    return [KnownEvent(iri, e["type"], frozenset(e["participant"]), e["agent"], frozenset(e["target"]),
                       e["earliest"], e["latest"]) for (_, iri), e in events.items()]


def read_all(paths: Iterable[str | Path], full_paths: bool = False,
             progress: Progress | None = None) -> tuple[list[Article], list[IngestResult]]:
    """Read every article; a malformed file becomes an error result and never stops the others."""
    from .fetch import fetch_article, is_url

    progress = progress or _Silent()
    articles: list[Article] = []
    errors: list[IngestResult] = []
    given = [str(p) for p in paths]
    for url in [p for p in given if is_url(p)]:
        try:
            articles.append(fetch_article(url))
        except ArticleError as e:
            errors.append(IngestResult(url, "error", str(e)))
    try:
        files = list(rooted_article_paths(p for p in given if not is_url(p)))
    except ArticleError as e:
        return [], [IngestResult(e.path, "error", str(e))]
    progress.start("reading", len(files))
    for root, f in files:
        try:
            article = read_article(f)
            article.location = locate(root, f, full_paths)
            articles.append(article)
        except ArticleError as e:
            errors.append(IngestResult(str(f), "error", str(e)))
        progress.advance()
    return articles, errors


def ensure_ontology(store: Store) -> None:
    """Load the ontology into its own graph, so queries can read labels and event-type notations."""
    from .reason import ontology_files

    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    quads = [ox.Quad(t.subject, t.predicate, t.object, graph)
             for f in ontology_files() for t in ox.parse(path=str(f), format=ox.RdfFormat.TURTLE)]
    # Blank nodes get fresh ids on every parse: replace the graph only when its size changed.
    if store.count(ONTOLOGY_GRAPH) != len(quads):
        store.replace_graph(ONTOLOGY_GRAPH, quads)


def ensure_catalog(store: Store, catalog: Catalog) -> None:
    quads = catalog_graph(catalog).quads
    if store.count(CATALOG_GRAPH) != len(quads):
        store.replace_graph(CATALOG_GRAPH, quads)


def extract_batch(articles: list[Article], extractor: Extractor, known: list[KnownEvent],
                  progress: Progress | None = None) -> tuple[list[Extraction], dict[tuple[str, int], str]]:
    """Extract every article, then settle years and event identity across the batch and the store.
    An article in a language without rules is kept with no events (the caller warns about it)."""
    progress = progress or _Silent()
    progress.start("extracting", len(articles))
    extractions: list[Extraction] = []
    for i in range(0, len(articles), EXTRACT_CHUNK):
        chunk = articles[i: i + EXTRACT_CHUNK]
        readable = [a for a in chunk if language_supported(a.language)]
        done = iter(extractor.extract_many(readable))
        extractions += [next(done) if language_supported(a.language) else Extraction(a, {}, [], [])
                        for a in chunk]
        progress.advance(len(chunk))
    iris = {x.article.id: actor_iris(x) for x in extractions}
    infer_anchors(extractions, known, iris)
    return extractions, assign_iris(extractions, known, iris)


def is_unchanged(store: Store, batch: WriteBatch) -> bool:
    """True when writing the article again would only restamp its run: the store already says it all."""
    added, stale = store.changes(batch)
    return all(q.predicate.value == STARTED for q in added | stale)


def gate(store: Store, batches: list[tuple[Extraction, WriteBatch]], engine: str) -> dict[str, str]:
    """Validate all the articles' new triples in one delta run; return the refused articles with their reasons.
    A violation refuses every article of the batch that states its focus node."""
    from .validate import validate_batch

    quads = [q for _, b in batches for q in b.insert]
    if not quads:
        return {}
    report = validate_batch(store, quads, engine)
    if report.conforms:
        return {}
    owners: dict[str, set[str]] = {}
    for x, b in batches:
        for q in b.insert:
            if not isinstance(q.subject, ox.Triple):  # RDF-star subjects name no node of their own
                owners.setdefault(q.subject.value, set()).add(x.article.id)
    refused: dict[str, list[str]] = {}
    for v in report.violations:
        for article_id in owners.get(v.focus, set()):
            refused.setdefault(article_id, []).append(f"{v.focus} {v.path}: {v.message}")
    return {a: "refused by the SHACL gate: " + "; ".join(sorted(set(m))[:5]) for a, m in refused.items()}


def _bare(url: str) -> str:
    """A page's URL without its fragment and trailing slash."""
    return url.split("#", 1)[0].rstrip("/")


def url_variants(url: str) -> list[str]:
    """The spellings of one page's URL: with or without the fragment, the trailing slash and the 's' of https."""
    base = _bare(url)
    other = ("http://" + base[8:]) if base.startswith("https://") else ("https://" + base[7:])
    return sorted({url, base, base + "/", other, other + "/"})


def _key(url: str) -> str:
    """One key for all spellings of a page's URL."""
    return _bare(url).split("://", 1)[-1]


def one_per_story(store: Store, articles: list[Article]) -> tuple[list[Article], list[IngestResult]]:
    """Articles whose page (URL) the store or an earlier file of this batch already has under another id (a .txt
    and an .html of one story) are not a second source: they are left out, each with a 'duplicate' result."""
    variants = sorted({v for a in articles if a.url for v in url_variants(a.url)})
    known: dict[str, str] = {}
    if variants:
        values = " ".join(str(ox.Literal(v, datatype=ox.NamedNode(XSD + "anyURI"))) for v in variants)
        for r in store.select(f"SELECT ?url ?a WHERE {{ VALUES ?url {{ {values} }} ?a schema:url ?url }}"):
            known.setdefault(_key(r["url"].value), r["a"].value.rsplit("/", 1)[-1])
    kept: list[Article] = []
    dropped: list[IngestResult] = []
    for a in articles:
        first = known.setdefault(_key(a.url), a.id) if a.url else a.id
        if first == a.id:
            kept.append(a)
        else:
            dropped.append(IngestResult(a.path, "duplicate", f"{a.path}: the same page ({a.url}) as article {first} "
                                        "(stored, or earlier in this batch): not counted as a second source",
                                        article_id=a.id))
    return kept, dropped


def ingest(store: Store, paths: Iterable[str | Path], extractor: Extractor | None = None,
           progress: Progress | None = None, validate: bool = True,
           engine: str = "turbo", full_paths: bool = False) -> list[IngestResult]:
    """Ingest article files into the store; returns one result per file. An article whose records are
    already stored as they would be written is left alone (status "unchanged"): re-ingesting changes nothing."""
    extractor = extractor or Extractor()
    articles, results = read_all(paths, full_paths, progress)
    articles, duplicates = one_per_story(store, articles)
    results += duplicates
    ensure_ontology(store)
    ensure_catalog(store, extractor.catalog)
    own = {article_graph(a.id) for a in articles}
    extractions, event_iris = extract_batch(articles, extractor, known_events(store, own), progress)
    batches = []
    for x in extractions:
        b = article_batch(x, event_iris)
        if is_unchanged(store, b):
            results.append(IngestResult(x.article.path, "unchanged", article_id=x.article.id,
                                        events=len(x.events)))
        else:
            batches.append((x, b))
    refused = gate(store, batches, engine) if validate else {}
    accepted = []
    for x, b in batches:
        if x.article.id in refused:
            results.append(IngestResult(x.article.path, "refused", refused[x.article.id], article_id=x.article.id))
        else:
            accepted.append((x, b))
    _write(store, accepted, results, progress or _Silent())
    store.flush()
    return results


def _write(store: Store, accepted: list[tuple[Extraction, WriteBatch]], results: list[IngestResult],
           progress: Progress) -> None:
    """Whole articles are written together, CHUNK at a time, each chunk in one transaction: an article is never
    half-written, and the per-transaction cost is shared."""
    progress.start("writing", len(accepted))
    for i in range(0, len(accepted), CHUNK):
        chunk = accepted[i: i + CHUNK]
        combined = WriteBatch()
        for _, b in chunk:
            combined.drop_graphs += b.drop_graphs
            combined.drop_subjects += b.drop_subjects
            combined.insert += b.insert
        store.write(combined)
        for x, b in chunk:
            supported = language_supported(x.article.language)
            message = "" if supported else (f"{x.article.path}: language {x.article.language!r} has no extraction "
                                            "rules; the article is stored but no events were extracted")
            results.append(IngestResult(x.article.path, "ingested" if supported else "unsupported", message,
                                        article_id=x.article.id, quads=len(b.insert), events=len(x.events)))
        progress.advance(len(chunk))
