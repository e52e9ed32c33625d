"""Endpoint latency against peers, on the same data and machine, in one run.

Data: the bundled corpus plus synthetic copies of its article graphs (distinct events, evidence and articles,
sharing the catalog's actors) to about 200k triples. Three servers answer the same query mix over HTTP:
this endpoint (`kg serve`), `oxigraph serve` (PyPI package oxigraph, same storage engine, union default graph)
and rdflib-endpoint (PyPI rdflib-endpoint, rdflib's engine, on the same triples). Median latency per query.

With --clients N the mode is concurrent instead: N clients send lookups by IRI (a different event each time)
to each server at once, for at most --requests lookups or --seconds seconds, whichever comes first; the table
gives throughput (lookups/s) and p50/p99 latency.

    pip install oxigraph 'rdflib-endpoint[cli]'
    python bench/endpoint.py [--triples 200000] [--repeat 30]
    python bench/endpoint.py --clients 20 [--requests 20000] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))
from validate import ARTICLES, copy_quads  # noqa: E402

from kg.ingest import ingest  # noqa: E402
from kg.store import open_store  # noqa: E402

DIP = "https://w3id.org/diplograph/ontology#"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait(url: str, proc: subprocess.Popen[bytes], seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args} exited")
        try:
            httpx.get(url, params={"query": "ASK {}"}, timeout=5)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def median_latency(url: str, query: str, repeat: int) -> float:
    client = httpx.Client(timeout=120, headers={"Accept": "application/sparql-results+json"})
    client.get(url, params={"query": query})  # warm up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = client.get(url, params={"query": query})
        times.append(time.perf_counter() - t0)
        assert r.status_code == 200, r.text[:200]
    return statistics.median(times)


async def _client(url: str, queries: list[str], state: dict[str, Any]) -> None:
    async with httpx.AsyncClient(timeout=60, headers={"Accept": "application/sparql-results+json"}) as client:
        while state["sent"] < state["limit"] and time.perf_counter() < state["deadline"]:
            query = queries[state["sent"] % len(queries)]
            state["sent"] += 1
            t0 = time.perf_counter()
            r = await client.get(url, params={"query": query})
            state["latencies"].append(time.perf_counter() - t0)
            if r.status_code != 200:
                state["errors"] += 1


def concurrent_run(url: str, queries: list[str], clients: int, requests: int, seconds: float) -> dict[str, float]:
    """Throughput and latency percentiles of `clients` concurrent clients, bounded in count and time."""
    state: dict[str, Any] = {"sent": 0, "limit": requests, "latencies": [], "errors": 0}

    async def run() -> float:
        state["deadline"] = time.perf_counter() + seconds
        started = time.perf_counter()
        await asyncio.gather(*(_client(url, queries, state) for _ in range(clients)))
        return time.perf_counter() - started

    elapsed = asyncio.run(run())
    lat = sorted(state["latencies"])
    return {"done": len(lat), "errors": state["errors"], "per_s": len(lat) / elapsed,
            "p50": lat[len(lat) // 2] * 1000, "p99": lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000}


def concurrent_table(urls: dict[str, str], events: list[str], args: argparse.Namespace, total: int) -> Table:
    queries = [f"SELECT ?p ?o WHERE {{ <{e}> ?p ?o }}" for e in events]
    table = Table(title=f"{args.clients} concurrent clients, lookups by IRI, {total:,} triples "
                        f"(at most {args.requests:,} lookups or {args.seconds:g} s per server)")
    for col in ("server", "lookups", "errors", "lookups/s", "p50 ms", "p99 ms", "throughput vs diplograph"):
        table.add_column(col, justify="right")
    ours = None
    for name, url in urls.items():
        concurrent_run(url, queries[:50], args.clients, 200, 10)  # warm up
        r = concurrent_run(url, queries, args.clients, args.requests, args.seconds)
        ours = ours or r["per_s"]
        table.add_row(name, f"{r['done']:,.0f}", f"{r['errors']:,.0f}", f"{r['per_s']:,.0f}", f"{r['p50']:.1f}",
                      f"{r['p99']:.1f}", f"{r['per_s'] / ours:.2f}×")
    return table


def build(tmp: Path, triples: int) -> tuple[Path, Path, list[str], int]:
    """The store (corpus plus synthetic copies to about `triples`), its union as N-Triples for rdflib-endpoint,
    meeting IRIs to look up, and the triple count."""
    store_dir = tmp / "store"
    store = open_store(store_dir)
    ingest(store, [ARTICLES])
    articles = [q for q in store.quads_for_pattern()
                if "/graph/article/" in str(q.graph_name) or "/graph/meta" in str(q.graph_name)]
    n = 0
    while store.count() < triples:
        store.bulk_load(copy_quads(articles, n))
        n += 1
    store.flush()
    events = [r["e"].value for r in store.select(
        f"SELECT DISTINCT ?e WHERE {{ ?e a <{DIP}Meeting> ; <{DIP}evidence> ?x }} LIMIT 2000")]
    total = store.count()
    triples_file = tmp / "data.nt"
    with triples_file.open("wb") as f:  # the union as one graph, for rdflib-endpoint
        for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            f.write(f"{q.subject} {q.predicate} {q.object} .\n".encode())
    store.close()
    return store_dir, triples_file, events, total


def latency_table(urls: dict[str, str], event: str, repeat: int, total: int) -> Table:
    """Median latency of a query mix, one client at a time."""
    mix = {
        "lookup by IRI": f"SELECT ?p ?o WHERE {{ <{event}> ?p ?o }}",
        "3-pattern join + date filter": (
            f"SELECT ?e ?a ?d WHERE {{ ?e a <{DIP}Meeting> ; <{DIP}participant> ?a ; <{DIP}earliest> ?d . "
            f"FILTER(?d >= \"2026-01-01\"^^<http://www.w3.org/2001/XMLSchema#date>) }}"),
        "GROUP BY count": "SELECT ?t (COUNT(?e) AS ?n) WHERE { ?e a ?t } GROUP BY ?t",
    }
    table = Table(title=f"median latency over {repeat} runs, {total:,} triples (ms)")
    for col in ("query", "diplograph", "oxigraph serve", "rdflib-endpoint", "diplograph / oxigraph",
                "rdflib-endpoint / diplograph"):
        table.add_column(col, justify="right")
    for label, query in mix.items():
        ours = median_latency(urls["diplograph"], query, repeat)
        theirs = median_latency(urls["oxigraph"], query, repeat)
        rdflib_t = median_latency(urls["rdflib-endpoint"], query, max(3, repeat // 10))
        table.add_row(label, f"{ours * 1000:.1f}", f"{theirs * 1000:.1f}", f"{rdflib_t * 1000:.1f}",
                      f"{ours / theirs:.2f}×", f"{rdflib_t / ours:.1f}×")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--triples", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--clients", type=int, default=0, help="concurrent mode with this many clients")
    parser.add_argument("--requests", type=int, default=20_000, help="at most this many lookups per server")
    parser.add_argument("--seconds", type=float, default=20, help="at most this long per server")
    parser.add_argument("--workers", type=int, default=6, help="worker processes of kg serve")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="diplograph-endpoint-"))
    procs: list[subprocess.Popen[bytes]] = []
    try:
        store_dir, triples_file, events, total = build(tmp, args.triples)
        event = events[0]
        ox_dir = tmp / "oxigraph-store"
        shutil.copytree(store_dir, ox_dir)
        bin_dir = Path(sys.executable).parent

        ports = {name: free_port() for name in ("diplograph", "oxigraph", "rdflib-endpoint")}
        procs.append(subprocess.Popen([str(bin_dir / "kg"), "serve", "--store", str(store_dir), "--port",
                                       str(ports["diplograph"]), "--timeout", "120", "--workers", str(args.workers)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        procs.append(subprocess.Popen([str(bin_dir / "oxigraph"), "serve", "--location", str(ox_dir), "--bind",
                                       f"127.0.0.1:{ports['oxigraph']}"],  # the default graph is the union
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        procs.append(subprocess.Popen([str(bin_dir / "rdflib-endpoint"), "serve", str(triples_file), "--host",
                                       "127.0.0.1", "--port", str(ports["rdflib-endpoint"])],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        urls = {"diplograph": f"http://127.0.0.1:{ports['diplograph']}/sparql",
                "oxigraph": f"http://127.0.0.1:{ports['oxigraph']}/query",
                "rdflib-endpoint": f"http://127.0.0.1:{ports['rdflib-endpoint']}/"}
        for name, proc in zip(urls, procs, strict=True):
            wait(urls[name], proc)

        if args.clients:
            Console().print(concurrent_table(urls, events, args, total))
            return
        Console().print(latency_table(urls, event, args.repeat, total))
    finally:
        for p in procs:
            p.terminate()
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
