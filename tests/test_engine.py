"""Reads answer from a snapshot while a write is being checked and committed; a write shows in the next read."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.diffs import Change
from kg.jobs import Policy, QueryJob, Staged, run_query
from kg.store.engine import Engine

QUAD = ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"), ox.Literal("o"),
               ox.NamedNode("http://example.org/g"))


def held_write(ctx: Any, store: ox.Store, flag: str) -> Staged:
    """A write whose check lasts until the test lets it go (the flag file appears)."""
    deadline = time.monotonic() + 30
    while not Path(flag).exists() and time.monotonic() < deadline:
        pass
    return Staged(Change([], [QUAD]))


def ask(engine: Engine) -> Any:
    job = QueryJob("ASK { <http://example.org/s> ?p ?o }", "application/sparql-results+json", None)
    return engine.read(run_query, (job, Policy()))


def test_reads_answer_while_a_write_is_in_progress_and_see_it_once_committed(tmp_path: Path) -> None:
    engine = Engine(tmp_path / "store", Policy(), workers=2, timeout=30)
    flag = tmp_path / "go"

    async def scenario() -> tuple[bytes, bytes, bool]:
        write = asyncio.create_task(engine.write(held_write, (str(flag),), "http://example.org/agent", "test"))
        deadline = time.monotonic() + 30
        while engine.pool.busy() < 1 and time.monotonic() < deadline:
            await asyncio.sleep(0.01)  # polling for the write to be in its worker
        during = (await ask(engine)).body
        in_progress = not write.done()
        flag.touch()
        await write
        return during, (await ask(engine)).body, in_progress

    try:
        during, after, in_progress = asyncio.run(scenario())
    finally:
        engine.close()
    assert in_progress and b"false" in during and b"true" in after
    assert len(engine.journal.ids()) == 1
