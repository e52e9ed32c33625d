"""The ingest pipeline: article files -> extraction -> quads -> store, one transaction per article."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .articles import Article, ArticleError, article_paths, read_article
from .names import META_GRAPH, ONTOLOGY_GRAPH, article_graph
from .rdf import article_meta, meta_subjects
from .store import OxigraphStore, WriteBatch


@dataclass
class IngestResult:
    path: str
    status: str  # "ingested", "error" or "refused"
    message: str = ""
    article_id: str = ""
    quads: int = 0
    events: int = 0


def article_batch(article: Article) -> WriteBatch:
    """The transaction that (re)writes one article: its graph and its meta records, replaced whole."""
    meta = article_meta(article)
    return WriteBatch(
        drop_graphs=[article_graph(article.id)],
        drop_subjects=[(META_GRAPH, s) for s in meta_subjects(article)],
        insert=meta.quads,
    )


def read_all(paths: Iterable[str | Path]) -> tuple[list[Article], list[IngestResult]]:
    """Read every article; a malformed file becomes an error result and never stops the others."""
    articles: list[Article] = []
    errors: list[IngestResult] = []
    try:
        files = list(article_paths(paths))
    except ArticleError as e:
        return [], [IngestResult(e.path, "error", str(e))]
    for f in files:
        try:
            articles.append(read_article(f))
        except ArticleError as e:
            errors.append(IngestResult(str(f), "error", str(e)))
    return articles, errors


def ensure_ontology(store: OxigraphStore) -> None:
    """Load the ontology into its own graph, so queries can read labels and event-type notations."""
    import pyoxigraph as ox

    from .reason import ontology_files

    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    quads = [ox.Quad(t.subject, t.predicate, t.object, graph)
             for f in ontology_files() for t in ox.parse(path=str(f), format=ox.RdfFormat.TURTLE)]
    # Blank nodes get fresh ids on every parse: replace the graph only when its size changed.
    if store.count(ONTOLOGY_GRAPH) != len(quads):
        store.replace_graph(ONTOLOGY_GRAPH, quads)


def ingest(store: OxigraphStore, paths: Iterable[str | Path],
           progress: Callable[[str], None] | None = None) -> list[IngestResult]:
    """Ingest article files into the store; returns one result per file."""
    articles, results = read_all(paths)
    ensure_ontology(store)
    for article in articles:
        batch = article_batch(article)
        store.write(batch)
        results.append(IngestResult(article.path, "ingested", article_id=article.id, quads=len(batch.insert)))
        if progress:
            progress(article.path)
    return results
