"""Each named query's median time on the bundled store and on synthetic 100k- and 1M-quad stores.

    python bench/queries.py                      # builds the stores under /tmp/diplograph-bench (cached)
    python bench/queries.py --sizes 100000 --runs 3
    python bench/queries.py --sizes 1000000 --backends embedded,oxigraph,virtuoso

With --backends, each synthetic store is also loaded (`kg load --no-validate`) into a fresh Oxigraph server and a
fresh Virtuoso 7 on 127.0.0.1 (tests/remote_servers.py), and the queries run there through the remote store, as
`kg serve --store URL` runs them; the table then has one column per backend and size, and the load's quads/s.

A query runs in a child process on a read-only handle, once to warm up and then --runs times; the median is
reported with the row count. A query over --timeout seconds is stopped and shown as '>Ns'. Target: every named
query under 50 ms on the bundled store and under 1 s at 1M quads.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing as mp
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
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


def time_query(path: Path | str, name: str, runs: int, timeout: float) -> tuple[float | None, int]:
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


@contextlib.contextmanager
def loaded_remote(kind: str, embedded: Path, folder: Path) -> Iterator[tuple[str, float]]:
    """A fresh `kind` server holding the embedded store's named graphs, loaded as `kg load --no-validate` loads
    them; yields its URL and the load's quads/s."""
    from kg.store import open_store
    from tests.remote_servers import oxigraph, virtuoso

    dump = folder / "dump.nq"
    with open_store(embedded, read_only=True) as store:
        dump.write_bytes(store.export("nquads"))
        quads = store.count()
    with (oxigraph if kind == "oxigraph" else virtuoso)(folder / kind) as url:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kg.cli", "load", "--no-validate", str(dump), "--store", url],
                       check=True, capture_output=True)
        yield url, quads / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100000,1000000", help="synthetic store sizes (quads), comma-separated")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=20.0, help="seconds per run before a query is stopped")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/diplograph-bench"))
    ap.add_argument("--only", default="", help="comma-separated query names")
    ap.add_argument("--backends", default="embedded", help="embedded, oxigraph, virtuoso (comma-separated)")
    a = ap.parse_args()
    a.cache.mkdir(parents=True, exist_ok=True)
    stores: dict[str, Path] = {"bundled": bundled_store(a.cache)}
    for size in [int(s) for s in a.sizes.split(",") if s]:
        stores[f"{size // 1000}k" if size < 1_000_000 else f"{size // 1_000_000}M"] = synthetic_store(a.cache, size)
    with contextlib.ExitStack() as stack:
        columns = _columns(stores, a.backends.split(","), stack)
        _table(columns, a)


def _columns(stores: dict[str, Path], backends: list[str], stack: contextlib.ExitStack) -> dict[str, Path | str]:
    """One column per store and backend; remote backends are started and loaded here (and stopped on exit)."""
    from kg.store import open_store

    columns: dict[str, Path | str] = {}
    for label, path in stores.items():
        quads = open_store(path, read_only=True).count()
        for backend in backends:
            if backend == "embedded":
                columns[f"{label} ({quads:,} quads)"] = path
                continue
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            url, rate = stack.enter_context(loaded_remote(backend, path, folder))
            columns[f"{label} on {backend} (loaded at {rate:,.0f} quads/s)"] = url
    return columns


def _table(columns: dict[str, Path | str], a: argparse.Namespace) -> None:
    from kg.queries import load_queries

    names = [n for n in load_queries() if n not in SKIP and (not a.only or n in a.only.split(","))]
    print("| query | " + " | ".join(columns) + " |")
    print("|---|" + "---|" * len(columns))
    for name in names:
        cells = []
        for where in columns.values():
            median, rows = time_query(where, name, a.runs, a.timeout)
            cells.append(f">{a.timeout:g} s" if median is None else f"{median * 1000:,.1f} ms ({rows} rows)")
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
