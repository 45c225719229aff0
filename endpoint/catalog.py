"""``/catalog``: the DCAT-AP catalogue a page at a time, for harvesters (RDF) and people (HTML).

Paging is built so that harvesters cannot get lost: every link is absolute and built from the
configured base IRI (never from the request's Host header, which is wrong behind a proxy), links
come both as HTTP ``Link`` headers and in the graph (Hydra's current ``hydra:view`` terms and the
legacy ``hydra:PagedCollection`` ones CKAN's harvester reads), and the last page has no next link.
``?modified_since=`` pages over only the datasets changed since then; ``/catalog/all`` is the
whole catalogue as one file. Everything is read from files the build wrote (``graph/catalog.py``).

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
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from fastapi import Request, Response
from fastapi.responses import FileResponse, StreamingResponse
from pyoxigraph import Literal, NamedNode, Triple, serialize
from starlette.concurrency import run_in_threadpool

from lifecat.core.config import Settings
from lifecat.core.vocab import HYDRA, PREFIXES, RDF, XSD
from lifecat.endpoint.deps import SettingsDep, StoreDep, TemplatesDep
from lifecat.endpoint.negotiation import FORMAT_NAMES, RDF_MEDIA_TYPES, negotiate
from lifecat.graph.catalog import Catalogue, Listed
from lifecat.graph.dumps import timestamp

#: What ``/catalog`` answers with: Turtle for clients that accept anything, HTML for browsers.
OFFERED = [*RDF_MEDIA_TYPES, "text/html"]
#: The highest ``?page=`` read as a page number, as the other listings bound theirs.
MAX_PAGE = 1_000_000
#: ``?format=`` names of the RDF formats, for the HTML page's alternate links.
FORMATS = {name: FORMAT_NAMES[name] for name in ("ttl", "jsonld", "rdf", "nt")}


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


async def catalog(request: Request, store: StoreDep, settings: SettingsDep,
                  templates: TemplatesDep) -> Response:
    """One page of the catalogue, in the negotiated format."""
    params = request.query_params
    media = negotiate(request.headers.get("accept"), OFFERED, explicit=params.get("format"))
    catalogue = Catalogue(await run_in_threadpool(store.artifacts))
    filter_ = since(params["modified_since"]) if "modified_since" in params else None
    total = await run_in_threadpool(catalogue.count, filter_)
    paging = Paging(settings.base, page_number(params.get("page")), settings.catalog_page_size,
                    total, filter_)
    if paging.page > paging.last:
        raise PageNotFound(f"no page {paging.page}: this catalogue has {paging.last} "
                           f"page{'s' if paging.last > 1 else ''} ({paging.url(paging.last)})")
    modified = catalogue.info("modified")
    headers = {"Vary": "Accept", "Link": paging.link_header(),
               "Last-Modified": format_datetime(datetime.fromisoformat(modified), usegmt=True)}
    if media != "text/html":
        body = await run_in_threadpool(_rdf_page, catalogue.folder.parent, modified, paging, media)
        return Response(body, media_type=media, headers=headers)
    listed = await run_in_threadpool(_listed, catalogue, paging)
    context = _context(settings, paging, listed, modified)
    return templates.TemplateResponse(request, "catalog.html", {"page": context}, headers=headers)


def _context(settings: Settings, paging: Paging, listed: list[Listed], modified: str) -> CatalogContext:
    def local(iri: str) -> str:
        return "/" + iri.removeprefix(settings.base) if iri.startswith(settings.base) else iri

    here = local(paging.url(paging.page))
    return CatalogContext(
        settings.catalog_title, settings.catalog_description,
        [EntryView(e.title, e.iri, local(e.iri), e.modified) for e in listed],
        paging.page, paging.last, paging.total, paging.since, modified,
        {rel: local(url) for rel, url in paging.links().items()},
        {media: f"{here}&format={name}" for name, media in FORMATS.items()})


async def catalog_all(request: Request, store: StoreDep) -> Response:
    """The whole catalogue as one file, gzipped on the wire when the client accepts it."""
    media = negotiate(request.headers.get("accept"), list(RDF_MEDIA_TYPES),
                      explicit=request.query_params.get("format"))
    path = Catalogue(await run_in_threadpool(store.artifacts)).export(media)
    headers = {"Vary": "Accept, Accept-Encoding"}
    if "gzip" in request.headers.get("accept-encoding", ""):
        return FileResponse(path, media_type=media, headers={**headers, "Content-Encoding": "gzip"})

    def chunks() -> Iterator[bytes]:
        with gzip.open(path, "rb") as source:
            yield from iter(lambda: source.read(1 << 16), b"")

    return StreamingResponse(chunks(), media_type=media, headers=headers)
