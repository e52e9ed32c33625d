"""Each named query's median time on the bundled store and on synthetic 100k- and 1M-quad stores.

    python bench/queries.py                      # builds the stores under /tmp/diplograph-bench (cached)
    python bench/queries.py --sizes 100000 --runs 3

A query runs in a child process on a read-only handle, once to warm up and then --runs times; the median is
reported with the row count. A query over --timeout seconds is stopped and shown as '>Ns'. Target: every named
query under 50 ms on the bundled store and under 1 s at 1M quads.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROOT = Path(__file__).resolve().parent.parent
SKIP = {"wikidata-positions"}  # calls the live Wikidata service


def bundled_store(cache: Path) -> Path:
    path = cache / "bundled"
    if not path.exists():
        subprocess.run([sys.executable, "-m", "kg.cli", "ingest", str(ROOT / "data" / "articles"), "--store",
                        str(path)], check=True, capture_output=True)
    return path


def synthetic_store(cache: Path, quads: int) -> Path:
    from bench.synth import build

    path = cache / f"synth-{quads}"
    if not path.exists():
        build(quads, path)
    return path


def params_for(store, name: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Parameters that exist in this store: the most-reported event for event-sources, defaults otherwise."""
    if name != "event-sources":
        return {}
    rows = store.select("""SELECT ?e (COUNT(DISTINCT ?a) AS ?n) WHERE { ?e a dip:PhoneCall ;
                           dip:evidence/oa:hasSource ?a } GROUP BY ?e ORDER BY DESC(?n) ?e LIMIT 1""")
    return {"event": rows[0]["e"].value} if rows else {}


def _child(path: str, name: str, runs: int, out: mp.Queue) -> None:  # type: ignore[type-arg]
    from kg.queries import load_queries
    from kg.store import open_store

    store = open_store(path, read_only=True)
    q = load_queries()[name]
    text = q.bound(params_for(store, name))
    times, rows = [], 0
    for i in range(runs + 1):
        t0 = time.perf_counter()
        rows = len(list(store.query(text)))  # type: ignore[call-overload]
        if i:
            times.append(time.perf_counter() - t0)
    out.put((statistics.median(times), rows))


def time_query(path: Path, name: str, runs: int, timeout: float) -> tuple[float | None, int]:
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    p = ctx.Process(target=_child, args=(str(path), name, runs, out))
    p.start()
    p.join(timeout * (runs + 1))
    if p.is_alive():
        p.kill()
        p.join()
        return None, 0
    return out.get() if not out.empty() else (None, 0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100000,1000000", help="synthetic store sizes (quads), comma-separated")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=20.0, help="seconds per run before a query is stopped")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/diplograph-bench"))
    ap.add_argument("--only", default="", help="comma-separated query names")
    a = ap.parse_args()
    from kg.queries import load_queries
    from kg.store import open_store

    a.cache.mkdir(parents=True, exist_ok=True)
    stores = {"bundled": bundled_store(a.cache)}
    for size in [int(s) for s in a.sizes.split(",") if s]:
        stores[f"{size // 1000}k" if size < 1_000_000 else f"{size // 1_000_000}M"] = synthetic_store(a.cache, size)
    sizes = {label: open_store(p, read_only=True).count() for label, p in stores.items()}
    names = [n for n in load_queries() if n not in SKIP and (not a.only or n in a.only.split(","))]
    print("| query | " + " | ".join(f"{label} ({sizes[label]:,} quads)" for label in stores) + " |")
    print("|---|" + "---|" * len(stores))
    for name in names:
        cells = []
        for path in stores.values():
            median, rows = time_query(path, name, a.runs, a.timeout)
            cells.append(f">{a.timeout:g} s" if median is None else f"{median * 1000:,.1f} ms ({rows} rows)")
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
