"""No request freezes or crashes the server: hostile documents and queries are refused within 2 s while a
concurrent ASK {} answers within 0.5 s; runaway queries never starve the others, and hung-up ones stop."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from kg.store.pool import ADMISSION

from .conftest import copy_of
from .hostile import deep_update, entity_expansion, nested_rdf_xml
from .server_fixture import running_server

TOKEN = "freeze-token"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def server(corpus_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_server(copy_of(corpus_store, tmp_path_factory.mktemp("freeze")), "--token", TOKEN,
                        "--timeout", "60", "--workers", "6", "--max-request-bytes", "5000000") as base:
        yield base


def ask_seconds(base: str) -> float:
    started = time.monotonic()
    r = httpx.get(base + "/sparql", params={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+json"},
                  timeout=30)
    assert r.status_code == 200 and r.json()["boolean"] is True, r.text
    return time.monotonic() - started


def while_running(request: Callable[[], httpx.Response]) -> tuple[httpx.Response, float, float]:
    """Send `request` in a thread; while it is in flight, time an ASK {}. The answer, its time, the ASK's time."""
    out: dict[str, object] = {}

    def send() -> None:
        started = time.monotonic()
        out["response"] = request()
        out["seconds"] = time.monotonic() - started

    t = threading.Thread(target=send)
    t.start()
    ask = ask_seconds(BASE[0])
    t.join(timeout=60)
    return out["response"], float(out["seconds"]), ask  # type: ignore[return-value]


BASE: list[str] = []


@pytest.fixture(autouse=True)
def _base(server: str) -> Iterator[None]:
    BASE[:] = [server]
    yield


def test_entity_expansion_is_refused_at_once(server: str) -> None:
    r, seconds, ask = while_running(lambda: httpx.post(server + "/validate", content=entity_expansion(),
                                                       headers={"Content-Type": "application/rdf+xml"}, timeout=30))
    assert r.status_code == 400 and "DTD" in r.text
    assert seconds < 2 and ask < 0.5


def test_nested_rdf_xml_is_refused_at_once(server: str) -> None:
    doc = nested_rdf_xml(40_000)
    assert len(doc) > 2_000_000
    r, seconds, ask = while_running(lambda: httpx.post(server + "/validate", content=doc,
                                                       headers={"Content-Type": "application/rdf+xml"}, timeout=30))
    assert r.status_code == 400 and "nest" in r.text
    assert seconds < 2 and ask < 0.5


def test_a_100_kb_comment_query_is_refused_at_once(server: str) -> None:
    r, seconds, ask = while_running(lambda: httpx.post(server + "/sparql", content="#" * 99_000,
                                                       headers={"Content-Type": "application/sparql-query"},
                                                       timeout=30))
    assert r.status_code == 400
    assert seconds < 2 and ask < 0.5


def test_a_10000_deep_update_is_refused_and_the_server_stays_up(server: str) -> None:
    r, seconds, ask = while_running(lambda: httpx.post(server + "/sparql", content=deep_update(10_000), headers={
        "Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"}, timeout=30))
    assert r.status_code == 400 and "deep" in r.text
    assert seconds < 2 and ask < 0.5
    assert ask_seconds(server) < 0.5


def test_an_oversized_body_is_cut_at_the_limit(server: str) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(100):  # 100 MB offered, the limit is 5 MB
            yield b"#" * 1_000_000

    r = httpx.post(server + "/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"},
                   timeout=30)
    assert r.status_code == 413
    assert ask_seconds(server) < 0.5


def runaways(server: str, n: int, timeout: float) -> list[threading.Thread]:
    def run() -> None:
        try:
            httpx.get(server + "/sparql", params={"query": RUNAWAY}, timeout=timeout)
        except httpx.HTTPError:
            pass  # the client hangs up: that is the point

    threads = [threading.Thread(target=run, daemon=True) for _ in range(n)]
    for t in threads:
        t.start()
    return threads


def status(server: str) -> dict[str, object]:
    return httpx.get(server + "/status").json()


def wait_for(predicate: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_four_runaways_do_not_starve_a_simple_query(server: str) -> None:
    threads = runaways(server, 4, timeout=8)
    assert wait_for(lambda: status(server)["busy"] == 4, 5)
    assert ask_seconds(server) < 0.5
    for t in threads:
        t.join()


def test_hung_up_runaways_leave_no_work_behind(server: str) -> None:
    assert wait_for(lambda: status(server)["busy"] == 0, 10)
    threads = runaways(server, 6, timeout=1.5)
    assert wait_for(lambda: status(server)["busy"] == 6, 5)
    for t in threads:
        t.join()
    # Their clients are gone: their workers are stopped and replaced, none runs to the 60 s limit.
    assert wait_for(lambda: status(server)["busy"] == 0 and status(server)["idle"] == 6, 15)
    assert ask_seconds(server) < 0.5


def test_a_saturated_pool_answers_503_with_retry_after_at_once(server: str) -> None:
    assert wait_for(lambda: status(server)["busy"] == 0 and status(server)["idle"] == 6, 15)
    threads = runaways(server, 6, timeout=4)
    assert wait_for(lambda: status(server)["busy"] == 6, 5)
    started = time.monotonic()
    r = httpx.get(server + "/sparql", params={"query": "ASK {}"}, timeout=10)
    assert r.status_code == 503 and "Retry-After" in r.headers
    assert time.monotonic() - started < ADMISSION + 0.5  # a quarter-second wait for a worker, no queue
    for t in threads:
        t.join()
