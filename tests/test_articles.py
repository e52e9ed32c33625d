"""Reading article files: headers, formats, sentence offsets, and clear errors for bad input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kg.articles import ArticleError, parse_text, read_article, split_sentences

from .conftest import needs_shared


def test_bundled_article_bodies_are_the_seed_texts_unchanged(corpus_files: list[Path]) -> None:
    seeds = needs_shared("seeds")
    for f in corpus_files:
        assert read_article(f).body == (seeds / f.name).read_text(encoding="utf-8")


def test_header_gives_metadata_and_the_body_follows_the_blank_line() -> None:
    article = parse_text("url: https://example.org/a\npublished: 2026-02-04\noutlet: News18\n\nBody text here.")
    assert article.published == dt.date(2026, 2, 4)
    assert article.url == "https://example.org/a"
    assert article.body == "Body text here."


def test_published_unknown_leaves_the_date_unset(corpus_files: list[Path]) -> None:
    assert read_article(corpus_files[0]).published is None
    assert read_article(corpus_files[4]).published == dt.date(2026, 2, 4)


def test_a_first_paragraph_that_is_not_a_header_is_body() -> None:
    text = "Trump meets Petro\nBogotá: the talks went well.\n\nMore text."
    assert parse_text(text).body == text


def test_every_sentence_is_the_body_between_its_offsets(corpus_files: list[Path]) -> None:
    for f in corpus_files:
        article = read_article(f)
        assert article.sentences
        for s in article.sentences:
            assert article.body[s.start:s.end] == s.text


def test_abbreviations_do_not_end_sentences() -> None:
    texts = [s.text for s in split_sentences("U.S. President Donald Trump met Sen. Moreno. Then he left.")]
    assert texts == ["U.S. President Donald Trump met Sen. Moreno.", "Then he left."]


def test_a_sentence_ends_after_a_closing_quote() -> None:
    texts = [s.text for s in split_sentences("He said: “We will meet.” The talks begin on Tuesday.")]
    assert texts == ["He said: “We will meet.”", "The talks begin on Tuesday."]


def test_bad_published_date_names_file_line_and_field(tmp_path: Path) -> None:
    f = tmp_path / "bad.txt"
    f.write_text("url: https://example.org/x\npublished: 2026-13-45\n\nBody.", encoding="utf-8")
    with pytest.raises(ArticleError) as e:
        read_article(f)
    assert str(e.value).startswith(f"{f}:2: published:")


def test_unknown_header_field_is_an_error(tmp_path: Path) -> None:
    f = tmp_path / "bad.txt"
    f.write_text("published: 2026-01-01\nauthor: someone\n\nBody.", encoding="utf-8")
    with pytest.raises(ArticleError, match="unknown header field 'author'"):
        read_article(f)


def test_a_header_with_no_body_is_an_error(tmp_path: Path) -> None:
    f = tmp_path / "empty.txt"
    f.write_text("published: 2026-01-01\n\n   \n", encoding="utf-8")
    with pytest.raises(ArticleError, match="no body text"):
        read_article(f)


def test_non_utf8_file_is_an_error_naming_the_line(tmp_path: Path) -> None:
    f = tmp_path / "latin1.txt"
    f.write_bytes("line one\nBogot\xe1\n".encode("latin-1"))
    with pytest.raises(ArticleError, match=r"latin1.txt:2: not UTF-8"):
        read_article(f)


def test_json_article_reads_the_same_keys(tmp_path: Path) -> None:
    f = tmp_path / "a.json"
    f.write_text(json.dumps({"published": "2026-02-04", "title": "T", "body": "Petro met Trump."}), encoding="utf-8")
    article = read_article(f)
    assert article.body == "Petro met Trump." and article.published == dt.date(2026, 2, 4)


def test_json_with_a_wrong_field_type_names_the_field(tmp_path: Path) -> None:
    f = tmp_path / "a.json"
    f.write_text(json.dumps({"published": 2026, "body": "x"}), encoding="utf-8")
    with pytest.raises(ArticleError, match="field 'published'"):
        read_article(f)


def test_invalid_json_names_the_line(tmp_path: Path) -> None:
    f = tmp_path / "a.json"
    f.write_text('{\n"body": "x",\n}', encoding="utf-8")
    with pytest.raises(ArticleError, match=r"a.json:3: invalid JSON"):
        read_article(f)


def test_html_page_gives_main_text_and_metadata(tmp_path: Path) -> None:
    f = tmp_path / "page.html"
    paragraph = ("Colombian President Gustavo Petro and US President Donald Trump held their first "
                 "face-to-face talks at the White House on Tuesday, seeking to repair relations. ")
    f.write_text(f"""<html lang="en"><head><title>Petro meets Trump</title>
<meta property="article:published_time" content="2026-02-04T00:37:00+05:30">
<meta property="og:site_name" content="News18"></head>
<body><nav>Home | World</nav><article><h1>Petro meets Trump</h1><p>{paragraph * 3}</p>
<p>The meeting came only weeks after Trump publicly threatened Petro.</p></article>
<footer>Copyright</footer></body></html>""", encoding="utf-8")
    article = read_article(f)
    assert "held their first face-to-face talks" in article.body
    assert "Copyright" not in article.body
    assert article.published == dt.date(2026, 2, 4)
    assert article.outlet == "News18"
