"""``/quarantine``: the records the build kept out of each source and why, for holders of the write token.

The quarantine graphs stay private (no query, dump, search or sitemap shows them); these pages read
them through the store's interface for whoever bears the write token, checked as the write routes
check it. A request without that token, or with another one, is answered 401 with a Bearer challenge;
a server with no token configured answers 403, as its write routes do. HTML for people, JSON for
programs; nothing from the data becomes markup, and only http(s) IRIs become links.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from lifecat.core.config import Settings
from lifecat.endpoint import writes
from lifecat.endpoint.deps import SettingsDep, StoreDep, TemplatesDep
from lifecat.endpoint.negotiation import negotiate
from lifecat.endpoint.terms import web_link
from lifecat.graph import quarantine as kept
from lifecat.graph.store import Store

OFFERED = ["text/html", "application/json"]
#: Private answers: never stored by a cache, and they differ by credentials as well as by format.
HEADERS = {"Cache-Control": "no-store", "Vary": "Accept, Authorization"}


class Unauthorized(writes.Unauthorized):
    """A quarantine read without the write token, or with another token (401, Bearer challenge)."""


class Disabled(writes.Forbidden):
    """A quarantine read on a server with no write token configured (403, as writes are)."""


def authorise(request: Request, settings: Settings) -> None:
    """Let the request read the quarantine only if it bears the write token (the write routes' check).

    :raises Unauthorized: without the token, or with a wrong one.
    :raises Disabled: if no write token is configured.
    """
    try:
        writes.authorise(request, settings)
    except writes.Unauthorized:
        raise Unauthorized("the quarantine is private: send 'Authorization: Bearer <write token>'") from None
    except writes.Forbidden:
        if not settings.write_token:
            raise Disabled("the quarantine is private, and no write token is configured") from None
        raise Unauthorized("the bearer token does not authorise reading the quarantine") from None


def href(source: str, key: str) -> str:
    """The page of one quarantined record.

    >>> href("bioregistry", "a/b c")
    '/quarantine/bioregistry/a%2Fb%20c'
    """
    return f"/quarantine/{quote(source, safe='')}/{quote(key, safe='')}"


@dataclass
class Listed:
    """One quarantined record in the listing, with the URL of its page."""

    source: str = field(metadata={"help": "The source whose build kept it out."})
    key: str = field(metadata={"help": "The record's key in its source."})
    record: str | None = field(metadata={"help": "The record IRI it would have had (none if unmappable)."})
    reasons: list[str] = field(metadata={"help": "Its violations, in plain words."})
    href: str = field(metadata={"help": "URL of its page: input as read and report."})


@dataclass
class ListingContext:
    """Template context of ``quarantine.html`` (and the JSON answer)."""

    counts: dict[str, int] = field(metadata={"help": "Quarantined records per source."})
    source: str | None = field(metadata={"help": "The source listed, or none for all."})
    total: int = field(metadata={"help": "How many records the listing holds."})
    page: int = field(metadata={"help": "This page's number, from 1."})
    pages: int = field(metadata={"help": "How many pages there are."})
    size: int = field(metadata={"help": "Records per page."})
    records: list[Listed] = field(metadata={"help": "This page's records, by source and key."})
    prev: str | None = field(metadata={"help": "URL of the previous page."})
    next: str | None = field(metadata={"help": "URL of the next page."})


@dataclass
class ResultView:
    """One result of a record's report, as the page shows it."""

    severity: str = field(metadata={"help": "Violation, Warning or Info."})
    path: str | None = field(metadata={"help": "The property at fault, compacted."})
    message: str = field(metadata={"help": "What is wrong, in plain words."})
    value: str | None = field(metadata={"help": "The offending value, if any."})
    link: str | None = field(metadata={"help": "The value as a link, when it is an http(s) IRI."})


@dataclass
class RecordContext:
    """Template context of ``quarantine_record.html`` (and the JSON answer)."""

    source: str = field(metadata={"help": "The source whose build kept it out."})
    key: str = field(metadata={"help": "The record's key in its source."})
    record: str | None = field(metadata={"help": "The record IRI it would have had (none if unmappable)."})
    locator: str | None = field(metadata={"help": "Where it was read: the file and the record in it."})
    original: Any = field(metadata={"help": "The source record as read, if kept."})
    original_text: str | None = field(metadata={"help": "The same, as indented JSON."})
    results: list[ResultView] = field(metadata={"help": "The report's results, most serious first."})


def _page_url(source: str | None, page: int) -> str:
    params = [("source", source)] if source else []
    return "/quarantine" + ("?" + urlencode([*params, ("page", str(page))]) if page > 1 or params else "")


def listing_context(store: Store, source: str | None, page: int, size: int) -> ListingContext:
    """One page of the quarantine listing.

    :raises QuarantineNotFound: for an unknown ``source``.
    """
    counts = kept.counts(store, source)
    total = sum(counts.values())
    pages = max(1, math.ceil(total / size))
    records = [Listed(r.source, r.key, r.record, r.reasons, href(r.source, r.key))
               for r in kept.listing(store, source, offset=(page - 1) * size, limit=size)]
    return ListingContext(counts, source, total, page, pages, size, records,
                          _page_url(source, page - 1) if page > 1 else None,
                          _page_url(source, page + 1) if page < pages else None)


def record_context(store: Store, source: str, key: str) -> RecordContext:
    """One quarantined record's page.

    :raises QuarantineNotFound: if there is no such record.
    """
    found = kept.record(store, source, key)
    text = (json.dumps(found.original, indent=2, ensure_ascii=False)
            if found.original is not None else None)
    results = [ResultView(f.severity, f.path, f.message, f.value, web_link(f.value) if f.iri else None)
               for f in found.results]
    return RecordContext(found.source, found.key, found.record, found.locator, found.original, text,
                         results)


async def _answer(request: Request, templates: TemplatesDep, template: str, context: Any) -> Response:
    media = negotiate(request.headers.get("accept"), OFFERED, explicit=request.query_params.get("format"))
    if media == "application/json":
        return JSONResponse(asdict(context), headers=HEADERS)
    return templates.TemplateResponse(request, template, {"page": context}, headers=HEADERS)


async def quarantine(request: Request, store: StoreDep, settings: SettingsDep, templates: TemplatesDep,
                     source: str | None = Query(None, description="List only this source's records."),
                     page: int = Query(1, ge=1, le=1_000_000, description="Page of records, from 1."),
                     ) -> Response:
    """Quarantined records per source, with counts and reasons (write token needed)."""
    authorise(request, settings)
    try:
        context = await run_in_threadpool(listing_context, store, source, page, settings.page_size)
    except kept.QuarantineNotFound as error:
        raise HTTPException(404, str(error)) from None
    return await _answer(request, templates, "quarantine.html", context)


async def quarantined(request: Request, source: str, key: str, store: StoreDep, settings: SettingsDep,
                      templates: TemplatesDep) -> Response:
    """One quarantined record: its input as read and its validation report (write token needed)."""
    authorise(request, settings)
    try:
        context = await run_in_threadpool(record_context, store, source, key)
    except kept.QuarantineNotFound as error:
        raise HTTPException(404, str(error)) from None
    return await _answer(request, templates, "quarantine_record.html", context)
