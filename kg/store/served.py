"""A store that a `kg serve` holds open: the server leaves a note beside the store folder (where to send SPARQL,
and a private write token; mode 0600, so only the store's owner reads it), and every other command on this
machine reads and writes through the running server instead of opening files it holds. The server then sees
what `kg ingest`, `kg merge`, `kg load`, `kg link` or `kg revert` commit as soon as they commit."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Serving:
    url: str  # the server's SPARQL endpoint
    token: str  # its local write token


def note_path(store: Path) -> Path:
    return store.with_name(store.name + ".serving.json")


def local_url(host: str, port: int) -> str:
    """Where a command on this machine reaches a server listening on host:port."""
    if host in ("0.0.0.0", ""):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    return f"http://[{host}]:{port}/sparql" if ":" in host else f"http://{host}:{port}/sparql"


def new_token() -> str:
    return secrets.token_urlsafe(32)


@contextlib.contextmanager
def serving(store: Path, url: str, token: str) -> Iterator[None]:
    """Leave the note while the server runs; remove it when it stops (uvicorn re-raises SIGTERM once it has shut
    down: it becomes SystemExit here, so the note goes too)."""
    previous = signal.signal(signal.SIGTERM, _exit)
    path = note_path(store)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump({"pid": os.getpid(), "url": url, "token": token}, f)
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
        signal.signal(signal.SIGTERM, previous)


def _exit(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def served(store: Path) -> Serving | None:
    """The server that holds `store`, when one runs (a note left by a server that died is ignored)."""
    try:
        note = json.loads(note_path(store).read_text(encoding="utf-8"))
        os.kill(int(note["pid"]), 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if int(note["pid"]) == os.getpid():
        return None  # the server's own process opens the store itself
    return Serving(str(note["url"]), str(note["token"]))
