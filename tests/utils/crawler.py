"""Reading a record page the way FAIR assessors and dataset search engines do, with no network: the
embedded JSON-LD (extruct, then expanded by rdflib, which fails on a remote ``@context``), the
Dublin Core ``<meta>`` tags and FAIR Signposting from the ``Link`` header and the ``<link>``
elements (the ``signposting`` package)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from html.parser import HTMLParser

import extruct
import httpx
import rdflib
from signposting import find_signposting_http_link
from signposting.htmllinks import HTML, _parse_html

SCHEMA = "http://schema.org/"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
DCAT = "http://www.w3.org/ns/dcat#"
#: What assessors look for on the main entity, by facet: (schema.org local names, other IRIs).
FACETS: dict[str, tuple[str, ...]] = {
    "who": (*(f"{SCHEMA}{n}" for n in ("creator", "author", "publisher", "sdPublisher", "provider",
                                        "sponsor", "funder", "maintainer")),
            f"{DCT}publisher", f"{DCT}creator"),
    "date": (*(f"{SCHEMA}{n}" for n in ("datePublished", "dateModified", "dateCreated", "startDate")),
             f"{DCT}issued", f"{DCT}modified"),
    "licence": (f"{SCHEMA}license", f"{DCT}license", f"{SCHEMA}sdLicense", f"{SCHEMA}usageInfo"),
    "access": (f"{DCT}accessRights", f"{SCHEMA}isAccessibleForFree", f"{SCHEMA}conditionsOfAccess"),
    "derived": (f"{PROV}wasDerivedFrom",),
    "generated": (f"{PROV}wasGeneratedBy",),
    "data": (f"{SCHEMA}distribution", f"{DCAT}distribution"),
}


class Head(HTMLParser):
    """The ``<meta name content>`` tags, ``<link rel="schema.*">`` declarations and links of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.schemas: dict[str, str] = {}
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "meta" and "name" in found:
            self.meta.setdefault(found["name"], []).append(found.get("content", ""))
        if tag == "link" and found.get("rel", "").startswith("schema."):
            self.schemas[found["rel"]] = found.get("href", "")
        if "href" in found:
            self.hrefs.append(found["href"])


def head(html: str) -> Head:
    parser = Head()
    parser.feed(html)
    return parser


@dataclass
class Reading:
    """What a crawler got from one page."""

    url: str
    graph: rdflib.Graph
    context: object
    meta: dict[str, list[str]]
    schemas: dict[str, str]
    signposts: set[tuple[str, str]]
    html_signposts: set[tuple[str, str]]

    @property
    def main(self) -> rdflib.URIRef:
        return rdflib.URIRef(self.url)

    def types(self) -> set[str]:
        return {str(t) for t in self.graph.objects(self.main, rdflib.RDF.type)}

    def has(self, facet: str) -> bool:
        return any((self.main, rdflib.URIRef(p), None) in self.graph for p in FACETS[facet])

    def rels(self, rel: str) -> set[str]:
        return {target for r, target in self.signposts if r == rel}


def read(response: httpx.Response, url: str) -> Reading:
    """Read ``response`` (a record page fetched at ``url``) as a crawler would."""
    html = response.text
    [document] = extruct.extract(html, base_url=url, syntaxes=["json-ld"], uniform=False)["json-ld"]
    graph = rdflib.Graph()
    if isinstance(document.get("@context"), dict):  # a remote context cannot be read offline
        graph.parse(data=json.dumps(document), format="json-ld")
    parser = head(html)
    header = find_signposting_http_link([response.headers.get("link", "")], url)
    return Reading(url, graph, document.get("@context"), parser.meta, parser.schemas,
                   {(s.rel, str(s.target)) for s in header},
                   # the package's reader of a page it fetched itself, given the page fetched here
                   {(s.rel, str(s.target)) for s in _parse_html(HTML(html, "text/html", url, url))})
