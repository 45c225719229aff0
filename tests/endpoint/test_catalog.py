"""/catalog: a harvester walks every page by its links and finds each dataset exactly once."""

from __future__ import annotations

import doctest
import math
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
import rdflib
from fastapi.testclient import TestClient
from pyoxigraph import NamedNode, RdfFormat, Triple, parse

from lifecat.core.config import Settings
from lifecat.core.uris import Minter
from lifecat.core.vocab import DCAT, DCT, FOAF, HYDRA, RDF
from lifecat.endpoint import catalog as catalog_endpoint
from lifecat.endpoint.app import create_app
from lifecat.graph import catalog, catalog_entries, dcatap
from tests.utils.stores import copy_of

#: A Host header a proxy might pass on: links must still use the configured base.
PROXY_HOST = "proxy.example:8443"


@pytest.mark.parametrize("module", [catalog_endpoint, catalog, catalog_entries, dcatap])
def test_doctests(module: object) -> None:
    assert doctest.testmod(module).failed == 0


def read(content: bytes, fmt: RdfFormat) -> list[Triple]:
    return [quad.triple for quad in parse(content, format=fmt)]


@dataclass
class Page:
    url: str
    links: dict[str, str]
    triples: list[Triple]

    def objects(self, subject: NamedNode, predicate: NamedNode) -> list:
        return [t.object for t in self.triples if t.subject == subject and t.predicate == predicate]


def fetch(client: TestClient, url: str, base: str) -> Page:
    assert url.startswith(base), url
    response = client.get("/" + url.removeprefix(base), headers={
        "Accept": "application/n-triples", "Host": PROXY_HOST})
    assert response.status_code == 200, response.text
    links = {rel: link["url"] for rel, link in response.links.items()}
    return Page(url, links, read(response.content, RdfFormat.N_TRIPLES))


@pytest.fixture(scope="module")
def walk(client: TestClient, settings: Settings) -> list[Page]:
    """Every page of the catalogue, reached by following rel="next" from the first."""
    pages = [fetch(client, f"{settings.base}catalog", settings.base)]
    total = int(pages[0].objects(NamedNode(f"{settings.base}catalog"), HYDRA.totalItems)[0].value)
    bound = math.ceil(total / settings.catalog_page_size) + 1
    while "next" in pages[-1].links:
        assert len(pages) <= bound, "the next links do not end"
        pages.append(fetch(client, pages[-1].links["next"], settings.base))
    return pages


def test_the_walk_lists_every_dataset_exactly_once_and_ends(walk: list[Page], settings: Settings) -> None:
    catalogue = NamedNode(f"{settings.base}catalog")
    listed = [d.value for page in walk for d in page.objects(catalogue, DCAT.dataset)]
    assert len(listed) == len(set(listed))
    total = int(walk[0].objects(catalogue, HYDRA.totalItems)[0].value)
    assert len(listed) == total
    assert len(walk) == math.ceil(total / settings.catalog_page_size) > 1
    store = copy_of(settings)
    mint = Minter(settings.base)
    graph = mint.graph("bioregistry")
    records = {q.subject.value for q in store.quads_for_pattern(None, RDF.type, DCAT.Dataset, graph)
               if q.subject.value.startswith(f"{settings.base}id/")}
    # records without the description DCAT-AP requires load (with a warning) but are not listed
    described = {q.subject.value for q in store.quads_for_pattern(None, DCT.description, None, graph)}
    assert records - described
    records &= described
    assert records <= set(listed)
    own = {f"{settings.base}void#dataset", f"{settings.base}void#source-bioregistry"}
    assert set(listed) - records == own
    for page in walk:  # every listed dataset is described on its page, its record dated
        records = {r: page.objects(r, FOAF.primaryTopic) for r in page.objects(catalogue, DCAT.record)}
        for dataset in page.objects(catalogue, DCAT.dataset):
            [record] = [r for r, topics in records.items() if topics == [dataset]]
            assert page.objects(dataset, DCT.title) and page.objects(record, DCT.modified)


def test_links_are_absolute_under_the_base_whatever_the_host(walk: list[Page], settings: Settings) -> None:
    for page in walk:
        # every link is lifecat's but the Signposting ones naming others' documents: types, licence
        assert all(url.startswith(settings.base) for rel, url in page.links.items()
                   if rel not in ("type", "license"))
        assert not any(PROXY_HOST in str(t) for t in page.triples)


def test_hydra_controls_match_the_link_headers(walk: list[Page], settings: Settings) -> None:
    last = len(walk)
    for number, page in enumerate(walk, start=1):
        view = NamedNode(f"{settings.base}catalog?page={number}")
        types = set(page.objects(view, RDF.type))
        assert {HYDRA.PartialCollectionView, HYDRA.PagedCollection} <= types
        for rel, current, legacy in (("first", "first", "firstPage"), ("last", "last", "lastPage"),
                                     ("prev", "previous", "previousPage"), ("next", "next", "nextPage")):
            expected = [page.links[rel]] if rel in page.links else []
            assert [o.value for o in page.objects(view, HYDRA[current])] == expected, (number, rel)
            assert [o.value for o in page.objects(view, HYDRA[legacy])] == expected, (number, rel)
        assert page.links["first"].endswith("page=1") and page.links["last"].endswith(f"page={last}")
        assert ("next" in page.links) == (number < last) and ("prev" in page.links) == (number > 1)
        [size] = page.objects(view, HYDRA.itemsPerPage)
        assert int(size.value) == settings.catalog_page_size


@pytest.mark.parametrize("accept, fmt", [
    ("text/turtle", RdfFormat.TURTLE),
    ("application/ld+json", RdfFormat.JSON_LD),
    ("application/rdf+xml", RdfFormat.RDF_XML),
    ("application/n-triples", RdfFormat.N_TRIPLES),
    ("*/*", RdfFormat.TURTLE),
    ("", RdfFormat.TURTLE),
])
def test_negotiated_rdf(client: TestClient, settings: Settings, accept: str, fmt: RdfFormat) -> None:
    response = client.get("/catalog", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == fmt.media_type
    assert "Accept" in response.headers["vary"]
    triples = read(response.content, fmt)
    assert Triple(NamedNode(f"{settings.base}catalog"), RDF.type, DCAT.Catalog) in triples


@pytest.mark.parametrize("name, media", [("ttl", "text/turtle"), ("jsonld", "application/ld+json"),
                                         ("rdf", "application/rdf+xml"), ("nt", "application/n-triples"),
                                         ("html", "text/html")])
def test_format_parameter_wins_over_accept(client: TestClient, name: str, media: str) -> None:
    response = client.get(f"/catalog?format={name}", headers={"Accept": "text/html"})
    assert response.headers["content-type"].startswith(media)


def test_unservable_types_are_406(client: TestClient) -> None:
    assert client.get("/catalog", headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/catalog?format=csv").status_code == 406


class PageLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rels: dict[str, str] = {}
        self.datasets: list[str] = []
        self.in_table = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "tbody":
            self.in_table = True
        if tag == "a" and found.get("rel"):
            self.rels[found["rel"]] = found["href"]
        elif tag == "a" and self.in_table:
            self.datasets.append(found["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self.in_table = False


def test_people_get_a_page_with_datasets_and_paging(client: TestClient, settings: Settings) -> None:
    response = client.get("/catalog?page=2", headers={
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = PageLinks()
    page.feed(response.text)
    assert page.rels == {"first": "/catalog?page=1", "prev": "/catalog?page=1",
                         "next": "/catalog?page=3", "last": page.rels["last"]}
    assert len(page.datasets) == settings.catalog_page_size
    record = client.get(next(h for h in page.datasets if h.startswith("/id/")),
                        headers={"Accept": "text/html"})
    assert record.status_code == 200


@pytest.mark.parametrize("query, status, reason", [
    ("page=0", 400, "page must be a positive integer"),
    ("page=abc", 400, "page must be a positive integer"),
    ("page=-2", 400, "page must be a positive integer"),
    ("page=9999", 404, "no page 9999"),
    ("modified_since=yesterday", 400, "modified_since must be an ISO 8601 date"),
    ("modified_since=2024-13-45", 400, "modified_since must be an ISO 8601 date"),
])
def test_bad_parameters_get_a_clear_4xx(client: TestClient, query: str, status: int, reason: str) -> None:
    response = client.get(f"/catalog?{query}", headers={"Accept": "text/turtle"})
    assert response.status_code == status and reason in response.text


def paging(triple: Triple) -> bool:
    """Whether a triple is a paging control (the one-file catalogue has none)."""
    return triple.predicate.value.startswith(HYDRA.iri) or triple.object in (
        HYDRA.Collection, HYDRA.PartialCollectionView, HYDRA.PagedCollection)


def test_the_whole_catalogue_is_one_file(client: TestClient, walk: list[Page]) -> None:
    zipped = client.get("/catalog/all", headers={"Accept": "application/n-triples",
                                                 "Accept-Encoding": "gzip"})
    plain = client.get("/catalog/all?format=nt", headers={"Accept-Encoding": "identity"})
    assert zipped.headers["content-encoding"] == "gzip" and "content-encoding" not in plain.headers
    assert zipped.content == plain.content
    whole = set(read(plain.content, RdfFormat.N_TRIPLES))
    paged = {t for page in walk for t in page.triples if not paging(t)}
    assert paged == whole
    for media in ("text/turtle", "application/ld+json", "application/rdf+xml"):
        response = client.get("/catalog/all", headers={"Accept": media})
        assert response.status_code == 200 and response.headers["content-type"].startswith(media)
        assert set(read(response.content, RdfFormat.from_media_type(media))) == whole


def test_record_distributions_resolve(client: TestClient, walk: list[Page], settings: Settings) -> None:
    page = walk[1]
    datasets = page.objects(NamedNode(f"{settings.base}catalog"), DCAT.dataset)[:5]
    for dataset in datasets:
        for distribution in page.objects(dataset, DCAT.distribution):
            url = page.objects(distribution, DCAT.downloadURL)
            if not url or not url[0].value.startswith(settings.base):
                continue  # the publisher's own downloads are not lifecat's to serve
            [media] = page.objects(distribution, DCAT.mediaType)
            response = client.get("/" + url[0].value.removeprefix(settings.base))
            assert response.status_code == 200, url
            expected = media.value.rsplit("media-types/", 1)[1]
            assert response.headers["content-type"].split(";")[0] in (expected, "application/gzip")


def test_a_ckan_style_harvester_pages_through_rdf_xml(build_tiny: Callable[..., Settings],
                                                      tiny_resource: Callable[..., dict]) -> None:
    """CKAN's DCAT harvester: rdflib, RDF/XML, next page from the hydra:PagedCollection node."""
    settings = build_tiny({"alpha": {p: tiny_resource(f"Resource {p}") for p in "abcde"}})
    settings = settings.model_copy(update={"catalog_page_size": 2})
    hydra = rdflib.Namespace(HYDRA.iri)
    seen: list[str] = []
    url: str | None = f"{settings.base}catalog"
    with TestClient(create_app(settings)) as client:
        while url and len(seen) < 20:
            response = client.get("/" + url.removeprefix(settings.base),
                                  headers={"Accept": "application/rdf+xml"})
            graph = rdflib.Graph().parse(data=response.text, format="xml")
            seen += [str(d) for d in graph.subjects(rdflib.RDF.type, rdflib.URIRef(DCAT.Dataset.value))]
            url = None
            for page in graph.subjects(rdflib.RDF.type, hydra.PagedCollection):
                url = next((str(o) for o in graph.objects(page, hydra.nextPage)), None)
    assert len(seen) == len(set(seen)) == 5 + 2  # the records, the whole graph and the source
