"""Record URIs: ``/id/{kind}/{key}`` as an HTML page for people and RDF for machines.

One URI serves every reader: the format comes from ``?format=``, a suffix (``.ttl``, ``.jsonld``,
``.nt``, ``.rdf``, ``.html``) or the Accept header, and every answer carries the same FAIR
Signposting ``Link`` header (``HEAD`` included). A path that is no record but names a known
identifier scheme (``/id/doi/10.1093/nar/gkab1066``) redirects to the record carrying it.

``Accept: application/json`` gets the record's JSON-LD, labelled ``application/ld+json``: it is JSON
(the ``+json`` suffix, RFC 6839) that any JSON client reads, the label tells JSON-LD processors to read
it as linked data, and it is the one representation the ``describedby`` signpost already names (so
one ``ETag`` and one cached copy serve both).

Answers are validated as :mod:`lifecat.endpoint.conditional` describes: the ``ETag`` is known from
the generation and the request alone, so a client revalidating its copy gets its ``304`` before the
record is read.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Query, Request, Response
from fastapi.responses import RedirectResponse
from pyoxigraph import NamedNode, Triple, serialize
from starlette.concurrency import run_in_threadpool

from lifecat.core.uris import Minter
from lifecat.core.vocab import PREFIXES
from lifecat.endpoint import conditional, record_page
from lifecat.endpoint.deps import SearchDep, SettingsDep, StoreDep, TemplatesDep
from lifecat.endpoint.negotiation import FORMAT_NAMES, RDF_MEDIA_TYPES, choose, negotiate
from lifecat.endpoint.signposting import Signpost, link_header, signposts
from lifecat.graph.search_index import CurrentIndex
from lifecat.graph.store import Store

#: What a record URI can answer with; HTML first, so browsers and ``*/*`` get the page.
OFFERED = ["text/html", *RDF_MEDIA_TYPES]
#: ``?format=`` names and file suffixes of the RDF formats.
RDF_FORMAT_NAMES = {name: FORMAT_NAMES[name] for name in ("ttl", "jsonld", "nt", "rdf")}
SUFFIXES = {f".{name}": name for name in [*RDF_FORMAT_NAMES, "html"]}
#: Every answer depends on the Accept header, a 304 and an error included.
VARY = {"Vary": "Accept"}


class RecordNotFound(LookupError):
    """No public record has this URI."""


def split_suffix(key: str) -> tuple[str, str | None]:
    """``key`` without a format suffix, and the format it names.

    >>> split_suffix("uniprot.ttl")
    ('uniprot', 'ttl')
    >>> split_suffix("10.1000/abc")
    ('10.1000/abc', None)
    """
    for suffix, name in SUFFIXES.items():
        if key.endswith(suffix):
            return key[: -len(suffix)], name
    return key, None


@dataclass(frozen=True)
class Resolved:
    """A record found by its path: its statements, the format its suffix names, its ORCID authors."""

    uri: NamedNode
    triples: list[Triple]
    suffix: str | None
    authors: list[str]


def resolve(store: Store, index: CurrentIndex, mint: Minter, kind: str, key: str) -> Resolved | str:
    """The record a path names; or, for a path naming an external identifier, the IRI of the record
    that carries it.

    :raises RecordNotFound: if neither.
    """
    bare, suffix = split_suffix(key)
    for candidate, named in [(key, None), *([(bare, suffix)] if suffix else [])]:
        uri = mint.record(kind, candidate)
        triples = record_page.load(store, uri)
        if triples:
            return Resolved(uri, triples, named, record_page.authors(store, uri))
    carrier = index.get().lookup(kind, key)
    if carrier:
        return carrier
    raise RecordNotFound(mint.record(kind, key).value)


async def record(request: Request, kind: str, key: str, store: StoreDep, index: SearchDep,
                 templates: TemplatesDep, settings: SettingsDep,
                 incoming: str | None = Query(None, description="Property whose incoming links to page."),
                 page: int = Query(1, ge=1, le=1_000_000,
                                   description="Page of the incoming links of that property."),
                 ) -> Response:
    """Resolve a record URI in the representation the client asked for."""
    accept = request.headers.get("accept")
    # the answer is chosen by the path (its suffix), the query (format, paging) and the type Accept picks
    folder = await run_in_threadpool(store.artifacts)
    valid = conditional.of_generation(folder, request.url.path, request.url.query,
                                      str(choose(accept, OFFERED)), str(settings.page_size))
    if conditional.unchanged(request, valid, exists=False):
        return conditional.not_modified(valid, VARY)
    mint = Minter(settings.base)
    found = await run_in_threadpool(resolve, store, index, mint, kind, key)
    if isinstance(found, str):
        return RedirectResponse("/" + found.removeprefix(settings.base), status_code=303)
    uri, triples = found.uri, found.triples
    media = negotiate(accept, OFFERED, explicit=request.query_params.get("format") or found.suffix)
    if conditional.unchanged(request, valid):
        return conditional.not_modified(valid, VARY)
    posts = signposts(uri, triples, authors=found.authors, formats=RDF_FORMAT_NAMES)
    headers = {**VARY, "Link": link_header(posts), **valid.headers}
    if media != "text/html":
        body = serialize(triples, format=RDF_MEDIA_TYPES[media], prefixes=PREFIXES) or b""
        return Response(body, media_type=media, headers=headers)
    context = await run_in_threadpool(
        _page, store, uri, triples, settings.page_size, incoming, page, posts)
    return templates.TemplateResponse(request, "record.html", {"page": context}, headers=headers)


def _page(store: Store, uri: NamedNode, triples: list[Triple], size: int, focus: str | None,
          page: int, posts: list[Signpost]) -> record_page.RecordContext:
    path = "/" + uri.value.removeprefix(store.mint.base)
    alternates = {media: f"{path}.{name}" for name, media in RDF_FORMAT_NAMES.items()}
    return record_page.context(
        uri, triples,
        links=record_page.linked(store, triples),
        base=store.mint.base,
        alternates=alternates,
        signposts=posts,
        loaded=record_page.loads(store, uri),
        status=record_page.validation(store, uri),
        groups=record_page.incoming(store, uri, size=size, focus=focus, page=page),
    )
