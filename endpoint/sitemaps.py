"""``/sitemap.xml`` and ``/robots.txt``: every public record page, once, with when it last changed.

Up to :attr:`Settings.sitemap_size` URLs (the protocol's limit is 50,000) the sitemap lists them
itself; past that it is a sitemap index of ``/sitemaps/{n}.xml`` files. The list comes from the
build's search index, so it is always in step with the served graph.
See https://www.sitemaps.org/protocol.html.
"""

from __future__ import annotations

import math
from xml.etree.ElementTree import Element, SubElement, tostring

from fastapi import Response
from fastapi.responses import PlainTextResponse
from starlette.concurrency import run_in_threadpool

from lifecat.endpoint.deps import SearchDep, SettingsDep
from lifecat.graph.search_index import SearchIndex

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
MEDIA_TYPE = "application/xml"
#: The most sitemaps a sitemap index may list (the sitemaps protocol's limit).
MAX_SITEMAPS = 50_000


class SitemapNotFound(LookupError):
    """A sitemap page number past the last one."""


def urlset(rows: list[tuple[str, str | None]]) -> bytes:
    """A ``<urlset>`` of record IRIs with their ``lastmod``.

    >>> print(urlset([("http://lc/id/a/1", "2024-05-01T10:00:00+00:00")]).decode())
    <?xml version='1.0' encoding='utf-8'?>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://lc/id/a/1</loc><lastmod>2024-05-01T10:00:00+00:00</lastmod></url></urlset>
    """
    root = Element("urlset", xmlns=NAMESPACE)
    for uri, modified in rows:
        url = SubElement(root, "url")
        SubElement(url, "loc").text = uri
        if modified:
            SubElement(url, "lastmod").text = modified
    return tostring(root, encoding="utf-8", xml_declaration=True)


def sitemap_index(base: str, pages: int, modified: str | None) -> bytes:
    root = Element("sitemapindex", xmlns=NAMESPACE)
    for n in range(1, pages + 1):
        entry = SubElement(root, "sitemap")
        SubElement(entry, "loc").text = f"{base}sitemaps/{n}.xml"
        if modified:
            SubElement(entry, "lastmod").text = modified
    return tostring(root, encoding="utf-8", xml_declaration=True)


def _root(index: SearchIndex, base: str, size: int) -> bytes:
    total = index.count()
    if total <= size:
        return urlset(list(index.records()))
    latest = max((m for _, m in index.records() if m), default=None)
    return sitemap_index(base, math.ceil(total / size), latest)


async def sitemap(index: SearchDep, settings: SettingsDep) -> Response:
    """The sitemap, or the sitemap index when there are more records than one sitemap holds."""
    body = await run_in_threadpool(lambda: _root(index.get(), settings.base, settings.sitemap_size))
    return Response(body, media_type=MEDIA_TYPE)


async def sitemap_page(n: int, index: SearchDep, settings: SettingsDep) -> Response:
    """Page ``n`` (from 1) of a sitemap index."""
    size = settings.sitemap_size
    listed = 1 <= n <= MAX_SITEMAPS
    rows = await run_in_threadpool(lambda: index.get().page((n - 1) * size, size) if listed else [])
    if not rows:
        raise SitemapNotFound(f"/sitemaps/{n}.xml")
    return Response(urlset(rows), media_type=MEDIA_TYPE)


async def robots(settings: SettingsDep) -> Response:
    """Crawlers may read every page but the query endpoint; the sitemap lists the records."""
    return PlainTextResponse(
        f"User-agent: *\nDisallow: /sparql\nAllow: /\n\nSitemap: {settings.base}sitemap.xml\n")
