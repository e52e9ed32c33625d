"""Throwaway remote stores on 127.0.0.1 for the remote-store tests and benches: an Oxigraph server (PyPI
'oxigraph') and a Virtuoso Open Source 7 (Debian's virtuoso-opensource), each in a folder of its own.

Virtuoso's database lives in a temporary folder; its ini is Debian's with that folder and free ports. The anonymous
SPARQL user is granted SPARQL_UPDATE so that /sparql takes updates, as a deployment behind its own proxy would.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from .server_fixture import free_port, stop, wait_for

SYSTEM_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
SETTINGS = {
    "ResultSetMaxRows": "1000000",  # Debian's 10,000 would cut an export short (RemoteStore then refuses it)
    "MaxQueryExecutionTime": "120",
    # Its cost estimate for nested subqueries is far off (1,845 s for conflicts, answered in well under a second).
    "MaxQueryCostEstimationTime": "0",
    "NumberOfBuffers": "170000",
    "MaxDirtyBuffers": "130000",
    "CheckpointInterval": "0",
}


def _ini(folder: Path, sql_port: int, http_port: int) -> Path:
    text = SYSTEM_INI.read_text(encoding="utf-8").replace("/var/lib/virtuoso-opensource-7/db", str(folder))
    text = re.sub(r"(?m)^ServerPort(\s*)=\s*1111\b", f"ServerPort\\1= {sql_port}", text)
    text = re.sub(r"(?m)^ServerPort(\s*)=\s*8890\b", f"ServerPort\\1= {http_port}", text)
    text = re.sub(r"(?m)^DirsAllowed(\s*)=\s*", f"DirsAllowed\\1= {folder}, ", text)
    for key, value in SETTINGS.items():
        text = re.sub(rf"(?m)^{key}(\s*)=\s*\S+", f"{key}\\1= {value}", text)
    folder.mkdir(parents=True, exist_ok=True)
    ini = folder / "virtuoso.ini"
    ini.write_text(text, encoding="utf-8")
    return ini


def _isql(port: int, sql: str) -> None:
    isql = shutil.which("isql-vt") or "isql-vt"
    subprocess.run([isql, str(port), "dba", "dba", f"exec={sql}"], check=True, capture_output=True, timeout=60)


@contextmanager
def oxigraph(folder: Path) -> Iterator[str]:
    """A running Oxigraph server whose query endpoint (/query) is the yielded URL."""
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if binary is None:
        raise RuntimeError("the oxigraph server (PyPI 'oxigraph', a test dependency) is not installed")
    port = free_port()
    proc = subprocess.Popen([binary, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    try:
        wait_for(lambda: httpx.post(url, content="ASK {}", headers={"Content-Type": "application/sparql-query"})
                 .is_success, proc, 30, lambda: "oxigraph serve did not start")
        yield url
    finally:
        stop(proc)


@contextmanager
def virtuoso(folder: Path) -> Iterator[str]:
    """A running Virtuoso whose SPARQL endpoint (query and update) is the yielded URL."""
    binary = shutil.which("virtuoso-t")
    if binary is None:
        raise RuntimeError("Virtuoso is not installed: apt-get install virtuoso-opensource (.ci/run does)")
    sql_port, http_port = free_port(), free_port()
    ini = _ini(folder, sql_port, http_port)
    proc = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], cwd=folder,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{http_port}/sparql"
    try:
        log = folder / "virtuoso.log"
        wait_for(lambda: httpx.get(url, params={"query": "ASK {}"}).is_success, proc, 90,
                 lambda: f"virtuoso-t did not start: {log.read_text(errors='replace')[-2000:]}")
        _isql(sql_port, 'grant SPARQL_UPDATE to "SPARQL";')
        yield url
    finally:
        stop(proc, 30)
