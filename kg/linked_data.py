"""Dereferenceable IRIs: what the endpoint answers for one of its own things at /id/… (Linked Data).

RDF clients get the node's concise description (its own statements plus the labels of what it points to) in the
format they ask for; browsers get the same statements as an HTML table with links. Both are SPARQL queries.
"""

from __future__ import annotations

import html
from typing import Any

from .names import ID, PREFIXES, served_at

LABEL = PREFIXES["rdfs"] + "label"


def describe_query(iri: str) -> str:
    """CONSTRUCT of the node's statements plus the labels of its neighbours."""
    return (f"CONSTRUCT {{ <{iri}> ?p ?o . ?o <{LABEL}> ?label }} "
            f"WHERE {{ <{iri}> ?p ?o OPTIONAL {{ ?o <{LABEL}> ?label }} }}")


def rows_query(iri: str) -> str:
    """The node's statements with an English (or untagged) label for each object, for the HTML view."""
    return (f"SELECT ?p ?o (SAMPLE(?l) AS ?label) WHERE {{ <{iri}> ?p ?o "
            f"OPTIONAL {{ ?o <{LABEL}> ?l FILTER(LANG(?l) = 'en' || LANG(?l) = '') }} }} GROUP BY ?p ?o ORDER BY ?p ?o")


def wants_html(accept: str) -> bool:
    """True when the client prefers HTML to any RDF format (a browser)."""
    ranked = []
    for i, part in enumerate(accept.split(",")):
        media, *params = [p.strip().lower() for p in part.split(";")]
        q = next((float(p[2:]) for p in params if p.startswith("q=") and p[2:].replace(".", "", 1).isdigit()), 1.0)
        ranked.append((-q, i, media))
    for _, _, media in sorted(ranked):
        if media in ("text/html", "application/xhtml+xml"):
            return True
        if media not in ("*/*", "text/*", "application/*") and media:
            return False
    return False


def _short(iri: str) -> str:
    if iri.startswith(ID):
        return iri[len(ID):]
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _cell(term: dict[str, Any], label: dict[str, Any] | None) -> str:
    value = term["value"]
    if term["type"] != "uri":
        return html.escape(value)
    href = served_at(value)
    text = label["value"] if label else _short(value)
    return f'<a href="{html.escape(href)}">{html.escape(text)}</a>'


def render(iri: str, bindings: list[dict[str, Any]]) -> str:
    """An HTML page of the node's statements (SPARQL JSON bindings of rows_query); our own IRIs link to this
    server's /id/."""
    title = next((b["o"]["value"] for b in bindings if b["p"]["value"] == LABEL), _short(iri))
    rows = "\n".join(f"<tr><td>{html.escape(_short(b['p']['value']))}</td>"
                     f"<td>{_cell(b['o'], b.get('label'))}</td></tr>" for b in bindings)
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
            f"<body><h1>{html.escape(title)}</h1><p><code>{html.escape(iri)}</code> · as "
            f"<a href='?format=turtle'>Turtle</a>, <a href='?format=jsonld'>JSON-LD</a>, "
            f"<a href='?format=ntriples'>N-Triples</a></p>"
            f"<table><thead><tr><th>property</th><th>value</th></tr></thead><tbody>\n{rows}\n</tbody></table>"
            f"</body></html>")
