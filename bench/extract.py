"""Extraction throughput on 600-word news articles, one process (so articles/s is per core): the spaCy parse
alone, the full extraction (parse included), and the whole pipeline into the embedded store, against reading
and sentence splitting as the baseline of the same run.

    python bench/extract.py [--articles 300] [--words 600]

Articles are made of the bundled corpus's sentences, cut to the word count, each with a line of its own.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from kg.articles import article_paths, read_article
from kg.extract import Extractor, nlp
from kg.ingest import article_batch, extract_batch, ingest
from kg.store import open_store

ROOT = Path(__file__).resolve().parent.parent


def make_corpus(folder: Path, n: int, words: int) -> list[Path]:
    """N distinct articles of about `words` words: bundled article bodies, rotated and cut at a sentence end."""
    bodies = [read_article(p).body for p in sorted((ROOT / "data" / "articles").glob("*.txt"))]
    stream = " ".join(bodies).split(" ")
    paths = []
    for i in range(n):
        start = (i * 97) % len(stream)
        chunk = (stream[start:] + stream)[:words]
        text = " ".join(chunk)
        text = text[:text.rfind(".") + 1] or text
        path = folder / f"{i:05d}.txt"
        path.write_text(f"published: 2026-01-{i % 28 + 1:02d}\n\n{text}\n\n(copy {i})\n", encoding="utf-8")
        paths.append(path)
    return paths


def timed(fn):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--words", type=int, default=600)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="diplograph-bench-"))
    try:
        folder = tmp / "articles"
        folder.mkdir()
        make_corpus(folder, args.articles, args.words)
        extractor = Extractor()
        nlp.load()  # loading the model is a one-off cost, not throughput
        articles, read_s = timed(lambda: [read_article(p) for p in article_paths([folder])])
        words = sum(len(a.body.split()) for a in articles) / len(articles)
        _, parse_s = timed(lambda: nlp.parse_many(a.body for a in articles))
        (extractions, iris), extract_s = timed(lambda: extract_batch(articles, extractor, []))
        built = sum(len(article_batch(x, iris).insert) for x in extractions)
        store = open_store(tmp / "store")
        results, full_s = timed(lambda: ingest(store, [folder], extractor))
        assert all(r.status == "ingested" for r in results)
        n = args.articles
        table = Table(title=f"extraction throughput: {n} articles of {words:.0f} words, one process "
                            f"(one core of {os.cpu_count()}), model {nlp.model_name()}")
        for col in ("stage", "seconds", "articles/s per core", "time vs reading"):
            table.add_column(col, justify="left" if col == "stage" else "right")
        rows = [("read + split sentences", read_s), ("spaCy parse alone (nlp.pipe)", parse_s),
                ("full extraction, parse included (+ identity + RDF: "
                 f"{built} triples)", extract_s + read_s),
                ("full pipeline into the on-disk store", full_s)]
        for stage, seconds in rows:
            table.add_row(stage, f"{seconds:.2f}", f"{n / seconds:,.1f}", f"{seconds / read_s:,.0f}×")
        Console().print(table)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
