"""Each page's median time through a real `kg serve`, on the bundled store and a synthetic 100k-quad store, next to
the time of its main SPARQL query sent to /sparql of the same server (the page's overhead is the ratio). A named
query's page shows one page of rows; its query alone gives them all.

    python bench/pages.py                        # stores cached under /tmp/diplograph-bench
    python bench/pages.py --sizes 100000 --runs 7

Aim: every page under 300 ms on the bundled store and under 1.5 s with 100k quads.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.queries import bundled_store, synthetic_store  # noqa: E402
from kg.pages import sparql  # noqa: E402
from kg.queries import load_queries  # noqa: E402
from kg.server.pages import MAX_EDGES, MAX_MARKS  # noqa: E402
from tests.server_fixture import running_server  # noqa: E402

ID = "https://w3id.org/diplograph/id/"
HTML = {"Accept": "text/html"}
NAMED = load_queries()
BUSIEST = """PREFIX dip: <https://w3id.org/diplograph/ontology#> PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?e (COUNT(DISTINCT ?a) AS ?n) WHERE { ?e dip:evidence/oa:hasSource ?a }
GROUP BY ?e ORDER BY DESC(?n) ?e LIMIT 1"""
BUSIEST_ACTOR = """PREFIX dip: <https://w3id.org/diplograph/ontology#>
SELECT ?x (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e dip:participant|dip:agent|dip:target ?x . ?x a dip:Person }
GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1"""


def median_ms(get: object, runs: int) -> float:
    """Median wall time of `get()` over `runs` calls after one warm-up, in milliseconds."""
    assert callable(get)
    get()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        r = get()
        times.append(time.perf_counter() - t0)
        assert r.status_code == 200, r.text[:300]
    return statistics.median(times) * 1000


def first(base: str, query: str) -> str:
    r = httpx.get(base + "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    return next(iter(r.json()["results"]["bindings"][0].values()))["value"]


def measure(store: Path, runs: int) -> list[tuple[str, float, float]]:
    """(page, page ms, its main query's ms) for each page."""
    with running_server(store) as base, httpx.Client(timeout=120) as http:
        event, actor = first(base, BUSIEST), first(base, BUSIEST_ACTOR)
        pages = [("event page", "/id/" + event[len(ID):], sparql.event_sources(event)),
                 ("actor page", "/id/" + actor[len(ID):], sparql.actor_events(actor)),
                 ("timeline", "/timeline", sparql.timeline([], [], "", "", MAX_MARKS)),
                 ("timeline of one actor", "/timeline?actor=" + actor[len(ID):],
                  sparql.timeline([actor], [], "", "", MAX_MARKS)),
                 ("network", "/network", sparql.network([], "", "", MAX_EDGES)),
                 ("named query: timeline", "/queries/timeline", NAMED["timeline"].bound({})),
                 ("named query: export-events (first 50 rows)", "/queries/export-events",
                  NAMED["export-events"].bound({}))]
        out = []
        for name, path, query in pages:
            page = median_ms(lambda p=path: http.get(base + p, headers=HTML), runs)
            alone = median_ms(lambda q=query: http.get(base + "/sparql", params={"query": q},
                                                      headers={"Accept": "application/sparql-results+json"}), runs)
            out.append((name, page, alone))
        return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000", help="synthetic store sizes (quads), comma-separated")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/diplograph-bench"))
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    stores = [("bundled", bundled_store(args.cache), 300.0)]
    stores += [(f"{int(n):,} quads", synthetic_store(args.cache, int(n)), 1500.0) for n in args.sizes.split(",") if n]
    table = Table(title="Pages: median time through kg serve, and its main SPARQL query alone on /sparql")
    for col in ("store", "page", "page (ms)", "query alone (ms)", "page ÷ query", "aim (ms)", "met"):
        table.add_column(col, justify="right")
    for label, path, aim in stores:
        for name, page, alone in measure(path, args.runs):
            table.add_row(label, name, f"{page:.0f}", f"{alone:.0f}", f"{page / alone:.1f}×", f"{aim:.0f}",
                          "yes" if page < aim else "NO")
    Console(width=150).print(table)


if __name__ == "__main__":
    main()
