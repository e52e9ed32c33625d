"""Bodies are cut at the limit before they are read whole; credentials are checked strictly and never crash."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from kg.http_guard import BodyTooLarge, bearer_matches, read_body


async def chunks(n: int, size: int, seen: list[int]) -> AsyncIterator[bytes]:
    for _ in range(n):
        seen.append(size)
        yield b"x" * size


def test_a_body_over_the_limit_stops_being_read() -> None:
    seen: list[int] = []
    with pytest.raises(BodyTooLarge):
        asyncio.run(read_body(chunks(300, 1_000_000, seen), None, 5_000_000))
    assert len(seen) == 6


def test_a_declared_length_over_the_limit_is_refused_unread() -> None:
    seen: list[int] = []
    with pytest.raises(BodyTooLarge):
        asyncio.run(read_body(chunks(1, 10, seen), "300000000", 5_000_000))
    assert seen == []


def test_a_body_within_the_limit_is_whole() -> None:
    assert asyncio.run(read_body(chunks(3, 4, []), "12", 100)) == b"x" * 12


@pytest.mark.parametrize("header, ok", [
    ("Bearer s3cret", True), ("bearer s3cret", True), ("BEARER  s3cret ", True), ("Bearer wrong", False),
    ("Basic s3cret", False), ("Bearer", False), ("", False), (None, False), ("Bearer sécret", False),
    ("Bearer s3cret\u00ff", False),
])
def test_bearer_tokens(header: str | None, ok: bool) -> None:
    assert bearer_matches(header, "s3cret") is ok
