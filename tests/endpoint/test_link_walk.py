"""No dead internal links: a walk of a build's pages, breadth-first from ``/`` following every ``href``
and every IRI under the base that the public graphs hold, meets no 404 (and no server error).

The fixture build is walked on every store (up to 2,000 paths); the shared samples (``LIFECAT_SAMPLES``,
``slow``) up to 800 paths. Both take IRIs of every kind of path the graph holds."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from itertools import chain, islice, zip_longest
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from lifecat.core.config import Settings, SourceConfig
from lifecat.endpoint.app import create_app
from lifecat.endpoint.records import SUFFIXES
from lifecat.graph.build import build
from tests.utils.pages import Links
from tests.utils.samples import SAMPLES

FIXTURES = Path(__file__).parents[1] / "fixtures"
BASE = "http://lifecat.test/"
SOURCES = [("bioregistry", "identity/bioregistry"), ("biotools", "biotools"), ("bioschemas", "bioschemas"),
           ("nextstrain", "nextstrain"), ("ctgov", "ctgov"), ("preprints", "preprints"), ("ror", "ror")]
#: Every IRI under the base that a public graph holds (the public dataset is all a query sees).
IRIS = f"""
SELECT DISTINCT ?iri WHERE {{
  {{ ?iri ?p ?o }} UNION {{ ?s ?p ?iri }}
  FILTER (isIRI(?iri) && STRSTARTS(STR(?iri), "{BASE}"))
}}"""


#: The quarantine graphs the meta graph says the store holds (their IRIs are public; nothing in them is).
QUARANTINES = f"""
SELECT ?g WHERE {{ ?meta <https://w3id.org/lifecat/ontology#holdsGraph> ?g
                  FILTER (STRSTARTS(STR(?g), "{BASE}graph/quarantine/")) }}"""
#: What a browser asks for: a page, or else whatever there is.
BROWSER = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"


def internal(href: str, here: str) -> str | None:
    """The path (and query) of an internal link, without its fragment; ``None`` for other links and for
    a format variant of a page (``.ttl``…: the same resource, negotiated as tested elsewhere)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    path = parts.path or here
    if not path.startswith("/") or path.endswith(tuple(SUFFIXES)):
        return None
    return f"{path}?{parts.query}" if parts.query else path


def graph_paths(client: TestClient, limit: int) -> list[str]:
    """Paths of the IRIs under the base in the public graphs: all of them, or up to ``limit`` taken
    evenly from every kind of path (its first three segments)."""
    response = client.get("/sparql", params={"query": IRIS},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    paths = sorted({"/" + row["iri"]["value"].removeprefix(BASE).partition("#")[0]
                    for row in response.json()["results"]["bindings"]} - set(private(client)))
    groups: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        groups["/".join(path.split("/")[:4])].append(path)
    evenly = (p for p in chain.from_iterable(zip_longest(*groups.values())) if p)
    return list(islice(evenly, limit))


def private(client: TestClient) -> list[str]:
    """The paths of the quarantine graphs: they must answer 404."""
    response = client.get("/sparql", params={"query": QUARANTINES},
                          headers={"Accept": "application/sparql-results+json"})
    return ["/" + row["g"]["value"].removeprefix(BASE) for row in response.json()["results"]["bindings"]]


def walk(client: TestClient, *, limit: int) -> tuple[dict[str, int], int]:
    """Walk from ``/``: every path answered 404 or a server error, and how many paths were asked."""
    queue = deque(["/", *graph_paths(client, limit // 2)])
    seen = set(queue)
    failed: dict[str, int] = {}
    asked = 0
    while queue and asked < limit:
        path = queue.popleft()
        asked += 1
        if path.startswith("/dumps/") and path != "/dumps/":
            status = client.head(path).status_code
        else:
            response = client.get(path, headers={"Accept": BROWSER}, follow_redirects=False)
            status = response.status_code
            if response.headers.get("content-type", "").startswith("text/html"):
                links = Links()
                links.feed(response.text)
                for href in links.hrefs:
                    found = internal(href, path.partition("?")[0])
                    if found and found not in seen and not found.startswith("/graph/quarantine/"):
                        seen.add(found)
                        queue.append(found)
        if status == 404 or status >= 500:
            failed[path] = status
    return failed, asked


def assert_no_dead_links(client: TestClient, *, limit: int) -> None:
    failed, asked = walk(client, limit=limit)
    assert asked > 50
    assert failed == {}, f"{len(failed)} of {asked} internal paths fail: {sorted(failed.items())[:20]}"
    for path in private(client):
        for accept in (BROWSER, "text/turtle"):
            assert client.get(path, headers={"Accept": accept}).status_code == 404  # nothing of it shown


@pytest.fixture
def fixtures_client(new_store: Callable[..., Settings]) -> Iterator[TestClient]:
    settings = new_store(base=BASE)
    build(settings, [SourceConfig(format=f, path=str(FIXTURES / p)) for f, p in SOURCES],
          progress=False, log=lambda _: None)
    with TestClient(create_app(settings)) as client:
        yield client


def test_no_dead_links_in_a_fixture_build(fixtures_client: TestClient) -> None:
    assert private(fixtures_client), "the fixtures quarantine records, whose graphs the walk checks"
    assert_no_dead_links(fixtures_client, limit=2000)


@pytest.mark.slow
@pytest.mark.timeout(900)  # the build of every sample takes a minute or more
def test_no_dead_links_in_the_samples(samples: Path, tmp_path: Path) -> None:
    settings = Settings(store=tmp_path / "store", base=BASE)
    build(settings, [SourceConfig(format=f, path=str(samples / p)) for f, p in SAMPLES],
          progress=False, log=lambda _: None)
    with TestClient(create_app(settings)) as client:
        assert_no_dead_links(client, limit=800)
