"""One page, one source: an article whose URL the store already has under another id (the .txt and the .html
of one story, or a copy with a line more) is not counted as a second source."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from kg.cli import app
from kg.ingest import url_variants
from kg.store import open_store

from .conftest import ARTICLES

URL = "https://www.example.org/world/trump-petro-white-house"
BODY = (ARTICLES / "004_0c5d86e8ee898d62.txt").read_text(encoding="utf-8").split("\n\n", 1)[-1]
ARTICLE_GRAPHS = ("SELECT (COUNT(DISTINCT ?g) AS ?n) "
                  "WHERE { GRAPH ?g { ?e <https://w3id.org/diplograph/ontology#evidence> ?x } }")


def txt(folder: Path, name: str, url: str, body: str = BODY) -> Path:
    path = folder / name
    path.write_text(f"url: {url}\npublished: 2026-02-04\n\n{body}", encoding="utf-8")
    return path


def html(folder: Path, name: str, url: str) -> Path:
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY.split("\n") if p.strip())
    path = folder / name
    path.write_text(f'<html><head><title>Petro at the White House</title><link rel="canonical" href="{url}">'
                    f'<meta property="article:published_time" content="2026-02-04"></head>'
                    f"<body><article>{paragraphs}</article></body></html>", encoding="utf-8")
    return path


def ingest(store: Path, *files: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["ingest", *map(str, files), "--store", str(store)])
    return result.exit_code, result.output


def sources(store: Path) -> int:
    with open_store(store, read_only=True) as s:
        return int(s.select(ARTICLE_GRAPHS)[0]["n"].value)


def test_the_html_of_a_stored_story_is_not_a_second_source(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert ingest(store, txt(tmp_path, "story.txt", URL))[0] == 0
    code, out = ingest(store, html(tmp_path, "story.html", URL))
    assert code == 0 and "duplicate" in out and URL in out
    assert sources(store) == 1


def test_a_copy_with_a_line_more_under_another_spelling_of_the_url_is_a_duplicate(tmp_path: Path) -> None:
    store = tmp_path / "store"
    ingest(store, txt(tmp_path, "a.txt", URL))
    code, out = ingest(store, txt(tmp_path, "b.txt", "http://www.example.org/world/trump-petro-white-house/#top",
                                  BODY + "\nUpdated with reactions.\n"))
    assert code == 0 and "1 duplicate(s)" in out
    assert sources(store) == 1


def test_two_files_of_one_story_in_one_batch_make_one_source(tmp_path: Path) -> None:
    store = tmp_path / "store"
    code, out = ingest(store, txt(tmp_path, "a.txt", URL), html(tmp_path, "b.html", URL))
    assert code == 0 and "ingested 1 article(s)" in out
    assert sources(store) == 1


def test_different_pages_stay_different_sources(tmp_path: Path) -> None:
    store = tmp_path / "store"
    ingest(store, txt(tmp_path, "a.txt", URL), txt(tmp_path, "b.txt", URL + "-analysis", BODY + "\nAnalysis.\n"))
    assert sources(store) == 2


def test_the_spellings_of_one_url() -> None:
    assert set(url_variants("https://example.org/a/#x")) >= {"https://example.org/a", "http://example.org/a/"}
