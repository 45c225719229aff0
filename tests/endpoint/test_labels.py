"""People read names, not IRIs: EDAM terms, licences and types by their labels on record pages, in the
search facets and in the embedded JSON-LD; licences that are no known licence grouped as other terms.

The store is built, as a user builds it, from the bio.tools fixtures and a small registry whose
resources carry an SPDX id, a Creative Commons page and a publisher's terms-of-use page as licences.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lifecat.core.config import SourceConfig
from lifecat.endpoint.app import create_app
from lifecat.graph.build import build
from tests.utils.stores import store_settings

BASE = "http://labels.test/"
TOOLS = Path(__file__).parents[1] / "fixtures" / "biotools" / "tools"
TERMS_OF_USE = "http://www.ebi.ac.uk/Information/termsofuse.html"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
TOPIC, OPERATION = "http://edamontology.org/topic_0080", "http://edamontology.org/operation_0292"


def resource(name: str, licence: str) -> dict[str, object]:
    return {"name": name, "description": f"The {name} resource.", "homepage": f"https://{name}.example.org",
            "keywords": ["genes"], "license": licence}


REGISTRY = {"ccres": resource("ccres", CC_BY), "termsres": resource("termsres", TERMS_OF_USE),
            "mitres": resource("mitres", "MIT")}


@pytest.fixture(scope="module")
def client(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with ExitStack() as stack:
        folder = tmp_path_factory.mktemp(f"labels-{backend}")
        (folder / "registry").mkdir()
        (folder / "registry" / "bioregistry.json").write_text(json.dumps(REGISTRY))
        settings = store_settings(backend, folder / "store", stack, base=BASE)
        reports = build(settings, [SourceConfig(format="biotools", path=str(TOOLS)),
                                   SourceConfig(format="bioregistry", path=str(folder / "registry"),
                                                name="registry")], progress=False, log=lambda _: None)
        assert [r.quarantined for r in reports if r.name == "registry"] == [0]
        with TestClient(create_app(settings)) as test_client:
            yield test_client


class Page(HTMLParser):
    """A record or search page as a reader sees it: each link's text under its row or facet, the
    record's types line (the first: sub-nodes have theirs), and the embedded JSON-LD."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, str]] = []  # (row header or facet, href, text)
        self.types: list[str] = []
        self.jsonld: list[str] = []
        self._where, self._row, self._href, self._text = "", "", None, ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "tr":
            self._row = ""
        elif tag == "th":
            self._in = "th"
        elif tag == "ul" and found.get("data-facet"):
            self._where = f"facet:{found['data-facet']}"
        elif tag == "p" and found.get("class") == "types" and not self.types:
            self._in = "types"
        elif tag == "span" and self._in == "types":
            self._in = "type"
        elif tag == "script" and found.get("type") == "application/ld+json":
            self._in = "jsonld"
        elif tag == "a" and self._in != "th":
            self._href, self._text = found.get("href"), ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "th" and self._in == "th":
            self._where, self._in = self._row, None
        elif tag == "a" and self._href is not None:
            self.links.append((self._where, self._href, self._text.strip()))
            self._href = None
        elif tag in ("span", "p") and self._in in ("type", "types"):
            self._in = "types" if tag == "span" else None
        elif tag == "script":
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "th":
            self._row += data.strip()
        elif self._in == "type":
            self.types.append(data.strip())
        elif self._in == "jsonld":
            self.jsonld.append(data)
        if self._href is not None:
            self._text += data


def page(client: TestClient, path: str, **params: str) -> Page:
    response = client.get(path, params=params, headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text
    parsed = Page()
    parsed.feed(response.text)
    return parsed


def search(client: TestClient, **params: str) -> dict:
    response = client.get("/search", params={**params, "format": "json"})
    assert response.status_code == 200, response.text
    return response.json()


def test_a_tool_page_names_its_edam_topic_and_operation(client: TestClient) -> None:
    tool = page(client, "/id/tool/seqtwin")
    assert ("schema:applicationSubCategory", TOPIC, "Sequence analysis") in tool.links
    assert ("schema:featureList", OPERATION, "Sequence alignment") in tool.links
    assert ("schema:license", "http://spdx.org/licenses/MIT", "MIT License") in tool.links
    assert tool.types[0] == "Computational tool"


def test_the_embedded_json_ld_carries_the_labels(client: TestClient) -> None:
    tool = page(client, "/id/tool/seqtwin")
    doc = json.loads("".join(tool.jsonld))
    term = {"@type": "DefinedTerm"}
    assert doc["applicationSubCategory"] == {"@id": TOPIC, **term, "name": "Sequence analysis"}
    assert doc["featureList"] == {"@id": OPERATION, **term, "name": "Sequence alignment"}
    assert doc["license"] == {"@id": "http://spdx.org/licenses/MIT", "name": "MIT License"}


def test_licence_facet_shows_names_and_groups_other_terms(client: TestClient) -> None:
    licences = {f["label"]: f for f in search(client)["facets"]["licence"]}
    assert licences["MIT License"]["value"] == "http://spdx.org/licenses/MIT"
    assert licences["Creative Commons Attribution 4.0 International"]["value"] == CC_BY
    assert licences["other terms"]["count"] == 1
    assert not [f for f in licences.values() if "termsofuse" in f["value"] + f["label"]]

    html = [text for where, _, text in page(client, "/search").links if where == "facet:licence"]
    assert "other terms" in html and "MIT License" in html
    assert not [text for text in html if "termsofuse" in text]


def test_other_terms_filter_finds_the_record_whose_page_keeps_the_link(client: TestClient) -> None:
    other = search(client, licence="other")
    assert [hit["href"] for hit in other["hits"]] == ["/id/catalog/termsres"]
    record = page(client, "/id/catalog/termsres")
    assert ("schema:license", TERMS_OF_USE, TERMS_OF_USE) in record.links


def test_type_facet_and_page_show_type_labels(client: TestClient) -> None:
    types = {f["value"]: f["label"] for f in search(client)["facets"]["type"]}
    assert types["schema:SoftwareApplication"] == "Computational tool"
    assert types["schema:DataCatalog"] == "Data catalogue"
    html = [text for where, _, text in page(client, "/search").links if where == "facet:type"]
    assert "Computational tool" in html
    assert page(client, "/id/catalog/mitres").types == ["Data catalogue", "Dataset (DCAT)"]


def test_sparql_users_read_the_same_labels(client: TestClient) -> None:
    query = f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?term ?label WHERE {{ VALUES ?term {{ <{TOPIC}> <{CC_BY}> <{TERMS_OF_USE}> }}
                                 ?term rdfs:label ?label }}"""
    rows = client.get("/sparql", params={"query": query},
                      headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"]
    assert {row["term"]["value"]: row["label"]["value"] for row in rows} == {
        TOPIC: "Sequence analysis", CC_BY: "Creative Commons Attribution 4.0 International"}


class Total(HTMLParser):
    """The text of the search page's summary line (``p#total``)."""

    def __init__(self) -> None:
        super().__init__()
        self.text, self._depth = "", 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._depth or (tag == "p" and dict(attrs).get("id") == "total"):
            self._depth += tag == "p"

    def handle_endtag(self, tag: str) -> None:
        if self._depth and tag == "p":
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.text += data


def test_a_filter_in_force_is_named_by_its_label(client: TestClient) -> None:
    response = client.get("/search", params={"licence": "other"}, headers={"Accept": "text/html"})
    summary = Total()
    summary.feed(response.text)
    assert " ".join(summary.text.split()).startswith("1 record with licence other terms.")
