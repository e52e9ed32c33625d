"""What an endpoint is configured with: its store, its write token and its limits."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..jobs import Policy
from ..sparql_tree import MAX_DEPTH
from ..store import DEFAULT_PATH


@dataclass
class Settings:
    store: Path | str | None = DEFAULT_PATH
    token: str | None = None
    timeout: float = 10.0
    allow_service: list[str] = field(default_factory=list)
    allow_drop_all: bool = False
    max_query_bytes: int = 100_000
    max_request_bytes: int = 20_000_000
    max_result_bytes: int = 50_000_000
    max_literal: int = 1_000_000
    max_depth: int = MAX_DEPTH
    workers: int = 6
    memory_bytes: int = 4_000_000_000
    engine: str = "turbo"
    wikidata_endpoint: str = "https://query.wikidata.org/sparql"
    # The public URL of the server's root behind a proxy (e.g. https://example.org/diplograph/): the w3id IRIs
    # (names.ID) map to BASE + 'id/...', and pages link there. None: links are paths on this server.
    base: str | None = None
    # The token of the note `kg serve` leaves beside the store (kg.store.served): commands of the store's owner on
    # this machine write through the server with it. Never shown to HTTP clients; the endpoint stays read-only
    # for everyone else unless `token` is set.
    local_token: str | None = None

    def __post_init__(self) -> None:
        if self.base is not None and not re.fullmatch(r"https?://[^\s\"'<>\\?#]+", self.base):
            raise ValueError(f"base {self.base!r}: expected an http(s) URL without query, fragment or quotes")

    def site(self) -> str:
        """Where the server's root is, ending in '/': the base URL, or '/' for links relative to this host."""
        return self.base.rstrip("/") + "/" if self.base else "/"

    def root_path(self) -> str:
        """The path part of the base (no trailing '/'): the app's ASGI root_path behind a proxy."""
        return urlsplit(self.base).path.rstrip("/") if self.base else ""

    def policy(self) -> Policy:
        return Policy(self.allow_service, self.allow_drop_all, self.max_depth, self.max_result_bytes,
                      self.max_literal, self.engine)
