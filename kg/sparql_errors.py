"""SPARQL syntax errors told in the user's own terms: the line and column of the text they wrote (not of the
text with the project's prefixes in front), that line shown with a caret, and the parser's complaint made
readable (an undeclared prefix named, a misspelt query form called one, no screens of character ranges)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .names import PREFIXES

QUERY_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)
_PREFIXED = re.compile(r"([A-Za-z][\w.-]*)?:[\w.%-]*")
_PROLOGUE = re.compile(r"(\s+|#[^\n]*|(?i:PREFIX)\s+[\w.-]*:\s*<[^>]*>|(?i:BASE)\s+<[^>]*>)*")
MAX_EXPECTED = 8


@dataclass(frozen=True)
class SparqlProblem:
    """Where a query is wrong (1-based, in the user's text) and why."""

    line: int | None
    column: int | None
    message: str
    source_line: str = ""

    def render(self, source: str = "query") -> str:
        """'<source>:L:C: message' and the line with a caret under the column."""
        if self.line is None:
            return f"{source}: {self.message}"
        out = f"{source}:{self.line}:{self.column}: {self.message}"
        if self.source_line:
            gutter = f"{self.line:>4} | "
            caret = " " * (len(gutter) + min(max((self.column or 1) - 1, 0), len(self.source_line))) + "^"
            out += f"\n{gutter}{self.source_line}\n{caret}"
        return out


def explain(error: str, text: str, hidden_lines: int = 0, first_failure: tuple[int, int] | None = None
            ) -> SparqlProblem:
    """The store's parser error `error` about `text`, given that `hidden_lines` lines (the injected prefixes)
    preceded it in what was parsed. That parser reports where it finally gave up, often a line later; a
    second parser's first failure (line, column in the parsed text), when given, places the error instead."""
    m = _POSITION.match(error.strip())
    if m is None:
        return SparqlProblem(None, None, _tidy(error))
    line, column, complaint = int(m.group(1)) - hidden_lines, int(m.group(2)), m.group(3)
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return SparqlProblem(None, None, _tidy(complaint))
    if first_failure is not None and "Prefix not found" not in complaint:
        placed = _placed(lines, first_failure[0] - hidden_lines, first_failure[1], (line, _tidy(complaint)))
        if placed is not None and (_first_word(text) or ("", "", "SELECT"))[2].upper() in QUERY_FORMS:
            return placed
    form = _first_word(text)
    if form is not None and form[2].upper() not in QUERY_FORMS:
        fl, fc, word = form
        return SparqlProblem(fl, fc, f"expected a query form ({', '.join(QUERY_FORMS)}) after the PREFIX and BASE "
                             f"lines, found {word!r}", lines[fl - 1])
    if "Prefix not found" in complaint:
        found = _prefix_near(lines[line - 1], column)
        if found is not None:
            prefix, start = found
            return SparqlProblem(line, start + 1, f"undeclared prefix '{prefix}:' (declare it with PREFIX {prefix}: "
                                 f"<...>; the prefixes declared for you are {', '.join(sorted(PREFIXES))})",
                                 lines[line - 1])
        return SparqlProblem(line, column, "undeclared prefix", lines[line - 1])
    return SparqlProblem(line, column, _tidy(complaint), lines[line - 1])


def _placed(lines: list[str], line: int, column: int, store_view: tuple[int, str]) -> SparqlProblem | None:
    """The error at the first position a parser could not read, naming what stands there."""
    if not 1 <= line <= len(lines):
        return None
    rest = "\n".join([lines[line - 1][column - 1:], *lines[line:]])
    m = re.match(r"\s*([^\s{}()]+|[{}()])", rest)
    if m is None:
        return SparqlProblem(line, column, "the query ends too early (an unclosed brace or bracket?)",
                             lines[line - 1])
    message = f"unexpected {m.group(1)!r}"
    if store_view[0] == line:
        message += f" ({store_view[1]})"
    return SparqlProblem(line, column, message, lines[line - 1])


def _first_word(text: str) -> tuple[int, int, str] | None:
    """(line, column, word) of the first word after comments and PREFIX/BASE declarations."""
    prologue = _PROLOGUE.match(text)  # matches at least the empty string
    end = prologue.end() if prologue else 0
    m = re.match(r"[^\s{}()]+", text[end:])
    if m is None:
        return None
    line = text.count("\n", 0, end) + 1
    column = end - (text.rfind("\n", 0, end) + 1) + 1
    return line, column, m.group(0)


def _prefix_near(line: str, column: int) -> tuple[str, int] | None:
    """The prefix (and its start) of the last prefixed name starting before the error column."""
    best = None
    for m in _PREFIXED.finditer(line):
        if m.start() < column and m.group(1) and m.group(1) not in PREFIXES:
            best = (m.group(1), m.start())
    return best


def _tidy(complaint: str) -> str:
    """The parser's 'expected one of ...' without character-class ranges, and at most a few alternatives."""
    complaint = " ".join(complaint.split())
    m = re.match(r"expected one of (.*)$", complaint)
    if m is None:
        return complaint
    items = [i.strip() for i in re.split(r",\s*(?![^\[]*\])", m.group(1))]
    words = [i for i in items if i and not i.startswith("[") and "..=" not in i and "\\u" not in i]
    if not words:
        return "unexpected character here"
    more = f" (or {len(words) - MAX_EXPECTED} more)" if len(words) > MAX_EXPECTED else ""
    return "expected one of " + ", ".join(words[:MAX_EXPECTED]) + more
