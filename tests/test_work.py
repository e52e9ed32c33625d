"""The worker pool: jobs run in isolated processes, runaways are stopped, a full pool refuses at once."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from kg.store.pool import Cancelled, Crashed, Pool, Saturated, TimeLimit


def echo(ctx: Any, store: Any, value: int) -> int:
    return value * 2


def fail(ctx: Any, store: Any) -> None:
    raise ValueError("the job's own error")


def spin(ctx: Any, store: Any) -> None:
    while True:
        pass


def die(ctx: Any, store: Any) -> None:
    import os

    os._exit(3)


def connect(ctx: Any, store: Any, port: int) -> str:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return "connected"
    except OSError as e:
        return f"refused: {e}"


@pytest.fixture(scope="module")
def pool() -> Iterator[Pool]:
    p = Pool(size=2, timeout=5)
    yield p
    p.close()


def idle_again(pool: Pool, deadline: float = 30) -> bool:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if pool.busy() == 0 and len(pool._idle) == pool.size:
            return True
        time.sleep(0.05)
    return False


def test_a_job_runs_in_a_worker_and_its_error_comes_back(pool: Pool) -> None:
    assert asyncio.run(pool.run(echo, (21,))) == 42
    with pytest.raises(ValueError, match="own error"):
        asyncio.run(pool.run(fail, ()))


def test_workers_have_no_network(pool: Pool) -> None:
    hits: list[int] = []
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.settimeout(5)
        threading.Thread(target=lambda: hits.append(1) if server.accept() else None, daemon=True).start()
        answer = asyncio.run(pool.run(connect, (server.getsockname()[1],)))
    assert pool.isolation().network_cut
    assert answer.startswith("refused") and not hits


def test_a_runaway_is_stopped_at_its_limit_and_replaced(pool: Pool) -> None:
    with pytest.raises(TimeLimit):
        asyncio.run(pool.run(spin, (), timeout=0.5))
    assert idle_again(pool)


def test_a_dead_worker_is_a_crash_not_a_time_limit(pool: Pool) -> None:
    with pytest.raises(Crashed):
        asyncio.run(pool.run(die, ()))
    assert idle_again(pool)


def test_a_full_pool_refuses_at_once_and_a_hung_up_client_frees_its_worker(pool: Pool) -> None:
    gone = asyncio.Event()

    async def scenario() -> list[Any]:
        async def disconnected() -> bool:
            return gone.is_set()

        runaways = [asyncio.create_task(pool.run(spin, (), disconnected=disconnected)) for _ in range(2)]
        while pool.busy() < 2:
            await asyncio.sleep(0.01)
        with pytest.raises(Saturated):
            await pool.run(echo, (1,))
        gone.set()
        return await asyncio.gather(*runaways, return_exceptions=True)

    results = asyncio.run(scenario())
    assert all(isinstance(r, Cancelled) for r in results), results
    assert idle_again(pool)
