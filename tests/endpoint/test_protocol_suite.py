"""The W3C SPARQL 1.1 Protocol test suite, run against the live server.

Each test in ``manifest.ttl`` is a list of HTTP requests with the expected status class and answer
format. Query tests must pass. Update tests must be refused for anonymous clients (lifecat is
read-only for the public); with the write token, the updates lifecat supports must pass too.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import rdflib
from fastapi import FastAPI
from pyoxigraph import NamedNode, Quad, RdfFormat, parse
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from lifecat.core.config import Settings
from lifecat.endpoint.app import create_app
from lifecat.graph.derive import deriving
from lifecat.graph.store import Change, Store
from tests.utils.stores import store_settings

SUITE = Path(__file__).resolve().parents[2] / "../shared/conformance/sparql11-protocol"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
TOKEN = "protocol-suite-token"
#: The formats the suite accepts per expected answer kind.
FORMATS = {
    "boolean": ("application/sparql-results+xml", "application/sparql-results+json"),
    "tabular": ("application/sparql-results+xml", "application/sparql-results+json", "text/csv",
                "text/tab-separated-values"),
    "RDF": ("application/rdf+xml", "text/turtle", "application/n-triples"),
}
#: Update tests that rely on the using-graph-uri protocol parameters, which lifecat refuses with a
#: clear 400 (pyoxigraph cannot apply an update to a protocol-given dataset).
USING_PARAMETERS = {"update_dataset_default_graph", "update_dataset_default_graphs",
                    "update_dataset_named_graphs", "update_dataset_full"}


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    status: str
    format: str | None
    boolean: bool | None


@dataclass
class ProtocolTest:
    name: str
    requests: list[Request]
    graphs: dict[str, Path] = field(default_factory=dict)

    @property
    def is_update(self) -> bool:
        return "update" in self.name


def load_suite() -> list[ProtocolTest]:
    if not (SUITE / "manifest.ttl").is_file():
        return []
    g = rdflib.Graph().parse(SUITE / "manifest.ttl", format="turtle")
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(g, g.value(manifest, MF.entries)):
        action = g.value(entry, MF.action)
        requests = []
        for req in Collection(g, g.value(action, HT.requests)):
            headers = {}
            for h in Collection(g, g.value(req, HT.headers)) if g.value(req, HT.headers) else []:
                headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
            body_node = g.value(req, HT.body)
            body = None
            if body_node is not None:
                encoding = str(g.value(body_node, CNT.characterEncoding) or "UTF-8")
                body = str(g.value(body_node, CNT.chars)).encode(encoding.lower())
            resp = g.value(req, HT.resp)
            statuses = sorted(str(s).rsplit("#StatusCode", 1)[-1] for s in g.objects(resp, MF.expectedStatus))
            expected_bool = g.value(resp, MF.expectedBoolean)
            expected_format = g.value(resp, MF.expectedFormat)
            requests.append(Request(
                str(g.value(req, HT.methodName)),
                str(g.value(req, HT.absolutePath)).replace("/sparql/", "/sparql", 1),
                headers, body, statuses[0],
                str(expected_format) if expected_format is not None else None,
                expected_bool.toPython() if expected_bool is not None else None,
            ))
        graphs = {str(g.value(d, RDFS.label)): SUITE / Path(str(g.value(d, UT.graph))).name
                  for d in g.objects(entry, UT.graphData)}
        tests.append(ProtocolTest(str(entry).rsplit("#", 1)[-1], requests, graphs))
    return tests


TESTS = load_suite()
needs_suite = pytest.mark.skipif(not TESTS, reason=f"the W3C protocol suite is not in {SUITE}")


def suite_store(settings: Settings) -> None:
    """Fill a store with data1-3.nt in the named graphs the suite's tests name."""
    quads = []
    for n in (1, 2, 3):
        graph = NamedNode(f"http://kasei.us/2009/09/sparql/data/data{n}.rdf")
        for t in parse(path=str(SUITE / f"data{n}.nt"), format=RdfFormat.N_TRIPLES):
            quads.append(Quad(t.subject, t.predicate, t.object, graph))
    Store.open(settings).replace(Change(quads, replace=frozenset(q.graph_name for q in quads)),
                                 deriving(settings))


def check(response: httpx.Response, request: Request) -> str | None:
    """Why ``response`` does not meet the test's expectation, or ``None`` if it does."""
    status_class = f"{response.status_code // 100}xx"
    if status_class != request.status and not (request.status == "2xx" and status_class == "3xx"):
        return f"status {response.status_code}, expected {request.status}: {response.text[:200]}"
    if request.format:
        media = response.headers.get("content-type", "").split(";")[0]
        if media not in FORMATS[request.format]:
            return f"format {media!r} is not {request.format}"
    if request.boolean is not None:
        media = response.headers.get("content-type", "").split(";")[0]
        if media.endswith("json"):
            value = json.loads(response.text)["boolean"]
        else:
            element = ET.fromstring(response.content).find(
                "{http://www.w3.org/2005/sparql-results#}boolean")
            value = element is not None and element.text == "true"
        if value is not request.boolean:
            return f"boolean {value}, expected {request.boolean}"
    return None


def run(url: str, test: ProtocolTest, headers: dict[str, str] | None = None) -> list[str]:
    failures = []
    with httpx.Client(base_url=url, timeout=30) as client:
        for request in test.requests:
            response = client.request(request.method, request.path, content=request.body,
                                      headers={**request.headers, **(headers or {})})
            problem = check(response, request)
            if problem:
                failures.append(f"{request.method} {request.path}: {problem}")
    return failures


@pytest.fixture(scope="module")
def suite_server(backend: str, tmp_path_factory: pytest.TempPathFactory,
                 serve: Callable[[FastAPI], AbstractContextManager[str]]) -> Iterator[str]:
    with ExitStack() as stack:
        settings = store_settings(backend, tmp_path_factory.mktemp(f"protocol-suite-{backend}"), stack,
                                  base="http://lifecat.test/", write_token=TOKEN)
        suite_store(settings)
        with serve(create_app(settings)) as url:
            yield url


@needs_suite
@pytest.mark.parametrize("test", [t for t in TESTS if not t.is_update], ids=lambda t: t.name)
def test_query_protocol(suite_server: str, test: ProtocolTest) -> None:
    assert run(suite_server, test) == []


@needs_suite
@pytest.mark.parametrize("test", [t for t in TESTS if t.is_update], ids=lambda t: t.name)
def test_anonymous_updates_are_refused(suite_server: str, test: ProtocolTest) -> None:
    first = test.requests[0]
    with httpx.Client(base_url=suite_server, timeout=30) as client:
        response = client.request(first.method, first.path, content=first.body, headers=first.headers)
    assert 400 <= response.status_code < 500, response.text
    if first.status == "2xx":  # a well-formed update: refused for want of credentials
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")
    # ...and nothing changed: the suite's graphs are all still there.
    ask = "ASK { GRAPH ?g { <http://kasei.us/2009/09/sparql/data/data3.rdf> a ?t } }"
    assert httpx.get(f"{suite_server}/sparql", params={"query": ask},
                     headers={"Accept": "application/sparql-results+json"}).json()["boolean"] is True


@needs_suite
def test_updates_with_the_token(new_store: Callable[..., Settings],
                                serve: Callable[[FastAPI], AbstractContextManager[str]]) -> None:
    """With the write token, every update test passes but those using using-graph-uri, which get
    a clear 400."""
    settings = new_store(base="http://lifecat.test/", write_token=TOKEN)
    suite_store(settings)
    results = {}
    with serve(create_app(settings)) as url:
        for test in (t for t in TESTS if t.is_update):
            results[test.name] = run(url, test, {"Authorization": f"Bearer {TOKEN}"})
    failed = {name for name, failures in results.items() if failures}
    assert failed == USING_PARAMETERS, results
    for name in USING_PARAMETERS:
        assert "using-graph-uri" in results[name][0]


@needs_suite
def test_suite_is_complete() -> None:
    assert len(TESTS) == 34
    assert sum(not t.is_update for t in TESTS) == 20
