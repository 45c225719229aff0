"""``/search?q=``: ranked keyword search over names, keywords, identifiers and descriptions, with
facets and paging, as HTML for people and JSON for programs; served from the build's text index.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlencode

from fastapi import Query, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from lifecat.endpoint.deps import SearchDep, SettingsDep, TemplatesDep
from lifecat.endpoint.negotiation import negotiate
from lifecat.graph.search_index import FACET_NAMES, SearchError, SearchResult

OFFERED = ["text/html", "application/json"]
#: Longest query text accepted, in characters.
MAX_QUERY = 500


@dataclass
class FacetLink:
    """One facet value with its count and the URL that adds (or removes) it as a filter."""

    value: str
    label: str
    count: int
    href: str
    selected: bool


@dataclass
class SearchContext:
    """Template context of ``search.html`` (and, less the links, the JSON answer)."""

    query: str = field(metadata={"help": "The query text as typed."})
    total: int = field(metadata={"help": "How many records match."})
    page: int = field(metadata={"help": "This page's number, from 1."})
    pages: int = field(metadata={"help": "How many pages there are."})
    size: int = field(metadata={"help": "Records per page."})
    hits: list[dict[str, Any]] = field(metadata={"help": "This page's records, best first."})
    facets: dict[str, list[FacetLink]] = field(metadata={"help": "Facet values over all matches."})
    filters: list[tuple[str, str]] = field(metadata={"help": "The facet filters in force."})
    prev: str | None = field(metadata={"help": "URL of the previous page."})
    next: str | None = field(metadata={"help": "URL of the next page."})

    def label_of(self, facet: str, value: str) -> str:
        """How a filter in force is shown: its value's label (``other terms``, a licence's name)."""
        return next((link.label for link in self.facets.get(facet, []) if link.value == value), value)


def filters_of(request: Request) -> list[tuple[str, str]]:
    """The facet filters a request asks for (each facet name a repeatable query parameter)."""
    return [(name, value) for name in FACET_NAMES for value in request.query_params.getlist(name)]


def _url(query: str, filters: list[tuple[str, str]], page: int = 1) -> str:
    params = [("q", query), *filters] + ([("page", str(page))] if page > 1 else [])
    return "/search?" + urlencode(params)


def context(result: SearchResult, query: str, filters: list[tuple[str, str]], page: int, size: int,
            base: str) -> SearchContext:
    pages = max(1, math.ceil(result.total / size))
    facets = {}
    for name, values in result.facets.items():
        links = []
        for v in values:
            chosen = (name, v.value) in filters
            toggled = [f for f in filters if f != (name, v.value)] if chosen else [*filters, (name, v.value)]
            links.append(FacetLink(v.value, v.label, v.count, _url(query, toggled), chosen))
        facets[name] = links
    hits = [{"uri": h.uri, "href": "/" + h.uri.removeprefix(base), "kind": h.kind, "name": h.name,
             "description": h.description} for h in result.hits]
    return SearchContext(query, result.total, page, pages, size, hits, facets, filters,
                         _url(query, filters, page - 1) if page > 1 else None,
                         _url(query, filters, page + 1) if page < pages else None)


async def search(request: Request, index: SearchDep, templates: TemplatesDep, settings: SettingsDep,
                 q: str = Query("", description="Words to find; an identifier finds its record."),
                 page: int = Query(1, ge=1, le=10_000, description="Page of results, from 1."),
                 ) -> Response:
    """Search the records; facet filters are the parameters type, source, licence and keyword."""
    media = negotiate(request.headers.get("accept"), OFFERED, explicit=request.query_params.get("format"))
    if len(q) > MAX_QUERY:
        raise SearchError(f"the query is {len(q)} characters long; at most {MAX_QUERY} are searched")
    filters = filters_of(request)
    size = settings.page_size
    result = await run_in_threadpool(lambda: index.get().search(
        q, filters=filters, limit=size, offset=(page - 1) * size))
    page_context = context(result, q, filters, page, size, settings.base)
    if media == "application/json":
        body = asdict(page_context)
        body["facets"] = {name: [{"value": f.value, "label": f.label, "count": f.count} for f in links]
                          for name, links in page_context.facets.items()}
        body["filters"] = [{"facet": f, "value": v} for f, v in filters]
        return JSONResponse(body, headers={"Vary": "Accept"})
    return templates.TemplateResponse(request, "search.html", {"page": page_context},
                                      headers={"Vary": "Accept"})
