"""Delta validation vs full validation as the store grows.

Stores of about 10k, 100k and 1M triples are made of copies of the bundled corpus's article graphs (renamed so
each copy is a distinct article with distinct events and evidence, sharing the catalog's actors, as real news
does). For each size: the median time to validate one new article's batch as a delta (batch + neighbourhood),
and, in the same run, the time to validate the whole store. Both engines (pyshacl-turbo, pySHACL) are measured.

    python bench/validate.py [--sizes 10000,100000,1000000] [--repeat 5] [--pyshacl-full-max 100000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

import pyoxigraph as ox
from rich.console import Console
from rich.table import Table

from kg.ingest import ingest
from kg.names import BASE, GRAPH
from kg.store import open_store
from kg.validate import validate_batch, validate_store

ARTICLES = __import__("pathlib").Path(__file__).resolve().parent.parent / "data" / "articles"
SHARED = ("/id/person/", "/id/state/", "/id/organisation/", "/id/place/", "/id/post/", "/id/agent/")


def renamed(term: ox.Term, n: int) -> ox.Term:
    if isinstance(term, ox.NamedNode) and term.value.startswith(BASE) and not any(s in term.value for s in SHARED) \
            and "/ontology" not in term.value and not term.value.endswith(("/graph/meta", "/graph/catalog")):
        base, _, frag = term.value.partition("#")
        return ox.NamedNode(f"{base}-c{n}" + (f"#{frag}" if frag else ""))
    return term


def copy_quads(quads: list[ox.Quad], n: int) -> list[ox.Quad]:
    return [ox.Quad(renamed(q.subject, n), q.predicate, renamed(q.object, n), renamed(q.graph_name, n))
            for q in quads]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pyshacl-full-max", type=int, default=100_000,
                        help="largest store for a full pySHACL run (it grows steeply)")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]

    seed = open_store(None)
    ingest(seed, [ARTICLES])
    seed_quads = [q for q in seed.quads_for_pattern() if not isinstance(q.graph_name, ox.DefaultGraph)]
    fixed = [q for q in seed_quads if not (isinstance(q.graph_name, ox.NamedNode)
                                         and q.graph_name.value.startswith(GRAPH + "article/"))]
    articles = [q for q in seed_quads if q not in set(fixed)]
    meta_article = [q for q in fixed if q.graph_name.value == GRAPH + "meta"]
    per_copy = articles + meta_article
    batch = [q for q in copy_quads(articles, 10**9) if "/graph/article/" in q.graph_name.value]
    batch_meta = copy_quads(meta_article, 10**9)

    table = Table(title="SHACL validation: one article's batch as a delta vs the whole store")
    for col in ("store triples", "engine", "delta median (s)", "full (s)", "full / delta"):
        table.add_column(col, justify="right")
    delta_medians: dict[str, dict[int, float]] = {"turbo": {}, "pyshacl": {}}
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            store = open_store(tmp)
            store.bulk_load(fixed)
            n = 0
            while store.count() < size:
                store.bulk_load(copy_quads(per_copy, n))
                n += 1
            store.bulk_load(batch_meta)  # the new article is known; its facts are the batch
            store.flush()
            total = store.count()
            for engine in ("turbo", "pyshacl"):
                times = []
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    report = validate_batch(store, batch, engine)
                    times.append(time.perf_counter() - t0)
                    assert report.conforms, [v.message for v in report.violations][:3]
                delta = statistics.median(times)
                delta_medians[engine][size] = delta
                if engine == "pyshacl" and total > args.pyshacl_full_max:
                    table.add_row(f"{total:,}", engine, f"{delta:.3f}", "not run", "-")
                    continue
                t0 = time.perf_counter()
                full = validate_store(store, engine)
                full_s = time.perf_counter() - t0
                assert full.conforms
                table.add_row(f"{total:,}", engine, f"{delta:.3f}", f"{full_s:.2f}", f"{full_s / delta:,.0f}×")
    console = Console()
    console.print(table)
    for engine, medians in delta_medians.items():
        if len(medians) >= 2:
            lo, hi = min(medians), max(medians)
            console.print(f"{engine}: delta time at {hi:,} / at {lo:,} triples = {medians[hi] / medians[lo]:.2f}")


if __name__ == "__main__":
    main()
