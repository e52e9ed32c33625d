"""What a SPARQL request may make the server do: no SERVICE, LOAD (or other fetch) to a URL the allowlist does
not name. FROM and FROM NAMED only select graphs already in the store, so they never fetch."""

from __future__ import annotations

import re

_STRINGS = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"'
                      r"|'(?:[^'\\\n]|\\.)*'")
_IRIREF = r"<[^<>\"{}|^`\\\s]*>"
_PREFIX_DECL = re.compile(r"PREFIX\s+([\w.-]*):\s*(" + _IRIREF + ")", re.I)


class Forbidden(ValueError):
    """A request the server refuses to carry out (403)."""


def strip_strings_and_comments(text: str) -> str:
    """The query with string literals blanked and comments removed, so keywords in them are not seen."""
    text = _STRINGS.sub('""', text)
    return "\n".join(re.sub(r"#(?![^<]*>).*$", "", line) for line in text.splitlines())


def _resolve(target: str, prefixes: dict[str, str]) -> str:
    if target.startswith("<"):
        return target[1:-1]
    prefix, _, local = target.partition(":")
    return prefixes.get(prefix, "") + local if prefix in prefixes else target


def remote_targets(text: str) -> list[str]:
    """The IRIs a request would fetch: SERVICE endpoints and LOAD sources ('?var' for a variable endpoint)."""
    clean = strip_strings_and_comments(text)
    prefixes = {p: iri[1:-1] for p, iri in _PREFIX_DECL.findall(clean)}
    found = []
    for m in re.finditer(r"\bSERVICE\s+(?:SILENT\s+)?(" + _IRIREF + r"|[?$]\w+|[\w.-]*:[\w.-]*)", clean, re.I):
        found.append(_resolve(m.group(1), prefixes))
    for m in re.finditer(r"\bLOAD\s+(?:SILENT\s+)?(" + _IRIREF + r"|[\w.-]*:[\w.-]*)", clean, re.I):
        found.append(_resolve(m.group(1), prefixes))
    return found


def check_remote(text: str, allow: list[str]) -> None:
    """Raise Forbidden when the request would make the server fetch a URL not on the allowlist."""
    for target in remote_targets(text):
        if target.startswith(("?", "$")):
            raise Forbidden(f"SERVICE with a variable endpoint ({target}) is not allowed")
        if not any(target == a or target.startswith(a.rstrip("/") + "/") for a in allow):
            listed = ", ".join(allow) if allow else "empty"
            raise Forbidden(f"the server does not fetch <{target}> (SERVICE and LOAD allowlist: {listed})")


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE (the first query keyword after the prologue), or '' if none."""
    clean = strip_strings_and_comments(text)
    clean = re.sub(r"(?is)^\s*(?:(?:PREFIX\s+[\w.-]*:\s*" + _IRIREF + r"|BASE\s+" + _IRIREF + r")\s*)*", "", clean)
    m = re.match(r"\s*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", clean, re.I)
    return m.group(1).upper() if m else ""


def has_dataset_clause(text: str) -> bool:
    """USING/WITH in an update (which the protocol's using-graph-uri must not be combined with)."""
    return bool(re.search(r"\b(?:USING|WITH)\s+(?:NAMED\s+)?<", strip_strings_and_comments(text), re.I))
