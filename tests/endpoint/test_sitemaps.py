"""``/sitemap.xml``: every public record page exactly once, with ``lastmod``; an index past the size."""

from __future__ import annotations

import math
from xml.etree.ElementTree import fromstring

from fastapi.testclient import TestClient

from lifecat.core.config import Settings
from lifecat.endpoint.app import create_app
from lifecat.graph.store import Store

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
PUBLIC_RECORDS = """
SELECT DISTINCT ?s WHERE {
  GRAPH ?g { ?s a ?type }
  FILTER (STRSTARTS(STR(?s), "http://lifecat.test/id/") && !CONTAINS(STR(?s), "#"))
  FILTER (?g != <http://lifecat.test/graph/references>)  # minimal records: pages, not sitemap entries
}
"""


def locs(body: bytes) -> list[str]:
    return [e.text or "" for e in fromstring(body).iterfind("s:url/s:loc", NS)]


def test_lists_every_public_record_once(client: TestClient, settings: Settings) -> None:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    found = locs(response.content)
    expected = {r["s"].value for r in Store.open(settings).query(PUBLIC_RECORDS).solutions()}
    assert len(found) == len(set(found))
    assert set(found) == expected
    lastmods = [e.text for e in fromstring(response.content).iterfind("s:url/s:lastmod", NS)]
    assert len(lastmods) == len(found) and all(m and m[:4].isdigit() for m in lastmods)


def test_becomes_an_index_past_the_size(settings: Settings, client: TestClient) -> None:
    small = settings.model_copy(update={"sitemap_size": 1000})
    total = len(locs(client.get("/sitemap.xml").content))
    with TestClient(create_app(small)) as paged:
        index = fromstring(paged.get("/sitemap.xml").content)
        parts = [e.text or "" for e in index.iterfind("s:sitemap/s:loc", NS)]
        assert index.tag == f"{{{NS['s']}}}sitemapindex"
        assert len(parts) == math.ceil(total / 1000)
        seen: list[str] = []
        for part in parts:
            seen += locs(paged.get(part.removeprefix(settings.base.rstrip("/"))).content)
        assert len(seen) == total == len(set(seen))
        assert paged.get(f"/sitemaps/{len(parts) + 1}.xml").status_code == 404


def test_quarantine_stays_out(demo_client: TestClient) -> None:
    found = locs(demo_client.get("/sitemap.xml").content)
    assert "http://demo.test/id/dataset/target" in found
    assert "http://demo.test/id/dataset/quarantined" not in found


def test_robots_points_to_the_sitemap(client: TestClient) -> None:
    text = client.get("/robots.txt").text
    assert "Sitemap: http://lifecat.test/sitemap.xml" in text
    assert "Disallow: /sparql" in text
