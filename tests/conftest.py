"""Shared fixtures: the bundled corpus, stores, and the shared folder beside the project."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.store import OxigraphStore, open_store

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def mem_store() -> OxigraphStore:
    return open_store(None)


@pytest.fixture
def disk_store(tmp_path: Path) -> OxigraphStore:
    return open_store(tmp_path / "store")


@pytest.fixture(scope="session")
def corpus_files() -> list[Path]:
    return sorted(ARTICLES.glob("*.txt"))


def needs_shared(sub: str) -> Path:
    """A path under ../shared, or skip the test with a message when the folder is absent."""
    path = SHARED / sub
    if not path.exists():
        pytest.skip(f"{path} is absent (tests that read ../shared skip without it)")
    return path


def copy_of(store: Path, tmp_path: Path) -> Path:
    """A copy of an on-disk store, so a test can change it without touching the module's shared one."""
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    return copy


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built from the bundled articles once per session; copy it (copy_of) before changing it."""
    from typer.testing import CliRunner

    from kg.cli import app

    path = tmp_path_factory.mktemp("corpus") / "store"
    result = CliRunner().invoke(app, ["ingest", str(ARTICLES), "--store", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="session")
def corpus(corpus_store: Path) -> Iterator[OxigraphStore]:
    """The session's corpus store, opened read-only: for tests that only read it."""
    with OxigraphStore(corpus_store, read_only=True) as s:
        yield s
