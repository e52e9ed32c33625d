"""Bulk-load throughput (quads/s) of the embedded store through `kg load`, against `oxigraph load` (the same storage
engine's own Rust loader, as a peer) on the same dump, on this machine, in one run. The dump is copies of the
bundled corpus's article graphs and meta records (distinct articles, events and evidence), so it conforms to the
shapes and the validated load has real work to do.

    python bench/store.py [--quads 1000000] [--remote oxigraph,virtuoso] [--skip-validated]

With --remote, the same dump is also loaded with `kg load --no-validate --store URL` into a fresh Oxigraph server
and a fresh Virtuoso 7 on 127.0.0.1 (tests/remote_servers.py), a chunk of 50,000 quads and their copies in the
merge per request: an N-Quads POST to Oxigraph server's Graph Store, SPARQL Update requests to Virtuoso.

`kg load --no-validate` streams the file through pyoxigraph into the store and adds each quad's copy to the
default graph (the merge); `kg load` first validates the whole file as one delta through the SHACL gate.
Aim: at least 300k quads/s for the bulk load of the embedded store.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.validate import ARTICLES, copy_quads  # noqa: E402
from kg.ingest import ingest  # noqa: E402
from kg.names import GRAPH  # noqa: E402
from kg.store import open_store  # noqa: E402


def write_dump(path: Path, quads: int) -> int:
    """About `quads` quads of corpus copies as N-Quads; returns how many."""
    import pyoxigraph as ox

    seed = open_store(None)
    ingest(seed, [ARTICLES])
    per_copy = [q for q in seed.quads_for_pattern() if isinstance(q.graph_name, ox.NamedNode)
                and (q.graph_name.value.startswith(GRAPH + "article/") or q.graph_name.value == GRAPH + "meta")]
    n, written = 0, 0
    with path.open("wb") as f:
        while written < quads:
            part = copy_quads(per_copy, n)
            ox.serialize(part, f, ox.RdfFormat.N_QUADS)
            written, n = written + len(part), n + 1
    return written


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - t0


def remote_load(kind: str, dump: Path, tmp: Path) -> float:
    """Seconds `kg load --no-validate` takes to load the dump into a fresh `kind` server."""
    from tests.remote_servers import oxigraph, virtuoso

    with (oxigraph if kind == "oxigraph" else virtuoso)(tmp / kind) as url:
        return timed([sys.executable, "-m", "kg.cli", "load", "--no-validate", str(dump), "--store", url])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quads", type=int, default=1_000_000)
    parser.add_argument("--remote", default="", help="also load into these servers: oxigraph, virtuoso")
    parser.add_argument("--skip-validated", action="store_true",
                        help="leave out `kg load` with validation (it holds the whole dump in memory: 10M quads "
                             "did not fit in 23 GB)")
    args = parser.parse_args()
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "dump.nq"
        n = write_dump(dump, args.quads)
        kg = [sys.executable, "-m", "kg.cli", "load"]
        # The articles name catalog actors: the validated load needs the ontology and the catalog stored.
        (Path(tmp) / "none").mkdir()
        subprocess.run([sys.executable, "-m", "kg.cli", "ingest", f"{tmp}/none", "--store", f"{tmp}/v"], check=True,
                       capture_output=True)
        runs = [("oxigraph load (peer)", [oxigraph, "load", "--location", f"{tmp}/ox", "--file", str(dump)]),
                ("kg load --no-validate", [*kg, "--no-validate", str(dump), "--store", f"{tmp}/nv"]),
                ("kg load (validated)", [*kg, str(dump), "--store", f"{tmp}/v"])][:2 if args.skip_validated else 3]
        seconds = {name: timed(cmd) for name, cmd in runs}
        for kind in filter(None, args.remote.split(",")):
            seconds[f"kg load --no-validate → {kind} server"] = remote_load(kind, dump, Path(tmp))
    peer = seconds["oxigraph load (peer)"]
    table = Table(title=f"Bulk load of {n:,} quads (N-Quads) into an empty store")
    for col in ("loader", "seconds", "quads/s", "time ÷ oxigraph load"):
        table.add_column(col, justify="right")
    for name, s in seconds.items():
        table.add_row(name, f"{s:.1f}", f"{n / s:,.0f}", f"{s / peer:.1f}×")
    Console(width=120).print(table)


if __name__ == "__main__":
    main()
