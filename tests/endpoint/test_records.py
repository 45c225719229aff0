"""Record pages over the default build, fetched over HTTP from the live server as readers fetch them:
browsers, RDF clients, crawlers reading embedded JSON-LD, and FAIR assessors reading Signposting."""

from __future__ import annotations

import re

import extruct
import httpx
import pytest
import signposting
from pyoxigraph import NamedNode, RdfFormat, parse

from lifecat.endpoint.jsonld import CONFORMS_TO, MINIMUM

BASE = "http://lifecat.test/"
RDF_TYPES = {"ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples",
             "rdf": "application/rdf+xml"}
FORMATS = {**RDF_TYPES, "html": "text/html"}
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#: Schema.org property behind each profile minimum, where lifecat data has one to check against.
DATA_PROPERTIES = {"name": "http://schema.org/name", "description": "http://schema.org/description",
                   "keywords": "http://schema.org/keywords", "url": "http://schema.org/url",
                   "identifier": "http://schema.org/identifier", "provider": "http://schema.org/provider",
                   "license": "http://schema.org/license", "sameAs": "http://schema.org/sameAs"}


def path(uri: str) -> str:
    return "/" + uri.removeprefix(BASE)


def embedded(html: str, url: str) -> dict:
    """The page's JSON-LD, read with extruct as crawlers read it."""
    found = extruct.extract(html, base_url=url, syntaxes=["json-ld"])["json-ld"]
    assert len(found) == 1, found
    return found[0]


def subjects(body: bytes, media: str) -> set[str]:
    return {t.subject.value for t in parse(body, format=RdfFormat.from_media_type(media))}


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("how", ["accept", "format", "suffix"])
def test_every_kind_in_every_format(live_server: str, kinds: dict[str, str], fmt: str, how: str) -> None:
    media = FORMATS[fmt]
    assert {"catalog", "registry", "collection", "person", "article", "organization"} <= set(kinds)
    for kind, uri in kinds.items():
        url = f"{live_server}{path(uri)}"
        if how == "accept":
            response = httpx.get(url, headers={"Accept": media})
        elif how == "format":
            response = httpx.get(url, params={"format": fmt})
        else:
            response = httpx.get(f"{url}.{fmt}")
        assert response.status_code == 200, (kind, response.text)
        assert response.headers["content-type"].split(";")[0] == media
        assert "Accept" in response.headers["vary"].split(", ")
        if fmt == "html":
            doc = embedded(response.text, url)
            assert doc["@id"] == uri, kind
        else:
            assert uri in subjects(response.content, media), kind
            assert all(s == uri or s.startswith(uri + "#") for s in subjects(response.content, media))


@pytest.mark.parametrize(("accept", "expected"), [
    ("text/turtle;q=0.5, application/rdf+xml;q=0.9", "application/rdf+xml"),
    ("application/ld+json, text/html;q=0.1", "application/ld+json"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
    ("text/plain", "application/n-triples"),
    ("*/*", "text/html"),
])
def test_accept_q_values(client, accept: str, expected: str) -> None:
    response = client.get("/id/catalog/uniprot", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == expected


@pytest.mark.parametrize("request_kwargs", [{"headers": {"Accept": "image/png"}},
                                            {"params": {"format": "docx"}}])
def test_unsupported_format_is_406(client, request_kwargs: dict) -> None:
    response = client.get("/id/catalog/uniprot", **request_kwargs)
    assert response.status_code == 406
    assert "text/turtle" in response.text


def test_missing_record_is_404(client) -> None:
    response = client.get("/id/catalog/no-such-prefix-anywhere", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert "no record" in response.text


def test_signposting_headers_parse(live_server: str, kinds: dict[str, str]) -> None:
    for kind, uri in kinds.items():
        for method in ("GET", "HEAD"):
            response = httpx.request(method, f"{live_server}{path(uri)}")
            assert response.status_code == 200
            posts = signposting.find_signposting_http_link([response.headers["link"]], uri)
            cite = posts.citeAs.target
            assert cite == uri or (kind == "article" and cite.startswith("https://doi.org/10.")), kind
            assert {(d.target, d.type) for d in posts.describedBy} == {
                (f"{uri}.{name}", media) for name, media in RDF_TYPES.items()}
            types = {t.target for t in posts.types}
            assert "https://schema.org/AboutPage" in types and not any(
                t.startswith("http://schema.org/") for t in types), kind
            own = {t.object.value.replace("http://", "https://") for t in parse(
                httpx.get(f"{live_server}{path(uri)}.nt").content, format=RdfFormat.N_TRIPLES)
                if t.subject == NamedNode(uri) and t.predicate.value == RDF_TYPE
                and t.object.value.startswith("http://schema.org/")}
            assert own and own <= types, kind
            if method == "HEAD":
                assert response.content == b""


def test_head_sends_the_same_headers(client) -> None:
    get, head = client.get("/id/catalog/uniprot"), client.head("/id/catalog/uniprot")
    assert head.status_code == 200
    assert head.headers["link"] == get.headers["link"]
    assert "Accept" in head.headers["vary"].split(", ")


def test_article_cites_its_doi(client, kinds: dict[str, str]) -> None:
    response = client.get("/id/article/10.1093/nar/gkz935")
    posts = signposting.find_signposting_http_link([response.headers["link"]], BASE)
    assert posts.citeAs.target == "https://doi.org/10.1093/nar/gkz935"


def test_catalog_signposts_licence_and_items(client) -> None:
    response = client.get("/id/catalog/uniprot")
    posts = signposting.find_signposting_http_link([response.headers["link"]], BASE)
    assert posts.license.target == "http://spdx.org/licenses/CC-BY-4.0"
    assert {i.type for i in posts.items} >= {"application/rdf+xml"}
    assert "<link rel=\"cite-as\" href=\"http://lifecat.test/id/catalog/uniprot\">" in response.text


def test_embedded_jsonld_meets_profile_minimum_where_data_allows(client, kinds: dict[str, str]) -> None:
    """Each minimum property is in the JSON-LD whenever the record's RDF has the statement."""
    for kind, uri in kinds.items():
        html = client.get(path(uri)).text
        doc = embedded(html, uri)
        triples = parse(client.get(path(uri) + ".nt").content, format=RdfFormat.N_TRIPLES)
        own = {t.predicate.value for t in triples if t.subject == NamedNode(uri)}
        profile = doc.get(CONFORMS_TO, {}).get("@id")
        if kind in ("collection", "query"):
            assert profile is None  # no Bioschemas profile fits schema:Collection or a query
            continue
        assert profile in MINIMUM, kind
        types = doc["@type"] if isinstance(doc["@type"], list) else [doc["@type"]]
        assert types[0] == profile.split("/")[-2]  # the schema.org type first, then others prefixed
        for name in MINIMUM[profile]:
            if DATA_PROPERTIES.get(name) in own:
                assert name in doc, (kind, name)
        assert "mainEntityOfPage" in doc


def test_page_shows_labels_provenance_and_identifiers(client, settings) -> None:
    html = client.get("/id/catalog/uniprot").text
    assert "UniProt: the Universal Protein Knowledgebase in 2025" in html  # an outgoing link's label
    loaded = r'href="/search\?source=bioregistry"[^>]*>bioregistry</a>, loaded <time datetime="\d{4}-'
    assert re.search(loaded, html)
    assert '<a href="https://identifiers.org/' in html or '<a href="https://bioregistry.io/' in html
    assert 'id="validation" data-conforms="true"' in html
    assert "DESCRIBE <http://lifecat.test/id/catalog/uniprot></textarea>" in html


def test_warnings_are_shown(client) -> None:
    html = client.get("/id/registry/obofoundry").text
    assert "no provider (schema:provider)" in html


def test_identifier_lookup_redirects(client) -> None:
    doi = client.get("/id/doi/10.1093/NAR/GKZ935", follow_redirects=False)
    assert doi.status_code == 303
    assert doi.headers["location"] == "/id/article/10.1093/nar/gkz935"
    orcid = client.get("/id/orcid/0000-0002-6982-4660", follow_redirects=False)
    assert orcid.headers["location"] == "/id/person/0000-0002-6982-4660"
    pubmed = client.get("/id/pubmed/31665441", follow_redirects=False)
    assert pubmed.headers["location"] == "/id/article/10.1093/nar/gkz935"


@pytest.mark.parametrize("url", ["/id/doi/10.9999/not-here", "/id/not-a-scheme/123"])
def test_identifier_lookup_misses_are_404(client, url: str) -> None:
    assert client.get(url, follow_redirects=False).status_code == 404
