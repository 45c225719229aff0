"""``/search``: finds records by name, keyword and external identifier, ranked, faceted and paged, as
HTML and JSON, fast enough at the default data size."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

#: (query, record it must rank first): by name, keyword, DOI, ORCID, CURIE, accession key.
FIRST = [
    ("UniProt", "http://lifecat.test/id/catalog/uniprot"),
    ("10.1093/NAR/gkz935", "http://lifecat.test/id/article/10.1093/nar/gkz935"),
    ("https://doi.org/10.1093/nar/gkz935", "http://lifecat.test/id/article/10.1093/nar/gkz935"),
    ("0000-0002-6982-4660", "http://lifecat.test/id/person/0000-0002-6982-4660"),
    ("pmid:31665441", "http://lifecat.test/id/article/10.1093/nar/gkz935"),
    ("uniprot.keyword", "http://lifecat.test/id/catalog/uniprot.keyword"),
    ("http://lifecat.test/id/catalog/go", "http://lifecat.test/id/catalog/go"),
]


def search(client: TestClient, **params: object) -> dict:
    response = client.get("/search", params={"format": "json", **params})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(("query", "expected"), FIRST)
def test_finds_the_record_first(client: TestClient, query: str, expected: str) -> None:
    assert search(client, q=query)["hits"][0]["uri"] == expected


def test_finds_by_keyword(client: TestClient) -> None:
    found = search(client, q="proteomics")
    assert found["total"] > 10
    assert all(h["uri"].startswith("http://lifecat.test/id/") for h in found["hits"])
    keywords = {f["value"] for f in found["facets"]["keyword"]}
    assert "proteomics" in keywords


def test_facets_filter_and_count(client: TestClient) -> None:
    everything = search(client, q="protein")
    types = {f["value"]: f["count"] for f in everything["facets"]["type"]}
    assert types["schema:DataCatalog"] < everything["total"]
    narrowed = search(client, q="protein", type="schema:DataCatalog")
    assert narrowed["total"] == types["schema:DataCatalog"]
    assert narrowed["filters"] == [{"facet": "type", "value": "schema:DataCatalog"}]
    licence = search(client, q="protein", type="schema:DataCatalog",
                     licence="http://spdx.org/licenses/CC-BY-4.0")
    assert 0 < licence["total"] < narrowed["total"]
    assert {f["value"] for f in everything["facets"]["source"]} == {"bioregistry"}


def test_pages(client: TestClient) -> None:
    first, second = search(client, q="gene"), search(client, q="gene", page=2)
    assert first["pages"] > 1 and first["next"] and second["prev"]
    assert not {h["uri"] for h in first["hits"]} & {h["uri"] for h in second["hits"]}
    assert len(first["hits"]) == first["size"]


def test_html_results_and_facet_links(client: TestClient) -> None:
    html = client.get("/search", params={"q": "uniprot"}, headers={"Accept": "text/html"}).text
    assert '<a href="/id/catalog/uniprot">UniProt Protein</a>' in html
    assert 'href="/search?q=uniprot&amp;type=schema%3ADataCatalog"' in html
    assert 'rel="next"' in html


@pytest.mark.parametrize("query", ['"', "AND OR NOT (", "*", "NEAR(a b)", "a:b:c", "-"])
def test_operator_text_is_plain_text(client: TestClient, query: str) -> None:
    assert client.get("/search", params={"q": query, "format": "json"}).status_code == 200


@pytest.mark.parametrize(("params", "status"), [
    ({"q": "x" * 501}, 400), ({"q": "x", "page": 0}, 400), ({"q": "x", "page": "two"}, 400),
    ({"q": "x", "format": "pdf"}, 406),
])
def test_bad_requests_say_why(client: TestClient, params: dict, status: int) -> None:
    response = client.get("/search", params=params)
    assert response.status_code == status
    assert response.text
