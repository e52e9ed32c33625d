"""A real `kg serve` on a free port of 127.0.0.1, started and stopped by the tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(ready: Callable[[], bool], proc: subprocess.Popen[bytes], seconds: float,
             failure: Callable[[], str]) -> None:
    """Poll `ready` (an HTTP error counts as not yet) until it holds; RuntimeError(failure()) if the process ends
    or `seconds` pass first."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if ready():
                return
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(failure())
        time.sleep(0.1)


def stop(proc: subprocess.Popen[bytes], seconds: float = 10) -> None:
    """Terminate a server process; kill it if it has not ended within `seconds`."""
    proc.terminate()
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def running_server(store: Path | str, *args: str, log_path: Path | None = None) -> Iterator[str]:
    """Serve `store` (a folder, or a remote store's URL) with `kg serve` and yield its base URL; the process is
    stopped afterwards. Its output goes to `log_path`, by default beside the store folder."""
    port = free_port()
    log_path = log_path or Path(str(store) + ".log")
    log = log_path.open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", str(port),
                             *args], stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: httpx.get(base + "/sparql", timeout=2).status_code == 200, proc, 60,
                 lambda: f"kg serve did not start: {log_path.read_text()}")
        yield base
    finally:
        stop(proc)
        log.close()
