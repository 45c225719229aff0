"""``/sparql``: the query protocol, negotiation, errors, the Service Description and the editor."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import NamedNode, RdfFormat, parse

from lifecat.core.config import Settings
from lifecat.graph.store import Store

UNIPROT = "http://lifecat.test/id/catalog/uniprot"
SELECT = f"SELECT ?name WHERE {{ <{UNIPROT}> <http://schema.org/name> ?name }}"
SD = "http://www.w3.org/ns/sparql-service-description#"


def names(response_json: dict) -> list[str]:
    return [b["name"]["value"] for b in response_json["results"]["bindings"]]


def test_get_post_form_and_post_direct_agree(client: TestClient) -> None:
    by_get = client.get("/sparql", params={"query": SELECT})
    by_form = client.post("/sparql", data={"query": SELECT})
    by_direct = client.post("/sparql", content=SELECT,
                            headers={"Content-Type": "application/sparql-query; charset=utf-8"})
    for response in (by_get, by_form, by_direct):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/sparql-results+json")
        assert names(response.json()) == ["UniProt Protein"]


@pytest.mark.parametrize(("query", "accept", "expected"), [
    (SELECT, None, "application/sparql-results+json"),
    (SELECT, "application/sparql-results+xml", "application/sparql-results+xml"),
    (SELECT, "text/csv", "text/csv"),
    (SELECT, "text/tab-separated-values", "text/tab-separated-values"),
    (SELECT, "application/json", "application/sparql-results+json"),
    (SELECT, "text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    (SELECT, "text/*", "text/csv"),
    (SELECT, "image/png", "application/sparql-results+json"),  # unsupported: the default
    (f"ASK {{ <{UNIPROT}> ?p ?o }}", "application/sparql-results+xml", "application/sparql-results+xml"),
    (f"DESCRIBE <{UNIPROT}>", None, "text/turtle"),
    (f"DESCRIBE <{UNIPROT}>", "application/n-triples", "application/n-triples"),
    (f"DESCRIBE <{UNIPROT}>", "application/ld+json", "application/ld+json"),
    (f"DESCRIBE <{UNIPROT}>", "application/rdf+xml", "application/rdf+xml"),
    (f"CONSTRUCT WHERE {{ <{UNIPROT}> ?p ?o }}", "application/sparql-results+json, */*;q=0.1",
     "text/turtle"),
])
def test_negotiation(client: TestClient, query: str, accept: str | None, expected: str) -> None:
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": query}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == expected
    assert "Accept" in response.headers["vary"]
    assert response.content


def test_graph_answers_parse_and_hold_the_record(client: TestClient) -> None:
    for fmt in (RdfFormat.TURTLE, RdfFormat.N_TRIPLES, RdfFormat.RDF_XML, RdfFormat.JSON_LD):
        media = fmt.media_type
        response = client.get("/sparql", params={"query": f"DESCRIBE <{UNIPROT}>"},
                              headers={"Accept": media})
        subjects = {t.subject for t in parse(response.content, format=fmt)}
        assert NamedNode(UNIPROT) in subjects, media


def test_explicit_format_parameter(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": SELECT, "format": "csv"},
                          headers={"Accept": "application/sparql-results+xml"})
    assert response.text.splitlines() == ["name", "UniProt Protein"]
    # "xml" means SPARQL XML for a SELECT and RDF/XML for a DESCRIBE, as SPARQLWrapper expects.
    xml = client.get("/sparql", params={"query": SELECT, "format": "xml"})
    assert xml.headers["content-type"].startswith("application/sparql-results+xml")
    rdfxml = client.get("/sparql", params={"query": f"DESCRIBE <{UNIPROT}>", "output": "xml"})
    assert rdfxml.headers["content-type"].startswith("application/rdf+xml")
    # a format that does not fit the answer falls back to the Accept header
    mismatch = client.get("/sparql", params={"query": SELECT, "format": "ttl"},
                          headers={"Accept": "text/csv"})
    assert mismatch.headers["content-type"].startswith("text/csv")


@pytest.mark.parametrize(("method", "kwargs", "status", "reason"), [
    ("GET", {"params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400, "exactly one"),
    ("GET", {"params": {"query": "ASK {"}}, 400, "invalid SPARQL query"),
    ("GET", {"params": {"update": "CLEAR ALL"}}, 400, "POST"),
    ("GET", {"params": {"query": "ASK {}", "timeout": "soon"}}, 400, "timeout"),
    ("POST", {"content": "ASK {}", "headers": {"Content-Type": "text/plain"}}, 400, "Content-Type"),
    ("POST", {"content": "query=ASK%20%7B%7D"}, 400, "Content-Type"),
    ("POST", {"content": "ASK {}".encode("utf-16"),
              "headers": {"Content-Type": "application/sparql-query; charset=UTF-16"}}, 400, "UTF-8"),
    ("POST", {"content": b"ASK { \xff }", "headers": {"Content-Type": "application/sparql-query"}},
     400, "UTF-8"),
    ("POST", {"data": {"query": "ASK {}", "update": "CLEAR ALL"}}, 400, "not both"),
    ("POST", {"data": {"format": "json"}}, 400, "'query' or an 'update'"),
    ("PUT", {"params": {"query": "ASK {}"}}, 405, ""),
    ("DELETE", {}, 405, ""),
])
def test_malformed_requests_get_a_reason(client: TestClient, method: str, kwargs: dict, status: int,
                                          reason: str) -> None:
    response = client.request(method, "/sparql", **kwargs)
    assert response.status_code == status, response.text
    assert reason in response.text
    assert "Traceback" not in response.text


def test_protocol_dataset_parameters(client: TestClient) -> None:
    meta = "http://lifecat.test/graph/meta"
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://schema.org/DataCatalog> }"
    only_meta = client.get("/sparql", params={"query": count, "default-graph-uri": meta})
    everything = client.get("/sparql", params={"query": count})
    n = int(only_meta.json()["results"]["bindings"][0]["n"]["value"])
    total = int(everything.json()["results"]["bindings"][0]["n"]["value"])
    assert n < total
    from_clause = client.get("/sparql", params={"query": count.replace("WHERE", f"FROM <{meta}> WHERE")})
    assert from_clause.json() == only_meta.json()
    graphs = client.get("/sparql", params={"query": "SELECT DISTINCT ?g { GRAPH ?g {} }",
                                           "named-graph-uri": meta}).json()
    assert [b["g"]["value"] for b in graphs["results"]["bindings"]] == [meta]


def test_relative_iris_resolve_against_the_endpoint(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT (<x> AS ?x) {}", "format": "csv"})
    assert response.text.splitlines()[1] == "http://lifecat.test/x"


def test_service_description(client: TestClient, settings: Settings) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.headers["content-type"].startswith("text/turtle")
    triples = list(parse(response.content, format=RdfFormat.TURTLE))
    service = next(t.subject for t in triples if t.object == NamedNode(f"{SD}Service"))
    by = {}
    for t in triples:
        by.setdefault(t.predicate.value.removeprefix(SD), set()).add(t.object)
    assert NamedNode(f"{SD}SPARQL11Query") in by["supportedLanguage"]
    assert NamedNode("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in by["resultFormat"]
    assert NamedNode(f"{SD}UnionDefaultGraph") in by["feature"]
    assert by["endpoint"] == {service}
    graphs = {n.value for n in by["name"]}
    assert {"http://lifecat.test/graph/bioregistry", "http://lifecat.test/graph/meta"} <= graphs
    for media in ("application/n-triples", "application/ld+json", "application/rdf+xml"):
        answer = client.get("/sparql", headers={"Accept": media})
        assert answer.headers["content-type"].startswith(media)
    assert client.get("/sparql", headers={"Accept": "*/*"}).headers["content-type"].startswith("text/turtle")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.data: dict[str, str] = {}
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.scripts.append(a["src"] or "")
        if tag == "link" and a.get("rel") == "stylesheet":
            self.styles.append(a.get("href") or "")
        if tag == "script" and a.get("id"):
            self._in = a["id"]

    def handle_data(self, data: str) -> None:
        if self._in:
            self.data[self._in] = data
            self._in = None


def test_browsers_get_the_editor_with_the_examples(client: TestClient) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/sparql", headers={"Accept": accept})
    assert response.headers["content-type"].startswith("text/html")
    page = _Page()
    page.feed(response.text)
    for asset in [*page.scripts, *page.styles]:  # the editor is served by lifecat itself
        assert asset.startswith("/static/")
        assert client.get(asset).status_code == 200
    examples = json.loads(page.data["examples"])
    assert {e["name"] for e in examples} >= {"count_by_type", "catalog_licences", "people_by_orcid"}
    assert all(e["title"] and e["description"] and e["text"] for e in examples)


def test_cors(client: TestClient) -> None:
    preflight = client.options("/sparql", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    answer = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert answer.headers["access-control-allow-origin"] == "*"


def test_health(client: TestClient, settings: Settings) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["generation"] == Store.open(settings).generation()
    assert response.json()["store"] == ("remote" if settings.remote else "embedded")


def test_inline_mode_answers_like_the_worker_pool(settings: Settings, client: TestClient) -> None:
    from lifecat.endpoint.app import create_app

    inline = create_app(settings.model_copy(update={"query_mode": "inline"}))
    with TestClient(inline) as other:
        for query, accept in [(SELECT, "text/csv"), (f"DESCRIBE <{UNIPROT}>", "application/n-triples"),
                              ("ASK { ?s ?p ?o }", "application/sparql-results+json")]:
            expected = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
            got = other.get("/sparql", params={"query": query}, headers={"Accept": accept})
            assert (got.status_code, got.content) == (200, expected.content)
        assert other.get("/health").json()["query_mode"] == "inline"
        assert other.get("/sparql", params={"query": "ASK {"}).status_code == 400
