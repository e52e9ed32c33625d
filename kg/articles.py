"""Read article files (.txt with a header, .json, .html) and split bodies into sentences with offsets."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .formats import EXTENSIONS

HEADER_KEYS = ("url", "published", "outlet", "title", "language")
ARTICLE_SUFFIXES = (".txt", ".json", ".html", ".htm")
MAX_ARTICLE_BYTES = 5_000_000
# RDF files by extension (an article's own extensions, such as .json, excepted).
RDF_SUFFIXES = {suffix: f.name for suffix, f in EXTENSIONS.items() if suffix not in ARTICLE_SUFFIXES} | {
    ".n3": "N3", ".owl": "RDF/XML"}
RDF_HINT = "kg ingest reads news articles; add RDF with `kg merge FILE` (validated, with provenance)"
# What the first significant line of an RDF file looks like, per syntax.
_RDF_OPENINGS = (
    ("Turtle", re.compile(r"^(@prefix|@base|PREFIX\s+\w*:|BASE\s+<)", re.IGNORECASE)),
    ("N-Triples", re.compile(r"^(<[^>\s]+>|_:\S+)\s+<[^>\s]+>\s+\S.*\.\s*$")),
    ("RDF/XML", re.compile(r"^<(\?xml\b.*|rdf:RDF\b.*)$")),
)


class ArticleError(ValueError):
    """A malformed article file; the message names the file, and the line or field when known."""

    def __init__(self, path: str | Path, problem: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass
class Article:
    """One article: metadata, body text, and the body's sentences with character offsets."""

    body: str
    path: str = ""
    url: str | None = None
    published: dt.date | None = None
    outlet: str | None = None
    title: str | None = None
    language: str = "en"
    location: str = ""  # where the provenance record says the article came from (see ingest.locate)
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body.encode("utf-8")).hexdigest()

    @property
    def id(self) -> str:
        """Content-derived id: the same body is the same article, whatever the file is called."""
        return self.sha256[:16]


def parse_published(value: str, path: str | Path, line: int | None = None) -> dt.date | None:
    value = value.strip()
    if value.lower() in ("", "unknown", "null", "none"):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise ArticleError(path, f"published: {value!r} is not a date (YYYY-MM-DD or 'unknown')", line) from None


_HEADER_LINE = re.compile(r"^([A-Za-z_]+):[ \t]*(.*)$")
# A line that starts like a header field but lacks its colon ('url https://...'): a header written wrongly,
# never body text, because a sentence does not begin with a field name followed by one bare token.
_COLONLESS_FIELD = re.compile(r"^(" + "|".join(HEADER_KEYS) + r")[ \t]+\S+$", re.IGNORECASE)


def _looks_like_header(lines: list[str]) -> bool:
    """True when a first paragraph was meant as a header: some line names a known field."""
    for line in lines:
        m = _HEADER_LINE.match(line)
        if (m and m.group(1).lower() in HEADER_KEYS) or _COLONLESS_FIELD.match(line):
            return True
    return False


def _split_header(text: str, path: str | Path) -> tuple[dict[str, tuple[str, int]], str]:
    """Split 'key: value' header lines from the body. A first paragraph that names no header field is body;
    one that does is a header, and each of its lines must then be a well-formed 'key: value'."""
    head, sep, rest = text.partition("\n\n")
    lines = head.split("\n")
    if not sep or not _looks_like_header(lines):
        return {}, text
    fields: dict[str, tuple[str, int]] = {}
    for number, line in enumerate(lines, start=1):
        m = _HEADER_LINE.match(line)
        if m is None:
            raise ArticleError(path, f"header line {line[:60]!r}: expected 'key: value' with one of "
                               f"{', '.join(HEADER_KEYS)} and a colon after the key, then a blank line "
                               "before the body", number)
        key = m.group(1).lower()
        if key not in HEADER_KEYS:
            raise ArticleError(path, f"unknown header field {key!r} (expected one of {', '.join(HEADER_KEYS)})",
                               number)
        if key in fields:
            raise ArticleError(path, f"header field {key!r} given twice", number)
        fields[key] = (m.group(2).strip(), number)
    return fields, rest


def _from_fields(fields: dict[str, tuple[str, int | None]], body: str, path: str | Path) -> Article:
    if not body.strip():
        raise ArticleError(path, "the article has no body text")
    published_value, published_line = fields.get("published", ("unknown", None))
    article = Article(
        body=body,
        path=str(path),
        url=fields.get("url", ("", None))[0] or None,
        published=parse_published(published_value, path, published_line),
        outlet=fields.get("outlet", ("", None))[0] or None,
        title=fields.get("title", ("", None))[0] or None,
        language=fields.get("language", ("en", None))[0] or "en",
    )
    url = article.url
    if url and not re.match(r"^https?://\S+$", url):
        raise ArticleError(path, f"url: {url!r} is not an http(s) URL", fields["url"][1])
    article.sentences = split_sentences(body)
    return article


def parse_text(text: str, path: str | Path = "<text>") -> Article:
    """An article from the text format: optional header, one blank line, body."""
    fields, body = _split_header(text, path)
    return _from_fields(dict(fields), body, path)


def parse_json(text: str, path: str | Path = "<json>") -> Article:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ArticleError(path, f"invalid JSON: {e.msg} (column {e.colno})", e.lineno) from None
    if not isinstance(data, dict):
        raise ArticleError(path, "a JSON article must be an object with a 'body' field")
    body = data.get("body", data.get("text"))
    if not isinstance(body, str):
        raise ArticleError(path, "field 'body': missing or not a string")
    fields: dict[str, tuple[str, int | None]] = {}
    for key in HEADER_KEYS:
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise ArticleError(path, f"field {key!r}: expected a string, got {type(value).__name__}")
        fields[key] = (value, None)
    unknown = sorted(set(data) - set(HEADER_KEYS) - {"body", "text"})
    if unknown:
        raise ArticleError(path, f"unknown field(s): {', '.join(unknown)}")
    return _from_fields(fields, body, path)


def parse_html(text: str, path: str | Path = "<html>") -> Article:
    """An article from an HTML page: trafilatura takes the main text and the metadata."""
    import trafilatura

    body = trafilatura.extract(text, include_comments=False, include_tables=False, favor_precision=True)
    if not body or not body.strip():
        raise ArticleError(path, "no article text found in the HTML page")
    meta = trafilatura.extract_metadata(text)
    fields: dict[str, tuple[str, int | None]] = {}
    if meta is not None:
        for key, value in (("url", meta.url), ("published", meta.date), ("outlet", meta.sitename),
                           ("title", meta.title)):
            if value:
                fields[key] = (str(value), None)
    lang = re.search(r"<html[^>]*\blang=[\"']?([A-Za-z-]+)", text, re.IGNORECASE)
    if lang:
        fields["language"] = (lang.group(1).split("-")[0].lower(), None)
    return _from_fields(fields, body, path)


def rdf_syntax(path: Path, text: str) -> str | None:
    """The RDF syntax a file is written in (by its extension, else by its first lines), or None for an article."""
    if path.suffix.lower() in RDF_SUFFIXES:
        return RDF_SUFFIXES[path.suffix.lower()]
    significant = [line.strip() for line in text.split("\n")[:50] if line.strip() and not line.startswith("#")]
    if not significant:
        return None
    first = significant[0]
    if first.startswith("{") and re.search(r'"@(context|graph|id)"\s*:', text[:4000]):
        return "JSON-LD"
    if first.startswith("<?xml") and "rdf:RDF" not in text[:4000]:
        return None
    for name, pattern in _RDF_OPENINGS:
        if pattern.match(first):
            return name
    return None


def read_article(path: str | Path) -> Article:
    """Read one article file; raises ArticleError naming the file (and line) on any problem."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise ArticleError(path, f"cannot read: {e.strerror}") from None
    if len(raw) > MAX_ARTICLE_BYTES:
        raise ArticleError(path, f"file is {len(raw)} bytes, over the {MAX_ARTICLE_BYTES}-byte limit")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise ArticleError(path, f"not UTF-8 (byte {e.start})", line) from None
    text = text.removeprefix("\ufeff")
    syntax = rdf_syntax(path, text)
    if syntax is not None:
        raise ArticleError(path, f"this is an RDF file ({syntax}), not an article: {RDF_HINT}")
    suffix = path.suffix.lower()
    if suffix == ".json":
        return parse_json(text, path)
    if suffix in (".html", ".htm"):
        return parse_html(text, path)
    return parse_text(text.replace("\r\n", "\n"), path)


def article_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The article files named or found (recursively, sorted) under the given paths."""
    for _, f in rooted_article_paths(paths):
        yield f


def rooted_article_paths(paths: Iterable[str | Path]) -> Iterator[tuple[Path, Path]]:
    """(root, file) for every article file: the root is the folder or file the user named."""
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in ARTICLE_SUFFIXES):
                yield p, f
        elif p.exists():
            yield p, p
        else:
            raise ArticleError(p, "no such file or directory")


def locate(root: Path, file: Path, full_paths: bool = False) -> str:
    """The location recorded for an article file: relative to the working folder when it lies inside it,
    else the named folder's own name and the path below it; never the user's absolute path unless asked."""
    if full_paths:
        return file.resolve().as_posix()
    resolved = file.resolve()
    try:
        return resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        pass
    base = root.resolve().parent if root.is_dir() else resolved.parent
    return resolved.relative_to(base).as_posix()


# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "lt", "col", "maj", "capt", "sgt", "st",
    "jr", "sr", "rev", "hon", "pres", "amb", "adm", "cmdr", "supt", "insp", "det", "atty",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "no", "vs", "etc", "inc", "ltd", "co", "corp", "dept", "univ", "approx", "est", "fig", "p", "pp",
}
_SENTENCE_OPENERS = {
    "The", "This", "That", "These", "Those", "He", "She", "It", "They", "We", "I", "You", "In", "On", "At",
    "But", "However", "And", "A", "An", "His", "Her", "Their", "Its", "There", "After", "Before", "When",
}
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|\n+")


def _is_abbreviation(body: str, dot: int) -> bool:
    """True when the full stop at `dot` belongs to an abbreviation (U.S., Sen., D.C.)."""
    m = re.search(r"([A-Za-z]+)\.?$", body[max(0, dot - 12): dot])
    if not m:
        return False
    word = m.group(1)
    before = body[max(0, dot - len(word) - 1): dot - len(word)]
    if len(word) == 1 and word.isupper():
        return True  # initials and U.S., D.C.
    if before == "." and len(word) <= 2:
        return True
    return word.lower() in _ABBREVIATIONS and not word.isupper()


def split_sentences(body: str) -> list[Sentence]:
    """News-aware sentence splitting; every sentence is body[start:end], trimmed of spaces."""
    sentences: list[Sentence] = []
    start = 0

    def emit(a: int, b: int) -> None:
        while a < b and body[a].isspace():
            a += 1
        while b > a and body[b - 1].isspace():
            b -= 1
        if a < b:
            sentences.append(Sentence(a, b, body[a:b]))

    for m in _BOUNDARY.finditer(body):
        if m.group().startswith("\n"):
            emit(start, m.start())
            start = m.end()
            continue
        end = m.end()
        dot = m.start()
        if body[dot] == "." and m.group() == "." and _is_abbreviation(body, dot):
            # 'U.S. President' goes on; 'in the U.S. The talks' ends: only a sentence opener splits.
            nxt_word = re.match(r"\s+([A-Za-z]+)", body[end:])
            if not nxt_word or nxt_word.group(1) not in _SENTENCE_OPENERS:
                continue
        nxt = re.match(r"\s*(\S)", body[end:])
        if nxt and (nxt.group(1).islower() or nxt.group(1) in ",;:"):
            continue
        emit(start, end)
        start = end
    emit(start, len(body))
    return sentences
