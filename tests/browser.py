"""Headless Chromium (Debian's) driven by Playwright, for the page tests: a page that records every request it
makes, and screenshots saved under the test's folder (and into docs/screenshots/ when DIPLOGRAPH_SCREENSHOTS is
set, which is how the README's pictures are made)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
README_SHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


@contextmanager
def browser_page(requested: list[str]) -> Iterator[Any]:
    """A fresh page in headless Chromium; every URL it requests is appended to `requested`."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("request", lambda r: requested.append(r.url))
        try:
            yield page
        finally:
            browser.close()


def only_local(requested: list[str], base: str) -> bool:
    """No request left the server under test (inline data: URLs, and blob: URLs the page made itself, are not
    requests to anyone)."""
    return bool(requested) and all(u.startswith((base, "data:", "blob:" + base)) for u in requested)


def screenshot(page: Any, folder: Path, name: str) -> Path:
    """Save a full-page screenshot under `folder`, and for the README when DIPLOGRAPH_SCREENSHOTS is set."""
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if os.environ.get("DIPLOGRAPH_SCREENSHOTS"):
        README_SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, README_SHOTS / path.name)
    return path
