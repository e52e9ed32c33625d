"""Debian's Chromium driven by Playwright for the page tests: the same flags everywhere, every request the page
makes recorded, so a test can assert that nothing left the server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def need_chromium() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")


@contextmanager
def browser_page(requested: list[str]) -> Iterator[Any]:
    """A fresh page in headless Chromium; the URL of every request it makes is appended to `requested`."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            page = browser.new_page()
            page.on("request", lambda r: requested.append(r.url))
            yield page
        finally:
            browser.close()


def offsite(requested: list[str], server: str) -> list[str]:
    """The requests that went anywhere but the server under test (data: URIs stay in the page)."""
    return [u for u in requested if not (u.startswith(server + "/") or u == server or u.startswith(("data:", "blob:")))]
