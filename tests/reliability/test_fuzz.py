"""Hostile requests to every route get a 4xx with a reason or an answer, never a 5xx or a traceback, and
leave the app answering: every path of the app's route table with random path segments and query
strings (unicode, control characters, NUL, huge and malformed numbers, repeated parameters, broken
percent-encoding), and the SPARQL protocol's parameters, headers and bodies."""

from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from httpx import Response
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lifecat.endpoint.app import FRONT_ROUTES, ROUTES, create_app

#: Bounded so the file runs in seconds per store (every route's examples add up); a failure prints the
#: example, and ``--hypothesis-seed`` replays a run.
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SPARQL_FUZZ = settings(FUZZ, max_examples=100)
#: Parameter names the routes read, and the usual paging and sorting names a client may try.
NAMES = ["page", "n", "limit", "offset", "size", "sort", "format", "q", "source", "incoming",
         "modified_since", "type", "licence", "keyword", "graph", "default", "output", "timeout"]
NUMBERS = ["0", "-1", "1", "2", "1e20", "99999999999999999999", "9" * 5000, "1.5", "NaN", "inf", "-0",
           "0x10", "²", "١٢", " 1", "1 ", "+1", "1_000", ""]
#: Text with what breaks parsers: control characters (NUL among them), surrogates excluded.
TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=40)
VALUES = st.one_of(st.sampled_from(NUMBERS), TEXT, st.sampled_from(["%", "%zz", "%00", "%FF%FE", "&&=", "=",
                                                                    "a=b=c", "%E2%82", "+", "\x00"]))
PAIRS = st.lists(st.tuples(st.one_of(st.sampled_from(NAMES), TEXT), VALUES), max_size=6)
PATH_SEGMENTS = st.one_of(TEXT, st.sampled_from(["catalog", "uniprot", "bioregistry", "0", "-1", "1e20",
                                                  "99999999999999999999", "..", "%2e%2e", "%00", "a.ttl"]))
#: Every path the app routes to, with its path parameters, from its route table.
PATHS = sorted({path for path, _, _ in ROUTES} | {path for path, _ in FRONT_ROUTES})


def answered(response: Response) -> None:
    """The app answered: not a server error, and no traceback shown."""
    assert response.status_code < 500, (response.status_code, response.text[:500])
    assert "Traceback" not in response.text


def fill(path: str, segments: list[str]) -> str:
    """``path`` with each ``{parameter}`` replaced by the next of ``segments``, percent-encoded."""
    out, rest = path, iter(segments)
    while "{" in out:
        start, end = out.index("{"), out.index("}")
        out = out[:start] + quote(next(rest, "x"), safe="") + out[end + 1:]
    return out


def query_string(pairs: list[tuple[str, str]], raw: bool) -> str:
    """The pairs percent-encoded, or (``raw``) joined as they are: broken escapes and all."""
    if raw:
        return "&".join(f"{quote(name, safe='%')}={quote(value, safe='%=&+')}" for name, value in pairs)
    return urlencode(pairs)


@pytest.fixture(scope="module")
def app_client(client: TestClient) -> TestClient:
    """The shared client; the route table it serves must still be the one fuzzed here."""
    routed = {r.path for r in client.app.routes if isinstance(r, APIRoute)}
    assert routed == {path for path, _, _ in ROUTES}
    return client


@pytest.mark.parametrize("path", PATHS)
@FUZZ
@given(segments=st.lists(PATH_SEGMENTS, min_size=2, max_size=2), pairs=PAIRS, raw=st.booleans(),
       html=st.booleans())
def test_every_route_answers_any_query_string(app_client: TestClient, path: str, segments: list[str],
                                              pairs: list[tuple[str, str]], raw: bool, html: bool) -> None:
    url = fill(path, segments)
    answered(app_client.get(f"{url}?{query_string(pairs, raw)}",
                            headers={"Accept": "text/html" if html else "*/*"}))


@pytest.mark.parametrize("path", ["/browse/catalog", "/search", "/catalog", "/quarantine",
                                  "/id/catalog/uniprot", "/sitemaps/{n}.xml"])
@pytest.mark.parametrize("value", ["0", "-1", "abc", "1e20", "99999999999999999999", "9" * 5000, "²"])
def test_bad_page_numbers_are_told_why(app_client: TestClient, path: str, value: str) -> None:
    """A page number that is no positive integer in range is a 400 that names the parameter (a
    sitemap number is part of the path: one that names no sitemap is a 404)."""
    if "{n}" in path:
        response = app_client.get(fill(path, [value]))
        assert response.status_code in (400, 404), response.text
        assert response.text
        return
    response = app_client.get(path, params={"page": value, "q": "gene"}, headers={"Accept": "text/plain"})
    if path == "/quarantine" and response.status_code in (401, 403):
        return  # the write token is checked first; test_quarantine covers its paging
    assert response.status_code == 400, response.text
    assert "page" in response.text


SPARQL_QUERIES = st.one_of(TEXT, st.sampled_from([
    "ASK {}", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "DESCRIBE <http://lifecat.test/id/catalog/uniprot>",
    "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "SELECT * { GRAPH ?g { ?s ?p ?o } } LIMIT 1",
    "INSERT DATA { <a:b> <a:b> <a:b> }", "SELECT (1/0 AS ?x) {}", "SELECT * { SERVICE <http://x/> {} }",
    "\x00", "SELECT ?x WHERE { ?x ?y \"\\ud800\" }"]))
IRIS = st.one_of(TEXT, st.sampled_from(["http://lifecat.test/graph/bioregistry", "urn:x", "", "\x00",
                                        "http://lifecat.test/graph/quarantine/bioregistry"]))
SPARQL_PARAMS = st.lists(st.one_of(
    st.tuples(st.just("query"), SPARQL_QUERIES), st.tuples(st.just("update"), SPARQL_QUERIES),
    st.tuples(st.sampled_from(["default-graph-uri", "named-graph-uri", "using-graph-uri"]), IRIS),
    st.tuples(st.just("timeout"), st.sampled_from(NUMBERS)),
    st.tuples(st.sampled_from(["format", "output"]), st.one_of(TEXT, st.sampled_from(
        ["json", "xml", "csv", "tsv", "ttl", "jsonld", "nt", "rdf", "html", "text/csv"])))), max_size=5)
ACCEPT = st.one_of(TEXT.filter(str.isascii), st.sampled_from([
    "*/*", "text/html", "application/sparql-results+json", "text/csv;q=0", "text/turtle;q=abc",
    "application/json, */*;q=0.1", ";;;", "*/*;q=1e400", "text/*", "image/png"]))
CONTENT_TYPES = st.one_of(TEXT.filter(str.isascii), st.sampled_from([
    "application/sparql-query", "application/sparql-update", "application/x-www-form-urlencoded",
    "application/sparql-query; charset=latin-1", "multipart/form-data; boundary=x", "text/plain", ""]))
BODIES = st.one_of(st.binary(max_size=200), SPARQL_QUERIES.map(lambda q: q.encode("utf-8", "replace")))


@SPARQL_FUZZ
@given(params=SPARQL_PARAMS, accept=ACCEPT, content_type=CONTENT_TYPES, body=BODIES,
       post=st.booleans(), raw=st.booleans())
def test_sparql_answers_any_request(app_client: TestClient, params: list[tuple[str, str]], accept: str,
                                    content_type: str, body: bytes, post: bool, raw: bool) -> None:
    url = f"/sparql?{query_string(params, raw)}"
    headers = {"Accept": accept}
    if post:
        response = app_client.post(url, content=body, headers={**headers, "Content-Type": content_type})
    else:
        response = app_client.get(url, headers=headers)
    answered(response)


def test_the_app_still_answers_after_the_fuzz(app_client: TestClient) -> None:
    assert app_client.get("/health").status_code == 200
    response = app_client.get("/sparql", params={"query": "ASK {}"},
                              headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200 and response.json()["boolean"] is True


def test_a_fresh_app_answers_hostile_requests_from_its_first(app_client: TestClient) -> None:
    """No state built on a first request (a lazily opened index, say) is left broken by a bad one."""
    settings = app_client.app.state.settings
    with TestClient(create_app(settings)) as fresh:
        answered(fresh.get("/search?q=%00&page=%FF"))
        answered(fresh.get("/sparql?query=%00"))
        assert fresh.get("/search", params={"q": "gene", "format": "json"}).status_code == 200
