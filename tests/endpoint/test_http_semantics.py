"""The HTTP semantics FAIR readers rely on, over the real app and store: HEAD on every read route,
``Vary`` on negotiated errors, JSON for JSON clients, conditional GET, and the catalogue's landing
page (embedded JSON-LD read offline, FAIR Signposting)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime

import pytest
import rdflib
import signposting
from fastapi.testclient import TestClient
from lxml import html
from pyoxigraph import NamedNode, RdfFormat, parse

from lifecat.core.config import Settings
from lifecat.endpoint import conditional, records
from lifecat.endpoint.app import create_app

BASE = "http://lifecat.test/"
RECORD = "/id/catalog/uniprot"
SCHEMA = rdflib.Namespace("http://schema.org/")
HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
RDF_TYPES = {"ttl": "text/turtle", "jsonld": "application/ld+json", "rdf": "application/rdf+xml",
             "nt": "application/n-triples"}
#: A request to every route that answers GET, with the Accept header it is read with.
READ_ROUTES = [
    ("/", "text/html"), ("/browse/catalog", "text/html"), ("/search?q=gene", "text/html"),
    ("/search?q=gene&format=json", None), ("/sitemap.xml", None), ("/sitemaps/1.xml", None),
    ("/robots.txt", None), ("/graph-store?default", "text/turtle"), ("/health", None),
    (RECORD, "text/html"), (RECORD, "text/turtle"), ("/id/article/10.1093/nar/gkz935", "text/html"),
    ("/graph/bioregistry", "text/turtle"), ("/catalog", "text/html"), ("/catalog", "text/turtle"),
    ("/catalog/all", "text/turtle"), ("/void", "text/turtle"), ("/.well-known/void", "text/turtle"),
    ("/dumps", "text/html"), ("/dumps/", "application/json"), ("/dumps/all.nq.gz", None),
    ("/quarantine", "text/html"), ("/quarantine/bioregistry/x", "text/html"), ("/validate", "text/html"),
    ("/id/nope/x", "text/html"), ("/no/such/page", "text/plain"),
]


def headers(accept: str | None, **more: str) -> dict[str, str]:
    return {**({"Accept": accept} if accept else {}), **more}


@pytest.mark.parametrize(("path", "accept"), READ_ROUTES)
def test_head_answers_as_get_without_a_body(client: TestClient, path: str, accept: str | None) -> None:
    get = client.get(path, headers=headers(accept))
    head = client.head(path, headers=headers(accept))
    assert head.status_code == get.status_code != 405, (path, get.status_code, head.status_code)
    assert head.content == b""
    assert dict(head.headers) == dict(get.headers)


@pytest.mark.parametrize(("path", "accept"), [
    ("/id/nope/x", "text/html"), ("/id/nope/x", "text/plain"), ("/id/catalog/no-such-prefix", None),
    ("/no/such/page", "text/html"), ("/no/such/page", "*/*"), (RECORD, "image/png"),
    (f"{RECORD}?format=docx", "text/html"),
])
def test_negotiated_errors_vary_by_accept(client: TestClient, path: str, accept: str | None) -> None:
    for method in ("GET", "HEAD"):
        response = client.request(method, path, headers=headers(accept))
        assert response.status_code in (404, 406)
        assert "Accept" in [v.strip() for v in response.headers["vary"].split(",")]


def test_json_clients_get_the_record_as_json_ld(client: TestClient) -> None:
    response = client.get(RECORD, headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/ld+json"
    json.loads(response.content)
    subjects = {q.subject for q in parse(response.content, format=RdfFormat.JSON_LD)}
    assert NamedNode(f"{BASE}{RECORD[1:]}") in subjects
    same = client.get(RECORD, headers={"Accept": "application/ld+json"})
    assert same.content == response.content and same.headers["etag"] == response.headers["etag"]


def test_json_is_second_to_what_the_client_prefers(client: TestClient) -> None:
    response = client.get(RECORD, headers={"Accept": "text/turtle, application/json;q=0.5"})
    assert response.headers["content-type"].startswith("text/turtle")


@pytest.mark.parametrize("accept", ["text/html", "text/turtle", "application/n-triples"])
def test_record_revalidation_is_304(client: TestClient, accept: str) -> None:
    first = client.get(RECORD, headers={"Accept": accept})
    assert first.status_code == 200
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert parsedate_to_datetime(modified)
    for method in ("GET", "HEAD"):
        again = client.request(method, RECORD, headers={"Accept": accept, "If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag and again.headers["last-modified"] == modified
        assert "Accept" in again.headers["vary"]
    strong = etag.removeprefix("W/")
    for matching in (strong, f'"other", {etag}', "*"):
        assert client.get(RECORD, headers={"Accept": accept, "If-None-Match": matching}).status_code == 304
    assert client.get(RECORD, headers={"Accept": accept, "If-Modified-Since": modified}).status_code == 304


def test_record_changed_or_other_representation_is_200(client: TestClient) -> None:
    html_page = client.get(RECORD, headers={"Accept": "text/html"})
    turtle = client.get(RECORD, headers={"Accept": "text/turtle"})
    suffixed = client.get(f"{RECORD}.ttl", headers={"Accept": "text/html"})
    tags = {html_page.headers["etag"], turtle.headers["etag"], suffixed.headers["etag"]}
    assert len(tags) == 3
    other = client.get(RECORD, headers={"Accept": "text/turtle", "If-None-Match": html_page.headers["etag"]})
    assert other.status_code == 200 and other.headers["etag"] == turtle.headers["etag"] and other.content
    earlier = parsedate_to_datetime(turtle.headers["last-modified"]) - timedelta(seconds=1)
    since = client.get(RECORD, headers={"Accept": "text/turtle", "If-Modified-Since": format_datetime(
        earlier, usegmt=True)})
    assert since.status_code == 200 and since.content == turtle.content
    # If-None-Match wins over If-Modified-Since
    both = client.get(RECORD, headers={"Accept": "text/turtle", "If-None-Match": '"other"',
                                       "If-Modified-Since": turtle.headers["last-modified"]})
    assert both.status_code == 200


def test_a_missing_record_is_404_whatever_the_conditions(client: TestClient) -> None:
    future = format_datetime(datetime.now().astimezone(), usegmt=True)
    for conditions in ({"If-None-Match": "*"}, {"If-Modified-Since": future}):
        assert client.get("/id/nope/x", headers=conditions).status_code == 404


def test_the_304_is_decided_before_the_record_is_read(client: TestClient,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    etag = client.get(RECORD, headers={"Accept": "text/turtle"}).headers["etag"]

    def unread(*args: object) -> None:
        raise AssertionError("the record was read")

    monkeypatch.setattr(records, "resolve", unread)
    again = client.get(RECORD, headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert again.status_code == 304


def test_dump_revalidation_is_304(client: TestClient, settings: Settings) -> None:
    dump = client.get("/dumps/", headers={"Accept": "application/json"}).json()[0]
    path = f"/dumps/{dump['file']}"
    first = client.get(path)
    assert first.headers["etag"] == f'"{dump["sha256"]}"'
    modified = first.headers["last-modified"]
    assert parsedate_to_datetime(modified) == datetime.fromisoformat(dump["modified"])
    for method in ("GET", "HEAD"):
        for tag in (first.headers["etag"], f'W/{first.headers["etag"]}', f'"x", {first.headers["etag"]}'):
            again = client.request(method, path, headers={"If-None-Match": tag})
            assert again.status_code == 304 and again.content == b""
            assert again.headers["etag"] == first.headers["etag"]
        assert client.request(method, path, headers={"If-Modified-Since": modified}).status_code == 304
    changed = client.get(path, headers={"If-None-Match": '"0000"'})
    assert changed.status_code == 200 and changed.content == first.content


@pytest.mark.parametrize(("path", "accept"), [("/catalog", "text/html"), ("/catalog?page=1", "text/turtle"),
                                              ("/catalog/all", "text/turtle")])
def test_catalogue_revalidation_is_304(client: TestClient, path: str, accept: str) -> None:
    first = client.get(path, headers={"Accept": accept})
    assert first.status_code == 200
    again = client.get(path, headers={"Accept": accept, "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["vary"].startswith("Accept")


def test_a_new_generation_changes_every_record_etag(build_tiny: Callable[..., Settings],
                                                    tiny_resource: Callable[..., dict]) -> None:
    sources = {"alpha": {"go": tiny_resource("Gene Ontology")}}
    settings = build_tiny(sources)
    with TestClient(create_app(settings)) as client:
        first = client.get("/id/catalog/go", headers={"Accept": "text/turtle"})
        etag = first.headers["etag"]
        assert client.get("/id/catalog/go", headers={"Accept": "text/turtle", "If-None-Match": etag}
                          ).status_code == 304
        build_tiny(sources)  # the same record, in a new generation
        again = client.get("/id/catalog/go", headers={"Accept": "text/turtle", "If-None-Match": etag})
        assert again.status_code == 200 and again.content
        assert again.headers["etag"] != etag


def test_if_none_match_lists_are_read_as_rfc_9110_says() -> None:
    assert conditional.listed('W/"a", "b,c" ,"d"') == {"a", "b,c", "d"}
    assert conditional.listed("*") == {"*"}
    assert conditional.listed('"a" garbage') == set()


def catalogue_document(page: str) -> dict:
    [text] = html.fromstring(page).xpath("//script[@type='application/ld+json']/text()")
    return json.loads(text)


def test_catalogue_page_embeds_its_data_catalog(client: TestClient, settings: Settings) -> None:
    response = client.get("/catalog", headers={"Accept": "text/html"})
    doc = catalogue_document(response.text)
    assert isinstance(doc["@context"], dict)  # inline: read offline
    graph = rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")
    catalog = rdflib.URIRef(f"{BASE}catalog")
    assert (catalog, rdflib.RDF.type, SCHEMA.DataCatalog) in graph
    assert str(graph.value(catalog, SCHEMA.name)) == settings.catalog_title
    assert str(graph.value(catalog, SCHEMA.description)) == settings.catalog_description
    assert graph.value(catalog, SCHEMA.license) == rdflib.URIRef(settings.catalog_licence)
    assert isinstance(graph.value(catalog, SCHEMA.url), rdflib.URIRef)
    publisher = graph.value(catalog, SCHEMA.publisher)
    assert str(graph.value(publisher, SCHEMA.name)) == settings.catalog_publisher
    assert isinstance(graph.value(catalog, rdflib.DCTERMS.conformsTo), rdflib.URIRef)
    datasets = set(graph.objects(catalog, SCHEMA.dataset))
    listed = set(re.findall(r'<td><a href="[^"]+" title="([^"]+)">', response.text))
    assert datasets and {str(d) for d in datasets} == listed
    turtle = client.get("/catalog", headers={"Accept": "text/turtle"}).content
    total = [t.object.value for t in parse(turtle, format=RdfFormat.TURTLE)
             if t.subject == NamedNode(f"{BASE}catalog") and t.predicate.value == str(HYDRA.totalItems)]
    assert [str(graph.value(catalog, HYDRA.totalItems))] == total
    assert graph.value(graph.value(catalog, HYDRA.view), HYDRA.first) is not None


def test_catalogue_signposting(client: TestClient) -> None:
    catalog = f"{BASE}catalog"
    for method in ("GET", "HEAD"):
        response = client.request(method, "/catalog", headers={"Accept": "text/html"})
        posts = signposting.find_signposting_http_link([response.headers["link"]], catalog)
        assert posts.citeAs.target == catalog
        described = {(d.target, d.type) for d in posts.describedBy}
        assert {media for _, media in described} == set(RDF_TYPES.values())
        assert {str(t.target) for t in posts.types} == {"https://schema.org/DataCatalog",
                                                        "https://schema.org/AboutPage"}
        assert {(i.target, i.type) for i in posts.items} == {
            (f"{catalog}/all?format={name}", media) for name, media in RDF_TYPES.items()}
    for target, media in described:  # each describedby is the catalogue in that format
        answer = client.get("/" + target.removeprefix(BASE))
        assert answer.status_code == 200 and answer.headers["content-type"].startswith(media)
    page = html.fromstring(client.get("/catalog", headers={"Accept": "text/html"}).text)
    links = {(link.get("rel"), link.get("href"), link.get("type")) for link in page.xpath("//head/link")}
    assert ("cite-as", catalog, None) in links
    assert {(href, media) for rel, href, media in links if rel == "describedby"} == described
    assert ("type", "https://schema.org/DataCatalog", None) in links
    assert len([link for link in links if link[0] == "item"]) == len(RDF_TYPES)
    exported = client.get("/catalog/all?format=ttl", headers={"Accept-Encoding": "gzip"})
    assert exported.status_code == 200 and exported.content


def test_hostile_titles_stay_data_in_the_catalogue_page(build_tiny: Callable[..., Settings],
                                                        tiny_resource: Callable[..., dict]) -> None:
    hostile = "</script><script>alert(1)</script> & <b>"
    settings = build_tiny({"alpha": {"evil": tiny_resource(hostile, homepage="https://example.org/evil")}})
    with TestClient(create_app(settings)) as client:
        page = client.get("/catalog", headers={"Accept": "text/html"}).text
    assert "<script>alert(1)" not in page
    tree = html.fromstring(page)
    assert len(tree.xpath("//script")) == len(tree.xpath("//script[@type='application/ld+json']")) + len(
        tree.xpath("//script[@src]"))
    names = {d.get("name") for d in catalogue_document(page)["dataset"]}
    assert hostile in names


def test_whole_catalogue_export_is_not_refetched_unchanged(client: TestClient) -> None:
    first = client.get("/catalog/all", headers={"Accept": "text/turtle", "Accept-Encoding": "identity"})
    head = client.head("/catalog/all", headers={"Accept": "text/turtle", "Accept-Encoding": "identity"})
    assert head.status_code == 200 and head.content == b"" and dict(head.headers) == dict(first.headers)
    assert "content-encoding" not in first.headers and first.content
    again = client.get("/catalog/all", headers={"Accept": "text/turtle", "Accept-Encoding": "identity",
                                                "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    zipped = client.get("/catalog/all", headers={"Accept": "text/turtle", "Accept-Encoding": "gzip",
                                                 "If-None-Match": first.headers["etag"]})
    assert zipped.status_code == 200 and zipped.headers["etag"] != first.headers["etag"]
    assert zipped.headers["content-encoding"] == "gzip" and zipped.content == first.content
