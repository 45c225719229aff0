"""``/quarantine``: the quarantined records and their reports, for holders of the write token only, on
every backend; the data is shown escaped, and the quarantine stays out of every public route."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from lifecat.core.config import Settings
from lifecat.endpoint.app import create_app
from tests.utils.quarantined import HOSTILE, QUARANTINED, SOURCE, build_quarantine
from tests.utils.stores import store_settings

BASE = "http://lifecat.test/"
TOKEN = "quarantine-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
HOSTILE_IRI = f"{BASE}id/catalog/hostile"


class Page(HTMLParser):
    """What a page is made of: its start tags with their attributes, and its text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def attr(self, tag: str, name: str) -> list[str]:
        """The values of attribute ``name`` on the ``tag`` elements, in page order."""
        return [a[name] or "" for t, a in self.tags if t == tag and name in a]


@pytest.fixture(scope="module")
def quarantine_settings(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    folder = tmp_path_factory.mktemp(f"quarantine-{backend}")
    with ExitStack() as stack:
        settings = store_settings(backend, folder / "store", stack, base=BASE)
        built = build_quarantine(settings, folder / "source")
        yield built.model_copy(update={"write_token": TOKEN, "page_size": 2})


@pytest.fixture(scope="module")
def quarantine_client(quarantine_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(quarantine_settings)) as client:
        yield client


@pytest.mark.parametrize("path", ["/quarantine", f"/quarantine/{SOURCE}/noname"])
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic eDp5"}])
def test_without_the_token_it_is_401_with_a_challenge(quarantine_client: TestClient, path: str,
                                                      headers: dict[str, str]) -> None:
    response = quarantine_client.get(path, headers={"Accept": "application/json", **headers})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "quarantine is private" in response.text or "does not authorise" in response.text
    assert "noname" not in response.text


def test_without_a_token_configured_it_is_refused_as_writes_are(quarantine_settings: Settings) -> None:
    settings = quarantine_settings.model_copy(update={"write_token": None})
    with TestClient(create_app(settings)) as client:
        for path in ("/quarantine", f"/quarantine/{SOURCE}/noname"):
            response = client.get(path, headers=AUTH)
            assert response.status_code == 403
            assert "no write token is configured" in response.text
        write = client.post("/sparql", data={"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"},
                            headers=AUTH)
        assert write.status_code == 403


def test_the_listing_as_json_counts_and_pages(quarantine_client: TestClient) -> None:
    first = quarantine_client.get("/quarantine", headers={"Accept": "application/json", **AUTH})
    assert first.status_code == 200, first.text
    assert first.headers["cache-control"] == "no-store"
    body = first.json()
    assert body["counts"] == {SOURCE: len(QUARANTINED)}
    assert (body["page"], body["pages"], body["prev"]) == (1, 2, None)
    assert [r["key"] for r in body["records"]] == QUARANTINED[:2]
    noname = body["records"][1]
    assert noname["record"] == f"{BASE}id/catalog/noname"
    assert noname["reasons"] == ["no name (schema:name)", "no title (dct:title)"]
    second = quarantine_client.get(body["next"], headers={"Accept": "application/json", **AUTH}).json()
    [unmappable] = second["records"]
    assert unmappable["key"] == "unmappable" and unmappable["record"] is None
    assert unmappable["reasons"] == ["cannot map record: mappings: Input should be a valid dictionary"]
    assert second["next"] is None and second["prev"]


def test_the_listing_filters_by_source(quarantine_client: TestClient) -> None:
    chosen = quarantine_client.get("/quarantine", params={"source": SOURCE, "format": "json"}, headers=AUTH)
    assert chosen.json()["counts"] == {SOURCE: len(QUARANTINED)}
    unknown = quarantine_client.get("/quarantine", params={"source": "nosuch"}, headers=AUTH)
    assert unknown.status_code == 404 and "no source 'nosuch'" in unknown.text


def test_the_listing_as_html(quarantine_client: TestClient) -> None:
    response = quarantine_client.get("/quarantine", headers={"Accept": "text/html", **AUTH})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = Page(response.text)
    assert page.attr("tr", "data-key") == QUARANTINED[:2]
    assert f"/quarantine/{SOURCE}/hostile" in page.attr("a", "href")
    assert page.attr("td", "data-source") == [SOURCE]
    assert not [t for t, _ in page.tags if t in ("script", "b")]


def test_a_record_as_json_has_its_input_and_report(quarantine_client: TestClient) -> None:
    response = quarantine_client.get(f"/quarantine/{SOURCE}/hostile",
                                     headers={"Accept": "application/json", **AUTH})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["record"] == HOSTILE_IRI
    assert body["locator"].endswith("bioregistry.json#hostile")
    assert body["original"]["record"]["description"] == HOSTILE
    severities = [r["severity"] for r in body["results"]]
    assert severities[0] == "Violation" and "Warning" in severities
    assert {"severity": "Violation", "path": "schema:name", "value": None, "link": None,
            "message": "no name (schema:name)"} in body["results"]


def test_a_record_page_escapes_the_data_and_links_no_script(quarantine_client: TestClient) -> None:
    response = quarantine_client.get(f"/quarantine/{SOURCE}/hostile", headers={"Accept": "text/html", **AUTH})
    assert response.status_code == 200
    page = Page(response.text)
    assert not [t for t, _ in page.tags if t in ("script", "b")]
    text = "".join(page.text)
    assert HOSTILE in text  # shown as text, in the indented JSON of the input
    assert "javascript:alert(1)" in text
    hrefs = page.attr("a", "href")
    assert hrefs and all(h.startswith(("/", "http://", "https://")) for h in hrefs), hrefs
    assert page.attr("tr", "data-severity")[0] == "Violation"


def test_an_unmappable_record_shows_its_input(quarantine_client: TestClient) -> None:
    body = quarantine_client.get(f"/quarantine/{SOURCE}/unmappable", params={"format": "json"},
                                 headers=AUTH).json()
    assert body["record"] is None
    assert body["original"]["record"]["mappings"] == ["not", "an", "object"]
    assert [r["severity"] for r in body["results"]] == ["Violation"]


@pytest.mark.parametrize("path", [f"/quarantine/{SOURCE}/goodres", f"/quarantine/{SOURCE}/nosuch",
                                  "/quarantine/nosuch/hostile"])
def test_unknown_records_are_404_with_a_reason(quarantine_client: TestClient, path: str) -> None:
    response = quarantine_client.get(path, headers={"Accept": "text/plain", **AUTH})
    assert response.status_code == 404
    assert "no quarantined record" in response.text or "no source" in response.text


@pytest.mark.parametrize("headers", [{}, AUTH])
def test_no_public_route_shows_the_quarantine(quarantine_client: TestClient, headers: dict[str, str]) -> None:
    """The routes above read the quarantine; the token opens nothing else to it."""
    for query in (f"ASK {{ <{HOSTILE_IRI}> ?p ?o }}", f"ASK {{ GRAPH ?g {{ <{HOSTILE_IRI}> ?p ?o }} }}",
                  "ASK { GRAPH ?g { ?s ?p ?o FILTER(ISLITERAL(?o) && CONTAINS(STR(?o), 'alert')) } }"):
        response = quarantine_client.get("/sparql", params={"query": query},
                                         headers={"Accept": "application/sparql-results+json", **headers})
        assert response.status_code == 200, response.text
        assert response.json()["boolean"] is False, query
    named = quarantine_client.get("/sparql", headers=headers,
                                  params={"query": f"ASK FROM <{BASE}graph/quarantine/{SOURCE}> {{}}"})
    assert named.status_code == 403

    def found(words: str) -> int:
        answer = quarantine_client.get("/search", params={"q": words, "format": "json"}, headers=headers)
        return answer.json()["total"]

    assert (found("Good Resource"), found("No Description"), found("Unmappable")) == (1, 0, 0)
    sitemap = quarantine_client.get("/sitemap.xml", headers=headers).text
    assert f"{BASE}id/catalog/goodres" in sitemap and "noname" not in sitemap and "hostile" not in sitemap
    dumps = quarantine_client.get("/dumps/", headers={"Accept": "application/json", **headers}).json()
    graphs = {graph for dump in dumps for graph in dump["graphs"]}
    assert f"{BASE}graph/{SOURCE}" in graphs and not [g for g in graphs if "quarantine" in g]
    assert quarantine_client.get("/id/catalog/hostile", headers=headers).status_code == 404
