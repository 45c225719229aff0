"""``/catalog``: the DCAT-AP catalogue a page at a time, for harvesters (RDF) and people (HTML).

Paging is built so that harvesters cannot get lost: every link is absolute and built from the
configured base IRI (never from the request's Host header, which is wrong behind a proxy), links
come both as HTTP ``Link`` headers and in the graph (Hydra's current ``hydra:view`` terms and the
legacy ``hydra:PagedCollection`` ones CKAN's harvester reads), and the last page has no next link.
``?modified_since=`` pages over only the datasets changed since then; ``/catalog/all`` is the
whole catalogue as one file. Everything is read from files the build wrote (``graph/catalog.py``).

The HTML page is the catalogue's landing page for FAIR assessors and dataset search engines: it
embeds the catalogue as a schema.org ``DataCatalog`` in JSON-LD whose context is inline (it reads
offline), restating only what the catalogue's own DCAT description says, with the datasets of the
page; and every answer carries FAIR Signposting (``cite-as`` the catalogue IRI, ``describedby`` the
page in each RDF format, ``type``, ``license``, ``item`` the one-file exports). Pages and exports are
validated as :mod:`lifecat.endpoint.conditional` describes, dated by the catalogue's last change.

>>> since("2024-05-01")
'2024-05-01T00:00:00Z'
>>> since("2024-05-01T14:00:00 02:00")
'2024-05-01T12:00:00Z'
>>> Paging("http://lc/", page=2, size=10, total=25, since=None).links()["next"]
'http://lc/catalog?page=3'
"""

from __future__ import annotations

import gzip
import math
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request, Response
from fastapi.responses import FileResponse, StreamingResponse
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse, serialize
from starlette.concurrency import run_in_threadpool

from lifecat.core.config import Settings
from lifecat.core.vocab import DCT, FOAF, HYDRA, PREFIXES, RDF, SCHEMA, XSD
from lifecat.endpoint import conditional
from lifecat.endpoint.deps import SettingsDep, StoreDep, TemplatesDep
from lifecat.endpoint.jsonld import script
from lifecat.endpoint.negotiation import FORMAT_NAMES, RDF_MEDIA_TYPES, negotiate
from lifecat.endpoint.signposting import ABOUT_PAGE, Signpost, link_header
from lifecat.graph.catalog import Catalogue, Listed
from lifecat.graph.dumps import timestamp

#: What ``/catalog`` answers with: Turtle for clients that accept anything, HTML for browsers.
OFFERED = [*RDF_MEDIA_TYPES, "text/html"]
#: The highest ``?page=`` read as a page number, as the other listings bound theirs.
MAX_PAGE = 1_000_000
#: ``?format=`` names of the RDF formats, for the HTML page's alternate links.
FORMATS = {name: FORMAT_NAMES[name] for name in ("ttl", "jsonld", "rdf", "nt")}
#: The schema.org type Signposting gives the catalogue, beside its landing page's.
DATA_CATALOG = "https://schema.org/DataCatalog"
#: What the catalogue was built to and is checked against: DCAT-AP 3.0.1 (``shapes/dcat-ap-3.0.1``),
#: stated unless its description names what it conforms to.
DCAT_AP = "https://semiceu.github.io/DCAT-AP/releases/3.0.1/"
#: The embedded JSON-LD's context, inline so that it reads offline: schema.org terms, the few others
#: by prefix, and the properties whose values are IRIs.
CONTEXT: dict[str, Any] = {
    "@vocab": SCHEMA.iri, "dct": DCT.iri, "hydra": HYDRA.iri,
    **{term: {"@type": "@id"} for term in ("url", "license", "dct:conformsTo", "hydra:first",
                                           "hydra:last", "hydra:previous", "hydra:next")},
}
#: schema.org property ← the statement of the catalogue's DCAT description it restates.
RESTATED = {"name": DCT.title, "description": DCT.description, "url": FOAF.homepage,
            "license": DCT.license, "datePublished": DCT.issued, "dateModified": DCT.modified,
            "dct:conformsTo": DCT.conformsTo}
#: Hydra's name of each paging link.
HYDRA_LINKS = {"first": "hydra:first", "last": "hydra:last", "prev": "hydra:previous", "next": "hydra:next"}


class CatalogueRequestError(ValueError):
    """A catalogue request with a parameter that cannot be used; the message says which and why."""


class PageNotFound(LookupError):
    """A page number past the last page."""


def since(text: str) -> str:
    """The UTC timestamp a ``modified_since`` value means (a date is midnight UTC).

    :raises CatalogueRequestError: if it is not an ISO 8601 date or date-time.
    """
    value = re.sub(r" (\d\d:?\d\d)$", r"+\1", text.strip())  # an unencoded "+" arrives as a space
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CatalogueRequestError(
            f"modified_since must be an ISO 8601 date or date-time such as 2024-05-01 or "
            f"2024-05-01T12:00:00Z, got {text!r}") from None
    return timestamp(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def page_number(text: str | None) -> int:
    """``?page=`` as a number (1 when absent); ASCII digits only, so ``²`` or a thousand-digit
    number is refused rather than read.

    >>> page_number("3"), page_number(None)
    (3, 1)

    :raises CatalogueRequestError: if it is not an integer from 1 to :data:`MAX_PAGE`.
    """
    if text is None:
        return 1
    if not re.fullmatch(r"[0-9]{1,7}", text) or not 1 <= int(text) <= MAX_PAGE:
        raise CatalogueRequestError(f"page must be a positive integer up to {MAX_PAGE}, got {text[:80]!r}")
    return int(text)


@dataclass(frozen=True)
class Paging:
    """One page of the catalogue and the links around it, absolute under ``base``."""

    base: str
    page: int
    size: int
    total: int
    since: str | None

    @property
    def last(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def collection(self) -> str:
        """The (filtered) collection the pages belong to."""
        return self.url(None)

    def url(self, page: int | None) -> str:
        params = [("modified_since", self.since)] if self.since else []
        params += [("page", str(page))] if page is not None else []
        return f"{self.base}catalog" + (f"?{urlencode(params, safe=':')}" if params else "")

    def links(self) -> dict[str, str]:
        """``rel → URL`` for first, last, and prev/next where they exist."""
        links = {"first": self.url(1), "last": self.url(self.last)}
        if self.page > 1:
            links["prev"] = self.url(min(self.page - 1, self.last))
        if self.page < self.last:
            links["next"] = self.url(self.page + 1)
        return links

    def link_header(self) -> str:
        return ", ".join(f'<{url}>; rel="{rel}"' for rel, url in self.links().items())

    def hydra(self) -> list[Triple]:
        """Paging controls in the graph: Hydra's current terms, and the legacy ones CKAN reads."""
        collection, view = NamedNode(self.collection), NamedNode(self.url(self.page))
        links = {rel: NamedNode(url) for rel, url in self.links().items()}
        count = Literal(str(self.total), datatype=XSD.nonNegativeInteger)
        triples = [
            Triple(collection, RDF.type, HYDRA.Collection),
            Triple(collection, HYDRA.totalItems, count),
            Triple(collection, HYDRA.view, view),
            Triple(view, RDF.type, HYDRA.PartialCollectionView),
            Triple(view, RDF.type, HYDRA.PagedCollection),
            Triple(view, HYDRA.totalItems, count),
            Triple(view, HYDRA.itemsPerPage, Literal(str(self.size), datatype=XSD.nonNegativeInteger)),
        ]
        for rel, current, legacy in (("first", "first", "firstPage"), ("last", "last", "lastPage"),
                                     ("prev", "previous", "previousPage"),
                                     ("next", "next", "nextPage")):
            if rel in links:
                triples += [Triple(view, HYDRA[current], links[rel]),
                            Triple(view, HYDRA[legacy], links[rel])]
        return triples


@dataclass
class EntryView:
    """One dataset as the HTML page lists it."""

    title: str
    iri: str
    href: str
    modified: str


@dataclass
class CatalogContext:
    """Template context of ``catalog.html``."""

    title: str = field(metadata={"help": "The catalogue's title (setting catalog_title)."})
    description: str = field(metadata={"help": "The catalogue's description."})
    entries: list[EntryView] = field(metadata={"help": "The datasets on this page, in catalogue order."})
    page: int = field(metadata={"help": "This page's number, from 1."})
    last: int = field(metadata={"help": "The last page's number."})
    total: int = field(metadata={"help": "How many datasets the (filtered) catalogue lists."})
    since: str | None = field(metadata={"help": "The modified_since filter, as a UTC timestamp."})
    modified: str = field(metadata={"help": "When the catalogue last changed."})
    links: dict[str, str] = field(metadata={"help": "rel → local URL of first/prev/next/last pages."})
    alternates: dict[str, str] = field(metadata={"help": "Media type → URL of this page in RDF."})
    signposts: list[Signpost] = field(metadata={"help": "FAIR Signposting links, as in the Link header."})
    jsonld: str = field(metadata={"help": "The DataCatalog as JSON-LD, escaped for <script>."})


def _listed(catalogue: Catalogue, paging: Paging) -> list[Listed]:
    return catalogue.listed((paging.page - 1) * paging.size, paging.size, paging.since)


@lru_cache(maxsize=64)
def _rdf_page(folder: Path, modified: str, paging: Paging, media: str) -> bytes:
    """One page of the catalogue of the generation in ``folder`` as it was at ``modified``, in RDF.

    Parsing and sorting a page's triples costs ten times a record page, harvesters fetch the first
    pages again and again, and a page is the same until the catalogue changes: so pages are kept.
    """
    catalogue = Catalogue(folder)
    triples = catalogue.triples(_listed(catalogue, paging))
    return serialize(sorted(set(triples + paging.hydra()), key=str), format=RDF_MEDIA_TYPES[media],
                     prefixes=PREFIXES) or b""


@lru_cache(maxsize=8)
def _head(folder: Path) -> list[Triple]:
    """The catalogue's own description, read once per generation."""
    return [q.triple for q in parse(Catalogue(folder).info("head").encode(), format=RdfFormat.N_TRIPLES)]


def signposts(base: str, here: str, head: list[Triple]) -> list[Signpost]:
    """The catalogue page's FAIR Signposting: its IRI, this page in each RDF format, its types, its
    licence and the one-file exports (``here``: this page's absolute URL, with its query)."""
    iri = NamedNode(f"{base}catalog")
    posts = [Signpost("cite-as", iri.value)]
    posts += [Signpost("describedby", f"{here}&format={name}", media) for name, media in FORMATS.items()]
    posts += [Signpost("type", DATA_CATALOG), Signpost("type", ABOUT_PAGE)]
    posts += [Signpost("license", t.object.value) for t in head
              if t.subject == iri and t.predicate == DCT.license and isinstance(t.object, NamedNode)]
    posts += [Signpost("item", f"{base}catalog/all?format={name}", media) for name, media in FORMATS.items()]
    return posts


def document(base: str, head: list[Triple], paging: Paging, listed: list[Listed]) -> dict[str, Any]:
    """The catalogue as a schema.org ``DataCatalog``: what its DCAT description states, the datasets
    of this page, and (unfiltered) how many datasets it has and where its pages are."""
    iri = NamedNode(f"{base}catalog")
    doc: dict[str, Any] = {"@context": CONTEXT, "@id": iri.value, "@type": "DataCatalog"}
    about: dict[NamedNode, list[str]] = defaultdict(list)
    for t in head:
        if t.subject == iri:
            about[t.predicate].append(t.object.value)
    doc |= {term: values[0] if len(values) == 1 else values
            for term, predicate in RESTATED.items() if (values := about.get(predicate))}
    doc.setdefault("dct:conformsTo", DCAT_AP)
    for publisher in about.get(DCT.publisher, [])[:1]:
        names = [t.object.value for t in head if t.subject.value == publisher and t.predicate == FOAF.name]
        doc["publisher"] = {"@id": publisher, **({"name": names[0]} if names else {})}
    doc["dataset"] = [{"@id": e.iri, "@type": "Dataset", "name": e.title, "dateModified": e.modified}
                      for e in listed]
    if paging.since is None:
        doc["hydra:totalItems"] = paging.total
        doc["hydra:view"] = {"@id": paging.url(paging.page), "@type": "hydra:PartialCollectionView",
                             **{HYDRA_LINKS[rel]: url for rel, url in paging.links().items()}}
    return doc


async def catalog(request: Request, store: StoreDep, settings: SettingsDep,
                  templates: TemplatesDep) -> Response:
    """One page of the catalogue, in the negotiated format; a 304 if the client's copy is current."""
    params = request.query_params
    media = negotiate(request.headers.get("accept"), OFFERED, explicit=params.get("format"))
    folder = await run_in_threadpool(store.artifacts)
    catalogue = Catalogue(folder)
    filter_ = since(params["modified_since"]) if "modified_since" in params else None
    total = await run_in_threadpool(catalogue.count, filter_)
    paging = Paging(settings.base, page_number(params.get("page")), settings.catalog_page_size,
                    total, filter_)
    if paging.page > paging.last:
        raise PageNotFound(f"no page {paging.page}: this catalogue has {paging.last} "
                           f"page{'s' if paging.last > 1 else ''} ({paging.url(paging.last)})")
    modified = catalogue.info("modified")
    valid = conditional.of_generation(folder, request.url.path, request.url.query, media,
                                      str(paging.size), modified=datetime.fromisoformat(modified))
    vary = {"Vary": "Accept"}
    if conditional.unchanged(request, valid):
        return conditional.not_modified(valid, vary)
    head = await run_in_threadpool(_head, folder)
    posts = signposts(settings.base, paging.url(paging.page), head)
    headers = {**vary, "Link": f"{paging.link_header()}, {link_header(posts)}", **valid.headers}
    if media != "text/html":
        body = await run_in_threadpool(_rdf_page, catalogue.folder.parent, modified, paging, media)
        return Response(body, media_type=media, headers=headers)
    listed = await run_in_threadpool(_listed, catalogue, paging)
    context = _context(settings, paging, listed, modified, posts,
                       script(document(settings.base, head, paging, listed)))
    return templates.TemplateResponse(request, "catalog.html", {"page": context}, headers=headers)


def _context(settings: Settings, paging: Paging, listed: list[Listed], modified: str,
             posts: list[Signpost], jsonld: str) -> CatalogContext:
    def local(iri: str) -> str:
        return "/" + iri.removeprefix(settings.base) if iri.startswith(settings.base) else iri

    here = local(paging.url(paging.page))
    return CatalogContext(
        settings.catalog_title, settings.catalog_description,
        [EntryView(e.title, e.iri, local(e.iri), e.modified) for e in listed],
        paging.page, paging.last, paging.total, paging.since, modified,
        {rel: local(url) for rel, url in paging.links().items()},
        {media: f"{here}&format={name}" for name, media in FORMATS.items()}, posts, jsonld)


async def catalog_all(request: Request, store: StoreDep) -> Response:
    """The whole catalogue as one file, gzipped on the wire when the client accepts it; a 304 if the
    client's copy is current."""
    media = negotiate(request.headers.get("accept"), list(RDF_MEDIA_TYPES),
                      explicit=request.query_params.get("format"))
    catalogue = Catalogue(await run_in_threadpool(store.artifacts))
    path = catalogue.export(media)
    gzipped = "gzip" in request.headers.get("accept-encoding", "")
    valid = conditional.of_generation(catalogue.folder.parent, request.url.path, request.url.query, media,
                                      "gzip" if gzipped else "identity",
                                      modified=datetime.fromisoformat(catalogue.info("modified")))
    headers = {"Vary": "Accept, Accept-Encoding"}
    if conditional.unchanged(request, valid):
        return conditional.not_modified(valid, headers)
    headers |= valid.headers
    if gzipped:
        return FileResponse(path, media_type=media, headers={**headers, "Content-Encoding": "gzip"})

    def chunks() -> Iterator[bytes]:
        with gzip.open(path, "rb") as source:
            yield from iter(lambda: source.read(1 << 16), b"")

    # HEAD: the same headers (a stream has no length), the file left unread
    return StreamingResponse(iter(()) if request.method == "HEAD" else chunks(), media_type=media,
                             headers=headers)
