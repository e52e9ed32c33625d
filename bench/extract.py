"""Extraction throughput: the bundled corpus repeated to N articles, through the full pipeline (read, extract,
settle identity, build RDF, write to the embedded store) and, in the same run, reading and sentence splitting
alone, so the ratio shows what extraction costs.

    python bench/extract.py [--articles 1000]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from kg.articles import article_paths, read_article
from kg.extract import Extractor
from kg.ingest import article_batch, extract_batch, ingest
from kg.store import open_store

ROOT = Path(__file__).resolve().parent.parent


def make_corpus(folder: Path, n: int) -> list[Path]:
    """N distinct article files: the bundled ones, each copy with a line of its own so its id differs."""
    sources = sorted((ROOT / "data" / "articles").glob("*.txt"))
    paths = []
    for i in range(n):
        src = sources[i % len(sources)]
        text = src.read_text(encoding="utf-8")
        path = folder / f"{i:05d}_{src.name}"
        path.write_text(text + f"\n\n(copy {i})\n", encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="diplograph-bench-"))
    try:
        folder = tmp / "articles"
        folder.mkdir()
        make_corpus(folder, args.articles)

        t0 = time.perf_counter()
        articles = [read_article(p) for p in article_paths([folder])]
        sentences = sum(len(a.sentences) for a in articles)
        read_s = time.perf_counter() - t0

        t0 = time.perf_counter()
        extractions, iris = extract_batch(articles, Extractor(), [])
        built = sum(len(article_batch(x, iris).insert) for x in extractions)
        extract_s = time.perf_counter() - t0 + read_s

        store = open_store(tmp / "store")
        t0 = time.perf_counter()
        results = ingest(store, [folder])
        full_s = time.perf_counter() - t0
        triples = sum(r.quads for r in results)
        assert all(r.status == "ingested" for r in results)

        table = Table(title=f"extraction throughput, {args.articles} articles ({sentences} sentences), one process")
        table.add_column("stage")
        table.add_column("seconds", justify="right")
        table.add_column("articles/s", justify="right")
        table.add_column("triples/s", justify="right")
        table.add_column("time vs reading", justify="right")
        table.add_row("read + split sentences", f"{read_s:.2f}", f"{args.articles / read_s:,.0f}", "-", "1.0×")
        table.add_row("read + extract + identity + RDF (no store)", f"{extract_s:.2f}",
                      f"{args.articles / extract_s:,.0f}", f"{built / extract_s:,.0f}", f"{extract_s / read_s:.1f}×")
        table.add_row("full pipeline into the on-disk store", f"{full_s:.2f}",
                      f"{args.articles / full_s:,.0f}", f"{triples / full_s:,.0f}", f"{full_s / read_s:.1f}×")
        Console().print(table)
        print(f"quads written: {triples}, store size: {store.count()} quads")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
