"""Every route of the spine, with real requests through the real app."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest
import rdflib
from fastapi.testclient import TestClient

BASE = "http://lifecat.test/"
UNIPROT = f"{BASE}id/catalog/uniprot"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


class Cells(HTMLParser):
    """Collects the data-type cells of the home page's totals table."""

    def __init__(self) -> None:
        super().__init__()
        self.counts: dict[str, int] = {}
        self._type: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._type = dict(attrs).get("data-type") if tag == "td" else None

    def handle_data(self, data: str) -> None:
        if self._type and data.strip():
            self.counts[self._type] = int(data)
            self._type = None


def test_home_counts_the_resources(client: TestClient) -> None:
    response = client.get("/", headers={"Accept": "text/html"})
    assert response.status_code == 200
    cells = Cells()
    cells.feed(response.text)
    assert cells.counts["schema:DataCatalog"] >= 2900
    assert cells.counts["dcat:Dataset"] >= 2900
    assert 'href="/sparql"' in response.text
    assert 'href="/browse/catalog"' in response.text


def test_sparql_get_json_count(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": COUNT},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    n = int(response.json()["results"]["bindings"][0]["n"]["value"])
    assert n > 100_000


@pytest.mark.parametrize("accept, prefix", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
])
def test_select_result_formats(client: TestClient, accept: str, prefix: str) -> None:
    query = f"SELECT ?name WHERE {{ <{UNIPROT}> <http://schema.org/name> ?name }}"
    response = client.post("/sparql", data={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(prefix)
    assert "UniProt" in response.text
    if prefix == "text/csv":
        assert next(csv.reader(io.StringIO(response.text))) == ["name"]


@pytest.mark.parametrize("accept, fmt", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
])
def test_construct_and_describe_formats(client: TestClient, accept: str, fmt: str) -> None:
    for query in (f"DESCRIBE <{UNIPROT}>", f"CONSTRUCT WHERE {{ <{UNIPROT}> ?p ?o }}"):
        response = client.post("/sparql", content=query,
                               headers={"Content-Type": "application/sparql-query", "Accept": accept})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(accept)
        graph = rdflib.Graph().parse(data=response.text, format=fmt)
        assert (rdflib.URIRef(UNIPROT), None, None) in graph


def test_ask(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": f"ASK {{ <{UNIPROT}> ?p ?o }}"},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.json()["boolean"] is True


def test_malformed_query_gets_400_with_the_parser_message(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELEC ?x WHERE {"})
    assert response.status_code == 400
    assert "invalid SPARQL query" in response.text and "1:" in response.text


def test_a_record_lacking_a_minimum_property_loads_with_warnings(client: TestClient) -> None:
    """The Bioregistry gives KEGG Ligand no description: a warning, not a quarantine (a record that is
    quarantined stays invisible: tests/endpoint/test_sparql_private.py)."""
    record = f"{BASE}id/catalog/kegg.ligand"
    response = client.get("/sparql", params={"query": f"ASK {{ <{record}> ?p ?o }}"},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.json()["boolean"] is True
    page = client.get("/id/catalog/kegg.ligand", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "no description (schema:description)" in page.text
    named = client.get("/sparql", params={
        "query": f"ASK FROM <{BASE}graph/quarantine/bioregistry> {{ <{record}> ?p ?o }}"})
    assert named.status_code == 403


def test_record_turtle_has_the_record_as_subject(client: TestClient) -> None:
    response = client.get("/id/catalog/uniprot", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    names = set(graph.objects(rdflib.URIRef(UNIPROT), rdflib.URIRef("http://schema.org/name")))
    assert names == {rdflib.Literal("UniProt Protein")}


def test_record_html_for_browsers(client: TestClient) -> None:
    response = client.get("/id/catalog/uniprot",
                          headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>UniProt Protein</h1>" in response.text
    assert re.search(r'<link rel="alternate" type="text/turtle" href="[^"]+">', response.text)


def test_record_resolves_whatever_the_host(client: TestClient) -> None:
    response = client.get("/id/catalog/uniprot", headers={"Accept": "application/n-triples",
                                                          "Host": "elsewhere.example:9999"})
    assert f"<{UNIPROT}>" in response.text


def test_unknown_record_is_a_404_page(client: TestClient) -> None:
    response = client.get("/id/catalog/no-such-prefix", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert "no-such-prefix" in response.text and "<h1>404" in response.text


@pytest.mark.parametrize(("path", "status"), [
    ("/id/%00/x", 404), ("/id/a%20b/x", 404), ("/graph/%00", 404),  # no IRI, so nothing of that name
    ("/browse/catalog?page=99999999999999999999", 400), ("/sitemaps/99999999999999999999.xml", 404),
    ("/graph-store?graph=%00", 400),
])
def test_paths_that_name_nothing_are_told_so(client: TestClient, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status, response.text
    assert "\x00" not in response.text


def test_record_in_json_ld(client: TestClient) -> None:
    response = client.get("/id/catalog/uniprot", headers={"Accept": "application/ld+json"})
    ids = {node["@id"] for node in json.loads(response.text)}
    assert UNIPROT in ids


def test_browse_pages(client: TestClient) -> None:
    first = client.get("/browse/catalog")
    assert first.status_code == 200
    links = re.findall(r'<a href="(/id/catalog/[^"]+)">', first.text)
    assert len(links) == 50
    second = client.get("/browse/catalog", params={"page": 2})
    assert not set(links) & set(re.findall(r'<a href="(/id/catalog/[^"]+)">', second.text))


def test_home_counts_records_not_lifecat_metadata(client: TestClient) -> None:
    cells = Cells()
    cells.feed(client.get("/", headers={"Accept": "text/html"}).text)
    assert "sh:ValidationResult" not in cells.counts and "sh:NodeShape" not in cells.counts


def test_unknown_page_is_an_html_404_for_browsers(client: TestClient) -> None:
    html = client.get("/no/such/page", headers={"Accept": "text/html"})
    assert html.status_code == 404 and "<h1>404 Not Found</h1>" in html.text
    plain = client.get("/no/such/page", headers={"Accept": "*/*"})
    assert plain.status_code == 404 and plain.text.startswith("Not Found")
