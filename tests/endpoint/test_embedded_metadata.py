"""A record page's embedded metadata read the way FAIR assessors and dataset search engines read it,
with no network: the JSON-LD (extruct, then expanded by rdflib from its inline context), the Dublin
Core ``<meta>`` tags and FAIR Signposting (the ``signposting`` package, from the ``Link`` header and
from the page's ``<link>`` elements, fetched over a socket as crawlers fetch them).

The records are written as plain RDF into a real store: a dataset with everything a source may say
of it (publisher, licence, access rights, dates, provenance, a download), samples, an article with
its DOI, a tool carrying its paper's DOI, and a record whose links are scripts."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack
from functools import partial
from pathlib import Path

import extruct
import httpx
import pytest
import rdflib
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse
from signposting import find_signposting_html, find_signposting_http_link

from lifecat.core.config import Settings, SourceConfig
from lifecat.core.uris import Minter
from lifecat.core.vocab import (
    ACCESS_RIGHT,
    BIOSCHEMAS,
    BIOSCHEMAS_PROFILE,
    DCAT,
    DCT,
    IANA_MEDIA,
    PROV,
    RDF,
    SCHEMA,
    XSD,
)
from lifecat.endpoint.app import create_app
from lifecat.endpoint.jsonld import OTHER_PROPERTIES
from lifecat.endpoint.record_page import authors
from lifecat.graph.build import build
from lifecat.graph.store import Store
from tests.utils.crawler import head
from tests.utils.samples import SAMPLES
from tests.utils.stores import store_settings, write_graphs

BASE = "http://fair.test/"
SAMPLES_BASE = "http://lifecat.test/"
MINT = Minter(BASE)
DATASET = MINT.record("dataset", "D1")
DOWNLOAD = NamedNode(f"{DATASET.value}#download-fasta")
PUBLISHER = MINT.record("organization", "02catss52")
AUTHOR = MINT.record("person", "0000-0002-1825-0097")
CREATOR = NamedNode("https://orcid.org/0000-0001-5109-3700")
SAMPLE = MINT.record("sample", "USA/WA-1/2020")
SAMPLE_TODAY = MINT.record("sample", "USA/WA-2/2020")  # typed bioschemas:Sample only
ARTICLE = MINT.record("article", "10.1000/xyz")
TOOL = MINT.record("tool", "t1")
HOSTILE = MINT.record("dataset", "H1")
LOAD = NamedNode(f"{BASE}graph/fair/load/1")
CC0 = "http://spdx.org/licenses/CC0-1.0"
SOURCE_RECORD = "https://www.ncbi.nlm.nih.gov/nuccore/D1"
FASTA = "https://example.org/D1.fasta"
HOSTILE_LINKS = [(SCHEMA.license, "javascript:alert(1)"), (DCT.license, "JavaScript:alert(2)"),
                 (SCHEMA.publisher, "javascript:alert(3)"), (DCT.publisher, "javascript:alert(4)"),
                 (SCHEMA.author, "javascript:alert(5)"), (PROV.wasDerivedFrom, "javascript:alert(6)"),
                 (DCT.accessRights, "javascript:alert(7)"), (SCHEMA.usageInfo, "javascript:alert(8)")]
SCRIPT = "</script><script>alert(1)</script>"
SCHEMA_NS = "http://schema.org/"
PAGES = [DATASET, SAMPLE, SAMPLE_TODAY, ARTICLE, TOOL, HOSTILE, PUBLISHER, AUTHOR]

#: A live server over a remote store may take its time on a busy machine.
TIMEOUT = 60
get = partial(httpx.get, timeout=TIMEOUT)
head_request = partial(httpx.head, timeout=TIMEOUT)


def quads() -> Iterator[Quad]:
    graph, meta = MINT.graph("fair"), MINT.meta_graph
    date = XSD.date

    def q(s: NamedNode, p: NamedNode, o: NamedNode | Literal, g: NamedNode = graph) -> Quad:
        return Quad(s, p, o, g)

    yield from [
        q(DATASET, RDF.type, SCHEMA.Dataset), q(DATASET, RDF.type, DCAT.Dataset),
        q(DATASET, DCT.conformsTo, BIOSCHEMAS_PROFILE["Dataset"]),
        q(DATASET, SCHEMA.name, Literal("Sequence D1")),
        q(DATASET, SCHEMA.description, Literal("A genome sequence.")),
        q(DATASET, SCHEMA.keywords, Literal("SARS-CoV-2")), q(DATASET, SCHEMA.keywords, Literal("genome")),
        q(DATASET, SCHEMA.identifier, Literal("D1")),
        q(DATASET, SCHEMA.identifier, Literal("https://identifiers.org/insdc:D1")),
        q(DATASET, SCHEMA.sameAs, NamedNode(SOURCE_RECORD)),
        q(DATASET, SCHEMA.url, NamedNode(SOURCE_RECORD)),
        q(DATASET, SCHEMA.inLanguage, Literal("en")),
        q(DATASET, SCHEMA.publisher, PUBLISHER), q(DATASET, DCT.publisher, PUBLISHER),
        q(DATASET, SCHEMA.author, AUTHOR), q(DATASET, DCT.creator, CREATOR),
        q(DATASET, SCHEMA.license, NamedNode(CC0)), q(DATASET, DCT.license, NamedNode(CC0)),
        q(DATASET, DCT.accessRights, ACCESS_RIGHT.PUBLIC),
        q(DATASET, SCHEMA.isAccessibleForFree, Literal("true", datatype=XSD.boolean)),
        q(DATASET, SCHEMA.datePublished, Literal("2020-05-01", datatype=date)),
        q(DATASET, SCHEMA.dateModified, Literal("2020-06-02", datatype=date)),
        q(DATASET, PROV.wasDerivedFrom, NamedNode(SOURCE_RECORD)),
        q(DATASET, PROV.wasGeneratedBy, LOAD),
        q(DATASET, SCHEMA.distribution, DOWNLOAD), q(DATASET, DCAT.distribution, DOWNLOAD),
        q(DOWNLOAD, RDF.type, SCHEMA.DataDownload), q(DOWNLOAD, RDF.type, DCAT.Distribution),
        q(DOWNLOAD, SCHEMA.contentUrl, NamedNode(FASTA)), q(DOWNLOAD, DCAT.downloadURL, NamedNode(FASTA)),
        q(DOWNLOAD, SCHEMA.encodingFormat, Literal("text/x-fasta")),
        q(DOWNLOAD, DCAT.mediaType, IANA_MEDIA["text/x-fasta"]),
        q(DOWNLOAD, DCAT.byteSize, Literal("1234", datatype=XSD.nonNegativeInteger)),
        q(PUBLISHER, RDF.type, SCHEMA.Organization), q(PUBLISHER, SCHEMA.name, Literal("Example Archive")),
        q(PUBLISHER, SCHEMA.sameAs, NamedNode("https://ror.org/02catss52")),
        q(AUTHOR, RDF.type, SCHEMA.Person), q(AUTHOR, SCHEMA.name, Literal("Josiah Carberry")),
        q(AUTHOR, SCHEMA.sameAs, NamedNode("https://orcid.org/0000-0002-1825-0097")),
        q(SAMPLE, RDF.type, BIOSCHEMAS.Sample), q(SAMPLE, RDF.type, SCHEMA.BioChemEntity),
        q(SAMPLE, DCT.conformsTo, BIOSCHEMAS_PROFILE["Sample"]),
        q(SAMPLE, SCHEMA.identifier, Literal("USA/WA-1/2020")),
        q(SAMPLE, SCHEMA.name, Literal("USA/WA-1/2020")),
        q(SAMPLE, SCHEMA.subjectOf, DATASET),
        q(SAMPLE_TODAY, RDF.type, BIOSCHEMAS.Sample), q(SAMPLE_TODAY, SCHEMA.name, Literal("USA/WA-2/2020")),
        q(ARTICLE, RDF.type, SCHEMA.ScholarlyArticle), q(ARTICLE, SCHEMA.name, Literal("A preprint")),
        q(ARTICLE, SCHEMA.sameAs, NamedNode("https://doi.org/10.1000/xyz")),
        q(ARTICLE, SCHEMA.datePublished, Literal("2020-04-02", datatype=date)),
        q(TOOL, RDF.type, SCHEMA.SoftwareApplication), q(TOOL, SCHEMA.name, Literal("Tool one")),
        q(TOOL, SCHEMA.identifier, Literal("doi:10.1000/its-paper")),
        q(TOOL, SCHEMA.sameAs, NamedNode("https://bio.tools/t1")),
        q(HOSTILE, RDF.type, SCHEMA.Dataset), q(HOSTILE, SCHEMA.name, Literal(SCRIPT)),
        q(HOSTILE, SCHEMA.distribution, NamedNode(f"{HOSTILE.value}#download")),
        q(NamedNode(f"{HOSTILE.value}#download"), SCHEMA.contentUrl, NamedNode("javascript:alert(9)")),
        *(q(HOSTILE, p, NamedNode(iri)) for p, iri in HOSTILE_LINKS),
        q(HOSTILE, SCHEMA.conditionsOfAccess, Literal("javascript:alert(10)")),
        q(LOAD, RDF.type, PROV.Activity, meta), q(LOAD, PROV.generated, graph, meta),
        q(LOAD, PROV.endedAtTime, Literal("2024-05-01T10:00:00Z", datatype=XSD.dateTime), meta),
    ]


@pytest.fixture(scope="module")
def fair_settings(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    with ExitStack() as stack:
        settings = store_settings(backend, tmp_path_factory.mktemp(f"fair-{backend}"), stack, base=BASE)
        write_graphs(settings, list(quads()))
        yield settings


@pytest.fixture(scope="module")
def fair_url(fair_settings: Settings, serve: Callable[[FastAPI], AbstractContextManager[str]]
             ) -> Iterator[str]:
    with serve(create_app(fair_settings)) as url:
        yield url


def embedded(html: str, url: str) -> dict:
    [doc] = extruct.extract(html, base_url=url, syntaxes=["json-ld"], uniform=False)["json-ld"]
    return doc


def expanded(doc: dict, monkeypatch: pytest.MonkeyPatch) -> rdflib.Graph:
    """The document read by rdflib with every socket refused: a remote context would fail here."""

    def refuse(*_: object) -> None:
        raise OSError("no network while reading embedded JSON-LD")

    with monkeypatch.context() as patched:
        patched.setattr(socket.socket, "connect", refuse)
        return rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")


def record_triples(url: str) -> list:
    response = get(f"{url}.nt")
    assert response.status_code == 200
    return list(parse(response.content, format=RdfFormat.N_TRIPLES))


def same_value(term: rdflib.term.Node, value: NamedNode | Literal) -> bool:
    """Whether ``term`` read from JSON-LD states ``value``: an IRI as the same IRI, a literal by its text
    (dates are plain strings in the document) or, for numbers, by its number."""
    if isinstance(value, NamedNode):
        return term == rdflib.URIRef(value.value)
    if not isinstance(term, rdflib.Literal):
        return False
    if str(term) == value.value:
        return True
    try:
        return float(term) == float(value.value)
    except ValueError:
        return False


def page_url(server: str, uri: NamedNode) -> str:
    return f"{server}/{uri.value.removeprefix(BASE)}"


@pytest.mark.parametrize("uri", PAGES, ids=[u.value.removeprefix(BASE) for u in PAGES])
def test_embedded_json_ld_reads_back_offline(fair_url: str, uri: NamedNode,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    url = page_url(fair_url, uri)
    html = get(url, headers={"Accept": "text/html"}).text
    doc = embedded(html, uri.value)
    context = doc["@context"]
    assert isinstance(context, dict) and context["@vocab"] == SCHEMA_NS
    assert all(isinstance(v, dict) or v.startswith(("http://", "https://")) for v in context.values())
    graph = expanded(doc, monkeypatch)
    main = rdflib.URIRef(uri.value)
    assert set(graph.objects(main, rdflib.RDF.type)), "the main node has a type"
    for t in record_triples(url):
        predicate = t.predicate.value
        kept = predicate.startswith(SCHEMA_NS) or predicate == RDF.type.value or predicate in OTHER_PROPERTIES
        if not kept or predicate in (DCT.conformsTo.value, SCHEMA.mainEntityOfPage.value):
            continue
        found = list(graph.objects(rdflib.URIRef(t.subject.value), rdflib.URIRef(predicate)))
        assert any(same_value(o, t.object) for o in found), (str(t), found)


def test_every_main_entity_has_a_schema_org_type_and_other_types_prefixed(fair_url: str,
                                                                          monkeypatch: pytest.MonkeyPatch
                                                                          ) -> None:
    sample = embedded(get(page_url(fair_url, SAMPLE)).text, SAMPLE.value)
    assert sample["@type"] == ["BioChemEntity", "bioschemas:Sample"]
    assert sample["@context"]["bioschemas"] == "https://bioschemas.org/"
    types = set(expanded(sample, monkeypatch).objects(rdflib.URIRef(SAMPLE.value), rdflib.RDF.type))
    assert types == {rdflib.URIRef(f"{SCHEMA_NS}BioChemEntity"), rdflib.URIRef(BIOSCHEMAS.Sample.value)}
    today = embedded(get(page_url(fair_url, SAMPLE_TODAY)).text, SAMPLE_TODAY.value)
    assert today["@type"] == "bioschemas:Sample"


def test_dataset_carries_what_assessors_read(fair_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = embedded(get(page_url(fair_url, DATASET)).text, DATASET.value)
    assert doc["@type"] == ["Dataset", "dcat:Dataset"]
    assert doc["name"] == "Sequence D1" and doc["url"] == SOURCE_RECORD  # plain strings, as Google reads
    assert doc["@context"]["url"] == {"@type": "@id"}
    assert doc["dct:license"] == doc["license"] == {"@id": CC0,
                                                    "name": "Creative Commons Zero v1.0 Universal"}
    assert doc["dct:accessRights"] == ACCESS_RIGHT.PUBLIC.value
    assert doc["prov:wasDerivedFrom"] == SOURCE_RECORD
    assert doc["prov:wasGeneratedBy"]["@id"] == LOAD.value
    assert doc["publisher"] == {"@id": PUBLISHER.value, "@type": "Organization", "name": "Example Archive"}
    assert doc["dct:publisher"] == doc["publisher"]
    assert doc["datePublished"] == "2020-05-01"
    assert doc["distribution"]["dcat:byteSize"] == 1234
    graph = expanded(doc, monkeypatch)
    main, download = rdflib.URIRef(DATASET.value), rdflib.URIRef(DOWNLOAD.value)
    assert (main, rdflib.URIRef(DCT.license.value), rdflib.URIRef(CC0)) in graph
    assert (main, rdflib.URIRef(DCAT.distribution.value), download) in graph
    assert (download, rdflib.URIRef(DCAT.downloadURL.value), rdflib.URIRef(FASTA)) in graph
    assert (download, rdflib.URIRef(DCAT.mediaType.value), rdflib.URIRef(IANA_MEDIA["text/x-fasta"].value)
            ) in graph
    assert (download, rdflib.URIRef(f"{SCHEMA_NS}contentUrl"), rdflib.URIRef(FASTA)) in graph


def test_dublin_core_tags(fair_url: str) -> None:
    page = head(get(page_url(fair_url, DATASET)).text)
    assert page.schemas == {"schema.DC": "http://purl.org/dc/elements/1.1/",
                            "schema.DCTERMS": "http://purl.org/dc/terms/"}
    meta = page.meta
    assert meta["DC.title"] == ["Sequence D1"]
    assert meta["DC.identifier"][0] == DATASET.value
    assert set(meta["DC.identifier"]) == {DATASET.value, SOURCE_RECORD, "https://identifiers.org/insdc:D1"}
    assert meta["DC.publisher"] == ["Example Archive"]
    assert set(meta["DC.creator"]) == {"Josiah Carberry", CREATOR.value}
    assert meta["DC.date"] == ["2020-05-01"] and meta["DCTERMS.issued"] == ["2020-05-01"]
    assert meta["DCTERMS.modified"] == ["2020-06-02"]
    assert set(meta["DC.type"]) == {"http://purl.org/dc/dcmitype/Dataset", f"{SCHEMA_NS}Dataset",
                                    DCAT.Dataset.value}
    assert meta["DC.description"] == ["A genome sequence."]
    assert meta["DC.rights"] == [CC0] and meta["DCTERMS.license"] == [CC0]
    assert meta["DCTERMS.accessRights"] == [ACCESS_RIGHT.PUBLIC.value]
    assert set(meta["DC.subject"]) == {"SARS-CoV-2", "genome"}
    assert meta["DC.source"] == [SOURCE_RECORD]
    assert meta["DC.language"] == ["en"]
    sample = head(get(page_url(fair_url, SAMPLE)).text).meta
    assert "DC.publisher" not in sample and "DC.rights" not in sample  # only where the record says so
    assert "http://purl.org/dc/dcmitype/PhysicalObject" in sample["DC.type"]


def test_signposting_in_header_and_html_agree(fair_url: str) -> None:
    url = page_url(fair_url, DATASET)
    response = get(url, headers={"Accept": "text/html"})
    posts = find_signposting_http_link([response.headers["link"]], url)
    assert posts.citeAs.target == DATASET.value
    assert {t.target for t in posts.types} == {"https://schema.org/Dataset", "https://schema.org/AboutPage"}
    assert posts.license.target == CC0
    assert {a.target for a in posts.authors} == {"https://orcid.org/0000-0002-1825-0097", CREATOR.value}
    assert {(i.target, i.type) for i in posts.items} == {(FASTA, "text/x-fasta")}
    in_html = find_signposting_html(url)  # fetched from the page, read from its <link> elements
    assert {(s.rel, s.target, s.type) for s in in_html} == {(s.rel, s.target, s.type) for s in posts}


def test_authors_are_named_by_their_web_identifiers(fair_settings: Settings) -> None:
    """A linked person record stands for its ORCID iD, a ``dct:creator`` ORCID for itself; the
    publisher is no author."""
    assert authors(Store.open(fair_settings), DATASET) == [CREATOR.value, "https://orcid.org/0000-0002-1825-0097"]


@pytest.mark.parametrize(("uri", "cite"), [(ARTICLE, "https://doi.org/10.1000/xyz"), (TOOL, TOOL.value),
                                           (SAMPLE, SAMPLE.value)])
def test_cite_as_is_a_doi_only_for_the_work_it_names(fair_url: str, uri: NamedNode, cite: str) -> None:
    url = page_url(fair_url, uri)
    response = head_request(url)
    posts = find_signposting_http_link([response.headers["link"]], url)
    assert posts.citeAs.target == cite


def test_script_links_never_become_links_or_signposts(fair_url: str, monkeypatch: pytest.MonkeyPatch
                                                      ) -> None:
    url = page_url(fair_url, HOSTILE)
    response = get(url, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "javascript:" not in response.headers["link"].lower()
    posts = find_signposting_http_link([response.headers["link"]], url)
    assert posts.license is None and not posts.authors and not posts.items
    page = head(response.text)
    assert not [h for h in page.hrefs if h.strip().lower().startswith("javascript:")]
    assert not [(name, c) for name, values in page.meta.items() for c in values if "javascript:" in c.lower()]
    assert "DC.publisher" not in page.meta and "DC.rights" not in page.meta
    assert SCRIPT not in response.text  # the JSON stays escaped in its <script>
    doc = embedded(response.text, HOSTILE.value)
    assert doc["name"] == SCRIPT
    assert expanded(doc, monkeypatch)  # hostile values are data, still readable


def test_default_build_pages_read_offline(client: TestClient, kinds: dict[str, str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Every kind of record in the default build: JSON-LD with a schema.org-typed main node, Dublin
    Core title, identifier and type, and the schema.org types among the Signposting types."""
    for kind, uri in kinds.items():
        response = client.get("/" + uri.removeprefix(SAMPLES_BASE), headers={"Accept": "text/html"})
        doc = embedded(response.text, uri)
        graph = expanded(doc, monkeypatch)
        types = {str(t) for t in graph.objects(rdflib.URIRef(uri), rdflib.RDF.type)}
        assert any(t.startswith(SCHEMA_NS) for t in types), kind
        meta = head(response.text).meta
        assert meta.get("DC.title") and meta["DC.identifier"][0] == uri and meta.get("DC.type"), kind
        posts = find_signposting_http_link([response.headers["link"]], uri)
        signposted = {t.target for t in posts.types}
        assert {t.replace(SCHEMA_NS, "https://schema.org/") for t in types if t.startswith(SCHEMA_NS)
                } | {"https://schema.org/AboutPage"} == signposted, kind


#: A record of every kind in the shared samples.
SAMPLE_PAGES = ["/id/catalog/csvw", "/id/registry/pathguide", "/id/collection/0000040", "/id/tool/pinalog",
                "/id/tool/ctrl", "/id/article/10.31234/osf.io/2p57j", "/id/article/10.1101/2020.09.07.285569",
                "/id/trial/NCT04459403", "/id/dataset/MT451374", "/id/sample/USA/WA-UW-5756/2020",
                "/id/organization/04b7vsa94", "/id/person/0000-0002-3588-3259", "/id/query/keywords"]


@pytest.fixture(scope="module")
def samples_client(samples: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(store=tmp_path_factory.mktemp("samples"), base=SAMPLES_BASE)
    build(settings, [SourceConfig(format=f, path=str(samples / p)) for f, p in SAMPLES],
          progress=False, log=lambda _: None)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.mark.parametrize("path", SAMPLE_PAGES)
def test_real_samples_read_offline(samples_client: TestClient, path: str,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Real records of every kind: the JSON-LD expands offline to the record's typed node, with the
    statements of its RDF; its Dublin Core tags and Signposting types follow that RDF."""
    uri = f"{SAMPLES_BASE}{path.lstrip('/')}"
    response = samples_client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, path
    graph = expanded(embedded(response.text, uri), monkeypatch)
    triples = list(parse(samples_client.get(f"{path}.nt").content, format=RdfFormat.N_TRIPLES))
    own_types = {t.object.value for t in triples if t.subject.value == uri and t.predicate == RDF.type}
    assert {str(t) for t in graph.objects(rdflib.URIRef(uri), rdflib.RDF.type)} == own_types, path
    names = {t.object.value for t in triples if t.subject.value == uri and t.predicate == SCHEMA.name}
    assert {str(n) for n in graph.objects(rdflib.URIRef(uri), rdflib.URIRef(SCHEMA.name.value))} == names
    links = {(t.predicate.value, t.object.value) for t in triples if t.subject.value == uri
             and isinstance(t.object, NamedNode) and t.predicate.value.startswith(SCHEMA_NS)}
    read = {(str(p), str(o)) for p, o in graph.predicate_objects(rdflib.URIRef(uri))
            if isinstance(o, rdflib.URIRef)}
    assert links - {(SCHEMA.mainEntityOfPage.value, f"{uri}.html")} <= read, path
    meta = head(response.text).meta
    titles = {t.object.value for t in triples if t.subject.value == uri
              and t.predicate in (SCHEMA.name, DCT.title, SCHEMA.headline)}
    assert meta["DC.identifier"][0] == uri and set(meta.get("DC.title", [])) <= titles, path
    assert bool(meta.get("DC.title")) == bool(titles), path  # only where the record has one
    posts = find_signposting_http_link([response.headers["link"]], uri)
    assert {t.replace(SCHEMA_NS, "https://schema.org/") for t in own_types if t.startswith(SCHEMA_NS)
            } | {"https://schema.org/AboutPage"} == {t.target for t in posts.types}, path
