"""The W3C SPARQL 1.1 Protocol and Graph Store Protocol tests, read from ../shared/w3c, against a real server.

Each test's requests run in order against `kg serve` on 127.0.0.1 (with a write token, which the runner sends:
the suites assume a writable endpoint). The tests skip with a message where ../shared is absent.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib.compare import isomorphic

from .conftest import SHARED
from .server_fixture import running_server

W3C = SHARED / "w3c" / "sparql" / "sparql11"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
TOKEN = "w3c-runner-token"
STATUS = {"OK": {200}, "Created": {201}, "NoContent": {204}, "NotFound": {404},
          "StatusCode2xx": set(range(200, 300)), "StatusCode3xx": set(range(300, 400)),
          "StatusCode4xx": set(range(400, 500))}
MANIFESTS = [("protocol", W3C / "protocol" / "manifest.ttl"),
             ("gsp-direct", W3C / "graph-store-protocol" / "manifest-direct.ttl"),
             ("gsp-indirect", W3C / "graph-store-protocol" / "manifest-indirect.ttl")]


def load_tests() -> list[tuple[str, Path, rdflib.Graph, rdflib.term.Node]]:
    tests = []
    for kind, path in MANIFESTS:
        if not path.exists():
            continue
        g = rdflib.Graph().parse(path, format="turtle", publicID=path.as_uri())
        manifest = next(g.subjects(rdflib.RDF.type, MF.Manifest))
        entries = rdflib.collection.Collection(g, g.value(manifest, MF.entries))
        tests += [(f"{kind}:{g.value(t, MF.name)}", path, g, t) for t in entries]
    return tests


TESTS = load_tests()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    if not W3C.exists():
        pytest.skip(f"{W3C} is absent (the W3C suites are read from ../shared)")
    with running_server(tmp_path_factory.mktemp("w3c") / "store", "--token", TOKEN, "--timeout", "20",
                        "--allow-drop-all", "--create") as base:
        yield base


def reset(base: str, g: rdflib.Graph, test: rdflib.term.Node, manifest: Path) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
    assert httpx.post(base + "/sparql", content="DROP ALL", headers=auth).status_code == 204
    for data in g.objects(test, UT.graphData):
        name = str(g.value(data, rdflib.RDFS.label))
        file = Path(urllib.parse.urlparse(str(g.value(data, UT.graph))).path)
        r = httpx.put(base + "/rdf-graphs", params={"graph": name}, content=file.read_bytes(),
                      headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/n-triples"})
        assert r.status_code in (201, 204), r.text


def map_path(path: str) -> str:
    if path.startswith("/sparql"):
        return "/sparql" + path[len("/sparql/"):] if path.startswith("/sparql/") else path
    if path.startswith("/gsp"):
        return "/rdf-graphs" + path[len("/gsp"):]
    return path


def check_response(g: rdflib.Graph, resp_node: rdflib.term.Node, r: httpx.Response, url: str) -> None:
    expected: set[int] = set()
    for s in g.objects(resp_node, MF.expectedStatus):
        expected |= STATUS[str(s).rsplit("#", 1)[-1]]
    if expected:
        assert r.status_code in expected, f"{r.status_code} not in {sorted(expected)[:5]}: {r.text[:300]}"
    fmt = g.value(resp_node, MF.expectedFormat)
    ctype = r.headers.get("content-type", "")
    if fmt is not None:
        families = {"boolean": ("sparql-results",), "tabular": ("sparql-results", "csv", "tab-separated"),
                    "RDF": ("turtle", "rdf+xml", "n-triples", "ld+json", "trig", "n-quads")}[str(fmt)]
        assert any(f in ctype for f in families), f"content type {ctype} is not {fmt}"
    boolean = g.value(resp_node, MF.expectedBoolean)
    if boolean is not None:
        assert ("true" in r.text.lower()) == bool(boolean.toPython()), r.text
    for header in rdflib.collection.Collection(g, g.value(resp_node, HT.headers) or rdflib.RDF.nil):
        if str(g.value(header, HT.fieldName)).lower() == "content-type":
            want = str(g.value(header, HT.fieldValue)).split(";")[0]
            assert ctype.split(";")[0] == want, ctype
    body = g.value(resp_node, HT.body)
    if body is not None and r.request.method == "GET":
        expected_graph = rdflib.Graph().parse(data=str(g.value(body, CNT.chars)), format="turtle", publicID=url)
        got = rdflib.Graph().parse(data=r.text, format="turtle", publicID=url)
        assert isomorphic(expected_graph, got), r.text


@pytest.mark.parametrize("name, manifest, g, test", TESTS, ids=[t[0] for t in TESTS])
def test_w3c(server: str, name: str, manifest: Path, g: rdflib.Graph, test: rdflib.term.Node) -> None:
    reset(server, g, test, manifest)
    action = g.value(test, MF.action)
    requests = rdflib.collection.Collection(g, g.value(action, HT.requests))
    location = None
    for req in requests:
        path = str(g.value(req, HT.absolutePath))
        if location and "$" in path:
            path = urllib.parse.urlparse(location).path
        url = server + map_path(path)
        headers = {"Authorization": f"Bearer {TOKEN}"}
        for h in rdflib.collection.Collection(g, g.value(req, HT.headers) or rdflib.RDF.nil):
            headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
        body = g.value(req, HT.body)
        content = None
        if body is not None:
            chars = str(g.value(body, CNT.chars))
            charset = headers.get("content-type", "").lower()
            content = chars.encode("utf-16" if "utf-16" in charset else "utf-8")
        r = httpx.request(str(g.value(req, HT.methodName)), url, headers=headers, content=content, timeout=30)
        location = r.headers.get("location", location)
        resp = g.value(req, HT.resp)
        if resp is not None:
            check_response(g, resp, r, url.split("?")[0] if "/rdf-graphs/" in url else
                           urllib.parse.parse_qs(urllib.parse.urlparse(url).query).get("graph", [url])[0])
