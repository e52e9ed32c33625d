"""The HTTP edge of the endpoint: bodies read in chunks and cut at the limit, credentials checked strictly.

Nothing here parses RDF or SPARQL; it only decides, cheaply and on the event loop, whether a request may go on.
"""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator


class BodyTooLarge(ValueError):
    """A request body over the limit (413); the rest of it is never read."""


async def read_body(stream: AsyncIterator[bytes], declared: str | None, limit: int) -> bytes:
    """The body, read chunk by chunk and refused as soon as it passes `limit` bytes (or declares more)."""
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise BodyTooLarge(f"the request is over {limit:,} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in stream:
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(f"the request is over {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def bearer_matches(header: str | None, token: str) -> bool:
    """Whether an Authorization header carries the token: scheme case-insensitive (RFC 7235), anything
    malformed (no scheme, another scheme, characters outside ASCII) is simply not a match."""
    if not header:
        return False
    scheme, _, given = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return False
    try:
        given_bytes = given.strip().encode("ascii")
    except UnicodeEncodeError:
        return False
    return hmac.compare_digest(given_bytes, token.encode("utf-8"))
